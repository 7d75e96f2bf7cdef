// Limits S3 checks on every object write: key length, user-metadata size, storage class.

import { ServiceError } from '../../errors.js';

const MAX_KEY_BYTES = 1024;
const MAX_METADATA_BYTES = 2048;
const STORAGE_CLASSES = new Set([
  'STANDARD', 'REDUCED_REDUNDANCY', 'STANDARD_IA', 'ONEZONE_IA', 'INTELLIGENT_TIERING', 'GLACIER', 'DEEP_ARCHIVE', 'GLACIER_IR', 'OUTPOSTS', 'SNOW', 'EXPRESS_ONEZONE',
]);
/** Archived objects need a restore before S3 serves their bytes. */
export const ARCHIVED_CLASSES = new Set(['GLACIER', 'DEEP_ARCHIVE']);

export interface WriteRules {
  key: string;
  metadata?: Record<string, string>;
  storageClass?: string;
}

export function checkObjectWrite({ key, metadata, storageClass }: WriteRules): void {
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) {
    throw new ServiceError('KeyTooLongError', 'Your key is too long', { fields: { Size: Buffer.byteLength(key), MaxSizeAllowed: MAX_KEY_BYTES } });
  }
  // S3 counts each user-defined name and value, as UTF-8, without the x-amz-meta- prefix.
  const size = Object.entries(metadata ?? {}).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
  if (size > MAX_METADATA_BYTES) {
    throw new ServiceError('MetadataTooLarge', 'Your metadata headers exceed the maximum allowed metadata size', { fields: { Size: size, MaxSizeAllowed: MAX_METADATA_BYTES } });
  }
  if (storageClass !== undefined && !STORAGE_CLASSES.has(storageClass)) {
    throw new ServiceError('InvalidStorageClass', 'The storage class you specified is not valid', { fields: { StorageClassRequested: storageClass } });
  }
}
