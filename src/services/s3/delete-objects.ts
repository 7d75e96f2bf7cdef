// DeleteObject (204 whether or not the key existed) and DeleteObjects (up to 1,000 keys, with
// Quiet mode reporting only errors).

import type * as S3 from '@aws-sdk/client-s3';
import type { Handler } from '../types.js';
import { malformedXml } from './errors.js';
import { deleteObjectRecord } from './object-common.js';
import { getBucket } from './state.js';

export const deleteObject: Handler<S3.DeleteObjectRequest, S3.DeleteObjectOutput> = (input, ctx) => {
  getBucket(ctx, input.Bucket!);
  deleteObjectRecord(ctx, input.Bucket!, input.Key!);
  return {};
};

export const deleteObjects: Handler<S3.DeleteObjectsRequest, S3.DeleteObjectsOutput> = (input, ctx) => {
  const bucket = input.Bucket!;
  getBucket(ctx, bucket);
  const entries = input.Delete?.Objects ?? [];
  if (entries.length === 0 || entries.length > 1000) throw malformedXml();
  const deleted: S3.DeletedObject[] = [];
  // Each key is deleted on its own, as S3 does: one failure does not undo the others.
  for (const entry of entries) {
    deleteObjectRecord(ctx, bucket, entry.Key!);
    deleted.push({ Key: entry.Key, VersionId: entry.VersionId });
  }
  return { Deleted: input.Delete?.Quiet ? undefined : deleted };
};
