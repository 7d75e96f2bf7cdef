import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GetObjectCommand, HeadBucketCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { boto3, hasBoto3, useFogbank } from '../support/fogbank.js';
import { rawRequest, SIGNED } from '../support/http.js';
import { createBucket, s3Client } from './support.js';

const env = useFogbank();
const auth = { authorization: SIGNED('s3') };

describe('S3 on the wire', () => {
  it('answers MalformedXML for broken or incomplete request documents', async () => {
    const s3 = s3Client(env.endpoint);
    const Bucket = await createBucket(s3);
    const cases: Array<[string, string, string]> = [
      ['PUT', `/${Bucket}-new`, '<CreateBucketConfiguration><LocationConstraint>'],
      ['POST', `/${Bucket}?delete`, '<Delete><Object><Key>a</Key></Object>'],
      ['POST', `/${Bucket}?delete`, '<Delete></Delete>'],
      ['PUT', `/${Bucket}?tagging`, '<Tagging></Tagging>'],
    ];
    for (const [method, path, body] of cases) {
      const res = await rawRequest(env.endpoint, { method, path, headers: auth, body });
      assert.equal(res.status, 400, `${method} ${path}`);
      assert.match(res.body, /<Error><Code>MalformedXML<\/Code>/, `${method} ${path}: ${res.body}`);
    }
    assert.equal((await s3.send(new HeadBucketCommand({ Bucket }))).$metadata.httpStatusCode, 200);
  });

  it('answers missing required members as S3 does, not with generic validation text', async () => {
    const s3 = s3Client(env.endpoint);
    const Bucket = await createBucket(s3);
    await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'v' }));
    const malformed = '<Code>MalformedXML</Code><Message>The XML you provided was not well-formed or did not validate against our published schema</Message>';
    const cases: Array<[string, string, string | undefined, number, string]> = [
      ['PUT', `/${Bucket}?tagging`, undefined, 400, '<Code>MissingRequestBodyError</Code><Message>Request Body is empty</Message>'],
      ['PUT', `/${Bucket}/k?tagging`, '', 400, '<Code>MissingRequestBodyError</Code><Message>Request Body is empty</Message>'],
      ['PUT', `/${Bucket}?tagging`, '<Tagging><TagSet><Tag><Key>a</Key></Tag></TagSet></Tagging>', 400, malformed],
      ['PUT', `/${Bucket}?cors`, '<CORSConfiguration><CORSRule><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>', 400, malformed],
      ['POST', `/${Bucket}?delete`, '<Delete><Object><VersionId>x</VersionId></Object></Delete>', 400, malformed],
      ['GET', `/${Bucket}/k?attributes`, undefined, 400, '<Code>InvalidRequest</Code><Message>The x-amz-object-attributes header specifying the attributes to be retrieved is either missing or empty</Message>'],
    ];
    for (const [method, path, body, status, expected] of cases) {
      const res = await rawRequest(env.endpoint, { method, path, headers: auth, body });
      assert.equal(res.status, status, `${method} ${path}: ${res.body}`);
      assert.ok(res.body.includes(expected), `${method} ${path}: ${res.body}`);
      assert.ok(!res.body.includes('validation error'), res.body);
    }
    assert.equal((await s3.send(new HeadObjectCommand({ Bucket, Key: 'k' }))).ContentLength, 1);
  });

  it('writes list documents with S3\'s root elements and namespace', async () => {
    const s3 = s3Client(env.endpoint);
    const Bucket = await createBucket(s3);
    const xmlns = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';
    const buckets = await rawRequest(env.endpoint, { path: '/', headers: auth });
    assert.match(buckets.body, new RegExp(`<ListAllMyBucketsResult ${xmlns}><Buckets><Bucket><Name>`));
    const v1 = await rawRequest(env.endpoint, { path: `/${Bucket}`, headers: auth });
    assert.match(v1.body, new RegExp(`<ListBucketResult ${xmlns}>`));
    const location = await rawRequest(env.endpoint, { path: `/${Bucket}?location`, headers: auth });
    assert.match(location.body, new RegExp(`<LocationConstraint ${xmlns}/>`));
    const started = await rawRequest(env.endpoint, { method: 'POST', path: `/${Bucket}/k?uploads`, headers: auth });
    assert.match(started.body, new RegExp(`<InitiateMultipartUploadResult ${xmlns}><Bucket>${Bucket}</Bucket><Key>k</Key><UploadId>`));
  });

  it('HeadObject reports the object size in Content-Length', async () => {
    const s3 = s3Client(env.endpoint);
    const Bucket = await createBucket(s3);
    await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: '12345' }));
    assert.equal((await s3.send(new HeadObjectCommand({ Bucket, Key: 'k' }))).ContentLength, 5);
  });

  it('serves presigned GET and PUT URLs made by boto3', { skip: !hasBoto3 && 'needs python3 with boto3' }, async () => {
    const s3 = s3Client(env.endpoint);
    const Bucket = await createBucket(s3);
    await s3.send(new PutObjectCommand({ Bucket, Key: 'shared file.txt', Body: 'shared' }));
    const urls = (await boto3(
      env.endpoint,
      `
import json, boto3
from botocore.config import Config
s3 = boto3.client('s3', config=Config(signature_version='s3v4', s3={'addressing_style': 'path'}))
print(json.dumps({
  'get': s3.generate_presigned_url('get_object', Params={'Bucket': '${Bucket}', 'Key': 'shared file.txt'}, ExpiresIn=300),
  'put': s3.generate_presigned_url('put_object', Params={'Bucket': '${Bucket}', 'Key': 'uploaded.txt'}, ExpiresIn=300),
}))
`,
    )) as { get: string; put: string };
    const got = await fetch(urls.get);
    assert.equal(got.status, 200);
    assert.equal(await got.text(), 'shared');
    const put = await fetch(urls.put, { method: 'PUT', body: 'via presigned put' });
    assert.equal(put.status, 200);
    const back = await s3.send(new GetObjectCommand({ Bucket, Key: 'uploaded.txt' }));
    assert.equal(await back.Body!.transformToString(), 'via presigned put');
  });
});
