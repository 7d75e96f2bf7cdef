// An HTTP API's CORS configuration, answered by API Gateway itself: preflight OPTIONS requests get
// 204 with the Access-Control-Allow-* headers (whatever routes exist), and every other answer to
// an allowed origin carries Access-Control-Allow-Origin, -Expose-Headers and -Allow-Credentials.

import type * as AG2 from '@aws-sdk/client-apigatewayv2';
import type { WireRequest, WireResponse } from '../../protocols/wire.js';

export function isPreflight(req: WireRequest): boolean {
  return req.method === 'OPTIONS' && !!req.headers.origin && !!req.headers['access-control-request-method'];
}

/** The Access-Control-Allow-Origin value for a request's origin, or undefined when it is not allowed. */
function allowedOrigin(cors: AG2.Cors, origin: string | undefined): string | undefined {
  if (!origin) return undefined;
  const origins = cors.AllowOrigins ?? [];
  if (origins.includes('*')) return cors.AllowCredentials ? origin : '*';
  return origins.some((o) => o.toLowerCase() === origin.toLowerCase()) ? origin : undefined;
}

const listed = (values: string[] | undefined, wanted: string) => (values ?? []).some((v) => v === '*' || v.toLowerCase() === wanted.toLowerCase());

export function preflight(cors: AG2.Cors, req: WireRequest): WireResponse {
  const headers: Record<string, string> = {};
  const origin = allowedOrigin(cors, req.headers.origin);
  const method = req.headers['access-control-request-method'] ?? '';
  const requested = (req.headers['access-control-request-headers'] ?? '').split(',').map((h) => h.trim()).filter(Boolean);
  // A preflight for a method or header the configuration does not allow gets no CORS headers.
  if (origin && listed(cors.AllowMethods, method) && requested.every((h) => listed(cors.AllowHeaders, h))) {
    headers['access-control-allow-origin'] = origin;
    headers['access-control-allow-methods'] = (cors.AllowMethods ?? []).join(',');
    if (cors.AllowHeaders?.length) headers['access-control-allow-headers'] = cors.AllowHeaders.join(',');
    if (cors.MaxAge !== undefined) headers['access-control-max-age'] = String(cors.MaxAge);
    if (cors.AllowCredentials) headers['access-control-allow-credentials'] = 'true';
    if (cors.ExposeHeaders?.length) headers['access-control-expose-headers'] = cors.ExposeHeaders.join(',');
  }
  return { status: 204, headers, body: '' };
}

/** The CORS headers an answer carries: the configuration's; the integration's own are dropped, as in AWS. */
export function withCorsHeaders(cors: AG2.Cors, req: WireRequest, response: WireResponse): WireResponse {
  const headers = Object.fromEntries(Object.entries(response.headers).filter(([k]) => !k.startsWith('access-control-')));
  const origin = allowedOrigin(cors, req.headers.origin);
  if (origin) {
    headers['access-control-allow-origin'] = origin;
    if (cors.ExposeHeaders?.length) headers['access-control-expose-headers'] = cors.ExposeHeaders.join(',');
    if (cors.AllowCredentials) headers['access-control-allow-credentials'] = 'true';
  }
  return { ...response, headers };
}
