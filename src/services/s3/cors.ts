// Bucket CORS as S3 applies it. A preflight (OPTIONS) is checked against the bucket's rules: the
// first rule allowing the origin, the requested method and every requested header answers 200 with
// its Access-Control-* headers; otherwise S3's 403 AccessForbidden. An actual request from an
// allowed origin gets the same headers (its headers are not checked); from any other origin, none.
// Requests that name no bucket are left to the edge's own CORS.

import type * as S3 from '@aws-sdk/client-s3';
import { ServiceError } from '../../errors.js';
import type { WireRequest } from '../../protocols/wire.js';
import type { RequestContext } from '../types.js';
import { bucketConfigs } from './bucket-config.js';
import { buckets } from './state.js';
import { bucketFromHost } from './virtual-host.js';

const VARY = 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method';

function target(req: WireRequest): { bucket?: string; key?: string } {
  const fromHost = bucketFromHost(req.headers['host']);
  const segments = req.path.split('/').slice(1);
  if (fromHost) return { bucket: fromHost, key: req.path.length > 1 ? req.path.slice(1) : undefined };
  let bucket: string | undefined;
  try {
    bucket = segments[0] ? decodeURIComponent(segments[0]) : undefined;
  } catch {
    bucket = segments[0];
  }
  // Fogbank's own routes (/_fogbank, /_localstack) are no bucket's: no bucket name starts with "_".
  if (bucket?.startsWith('_')) return {};
  const key = segments.slice(1).join('/');
  return { bucket, key: key || undefined };
}

/** "*" anywhere in a pattern stands for any run of characters (S3 allows one). */
function wildcardMatch(pattern: string, value: string, ignoreCase: boolean): boolean {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const v = ignoreCase ? value.toLowerCase() : value;
  const star = p.indexOf('*');
  if (star < 0) return p === v;
  const prefix = p.slice(0, star);
  const suffix = p.slice(star + 1).replace(/\*/g, '');
  return v.length >= prefix.length + suffix.length && v.startsWith(prefix) && v.endsWith(suffix);
}

function requestedHeaders(req: WireRequest): string[] {
  return (req.headers['access-control-request-headers'] ?? '').split(',').map((h) => h.trim().toLowerCase()).filter(Boolean);
}

function findRule(rules: S3.CORSRule[], origin: string, method: string, headers: string[]): S3.CORSRule | undefined {
  return rules.find(
    (rule) =>
      (rule.AllowedOrigins ?? []).some((allowed) => wildcardMatch(allowed, origin, false)) &&
      (rule.AllowedMethods ?? []).includes(method) &&
      headers.every((h) => (rule.AllowedHeaders ?? []).some((allowed) => wildcardMatch(allowed, h, true))),
  );
}

function ruleHeaders(rule: S3.CORSRule, origin: string, allowHeaders: string[]): Record<string, string> {
  const anyOrigin = (rule.AllowedOrigins ?? []).includes('*');
  const headers: Record<string, string> = {
    'access-control-allow-origin': anyOrigin ? '*' : origin,
    'access-control-allow-methods': (rule.AllowedMethods ?? []).join(', '),
  };
  if (!anyOrigin) headers['access-control-allow-credentials'] = 'true';
  if (allowHeaders.length) headers['access-control-allow-headers'] = allowHeaders.join(', ');
  if (rule.ExposeHeaders?.length) headers['access-control-expose-headers'] = rule.ExposeHeaders.join(', ');
  if (rule.MaxAgeSeconds !== undefined) headers['access-control-max-age'] = String(rule.MaxAgeSeconds);
  headers.vary = VARY;
  return headers;
}

const forbidden = (message: string, method: string, resourceType: 'BUCKET' | 'OBJECT') =>
  new ServiceError('AccessForbidden', message, { status: 403, fields: { Method: method, ResourceType: resourceType } });

/** The headers of a 200 answer to an OPTIONS request on a bucket or object; throws S3's refusal. */
export function preflight(req: WireRequest, ctx: RequestContext): Record<string, string> | undefined {
  const { bucket, key } = target(req);
  if (!bucket) return undefined;
  const origin = req.headers['origin'];
  if (!origin) throw new ServiceError('BadRequest', 'Insufficient information. Origin request header needed.');
  const method = req.headers['access-control-request-method'] ?? 'OPTIONS';
  if (!buckets(ctx).has(bucket)) throw forbidden('CORSResponse: Bucket not found', method, 'BUCKET');
  const rules = bucketConfigs(ctx).get(`${bucket}/cors`) as S3.CORSRule[] | undefined;
  if (!rules) throw forbidden('CORSResponse: CORS is not enabled for this bucket.', method, 'BUCKET');
  const headers = requestedHeaders(req);
  const rule = findRule(rules, origin, method, headers);
  if (!rule) {
    throw forbidden(
      "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.",
      method,
      key === undefined ? 'BUCKET' : 'OBJECT',
    );
  }
  return ruleHeaders(rule, origin, headers);
}

/** Access-Control-* headers for an actual request on a bucket: those of the first matching rule, or none. */
export function responseHeaders(req: WireRequest, ctx: RequestContext): Record<string, string> | undefined {
  const { bucket } = target(req);
  if (!bucket) return undefined;
  const origin = req.headers['origin'];
  const rules = origin ? (bucketConfigs(ctx).get(`${bucket}/cors`) as S3.CORSRule[] | undefined) : undefined;
  if (!origin || !rules) return {};
  // An actual request is matched on its own method, or on the one it says it will make.
  const rule = findRule(rules, origin, req.headers['access-control-request-method'] ?? req.method, []);
  return rule ? ruleHeaders(rule, origin, []) : {};
}
