import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ApiGatewayV2Client,
  CreateApiCommand,
  CreateAuthorizerCommand,
  CreateRouteCommand,
  GetAuthorizersCommand,
  GetIntegrationsCommand,
  UpdateAuthorizerCommand,
} from '@aws-sdk/client-apigatewayv2';
import { clientConfig } from '../support/fogbank.js';
import { expectAwsError } from '../support/errors.js';
import { rawRequest } from '../support/http.js';
import { createFunction, lambdaClient, useLambdaFogbank } from '../lambda/support.js';
import { lambdaUri } from './support.js';

const env = useLambdaFogbank();
const v2 = () => new ApiGatewayV2Client(clientConfig(env.endpoint));

const ECHO = `export const handler = async (event) => ({ statusCode: 200, body: JSON.stringify(event.requestContext.authorizer ?? null) });`;

// Each call answers a fresh nonce in its context: a repeated nonce means the answer came from the cache.
const SIMPLE = `export const handler = async (event) => ({
  isAuthorized: event.headers['x-token'] !== 'bad',
  context: { nonce: String(Math.random()), token: event.headers['x-token'] },
});`;

// An IAM policy that allows only GET /a, whatever route asked.
const IAM = `export const handler = async (event) => ({
  principalId: 'user-' + event.headers['x-token'],
  policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn.replace(/[^/]+\\/[^/]+$/, 'GET/a') }] },
  context: { nonce: String(Math.random()) },
});`;

function get(apiId: string, path: string, headers: Record<string, string> = {}) {
  const port = new URL(env.endpoint).port;
  return rawRequest(env.endpoint, { path, headers: { host: `${apiId}.execute-api.localhost.localstack.cloud:${port}`, ...headers } });
}

async function setup(authorizerCode: string, authorizer: { ttl: number; version: '1.0' | '2.0'; simple: boolean; sources: string[] }, routeKeys: string[]) {
  const client = v2();
  const fn = await createFunction(lambdaClient(env.endpoint), { files: { 'index.mjs': ECHO } });
  const auth = await createFunction(lambdaClient(env.endpoint), { files: { 'index.mjs': authorizerCode } });
  const api = await client.send(new CreateApiCommand({ Name: 'cache', ProtocolType: 'HTTP', Target: fn.FunctionArn, RouteKey: 'GET /open' }));
  const integrationId = (await client.send(new GetIntegrationsCommand({ ApiId: api.ApiId }))).Items![0]!.IntegrationId;
  const created = await client.send(
    new CreateAuthorizerCommand({
      ApiId: api.ApiId,
      Name: 'cached',
      AuthorizerType: 'REQUEST',
      AuthorizerUri: lambdaUri(auth.FunctionArn!),
      AuthorizerPayloadFormatVersion: authorizer.version,
      EnableSimpleResponses: authorizer.simple,
      AuthorizerResultTtlInSeconds: authorizer.ttl,
      IdentitySource: authorizer.sources,
    }),
  );
  assert.equal(created.AuthorizerResultTtlInSeconds, authorizer.ttl);
  for (const RouteKey of routeKeys) {
    await client.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey, Target: `integrations/${integrationId}`, AuthorizationType: 'CUSTOM', AuthorizerId: created.AuthorizerId }));
  }
  return api.ApiId!;
}

const nonceOf = (body: string, v1 = false): string => (v1 ? JSON.parse(body).nonce : JSON.parse(body).lambda.nonce);

describe('HTTP API Lambda authorizer result caching', () => {
  it('caches simple responses per identity source values until the TTL passes on the clock', async () => {
    const apiId = await setup(SIMPLE, { ttl: 300, version: '2.0', simple: true, sources: ['$request.header.x-token', '$request.querystring.tenant'] }, ['GET /a', 'GET /b']);
    const first = await get(apiId, '/a?tenant=t1', { 'x-token': 'alice' });
    assert.equal(first.status, 200, first.body);
    const nonce = nonceOf(first.body);
    // Same identity, other route: the cached answer.
    assert.equal(nonceOf((await get(apiId, '/b?tenant=t1', { 'x-token': 'alice' })).body), nonce);
    // Another identity value: a new call.
    assert.notEqual(nonceOf((await get(apiId, '/a?tenant=t2', { 'x-token': 'alice' })).body), nonce);
    assert.notEqual(nonceOf((await get(apiId, '/a?tenant=t1', { 'x-token': 'bob' })).body), nonce);
    // A missing identity source: 401 without calling the authorizer.
    const missing = await get(apiId, '/a', { 'x-token': 'alice' });
    assert.equal(missing.status, 401);
    assert.deepEqual(JSON.parse(missing.body), { message: 'Unauthorized' });
    // Denials are cached as well.
    assert.equal((await get(apiId, '/a?tenant=t1', { 'x-token': 'bad' })).status, 403);
    assert.equal((await get(apiId, '/b?tenant=t1', { 'x-token': 'bad' })).status, 403);

    env.fogbank.clock.advance(299_000);
    assert.equal(nonceOf((await get(apiId, '/a?tenant=t1', { 'x-token': 'alice' })).body), nonce);
    env.fogbank.clock.advance(2_000);
    assert.notEqual(nonceOf((await get(apiId, '/a?tenant=t1', { 'x-token': 'alice' })).body), nonce);
  });

  it('checks a cached IAM policy against each route it is used for', async () => {
    const apiId = await setup(IAM, { ttl: 60, version: '1.0', simple: false, sources: ['$request.header.x-token'] }, ['GET /a', 'GET /b']);
    const allowed = await get(apiId, '/a', { 'x-token': 'carol' });
    assert.equal(allowed.status, 200, allowed.body);
    assert.equal(JSON.parse(allowed.body).principalId, 'user-carol');
    const nonce = nonceOf(allowed.body, true);
    // The cached policy allows GET /a only.
    const denied = await get(apiId, '/b', { 'x-token': 'carol' });
    assert.equal(denied.status, 403);
    assert.deepEqual(JSON.parse(denied.body), { message: 'Forbidden' });
    assert.equal(nonceOf((await get(apiId, '/a', { 'x-token': 'carol' })).body, true), nonce);
    env.fogbank.clock.advance(61_000);
    const renewed = nonceOf((await get(apiId, '/a', { 'x-token': 'carol' })).body, true);
    assert.notEqual(renewed, nonce);
    // Changing the authorizer drops its cached answers.
    const client = v2();
    const authorizerId = (await client.send(new GetAuthorizersCommand({ ApiId: apiId }))).Items![0]!.AuthorizerId;
    await client.send(new UpdateAuthorizerCommand({ ApiId: apiId, AuthorizerId: authorizerId, AuthorizerResultTtlInSeconds: 120 }));
    assert.notEqual(nonceOf((await get(apiId, '/a', { 'x-token': 'carol' })).body, true), renewed);
  });

  it('calls the authorizer every time when the TTL is 0', async () => {
    const apiId = await setup(SIMPLE, { ttl: 0, version: '2.0', simple: true, sources: ['$request.header.x-token'] }, ['GET /a']);
    const one = nonceOf((await get(apiId, '/a', { 'x-token': 'dan' })).body);
    const two = nonceOf((await get(apiId, '/a', { 'x-token': 'dan' })).body);
    assert.notEqual(one, two);
  });

  it('reads $context and $stageVariables identity sources, which key the cache like the others', async () => {
    const apiId = await setup(SIMPLE, { ttl: 300, version: '2.0', simple: true, sources: ['$context.routeKey', '$stageVariables.missing'] }, ['GET /a']);
    // A stage variable that the stage does not have is a missing identity source.
    assert.equal((await get(apiId, '/a', { 'x-token': 'erin' })).status, 401);
    const byRoute = await setup(SIMPLE, { ttl: 300, version: '2.0', simple: true, sources: ['$context.routeKey'] }, ['GET /a', 'GET /b']);
    const a = nonceOf((await get(byRoute, '/a', { 'x-token': 'erin' })).body);
    assert.equal(nonceOf((await get(byRoute, '/a', { 'x-token': 'frank' })).body), a);
    assert.notEqual(nonceOf((await get(byRoute, '/b', { 'x-token': 'erin' })).body), a);
  });

  it('refuses caching without an identity source and a TTL over 3600', async () => {
    const client = v2();
    const api = await client.send(new CreateApiCommand({ Name: 'bad-cache', ProtocolType: 'HTTP' }));
    const base = { ApiId: api.ApiId, Name: 'a', AuthorizerType: 'REQUEST' as const, AuthorizerUri: lambdaUri('arn:aws:lambda:us-east-1:000000000000:function:f'), AuthorizerPayloadFormatVersion: '2.0', EnableSimpleResponses: true };
    await expectAwsError(client.send(new CreateAuthorizerCommand({ ...base, AuthorizerResultTtlInSeconds: 300, IdentitySource: [] })), { name: 'BadRequestException', status: 400 });
    await expectAwsError(client.send(new CreateAuthorizerCommand({ ...base, AuthorizerResultTtlInSeconds: 3601, IdentitySource: ['$request.header.a'] })), { name: 'BadRequestException', status: 400 });
    const ok = await client.send(new CreateAuthorizerCommand({ ...base, AuthorizerResultTtlInSeconds: 3600, IdentitySource: ['$request.header.a'] }));
    assert.equal(ok.AuthorizerResultTtlInSeconds, 3600);
  });
});
