import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { awsCli, awsCliFails, boto3, hasAwsCli, hasBoto3, useFogbank } from '../support/fogbank.js';
import { rawRequest, SIGNED } from '../support/http.js';
import { createBucket, s3Client } from './support.js';

const env = useFogbank();
const dir = mkdtempSync(join(tmpdir(), 'fogbank-s3-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('S3 from other clients and addressing styles', () => {
  it('runs the seed\'s S3 event-processing code unchanged with boto3', { skip: !hasBoto3 && 'needs python3 with boto3' }, async () => {
    const s3 = s3Client(env.endpoint);
    const Bucket = await createBucket(s3);
    await s3.send(new PutObjectCommand({ Bucket, Key: 'uploads/my photo.csv', Body: 'a,b\n1,2\n', ContentType: 'text/csv' }));
    const script = `
import json, urllib.parse, boto3
s3 = boto3.client('s3')
def process_file(content):
    return json.dumps({'lines': content.decode().strip().split('\\n')})
def lambda_handler(event, context):
    for record in event['Records']:
        bucket = record['s3']['bucket']['name']
        key = urllib.parse.unquote_plus(record['s3']['object']['key'])
        response = s3.get_object(Bucket=bucket, Key=key)
        content = response['Body'].read()
        processed = process_file(content)
        output_key = f"processed/{key}"
        s3.put_object(Bucket=bucket, Key=output_key, Body=processed, ContentType=response['ContentType'])
    return {'statusCode': 200, 'body': json.dumps('Processing complete')}
event = {'Records': [{'s3': {'bucket': {'name': '${Bucket}'}, 'object': {'key': 'uploads/my+photo.csv'}}}]}
result = lambda_handler(event, None)
out = s3.get_object(Bucket='${Bucket}', Key='processed/uploads/my photo.csv')
print(json.dumps({'result': result, 'body': out['Body'].read().decode(), 'type': out['ContentType'], 'length': out['ContentLength']}))
`;
    const out = (await boto3(env.endpoint, script)) as { result: { statusCode: number }; body: string; type: string; length: number };
    assert.equal(out.result.statusCode, 200);
    assert.deepEqual(JSON.parse(out.body), { lines: ['a,b', '1,2'] });
    assert.equal(out.type, 'text/csv');
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'processed/uploads/my photo.csv' }));
    assert.equal(got.ContentType, 'text/csv');
  });

  it('boto3 lists, heads, copies, deletes and sees S3 errors', { skip: !hasBoto3 && 'needs python3 with boto3' }, async () => {
    const s3 = s3Client(env.endpoint);
    const Bucket = await createBucket(s3);
    const script = `
import json, boto3, botocore
s3 = boto3.client('s3')
s3.put_object(Bucket='${Bucket}', Key='dir/a b.txt', Body=b'hello', Metadata={'k': 'v'})
head = s3.head_object(Bucket='${Bucket}', Key='dir/a b.txt')
s3.copy_object(Bucket='${Bucket}', Key='copy.txt', CopySource={'Bucket': '${Bucket}', 'Key': 'dir/a b.txt'})
listed = s3.list_objects_v2(Bucket='${Bucket}', Delimiter='/')
loc = s3.get_bucket_location(Bucket='${Bucket}')
try:
    s3.get_object(Bucket='${Bucket}', Key='missing')
    err = None
except botocore.exceptions.ClientError as e:
    err = [e.response['Error']['Code'], e.response['Error']['Message'], e.response['ResponseMetadata']['HTTPStatusCode']]
deleted = s3.delete_objects(Bucket='${Bucket}', Delete={'Objects': [{'Key': 'copy.txt'}]})
print(json.dumps({'etag': head['ETag'], 'meta': head['Metadata'], 'keys': [o['Key'] for o in listed.get('Contents', [])],
  'prefixes': [p['Prefix'] for p in listed.get('CommonPrefixes', [])], 'loc': loc['LocationConstraint'], 'err': err,
  'deleted': [d['Key'] for d in deleted['Deleted']]}))
`;
    const out = (await boto3(env.endpoint, script)) as Record<string, unknown>;
    assert.equal(out.etag, '"5d41402abc4b2a76b9719d911017c592"');
    assert.deepEqual(out.meta, { k: 'v' });
    assert.deepEqual(out.keys, ['copy.txt']);
    assert.deepEqual(out.prefixes, ['dir/']);
    assert.equal(out.loc, null);
    assert.deepEqual(out.err, ['NoSuchKey', 'The specified key does not exist.', 404]);
    assert.deepEqual(out.deleted, ['copy.txt']);
  });

  it('aws s3 cp, ls and rm work, including a multipart upload over 8 MB', { skip: !hasAwsCli && 'needs the AWS CLI' }, async () => {
    const s3 = s3Client(env.endpoint);
    const Bucket = await createBucket(s3);
    const small = join(dir, 'small.txt');
    const big = join(dir, 'big.bin');
    writeFileSync(small, 'small file\n');
    const bigData = Buffer.alloc(9 * 1024 * 1024 + 17);
    for (let i = 0; i < bigData.length; i += 4096) bigData[i] = i % 251;
    writeFileSync(big, bigData);
    await awsCli(env.endpoint, ['s3', 'cp', small, `s3://${Bucket}/docs/small.txt`]);
    await awsCli(env.endpoint, ['s3', 'cp', big, `s3://${Bucket}/blobs/big.bin`]);
    const ls = await awsCli(env.endpoint, ['s3', 'ls', `s3://${Bucket}/`, '--recursive']);
    assert.match(ls.stdout, /\s11 docs\/small\.txt/);
    assert.match(ls.stdout, new RegExp(`\\s${bigData.length} blobs/big\\.bin`));
    const top = await awsCli(env.endpoint, ['s3', 'ls', `s3://${Bucket}/`]);
    assert.match(top.stdout, /PRE blobs\//);
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'blobs/big.bin' }));
    assert.match(head.ETag!, /-2"$/);
    const back = join(dir, 'back.bin');
    await awsCli(env.endpoint, ['s3', 'cp', `s3://${Bucket}/blobs/big.bin`, back]);
    assert.ok(readFileSync(back).equals(bigData));
    await awsCli(env.endpoint, ['s3', 'rm', `s3://${Bucket}/docs/small.txt`]);
    const left = await s3.send(new ListObjectsV2Command({ Bucket }));
    assert.deepEqual(left.Contents!.map((o) => o.Key), ['blobs/big.bin']);
    const buckets = await awsCli(env.endpoint, ['s3', 'ls']);
    assert.match(buckets.stdout, new RegExp(` ${Bucket}\\n`));
  });

  it('aws s3 sync uploads a tree, skips what is unchanged, and syncs back down; rb --force empties the bucket', { skip: !hasAwsCli && 'needs the AWS CLI' }, async () => {
    const s3 = s3Client(env.endpoint);
    const Bucket = await createBucket(s3);
    const tree = join(dir, 'tree');
    mkdirSync(join(tree, 'sub dir', 'ü'), { recursive: true });
    writeFileSync(join(tree, 'top.txt'), 'top');
    writeFileSync(join(tree, 'sub dir', 'a b.txt'), 'a b');
    writeFileSync(join(tree, 'sub dir', 'ü', 'deep.json'), '{}');
    const first = await awsCli(env.endpoint, ['s3', 'sync', tree, `s3://${Bucket}/site`]);
    assert.equal((first.stdout.match(/upload:/g) ?? []).length, 3);
    const again = await awsCli(env.endpoint, ['s3', 'sync', tree, `s3://${Bucket}/site`]);
    assert.equal((again.stdout.match(/upload:/g) ?? []).length, 0);
    const keys = (await s3.send(new ListObjectsV2Command({ Bucket }))).Contents!.map((o) => o.Key);
    assert.deepEqual(keys, ['site/sub dir/a b.txt', 'site/sub dir/ü/deep.json', 'site/top.txt']);
    const down = join(dir, 'down');
    await awsCli(env.endpoint, ['s3', 'sync', `s3://${Bucket}/site`, down]);
    assert.equal(readFileSync(join(down, 'sub dir', 'ü', 'deep.json'), 'utf8'), '{}');
    await awsCli(env.endpoint, ['s3', 'rb', `s3://${Bucket}`, '--force']);
    assert.ok(!((await awsCli(env.endpoint, ['s3', 'ls'])).stdout.includes(` ${Bucket}\n`)));
  });

  it('aws s3api covers buckets, objects and errors', { skip: !hasAwsCli && 'needs the AWS CLI' }, async () => {
    const Bucket = `cli-${process.pid}`;
    const created = await awsCli(env.endpoint, ['s3api', 'create-bucket', '--bucket', Bucket]);
    assert.deepEqual(created.json, { Location: `/${Bucket}` });
    const file = join(dir, 'api.json');
    writeFileSync(file, '{"x":1}');
    const put = await awsCli(env.endpoint, ['s3api', 'put-object', '--bucket', Bucket, '--key', 'a/b.json', '--body', file, '--content-type', 'application/json']);
    assert.equal((put.json as { ETag: string }).ETag, `"${createHash('md5').update('{"x":1}').digest('hex')}"`);
    const head = await awsCli(env.endpoint, ['s3api', 'head-object', '--bucket', Bucket, '--key', 'a/b.json']);
    assert.equal((head.json as { ContentType: string }).ContentType, 'application/json');
    const list = await awsCli(env.endpoint, ['s3api', 'list-objects-v2', '--bucket', Bucket]);
    assert.deepEqual((list.json as { Contents: Array<{ Key: string; Size: number }> }).Contents.map((o) => [o.Key, o.Size]), [['a/b.json', 7]]);
    const failed = await awsCliFails(env.endpoint, ['s3api', 'get-object', '--bucket', Bucket, '--key', 'nope', join(dir, 'out')]);
    assert.match(failed.stderr, /NoSuchKey/);
    const notEmpty = await awsCliFails(env.endpoint, ['s3api', 'delete-bucket', '--bucket', Bucket]);
    assert.match(notEmpty.stderr, /BucketNotEmpty/);
  });

  it('routes virtual-hosted-style requests (bucket in the Host header)', async () => {
    const s3 = s3Client(env.endpoint);
    const Bucket = await createBucket(s3);
    const port = new URL(env.endpoint).port;
    for (const host of [`${Bucket}.s3.localhost.localstack.cloud:${port}`, `${Bucket}.s3.localhost:${port}`, `${Bucket}.s3.us-east-1.amazonaws.com`]) {
      const key = `vh/${host.split('.')[2]}/ä b.txt`;
      const put = await rawRequest(env.endpoint, { method: 'PUT', path: `/${encodeURI(key)}`, headers: { host, authorization: SIGNED('s3') }, body: host });
      assert.equal(put.status, 200, put.body);
      const get = await rawRequest(env.endpoint, { path: `/${encodeURI(key)}`, headers: { host, authorization: SIGNED('s3') } });
      assert.equal(get.body, host);
      const list = await rawRequest(env.endpoint, { path: '/?list-type=2&prefix=vh/', headers: { host, authorization: SIGNED('s3') } });
      assert.match(list.body, /<ListBucketResult xmlns="http:\/\/s3.amazonaws.com\/doc\/2006-03-01\/">/);
      assert.ok(list.body.includes(`<Key>${key}</Key>`));
    }
    const missing = await rawRequest(env.endpoint, { path: '/k', headers: { host: `no-such-bucket-vh.s3.localhost.localstack.cloud:${port}`, authorization: SIGNED('s3') } });
    assert.equal(missing.status, 404);
    assert.match(missing.body, /<Code>NoSuchBucket<\/Code>/);
  });
});
