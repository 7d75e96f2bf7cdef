// GetObject and HeadObject: conditional headers, byte ranges (206 with Content-Range), a part of
// a multipart object (?partNumber), and response-* header overrides.

import type * as S3 from '@aws-sdk/client-s3';
import { ServiceError } from '../../errors.js';
import type { Handler, RequestContext } from '../types.js';
import { readBody, streamBody } from './bodies.js';
import { missingObjectAttributes } from './required.js';
import { invalidArgument, invalidObjectState, noSuchKey } from './errors.js';
import { ARCHIVED_CLASSES } from './object-rules.js';
import { checksumOutput } from './object-common.js';
import { checkConditions } from './preconditions.js';
import { getBucket, objectId, objects, type ObjectRecord } from './state.js';
import { findVersion, latestDeleteMarker, noSuchVersion, versionIdOf } from './versioning.js';

type ReadInput = S3.GetObjectRequest | S3.HeadObjectRequest;

const STREAM_ABOVE = 1024 * 1024;

interface Span {
  start: number;
  end: number;
}

/** Parses "bytes=a-b", "bytes=a-" and "bytes=-n"; S3 ignores a header it cannot read. */
export function parseRange(header: string | undefined, size: number): Span | undefined {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) throw invalidRange(header, size);
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
    if (m[2] !== '' && Number(m[2]) < start) return undefined;
  }
  if (start >= size) throw invalidRange(header, size);
  return { start, end };
}

const invalidRange = (header: string, size: number) =>
  new ServiceError('InvalidRange', 'The requested range is not satisfiable', { status: 416, fields: { RangeRequested: header, ActualObjectSize: size } });

function partSpan(record: ObjectRecord, partNumber: number): Span {
  const parts = record.parts ?? [record.size];
  if (partNumber < 1 || partNumber > parts.length) {
    throw new ServiceError('InvalidPartNumber', 'The requested partnumber is not satisfiable', { status: 416, fields: { PartNumberRequested: partNumber, ActualPartCount: parts.length } });
  }
  const start = parts.slice(0, partNumber - 1).reduce((a, b) => a + b, 0);
  return { start, end: start + parts[partNumber - 1]! - 1 };
}

/**
 * The version a read names, or the current one. A delete marker answers as S3 does: 404 NoSuchKey
 * when it is the latest version, 405 MethodNotAllowed when asked for by id, both marked with
 * x-amz-delete-marker.
 */
function readVersion(ctx: RequestContext, bucket: string, key: string, versionId: string | undefined): ObjectRecord {
  if (versionId === undefined) {
    const record = objects(ctx).get(objectId(bucket, key));
    if (record) return record;
    const marker = latestDeleteMarker(ctx, bucket, key);
    const error = noSuchKey(key);
    if (marker) Object.assign(error.headers, { 'x-amz-delete-marker': 'true', 'x-amz-version-id': versionIdOf(marker) });
    throw error;
  }
  const found = findVersion(ctx, bucket, key, versionId);
  if (!found) throw noSuchVersion(key, versionId);
  if (found.record.deleteMarker) {
    throw new ServiceError('MethodNotAllowed', 'The specified method is not allowed against this resource.', {
      status: 405,
      fields: { Method: ctx.operation === 'HeadObject' ? 'HEAD' : 'GET', ResourceType: 'DeleteMarker' },
      headers: { 'x-amz-delete-marker': 'true', 'x-amz-version-id': versionId, allow: 'DELETE' },
    });
  }
  return found.record;
}

function read(input: ReadInput, ctx: RequestContext) {
  const bucket = input.Bucket!;
  const key = input.Key!;
  const { versioning } = getBucket(ctx, bucket);
  const record = readVersion(ctx, bucket, key, input.VersionId);
  checkConditions(
    { ifMatch: input.IfMatch, ifNoneMatch: input.IfNoneMatch, ifModifiedSince: input.IfModifiedSince, ifUnmodifiedSince: input.IfUnmodifiedSince },
    record.etag,
    record.lastModified,
  );
  if (input.Range !== undefined && input.PartNumber !== undefined) {
    throw invalidArgument('Cannot specify both Range header and partNumber query parameter', 'partNumber', input.PartNumber);
  }
  const span = input.PartNumber !== undefined ? partSpan(record, input.PartNumber) : parseRange(input.Range, record.size);
  const whole = !span;
  const output = {
    AcceptRanges: 'bytes',
    LastModified: new Date(record.lastModified),
    ContentLength: span ? span.end - span.start + 1 : record.size,
    ETag: record.etag,
    VersionId: record.versionId ?? (input.VersionId !== undefined || versioning ? 'null' : undefined),
    ContentType: input.ResponseContentType ?? record.ContentType ?? 'binary/octet-stream',
    ContentEncoding: input.ResponseContentEncoding ?? record.ContentEncoding,
    ContentDisposition: input.ResponseContentDisposition ?? record.ContentDisposition,
    ContentLanguage: input.ResponseContentLanguage ?? record.ContentLanguage,
    CacheControl: input.ResponseCacheControl ?? record.CacheControl,
    Expires: input.ResponseExpires ?? (record.Expires ? new Date(record.Expires) : undefined),
    Metadata: record.metadata,
    StorageClass: record.storageClass === 'STANDARD' ? undefined : record.storageClass,
    PartsCount: record.parts && input.PartNumber !== undefined ? record.parts.length : undefined,
    ContentRange: span ? `bytes ${span.start}-${span.end}/${record.size}` : undefined,
    TagCount: record.tags?.length ? record.tags.length : undefined,
    // A checksum describes the whole object: S3 returns it only for whole-object reads.
    ...(whole && input.ChecksumMode === 'ENABLED' ? checksumOutput(record.checksum) : {}),
  };
  return { record, span, output };
}

export const getObject: Handler<S3.GetObjectRequest, Record<string, unknown>> = (input, ctx) => {
  // ?attributes is GetObjectAttributes, which the router knows by its required header: without it, S3's error.
  if (ctx.query.some(([name]) => name === 'attributes')) throw missingObjectAttributes();
  const { record, span, output } = read(input, ctx);
  if (ARCHIVED_CLASSES.has(record.storageClass)) throw invalidObjectState(record.storageClass);
  const length = output.ContentLength;
  // Small bodies go out in one piece; larger ones stream from where they are stored.
  const body = length === 0 ? Buffer.alloc(0) : length <= STREAM_ABOVE ? readBody(ctx, record.blob, span?.start, span?.end) : streamBody(ctx, record.blob, span?.start, span?.end);
  if (!body) throw new ServiceError('InternalError', 'We encountered an internal error. Please try again.', { status: 500 });
  return { ...output, Body: body, StatusCode: span ? 206 : 200 };
};

export const headObject: Handler<S3.HeadObjectRequest, Record<string, unknown>> = (input, ctx) => {
  const { span, output } = read(input, ctx);
  return { ...output, StatusCode: span ? 206 : 200 };
};
