// Request bodies as clients send them — plain, or `aws-chunked` (SigV4 streaming: signed chunks,
// or unsigned chunks with trailing checksum headers, the SDKs' default since 2025) — read as a
// stream straight into a blob while MD5 and any x-amz-checksum-* run over it; then Content-MD5 and
// the checksum are verified, and a body that fails is deleted before the error is answered. The
// same path takes a Buffer (internal calls). Bodies never need to fit in memory.

import type { Readable } from 'node:stream';
import { ServiceError } from '../../errors.js';
import type { RequestContext } from '../types.js';
import { checksumHeader, CHECKSUM_ALGORITHMS, hasher, isWellFormedChecksum, parseAlgorithm, type Hasher } from './checksums.js';
import { freeBody, storeBody, streamBody } from './bodies.js';
import { badDigest, invalidDigest } from './errors.js';
import type { ChecksumAlgorithm } from './state.js';

export type BodyInput = Buffer | Readable | undefined;

const incompleteBody = () => new ServiceError('IncompleteBody', 'The request body terminated unexpectedly');
const EMPTY: Buffer = Buffer.alloc(0);

export function isAwsChunked(headers: Record<string, string>): boolean {
  const sha = headers['x-amz-content-sha256'] ?? '';
  return sha.startsWith('STREAMING-') || (headers['content-encoding'] ?? '').split(',').some((e) => e.trim() === 'aws-chunked');
}

/** Content-Encoding as stored: the transport's aws-chunked is not the object's encoding. */
export function storedContentEncoding(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const rest = value.split(',').map((e) => e.trim()).filter((e) => e && e !== 'aws-chunked');
  return rest.length ? rest.join(',') : undefined;
}

async function* chunksOf(body: BodyInput): AsyncGenerator<Buffer> {
  if (body === undefined) return;
  if (Buffer.isBuffer(body)) {
    if (body.length) yield body;
    return;
  }
  for await (const chunk of body) yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
}

/** Decodes `<hex size>[;chunk-signature=...]\r\n<data>\r\n ... 0\r\n<trailers>\r\n` as it arrives. */
async function* decodeAwsChunked(source: AsyncIterator<Buffer>, trailers: Record<string, string>): AsyncGenerator<Buffer> {
  let pending: Buffer = EMPTY;
  let ended = false;
  const more = async (): Promise<boolean> => {
    if (ended) return false;
    const next = await source.next();
    if (next.done) {
      ended = true;
      return false;
    }
    pending = pending.length ? Buffer.concat([pending, next.value]) : next.value;
    return true;
  };
  const line = async (): Promise<string | undefined> => {
    for (;;) {
      const end = pending.indexOf('\r\n');
      if (end >= 0) {
        const text = pending.toString('utf8', 0, end);
        pending = pending.subarray(end + 2);
        return text;
      }
      if (pending.length > 64 * 1024) throw incompleteBody();
      if (!(await more())) {
        const rest = pending.length ? pending.toString('utf8') : undefined;
        pending = EMPTY;
        return rest;
      }
    }
  };
  for (;;) {
    const header = (await line())?.split(';')[0]!.trim();
    if (header === undefined || !/^[0-9a-fA-F]{1,16}$/.test(header)) throw incompleteBody();
    let remaining = parseInt(header, 16);
    if (remaining === 0) break;
    while (remaining > 0) {
      if (pending.length === 0 && !(await more())) throw incompleteBody();
      const take = Math.min(remaining, pending.length);
      yield pending.subarray(0, take);
      pending = pending.subarray(take);
      remaining -= take;
    }
    while (pending.length < 2) if (!(await more())) throw incompleteBody();
    if (pending[0] !== 0x0d || pending[1] !== 0x0a) throw incompleteBody();
    pending = pending.subarray(2);
  }
  for (;;) {
    const trailer = await line();
    if (trailer === undefined || trailer === '') break;
    const colon = trailer.indexOf(':');
    if (colon > 0) trailers[trailer.slice(0, colon).trim().toLowerCase()] = trailer.slice(colon + 1).trim();
  }
}

/** The checksum algorithm a request announces before its body: a header value, a trailer, or x-amz-sdk-checksum-algorithm. */
export function announcedAlgorithm(headers: Record<string, string>): ChecksumAlgorithm | undefined {
  const inHeader = CHECKSUM_ALGORITHMS.find((a) => headers[checksumHeader(a)] !== undefined);
  const trailer = headers['x-amz-trailer']?.trim().toLowerCase();
  const inTrailer = trailer ? CHECKSUM_ALGORITHMS.find((a) => checksumHeader(a) === trailer) : undefined;
  return inHeader ?? inTrailer ?? parseAlgorithm(headers['x-amz-sdk-checksum-algorithm'] ?? headers['x-amz-checksum-algorithm']);
}

export interface VerifiedChecksum {
  algorithm: ChecksumAlgorithm;
  value: string;
}

export interface StoredBody {
  blob: string;
  /** A small body left unsaved (`defer`), for the transaction that commits its record. */
  pending?: Buffer;
  size: number;
  /** Quoted MD5 hex, as S3 answers it. */
  etag: string;
  md5: Buffer;
  checksum?: VerifiedChecksum;
}

/** Streams chunks into a new body (inline or blob file) while MD5 and (optionally) a checksum run over them. */
export async function writeBlob(ctx: RequestContext, chunks: AsyncIterable<Buffer>, algorithm?: ChecksumAlgorithm, defer = false): Promise<{ blob: string; pending?: Buffer; size: number; md5: Buffer; digest?: Buffer }> {
  const md5 = hasher('MD5');
  const sum: Hasher | undefined = algorithm ? hasher(algorithm) : undefined;
  let size = 0;
  async function* measured() {
    for await (const chunk of chunks) {
      md5.update(chunk);
      sum?.update(chunk);
      size += chunk.length;
      yield chunk;
    }
  }
  let stored: { id: string; pending?: Buffer };
  try {
    stored = await storeBody(ctx, measured(), defer);
  } catch (error) {
    // A client that went away mid-body: nothing was stored.
    throw error instanceof ServiceError ? error : incompleteBody();
  }
  return { blob: stored.id, pending: stored.pending, size, md5: md5.digest(), digest: sum?.digest() };
}

/** Yields bytes [start, end] of stored blobs, one after another, without holding them. */
export async function* blobChunks(ctx: RequestContext, sources: Array<{ blob: string; size: number; start?: number; end?: number }>): AsyncGenerator<Buffer> {
  for (const source of sources) {
    if (source.size === 0 || (source.end !== undefined && source.end < (source.start ?? 0))) continue;
    const stream = streamBody(ctx, source.blob, source.start, source.end);
    if (!stream) throw new ServiceError('InternalError', 'We encountered an internal error. Please try again.', { status: 500 });
    for await (const chunk of stream) yield chunk as Buffer;
  }
}

/**
 * Receives a request body into a new blob and verifies it; on any failure the blob is gone.
 * `algorithm` is the checksum to compute when the request announces none (a multipart upload's);
 * `defer` leaves a small body unsaved (see StoredBody.pending).
 */
export async function receiveBody(ctx: RequestContext, body: BodyInput, headers: Record<string, string>, contentMd5: string | undefined, algorithm?: ChecksumAlgorithm, defer = false): Promise<StoredBody> {
  const chunked = isAwsChunked(headers);
  const trailers: Record<string, string> = {};
  const computing = announcedAlgorithm(headers) ?? algorithm;
  const source = chunked ? decodeAwsChunked(chunksOf(body)[Symbol.asyncIterator](), trailers) : chunksOf(body);
  const written = await writeBlob(ctx, source, computing, defer);
  try {
    const declared = headers['x-amz-decoded-content-length'];
    if (chunked && declared !== undefined && Number(declared) !== written.size) throw incompleteBody();
    verifyContentMd5(contentMd5, written.md5);
    const checksum = verifyChecksum(headers, trailers, computing && written.digest ? { algorithm: computing, digest: written.digest } : undefined);
    return { blob: written.blob, pending: written.pending, size: written.size, md5: written.md5, etag: `"${written.md5.toString('hex')}"`, checksum };
  } catch (error) {
    freeBody(ctx, written.blob);
    throw error;
  }
}

function verifyContentMd5(contentMd5: string | undefined, md5: Buffer): void {
  if (contentMd5 === undefined) return;
  const sent = Buffer.from(contentMd5, 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(contentMd5) || sent.length !== 16) throw invalidDigest(contentMd5);
  const calculated = md5.toString('base64');
  if (calculated !== contentMd5) throw badDigest(contentMd5, calculated);
}

/** Checks the x-amz-checksum-* value a request carried (header or trailer) against what was computed. */
function verifyChecksum(headers: Record<string, string>, trailers: Record<string, string>, computed: { algorithm: ChecksumAlgorithm; digest: Buffer } | undefined): VerifiedChecksum | undefined {
  const sent = CHECKSUM_ALGORITHMS.flatMap((algorithm) => {
    const value = trailers[checksumHeader(algorithm)] ?? headers[checksumHeader(algorithm)];
    return value === undefined ? [] : [{ algorithm, value }];
  });
  if (sent.length > 1) throw new ServiceError('InvalidRequest', 'Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.');
  const declared = parseAlgorithm(headers['x-amz-sdk-checksum-algorithm'] ?? headers['x-amz-checksum-algorithm']);
  const found = sent[0];
  const value = computed && computed.digest.toString('base64');
  if (!found) return computed ? { algorithm: computed.algorithm, value: value! } : undefined;
  if ((declared && declared !== found.algorithm) || !computed || computed.algorithm !== found.algorithm) {
    throw new ServiceError('InvalidRequest', 'Value for x-amz-sdk-checksum-algorithm header is invalid.');
  }
  if (!isWellFormedChecksum(found.algorithm, found.value)) {
    throw new ServiceError('InvalidRequest', `Value for ${checksumHeader(found.algorithm)} header is invalid.`);
  }
  if (value !== found.value) throw new ServiceError('BadDigest', `The ${found.algorithm} you specified did not match the calculated checksum.`);
  return found;
}

export function md5Etag(md5: Buffer): string {
  return `"${md5.toString('hex')}"`;
}
