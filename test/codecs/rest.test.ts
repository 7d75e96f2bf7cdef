// The rest-json and rest-xml codecs against real AWS models: routing by URI template, binding
// members to labels, query, headers and bodies, and AWS's errors for malformed XML.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ServiceError } from '../../src/errors.js';
import { loadModel } from '../../src/protocols/model.js';
import { restJsonCodec, restXmlCodec } from '../../src/protocols/rest.js';
import type { WireRequest } from '../../src/protocols/wire.js';

function req(method: string, pathAndQuery: string, headers: Record<string, string> = {}, body = ''): WireRequest {
  const url = new URL(pathAndQuery, 'http://localhost');
  return { method, path: url.pathname, query: [...url.searchParams], headers, body: Buffer.from(body) };
}

describe('rest-xml (S3 model)', () => {
  const s3 = loadModel('s3-2006-03-01');

  it('routes by method, path and query literals, most specific first', () => {
    const cases: Array<[string, string, string]> = [
      ['GET', '/', 'ListBuckets'],
      ['GET', '/bucket', 'ListObjects'],
      ['GET', '/bucket/', 'ListObjects'],
      ['GET', '/bucket?list-type=2', 'ListObjectsV2'],
      ['GET', '/bucket?tagging', 'GetBucketTagging'],
      ['PUT', '/bucket', 'CreateBucket'],
      ['GET', '/bucket/a/b%20c.txt', 'GetObject'],
      ['GET', '/bucket/key?tagging', 'GetObjectTagging'],
      ['POST', '/bucket/key?uploads', 'CreateMultipartUpload'],
      ['PUT', '/bucket/key?partNumber=1&uploadId=abc', 'UploadPart'],
      ['DELETE', '/bucket/key', 'DeleteObject'],
    ];
    for (const [method, path, op] of cases) assert.equal(restXmlCodec.findOperation(req(method, path), s3)?.name, op, `${method} ${path}`);
  });

  it('binds greedy labels, headers, prefixed header maps and query members', () => {
    const r = req('PUT', '/bucket/dir/sub/file%20name.txt', { 'content-type': 'text/plain', 'x-amz-meta-owner': 'me', 'x-amz-tagging': 'a=b' }, 'hello');
    const op = restXmlCodec.findOperation(r, s3)!;
    const input = restXmlCodec.parse(r, op, s3);
    assert.equal(input.Bucket, 'bucket');
    assert.equal(input.Key, 'dir/sub/file name.txt');
    assert.equal(input.ContentType, 'text/plain');
    assert.deepEqual(input.Metadata, { owner: 'me' });
    assert.equal((input.Body as Buffer).toString(), 'hello');
    const list = req('GET', '/bucket?list-type=2&max-keys=5&prefix=a%2Fb');
    const listInput = restXmlCodec.parse(list, restXmlCodec.findOperation(list, s3)!, s3);
    assert.equal(listInput.MaxKeys, 5);
    assert.equal(listInput.Prefix, 'a/b');
  });

  it('reads an XML payload by shape', () => {
    const body = '<?xml version="1.0"?><Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet><Tag><Key>env</Key><Value>dev &amp; test</Value></Tag><Tag><Key>team</Key><Value>x</Value></Tag></TagSet></Tagging>';
    const r = req('PUT', '/bucket?tagging', {}, body);
    const input = restXmlCodec.parse(r, restXmlCodec.findOperation(r, s3)!, s3);
    assert.deepEqual(input.Tagging, { TagSet: [{ Key: 'env', Value: 'dev & test' }, { Key: 'team', Value: 'x' }] });
  });

  it('answers MalformedXML for XML that does not parse', () => {
    const r = req('PUT', '/bucket?tagging', {}, '<Tagging><TagSet><Tag>');
    assert.throws(() => restXmlCodec.parse(r, restXmlCodec.findOperation(r, s3)!, s3), (e: unknown) => e instanceof ServiceError && e.code === 'MalformedXML');
  });

  it('writes header members, a streaming payload, and S3-style errors', () => {
    const op = s3.operations.GetObject!;
    const res = restXmlCodec.serialize({ Body: Buffer.from('data'), ContentLength: 4, ETag: '"abc"', LastModified: new Date('2026-01-02T03:04:05Z'), Metadata: { a: '1' } }, op, s3, { requestId: 'r1' });
    assert.equal(res.status, 200);
    assert.equal(res.headers['etag'], '"abc"');
    assert.equal(res.headers['last-modified'], 'Fri, 02 Jan 2026 03:04:05 GMT');
    assert.equal(res.headers['x-amz-meta-a'], '1');
    assert.equal(String(res.body), 'data');
    const err = restXmlCodec.serializeError(new ServiceError('NoSuchKey', 'The specified key does not exist.', { status: 404, fields: { Key: 'k' } }), s3, { requestId: 'r2' }, {});
    assert.equal(err.status, 404);
    assert.match(String(err.body), /<Error><Code>NoSuchKey<\/Code><Message>The specified key does not exist.<\/Message><Key>k<\/Key><RequestId>r2<\/RequestId><\/Error>/);
  });
});

describe('rest-json query maps and headers (API Gateway, S3 models)', () => {
  it('a query-string map holds the parameters the URI template does not name', () => {
    const apigateway = loadModel('apigateway-2015-07-09');
    const r = req('POST', '/restapis?mode=import&failonwarnings=true&endpointConfigurationTypes=REGIONAL', {}, '{}');
    const op = restJsonCodec.findOperation(r, apigateway)!;
    assert.equal(op.name, 'ImportRestApi');
    const input = restJsonCodec.parse(r, op, apigateway);
    assert.equal(input.failOnWarnings, true);
    assert.deepEqual(input.parameters, { endpointConfigurationTypes: 'REGIONAL' });
  });

  it('splits list headers into their members', () => {
    const s3 = loadModel('s3-2006-03-01');
    const r = req('GET', '/bucket/key?attributes', { 'x-amz-object-attributes': 'ETag, ObjectSize' });
    const input = restXmlCodec.parse(r, restXmlCodec.findOperation(r, s3)!, s3);
    assert.deepEqual(input.ObjectAttributes, ['ETag', 'ObjectSize']);
  });

  it('leaves a string payload out when the body is empty', () => {
    const s3 = loadModel('s3-2006-03-01');
    const r = req('PUT', '/bucket?policy');
    const input = restXmlCodec.parse(r, restXmlCodec.findOperation(r, s3)!, s3);
    assert.equal('Policy' in input, false);
  });
});

describe('rest-json (Lambda model)', () => {
  const lambda = loadModel('lambda-2015-03-31');

  it('routes and binds labels, query and a JSON body', () => {
    const r = req('POST', '/2015-03-31/functions/my-fn/invocations?Qualifier=live', { 'x-amz-invocation-type': 'Event' }, '{"a":1}');
    const op = restJsonCodec.findOperation(r, lambda)!;
    assert.equal(op.name, 'Invoke');
    const input = restJsonCodec.parse(r, op, lambda);
    assert.equal(input.FunctionName, 'my-fn');
    assert.equal(input.Qualifier, 'live');
    assert.equal(input.InvocationType, 'Event');
    assert.equal(Buffer.from(input.Payload as Uint8Array).toString(), '{"a":1}');
    const create = req('POST', '/2015-03-31/functions', {}, '{"FunctionName":"f","Role":"r","Timeout":30,"Environment":{"Variables":{"A":"b"}}}');
    const createInput = restJsonCodec.parse(create, restJsonCodec.findOperation(create, lambda)!, lambda);
    assert.equal(createInput.Timeout, 30);
    assert.deepEqual(createInput.Environment, { Variables: { A: 'b' } });
  });

  it('writes status codes from the model and header members', () => {
    const op = lambda.operations.Invoke!;
    const res = restJsonCodec.serialize({ StatusCode: 202, FunctionError: 'Unhandled', Payload: Buffer.from('{}') }, op, lambda, { requestId: 'r' });
    assert.equal(res.status, 202);
    assert.equal(res.headers['x-amz-function-error'], 'Unhandled');
  });
});
