// CopyObject: source named by x-amz-copy-source ("bucket/key", URL-encoded, optionally
// "?versionId="), conditional copy on the source, and the metadata and tagging directives.

import type * as S3 from '@aws-sdk/client-s3';
import { ServiceError } from '../../errors.js';
import type { Handler, RequestContext } from '../types.js';
import { findVersion, noSuchVersion } from './versioning.js';
import { blobChunks, md5Etag, writeBlob } from './body.js';
import { parseAlgorithm } from './checksums.js';
import { invalidArgument, invalidObjectState, noSuchKey, preconditionFailed } from './errors.js';
import { checksumOutput, commitObject, contentHeaders } from './object-common.js';
import { ARCHIVED_CLASSES, checkObjectWrite } from './object-rules.js';
import { notify } from './events.js';
import { checkConditions } from './preconditions.js';
import { getBucket, nowIso, objectId, objects, type ContentHeaders, type ObjectRecord } from './state.js';
import { parseTaggingHeader } from './tags.js';

export function parseCopySource(header: string): { bucket: string; key: string; versionId?: string } {
  const [path, query = ''] = header.split('?', 2) as [string, string?];
  let decoded: string;
  try {
    decoded = decodeURIComponent(path.replace(/^\//, ''));
  } catch {
    throw invalidArgument('Invalid copy source encoding', 'x-amz-copy-source', header);
  }
  const slash = decoded.indexOf('/');
  if (slash <= 0 || slash === decoded.length - 1) throw invalidArgument('Invalid copy source object key', 'x-amz-copy-source', header);
  const versionId = new URLSearchParams(query).get('versionId') ?? undefined;
  return { bucket: decoded.slice(0, slash), key: decoded.slice(slash + 1), versionId };
}

const copyFailed = (condition: string) => () => preconditionFailed(`x-amz-copy-source-${condition}`);

export const copyObject: Handler<S3.CopyObjectRequest, S3.CopyObjectOutput> = async (input, ctx) => {
  const bucket = input.Bucket!;
  const key = input.Key!;
  getBucket(ctx, bucket);
  checkObjectWrite({ key, metadata: input.Metadata, storageClass: input.StorageClass });
  const source = parseCopySource(input.CopySource!);
  getBucket(ctx, source.bucket);
  const from = copySource(ctx, source.bucket, source.key, source.versionId);
  if (ARCHIVED_CLASSES.has(from.storageClass)) throw invalidObjectState(from.storageClass);
  checkConditions(
    { ifMatch: input.CopySourceIfMatch, ifNoneMatch: input.CopySourceIfNoneMatch, ifModifiedSince: input.CopySourceIfModifiedSince, ifUnmodifiedSince: input.CopySourceIfUnmodifiedSince },
    from.etag,
    from.lastModified,
    (condition) => copyFailed(condition)(),
    copyFailed(input.CopySourceIfNoneMatch !== undefined ? 'If-None-Match' : 'If-Modified-Since'),
  );
  const replaceMetadata = input.MetadataDirective === 'REPLACE';
  const storageClass = input.StorageClass ?? 'STANDARD';
  if (source.bucket === bucket && source.key === key && !replaceMetadata && input.StorageClass === undefined && input.ChecksumAlgorithm === undefined) {
    throw new ServiceError(
      'InvalidRequest',
      "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
    );
  }
  const headers: ContentHeaders = replaceMetadata ? contentHeaders(input, input.ContentEncoding) : pickContentHeaders(from);
  const algorithm = parseAlgorithm(input.ChecksumAlgorithm) ?? from.checksum?.algorithm;
  const written = await writeBlob(ctx, blobChunks(ctx, [{ blob: from.blob, size: from.size }]), algorithm);
  const record: ObjectRecord = {
    key,
    blob: written.blob,
    size: written.size,
    // A copy is a single-part object: its ETag is the body's MD5 even when the source was multipart.
    etag: md5Etag(written.md5),
    lastModified: nowIso(ctx),
    metadata: replaceMetadata ? (input.Metadata ?? {}) : from.metadata,
    storageClass,
    ...headers,
    checksum: algorithm ? { algorithm, value: written.digest!.toString('base64'), type: 'FULL_OBJECT' } : undefined,
    tags: input.TaggingDirective === 'REPLACE' ? parseTaggingHeader(input.Tagging) : from.tags,
  };
  commitObject(ctx, bucket, record);
  notify(ctx, bucket, { eventName: 'ObjectCreated:Copy', key, size: record.size, etag: record.etag, versionId: record.versionId });
  const { ChecksumType: _type, ...checksums } = checksumOutput(record.checksum);
  return { VersionId: record.versionId, CopySourceVersionId: source.versionId ?? from.versionId, CopyObjectResult: { ETag: record.etag, LastModified: new Date(record.lastModified), ...checksums } };
};

/** The source version: the current one, or the one x-amz-copy-source names (a delete marker cannot be copied). */
function copySource(ctx: RequestContext, bucket: string, key: string, versionId: string | undefined): ObjectRecord {
  if (versionId === undefined) {
    const current = objects(ctx).get(objectId(bucket, key));
    if (!current) throw noSuchKey(key);
    return current;
  }
  const found = findVersion(ctx, bucket, key, versionId);
  if (!found) throw noSuchVersion(key, versionId);
  if (found.record.deleteMarker) throw new ServiceError('InvalidRequest', 'The source of a copy request may not specifically refer to a delete marker by version id.');
  return found.record;
}

function pickContentHeaders(from: ObjectRecord): ContentHeaders {
  const { ContentType, ContentEncoding, ContentDisposition, ContentLanguage, CacheControl, Expires } = from;
  return { ContentType, ContentEncoding, ContentDisposition, ContentLanguage, CacheControl, Expires };
}
