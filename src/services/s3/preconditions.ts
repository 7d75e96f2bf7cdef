// Conditional reads as S3 evaluates them (RFC 7232 with S3's precedence): If-Match and
// If-Unmodified-Since fail with 412; If-None-Match and If-Modified-Since answer 304. A true
// If-Match overrides a false If-Unmodified-Since; a false If-None-Match overrides If-Modified-Since.

import { notModified, preconditionFailed } from './errors.js';

export interface Conditions {
  ifMatch?: string;
  ifNoneMatch?: string;
  ifModifiedSince?: Date;
  ifUnmodifiedSince?: Date;
}

const unquote = (etag: string) => etag.trim().replace(/^W\//, '').replace(/^"|"$/g, '');

export function etagMatches(header: string, etag: string): boolean {
  return header.split(',').some((candidate) => candidate.trim() === '*' || unquote(candidate) === unquote(etag));
}

/** HTTP dates carry whole seconds: compare the object's time at that precision. */
const seconds = (ms: number) => Math.floor(ms / 1000);

export function checkConditions(c: Conditions, etag: string, lastModifiedIso: string, failed = preconditionFailed, unchanged = notModified): void {
  const modified = seconds(Date.parse(lastModifiedIso));
  if (c.ifMatch !== undefined) {
    if (!etagMatches(c.ifMatch, etag)) throw failed('If-Match');
  } else if (c.ifUnmodifiedSince && modified > seconds(c.ifUnmodifiedSince.getTime())) {
    throw failed('If-Unmodified-Since');
  }
  if (c.ifNoneMatch !== undefined) {
    if (etagMatches(c.ifNoneMatch, etag)) throw unchanged();
  } else if (c.ifModifiedSince && modified <= seconds(c.ifModifiedSince.getTime())) {
    throw unchanged();
  }
}
