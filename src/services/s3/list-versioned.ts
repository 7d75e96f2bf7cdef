// ListObjectVersions for buckets that have been versioned: each key's current version, then its
// noncurrent versions and delete markers newest first, keys in UTF-8 byte order, with delimiter
// grouping and S3's key-marker / version-id-marker paging (max-keys counts versions, delete markers
// and common prefixes alike).

import type * as S3 from '@aws-sdk/client-s3';
import type { RequestContext } from '../types.js';
import { owner } from './owner.js';
import { objects, type BucketRecord } from './state.js';
import { versionIdOf, versions, type VersionRecord } from './versioning.js';

type Entry = { kind: 'version'; record: VersionRecord; latest: boolean } | { kind: 'prefix'; prefix: string };

function entriesOf(ctx: RequestContext, bucket: string, prefix: string, delimiter: string | undefined): Array<{ key: string; entries: Entry[] }> {
  const byKey = new Map<string, VersionRecord[]>();
  const add = (record: VersionRecord) => {
    const list = byKey.get(record.key) ?? [];
    list.push(record);
    byKey.set(record.key, list);
  };
  // The current version first, then the archived ones (already newest first).
  for (const record of objects(ctx).values({ prefix: `${bucket}/${prefix}` })) add(record);
  for (const record of versions(ctx).values({ prefix: `${bucket}/${prefix}` })) add(record);
  const keys = [...byKey.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const out: Array<{ key: string; entries: Entry[] }> = [];
  const seenPrefixes = new Set<string>();
  for (const key of keys) {
    const cut = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
    if (cut >= 0) {
      const common = key.slice(0, cut + delimiter!.length);
      if (!seenPrefixes.has(common)) {
        seenPrefixes.add(common);
        out.push({ key: common, entries: [{ kind: 'prefix', prefix: common }] });
      }
      continue;
    }
    out.push({ key, entries: byKey.get(key)!.map((record, i) => ({ kind: 'version' as const, record, latest: i === 0 })) });
  }
  return out;
}

export function listVersioned(
  ctx: RequestContext,
  bucket: BucketRecord,
  input: S3.ListObjectVersionsRequest,
  maxKeys: number,
  encode: (s: string | undefined) => string | undefined,
): S3.ListObjectVersionsOutput {
  const prefix = input.Prefix ?? '';
  const keyMarker = input.KeyMarker || undefined;
  const versionMarker = input.VersionIdMarker || undefined;
  const versionsOut: S3.ObjectVersion[] = [];
  const markers: S3.DeleteMarkerEntry[] = [];
  const prefixes: S3.CommonPrefix[] = [];
  let count = 0;
  let truncated = false;
  let nextKey: string | undefined;
  let nextVersion: string | undefined;
  const id = owner(bucket.account);
  outer: for (const group of entriesOf(ctx, bucket.name, prefix, input.Delimiter || undefined)) {
    if (keyMarker !== undefined && group.key < keyMarker) continue;
    let entries = group.entries;
    if (keyMarker !== undefined && group.key === keyMarker) {
      if (versionMarker === undefined) continue;
      const at = entries.findIndex((e) => e.kind === 'version' && versionIdOf(e.record) === versionMarker);
      entries = at >= 0 ? entries.slice(at + 1) : [];
    }
    for (const entry of entries) {
      if (count === maxKeys) {
        truncated = true;
        break outer;
      }
      count += 1;
      if (entry.kind === 'prefix') {
        prefixes.push({ Prefix: encode(entry.prefix) });
        nextKey = entry.prefix;
        nextVersion = undefined;
        continue;
      }
      const r = entry.record;
      nextKey = r.key;
      nextVersion = versionIdOf(r);
      const common = { Key: encode(r.key), VersionId: versionIdOf(r), IsLatest: entry.latest, LastModified: new Date(r.lastModified), Owner: id };
      if (r.deleteMarker) markers.push(common);
      else {
        versionsOut.push({
          ETag: r.etag,
          ChecksumAlgorithm: r.checksum ? [r.checksum.algorithm] : undefined,
          Size: r.size,
          StorageClass: r.storageClass as S3.ObjectVersionStorageClass,
          ...common,
        });
      }
    }
  }
  return {
    IsTruncated: truncated,
    KeyMarker: encode(input.KeyMarker ?? ''),
    VersionIdMarker: input.VersionIdMarker ?? '',
    NextKeyMarker: truncated ? encode(nextKey) : undefined,
    NextVersionIdMarker: truncated ? nextVersion : undefined,
    Versions: versionsOut.length ? versionsOut : undefined,
    DeleteMarkers: markers.length ? markers : undefined,
    Name: bucket.name,
    Prefix: encode(prefix),
    Delimiter: encode(input.Delimiter),
    MaxKeys: maxKeys,
    CommonPrefixes: prefixes.length ? prefixes : undefined,
    EncodingType: input.EncodingType,
  };
}
