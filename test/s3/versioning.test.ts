import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CopyObjectCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { awsCli, boto3, hasAwsCli, hasBoto3, useFogbank } from '../support/fogbank.js';
import { createBucket, rejectsWith, s3Client } from './support.js';

const env = useFogbank();

async function versionedBucket(s3: S3Client): Promise<string> {
  const Bucket = await createBucket(s3);
  await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  return Bucket;
}

const text = async (s3: S3Client, Bucket: string, Key: string, VersionId?: string) => (await s3.send(new GetObjectCommand({ Bucket, Key, VersionId }))).Body!.transformToString();

describe('S3 versioning', () => {
  it('reports the bucket state; suspending a never-versioned bucket leaves it unversioned; bad status is MalformedXML', async () => {
    const s3 = s3Client(env.endpoint);
    const Bucket = await createBucket(s3);
    assert.equal((await s3.send(new GetBucketVersioningCommand({ Bucket }))).Status, undefined);
    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Suspended' } }));
    assert.equal((await s3.send(new GetBucketVersioningCommand({ Bucket }))).Status, undefined);
    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    assert.equal((await s3.send(new GetBucketVersioningCommand({ Bucket }))).Status, 'Enabled');
    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Suspended' } }));
    assert.equal((await s3.send(new GetBucketVersioningCommand({ Bucket }))).Status, 'Suspended');
    await rejectsWith(s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Sometimes' as any } })), { code: 'MalformedXML', status: 400 });
    await rejectsWith(s3.send(new GetBucketVersioningCommand({ Bucket: 'no-such-bucket-versioning' })), { code: 'NoSuchBucket', status: 404 });
  });

  it('keeps every version; reads by id; delete markers hide the key and can be removed', async () => {
    const s3 = s3Client(env.endpoint);
    const Bucket = await createBucket(s3);
    await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'before' })); // the "null" version
    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    const v1 = await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'one' }));
    const v2 = await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'two' }));
    assert.ok(v1.VersionId && v2.VersionId && v1.VersionId !== v2.VersionId);
    assert.equal(await text(s3, Bucket, 'k'), 'two');
    assert.equal(await text(s3, Bucket, 'k', v1.VersionId), 'one');
    assert.equal(await text(s3, Bucket, 'k', 'null'), 'before');
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'k', VersionId: v1.VersionId }));
    assert.equal(head.VersionId, v1.VersionId);
    assert.equal(head.ContentLength, 3);
    await rejectsWith(s3.send(new GetObjectCommand({ Bucket, Key: 'k', VersionId: 'not-a-version' })), {
      code: 'NoSuchVersion',
      status: 404,
      message: 'The specified version does not exist.',
      fields: { Key: 'k', VersionId: 'not-a-version' },
    });

    const marker = await s3.send(new DeleteObjectCommand({ Bucket, Key: 'k' }));
    assert.equal(marker.DeleteMarker, true);
    assert.ok(marker.VersionId);
    await rejectsWith(s3.send(new GetObjectCommand({ Bucket, Key: 'k' })), { code: 'NoSuchKey', status: 404 });
    await rejectsWith(s3.send(new GetObjectCommand({ Bucket, Key: 'k', VersionId: marker.VersionId })), { code: 'MethodNotAllowed', status: 405 });
    assert.equal((await s3.send(new ListObjectsV2Command({ Bucket }))).KeyCount, 0);
    assert.equal(await text(s3, Bucket, 'k', v2.VersionId), 'two');

    const listed = await s3.send(new ListObjectVersionsCommand({ Bucket }));
    assert.deepEqual(
      listed.Versions?.map((v) => [v.VersionId, v.IsLatest, v.Size]),
      [
        [v2.VersionId, false, 3],
        [v1.VersionId, false, 3],
        ['null', false, 6],
      ],
    );
    assert.deepEqual(listed.DeleteMarkers?.map((m) => [m.Key, m.VersionId, m.IsLatest]), [['k', marker.VersionId, true]]);

    // Paging one entry at a time walks the same list.
    const seen: string[] = [];
    let page = await s3.send(new ListObjectVersionsCommand({ Bucket, MaxKeys: 1 }));
    for (;;) {
      seen.push(...(page.DeleteMarkers ?? []).map((m) => m.VersionId!), ...(page.Versions ?? []).map((v) => v.VersionId!));
      if (!page.IsTruncated) break;
      page = await s3.send(new ListObjectVersionsCommand({ Bucket, MaxKeys: 1, KeyMarker: page.NextKeyMarker, VersionIdMarker: page.NextVersionIdMarker }));
    }
    assert.deepEqual(seen, [marker.VersionId, v2.VersionId, v1.VersionId, 'null']);

    // Removing the marker by id brings the key back.
    const removed = await s3.send(new DeleteObjectCommand({ Bucket, Key: 'k', VersionId: marker.VersionId }));
    assert.equal(removed.DeleteMarker, true);
    assert.equal(await text(s3, Bucket, 'k'), 'two');
    // Deleting the current version by id makes the previous one current.
    await s3.send(new DeleteObjectCommand({ Bucket, Key: 'k', VersionId: v2.VersionId }));
    assert.equal(await text(s3, Bucket, 'k'), 'one');
    await rejectsWith(s3.send(new DeleteBucketCommand({ Bucket })), { code: 'BucketNotEmpty', status: 409 });
    const all = await s3.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: [{ Key: 'k', VersionId: v1.VersionId }, { Key: 'k', VersionId: 'null' }] } }));
    assert.equal(all.Deleted?.length, 2);
    assert.equal((await s3.send(new ListObjectVersionsCommand({ Bucket }))).Versions, undefined);
    await s3.send(new DeleteBucketCommand({ Bucket }));
  });

  it('copies a given version; suspended buckets write and delete the "null" version', async () => {
    const s3 = s3Client(env.endpoint);
    const Bucket = await versionedBucket(s3);
    const v1 = await s3.send(new PutObjectCommand({ Bucket, Key: 'src', Body: 'first' }));
    await s3.send(new PutObjectCommand({ Bucket, Key: 'src', Body: 'second' }));
    const copy = await s3.send(new CopyObjectCommand({ Bucket, Key: 'dst', CopySource: `${Bucket}/src?versionId=${v1.VersionId}` }));
    assert.equal(copy.CopySourceVersionId, v1.VersionId);
    assert.ok(copy.VersionId);
    assert.equal(await text(s3, Bucket, 'dst'), 'first');
    await rejectsWith(s3.send(new CopyObjectCommand({ Bucket, Key: 'dst', CopySource: `${Bucket}/src?versionId=nope` })), { code: 'NoSuchVersion', status: 404 });

    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Suspended' } }));
    const n1 = await s3.send(new PutObjectCommand({ Bucket, Key: 'src', Body: 'null-1' }));
    assert.equal(n1.VersionId, undefined);
    await s3.send(new PutObjectCommand({ Bucket, Key: 'src', Body: 'null-2' }));
    const srcVersions = (await s3.send(new ListObjectVersionsCommand({ Bucket, Prefix: 'src' }))).Versions!;
    assert.deepEqual(srcVersions.map((v) => [v.VersionId === 'null', v.IsLatest]), [[true, true], [false, false], [false, false]]);
    const marker = await s3.send(new DeleteObjectCommand({ Bucket, Key: 'src' }));
    assert.equal(marker.DeleteMarker, true);
    assert.equal(marker.VersionId, 'null');
    const after = await s3.send(new ListObjectVersionsCommand({ Bucket, Prefix: 'src' }));
    assert.equal(after.Versions?.length, 2); // the null version was replaced by the null marker
    assert.deepEqual(after.DeleteMarkers?.map((m) => [m.VersionId, m.IsLatest]), [['null', true]]);
  });

  it('works through boto3 and the AWS CLI', { skip: (!hasBoto3 || !hasAwsCli) && 'needs boto3 and the AWS CLI' }, async () => {
    const s3 = s3Client(env.endpoint);
    const Bucket = await createBucket(s3);
    await awsCli(env.endpoint, ['s3api', 'put-bucket-versioning', '--bucket', Bucket, '--versioning-configuration', 'Status=Enabled']);
    const { json } = await awsCli(env.endpoint, ['s3api', 'get-bucket-versioning', '--bucket', Bucket]);
    assert.deepEqual(json, { Status: 'Enabled' });
    const result = (await boto3(
      env.endpoint,
      `import boto3, json
s3 = boto3.client('s3')
a = s3.put_object(Bucket='${Bucket}', Key='f', Body=b'a')['VersionId']
b = s3.put_object(Bucket='${Bucket}', Key='f', Body=b'b')['VersionId']
old = s3.get_object(Bucket='${Bucket}', Key='f', VersionId=a)['Body'].read().decode()
listed = s3.list_object_versions(Bucket='${Bucket}')
print(json.dumps({'old': old, 'ids': [v['VersionId'] for v in listed['Versions']], 'a': a, 'b': b}))`,
    )) as { old: string; ids: string[]; a: string; b: string };
    assert.equal(result.old, 'a');
    assert.deepEqual(result.ids, [result.b, result.a]);
  });
});
