import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { ListObjectsCommand, ListObjectsV2Command, ListObjectVersionsCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { useFogbank } from '../support/fogbank.js';
import { rawRequest, SIGNED } from '../support/http.js';
import { createBucket, rejectsWith, s3Client } from './support.js';

const env = useFogbank();
const KEYS = ['a.txt', 'photos/2024/jan.jpg', 'photos/2024/feb.jpg', 'photos/2025/mar.jpg', 'photos/readme', 'z z/ü.txt', 'zz'];

describe('S3 listing', () => {
  let s3: S3Client;
  let Bucket: string;
  before(async () => {
    s3 = s3Client(env.endpoint);
    Bucket = await createBucket(s3);
    for (const Key of KEYS) await s3.send(new PutObjectCommand({ Bucket, Key, Body: Key }));
  });

  it('ListObjectsV2 lists every key in UTF-8 byte order with sizes and ETags', async () => {
    const page = await s3.send(new ListObjectsV2Command({ Bucket }));
    assert.deepEqual(page.Contents!.map((o) => o.Key), [...KEYS].sort());
    assert.equal(page.KeyCount, KEYS.length);
    assert.equal(page.IsTruncated, false);
    assert.equal(page.Name, Bucket);
    assert.equal(page.MaxKeys, 1000);
    const first = page.Contents![0]!;
    assert.equal(first.Size, 5);
    assert.match(first.ETag!, /^"[0-9a-f]{32}"$/);
    assert.equal(first.StorageClass, 'STANDARD');
    assert.equal(first.Owner, undefined);
  });

  it('rolls keys up into CommonPrefixes with a delimiter and prefix', async () => {
    const top = await s3.send(new ListObjectsV2Command({ Bucket, Delimiter: '/' }));
    assert.deepEqual(top.Contents!.map((o) => o.Key), ['a.txt', 'zz']);
    assert.deepEqual(top.CommonPrefixes!.map((p) => p.Prefix), ['photos/', 'z z/']);
    assert.equal(top.KeyCount, 4);
    const photos = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: 'photos/', Delimiter: '/' }));
    assert.deepEqual(photos.Contents!.map((o) => o.Key), ['photos/readme']);
    assert.deepEqual(photos.CommonPrefixes!.map((p) => p.Prefix), ['photos/2024/', 'photos/2025/']);
    assert.equal(photos.Prefix, 'photos/');
    const none = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: 'nothing/' }));
    assert.equal(none.Contents, undefined);
    assert.equal(none.KeyCount, 0);
  });

  it('pages with max-keys and continuation tokens, counting common prefixes', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket, Delimiter: '/', MaxKeys: 1, ContinuationToken: token }));
      pages += 1;
      seen.push(...(page.Contents ?? []).map((o) => o.Key!), ...(page.CommonPrefixes ?? []).map((p) => p.Prefix!));
      assert.equal(page.KeyCount, 1);
      token = page.NextContinuationToken;
      assert.equal(page.IsTruncated, token !== undefined);
    } while (token);
    assert.equal(pages, 4);
    assert.deepEqual(seen, ['a.txt', 'photos/', 'z z/', 'zz']);
  });

  it('starts after StartAfter, and MaxKeys 0 lists nothing', async () => {
    const after = await s3.send(new ListObjectsV2Command({ Bucket, StartAfter: 'photos/2025/mar.jpg' }));
    assert.deepEqual(after.Contents!.map((o) => o.Key), ['photos/readme', 'z z/ü.txt', 'zz']);
    assert.equal(after.StartAfter, 'photos/2025/mar.jpg');
    const zero = await s3.send(new ListObjectsV2Command({ Bucket, MaxKeys: 0 }));
    assert.equal(zero.KeyCount, 0);
    assert.equal(zero.IsTruncated, false);
    const owned = await s3.send(new ListObjectsV2Command({ Bucket, FetchOwner: true, MaxKeys: 1 }));
    assert.match(owned.Contents![0]!.Owner!.ID!, /^[0-9a-f]{64}$/);
  });

  it('URL-encodes keys and prefixes with encoding-type=url', async () => {
    const res = await rawRequest(env.endpoint, { path: `/${Bucket}?list-type=2&encoding-type=url&prefix=z%20z%2F`, headers: { authorization: SIGNED('s3') } });
    assert.equal(res.status, 200);
    assert.match(res.body, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<ListBucketResult xmlns="http:\/\/s3.amazonaws.com\/doc\/2006-03-01\/">/);
    assert.match(res.body, /<Key>z\+z\/%C3%BC.txt<\/Key>/);
    assert.match(res.body, /<Prefix>z\+z\/<\/Prefix>/);
    assert.match(res.body, /<EncodingType>url<\/EncodingType>/);
    // The SDK decodes them back.
    const page = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: 'z z/', EncodingType: 'url' }));
    assert.ok(page.Contents!.some((o) => o.Key === 'z z/ü.txt' || o.Key === 'z+z/%C3%BC.txt'));
  });

  it('ListObjects (v1) pages with Marker and NextMarker', async () => {
    const first = await s3.send(new ListObjectsCommand({ Bucket, MaxKeys: 2 }));
    assert.deepEqual(first.Contents!.map((o) => o.Key), ['a.txt', 'photos/2024/feb.jpg']);
    assert.equal(first.IsTruncated, true);
    assert.equal(first.NextMarker, undefined);
    assert.match(first.Contents![0]!.Owner!.ID!, /^[0-9a-f]{64}$/);
    const second = await s3.send(new ListObjectsCommand({ Bucket, Marker: 'photos/2024/feb.jpg', MaxKeys: 2 }));
    assert.deepEqual(second.Contents!.map((o) => o.Key), ['photos/2024/jan.jpg', 'photos/2025/mar.jpg']);
    assert.equal(second.Marker, 'photos/2024/feb.jpg');
    const grouped = await s3.send(new ListObjectsCommand({ Bucket, Delimiter: '/', MaxKeys: 2 }));
    assert.deepEqual(grouped.CommonPrefixes!.map((p) => p.Prefix), ['photos/']);
    assert.equal(grouped.NextMarker, 'photos/');
    const rest = await s3.send(new ListObjectsCommand({ Bucket, Delimiter: '/', Marker: grouped.NextMarker }));
    assert.deepEqual(rest.Contents!.map((o) => o.Key), ['zz']);
    assert.deepEqual(rest.CommonPrefixes!.map((p) => p.Prefix), ['z z/']);
  });

  it('refuses bad arguments with S3 errors', async () => {
    await rejectsWith(s3.send(new ListObjectsV2Command({ Bucket, MaxKeys: -1 })), {
      code: 'InvalidArgument',
      status: 400,
      message: 'Argument maxKeys must be an integer between 0 and 2147483647',
    });
    await rejectsWith(s3.send(new ListObjectsV2Command({ Bucket, ContinuationToken: '!!' })), {
      code: 'InvalidArgument',
      status: 400,
      message: 'The continuation token provided is incorrect',
    });
    await rejectsWith(s3.send(new ListObjectsV2Command({ Bucket, EncodingType: 'base64' as 'url' })), {
      code: 'InvalidArgument',
      status: 400,
      message: 'Invalid Encoding Method specified in Request',
    });
    await rejectsWith(s3.send(new ListObjectsV2Command({ Bucket: 'no-such-bucket-x' })), { code: 'NoSuchBucket', status: 404 });
    assert.equal((await s3.send(new ListObjectsV2Command({ Bucket }))).KeyCount, KEYS.length);
  });

  it('ListObjectVersions lists each object of a never-versioned bucket as its latest "null" version', async () => {
    const all = await s3.send(new ListObjectVersionsCommand({ Bucket }));
    assert.deepEqual(all.Versions!.map((v) => v.Key), [...KEYS].sort());
    assert.ok(all.Versions!.every((v) => v.VersionId === 'null' && v.IsLatest === true && v.Size! > 0));
    assert.equal(all.DeleteMarkers, undefined);
    const page = await s3.send(new ListObjectVersionsCommand({ Bucket, MaxKeys: 2, Delimiter: '/' }));
    assert.deepEqual(page.Versions!.map((v) => v.Key), ['a.txt']);
    assert.deepEqual(page.CommonPrefixes!.map((p) => p.Prefix), ['photos/']);
    assert.equal(page.IsTruncated, true);
    assert.equal(page.NextKeyMarker, 'photos/');
    const rest = await s3.send(new ListObjectVersionsCommand({ Bucket, Delimiter: '/', KeyMarker: page.NextKeyMarker }));
    assert.deepEqual(rest.Versions!.map((v) => v.Key), ['zz']);
    const raw = await rawRequest(env.endpoint, { path: `/${Bucket}?versions&max-keys=1`, headers: { authorization: SIGNED('s3') } });
    assert.match(raw.body, /<ListVersionsResult xmlns="http:\/\/s3.amazonaws.com\/doc\/2006-03-01\/">/);
    assert.match(raw.body, /<Version><ETag>/);
    await rejectsWith(s3.send(new ListObjectVersionsCommand({ Bucket, VersionIdMarker: 'null' })), { code: 'InvalidArgument', status: 400 });
  });
});
