// CORS for browser SDKs: preflights are answered at the edge, and every response names the
// headers a browser client needs to read.

import type { IncomingMessage } from 'node:http';

const EXPOSED = [
  'x-amzn-requestid', 'x-amzn-errortype', 'x-amz-request-id', 'x-amz-id-2', 'x-amzn-query-error',
  'x-amz-function-error', 'x-amz-log-result', 'x-amz-executed-version', 'x-amz-version-id', 'x-amz-delete-marker',
  'etag', 'content-length', 'content-type', 'date', 'last-modified',
].join(', ');

export function isPreflight(req: IncomingMessage): boolean {
  return req.method === 'OPTIONS' && !!req.headers.origin && !!req.headers['access-control-request-method'];
}

export function preflightHeaders(req: IncomingMessage): Record<string, string> {
  return {
    'access-control-allow-origin': req.headers.origin ?? '*',
    'access-control-allow-methods': 'HEAD, GET, PUT, POST, DELETE, OPTIONS, PATCH',
    'access-control-allow-headers': String(req.headers['access-control-request-headers'] ?? '*'),
    'access-control-allow-credentials': 'true',
    'access-control-max-age': '172800',
    vary: 'Origin',
  };
}

export function corsHeaders(req: IncomingMessage): Record<string, string> {
  if (!req.headers.origin) return {};
  return {
    'access-control-allow-origin': req.headers.origin,
    'access-control-allow-credentials': 'true',
    'access-control-expose-headers': EXPOSED,
    vary: 'Origin',
  };
}
