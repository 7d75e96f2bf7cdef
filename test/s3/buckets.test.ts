import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  GetBucketLocationCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { useFogbank } from '../support/fogbank.js';
import { rawRequest, SIGNED } from '../support/http.js';
import { createBucket, rejectsWith, s3Client, uniqueBucket } from './support.js';

const env = useFogbank();

describe('S3 buckets', () => {
  it('creates, heads, lists and deletes a bucket in us-east-1', async () => {
    const s3 = s3Client(env.endpoint);
    const Bucket = uniqueBucket();
    const created = await s3.send(new CreateBucketCommand({ Bucket }));
    assert.equal(created.Location, `/${Bucket}`);
    const head = await s3.send(new HeadBucketCommand({ Bucket }));
    assert.equal(head.BucketRegion, 'us-east-1');
    const listed = await s3.send(new ListBucketsCommand({}));
    const mine = listed.Buckets!.find((b) => b.Name === Bucket)!;
    assert.ok(mine.CreationDate instanceof Date);
    assert.match(listed.Owner!.ID!, /^[0-9a-f]{64}$/);
    const location = await s3.send(new GetBucketLocationCommand({ Bucket }));
    assert.equal(location.LocationConstraint, undefined);
    await s3.send(new DeleteBucketCommand({ Bucket }));
    await rejectsWith(s3.send(new HeadBucketCommand({ Bucket })), { code: 'NotFound', status: 404 });
  });

  it('creates a bucket in another region with a matching location constraint', async () => {
    const s3 = s3Client(env.endpoint, 'eu-west-1');
    const Bucket = uniqueBucket();
    const created = await s3.send(new CreateBucketCommand({ Bucket, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    assert.equal(created.Location, `http://${Bucket}.s3.amazonaws.com/`);
    assert.equal((await s3.send(new GetBucketLocationCommand({ Bucket }))).LocationConstraint, 'eu-west-1');
    assert.equal((await s3.send(new HeadBucketCommand({ Bucket }))).BucketRegion, 'eu-west-1');
    const listed = await s3.send(new ListBucketsCommand({ BucketRegion: 'eu-west-1' }));
    assert.deepEqual(listed.Buckets!.map((b) => b.Name), [Bucket]);
  });

  it('refuses location constraints that do not match the endpoint region', async () => {
    const east = s3Client(env.endpoint);
    const west = s3Client(env.endpoint, 'us-west-2');
    // The SDK fills in the client's region as the constraint; a bare PUT sends none.
    const bare = await rawRequest(env.endpoint, { method: 'PUT', path: `/${uniqueBucket()}`, headers: { authorization: SIGNED('s3', 'us-west-2') } });
    assert.equal(bare.status, 400);
    assert.match(bare.body, /<Code>IllegalLocationConstraintException<\/Code><Message>The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.<\/Message>/);
    await rejectsWith(west.send(new CreateBucketCommand({ Bucket: uniqueBucket(), CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } })), {
      code: 'IllegalLocationConstraintException',
      status: 400,
      message: 'The eu-west-1 location constraint is incompatible for the region specific endpoint this request was sent to.',
    });
    await rejectsWith(east.send(new CreateBucketCommand({ Bucket: uniqueBucket(), CreateBucketConfiguration: { LocationConstraint: 'us-east-1' as never } })), {
      code: 'InvalidLocationConstraint',
      status: 400,
      message: 'The specified location-constraint is not valid',
      fields: { LocationConstraint: 'us-east-1' },
    });
    await rejectsWith(east.send(new CreateBucketCommand({ Bucket: uniqueBucket(), CreateBucketConfiguration: { LocationConstraint: 'mars-1' as never } })), {
      code: 'InvalidLocationConstraint',
      status: 400,
    });
    assert.ok(await createBucket(east));
  });

  it('re-creating your own bucket succeeds in us-east-1 and conflicts elsewhere; another account gets BucketAlreadyExists', async () => {
    const east = s3Client(env.endpoint);
    const Bucket = await createBucket(east);
    await east.send(new CreateBucketCommand({ Bucket }));
    const west = s3Client(env.endpoint, 'eu-west-1');
    const westBucket = uniqueBucket();
    await west.send(new CreateBucketCommand({ Bucket: westBucket, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    await rejectsWith(west.send(new CreateBucketCommand({ Bucket: westBucket, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } })), {
      code: 'BucketAlreadyOwnedByYou',
      status: 409,
      message: 'Your previous request to create the named bucket succeeded and you already own it.',
      fields: { BucketName: westBucket },
    });
    const other = s3Client(env.endpoint, 'us-east-1', { accessKeyId: '111122223333', secretAccessKey: 'x' });
    await rejectsWith(other.send(new CreateBucketCommand({ Bucket })), {
      code: 'BucketAlreadyExists',
      status: 409,
      message: 'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.',
    });
    // Each account lists only its own buckets.
    const names = (await other.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name) ?? [];
    assert.ok(!names.includes(Bucket));
  });

  it('checks bucket names', async () => {
    const s3 = s3Client(env.endpoint);
    for (const Bucket of ['ab', 'a'.repeat(64), 'Upper-case', 'two..dots', '-leading', 'trailing-', '192.168.5.4', 'xn--punycode', 'name-s3alias', 'under_score']) {
      await rejectsWith(s3.send(new CreateBucketCommand({ Bucket })), { code: 'InvalidBucketName', status: 400, message: 'The specified bucket is not valid.', fields: { BucketName: Bucket } });
    }
    assert.ok(await createBucket(s3, { Bucket: `dots.and-dashes.${process.pid}` }));
  });

  it('answers NoSuchBucket and refuses to delete a bucket that holds objects', async () => {
    const s3 = s3Client(env.endpoint);
    await rejectsWith(s3.send(new GetBucketLocationCommand({ Bucket: 'no-such-bucket-here' })), {
      code: 'NoSuchBucket',
      status: 404,
      message: 'The specified bucket does not exist',
      fields: { BucketName: 'no-such-bucket-here' },
    });
    await rejectsWith(s3.send(new DeleteBucketCommand({ Bucket: 'no-such-bucket-here' })), { code: 'NoSuchBucket', status: 404 });
    const Bucket = await createBucket(s3);
    await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'x' }));
    await rejectsWith(s3.send(new DeleteBucketCommand({ Bucket })), {
      code: 'BucketNotEmpty',
      status: 409,
      message: 'The bucket you tried to delete is not empty',
      fields: { BucketName: Bucket },
    });
    assert.equal((await s3.send(new HeadBucketCommand({ Bucket }))).$metadata.httpStatusCode, 200);
  });

  it('pages ListBuckets with MaxBuckets, ContinuationToken and Prefix', async () => {
    const s3 = s3Client(env.endpoint, 'us-east-1', { accessKeyId: '222233334444', secretAccessKey: 'x' });
    for (const n of ['pg-a', 'pg-b', 'pg-c']) await createBucket(s3, { Bucket: `${n}-${process.pid}` });
    const first = await s3.send(new ListBucketsCommand({ MaxBuckets: 2, Prefix: 'pg-' }));
    assert.equal(first.Buckets!.length, 2);
    assert.equal(first.Prefix, 'pg-');
    assert.ok(first.ContinuationToken);
    const second = await s3.send(new ListBucketsCommand({ MaxBuckets: 2, Prefix: 'pg-', ContinuationToken: first.ContinuationToken }));
    assert.deepEqual(second.Buckets!.map((b) => b.Name), [`pg-c-${process.pid}`]);
    assert.equal(second.ContinuationToken, undefined);
  });
});
