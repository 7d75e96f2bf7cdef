// ListParts and ListMultipartUploads: pages by part number, and by key then upload id.

import type * as S3 from '@aws-sdk/client-s3';
import type { Handler } from '../types.js';
import { owner } from './owner.js';
import { checksumMember } from './checksums.js';
import { invalidArgument } from './errors.js';
import { getUpload, parts, uploads, type UploadRecord } from './multipart-state.js';
import { getBucket } from './state.js';

function limit(value: number | undefined, name: string): number {
  if (value === undefined) return 1000;
  if (!Number.isInteger(value) || value < 0) throw invalidArgument(`Argument ${name} must be an integer between 0 and 2147483647`, name, value);
  return Math.min(value, 1000);
}

export const listParts: Handler<S3.ListPartsRequest, S3.ListPartsOutput> = (input, ctx) => {
  const bucket = getBucket(ctx, input.Bucket!);
  const upload = getUpload(ctx, bucket.name, input.Key!, input.UploadId!);
  const max = limit(input.MaxParts, 'max-parts');
  const marker = Number(input.PartNumberMarker ?? 0);
  const all = parts(ctx).values({ prefix: `${upload.uploadId}/` }).filter((p) => p.partNumber > marker);
  const page = all.slice(0, max);
  const truncated = all.length > page.length;
  const algorithm = upload.checksumAlgorithm;
  return {
    Bucket: bucket.name,
    Key: upload.key,
    UploadId: upload.uploadId,
    PartNumberMarker: input.PartNumberMarker,
    NextPartNumberMarker: page.length ? String(page[page.length - 1]!.partNumber) : undefined,
    MaxParts: max,
    IsTruncated: truncated,
    Parts: page.map((p) => ({
      PartNumber: p.partNumber,
      LastModified: new Date(p.lastModified),
      ETag: p.etag,
      Size: p.size,
      ...(algorithm && p.checksum ? { [checksumMember(algorithm)]: p.checksum } : {}),
    })),
    Initiator: owner(bucket.account),
    Owner: owner(bucket.account),
    StorageClass: upload.storageClass,
    ChecksumAlgorithm: algorithm,
  } as S3.ListPartsOutput;
};

export const listMultipartUploads: Handler<S3.ListMultipartUploadsRequest, S3.ListMultipartUploadsOutput> = (input, ctx) => {
  const bucket = getBucket(ctx, input.Bucket!);
  const max = limit(input.MaxUploads, 'max-uploads');
  const prefix = input.Prefix ?? '';
  const keyMarker = input.KeyMarker ?? '';
  const all = uploads(ctx)
    .values({ prefix: `${bucket.name}/` })
    .filter((u) => u.key.startsWith(prefix))
    .filter((u) => !keyMarker || u.key > keyMarker || (u.key === keyMarker && input.UploadIdMarker !== undefined && u.uploadId > input.UploadIdMarker))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.uploadId < b.uploadId ? -1 : 1));
  const shown: UploadRecord[] = [];
  const prefixes: string[] = [];
  let truncated = false;
  let last: UploadRecord | undefined;
  for (const upload of all) {
    const cut = input.Delimiter ? upload.key.indexOf(input.Delimiter, prefix.length) : -1;
    const common = cut >= 0 ? upload.key.slice(0, cut + input.Delimiter!.length) : undefined;
    if (common !== undefined && prefixes[prefixes.length - 1] === common) continue;
    if (shown.length + prefixes.length === max) {
      truncated = true;
      break;
    }
    if (common !== undefined) prefixes.push(common);
    else shown.push(upload);
    last = upload;
  }
  return {
    Bucket: bucket.name,
    KeyMarker: input.KeyMarker ?? '',
    UploadIdMarker: input.UploadIdMarker ?? '',
    NextKeyMarker: truncated && last ? last.key : undefined,
    NextUploadIdMarker: truncated && last ? last.uploadId : undefined,
    Prefix: input.Prefix,
    Delimiter: input.Delimiter,
    MaxUploads: max,
    IsTruncated: truncated,
    Uploads: shown.map((u) => ({
      UploadId: u.uploadId,
      Key: u.key,
      Initiated: new Date(u.initiated),
      StorageClass: u.storageClass,
      Owner: owner(bucket.account),
      Initiator: owner(bucket.account),
      ChecksumAlgorithm: u.checksumAlgorithm,
    })),
    CommonPrefixes: prefixes.length ? prefixes.map((p) => ({ Prefix: p })) : undefined,
  } as S3.ListMultipartUploadsOutput;
};
