import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { CopyObjectCommand, DeleteObjectCommand, DeleteObjectsCommand, GetObjectAttributesCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { useFogbank } from '../support/fogbank.js';
import { rawRequest, SIGNED } from '../support/http.js';
import { createBucket, rejectsWith, s3Client } from './support.js';

const env = useFogbank();
const md5 = (text: string | Buffer) => createHash('md5').update(text).digest();

describe('S3 objects', () => {
  it('stores and returns body, ETag, content headers and user metadata under any UTF-8 key', async () => {
    const s3 = s3Client(env.endpoint);
    const Bucket = await createBucket(s3);
    for (const Key of ['plain.txt', 'dir/sub dir/file with spaces.txt', 'ünïcödé/日本語/😀.bin', 'a+b=c&d?e#f%20g', '//double//slashes/']) {
      const put = await s3.send(
        new PutObjectCommand({
          Bucket,
          Key,
          Body: `body of ${Key}`,
          ContentType: 'text/plain; charset=utf-8',
          ContentDisposition: 'attachment; filename="x.txt"',
          ContentLanguage: 'en',
          CacheControl: 'max-age=60',
          Expires: new Date('2030-01-01T00:00:00Z'),
          Metadata: { Owner: 'team-a', 'x-y': 'z' },
        }),
      );
      assert.equal(put.ETag, `"${md5(`body of ${Key}`).toString('hex')}"`);
      const got = await s3.send(new GetObjectCommand({ Bucket, Key }));
      assert.equal(await got.Body!.transformToString(), `body of ${Key}`);
      assert.equal(got.ETag, put.ETag);
      assert.equal(got.ContentType, 'text/plain; charset=utf-8');
      assert.equal(got.ContentDisposition, 'attachment; filename="x.txt"');
      assert.equal(got.ContentLanguage, 'en');
      assert.equal(got.CacheControl, 'max-age=60');
      assert.equal(got.ContentLength, Buffer.byteLength(`body of ${Key}`));
      assert.equal(got.AcceptRanges, 'bytes');
      assert.deepEqual(got.Metadata, { owner: 'team-a', 'x-y': 'z' });
      assert.ok(got.LastModified instanceof Date);
      const head = await s3.send(new HeadObjectCommand({ Bucket, Key }));
      assert.equal(head.ETag, put.ETag);
      assert.equal(head.ContentType, 'text/plain; charset=utf-8');
      assert.deepEqual(head.Metadata, { owner: 'team-a', 'x-y': 'z' });
    }
  });

  it('defaults the content type to binary/octet-stream and stores empty objects', async () => {
    const s3 = s3Client(env.endpoint);
    const Bucket = await createBucket(s3);
    await rawRequest(env.endpoint, { method: 'PUT', path: `/${Bucket}/empty`, headers: { authorization: SIGNED('s3') } });
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'empty' }));
    assert.equal(got.ContentType, 'binary/octet-stream');
    assert.equal(got.ContentLength, 0);
    assert.equal(got.ETag, '"d41d8cd98f00b204e9800998ecf8427e"');
    assert.equal(await got.Body!.transformToString(), '');
  });

  it('serves byte ranges with 206 and Content-Range, and answers InvalidRange past the end', async () => {
    const s3 = s3Client(env.endpoint);
    const Bucket = await createBucket(s3);
    await s3.send(new PutObjectCommand({ Bucket, Key: 'digits', Body: '0123456789' }));
    const cases: Array<[string, string, string]> = [
      ['bytes=2-5', '2345', 'bytes 2-5/10'],
      ['bytes=7-', '789', 'bytes 7-9/10'],
      ['bytes=-3', '789', 'bytes 7-9/10'],
      ['bytes=8-100', '89', 'bytes 8-9/10'],
    ];
    for (const [Range, body, contentRange] of cases) {
      const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'digits', Range }));
      assert.equal(got.$metadata.httpStatusCode, 206);
      assert.equal(got.ContentRange, contentRange);
      assert.equal(got.ContentLength, body.length);
      assert.equal(await got.Body!.transformToString(), body);
    }
    // A header S3 cannot read is ignored: the whole object.
    const whole = await s3.send(new GetObjectCommand({ Bucket, Key: 'digits', Range: 'items=1-2' }));
    assert.equal(whole.$metadata.httpStatusCode, 200);
    assert.equal(await whole.Body!.transformToString(), '0123456789');
    await rejectsWith(s3.send(new GetObjectCommand({ Bucket, Key: 'digits', Range: 'bytes=10-20' })), {
      code: 'InvalidRange',
      status: 416,
      message: 'The requested range is not satisfiable',
      fields: { RangeRequested: 'bytes=10-20', ActualObjectSize: 10 },
    });
  });

  it('evaluates If-Match, If-None-Match, If-Modified-Since and If-Unmodified-Since', async () => {
    const s3 = s3Client(env.endpoint);
    const Bucket = await createBucket(s3);
    const { ETag } = await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'v' }));
    const past = new Date(Date.now() - 3600_000);
    const future = new Date(Date.now() + 3600_000);
    assert.equal((await s3.send(new GetObjectCommand({ Bucket, Key: 'k', IfMatch: ETag }))).$metadata.httpStatusCode, 200);
    assert.equal((await s3.send(new GetObjectCommand({ Bucket, Key: 'k', IfNoneMatch: '"other"', IfModifiedSince: past }))).$metadata.httpStatusCode, 200);
    await rejectsWith(s3.send(new GetObjectCommand({ Bucket, Key: 'k', IfMatch: '"0000"' })), {
      code: 'PreconditionFailed',
      status: 412,
      message: 'At least one of the pre-conditions you specified did not hold',
      fields: { Condition: 'If-Match' },
    });
    await rejectsWith(s3.send(new GetObjectCommand({ Bucket, Key: 'k', IfUnmodifiedSince: past })), { code: 'PreconditionFailed', status: 412, fields: { Condition: 'If-Unmodified-Since' } });
    // A true If-Match wins over a false If-Unmodified-Since.
    assert.equal((await s3.send(new GetObjectCommand({ Bucket, Key: 'k', IfMatch: ETag, IfUnmodifiedSince: past }))).$metadata.httpStatusCode, 200);
    for (const input of [{ IfNoneMatch: ETag }, { IfModifiedSince: future }, { IfNoneMatch: '*' }]) {
      await assert.rejects(s3.send(new GetObjectCommand({ Bucket, Key: 'k', ...input })), (e: { $metadata: { httpStatusCode: number } }) => e.$metadata.httpStatusCode === 304);
    }
    // HEAD answers carry no body, so the SDK sees only the status.
    await assert.rejects(s3.send(new HeadObjectCommand({ Bucket, Key: 'k', IfMatch: '"0000"' })), (e: { $metadata: { httpStatusCode: number } }) => e.$metadata.httpStatusCode === 412);
  });

  it('applies response-* header overrides', async () => {
    const s3 = s3Client(env.endpoint);
    const Bucket = await createBucket(s3);
    await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'v', ContentType: 'text/plain' }));
    const got = await s3.send(
      new GetObjectCommand({
        Bucket,
        Key: 'k',
        ResponseContentType: 'application/json',
        ResponseContentDisposition: 'inline',
        ResponseCacheControl: 'no-cache',
        ResponseContentLanguage: 'de',
        ResponseContentEncoding: 'identity',
      }),
    );
    assert.equal(got.ContentType, 'application/json');
    assert.equal(got.ContentDisposition, 'inline');
    assert.equal(got.CacheControl, 'no-cache');
    assert.equal(got.ContentLanguage, 'de');
    assert.equal(got.ContentEncoding, 'identity');
  });

  it('verifies Content-MD5', async () => {
    const s3 = s3Client(env.endpoint);
    const Bucket = await createBucket(s3);
    const good = md5('hello').toString('base64');
    assert.ok((await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'hello', ContentMD5: good }))).ETag);
    await rejectsWith(s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'hellO', ContentMD5: good })), {
      code: 'BadDigest',
      status: 400,
      message: 'The Content-MD5 you specified did not match what we received.',
      fields: { ExpectedDigest: good, CalculatedDigest: md5('hellO').toString('base64') },
    });
    await rejectsWith(s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'hello', ContentMD5: 'not-md5' })), {
      code: 'InvalidDigest',
      status: 400,
      message: 'The Content-MD5 you specified was invalid.',
    });
    assert.equal(await (await s3.send(new GetObjectCommand({ Bucket, Key: 'k' }))).Body!.transformToString(), 'hello');
  });

  it('refuses an overwrite with If-None-Match: * and a stale If-Match', async () => {
    const s3 = s3Client(env.endpoint);
    const Bucket = await createBucket(s3);
    await s3.send(new PutObjectCommand({ Bucket, Key: 'once', Body: 'first', IfNoneMatch: '*' }));
    await rejectsWith(s3.send(new PutObjectCommand({ Bucket, Key: 'once', Body: 'second', IfNoneMatch: '*' })), { code: 'PreconditionFailed', status: 412, fields: { Condition: 'If-None-Match' } });
    await rejectsWith(s3.send(new PutObjectCommand({ Bucket, Key: 'once', Body: 'third', IfMatch: '"stale"' })), { code: 'PreconditionFailed', status: 412 });
    await rejectsWith(s3.send(new PutObjectCommand({ Bucket, Key: 'absent', Body: 'x', IfMatch: '"stale"' })), { code: 'NoSuchKey', status: 404 });
    assert.equal(await (await s3.send(new GetObjectCommand({ Bucket, Key: 'once' }))).Body!.transformToString(), 'first');
  });

  it('answers NoSuchKey and NoSuchBucket with S3 error documents', async () => {
    const s3 = s3Client(env.endpoint);
    const Bucket = await createBucket(s3);
    await rejectsWith(s3.send(new GetObjectCommand({ Bucket, Key: 'missing/key' })), {
      code: 'NoSuchKey',
      status: 404,
      message: 'The specified key does not exist.',
      fields: { Key: 'missing/key' },
    });
    await rejectsWith(s3.send(new HeadObjectCommand({ Bucket, Key: 'missing' })), { code: 'NotFound', status: 404 });
    await rejectsWith(s3.send(new PutObjectCommand({ Bucket: 'no-such-bucket-x', Key: 'k', Body: 'v' })), { code: 'NoSuchBucket', status: 404 });
    const raw = await rawRequest(env.endpoint, { path: `/${Bucket}/missing`, headers: { authorization: SIGNED('s3') } });
    assert.equal(raw.status, 404);
    assert.match(raw.body, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error><Code>NoSuchKey<\/Code><Message>The specified key does not exist.<\/Message><Key>missing<\/Key><RequestId>/);
  });

  it('deletes one object (idempotently) and many at once', async () => {
    const s3 = s3Client(env.endpoint);
    const Bucket = await createBucket(s3);
    for (const Key of ['a', 'b', 'c', 'd']) await s3.send(new PutObjectCommand({ Bucket, Key, Body: Key }));
    assert.equal((await s3.send(new DeleteObjectCommand({ Bucket, Key: 'a' }))).$metadata.httpStatusCode, 204);
    assert.equal((await s3.send(new DeleteObjectCommand({ Bucket, Key: 'a' }))).$metadata.httpStatusCode, 204);
    await rejectsWith(s3.send(new GetObjectCommand({ Bucket, Key: 'a' })), { code: 'NoSuchKey', status: 404 });
    const many = await s3.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: [{ Key: 'b' }, { Key: 'c' }, { Key: 'never-existed' }] } }));
    assert.deepEqual(many.Deleted!.map((d) => d.Key), ['b', 'c', 'never-existed']);
    const quiet = await s3.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: [{ Key: 'd' }], Quiet: true } }));
    assert.equal(quiet.Deleted, undefined);
    await rejectsWith(s3.send(new GetObjectCommand({ Bucket, Key: 'd' })), { code: 'NoSuchKey', status: 404 });
    await rejectsWith(s3.send(new DeleteObjectCommand({ Bucket: 'no-such-bucket-x', Key: 'k' })), { code: 'NoSuchBucket', status: 404 });
  });

  it('refuses over-long keys, oversized metadata and unknown storage classes', async () => {
    const s3 = s3Client(env.endpoint);
    const Bucket = await createBucket(s3);
    assert.ok((await s3.send(new PutObjectCommand({ Bucket, Key: 'é'.repeat(512), Body: 'x' }))).ETag);
    await rejectsWith(s3.send(new PutObjectCommand({ Bucket, Key: 'é'.repeat(513), Body: 'x' })), { code: 'KeyTooLongError', status: 400, message: 'Your key is too long' });
    await rejectsWith(s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'x', Metadata: { big: 'v'.repeat(2046) } })), {
      code: 'MetadataTooLarge',
      status: 400,
      message: 'Your metadata headers exceed the maximum allowed metadata size',
    });
    await rejectsWith(s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'x', StorageClass: 'COLD' as 'STANDARD' })), {
      code: 'InvalidStorageClass',
      status: 400,
      message: 'The storage class you specified is not valid',
    });
    assert.ok((await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'x', Metadata: { big: 'v'.repeat(2045) } }))).ETag);
  });

  it('stores the storage class, and refuses to serve archived objects', async () => {
    const s3 = s3Client(env.endpoint);
    const Bucket = await createBucket(s3);
    await s3.send(new PutObjectCommand({ Bucket, Key: 'ia', Body: 'x', StorageClass: 'STANDARD_IA' }));
    assert.equal((await s3.send(new HeadObjectCommand({ Bucket, Key: 'ia' }))).StorageClass, 'STANDARD_IA');
    await s3.send(new PutObjectCommand({ Bucket, Key: 'cold', Body: 'x', StorageClass: 'GLACIER' }));
    assert.equal((await s3.send(new HeadObjectCommand({ Bucket, Key: 'cold' }))).StorageClass, 'GLACIER');
    await rejectsWith(s3.send(new GetObjectCommand({ Bucket, Key: 'cold' })), {
      code: 'InvalidObjectState',
      status: 403,
      message: "The operation is not valid for the object's storage class",
      fields: { StorageClass: 'GLACIER' },
    });
    await rejectsWith(s3.send(new CopyObjectCommand({ Bucket, Key: 'warm', CopySource: `${Bucket}/cold` })), { code: 'InvalidObjectState', status: 403 });
    const attributes = await s3.send(new GetObjectAttributesCommand({ Bucket, Key: 'ia', ObjectAttributes: ['ETag', 'ObjectSize', 'StorageClass', 'ObjectParts'] }));
    assert.equal(attributes.ETag, '9dd4e461268c8034f5c8564e155c67a6');
    assert.equal(attributes.ObjectSize, 1);
    assert.equal(attributes.StorageClass, 'STANDARD_IA');
    assert.equal(attributes.ObjectParts, undefined);
  });
});
