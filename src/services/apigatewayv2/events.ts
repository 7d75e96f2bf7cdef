// HTTP API payload format 2.0: the event a Lambda integration receives and the reading of its
// answer, including the rule for handlers that return anything but a { statusCode } object.

import { headersWritable, type WireRequest, type WireResponse } from '../../protocols/wire.js';
import { requestTime } from '../apigateway/invoke/proxy-event.js';

/** HTTP APIs send a body base64-encoded unless its content type is text. */
export function isTextual(contentType: string | undefined): boolean {
  if (!contentType) return true;
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return /^text\/|^application\/(json|javascript|xml|x-www-form-urlencoded|graphql)$|[+](json|xml)$/.test(type);
}

export interface EventV2Context { 
  apiId: string;
  account: string;
  stage: string;
  routeKey: string;
  rawPath: string;
  pathParameters: Record<string, string>;
  stageVariables?: Record<string, string>;
  requestId: string;
  now: number;
  domainName: string;
  authorizer?: Record<string, unknown>;
  binary?: boolean;
}

export function eventV2(req: WireRequest, c: EventV2Context) {
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
      ...(c.authorizer ? { authorizer: c.authorizer } : {}),
      stage: c.stage,
      time: requestTime(c.now),
      timeEpoch: c.now,
    },
    ...(req.body.length ? { body: req.body.toString(c.binary ? 'base64' : 'utf8') } : {}),
    isBase64Encoded: c.binary === true,
  };
}

/** Payload 2.0's answer: a { statusCode, ... } object as given; any other valid JSON is a 200 JSON body. */
export function responseV2(payload: Buffer): WireResponse | undefined {
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
    // Cookies must be a list of strings; anything else is a malformed answer (500).
    if (r.cookies !== undefined && r.cookies !== null && !Array.isArray(r.cookies)) return undefined;
    if (r.cookies?.length) headers['set-cookie'] = r.cookies.map(String).join(', ');
    headers['content-type'] ??= 'application/json';
    if (!headersWritable(headers)) return undefined;
    const body = r.body === undefined || r.body === null ? '' : typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
    return { status, headers, body: r.isBase64Encoded ? Buffer.from(body, 'base64') : body };
  }
  return { status: 200, headers: { 'content-type': 'application/json' }, body: text };
}

