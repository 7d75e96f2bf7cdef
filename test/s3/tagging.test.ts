import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DeleteBucketTaggingCommand,
  DeleteObjectTaggingCommand,
  GetBucketTaggingCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  PutBucketTaggingCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
} from '@aws-sdk/client-s3';
import { useFogbank } from '../support/fogbank.js';
import { createBucket, rejectsWith, s3Client } from './support.js';

const env = useFogbank();

describe('S3 tagging', () => {
  it('puts, gets and deletes bucket tags; a bucket without tags answers NoSuchTagSet', async () => {
    const s3 = s3Client(env.endpoint);
    const Bucket = await createBucket(s3);
    await rejectsWith(s3.send(new GetBucketTaggingCommand({ Bucket })), { code: 'NoSuchTagSet', status: 404, message: 'The TagSet does not exist' });
    await s3.send(new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet: [{ Key: 'env', Value: 'dev' }, { Key: 'team', Value: '' }] } }));
    assert.deepEqual((await s3.send(new GetBucketTaggingCommand({ Bucket }))).TagSet, [{ Key: 'env', Value: 'dev' }, { Key: 'team', Value: '' }]);
    await s3.send(new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet: [{ Key: 'only', Value: 'this' }] } }));
    assert.deepEqual((await s3.send(new GetBucketTaggingCommand({ Bucket }))).TagSet, [{ Key: 'only', Value: 'this' }]);
    assert.equal((await s3.send(new DeleteBucketTaggingCommand({ Bucket }))).$metadata.httpStatusCode, 204);
    await rejectsWith(s3.send(new GetBucketTaggingCommand({ Bucket })), { code: 'NoSuchTagSet', status: 404 });
  });

  it('tags objects through x-amz-tagging and PutObjectTagging, and reports the tag count', async () => {
    const s3 = s3Client(env.endpoint);
    const Bucket = await createBucket(s3);
    await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'v', Tagging: 'a=1&b=two%20words' }));
    assert.deepEqual((await s3.send(new GetObjectTaggingCommand({ Bucket, Key: 'k' }))).TagSet, [{ Key: 'a', Value: '1' }, { Key: 'b', Value: 'two words' }]);
    assert.equal((await s3.send(new GetObjectCommand({ Bucket, Key: 'k' }))).TagCount, 2);
    await s3.send(new PutObjectTaggingCommand({ Bucket, Key: 'k', Tagging: { TagSet: [{ Key: 'c', Value: '3' }] } }));
    assert.deepEqual((await s3.send(new GetObjectTaggingCommand({ Bucket, Key: 'k' }))).TagSet, [{ Key: 'c', Value: '3' }]);
    await s3.send(new DeleteObjectTaggingCommand({ Bucket, Key: 'k' }));
    assert.deepEqual((await s3.send(new GetObjectTaggingCommand({ Bucket, Key: 'k' }))).TagSet ?? [], []);
  });

  it('refuses too many, duplicate or oversized tags', async () => {
    const s3 = s3Client(env.endpoint);
    const Bucket = await createBucket(s3);
    await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'v' }));
    const eleven = Array.from({ length: 11 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    await rejectsWith(s3.send(new PutObjectTaggingCommand({ Bucket, Key: 'k', Tagging: { TagSet: eleven } })), {
      code: 'InvalidTag',
      status: 400,
      message: 'Object tags cannot be greater than 10',
    });
    await rejectsWith(s3.send(new PutObjectTaggingCommand({ Bucket, Key: 'k', Tagging: { TagSet: [{ Key: 'a', Value: '1' }, { Key: 'a', Value: '2' }] } })), {
      code: 'InvalidTag',
      status: 400,
      message: 'Cannot provide multiple Tags with the same key',
    });
    await rejectsWith(s3.send(new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet: [{ Key: 'x'.repeat(129), Value: '1' }] } })), {
      code: 'InvalidTag',
      status: 400,
      message: 'The TagKey you have provided is invalid',
    });
    await rejectsWith(s3.send(new PutObjectCommand({ Bucket, Key: 'k2', Body: 'v', Tagging: eleven.map((t) => `${t.Key}=${t.Value}`).join('&') })), { code: 'InvalidTag', status: 400 });
    await rejectsWith(s3.send(new GetObjectTaggingCommand({ Bucket, Key: 'missing' })), { code: 'NoSuchKey', status: 404 });
    assert.deepEqual((await s3.send(new GetObjectTaggingCommand({ Bucket, Key: 'k' }))).TagSet ?? [], []);
  });
});
