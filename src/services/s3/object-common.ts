// What PutObject, CopyObject and CompleteMultipartUpload share: the content headers S3 keeps,
// the commit of a new version of a key (its blob already written), and the object's checksum
// members for responses.

import type { RequestContext } from '../types.js';
import { checksumMember } from './checksums.js';
import { objectId, objects, type ContentHeaders, type ObjectRecord, type StoredChecksum } from './state.js';
import { archive, archived, deleteMarker, dropArchivedNull, findVersion, newVersionId, versionIdOf, versioningOf, versions } from './versioning.js';
import { freeBody, isInline, saveBody } from './bodies.js';

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

/**
 * Commits an object record whose blob is already written, as the key's new current version (its
 * versionId set by the bucket's versioning); returns the blob it replaced (delete it after any
 * transaction). In a versioned bucket the previous version is kept, unless both are "null".
 */
export function commitRecord(ctx: RequestContext, bucket: string, record: ObjectRecord): string | undefined {
  const status = versioningOf(ctx, bucket);
  const id = objectId(bucket, record.key);
  const previous = objects(ctx).get(id);
  record.versionId = status === 'Enabled' ? newVersionId() : undefined;
  objects(ctx).put(id, record);
  const replacesNull = status === undefined || (status === 'Suspended' && previous !== undefined && previous.versionId === undefined);
  if (replacesNull) return previous && previous.blob !== record.blob ? previous.blob : undefined;
  if (previous) archive(ctx, bucket, previous);
  return status === 'Suspended' ? dropArchivedNull(ctx, bucket, record.key) : undefined;
}

/**
 * Commits a new current version in one transaction with its small body (when still `pending`) and
 * the freeing of an inline body it replaces; a replaced blob file is deleted once that has landed.
 */
export function commitObject(ctx: RequestContext, bucket: string, record: ObjectRecord, pending?: Buffer): void {
  const replaced = ctx.store.transaction(() => {
    if (pending) saveBody(ctx, record.blob, pending);
    const replaced = commitRecord(ctx, bucket, record);
    if (replaced && isInline(replaced)) {
      freeBody(ctx, replaced);
      return undefined;
    }
    return replaced;
  });
  freeBody(ctx, replaced);
}

/** ChecksumCRC32: "...", ChecksumType: "FULL_OBJECT" — the members every write and read answers. */
export function checksumOutput(checksum: StoredChecksum | undefined): Record<string, string> {
  if (!checksum) return {};
  return { [checksumMember(checksum.algorithm)]: checksum.value, ChecksumType: checksum.type };
}

export interface DeleteOutcome {
  /** Whether anything changed (a version removed or a delete marker added). */
  deleted: boolean;
  versionId?: string;
  deleteMarker?: boolean;
}

/**
 * DeleteObject's effect on one key. Unversioned: the object goes. With a version id: that version
 * goes for good (the newest remaining version becomes current). Versioned without one: the current
 * version is kept behind a new delete marker (a "null" marker when suspended).
 */
export function deleteObjectRecord(ctx: RequestContext, bucket: string, key: string, versionId?: string): DeleteOutcome {
  const id = objectId(bucket, key);
  const status = versioningOf(ctx, bucket);
  const previous = objects(ctx).get(id);
  if (versionId !== undefined) {
    const found = findVersion(ctx, bucket, key, versionId);
    if (!found) return { deleted: false, versionId };
    if (found.current) objects(ctx).delete(id);
    else versions(ctx).delete(found.id!);
    // With no current version left, the newest remaining one becomes current unless it is a delete marker.
    const next = objects(ctx).get(id) ? undefined : archived(ctx, bucket, key)[0];
    if (next && !next.record.deleteMarker) {
      versions(ctx).delete(next.id);
      objects(ctx).put(id, next.record);
    }
    if (!found.record.deleteMarker) freeBody(ctx, found.record.blob);
    return { deleted: true, versionId, deleteMarker: found.record.deleteMarker ? true : undefined };
  }
  if (status === undefined) {
    if (!previous) return { deleted: false };
    objects(ctx).delete(id);
    freeBody(ctx, previous.blob);
    return { deleted: true };
  }
  let freed: string | undefined;
  if (previous) {
    objects(ctx).delete(id);
    if (status === 'Suspended' && previous.versionId === undefined) freed = previous.blob;
    else archive(ctx, bucket, previous);
  }
  if (status === 'Suspended') freed = dropArchivedNull(ctx, bucket, key) ?? freed;
  const marker = deleteMarker(ctx, key, status === 'Enabled' ? newVersionId() : undefined);
  archive(ctx, bucket, marker);
  if (freed) freeBody(ctx, freed);
  return { deleted: true, versionId: versionIdOf(marker), deleteMarker: true };
}
