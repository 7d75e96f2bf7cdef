import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CopyObjectCommand, GetObjectCommand, GetObjectTaggingCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { useFogbank } from '../support/fogbank.js';
import { createBucket, rejectsWith, s3Client } from './support.js';

const env = useFogbank();

describe('S3 CopyObject', () => {
  it('copies body, content headers and metadata by default, across buckets and to keys with spaces and UTF-8', async () => {
    const s3 = s3Client(env.endpoint);
    const from = await createBucket(s3);
    const to = await createBucket(s3);
    const put = await s3.send(new PutObjectCommand({ Bucket: from, Key: 'src dir/ö.txt', Body: 'payload', ContentType: 'text/x-test', Metadata: { a: '1' }, Tagging: 't=1' }));
    const copied = await s3.send(new CopyObjectCommand({ Bucket: to, Key: 'dest/ü k.txt', CopySource: `${from}/${encodeURIComponent('src dir/ö.txt')}` }));
    assert.equal(copied.CopyObjectResult!.ETag, put.ETag);
    assert.ok(copied.CopyObjectResult!.LastModified instanceof Date);
    const got = await s3.send(new GetObjectCommand({ Bucket: to, Key: 'dest/ü k.txt' }));
    assert.equal(await got.Body!.transformToString(), 'payload');
    assert.equal(got.ContentType, 'text/x-test');
    assert.deepEqual(got.Metadata, { a: '1' });
    assert.deepEqual((await s3.send(new GetObjectTaggingCommand({ Bucket: to, Key: 'dest/ü k.txt' }))).TagSet, [{ Key: 't', Value: '1' }]);
  });

  it('replaces metadata with MetadataDirective REPLACE, which also allows copying an object onto itself', async () => {
    const s3 = s3Client(env.endpoint);
    const Bucket = await createBucket(s3);
    await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'v', ContentType: 'text/plain', Metadata: { old: 'yes' } }));
    await rejectsWith(s3.send(new CopyObjectCommand({ Bucket, Key: 'k', CopySource: `/${Bucket}/k` })), {
      code: 'InvalidRequest',
      status: 400,
      message:
        "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
    });
    await s3.send(new CopyObjectCommand({ Bucket, Key: 'k', CopySource: `/${Bucket}/k`, MetadataDirective: 'REPLACE', Metadata: { new: 'yes' }, ContentType: 'application/json' }));
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'k' }));
    assert.deepEqual(head.Metadata, { new: 'yes' });
    assert.equal(head.ContentType, 'application/json');
  });

  it('honours the copy-source conditions with 412 PreconditionFailed', async () => {
    const s3 = s3Client(env.endpoint);
    const Bucket = await createBucket(s3);
    const { ETag } = await s3.send(new PutObjectCommand({ Bucket, Key: 'src', Body: 'v' }));
    await s3.send(new CopyObjectCommand({ Bucket, Key: 'ok', CopySource: `${Bucket}/src`, CopySourceIfMatch: ETag }));
    await rejectsWith(s3.send(new CopyObjectCommand({ Bucket, Key: 'no', CopySource: `${Bucket}/src`, CopySourceIfMatch: '"nope"' })), {
      code: 'PreconditionFailed',
      status: 412,
      fields: { Condition: 'x-amz-copy-source-If-Match' },
    });
    await rejectsWith(s3.send(new CopyObjectCommand({ Bucket, Key: 'no', CopySource: `${Bucket}/src`, CopySourceIfNoneMatch: ETag })), {
      code: 'PreconditionFailed',
      status: 412,
      fields: { Condition: 'x-amz-copy-source-If-None-Match' },
    });
    await rejectsWith(s3.send(new CopyObjectCommand({ Bucket, Key: 'no', CopySource: `${Bucket}/src`, CopySourceIfModifiedSince: new Date(Date.now() + 3600_000) })), {
      code: 'PreconditionFailed',
      status: 412,
    });
    await rejectsWith(s3.send(new GetObjectCommand({ Bucket, Key: 'no' })), { code: 'NoSuchKey', status: 404 });
  });

  it('answers NoSuchKey and NoSuchBucket for a missing source, and InvalidArgument for a malformed one', async () => {
    const s3 = s3Client(env.endpoint);
    const Bucket = await createBucket(s3);
    await rejectsWith(s3.send(new CopyObjectCommand({ Bucket, Key: 'k', CopySource: `${Bucket}/missing` })), { code: 'NoSuchKey', status: 404, fields: { Key: 'missing' } });
    await rejectsWith(s3.send(new CopyObjectCommand({ Bucket, Key: 'k', CopySource: 'no-such-bucket-x/missing' })), { code: 'NoSuchBucket', status: 404 });
    await rejectsWith(s3.send(new CopyObjectCommand({ Bucket, Key: 'k', CopySource: 'just-a-bucket' })), { code: 'InvalidArgument', status: 400 });
  });
});
