// The edge as a client sees it: health, CORS, request ids, LocalStack host names, Fogbank's own
// routes, and AWS-shaped errors for everything malformed, with the server still serving after.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { MAX_BODY_BYTES } from '../../src/edge/listener.js';
import { clientConfig, useFogbank } from '../support/fogbank.js';
import { jsonCall, rawRequest, SIGNED } from '../support/http.js';

const env = useFogbank();

async function stillServing(): Promise<void> {
  const sts = new STSClient(clientConfig(env.endpoint));
  assert.equal((await sts.send(new GetCallerIdentityCommand({}))).Account, '000000000000');
}

describe('edge: Fogbank routes', () => {
  it('serves the health document at /_fogbank/health and /_localstack/health', async () => {
    for (const path of ['/_fogbank/health', '/_localstack/health']) {
      const res = await rawRequest(env.endpoint, { path });
      assert.equal(res.status, 200);
      const doc = JSON.parse(res.body);
      assert.equal(doc.services.sts === 'available' || doc.services.sts === 'running', true);
      assert.ok('secretsmanager' in doc.services && 'ssm' in doc.services && 'logs' in doc.services && 'iam' in doc.services);
    }
  });

  it('moves the clock forward over HTTP', async () => {
    const before = env.fogbank.clock.now();
    const res = await rawRequest(env.endpoint, { method: 'POST', path: '/_fogbank/clock/advance', body: JSON.stringify({ seconds: 3600 }) });
    assert.equal(res.status, 200);
    assert.ok(JSON.parse(res.body).epochMillis >= before + 3_600_000);
    const bad = await rawRequest(env.endpoint, { method: 'POST', path: '/_fogbank/clock/advance', body: '{"seconds": -5}' });
    assert.equal(bad.status, 400);
  });

  it('answers 404 for an unknown Fogbank route', async () => {
    assert.equal((await rawRequest(env.endpoint, { path: '/_fogbank/nope' })).status, 404);
  });
});

describe('edge: CORS, request ids and host names', () => {
  it('answers a browser preflight', async () => {
    const res = await rawRequest(env.endpoint, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-amz-target,content-type,authorization' },
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers['access-control-allow-origin'], 'http://localhost:3000');
    assert.match(String(res.headers['access-control-allow-methods']), /POST/);
    assert.equal(res.headers['access-control-allow-headers'], 'x-amz-target,content-type,authorization');
  });

  it('lets a browser read responses and their request id', async () => {
    const res = await rawRequest(env.endpoint, {
      method: 'POST',
      headers: { origin: 'http://localhost:3000', 'content-type': 'application/x-www-form-urlencoded', authorization: SIGNED('sts') },
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers['access-control-allow-origin'], 'http://localhost:3000');
    assert.match(String(res.headers['access-control-expose-headers']), /x-amzn-requestid/);
    assert.match(String(res.headers['x-amzn-requestid']), /^[0-9a-f-]{36}$/);
    assert.match(res.body, /<RequestId>[0-9a-f-]{36}<\/RequestId>/);
  });

  it('treats <anything>.localhost.localstack.cloud like localhost', async () => {
    const res = await rawRequest(env.endpoint, {
      method: 'POST',
      headers: { host: 'sts.us-east-1.localhost.localstack.cloud:4566', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    });
    assert.equal(res.status, 200);
    assert.match(res.body, /<Account>000000000000<\/Account>/);
  });
});

describe('edge: malformed input gets AWS errors and the server keeps serving', () => {
  it('broken JSON is a SerializationException', async () => {
    const res = await jsonCall(env.endpoint, 'secretsmanager.GetSecretValue', '{"SecretId": ');
    assert.equal(res.status, 400);
    assert.equal(res.headers['x-amzn-errortype'], 'SerializationException');
    assert.equal(JSON.parse(res.body).__type, 'SerializationException');
    await stillServing();
  });

  it('a member of the wrong type is a SerializationException', async () => {
    const res = await jsonCall(env.endpoint, 'AmazonSSM.GetParameter', '{"Name": 12}');
    assert.equal(res.status, 400);
    assert.equal(JSON.parse(res.body).__type, 'SerializationException');
    const list = await jsonCall(env.endpoint, 'AmazonSSM.GetParameters', '{"Names": "not-a-list"}');
    assert.equal(JSON.parse(list.body).__type, 'SerializationException');
    await stillServing();
  });

  it('a JSON body that is not an object is a SerializationException', async () => {
    const res = await jsonCall(env.endpoint, 'AmazonSSM.GetParameter', '[1,2]');
    assert.equal(JSON.parse(res.body).__type, 'SerializationException');
    await stillServing();
  });

  it('a missing required member is a ValidationException in the JSON protocol', async () => {
    const res = await jsonCall(env.endpoint, 'secretsmanager.GetSecretValue', '{}');
    assert.equal(res.status, 400);
    const body = JSON.parse(res.body);
    assert.equal(body.__type, 'ValidationException');
    assert.match(body.message ?? body.Message, /^1 validation error detected: Value null at 'secretId' failed to satisfy constraint: Member must not be null$/);
    await stillServing();
  });

  it('a missing required member is a ValidationError in the query protocol', async () => {
    const res = await rawRequest(env.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: SIGNED('sts') },
      body: 'Action=AssumeRole&Version=2011-06-15&RoleSessionName=abc',
    });
    assert.equal(res.status, 400);
    assert.match(res.body, /<ErrorResponse xmlns="https:\/\/sts.amazonaws.com\/doc\/2011-06-15\/"><Error><Type>Sender<\/Type><Code>ValidationError<\/Code>/);
    assert.match(res.body, /Value null at 'roleArn' failed to satisfy constraint: Member must not be null/);
    await stillServing();
  });

  it('a malformed number in a query parameter is rejected', async () => {
    const res = await rawRequest(env.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: SIGNED('sts') },
      body: 'Action=GetSessionToken&Version=2011-06-15&DurationSeconds=soon',
    });
    assert.equal(res.status, 400);
    assert.match(res.body, /<Code>SerializationException<\/Code>/);
    await stillServing();
  });

  it('an unknown JSON operation is an UnknownOperationException', async () => {
    const res = await jsonCall(env.endpoint, 'secretsmanager.MakeCoffee', '{}');
    assert.equal(res.status, 400);
    assert.equal(JSON.parse(res.body).__type, 'UnknownOperationException');
    await stillServing();
  });

  it('an unknown query Action is an InvalidAction', async () => {
    const res = await rawRequest(env.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: SIGNED('sts') },
      body: 'Action=MakeCoffee&Version=2011-06-15',
    });
    assert.equal(res.status, 400);
    assert.match(res.body, /<Code>InvalidAction<\/Code><Message>The action MakeCoffee is not valid for this web service.<\/Message>/);
    await stillServing();
  });

  it('an operation Fogbank does not implement names itself in the protocol error shape', async () => {
    const json = await jsonCall(env.endpoint, 'DynamoDB_20120810.CreateBackup', '{"TableName":"table1","BackupName":"backup1"}', { 'content-type': 'application/x-amz-json-1.0' });
    assert.equal(json.status, 400);
    assert.match(JSON.parse(json.body).__type, /UnknownOperationException$/);
    assert.match(JSON.parse(json.body).message, /CreateBackup/);
    const rest = await rawRequest(env.endpoint, { method: 'GET', path: '/bucket?analytics&id=a1', headers: { authorization: SIGNED('s3') } });
    assert.equal(rest.status, 501);
    assert.match(rest.body, /<Code>NotImplemented<\/Code><Message>The operation GetBucketAnalyticsConfiguration is not implemented/);
    const query = await rawRequest(env.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: SIGNED('sts') },
      body: 'Action=GetFederationToken&Version=2011-06-15&Name=bob',
    });
    assert.match(query.body, /<Code>InvalidAction<\/Code><Message>The action GetFederationToken is not implemented/);
    await stillServing();
  });

  it('an oversized body is refused with 413 in the protocol error shape', async () => {
    const big = Buffer.alloc(MAX_BODY_BYTES + 1, 0x20);
    const res = await jsonCall(env.endpoint, 'secretsmanager.GetSecretValue', big as unknown as string);
    assert.equal(res.status, 413);
    assert.equal(JSON.parse(res.body).__type, 'RequestEntityTooLarge');
    await stillServing();
  });
});

describe('edge: names that are JavaScript built-ins', () => {
  it('an operation named after an Object method is unknown, not a crash', async () => {
    for (const name of ['toString', 'hasOwnProperty', '__proto__', 'constructor']) {
      const json = await jsonCall(env.endpoint, `AmazonSSM.${name}`, '{}');
      assert.equal(json.status, 400, name);
      assert.equal(JSON.parse(json.body).__type, 'UnknownOperationException');
      const query = await rawRequest(env.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: SIGNED('sts') },
        body: `Action=${name}&Version=2011-06-15`,
      });
      assert.equal(query.status, 400, name);
      assert.match(query.body, /<Code>InvalidAction<\/Code>/);
    }
    await stillServing();
  });

  it('keeps a map key named __proto__', async () => {
    const put = await jsonCall(env.endpoint, 'Logs_20140328.CreateLogGroup', JSON.stringify({ logGroupName: 'proto-tags', tags: { __proto__: 'x', a: 'b' } }).replace('"a"', '"__proto__":"x","a"'));
    assert.equal(put.status, 200, put.body);
    const tags = await jsonCall(env.endpoint, 'Logs_20140328.ListTagsLogGroup', JSON.stringify({ logGroupName: 'proto-tags' }));
    assert.deepEqual(Object.entries(JSON.parse(tags.body).tags).sort(), [['__proto__', 'x'], ['a', 'b']]);
  });
});
