// The invoke URLs' one entry point for the edge: REST APIs answer first (their gateway errors
// reworded by the deployment's gateway responses), then HTTP APIs (loaded only when a request is
// not for a REST API); an id that names neither answers 404. serveTarget is also the entry for
// custom domain names (custom-domains.ts), once their mapping has named the API and stage.

import type { WireRequest, WireResponse } from '../../../protocols/wire.js';
import type { Clock } from '../../../clock.js';
import type { Store } from '../../../store/store.js';
import { withGatewayResponse } from './gateway-responses.js';
import { serveRestApi, targetOf, type Invoker, type Target } from './serve.js';
import { logRestAccess, type RestSeen } from './rest-access-log.js';
import type { HttpSeen } from '../../apigatewayv2/access-log.js';

export type { Invoker } from './serve.js';

/** The HTTP APIs' module, loaded once on first use (an import() per request costs a module-map lookup and a turn). */
let httpApis: Promise<typeof import('../../apigatewayv2/invoke.js')> | undefined;

const notFound = (): WireResponse => ({ status: 404, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: 'Not Found' }) });

export async function serveInvokeUrl(store: Store, req: WireRequest, invoke: Invoker, clock: Clock): Promise<WireResponse> {
  const target = targetOf(req);
  if (!target) return notFound();
  // HTTP APIs see the whole path on the host form: the $default stage has no prefix.
  let segments: { stage?: string; path: string } | undefined;
  try {
    segments = target.form === 'host' ? { path: req.path } : { stage: decodeURIComponent(target.stage ?? ''), path: target.path };
  } catch {
    segments = undefined; // a malformed %-escape in the stage names no HTTP API stage
  }
  return (await serveTarget(store, req, target, segments, invoke, clock)) ?? notFound();
}

/** Serves a request whose API is known: as a REST API's (target), else as an HTTP API's (segments); undefined when no API has the id. */
export async function serveTarget(store: Store, req: WireRequest, target: Target, segments: { stage?: string; path: string } | undefined, invoke: Invoker, clock: Clock): Promise<WireResponse | undefined> {
  const seen: RestSeen = {};
  const rest = await serveRestApi(store, req, target, invoke, clock, seen);
  if (rest) {
    const response = withGatewayResponse(store, req, target, rest, clock.now());
    if (seen.stage?.accessLogSettings) logRestAccess(store, clock, req, target, seen, response);
    return response;
  }
  if (!segments) return undefined;
  const { serveHttpApi } = await (httpApis ??= import('../../apigatewayv2/invoke.js'));
  const seenHttp: HttpSeen = {};
  const http = await serveHttpApi(store, req, { apiId: target.apiId, segments, domainName: target.domainName }, invoke, clock, seenHttp);
  if (http && seenHttp.stage?.accessLogSettings) {
    const { logHttpAccess } = await import('../../apigatewayv2/access-log.js');
    logHttpAccess(store, clock, req, target.apiId, target.domainName, seenHttp, http);
  }
  return http;
}
