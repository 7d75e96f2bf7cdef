// GetObjectAttributes: the attributes the caller names in x-amz-object-attributes, with the parts
// of a multipart object paged by x-amz-max-parts and x-amz-part-number-marker (S3 lists parts only
// for objects uploaded with an additional checksum).

import type * as S3 from '@aws-sdk/client-s3';
import type { Handler } from '../types.js';
import { checksumMember } from './checksums.js';
import { invalidArgument, noSuchKey } from './errors.js';
import { getBucket, objectId, objects } from './state.js';

const ATTRIBUTES = new Set(['ETag', 'Checksum', 'ObjectParts', 'StorageClass', 'ObjectSize']);

export const getObjectAttributes: Handler<S3.GetObjectAttributesRequest, S3.GetObjectAttributesOutput> = (input, ctx) => {
  getBucket(ctx, input.Bucket!);
  const wanted = new Set(input.ObjectAttributes ?? []);
  for (const name of wanted) if (!ATTRIBUTES.has(name)) throw invalidArgument('Invalid attribute name specified.', 'x-amz-object-attributes', name);
  const record = objects(ctx).get(objectId(input.Bucket!, input.Key!));
  if (!record) throw noSuchKey(input.Key!);
  const output: S3.GetObjectAttributesOutput = { LastModified: new Date(record.lastModified) };
  if (wanted.has('ETag')) output.ETag = record.etag.replace(/"/g, '');
  if (wanted.has('StorageClass')) output.StorageClass = record.storageClass as S3.StorageClass;
  if (wanted.has('ObjectSize')) output.ObjectSize = record.size;
  if (wanted.has('Checksum') && record.checksum) {
    // A composite checksum is reported without its "-<parts>" suffix.
    output.Checksum = { [checksumMember(record.checksum.algorithm)]: record.checksum.value.replace(/-\d+$/, '') } as S3.Checksum;
  }
  if (wanted.has('ObjectParts') && record.parts) {
    const marker = Number(input.PartNumberMarker ?? 0);
    const max = Math.min(input.MaxParts ?? 1000, 1000);
    const algorithm = record.checksum?.algorithm;
    const all = record.parts.map((size, i) => ({ PartNumber: i + 1, Size: size, ...(algorithm && record.partChecksums ? { [checksumMember(algorithm)]: record.partChecksums[i] } : {}) }));
    const page = all.filter((p) => p.PartNumber > marker).slice(0, max);
    output.ObjectParts = {
      TotalPartsCount: record.parts.length,
      PartNumberMarker: String(marker) as never,
      NextPartNumberMarker: (page.length ? String(page[page.length - 1]!.PartNumber) : undefined) as never,
      MaxParts: max,
      IsTruncated: page.length > 0 && page[page.length - 1]!.PartNumber < all.length,
      Parts: record.partChecksums ? page : undefined,
    };
  }
  return output;
};
