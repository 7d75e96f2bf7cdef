// Multipart uploads in progress: one record per upload (keyed "<bucket>/<uploadId>") and one per
// uploaded part (keyed "<uploadId>/<5-digit part number>"), each part's bytes in its own blob.

import type { Collection } from '../../store/store.js';
import type { RequestContext } from '../types.js';
import { noSuchUpload } from './errors.js';
import type { ChecksumAlgorithm, ContentHeaders } from './state.js';

export interface UploadRecord extends ContentHeaders {
  uploadId: string;
  bucket: string;
  key: string;
  /** ISO timestamp. */
  initiated: string;
  metadata: Record<string, string>;
  storageClass: string;
  checksumAlgorithm?: ChecksumAlgorithm;
  checksumType?: 'FULL_OBJECT' | 'COMPOSITE';
  tagging?: string;
}

export interface PartRecord {
  partNumber: number;
  etag: string;
  size: number;
  blob: string;
  lastModified: string;
  checksum?: string;
}

const SCOPE = { account: 's3', region: '' };

export function uploads(ctx: RequestContext): Collection<UploadRecord> {
  return ctx.store.collection<UploadRecord>('s3', 'uploads', SCOPE);
}

export function parts(ctx: RequestContext): Collection<PartRecord> {
  return ctx.store.collection<PartRecord>('s3', 'parts', SCOPE);
}

export const partId = (uploadId: string, partNumber: number) => `${uploadId}/${String(partNumber).padStart(5, '0')}`;

export function getUpload(ctx: RequestContext, bucket: string, key: string, uploadId: string): UploadRecord {
  const upload = uploads(ctx).get(`${bucket}/${uploadId}`);
  if (!upload || upload.key !== key) throw noSuchUpload(uploadId);
  return upload;
}

/** Forgets an upload and its parts' records; returns the part blobs, to delete once the records are gone. */
export function discardUpload(ctx: RequestContext, upload: UploadRecord): string[] {
  const blobs: string[] = [];
  for (const [id, part] of parts(ctx).list({ prefix: `${upload.uploadId}/` })) {
    parts(ctx).delete(id);
    blobs.push(part.blob);
  }
  uploads(ctx).delete(`${upload.bucket}/${upload.uploadId}`);
  return blobs;
}
