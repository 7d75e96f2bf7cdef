import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateAliasCommand,
  CreateFunctionUrlConfigCommand,
  DeleteFunctionCommand,
  DeleteFunctionUrlConfigCommand,
  GetFunctionUrlConfigCommand,
  ListFunctionUrlConfigsCommand,
  UpdateFunctionUrlConfigCommand,
} from '@aws-sdk/client-lambda';
import type { WireRequest } from '../../src/protocols/wire.js';
import { functionUrlTarget } from '../../src/services/lambda/index.js';
import { rawRequest } from '../support/http.js';
import { createFunction, lambdaClient, useLambdaFogbank } from './support.js';

const env = useLambdaFogbank();

function request(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): WireRequest {
  const u = new URL(url);
  return {
    method: init.method ?? 'GET',
    path: u.pathname,
    query: [...u.searchParams],
    headers: { host: u.host, ...init.headers },
    body: Buffer.from(init.body ?? ''),
  };
}

/** Sends the request over HTTP to Fogbank's one port, with the Host header the URL names. */
async function serve(req: WireRequest) {
  const query = req.query.length ? `?${new URLSearchParams(req.query)}` : '';
  return rawRequest(env.endpoint, { method: req.method, path: req.path + query, headers: req.headers, body: req.body });
}

const ECHO = `export const handler = async (event) => {
  if (event.rawPath === '/plain') return { hello: 'world' };
  if (event.rawPath === '/fail') throw new Error('nope');
  return { statusCode: 201, headers: { 'X-Echo': 'yes', 'content-type': 'application/json' }, body: JSON.stringify({ method: event.requestContext.http.method, path: event.rawPath, query: event.queryStringParameters, body: event.body, cookies: event.cookies, version: event.version }) };
};`;

describe('Lambda function URLs', () => {
  it('configures a URL per function or alias, with AWS errors for duplicates and missing configs', async () => {
    const client = lambdaClient(env.endpoint);
    const fn = await createFunction(client, { Publish: true });
    const created = await client.send(new CreateFunctionUrlConfigCommand({ FunctionName: fn.FunctionName, AuthType: 'NONE', Cors: { AllowOrigins: ['*'] } }));
    assert.equal(created.$metadata.httpStatusCode, 201);
    assert.match(created.FunctionUrl!, new RegExp(`^http://[a-z0-9]{32}\\.lambda-url\\.us-east-1\\.localhost\\.localstack\\.cloud:${env.fogbank.port}/$`));
    assert.equal(created.FunctionArn, `arn:aws:lambda:us-east-1:000000000000:function:${fn.FunctionName}`);
    assert.equal(created.InvokeMode, 'BUFFERED');
    await assert.rejects(client.send(new CreateFunctionUrlConfigCommand({ FunctionName: fn.FunctionName, AuthType: 'NONE' })), (e: Error) => {
      assert.equal(e.name, 'ResourceConflictException');
      assert.match(e.message, /FunctionUrlConfig exists for this Lambda function$/);
      return true;
    });
    const updated = await client.send(new UpdateFunctionUrlConfigCommand({ FunctionName: fn.FunctionName, AuthType: 'AWS_IAM' }));
    assert.equal(updated.AuthType, 'AWS_IAM');
    assert.equal(updated.FunctionUrl, created.FunctionUrl);
    await client.send(new CreateAliasCommand({ FunctionName: fn.FunctionName, Name: 'live', FunctionVersion: '1' }));
    const aliasUrl = await client.send(new CreateFunctionUrlConfigCommand({ FunctionName: fn.FunctionName, Qualifier: 'live', AuthType: 'NONE' }));
    assert.notEqual(aliasUrl.FunctionUrl, created.FunctionUrl);
    const listed = await client.send(new ListFunctionUrlConfigsCommand({ FunctionName: fn.FunctionName }));
    assert.equal(listed.FunctionUrlConfigs!.length, 2);
    await client.send(new DeleteFunctionUrlConfigCommand({ FunctionName: fn.FunctionName }));
    await assert.rejects(client.send(new GetFunctionUrlConfigCommand({ FunctionName: fn.FunctionName })), (e: Error) => e.name === 'ResourceNotFoundException' && e.message === 'The resource you requested does not exist.');
    assert.equal((await client.send(new GetFunctionUrlConfigCommand({ FunctionName: fn.FunctionName, Qualifier: 'live' }))).AuthType, 'NONE');
  });

  it('serves requests to the URL as payload-format 2.0 events, by host and by path', async () => {
    const client = lambdaClient(env.endpoint);
    const fn = await createFunction(client, { files: { 'index.mjs': ECHO } });
    const { FunctionUrl } = await client.send(new CreateFunctionUrlConfigCommand({ FunctionName: fn.FunctionName, AuthType: 'NONE', Cors: { AllowOrigins: ['https://app.example'], AllowMethods: ['POST'] } }));
    const url = new URL(FunctionUrl!);
    const req = request(`${FunctionUrl}items/7?a=1&a=2`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: 'c1=v1; c2=v2', origin: 'https://app.example' }, body: '{"x":1}' });
    assert.deepEqual(functionUrlTarget(req), { urlId: url.hostname.split('.')[0], path: '/items/7' });
    const res = await serve(req);
    assert.equal(res.status, 201);
    assert.equal(res.headers['x-echo'], 'yes');
    assert.equal(res.headers['access-control-allow-origin'], 'https://app.example');
    assert.deepEqual(JSON.parse(String(res.body)), { method: 'POST', path: '/items/7', query: { a: '1,2' }, body: '{"x":1}', cookies: ['c1=v1', 'c2=v2'], version: '2.0' });

    // The path form, for clients that cannot resolve the host name.
    const byPath = await serve(request(`http://127.0.0.1:${env.fogbank.port}/_aws/lambda-url/${url.hostname.split('.')[0]}/plain`));
    assert.equal(byPath.status, 200);
    assert.equal(byPath.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(byPath.body), { hello: 'world' });

    const failed = await serve(request(`${FunctionUrl}fail`));
    assert.equal(failed.status, 502);
    const preflight = await serve(request(FunctionUrl!, { method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' } }));
    assert.equal(preflight.status, 200);
    assert.equal(preflight.headers['access-control-allow-methods'], 'POST');
    const unknown = await serve(request(`http://${'0'.repeat(32)}.lambda-url.us-east-1.localhost.localstack.cloud:4566/`));
    assert.equal(unknown.status, 404);

    // AWS_IAM URLs refuse unsigned requests; deleting the function removes its URL.
    await client.send(new UpdateFunctionUrlConfigCommand({ FunctionName: fn.FunctionName, AuthType: 'AWS_IAM' }));
    assert.equal((await serve(request(`${FunctionUrl}plain`))).status, 403);
    assert.equal((await serve(request(`${FunctionUrl}plain`, { headers: { authorization: 'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=x' } }))).status, 200);
    await client.send(new DeleteFunctionCommand({ FunctionName: fn.FunctionName }));
    assert.equal((await serve(request(`${FunctionUrl}plain`))).status, 404);
  });
});
