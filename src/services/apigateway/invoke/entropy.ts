// Random ids for every invoke-URL request, from random bytes drawn in blocks: a crypto call per
// request cost more than the rest of making the id.

import { randomBytes } from 'node:crypto';

let pool = Buffer.alloc(0);
let at = 0;

/** `bytes` random bytes as base64url text (no padding). */
export function randomBase64url(bytes: number): string {
  if (at + bytes > pool.length) {
    pool = randomBytes(Math.max(2048, bytes));
    at = 0;
  }
  at += bytes;
  return pool.toString('base64url', at - bytes, at);
}
