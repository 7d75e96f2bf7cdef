// DeleteObject (204 whether or not the key existed) and DeleteObjects (up to 1,000 keys, with
// Quiet mode reporting only errors).

import type * as S3 from '@aws-sdk/client-s3';
import type { Handler, RequestContext } from '../types.js';
import { malformedXml } from './errors.js';
import { deleteObjectRecord, type DeleteOutcome } from './object-common.js';
import { notify } from './events.js';
import { getBucket } from './state.js';

export const deleteObject: Handler<S3.DeleteObjectRequest, S3.DeleteObjectOutput> = (input, ctx) => {
  getBucket(ctx, input.Bucket!);
  const outcome = deleteObjectRecord(ctx, input.Bucket!, input.Key!, input.VersionId);
  announce(ctx, input.Bucket!, input.Key!, outcome, input.VersionId);
  return { DeleteMarker: outcome.deleteMarker, VersionId: outcome.deleted ? outcome.versionId : undefined };
};

function announce(ctx: RequestContext, bucket: string, key: string, outcome: DeleteOutcome, requestedVersion: string | undefined): void {
  if (!outcome.deleted) return;
  const markerCreated = outcome.deleteMarker && requestedVersion === undefined;
  notify(ctx, bucket, { eventName: markerCreated ? 'ObjectRemoved:DeleteMarkerCreated' : 'ObjectRemoved:Delete', key, versionId: outcome.versionId });
}

export const deleteObjects: Handler<S3.DeleteObjectsRequest, S3.DeleteObjectsOutput> = (input, ctx) => {
  const bucket = input.Bucket!;
  getBucket(ctx, bucket);
  const entries = input.Delete?.Objects ?? [];
  if (entries.length === 0 || entries.length > 1000) throw malformedXml();
  const deleted: S3.DeletedObject[] = [];
  // Each key is deleted on its own, as S3 does: one failure does not undo the others.
  for (const entry of entries) {
    const outcome = deleteObjectRecord(ctx, bucket, entry.Key!, entry.VersionId);
    announce(ctx, bucket, entry.Key!, outcome, entry.VersionId);
    const marker = outcome.deleteMarker ? { DeleteMarker: true, DeleteMarkerVersionId: outcome.versionId } : {};
    deleted.push({ Key: entry.Key, VersionId: entry.VersionId, ...marker });
  }
  return { Deleted: input.Delete?.Quiet ? undefined : deleted };
};
