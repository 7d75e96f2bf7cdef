// What PutObject, CopyObject and CompleteMultipartUpload share: the content headers S3 keeps,
// the commit of a new version of a key (its blob already written), and the object's checksum
// members for responses.

import type { RequestContext } from '../types.js';
import { checksumMember } from './checksums.js';
import { objectId, objects, type ContentHeaders, type ObjectRecord, type StoredChecksum } from './state.js';

export interface ContentHeaderInput {
  ContentType?: string;
  ContentEncoding?: string;
  ContentDisposition?: string;
  ContentLanguage?: string;
  CacheControl?: string;
  Expires?: Date;
}

/** `contentEncoding` is passed apart: the transport's aws-chunked has already been taken out of it. */
export function contentHeaders(input: ContentHeaderInput, contentEncoding: string | undefined): ContentHeaders {
  return {
    ContentType: input.ContentType,
    ContentEncoding: contentEncoding,
    ContentDisposition: input.ContentDisposition,
    ContentLanguage: input.ContentLanguage,
    CacheControl: input.CacheControl,
    Expires: input.Expires?.toUTCString(),
  };
}

/** Commits an object record whose blob is already written; returns the blob it replaced (delete it after any transaction). */
export function commitRecord(ctx: RequestContext, bucket: string, record: ObjectRecord): string | undefined {
  const id = objectId(bucket, record.key);
  const previous = objects(ctx).get(id);
  objects(ctx).put(id, record);
  return previous && previous.blob !== record.blob ? previous.blob : undefined;
}

export function commitObject(ctx: RequestContext, bucket: string, record: ObjectRecord): void {
  const replaced = commitRecord(ctx, bucket, record);
  if (replaced) ctx.store.blobs.delete(replaced);
}

/** ChecksumCRC32: "...", ChecksumType: "FULL_OBJECT" — the members every write and read answers. */
export function checksumOutput(checksum: StoredChecksum | undefined): Record<string, string> {
  if (!checksum) return {};
  return { [checksumMember(checksum.algorithm)]: checksum.value, ChecksumType: checksum.type };
}

export function deleteObjectRecord(ctx: RequestContext, bucket: string, key: string): boolean {
  const id = objectId(bucket, key);
  const previous = objects(ctx).get(id);
  if (!previous) return false;
  objects(ctx).delete(id);
  ctx.store.blobs.delete(previous.blob);
  return true;
}
