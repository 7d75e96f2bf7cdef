// UploadPartCopy: a part's bytes taken from an existing object (whole, or x-amz-copy-source-range),
// with the same source conditions as CopyObject.

import type * as S3 from '@aws-sdk/client-s3';
import type { Handler } from '../types.js';
import { blobChunks, md5Etag, writeBlob } from './body.js';
import { checksumMember } from './checksums.js';
import { parseCopySource } from './copy-object.js';
import { invalidArgument, noSuchKey, preconditionFailed } from './errors.js';
import { getUpload, type PartRecord } from './multipart-state.js';
import { storePart } from './multipart.js';
import { checkConditions } from './preconditions.js';
import { getBucket, nowIso, objectId, objects } from './state.js';

function copyRange(header: string | undefined, size: number): [number, number] | undefined {
  if (header === undefined) return undefined;
  const m = /^bytes=(\d+)-(\d+)$/.exec(header.trim());
  if (!m || Number(m[1]) > Number(m[2])) {
    throw invalidArgument(
      'The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy',
      'x-amz-copy-source-range',
      header,
    );
  }
  if (Number(m[2]) >= size) throw invalidArgument(`Range specified is not valid for source object of size: ${size}`, 'x-amz-copy-source-range', header);
  return [Number(m[1]), Number(m[2])];
}

export const uploadPartCopy: Handler<S3.UploadPartCopyRequest, S3.UploadPartCopyOutput> = async (input, ctx) => {
  getBucket(ctx, input.Bucket!);
  const upload = getUpload(ctx, input.Bucket!, input.Key!, input.UploadId!);
  const partNumber = input.PartNumber!;
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > 10000) {
    throw invalidArgument('Part number must be an integer between 1 and 10000, inclusive', 'partNumber', partNumber);
  }
  const source = parseCopySource(input.CopySource!);
  getBucket(ctx, source.bucket);
  const from = objects(ctx).get(objectId(source.bucket, source.key));
  if (!from) throw noSuchKey(source.key);
  checkConditions(
    { ifMatch: input.CopySourceIfMatch, ifNoneMatch: input.CopySourceIfNoneMatch, ifModifiedSince: input.CopySourceIfModifiedSince, ifUnmodifiedSince: input.CopySourceIfUnmodifiedSince },
    from.etag,
    from.lastModified,
    (condition) => preconditionFailed(`x-amz-copy-source-${condition}`),
    () => preconditionFailed(input.CopySourceIfNoneMatch !== undefined ? 'x-amz-copy-source-If-None-Match' : 'x-amz-copy-source-If-Modified-Since'),
  );
  const range = copyRange(input.CopySourceRange, from.size);
  const written = await writeBlob(ctx, blobChunks(ctx, [{ blob: from.blob, size: from.size, start: range?.[0], end: range?.[1] }]), upload.checksumAlgorithm);
  const checksum = written.digest?.toString('base64');
  const part: PartRecord = { partNumber, etag: md5Etag(written.md5), size: written.size, blob: written.blob, lastModified: nowIso(ctx), checksum };
  storePart(ctx, upload.uploadId, part);
  return {
    CopyPartResult: {
      ETag: part.etag,
      LastModified: new Date(part.lastModified),
      ...(checksum && upload.checksumAlgorithm ? { [checksumMember(upload.checksumAlgorithm)]: checksum } : {}),
    },
  };
};
