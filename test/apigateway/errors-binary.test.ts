import assert from 'node:assert/strict';
import { request } from 'node:http';
import { describe, it } from 'node:test';
import { CreateRestApiCommand, UpdateRestApiCommand, CreateDeploymentCommand } from '@aws-sdk/client-api-gateway';
import { ApiGatewayV2Client, CreateApiCommand } from '@aws-sdk/client-apigatewayv2';
import { clientConfig } from '../support/fogbank.js';
import { createFunction, lambdaClient, useLambdaFogbank } from '../lambda/support.js';
import { apigwClient, invoke, proxyApi } from './support.js';

const env = useLambdaFogbank();

/** A request whose answer is kept as bytes. */
function bytes(apiId: string, path: string, body: Buffer, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  const url = new URL(env.endpoint);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, method: 'POST', path, headers: { host: `${apiId}.execute-api.localhost.localstack.cloud:${url.port}`, 'content-length': String(body.length), ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const ECHO_BODY = `export const handler = async (event) => ({
  statusCode: 200,
  headers: { 'content-type': event.headers['content-type'] },
  body: event.body,
  isBase64Encoded: event.isBase64Encoded,
});`;

describe('REST API errors, timeouts, payload limits and binary media types', () => {
  it('answers 504 when the integration runs past its 29-second timeout (on the clock)', async () => {
    const fn = await createFunction(lambdaClient(env.endpoint), {
      Timeout: 300,
      files: { 'index.mjs': 'export const handler = async () => { await new Promise((r) => setTimeout(r, 600000)); return { statusCode: 200, body: "late" }; };' },
    });
    const { apiId } = await proxyApi(apigwClient(env.endpoint), fn.FunctionArn!);
    const pending = invoke(env.endpoint, 'host', apiId, 'dev', '/slow');
    let answer: Awaited<typeof pending> | undefined;
    void pending.then((a) => (answer = a));
    // The timer is armed once the request reaches the integration: move the clock until it fires.
    for (let i = 0; i < 200 && !answer; i++) {
      env.fogbank.advanceClock(29_001);
      await new Promise((r) => setImmediate(r));
      await Promise.race([pending, new Promise((r) => setTimeout(r, 20))]);
    }
    const res = await pending;
    assert.equal(res.status, 504);
    assert.deepEqual(JSON.parse(res.body), { message: 'Endpoint request timed out' });
  });

  it('answers 413 above the 10 MB payload limit and keeps serving', async () => {
    const fn = await createFunction(lambdaClient(env.endpoint), { files: { 'index.mjs': ECHO_BODY } });
    const { apiId } = await proxyApi(apigwClient(env.endpoint), fn.FunctionArn!);
    const big = await bytes(apiId, '/dev/upload', Buffer.alloc(10 * 1024 * 1024 + 1, 97), { 'content-type': 'text/plain' });
    assert.equal(big.status, 413);
    assert.deepEqual(JSON.parse(big.body.toString()), { message: 'Request Too Long' });
    const small = await bytes(apiId, '/dev/upload', Buffer.from('fine'), { 'content-type': 'text/plain' });
    assert.equal(small.status, 200);
    assert.equal(small.body.toString(), 'fine');
  });

  it('sends binary media types to Lambda base64-encoded and decodes base64 answers for them', async () => {
    const fn = await createFunction(lambdaClient(env.endpoint), { files: { 'index.mjs': ECHO_BODY } });
    const client = apigwClient(env.endpoint);
    const { apiId } = await proxyApi(client, fn.FunctionArn!);
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0xfe]);
    // Without binary media types the bytes arrive as (lossy) text and nothing is decoded.
    const before = await bytes(apiId, '/dev/img', png, { 'content-type': 'image/png', accept: 'image/png' });
    assert.equal(before.status, 200);
    assert.notDeepEqual(before.body, png);

    await client.send(new UpdateRestApiCommand({ restApiId: apiId, patchOperations: [{ op: 'add', path: '/binaryMediaTypes/image~1*' }] }));
    await client.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'dev' }));
    const after = await bytes(apiId, '/dev/img', png, { 'content-type': 'image/png', accept: 'image/png' });
    assert.equal(after.status, 200);
    assert.deepEqual(after.body, png);
    assert.equal(after.headers['content-type'], 'image/png');
    const text = await bytes(apiId, '/dev/img', Buffer.from('plain'), { 'content-type': 'text/plain' });
    assert.equal(text.body.toString(), 'plain');
  });

  it('answers 403 Missing Authentication Token for unknown APIs, stages and routes', async () => {
    const client = apigwClient(env.endpoint);
    const api = await client.send(new CreateRestApiCommand({ name: 'empty' }));
    for (const [apiId, stage, path] of [[api.id!, 'nostage', '/x'], [api.id!, 'dev', '/'], ['nosuchapi0', 'dev', '/x'], [api.id!, '%zz', '/x'], ['nosuchapi0', '%zz', '/x']] as const) {
      const res = await invoke(env.endpoint, 'path', apiId, stage, path);
      if (apiId === 'nosuchapi0') {
        assert.equal(res.status, 404);
        continue;
      }
      assert.equal(res.status, 403);
      assert.equal(res.headers['x-amzn-errortype'], 'MissingAuthenticationTokenException');
      assert.deepEqual(JSON.parse(res.body), { message: 'Missing Authentication Token' });
    }
    // A malformed %-escape in the stage broke nothing.
    assert.equal((await invoke(env.endpoint, 'path', api.id!, 'dev', '/')).status, 403);
  });

  it('HTTP APIs send non-text bodies base64-encoded and decode base64 answers', async () => {
    const fn = await createFunction(lambdaClient(env.endpoint), { files: { 'index.mjs': ECHO_BODY } });
    const api = await new ApiGatewayV2Client(clientConfig(env.endpoint)).send(new CreateApiCommand({ Name: 'bin', ProtocolType: 'HTTP', Target: fn.FunctionArn }));
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff, 0xfe]);
    const res = await bytes(api.ApiId!, '/upload', png, { 'content-type': 'image/png' });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, png);
    const text = await bytes(api.ApiId!, '/upload', Buffer.from('{"a":1}'), { 'content-type': 'application/json' });
    assert.equal(text.body.toString(), '{"a":1}');
    const big = await bytes(api.ApiId!, '/upload', Buffer.alloc(10 * 1024 * 1024 + 1, 97), { 'content-type': 'text/plain' });
    assert.equal(big.status, 413);
  });
});
