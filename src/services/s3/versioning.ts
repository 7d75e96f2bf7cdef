// Versioning: a bucket's state (never versioned, Enabled, Suspended), and the versions behind each
// key. The current version of a key stays in the objects collection (so listing and reads of the
// latest are unchanged); noncurrent versions and delete markers live in "versions", keyed
// "<bucket>/<key>\u0000<inverted sequence>" so that a key's versions list newest first.
// A record without versionId is the "null" version.

import { randomBytes } from 'node:crypto';
import type * as S3 from '@aws-sdk/client-s3';
import { ServiceError } from '../../errors.js';
import type { Collection } from '../../store/store.js';
import type { Handler, RequestContext } from '../types.js';
import { malformedXml } from './errors.js';
import { buckets, getBucket, nowIso, objectId, objects, type ObjectRecord } from './state.js';

export type VersioningStatus = 'Enabled' | 'Suspended';

export interface VersionRecord extends ObjectRecord {
  deleteMarker?: boolean;
}

export function versions(ctx: RequestContext): Collection<VersionRecord> {
  return ctx.store.collection<VersionRecord>('s3', 'versions', { account: 's3', region: '' });
}

export const versionPrefix = (bucket: string, key: string) => `${objectId(bucket, key)}\u0000`;

export function versioningOf(ctx: RequestContext, bucket: string): VersioningStatus | undefined {
  return buckets(ctx).get(bucket)?.versioning;
}

export const newVersionId = () => randomBytes(24).toString('base64url');

let lastSequence = 0;
/** Newer versions get smaller keys: the inverted, zero-padded time-ordered sequence. */
function nextSlot(ctx: RequestContext): string {
  let seq = ctx.clock.now() * 1000;
  if (seq <= lastSequence) seq = lastSequence + 1;
  lastSequence = seq;
  return String(Number.MAX_SAFE_INTEGER - seq).padStart(16, '0');
}

export const versionIdOf = (record: { versionId?: string }) => record.versionId ?? 'null';

/** Moves a version (the old current one, or a new delete marker) behind the key's current version. */
export function archive(ctx: RequestContext, bucket: string, record: VersionRecord): void {
  versions(ctx).put(`${versionPrefix(bucket, record.key)}${nextSlot(ctx)}`, record);
}

/** A key's noncurrent versions and delete markers, newest first, with their store ids. */
export function archived(ctx: RequestContext, bucket: string, key: string): Array<{ id: string; record: VersionRecord }> {
  const prefix = versionPrefix(bucket, key);
  return versions(ctx)
    .list({ prefix })
    .map(([id, record]) => ({ id, record }));
}

/** Drops an archived "null" version (Suspended buckets keep one null version per key); returns its blob. */
export function dropArchivedNull(ctx: RequestContext, bucket: string, key: string): string | undefined {
  const found = archived(ctx, bucket, key).find((v) => v.record.versionId === undefined);
  if (!found) return undefined;
  versions(ctx).delete(found.id);
  return found.record.deleteMarker ? undefined : found.record.blob;
}

/** The key's latest delete marker, when a delete marker is what the key currently is. */
export function latestDeleteMarker(ctx: RequestContext, bucket: string, key: string): VersionRecord | undefined {
  if (objects(ctx).get(objectId(bucket, key))) return undefined;
  const newest = archived(ctx, bucket, key)[0]?.record;
  return newest?.deleteMarker ? newest : undefined;
}

export const noSuchVersion = (key: string, versionId: string) =>
  new ServiceError('NoSuchVersion', 'The specified version does not exist.', { status: 404, fields: { Key: key, VersionId: versionId } });

/** One version of a key by id: the current one or an archived one. */
export function findVersion(ctx: RequestContext, bucket: string, key: string, versionId: string): { record: VersionRecord; current: boolean; id?: string } | undefined {
  const current = objects(ctx).get(objectId(bucket, key));
  if (current && versionIdOf(current) === versionId) return { record: current, current: true };
  const found = archived(ctx, bucket, key).find((v) => versionIdOf(v.record) === versionId);
  return found && { record: found.record, current: false, id: found.id };
}

export function deleteMarker(ctx: RequestContext, key: string, versionId: string | undefined): VersionRecord {
  return { key, blob: '', size: 0, etag: '', lastModified: nowIso(ctx), metadata: {}, storageClass: 'STANDARD', versionId, deleteMarker: true };
}

export const putBucketVersioning: Handler<S3.PutBucketVersioningRequest> = (input, ctx) => {
  const bucket = getBucket(ctx, input.Bucket!);
  const status = input.VersioningConfiguration?.Status;
  if (status !== 'Enabled' && status !== 'Suspended') throw malformedXml();
  // A never-versioned bucket asked to suspend stays as it is; once versioned, a bucket never goes back.
  if (status === 'Suspended' && !bucket.versioning) return {};
  buckets(ctx).put(bucket.name, { ...bucket, versioning: status });
  return {};
};

export const getBucketVersioning: Handler<S3.GetBucketVersioningRequest, S3.GetBucketVersioningOutput> = (input, ctx) => {
  const bucket = getBucket(ctx, input.Bucket!);
  return bucket.versioning ? { Status: bucket.versioning } : {};
};
