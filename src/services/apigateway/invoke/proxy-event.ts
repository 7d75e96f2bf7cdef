// The Lambda proxy integration's event (payload format 1.0) and the reading of the function's
// answer, as API Gateway REST APIs build and read them.

import { headersWritable, type WireRequest, type WireResponse } from '../../../protocols/wire.js';
import type { Route } from './routing.js';

export interface EventContext {
  apiId: string;
  account: string;
  stage: string;
  stageVariables?: Record<string, string>;
  /** The path after the stage, as the client sent it. */
  path: string;
  requestId: string;
  extendedRequestId: string;
  now: number;
  /** Host name of the invoke URL form the client used. */
  domainName: string;
  /** On a custom domain, the whole request path (base path included): event.path and requestContext.path. */
  requestPath?: string;
  /** What a Lambda authorizer returned (its context, principalId), for requestContext.authorizer. */
  authorizer?: Record<string, unknown>;
  /** Whether the request body is of one of the API's binary media types (sent base64-encoded). */
  binary?: boolean;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/** AWS's requestTime: 27/Nov/2026:10:00:00 +0000. */
export function requestTime(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

const orNull = <T extends object>(value: T): T | null => (Object.keys(value).length ? value : null);

export function proxyEventV1(req: WireRequest, route: Route, c: EventContext): Record<string, unknown> {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    headers[name] = value;
    multiValueHeaders[name] = [value];
  }
  // Single-value query parameters keep the last value; the multi-value map keeps them all.
  const query: Record<string, string> = {};
  const multiQuery: Record<string, string[]> = {};
  for (const [k, v] of req.query) {
    query[k] = v;
    (multiQuery[k] ??= []).push(v);
  }
  const sourceIp = (req.headers['x-forwarded-for'] ?? '127.0.0.1').split(',')[0]!.trim();
  return {
    resource: route.resource.path,
    path: c.requestPath ?? c.path,
    httpMethod: req.method,
    headers: orNull(headers),
    multiValueHeaders: orNull(multiValueHeaders),
    queryStringParameters: orNull(query),
    multiValueQueryStringParameters: orNull(multiQuery),
    pathParameters: orNull(route.pathParameters),
    stageVariables: c.stageVariables && Object.keys(c.stageVariables).length ? c.stageVariables : null,
    requestContext: {
      resourceId: route.resource.id,
      resourcePath: route.resource.path,
      httpMethod: req.method,
      extendedRequestId: c.extendedRequestId,
      requestTime: requestTime(c.now),
      path: c.requestPath ?? `/${c.stage}${c.path}`,
      accountId: c.account,
      protocol: 'HTTP/1.1',
      stage: c.stage,
      domainPrefix: c.domainName.split('.')[0],
      requestTimeEpoch: c.now,
      requestId: c.requestId,
      identity: {
        cognitoIdentityPoolId: null,
        accountId: null,
        cognitoIdentityId: null,
        caller: null,
        sourceIp,
        principalOrgId: null,
        accessKey: null,
        cognitoAuthenticationType: null,
        cognitoAuthenticationProvider: null,
        userArn: null,
        userAgent: req.headers['user-agent'] ?? null,
        user: null,
      },
      domainName: c.domainName,
      apiId: c.apiId,
      ...(c.authorizer ? { authorizer: c.authorizer } : {}),
    },
    body: req.body.length ? req.body.toString(c.binary ? 'base64' : 'utf8') : null,
    isBase64Encoded: c.binary === true,
  };
}

/** $context for mapping templates: the proxy event's requestContext, with the authorizer's answer. */
export function mappingContext(req: WireRequest, route: Route, c: EventContext, authorizer?: Record<string, unknown>): Record<string, unknown> {
  const context = proxyEventV1(req, route, { ...c, authorizer }).requestContext as Record<string, unknown>;
  return { ...context, authorizer: authorizer ?? {} };
}

const RESPONSE_KEYS = new Set(['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded']);

/**
 * The function's answer as HTTP, or undefined when it is not a valid proxy response (AWS then
 * answers 502): a JSON object with only the proxy keys, a numeric statusCode and a string body.
 */
export function proxyResponseV1(payload: Buffer, decodeBase64: (contentType: string) => boolean = () => true): WireResponse | undefined {
  let value: unknown;
  try {
    value = JSON.parse(payload.toString('utf8'));
  } catch {
    return undefined;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const r = value as Record<string, unknown>;
  if (Object.keys(r).some((k) => !RESPONSE_KEYS.has(k))) return undefined;
  const status = typeof r.statusCode === 'string' && /^\d+$/.test(r.statusCode) ? Number(r.statusCode) : r.statusCode;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) return undefined;
  if (r.body !== undefined && r.body !== null && typeof r.body !== 'string') return undefined;
  const isObject = (v: unknown) => v === undefined || v === null || (typeof v === 'object' && !Array.isArray(v));
  if (!isObject(r.headers) || !isObject(r.multiValueHeaders)) return undefined;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries((r.multiValueHeaders ?? {}) as Record<string, unknown>)) {
    if (Array.isArray(v)) headers[k.toLowerCase()] = v.map(String).join(', ');
  }
  for (const [k, v] of Object.entries((r.headers ?? {}) as Record<string, unknown>)) headers[k.toLowerCase()] = String(v);
  headers['content-type'] ??= 'application/json';
  if (!headersWritable(headers)) return undefined;
  const text = (r.body as string | null | undefined) ?? '';
  // REST APIs turn a base64 body back into bytes only for their binary media types; HTTP APIs always do.
  return { status, headers, body: r.isBase64Encoded === true && decodeBase64(headers['content-type']) ? Buffer.from(text, 'base64') : text };
}

