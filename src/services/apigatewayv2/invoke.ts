// Serving HTTP APIs on the execute-api URLs: the $default stage without a stage prefix, named
// stages with one; the most specific route (literal over {param} over {param+}, a method over ANY,
// $default last); Lambda proxy integrations with payload format 2.0 or 1.0.

import { randomBytes } from 'node:crypto';
import type * as L from '@aws-sdk/client-lambda';
import type { WireRequest, WireResponse } from '../../protocols/wire.js';
import type { Store } from '../../store/store.js';
import { proxyEventV1, proxyResponseV1, requestTime } from '../apigateway/invoke/proxy-event.js';
import { findRoute } from '../apigateway/invoke/routing.js';
import { withTimeout, type Invoker } from '../apigateway/invoke/serve.js';
import type { Clock } from '../../clock.js';
import type { ResourceRecord } from '../apigateway/state.js';
import { httpApiIndex, scopedV2, type IntegrationRecord, type RouteRecord, type StageRecord } from './state.js';

export interface HttpApiTarget {
  apiId: string;
  /** The request path after the host (host form) or after _user_request_ with its stage (path form). */
  segments: { stage?: string; path: string };
  domainName: string;
}

const json = (status: number, message: string, requestId: string): WireResponse => ({
  status,
  headers: { 'content-type': 'application/json', 'apigw-requestid': requestId },
  body: JSON.stringify({ message }),
});

/** A function ARN from an integration URI: the ARN itself or the apigateway:lambda:path form. */
function functionArnOf(uri: string | undefined): string | undefined {
  if (!uri) return undefined;
  return /functions\/(arn:[^/]+)\/invocations$/.exec(uri)?.[1] ?? (/^arn:aws[a-z-]*:lambda:/.test(uri) ? uri : undefined);
}

function pickStage(store: Store, location: { account: string; region: string }, apiId: string, path: string, named?: string) {
  const stages = scopedV2<StageRecord>(store, location, 'stages');
  if (named !== undefined) return { stage: stages.get(`${apiId}/${named}`), path, rawPath: named === '$default' ? path : `/${named}${path}` };
  const first = /^\/([^/]+)(\/.*)?$/.exec(path);
  const prefixed = first && first[1] !== '$default' ? stages.get(`${apiId}/${decodeURIComponent(first[1]!)}`) : undefined;
  if (prefixed) return { stage: prefixed, path: first![2] ?? '/', rawPath: path };
  return { stage: stages.get(`${apiId}/$default`), path, rawPath: path };
}

function matchRoute(all: RouteRecord[], method: string, path: string): { route: RouteRecord; pathParameters: Record<string, string> } | undefined {
  // Methods before ANY, so that at equal specificity the method wins.
  const keyed = all.filter((r) => r.routeKey !== '$default').sort((a, b) => Number(a.routeKey.startsWith('ANY ')) - Number(b.routeKey.startsWith('ANY ')));
  const asResources: ResourceRecord[] = keyed.map((r) => {
    const [verb, routePath] = r.routeKey.split(' ') as [string, string];
    return { id: r.routeId, path: routePath.length > 1 ? routePath.replace(/\/+$/, '') : '/', methods: { [verb]: { httpMethod: verb } } };
  });
  const found = findRoute(asResources, method, path);
  if (found) return { route: keyed.find((r) => r.routeId === found.resource.id)!, pathParameters: found.pathParameters };
  const fallback = all.find((r) => r.routeKey === '$default');
  return fallback ? { route: fallback, pathParameters: {} } : undefined;
}

function eventV2(req: WireRequest, c: { apiId: string; account: string; stage: string; routeKey: string; rawPath: string; pathParameters: Record<string, string>; stageVariables?: Record<string, string>; requestId: string; now: number; domainName: string }) {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (k !== 'cookie') headers[k] = v;
  const query: Record<string, string> = {};
  for (const [k, v] of req.query) query[k] = query[k] === undefined ? v : `${query[k]},${v}`;
  return {
    version: '2.0',
    routeKey: c.routeKey,
    rawPath: c.rawPath,
    rawQueryString: req.query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&'),
    ...(req.headers.cookie ? { cookies: req.headers.cookie.split(/;\s*/) } : {}),
    headers,
    ...(req.query.length ? { queryStringParameters: query } : {}),
    ...(Object.keys(c.pathParameters).length ? { pathParameters: c.pathParameters } : {}),
    ...(c.stageVariables && Object.keys(c.stageVariables).length ? { stageVariables: c.stageVariables } : {}),
    requestContext: {
      accountId: c.account,
      apiId: c.apiId,
      domainName: c.domainName,
      domainPrefix: c.domainName.split('.')[0],
      http: { method: req.method, path: c.rawPath, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: req.headers['user-agent'] ?? '' },
      requestId: c.requestId,
      routeKey: c.routeKey,
      stage: c.stage,
      time: requestTime(c.now),
      timeEpoch: c.now,
    },
    ...(req.body.length ? { body: req.body.toString('utf8') } : {}),
    isBase64Encoded: false,
  };
}

/** Payload 2.0's answer: a { statusCode, ... } object as given; any other valid JSON is a 200 JSON body. */
function responseV2(payload: Buffer): WireResponse | undefined {
  const text = payload.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (value && typeof value === 'object' && !Array.isArray(value) && 'statusCode' in value) {
    const r = value as { statusCode: unknown; headers?: Record<string, unknown>; body?: unknown; isBase64Encoded?: boolean; cookies?: string[] };
    const status = Number(r.statusCode);
    if (!Number.isInteger(status) || status < 100 || status > 599) return undefined;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(r.headers ?? {})) headers[k.toLowerCase()] = String(v);
    if (r.cookies?.length) headers['set-cookie'] = r.cookies.join(', ');
    headers['content-type'] ??= 'application/json';
    const body = r.body === undefined || r.body === null ? '' : typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
    return { status, headers, body: r.isBase64Encoded ? Buffer.from(body, 'base64') : body };
  }
  return { status: 200, headers: { 'content-type': 'application/json' }, body: text };
}

export async function serveHttpApi(store: Store, req: WireRequest, target: HttpApiTarget, invoke: Invoker, clock: Clock): Promise<WireResponse | undefined> {
  const now = clock.now();
  const location = httpApiIndex(store).get(target.apiId);
  if (!location) return undefined;
  const requestId = randomBytes(6).toString('base64url') + '=';
  const { stage, path, rawPath } = pickStage(store, location, target.apiId, target.segments.path, target.segments.stage);
  if (!stage) return json(404, 'Not Found', requestId);
  const routes = scopedV2<RouteRecord>(store, location, 'routes').values({ prefix: `${target.apiId}/` });
  const matched = matchRoute(routes, req.method, path);
  const integration = matched?.route.target
    ? scopedV2<IntegrationRecord>(store, location, 'integrations').get(`${target.apiId}/${matched.route.target.replace(/^integrations\//, '')}`)
    : undefined;
  if (!matched || !integration) return json(404, 'Not Found', requestId);
  const functionArn = integration.integrationType === 'AWS_PROXY' ? functionArnOf(integration.integrationUri) : undefined;
  if (!functionArn) return json(500, 'Internal Server Error', requestId);
  const routeKey = matched.route.routeKey;
  const common = { apiId: target.apiId, account: location.account, stage: stage.stageName, requestId, now, domainName: target.domainName };
  const v1 = integration.payloadFormatVersion === '1.0';
  const event = v1
    ? {
        version: '1.0',
        routeKey,
        ...proxyEventV1(req, { resource: { id: matched.route.routeId, path: routeKey.split(' ')[1] ?? '$default', methods: {} }, method: {}, pathParameters: matched.pathParameters }, {
          ...common,
          path: rawPath,
          stageVariables: stage.stageVariables,
          extendedRequestId: requestId,
        }),
      }
    : eventV2(req, { ...common, routeKey, rawPath, pathParameters: matched.pathParameters, stageVariables: stage.stageVariables });
  let out: L.InvocationResponse | 'timeout';
  try {
    out = (await withTimeout(clock, integration.timeoutInMillis, () => invoke(location, { FunctionName: functionArn, Payload: Buffer.from(JSON.stringify(event)) }))) as L.InvocationResponse | 'timeout';
  } catch {
    return json(500, 'Internal Server Error', requestId);
  }
  // Unconfirmed against AWS: HTTP APIs are reported to answer a timed-out integration with 503.
  if (out === 'timeout') return json(503, 'Service Unavailable', requestId);
  const payload = Buffer.from(out.Payload ?? []);
  const response = out.FunctionError ? undefined : v1 ? proxyResponseV1(payload) : responseV2(payload);
  if (!response) return json(500, 'Internal Server Error', requestId);
  response.headers = { ...response.headers, 'apigw-requestid': requestId };
  return response;
}

