// Pagination as AWS does it: an opaque NextToken that names where the next page starts, and an
// error for a token that was not one of ours.

import { ServiceError } from '../../errors.js';

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

export function encodeToken(position: string): string {
  return Buffer.from(JSON.stringify({ p: position }), 'utf8').toString('base64url');
}

/** Reads a token made by encodeToken; `error` is thrown for anything else. */
export function decodeToken(token: string, error: () => ServiceError): string {
  try {
    const value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { p?: unknown };
    if (typeof value.p === 'string') return value.p;
  } catch {
    // fall through
  }
  throw error();
}

/**
 * Pages through items sorted by key: returns at most `limit` items whose key sorts after the
 * token's position, and a token when more remain.
 */
export function paginate<T>(items: T[], keyOf: (item: T) => string, limit: number, token: string | undefined, invalidToken: () => ServiceError): Page<T> {
  let start = 0;
  if (token !== undefined) {
    const after = decodeToken(token, invalidToken);
    start = items.findIndex((item) => keyOf(item) > after);
    if (start < 0) start = items.length;
  }
  const page = items.slice(start, start + limit);
  const more = start + limit < items.length;
  return { items: page, nextToken: more && page.length ? encodeToken(keyOf(page[page.length - 1]!)) : undefined };
}
