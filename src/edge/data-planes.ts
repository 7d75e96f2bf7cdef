// Requests that are not AWS API calls but traffic to something a user deployed: Lambda function
// URLs, API Gateway invoke URLs and API Gateway custom domain names. Each is recognised by host or
// path alone (cheaply, before any service loads; custom domains by a Set of the configured names)
// and served by its service's own module, loaded on first use.

import type { Clock } from '../clock.js';
import type { Caller } from '../services/types.js';
import type { WireRequest, WireResponse } from '../protocols/wire.js';
import type { Store } from '../store/store.js';
import { customDomainOf } from '../services/apigateway/domain-hosts.js';

export interface DataPlaneDeps {
  store: Store;
  clock: Clock;
  /** Internal dispatch, as the given caller. */
  call(service: string, operation: string, input: Record<string, unknown>, caller: Caller): Promise<Record<string, unknown>>;
}

interface DataPlane {
  matches(host: string, path: string, store: Store): boolean;
  /** The plane answers CORS itself (API Gateway: OPTIONS methods, HTTP APIs' configuration), so the edge adds none. */
  ownCors?: boolean;
  serve(req: WireRequest, deps: DataPlaneDeps): Promise<WireResponse>;
}

/** API Gateway's invoke module, loaded on first use and kept (an import() per request costs a module-map lookup and a turn). */
let invokeUrls: Promise<typeof import('../services/apigateway/invoke/index.js')> | undefined;

let customDomains: Promise<typeof import('../services/apigateway/invoke/custom-domains.js')> | undefined;

const DATA_PLANES: DataPlane[] = [
  {
    // <url-id>.lambda-url.<region>.localhost.localstack.cloud, or /_aws/lambda-url/<url-id>/...
    matches: (host, path) => /^[a-z0-9]{32}\.lambda-url\./.test(host) || path.startsWith('/_aws/lambda-url/'),
    async serve(req, deps) {
      const { serveFunctionUrl } = await import('../services/lambda/url-invoke.js');
      return serveFunctionUrl(deps.store, req, (caller, input) => deps.call('lambda', 'Invoke', input, caller), deps.clock.date());
    },
  },
  {
    // <api-id>.execute-api.<...>/<stage>/<path>, or /restapis/<api-id>/<stage>/_user_request_/<path>
    // (without _user_request_, /restapis/... is API Gateway's control plane).
    matches: (host, path) => /^[a-z0-9]{10}\.execute-api\./.test(host) || /^\/restapis\/[a-z0-9]{10}\/[^/]+\/_user_request_(\/|$)/.test(path),
    ownCors: true,
    async serve(req, deps) {
      const { serveInvokeUrl } = await (invokeUrls ??= import('../services/apigateway/invoke/index.js'));
      return serveInvokeUrl(deps.store, req, (caller, input) => deps.call('lambda', 'Invoke', input, caller), deps.clock);
    },
  },
  {
    // API Gateway custom domain names: only the names configured (an in-memory Set), so every other
    // host (S3 virtual-hosted buckets named like domains included) goes on as before.
    matches: (host, _path, store) => customDomainOf(store, host) !== undefined,
    ownCors: true,
    async serve(req, deps) {
      const { serveCustomDomain } = await (customDomains ??= import('../services/apigateway/invoke/custom-domains.js'));
      const name = customDomainOf(deps.store, req.headers.host ?? '')!;
      return serveCustomDomain(deps.store, name, req, (caller, input) => deps.call('lambda', 'Invoke', input, caller), deps.clock);
    },
  },
];

export function findDataPlane(host: string, path: string, store: Store): DataPlane | undefined {
  const lower = host.toLowerCase();
  return DATA_PLANES.find((plane) => plane.matches(lower, path, store));
}
