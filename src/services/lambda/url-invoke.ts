// Serving a function URL: an HTTP request becomes a payload-format 2.0 event, the function is
// invoked through Lambda's own Invoke (internal dispatch), and its answer becomes the HTTP
// response, as AWS's function URLs do. The edge decides which requests are function-URL requests
// (functionUrlTarget) and hands them to serveFunctionUrl.

import { randomUUID } from 'node:crypto';
import type * as L from '@aws-sdk/client-lambda';
import { headersWritable, type WireRequest, type WireResponse } from '../../protocols/wire.js';
import type { Store } from '../../store/store.js';
import { urlIndex, type UrlConfigRecord } from './function-urls.js';

/** Runs Lambda's Invoke as the function's account, in its region (the edge passes dispatcher.call). */
export type UrlInvoker = (caller: { account: string; region: string }, input: Record<string, unknown>) => Promise<Record<string, unknown>>;

const HOST_FORM = /^([a-z0-9]{32})\.lambda-url\.[a-z0-9-]+\./;
const PATH_FORM = /^\/_aws\/lambda-url\/([a-z0-9]{32})(\/.*)?$/;

/**
 * Whether a request is for a function URL: by host (<url-id>.lambda-url.<region>.localhost.localstack.cloud)
 * or, for clients without that host name, by path (/_aws/lambda-url/<url-id>/...). Returns the URL
 * id and the path the function sees.
 */
export function functionUrlTarget(req: WireRequest): { urlId: string; path: string } | undefined {
  const host = HOST_FORM.exec((req.headers.host ?? '').toLowerCase());
  if (host) return { urlId: host[1]!, path: req.path };
  const path = PATH_FORM.exec(req.path);
  return path ? { urlId: path[1]!, path: path[2] ?? '/' } : undefined;
}

const TEXT_TYPES = /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded)|[^;]*\+(json|xml))/i;

function eventOf(req: WireRequest, config: UrlConfigRecord, path: string, now: Date): Record<string, unknown> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (k !== 'cookie') headers[k] = v;
  const query: Record<string, string> = {};
  for (const [k, v] of req.query) query[k] = query[k] === undefined ? v : `${query[k]},${v}`;
  const textual = TEXT_TYPES.test(req.headers['content-type'] ?? '');
  const rawQuery = req.query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: rawQuery,
    ...(req.headers.cookie ? { cookies: req.headers.cookie.split(/;\s*/) } : {}),
    headers,
    ...(req.query.length ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: 'anonymous',
      apiId: config.urlId,
      domainName: req.headers.host ?? '',
      domainPrefix: config.urlId,
      http: { method: req.method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: req.headers['user-agent'] ?? '' },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(req.body.length ? { body: textual ? req.body.toString('utf8') : req.body.toString('base64'), isBase64Encoded: !textual } : { isBase64Encoded: false }),
  };
}

function corsHeaders(config: UrlConfigRecord, origin: string | undefined): Record<string, string> {
  const cors = config.cors;
  if (!cors || !origin) return {};
  const origins = cors.AllowOrigins ?? [];
  if (!origins.includes('*') && !origins.includes(origin)) return {};
  const headers: Record<string, string> = { 'access-control-allow-origin': origins.includes('*') ? '*' : origin };
  if (cors.AllowCredentials) headers['access-control-allow-credentials'] = 'true';
  if (cors.ExposeHeaders?.length) headers['access-control-expose-headers'] = cors.ExposeHeaders.join(',');
  return headers;
}

/** The function's answer as HTTP: a { statusCode, headers, body } object as given, anything else as a JSON 200. */
function responseOf(payload: Buffer): WireResponse | undefined {
  let value: unknown;
  try {
    value = JSON.parse(payload.toString('utf8'));
  } catch {
    value = undefined;
  }
  if (value && typeof value === 'object' && !Array.isArray(value) && 'statusCode' in value) {
    const r = value as { statusCode: unknown; headers?: unknown; body?: unknown; isBase64Encoded?: boolean; cookies?: unknown };
    // An answer that cannot become HTTP (status out of range, headers or cookies of the wrong
    // kind, unwritable header text) is malformed: the URL answers 502 as for a function error.
    const status = Number(r.statusCode);
    if (!Number.isInteger(status) || status < 100 || status > 599) return undefined;
    if ((r.headers !== undefined && r.headers !== null && (typeof r.headers !== 'object' || Array.isArray(r.headers))) || (r.cookies !== undefined && r.cookies !== null && !Array.isArray(r.cookies))) return undefined;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries((r.headers ?? {}) as Record<string, unknown>)) headers[k.toLowerCase()] = String(v);
    const cookies = (r.cookies ?? []) as unknown[];
    if (cookies.length) headers['set-cookie'] = cookies.map(String).join(', ');
    if (!headersWritable(headers)) return undefined;
    const text = r.body === undefined ? undefined : String(r.body);
    const body = text === undefined ? undefined : r.isBase64Encoded ? Buffer.from(text, 'base64') : text;
    return { status, headers, body };
  }
  return { status: 200, headers: { 'content-type': 'application/json' }, body: payload };
}

export async function serveFunctionUrl(store: Store, req: WireRequest, invoke: UrlInvoker, now = new Date()): Promise<WireResponse> {
  const target = functionUrlTarget(req);
  const config = target ? urlIndex(store).get(target.urlId) : undefined;
  if (!target || !config) return { status: 404, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ Message: null }) };
  const cors = corsHeaders(config, req.headers.origin);
  if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] && config.cors) {
    const headers = { ...cors };
    if (config.cors.AllowMethods?.length) headers['access-control-allow-methods'] = config.cors.AllowMethods.join(',');
    if (config.cors.AllowHeaders?.length) headers['access-control-allow-headers'] = config.cors.AllowHeaders.join(',');
    if (config.cors.MaxAge !== undefined) headers['access-control-max-age'] = String(config.cors.MaxAge);
    return { status: 200, headers };
  }
  // AWS_IAM URLs need a SigV4-signed request (the signature itself is not checked, as elsewhere).
  if (config.authType === 'AWS_IAM' && !/AWS4-HMAC-SHA256/.test(req.headers.authorization ?? '')) {
    return { status: 403, headers: { 'content-type': 'application/json', ...cors }, body: JSON.stringify({ Message: 'Forbidden' }) };
  }
  const event = eventOf(req, config, target.path, now);
  const out = (await invoke(
    { account: config.account, region: config.region },
    { FunctionName: config.functionName, Qualifier: config.qualifier, Payload: Buffer.from(JSON.stringify(event)) },
  )) as L.InvocationResponse;
  if (out.FunctionError) return { status: 502, headers: { 'content-type': 'application/json', ...cors }, body: 'Internal Server Error' };
  const response = responseOf(Buffer.from(out.Payload ?? []));
  if (!response) return { status: 502, headers: { 'content-type': 'application/json', ...cors }, body: 'Internal Server Error' };
  response.headers = { ...response.headers, ...cors, 'x-amzn-requestid': (event.requestContext as { requestId: string }).requestId };
  return response;
}

