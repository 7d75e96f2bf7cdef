// Presigned URLs expire on Fogbank's clock: a SigV4 URL at X-Amz-Date + X-Amz-Expires, a SigV2
// URL at its Expires (epoch seconds). S3 checks this before anything else about the request, and
// answers AccessDenied "Request has expired" with the expiry and its own time. Signatures
// themselves are not verified (nothing in Fogbank is).

import { ServiceError } from '../../errors.js';
import type { RequestContext } from '../types.js';

const WEEK_SECONDS = 604_800;

const queryError = (message: string) => new ServiceError('AuthorizationQueryParametersError', message);

/** S3's timestamps in these errors carry no milliseconds. */
const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function param(ctx: RequestContext, name: string): string | undefined {
  return ctx.query.find(([n]) => n === name)?.[1];
}

/** "20240101T000000Z" as epoch milliseconds, or undefined when it is not that form. */
function parseAmzDate(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  return Number.isNaN(ms) ? undefined : ms;
}

export function checkPresignedExpiry(ctx: RequestContext): void {
  const now = ctx.clock.now();
  const expiresIn = param(ctx, 'X-Amz-Expires');
  const amzDate = param(ctx, 'X-Amz-Date');
  if (param(ctx, 'X-Amz-Algorithm') !== undefined && expiresIn !== undefined && amzDate !== undefined) {
    if (!/^-?\d+$/.test(expiresIn)) throw queryError('X-Amz-Expires should be a number');
    const seconds = Number(expiresIn);
    if (seconds < 0) throw queryError('X-Amz-Expires must be non-negative');
    if (seconds > WEEK_SECONDS) {
      throw queryError('X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds');
    }
    const signedAt = parseAmzDate(amzDate);
    if (signedAt === undefined) throw queryError('X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd\'T\'HHmmss\'Z\'"');
    const expires = signedAt + seconds * 1000;
    if (now > expires) throw expired({ 'X-Amz-Expires': expiresIn, Expires: isoSeconds(expires), ServerTime: isoSeconds(now) });
    return;
  }
  const legacyExpires = param(ctx, 'Expires');
  if (legacyExpires !== undefined && param(ctx, 'AWSAccessKeyId') !== undefined && param(ctx, 'Signature') !== undefined && /^\d+$/.test(legacyExpires)) {
    const expires = Number(legacyExpires) * 1000;
    if (now > expires) throw expired({ Expires: isoSeconds(expires), ServerTime: isoSeconds(now) });
  }
}

const expired = (fields: Record<string, string>) => new ServiceError('AccessDenied', 'Request has expired', { status: 403, fields });
