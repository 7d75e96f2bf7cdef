// Serving HTTP APIs on the execute-api URLs: the $default stage without a stage prefix, named
// stages with one; the most specific route (literal over {param} over {param+}, a method over ANY,
// $default last), all as the stage's deployment has them (served.ts); CORS answered from the
// deployed configuration; JWT and Lambda authorizers; parameter mapping; Lambda proxy integrations
// with payload format 2.0 or 1.0, and HTTP_PROXY, under the integration timeout.

import { randomBytes } from 'node:crypto';
import type * as L from '@aws-sdk/client-lambda';
import type { WireRequest, WireResponse } from '../../protocols/wire.js';
import type { Store } from '../../store/store.js';
import { proxyEventV1, proxyResponseV1, requestTime } from '../apigateway/invoke/proxy-event.js';
import { findRoute } from '../apigateway/invoke/routing.js';
import { callBackend, proxyAnswer } from '../apigateway/invoke/integrations.js';
import { withTimeout, type Invoker } from '../apigateway/invoke/serve.js';
import type { Clock } from '../../clock.js';
import { authorizeRoute } from './authorize.js';
import { isPreflight, preflight, withCorsHeaders } from './cors.js';
import { eventV2, isTextual, responseV2 } from './events.js';
import { mapRequest, mapResponse, type MappingSources } from './mapping.js';
import { authorizerCache, servedApi, servedStage, type ServedApi, type ServedDeployment } from './served.js';
import type { IntegrationRecord, RouteRecord } from './state.js';
import type { HttpSeen } from './access-log.js';
import { throttleRoute } from './throttling.js';

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

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The stage a request names: the path form says it; on the host form a first segment naming a stage, else $default. */
function pickStage(store: Store, served: ServedApi, path: string, named?: string) {
  if (named !== undefined) return { entry: servedStage(store, served, named), path, rawPath: named === '$default' ? path : `/${named}${path}` };
  const first = /^\/([^/]+)(\/.*)?$/.exec(path);
  const prefixed = first && first[1] !== '$default' ? servedStage(store, served, safeDecode(first[1]!)) : undefined;
  if (prefixed) return { entry: prefixed, path: first![2] ?? '/', rawPath: path };
  return { entry: servedStage(store, served, '$default'), path, rawPath: path };
}

function matchRoute(d: ServedDeployment, method: string, path: string): { route: RouteRecord; pathParameters: Record<string, string> } | undefined {
  const found = d.resources.length ? findRoute(d.resources, method, path) : undefined;
  if (found) return { route: d.keyed.find((r) => r.routeId === found.resource.id)!, pathParameters: found.pathParameters };
  return d.fallback ? { route: d.fallback, pathParameters: {} } : undefined;
}

/**
 * HTTP_PROXY: the request passed to the integration URI ({proxy} and other path parameters filled
 * in, or the path a mapping set) and its answer passed back.
 */
async function proxyToHttp(integration: IntegrationRecord, req: WireRequest, pathParameters: Record<string, string>, stageVariables: Record<string, string> | undefined, clock: Clock, mappedPath?: string): Promise<{ response: WireResponse; fromBackend: boolean }> {
  const failed = (status: number, message: string) => ({ response: json(status, message), fromBackend: false });
  let uri = integration.integrationUri;
  if (mappedPath !== undefined && uri) {
    try {
      uri = new URL(mappedPath.startsWith('/') ? mappedPath : `/${mappedPath}`, uri).href;
    } catch {
      return failed(500, 'Internal Server Error');
    }
  }
  const rest = { type: 'HTTP_PROXY' as const, httpMethod: integration.integrationMethod ?? 'ANY', uri };
  const m = { body: '', params: { path: pathParameters, querystring: {}, header: {} }, stageVariables, context: {} };
  try {
    const answer = await withTimeout(clock, integration.timeoutInMillis, () => callBackend(rest, req, m, { account: '', region: '' }, () => Promise.reject(new Error('no Lambda here'))));
    return answer === 'timeout' ? failed(503, 'Service Unavailable') : { response: proxyAnswer(answer), fromBackend: true };
  } catch {
    return failed(500, 'Internal Server Error');
  }
}

/** $context variables for parameter mapping. */
function mappingContext(req: WireRequest, c: { apiId: string; account: string; stage: string; requestId: string; now: number; domainName: string; routeKey: string; rawPath: string; authorizer?: Record<string, unknown> }) {
  return {
    accountId: c.account,
    apiId: c.apiId,
    authorizer: c.authorizer ? authorizerV1(c.authorizer) : undefined,
    domainName: c.domainName,
    domainPrefix: c.domainName.split('.')[0],
    httpMethod: req.method,
    identity: { sourceIp: '127.0.0.1', userAgent: req.headers['user-agent'] ?? '' },
    path: c.rawPath,
    protocol: 'HTTP/1.1',
    requestId: c.requestId,
    requestTime: requestTime(c.now),
    requestTimeEpoch: c.now,
    routeKey: c.routeKey,
    stage: c.stage,
  };
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

export async function serveHttpApi(store: Store, req: WireRequest, target: HttpApiTarget, invoke: Invoker, clock: Clock, seen?: HttpSeen): Promise<WireResponse | undefined> {
  const served = servedApi(store, target.apiId);
  if (!served) return undefined;
  const { location } = served;
  const now = clock.now();
  const requestId = randomBytes(6).toString('base64url') + '=';
  const { entry, path, rawPath } = pickStage(store, served, target.segments.path, target.segments.stage);
  const deployment = entry?.deployment;
  const cors = deployment?.cors;
  const answer = (response: WireResponse): WireResponse => {
    const out = cors ? withCorsHeaders(cors, req, response) : response;
    out.headers = { ...out.headers, 'apigw-requestid': requestId };
    return out;
  };
  // A stage that does not exist, or has never been deployed, serves nothing.
  if (!entry || !deployment) return answer(json(404, 'Not Found'));
  const stage = entry.stage;
  if (seen) Object.assign(seen, { location, stage, requestId, now, rawPath });
  if (cors && isPreflight(req)) {
    const response = preflight(cors, req);
    response.headers['apigw-requestid'] = requestId;
    return response;
  }
  const matched = matchRoute(deployment, req.method, path);
  const integration = matched?.route.target ? deployment.integrations.get(matched.route.target.replace(/^integrations\//, '')) : undefined;
  if (!matched || !integration) return answer(json(404, 'Not Found'));
  // Unconfirmed against AWS: the message of HTTP APIs' 413.
  if (req.body.length > MAX_PAYLOAD) return answer(json(413, 'Request Entity Too Large'));
  const httpProxy = integration.integrationType === 'HTTP_PROXY';
  const functionArn = integration.integrationType === 'AWS_PROXY' ? functionArnOf(integration.integrationUri) : undefined;
  if (!functionArn && !httpProxy) return answer(json(500, 'Internal Server Error'));
  const routeKey = matched.route.routeKey;
  if (seen) seen.routeKey = routeKey;
  const throttled = throttleRoute(store, location, target.apiId, stage, routeKey, now);
  if (throttled) return answer(throttled);
  const common = { apiId: target.apiId, account: location.account, stage: stage.stageName, requestId, now, domainName: target.domainName };
  const binary = !isTextual(req.headers['content-type']);
  const build = (version: '1.0' | '2.0', authorizer?: Record<string, unknown>, request: WireRequest = req): Record<string, unknown> =>
    version === '1.0'
      ? {
          version: '1.0',
          routeKey,
          ...proxyEventV1(request, { resource: { id: matched.route.routeId, path: routeKey.split(' ')[1] ?? '$default', methods: {} }, method: {}, pathParameters: matched.pathParameters }, {
            ...common,
            path: rawPath,
            stageVariables: stage.stageVariables,
            extendedRequestId: requestId,
            authorizer: authorizerV1(authorizer),
            binary,
          }),
        }
      : eventV2(request, { ...common, routeKey, rawPath, pathParameters: matched.pathParameters, stageVariables: stage.stageVariables, authorizer, binary });
  const [method, routePath] = routeKey === '$default' ? ['$default', ''] : routeKey.split(' ');
  const routeArn = `arn:aws:execute-api:${location.region}:${location.account}:${target.apiId}/${stage.stageName}/${method}${routePath}`;
  const auth = await authorizeRoute({ cache: authorizerCache(store), authorizers: deployment.authorizers, location, apiId: target.apiId, route: matched.route, req, now, routeArn, stageVariables: stage.stageVariables, context: () => mappingContext(req, { ...common, routeKey, rawPath }), event: (v) => build(v), invoke });
  if (!auth.allowed) return answer({ ...json(auth.status, auth.message), headers: { 'content-type': 'application/json', ...auth.headers } });
  if (seen) seen.authorizer = auth.authorizer;
  const started = clock.now();

  // Parameter mapping, only for integrations that have some.
  const { requestParameters, responseParameters } = integration;
  const sources: MappingSources | undefined =
    requestParameters || responseParameters
      ? { req, path, pathParameters: matched.pathParameters, stageVariables: stage.stageVariables, context: mappingContext(req, { ...common, routeKey, rawPath, authorizer: auth.authorizer }) }
      : undefined;
  const mapped = requestParameters && sources ? mapRequest(requestParameters, sources) : undefined;
  const backendReq = mapped ? { ...req, headers: mapped.headers, query: mapped.query } : req;
  const mapAnswer = (response: WireResponse) => answer(responseParameters && sources ? mapResponse(responseParameters, response, sources) : response);

  if (httpProxy) {
    const { response, fromBackend } = await proxyToHttp(integration, backendReq, matched.pathParameters, stage.stageVariables, clock, mapped?.path);
    if (seen && fromBackend) Object.assign(seen, { integrationStatus: response.status, integrationLatency: clock.now() - started });
    return fromBackend ? mapAnswer(response) : answer(response);
  }
  const v1 = integration.payloadFormatVersion === '1.0';
  const event = build(v1 ? '1.0' : '2.0', auth.authorizer, backendReq);
  let out: L.InvocationResponse | 'timeout';
  try {
    out = (await withTimeout(clock, integration.timeoutInMillis, () => invoke(location, { FunctionName: functionArn!, Payload: Buffer.from(JSON.stringify(event)) }))) as L.InvocationResponse | 'timeout';
  } catch {
    return answer(json(500, 'Internal Server Error'));
  }
  // HTTP APIs answer a timed-out integration with 503 Service Unavailable (as users report it).
  if (out === 'timeout') return answer(json(503, 'Service Unavailable'));
  if (seen) Object.assign(seen, { integrationStatus: 200, integrationLatency: clock.now() - started });
  const payload = Buffer.from(out.Payload ?? []);
  const response = out.FunctionError ? undefined : v1 ? proxyResponseV1(payload) : responseV2(payload);
  if (response) return mapAnswer(response);
  if (seen) seen.gatewayAnswered = true;
  return answer(json(500, 'Internal Server Error'));
}
