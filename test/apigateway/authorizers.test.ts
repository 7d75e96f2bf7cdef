import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateAuthorizerCommand,
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  DeleteAuthorizerCommand,
  GetAuthorizerCommand,
  GetAuthorizersCommand,
  PutIntegrationCommand,
  PutMethodCommand,
} from '@aws-sdk/client-api-gateway';
import { createFunction, lambdaClient, useLambdaFogbank } from '../lambda/support.js';
import { apigwClient, invoke, lambdaUri } from './support.js';

const env = useLambdaFogbank();

const BACKEND = `export const handler = async (event) => ({ statusCode: 200, body: JSON.stringify({ authorizer: event.requestContext.authorizer }) });`;

// Allows "allow", denies "deny", fails "Unauthorized" for "unauthorized", answers garbage for "broken".
const TOKEN_AUTHORIZER = `export const handler = async (event) => {
  const token = event.authorizationToken;
  if (token === 'unauthorized') throw new Error('Unauthorized');
  if (token === 'broken') return { nope: true };
  const effect = token === 'allow' ? 'Allow' : 'Deny';
  return { principalId: 'user-1', context: { tier: 'gold', seen: event.type + ' ' + event.methodArn },
    policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: event.methodArn.split('/').slice(0, 2).join('/') + '/*' }] } };
};`;

const REQUEST_AUTHORIZER = `export const handler = async (event) => ({
  principalId: 'req-user',
  context: { path: event.path, tenant: event.queryStringParameters && event.queryStringParameters.tenant },
  policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: event.headers['x-tenant-key'] === 'k' ? 'Allow' : 'Deny', Resource: '*' }] },
});`;

async function securedApi(authorizerType: 'TOKEN' | 'REQUEST', authorizerCode: string, identitySource?: string, ttl = 0) {
  const lambda = lambdaClient(env.endpoint);
  const backend = await createFunction(lambda, { files: { 'index.mjs': BACKEND } });
  const auth = await createFunction(lambda, { files: { 'index.mjs': authorizerCode } });
  const client = apigwClient(env.endpoint);
  const api = await client.send(new CreateRestApiCommand({ name: 'secured' }));
  const authorizer = await client.send(
    new CreateAuthorizerCommand({ restApiId: api.id, name: 'auth', type: authorizerType, authorizerUri: lambdaUri(auth.FunctionArn!), identitySource, authorizerResultTtlInSeconds: ttl }),
  );
  const r = await client.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: 'orders' }));
  await client.send(new PutMethodCommand({ restApiId: api.id, resourceId: r.id, httpMethod: 'GET', authorizationType: 'CUSTOM', authorizerId: authorizer.id }));
  await client.send(new PutIntegrationCommand({ restApiId: api.id, resourceId: r.id, httpMethod: 'GET', type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: lambdaUri(backend.FunctionArn!) }));
  await client.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'dev' }));
  return { client, apiId: api.id!, authorizerId: authorizer.id!, resourceId: r.id! };
}

describe('API Gateway Lambda authorizers', () => {
  it('runs a TOKEN authorizer: allow passes its context on, deny is 403, missing token and Unauthorized are 401', async () => {
    const { client, apiId, authorizerId } = await securedApi('TOKEN', TOKEN_AUTHORIZER);
    const got = await client.send(new GetAuthorizerCommand({ restApiId: apiId, authorizerId }));
    assert.equal(got.type, 'TOKEN');
    assert.equal(got.identitySource, 'method.request.header.Authorization');
    assert.deepEqual((await client.send(new GetAuthorizersCommand({ restApiId: apiId }))).items?.map((a) => a.id), [authorizerId]);

    const allowed = await invoke(env.endpoint, 'host', apiId, 'dev', '/orders', { headers: { authorization: 'allow' } });
    assert.equal(allowed.status, 200, allowed.body);
    const context = JSON.parse(allowed.body).authorizer;
    assert.equal(context.principalId, 'user-1');
    assert.equal(context.tier, 'gold');
    assert.equal(context.seen, `TOKEN arn:aws:execute-api:us-east-1:000000000000:${apiId}/dev/GET/orders`);

    const denied = await invoke(env.endpoint, 'path', apiId, 'dev', '/orders', { headers: { authorization: 'deny' } });
    assert.equal(denied.status, 403);
    assert.deepEqual(JSON.parse(denied.body), { Message: 'User is not authorized to access this resource with an explicit deny' });
    for (const headers of [{}, { authorization: 'unauthorized' }] as Array<Record<string, string>>) {
      const r = await invoke(env.endpoint, 'path', apiId, 'dev', '/orders', { headers });
      assert.equal(r.status, 401);
      assert.deepEqual(JSON.parse(r.body), { message: 'Unauthorized' });
    }
    const broken = await invoke(env.endpoint, 'path', apiId, 'dev', '/orders', { headers: { authorization: 'broken' } });
    assert.equal(broken.status, 500);
    assert.equal(broken.headers['x-amzn-errortype'], 'AuthorizerConfigurationException');
  });

  it('runs a REQUEST authorizer with the request parts and its identity sources', async () => {
    const { apiId } = await securedApi('REQUEST', REQUEST_AUTHORIZER, 'method.request.header.X-Tenant-Key, method.request.querystring.tenant');
    const missing = await invoke(env.endpoint, 'host', apiId, 'dev', '/orders?tenant=acme');
    assert.equal(missing.status, 401);
    const allowed = await invoke(env.endpoint, 'host', apiId, 'dev', '/orders?tenant=acme', { headers: { 'x-tenant-key': 'k' } });
    assert.equal(allowed.status, 200, allowed.body);
    assert.deepEqual(JSON.parse(allowed.body).authorizer, { path: '/orders', tenant: 'acme', principalId: 'req-user', integrationLatency: 0 });
    const denied = await invoke(env.endpoint, 'host', apiId, 'dev', '/orders?tenant=acme', { headers: { 'x-tenant-key': 'other' } });
    assert.equal(denied.status, 403);
  });

  it('answers AWS errors for unknown authorizers and CUSTOM methods without one', async () => {
    const { client, apiId, authorizerId, resourceId } = await securedApi('TOKEN', TOKEN_AUTHORIZER);
    await assert.rejects(client.send(new GetAuthorizerCommand({ restApiId: apiId, authorizerId: 'nope00' })), (e: Error) => {
      assert.equal(e.name, 'NotFoundException');
      assert.equal(e.message, 'Invalid Authorizer identifier specified');
      return true;
    });
    await assert.rejects(client.send(new PutMethodCommand({ restApiId: apiId, resourceId, httpMethod: 'POST', authorizationType: 'CUSTOM', authorizerId: 'nope00' })), (e: Error) => {
      assert.equal(e.name, 'BadRequestException');
      assert.match(e.message, /^Invalid authorizer ID specified/);
      return true;
    });
    await client.send(new DeleteAuthorizerCommand({ restApiId: apiId, authorizerId }));
    assert.deepEqual((await client.send(new GetAuthorizersCommand({ restApiId: apiId }))).items ?? [], []);
  });

  it('caches an authorizer result per token for its TTL, on the clock', async () => {
    const counting = `let calls = 0;
export const handler = async (event) => ({ principalId: 'u', context: { calls: ++calls },
  policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: event.authorizationToken === 'deny' ? 'Deny' : 'Allow', Resource: '*' }] } });`;
    const { apiId } = await securedApi('TOKEN', counting, undefined, 300);
    const calls = async (token: string) => {
      const r = await invoke(env.endpoint, 'host', apiId, 'dev', '/orders', { headers: { authorization: token } });
      return r.status === 200 ? JSON.parse(r.body).authorizer.calls : r.status;
    };
    assert.equal(await calls('a'), 1);
    assert.equal(await calls('a'), 1, 'the second request with the same token uses the cached result');
    assert.equal(await calls('b'), 2, 'another token calls the authorizer');
    assert.equal(await calls('deny'), 403);
    assert.equal(await calls('deny'), 403, 'denials are cached too');
    env.fogbank.advanceClock(301_000);
    assert.equal(await calls('a'), 4, 'the cached result expires after the TTL');
  });
});
