// S3's records. Bucket names are one namespace across every account and region, so buckets,
// objects and uploads live in store-wide collections (not the caller's scope); each bucket
// remembers its owner account and region. Object bodies are blobs named by the object record.

import type { Tag } from '../common/tags.js';
import type { RequestContext } from '../types.js';
import type { Collection } from '../../store/store.js';
import { noSuchBucket } from './errors.js';

export interface BucketRecord {
  name: string;
  account: string;
  region: string;
  /** ISO timestamp. */
  created: string;
  tags?: Tag[];
  /** Set once versioning has been enabled; never-versioned buckets have none. */
  versioning?: 'Enabled' | 'Suspended';
}

/** The content headers S3 stores with an object and returns on GET and HEAD. */
export interface ContentHeaders {
  ContentType?: string;
  ContentEncoding?: string;
  ContentDisposition?: string;
  ContentLanguage?: string;
  CacheControl?: string;
  /** RFC 822 text, as sent. */
  Expires?: string;
}

export type ChecksumAlgorithm = 'CRC32' | 'CRC32C' | 'CRC64NVME' | 'SHA1' | 'SHA256';

export interface StoredChecksum {
  algorithm: ChecksumAlgorithm;
  /** Base64; for multipart objects the composite "<base64>-<parts>". */
  value: string;
  type: 'FULL_OBJECT' | 'COMPOSITE';
}

export interface ObjectRecord extends ContentHeaders {
  key: string;
  blob: string;
  size: number;
  /** Quoted, as S3 returns it. */
  etag: string;
  /** ISO timestamp. */
  lastModified: string;
  metadata: Record<string, string>;
  storageClass: string;
  checksum?: StoredChecksum;
  /** Part sizes, for objects made by multipart upload. */
  parts?: number[];
  /** Each part's checksum (base64), for multipart objects uploaded with a checksum algorithm. */
  partChecksums?: string[];
  tags?: Tag[];
  /** Absent for the "null" version (objects written while a bucket is unversioned or suspended). */
  versionId?: string;
}

const SCOPE = { account: 's3', region: '' };

export function buckets(ctx: RequestContext): Collection<BucketRecord> {
  return ctx.store.collection<BucketRecord>('s3', 'buckets', SCOPE);
}

/** Objects keyed "<bucket>/<key>": bucket names hold no slash, so a bucket's keys share one prefix and sort in S3's (UTF-8 byte) order. */
export function objects(ctx: RequestContext): Collection<ObjectRecord> {
  return ctx.store.collection<ObjectRecord>('s3', 'objects', SCOPE);
}

export const objectId = (bucket: string, key: string) => `${bucket}/${key}`;

export function getBucket(ctx: RequestContext, name: string): BucketRecord {
  const bucket = buckets(ctx).get(name);
  if (!bucket) throw noSuchBucket(name);
  return bucket;
}

/** ISO timestamps to S3's millisecond precision; HTTP dates drop the milliseconds. */
export function nowIso(ctx: RequestContext): string {
  return new Date(ctx.clock.now()).toISOString();
}
