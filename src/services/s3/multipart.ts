// Multipart uploads: create, upload part, complete (ascending parts, 5 MiB minimum for all but
// the last, the "<md5 of part md5s>-N" ETag, composite or full-object checksums), abort.

import { createHash, randomBytes } from 'node:crypto';
import type * as S3 from '@aws-sdk/client-s3';
import { ServiceError } from '../../errors.js';
import type { Handler, RequestContext } from '../types.js';
import { announcedAlgorithm, blobChunks, receiveBody, storedContentEncoding, writeBlob, type BodyInput } from './body.js';
import { checksumBytes, checksumMember, parseAlgorithm } from './checksums.js';
import { invalidArgument, malformedXml } from './errors.js';
import { notify } from './events.js';
import { checkObjectWrite } from './object-rules.js';
import { checksumOutput, commitRecord, contentHeaders } from './object-common.js';
import { discardUpload, getUpload, partId, parts, uploads, type PartRecord, type UploadRecord } from './multipart-state.js';
import { getBucket, nowIso, type ObjectRecord, type StoredChecksum } from './state.js';
import { parseTaggingHeader } from './tags.js';
import { freeBody } from './bodies.js';

export const MIN_PART_SIZE = 5 * 1024 * 1024;

/** Upload ids sort by creation time, so a bucket's uploads list in the order they began. */
function newUploadId(now: number): string {
  return `${now.toString(36).padStart(9, '0')}${randomBytes(24).toString('base64url')}`;
}

export const createMultipartUpload: Handler<S3.CreateMultipartUploadRequest, S3.CreateMultipartUploadOutput & Record<string, unknown>> = (input, ctx) => {
  const bucket = input.Bucket!;
  getBucket(ctx, bucket);
  checkObjectWrite({ key: input.Key!, metadata: input.Metadata, storageClass: input.StorageClass });
  const algorithm = parseAlgorithm(input.ChecksumAlgorithm);
  const typeHeader = ctx.headers['x-amz-checksum-type']?.toUpperCase();
  const checksumType = typeHeader === 'FULL_OBJECT' || typeHeader === 'COMPOSITE' ? typeHeader : algorithm === 'CRC64NVME' ? 'FULL_OBJECT' : 'COMPOSITE';
  if (checksumType === 'FULL_OBJECT' && algorithm && algorithm.startsWith('SHA')) {
    throw new ServiceError('InvalidRequest', `The FULL_OBJECT checksum type cannot be used with the ${algorithm.toLowerCase()} checksum algorithm.`);
  }
  parseTaggingHeader(input.Tagging);
  const upload: UploadRecord = {
    uploadId: newUploadId(ctx.clock.now()),
    bucket,
    key: input.Key!,
    initiated: nowIso(ctx),
    metadata: input.Metadata ?? {},
    storageClass: input.StorageClass ?? 'STANDARD',
    ...contentHeaders(input, storedContentEncoding(input.ContentEncoding)),
    checksumAlgorithm: algorithm,
    checksumType: algorithm ? checksumType : undefined,
    tagging: input.Tagging,
  };
  uploads(ctx).put(`${bucket}/${upload.uploadId}`, upload);
  return { Bucket: bucket, Key: upload.key, UploadId: upload.uploadId, ChecksumAlgorithm: algorithm };
};

export const uploadPart: Handler<Omit<S3.UploadPartRequest, 'Body'> & { Body?: BodyInput }, S3.UploadPartOutput> = async (input, ctx) => {
  getBucket(ctx, input.Bucket!);
  const upload = getUpload(ctx, input.Bucket!, input.Key!, input.UploadId!);
  const partNumber = input.PartNumber!;
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > 10000) {
    throw invalidArgument('Part number must be an integer between 1 and 10000, inclusive', 'partNumber', partNumber);
  }
  const announced = announcedAlgorithm(ctx.headers);
  if (announced && upload.checksumAlgorithm && announced !== upload.checksumAlgorithm) {
    throw new ServiceError('InvalidRequest', `Checksum Type mismatch occurred, expected checksum Type: ${upload.checksumAlgorithm.toLowerCase()}, actual checksum Type: ${announced.toLowerCase()}`);
  }
  const body = await receiveBody(ctx, input.Body, ctx.headers, input.ContentMD5, upload.checksumAlgorithm);
  const checksum = upload.checksumAlgorithm ? body.checksum?.value : undefined;
  const part: PartRecord = { partNumber, etag: body.etag, size: body.size, blob: body.blob, lastModified: nowIso(ctx), checksum };
  storePart(ctx, upload.uploadId, part);
  return { ETag: part.etag, ...(checksum && upload.checksumAlgorithm ? { [checksumMember(upload.checksumAlgorithm)]: checksum } : {}) };
};

/** Records a part (its blob already written), replacing and freeing any earlier upload of that number. */
export function storePart(ctx: RequestContext, uploadId: string, part: PartRecord): void {
  const id = partId(uploadId, part.partNumber);
  const previous = parts(ctx).get(id);
  parts(ctx).put(id, part);
  if (previous) freeBody(ctx, previous.blob);
}

const unquote = (etag: string | undefined) => (etag ?? '').trim().replace(/^"|"$/g, '');

export const completeMultipartUpload: Handler<S3.CompleteMultipartUploadRequest, S3.CompleteMultipartUploadOutput & Record<string, unknown>> = async (input, ctx) => {
  const bucket = input.Bucket!;
  const key = input.Key!;
  getBucket(ctx, bucket);
  const upload = getUpload(ctx, bucket, key, input.UploadId!);
  const requested = input.MultipartUpload?.Parts ?? [];
  if (requested.length === 0) throw malformedXml();
  const chosen: PartRecord[] = [];
  let previousNumber = 0;
  for (const wanted of requested) {
    const number = wanted.PartNumber ?? 0;
    if (number <= previousNumber) {
      throw new ServiceError('InvalidPartOrder', 'The list of parts was not in ascending order. Parts must be ordered by part number.', { fields: { UploadId: upload.uploadId } });
    }
    previousNumber = number;
    const part = parts(ctx).get(partId(upload.uploadId, number));
    if (!part || unquote(part.etag) !== unquote(wanted.ETag)) {
      throw new ServiceError('InvalidPart', "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.", {
        fields: { UploadId: upload.uploadId, PartNumber: number, ETag: wanted.ETag ?? '' },
      });
    }
    chosen.push(part);
  }
  chosen.forEach((part, i) => {
    if (i < chosen.length - 1 && part.size < MIN_PART_SIZE) {
      throw new ServiceError('EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size', {
        fields: { ProposedSize: part.size, MinSizeAllowed: MIN_PART_SIZE, PartNumber: part.partNumber, ETag: unquote(part.etag) },
      });
    }
  });
  const md5s = Buffer.concat(chosen.map((p) => Buffer.from(unquote(p.etag), 'hex')));
  const etag = `"${createHash('md5').update(md5s).digest('hex')}-${chosen.length}"`;
  const algorithm = upload.checksumAlgorithm;
  const fullObject = algorithm !== undefined && upload.checksumType === 'FULL_OBJECT';
  // The parts' bytes stream into one new blob; a full-object checksum is computed on the way.
  const written = await writeBlob(ctx, blobChunks(ctx, chosen.map((p) => ({ blob: p.blob, size: p.size }))), fullObject ? algorithm : undefined);
  let checksum: StoredChecksum | undefined;
  if (algorithm) {
    checksum = fullObject
      ? { algorithm, value: written.digest!.toString('base64'), type: 'FULL_OBJECT' }
      : { algorithm, value: `${checksumBytes(algorithm, Buffer.concat(chosen.map((p) => Buffer.from(p.checksum ?? '', 'base64')))).toString('base64')}-${chosen.length}`, type: 'COMPOSITE' };
  }
  const { uploadId: _id, bucket: _b, initiated: _i, checksumAlgorithm: _a, checksumType: _t, tagging, ...rest } = upload;
  const tags = parseTaggingHeader(tagging);
  // The object and the end of its upload land together; bodies are freed once they have.
  let versionId: string | undefined;
  const unused = ctx.store.transaction(() => {
    const record: ObjectRecord = { ...rest, key, blob: written.blob, size: written.size, etag, lastModified: nowIso(ctx), checksum, parts: chosen.map((p) => p.size), partChecksums: checksum ? chosen.map((p) => p.checksum ?? '') : undefined, tags };
    const replaced = commitRecord(ctx, bucket, record);
    versionId = record.versionId;
    return [...discardUpload(ctx, upload), ...(replaced ? [replaced] : [])];
  });
  for (const id of unused) freeBody(ctx, id);
  notify(ctx, bucket, { eventName: 'ObjectCreated:CompleteMultipartUpload', key, size: written.size, etag, versionId });
  return { Location: `/${bucket}/${encodeURI(key)}`, Bucket: bucket, Key: key, ETag: etag, VersionId: versionId, ...checksumOutput(checksum) };
};

export const abortMultipartUpload: Handler<S3.AbortMultipartUploadRequest, S3.AbortMultipartUploadOutput> = (input, ctx) => {
  getBucket(ctx, input.Bucket!);
  const upload = getUpload(ctx, input.Bucket!, input.Key!, input.UploadId!);
  for (const id of ctx.store.transaction(() => discardUpload(ctx, upload))) freeBody(ctx, id);
  return {};
};
