// ListObjectsV2 and ListObjects: keys in UTF-8 byte order (the store's order), prefix,
// delimiter rolling keys up into CommonPrefixes (each counts toward max-keys), start-after,
// continuation tokens and markers, and encoding-type=url.

import type * as S3 from '@aws-sdk/client-s3';
import { ServiceError } from '../../errors.js';
import type { Handler, RequestContext } from '../types.js';
import { owner } from './owner.js';
import { invalidArgument } from './errors.js';
import { getBucket, objects, type ObjectRecord } from './state.js';

interface Page {
  contents: ObjectRecord[];
  prefixes: string[];
  truncated: boolean;
  /** The last key or common prefix on this page. */
  last?: string;
}

const MAX_KEYS = 1000;

export function listPage(ctx: RequestContext, bucket: string, prefix: string, delimiter: string | undefined, after: string | undefined, maxKeys: number): Page {
  const page: Page = { contents: [], prefixes: [], truncated: false };
  if (maxKeys === 0) return page;
  const base = `${bucket}/`;
  let skipPrefix: string | undefined;
  // A position that is itself a common prefix means every key under it was already listed.
  if (after !== undefined && delimiter && after.startsWith(prefix)) {
    const cut = after.indexOf(delimiter, prefix.length);
    if (cut >= 0 && cut + delimiter.length === after.length) skipPrefix = after;
  }
  for (const [, record] of objects(ctx).iterate({ prefix: base + prefix, after: after === undefined ? undefined : base + after })) {
    const key = record.key;
    if (skipPrefix !== undefined && key.startsWith(skipPrefix)) continue;
    const cut = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
    const item = cut >= 0 ? key.slice(0, cut + delimiter!.length) : key;
    if (cut >= 0 && item === page.prefixes[page.prefixes.length - 1]) continue;
    if (page.contents.length + page.prefixes.length === maxKeys) {
      page.truncated = true;
      break;
    }
    if (cut >= 0) {
      page.prefixes.push(item);
      skipPrefix = item;
    } else page.contents.push(record);
    page.last = item;
  }
  return page;
}

export function checkMaxKeys(value: number | undefined): number {
  if (value === undefined) return MAX_KEYS;
  if (!Number.isInteger(value) || value < 0) throw invalidArgument('Argument maxKeys must be an integer between 0 and 2147483647', 'maxKeys', value);
  return Math.min(value, MAX_KEYS);
}

export function encoder(encodingType: string | undefined): (s: string | undefined) => string | undefined {
  if (encodingType === undefined) return (s) => s;
  if (encodingType !== 'url') throw invalidArgument('Invalid Encoding Method specified in Request', 'encoding-type', encodingType);
  // S3 percent-encodes as a form would, leaving "/" readable.
  return (s) => (s === undefined ? undefined : encodeURIComponent(s).replace(/%2F/g, '/').replace(/%20/g, '+').replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`));
}

function entry(record: ObjectRecord, encode: (s: string) => string | undefined, withOwner: boolean, account: string): S3._Object {
  return {
    Key: encode(record.key),
    LastModified: new Date(record.lastModified),
    ETag: record.etag,
    ChecksumAlgorithm: record.checksum ? [record.checksum.algorithm] : undefined,
    Size: record.size,
    StorageClass: record.storageClass,
    Owner: withOwner ? owner(account) : undefined,
  } as S3._Object;
}

const tokenOf = (position: string) => Buffer.from(position, 'utf8').toString('base64');

function positionOf(token: string): string {
  const text = Buffer.from(token, 'base64').toString('utf8');
  if (!token || tokenOf(text) !== token) {
    throw new ServiceError('InvalidArgument', 'The continuation token provided is incorrect', { fields: { ArgumentName: 'continuation-token', ArgumentValue: token } });
  }
  return text;
}

export const listObjectsV2: Handler<S3.ListObjectsV2Request, S3.ListObjectsV2Output> = (input, ctx) => {
  const bucket = getBucket(ctx, input.Bucket!);
  const maxKeys = checkMaxKeys(input.MaxKeys);
  const encode = encoder(input.EncodingType);
  const prefix = input.Prefix ?? '';
  const fromToken = input.ContinuationToken !== undefined ? positionOf(input.ContinuationToken) : undefined;
  const startAfter = input.StartAfter !== undefined && input.StartAfter !== '' ? input.StartAfter : undefined;
  const after = fromToken ?? startAfter;
  const page = listPage(ctx, bucket.name, prefix, input.Delimiter || undefined, after, maxKeys);
  return {
    IsTruncated: page.truncated,
    Contents: page.contents.length ? page.contents.map((r) => entry(r, (s) => encode(s)!, input.FetchOwner === true, bucket.account)) : undefined,
    Name: bucket.name,
    Prefix: encode(prefix),
    Delimiter: encode(input.Delimiter),
    MaxKeys: maxKeys,
    CommonPrefixes: page.prefixes.length ? page.prefixes.map((p) => ({ Prefix: encode(p) })) : undefined,
    EncodingType: input.EncodingType,
    KeyCount: page.contents.length + page.prefixes.length,
    ContinuationToken: input.ContinuationToken,
    NextContinuationToken: page.truncated && page.last !== undefined ? tokenOf(page.last) : undefined,
    StartAfter: encode(input.StartAfter),
  };
};

export const listObjects: Handler<S3.ListObjectsRequest, S3.ListObjectsOutput> = (input, ctx) => {
  const bucket = getBucket(ctx, input.Bucket!);
  const maxKeys = checkMaxKeys(input.MaxKeys);
  const encode = encoder(input.EncodingType);
  const prefix = input.Prefix ?? '';
  const page = listPage(ctx, bucket.name, prefix, input.Delimiter || undefined, input.Marker || undefined, maxKeys);
  return {
    IsTruncated: page.truncated,
    Marker: encode(input.Marker ?? ''),
    // S3 sends NextMarker only with a delimiter; clients otherwise resume from the last key.
    NextMarker: page.truncated && input.Delimiter ? encode(page.last) : undefined,
    Contents: page.contents.length ? page.contents.map((r) => entry(r, (s) => encode(s)!, true, bucket.account)) : undefined,
    Name: bucket.name,
    Prefix: encode(prefix),
    Delimiter: encode(input.Delimiter),
    MaxKeys: maxKeys,
    CommonPrefixes: page.prefixes.length ? page.prefixes.map((p) => ({ Prefix: encode(p) })) : undefined,
    EncodingType: input.EncodingType,
  };
};
