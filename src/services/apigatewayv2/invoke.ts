// Serving HTTP APIs on the execute-api URLs: the $default stage without a stage prefix, named
// stages with one; the most specific route (literal over {param} over {param+}, a method over ANY,
// $default last); CORS answered from the API's configuration; JWT and Lambda authorizers; Lambda
// proxy integrations with payload format 2.0 or 1.0, and HTTP_PROXY, under the integration timeout.

import type * as L from '@aws-sdk/client-lambda';
import type { WireRequest, WireResponse } from '../../protocols/wire.js';
import type { Store } from '../../store/store.js';
import { proxyEventV1, proxyResponseV1 } from '../apigateway/invoke/proxy-event.js';
import { findRoute } from '../apigateway/invoke/routing.js';
import { callBackend, proxyAnswer } from '../apigateway/invoke/integrations.js';
import { withTimeout, type Invoker } from '../apigateway/invoke/serve.js';
import { randomBase64url } from '../apigateway/invoke/entropy.js';
import type { Clock } from '../../clock.js';
import { authorizeRoute } from './authorize.js';
import { isPreflight, preflight, withCorsHeaders } from './cors.js';
import { eventV2, isTextual, responseV2 } from './events.js';
import { servedHttpApi, type ServedHttpApi } from './invoke-cache.js';
import type { IntegrationRecord, RouteRecord } from './state.js';

export interface HttpApiTarget {
  apiId: string;
  /** The request path after the host (host form) or after _user_request_ with its stage (path form). */
  segments: { stage?: string; path: string };
  domainName: string;
}

const json = (status: number, message: string): WireResponse => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message }) });

/** A function ARN from an integration URI: the ARN itself or the apigateway:lambda:path form. */
function functionArnOf(uri: string | undefined): string | undefined {
  if (!uri) return undefined;
  return /functions\/(arn:[^/]+)\/invocations$/.exec(uri)?.[1] ?? (/^arn:aws[a-z-]*:lambda:/.test(uri) ? uri : undefined);
}

function pickStage(served: ServedHttpApi, path: string, named?: string) {
  if (named !== undefined) return { stage: served.stage(named), path, rawPath: named === '$default' ? path : `/${named}${path}` };
  const first = /^\/([^/]+)(\/.*)?$/.exec(path);
  const prefixed = first && first[1] !== '$default' ? served.stage(decodeURIComponent(first[1]!)) : undefined;
  if (prefixed) return { stage: prefixed, path: first![2] ?? '/', rawPath: path };
  return { stage: served.stage('$default'), path, rawPath: path };
}

function matchRoute(served: ServedHttpApi, method: string, path: string): { route: RouteRecord; pathParameters: Record<string, string> } | undefined {
  const found = findRoute(served.resources, method, path);
  if (found) return { route: served.keyed.find((r) => r.routeId === found.resource.id)!, pathParameters: found.pathParameters };
  return served.fallback ? { route: served.fallback, pathParameters: {} } : undefined;
}

/** HTTP_PROXY: the request passed to the integration URI ({proxy} and other path parameters filled in) and its answer passed back. */
async function proxyToHttp(integration: IntegrationRecord, req: WireRequest, pathParameters: Record<string, string>, stageVariables: Record<string, string> | undefined, clock: Clock): Promise<WireResponse> {
  const rest = { type: 'HTTP_PROXY' as const, httpMethod: integration.integrationMethod ?? 'ANY', uri: integration.integrationUri };
  const m = { body: '', params: { path: pathParameters, querystring: {}, header: {} }, stageVariables, context: {} };
  try {
    const answer = await withTimeout(clock, integration.timeoutInMillis, () => callBackend(rest, req, m, { account: '', region: '' }, () => Promise.reject(new Error('no Lambda here'))));
    return answer === 'timeout' ? json(503, 'Service Unavailable') : proxyAnswer(answer);
  } catch {
    return json(500, 'Internal Server Error');
  }
}

/** HTTP APIs' payload limit. */
const MAX_PAYLOAD = 10 * 1024 * 1024;

/** Payload 1.0 events carry a JWT authorizer's claims and a Lambda authorizer's context flat. */
function authorizerV1(authorizer: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!authorizer) return undefined;
  const jwt = authorizer.jwt as { claims: unknown; scopes: unknown } | undefined;
  if (jwt) return { claims: jwt.claims, scopes: jwt.scopes };
  const { lambda, ...rest } = authorizer as { lambda?: Record<string, unknown> };
  return { ...(lambda ?? {}), ...rest };
}

export async function serveHttpApi(store: Store, req: WireRequest, target: HttpApiTarget, invoke: Invoker, clock: Clock): Promise<WireResponse | undefined> {
  const now = clock.now();
  const served = servedHttpApi(store, target.apiId);
  if (!served) return undefined;
  const { location, api } = served;
  const requestId = randomBase64url(6) + '=';
  const cors = api?.corsConfiguration;
  const answer = (response: WireResponse): WireResponse => {
    const out = cors ? withCorsHeaders(cors, req, response) : response;
    out.headers = { ...out.headers, 'apigw-requestid': requestId };
    return out;
  };
  if (cors && isPreflight(req)) {
    const response = preflight(cors, req);
    response.headers['apigw-requestid'] = requestId;
    return response;
  }
  const { stage, path, rawPath } = pickStage(served, target.segments.path, target.segments.stage);
  if (!stage) return answer(json(404, 'Not Found'));
  const matched = matchRoute(served, req.method, path);
  const integration = matched?.route.target ? served.integration(matched.route.target.replace(/^integrations\//, '')) : undefined;
  if (!matched || !integration) return answer(json(404, 'Not Found'));
  // Unconfirmed against AWS: the message of HTTP APIs' 413.
  if (req.body.length > MAX_PAYLOAD) return answer(json(413, 'Request Entity Too Large'));
  const httpProxy = integration.integrationType === 'HTTP_PROXY';
  const functionArn = integration.integrationType === 'AWS_PROXY' ? functionArnOf(integration.integrationUri) : undefined;
  if (!functionArn && !httpProxy) return answer(json(500, 'Internal Server Error'));
  const routeKey = matched.route.routeKey;
  const common = { apiId: target.apiId, account: location.account, stage: stage.stageName, requestId, now, domainName: target.domainName };
  const binary = !isTextual(req.headers['content-type']);
  const build = (version: '1.0' | '2.0', authorizer?: Record<string, unknown>): Record<string, unknown> =>
    version === '1.0'
      ? {
          version: '1.0',
          routeKey,
          ...proxyEventV1(req, { resource: { id: matched.route.routeId, path: routeKey.split(' ')[1] ?? '$default', methods: {} }, method: {}, pathParameters: matched.pathParameters }, {
            ...common,
            path: rawPath,
            stageVariables: stage.stageVariables,
            extendedRequestId: requestId,
            authorizer: authorizerV1(authorizer),
            binary,
          }),
        }
      : eventV2(req, { ...common, routeKey, rawPath, pathParameters: matched.pathParameters, stageVariables: stage.stageVariables, authorizer, binary });
  const [method, routePath] = routeKey === '$default' ? ['$default', ''] : routeKey.split(' ');
  const routeArn = `arn:aws:execute-api:${location.region}:${location.account}:${target.apiId}/${stage.stageName}/${method}${routePath}`;
  const auth = await authorizeRoute({ store, location, apiId: target.apiId, route: matched.route, req, now, routeArn, stageVariables: stage.stageVariables, event: (v) => build(v), invoke });
  if (!auth.allowed) return answer({ ...json(auth.status, auth.message), headers: { 'content-type': 'application/json', ...auth.headers } });
  if (httpProxy) return answer(await proxyToHttp(integration, req, matched.pathParameters, stage.stageVariables, clock));
  const v1 = integration.payloadFormatVersion === '1.0';
  const event = build(v1 ? '1.0' : '2.0', auth.authorizer);
  let out: L.InvocationResponse | 'timeout';
  try {
    out = (await withTimeout(clock, integration.timeoutInMillis, () => invoke(location, { FunctionName: functionArn!, Payload: Buffer.from(JSON.stringify(event)) }))) as L.InvocationResponse | 'timeout';
  } catch {
    return answer(json(500, 'Internal Server Error'));
  }
  // HTTP APIs answer a timed-out integration with 503 Service Unavailable (as users report it).
  if (out === 'timeout') return answer(json(503, 'Service Unavailable'));
  const payload = Buffer.from(out.Payload ?? []);
  const response = out.FunctionError ? undefined : v1 ? proxyResponseV1(payload) : responseV2(payload);
  return answer(response ?? json(500, 'Internal Server Error'));
}
