// ListObjectVersions for buckets that have never been versioned (list-versioned.ts lists the others): each
// object is its one version, "null", and the latest. Paging follows S3's key-marker and
// version-id-marker.

import type * as S3 from '@aws-sdk/client-s3';
import type { Handler } from '../types.js';
import { invalidArgument } from './errors.js';
import { checkMaxKeys, encoder, listPage } from './list-objects.js';
import { listVersioned } from './list-versioned.js';
import { owner } from './owner.js';
import { getBucket } from './state.js';

export const listObjectVersions: Handler<S3.ListObjectVersionsRequest, S3.ListObjectVersionsOutput> = (input, ctx) => {
  const bucket = getBucket(ctx, input.Bucket!);
  const maxKeys = checkMaxKeys(input.MaxKeys);
  const encode = encoder(input.EncodingType);
  if (input.VersionIdMarker && !input.KeyMarker) {
    throw invalidArgument('A version-id marker cannot be specified without a key marker.', 'version-id-marker', input.VersionIdMarker);
  }
  if (bucket.versioning) return listVersioned(ctx, bucket, input, maxKeys, encode);
  const prefix = input.Prefix ?? '';
  const page = listPage(ctx, bucket.name, prefix, input.Delimiter || undefined, input.KeyMarker || undefined, maxKeys);
  const last = page.contents[page.contents.length - 1];
  const lastIsKey = last !== undefined && page.last === last.key;
  return {
    IsTruncated: page.truncated,
    KeyMarker: encode(input.KeyMarker ?? ''),
    VersionIdMarker: input.VersionIdMarker ?? '',
    NextKeyMarker: page.truncated ? encode(page.last) : undefined,
    NextVersionIdMarker: page.truncated && lastIsKey ? 'null' : undefined,
    Versions: page.contents.length
      ? page.contents.map((r) => ({
          ETag: r.etag,
          ChecksumAlgorithm: r.checksum ? [r.checksum.algorithm] : undefined,
          Size: r.size,
          StorageClass: r.storageClass as S3.ObjectVersionStorageClass,
          Key: encode(r.key),
          VersionId: 'null',
          IsLatest: true,
          LastModified: new Date(r.lastModified),
          Owner: owner(bucket.account),
        }))
      : undefined,
    Name: bucket.name,
    Prefix: encode(prefix),
    Delimiter: encode(input.Delimiter),
    MaxKeys: maxKeys,
    CommonPrefixes: page.prefixes.length ? page.prefixes.map((p) => ({ Prefix: encode(p) })) : undefined,
    EncodingType: input.EncodingType,
  };
};
