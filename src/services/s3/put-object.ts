// PutObject: checks that need no body come first (bucket, key, tags, conditional writes), then
// the body streams into a blob (plain or aws-chunked) with Content-MD5 and x-amz-checksum-*
// verified, and only then does the record naming it land.

import type * as S3 from '@aws-sdk/client-s3';
import type { Handler, RequestContext } from '../types.js';
import { receiveBody, storedContentEncoding, type BodyInput } from './body.js';
import { noSuchKey, preconditionFailed } from './errors.js';
import { checksumOutput, commitObject, contentHeaders } from './object-common.js';
import { checkObjectWrite } from './object-rules.js';
import { notify } from './events.js';
import { etagMatches } from './preconditions.js';
import { getBucket, nowIso, objectId, objects } from './state.js';
import { parseTaggingHeader } from './tags.js';
import { freeBody } from './bodies.js';

export const putObject: Handler<Omit<S3.PutObjectRequest, 'Body'> & { Body?: BodyInput }, S3.PutObjectOutput> = async (input, ctx) => {
  const bucket = input.Bucket!;
  const key = input.Key!;
  getBucket(ctx, bucket);
  checkObjectWrite({ key, metadata: input.Metadata, storageClass: input.StorageClass });
  const tags = parseTaggingHeader(input.Tagging);
  // If-Match on writes is newer than the model the codec reads: take it from the headers.
  const ifMatch = ctx.headers['if-match'];
  checkWritePreconditions(ctx, bucket, key, ifMatch, input.IfNoneMatch);
  const body = await receiveBody(ctx, input.Body, ctx.headers, input.ContentMD5, undefined, true);
  try {
    // The key may have been written while the body streamed.
    checkWritePreconditions(ctx, bucket, key, ifMatch, input.IfNoneMatch);
  } catch (error) {
    freeBody(ctx, body.blob);
    throw error;
  }
  const record = {
    key,
    blob: body.blob,
    size: body.size,
    etag: body.etag,
    lastModified: nowIso(ctx),
    metadata: input.Metadata ?? {},
    storageClass: input.StorageClass ?? 'STANDARD',
    ...contentHeaders(input, storedContentEncoding(input.ContentEncoding)),
    checksum: body.checksum && { ...body.checksum, type: 'FULL_OBJECT' as const },
    tags,
  };
  commitObject(ctx, bucket, record, body.pending);
  const versionId = (record as { versionId?: string }).versionId;
  notify(ctx, bucket, { eventName: 'ObjectCreated:Put', key, size: record.size, etag: record.etag, versionId });
  return { ETag: record.etag, VersionId: versionId, ...checksumOutput(record.checksum) };
};

/** Conditional writes: If-None-Match: * refuses to overwrite, If-Match requires the current ETag. */
export function checkWritePreconditions(ctx: RequestContext, bucket: string, key: string, ifMatch: string | undefined, ifNoneMatch: string | undefined): void {
  if (ifMatch === undefined && ifNoneMatch === undefined) return;
  const existing = objects(ctx).get(objectId(bucket, key));
  if (ifNoneMatch !== undefined && existing) throw preconditionFailed('If-None-Match');
  if (ifMatch !== undefined) {
    if (!existing) throw noSuchKey(key);
    if (!etagMatches(ifMatch, existing.etag)) throw preconditionFailed('If-Match');
  }
}
