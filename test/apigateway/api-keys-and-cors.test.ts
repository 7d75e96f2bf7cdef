import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateApiKeyCommand,
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  DeleteApiKeyCommand,
  GetApiKeyCommand,
  GetApiKeysCommand,
  GetUsagePlanKeysCommand,
  GetUsagePlansCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
} from '@aws-sdk/client-api-gateway';
import { useFogbank } from '../support/fogbank.js';
import { apigwClient, invoke } from './support.js';

const env = useFogbank();

/** A REST API with GET /secret (MOCK, API key required) and OPTIONS /secret (MOCK, CORS headers), deployed to dev. */
async function mockApi() {
  const client = apigwClient(env.endpoint);
  const api = await client.send(new CreateRestApiCommand({ name: 'keys' }));
  const r = await client.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: 'secret' }));
  const mock = async (httpMethod: string, apiKeyRequired: boolean, headers: Record<string, string>, body: string) => {
    await client.send(new PutMethodCommand({ restApiId: api.id, resourceId: r.id, httpMethod, authorizationType: 'NONE', apiKeyRequired }));
    await client.send(new PutIntegrationCommand({ restApiId: api.id, resourceId: r.id, httpMethod, type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
    await client.send(
      new PutMethodResponseCommand({ restApiId: api.id, resourceId: r.id, httpMethod, statusCode: '200', responseParameters: Object.fromEntries(Object.keys(headers).map((h) => [`method.response.header.${h}`, false])) }),
    );
    await client.send(
      new PutIntegrationResponseCommand({
        restApiId: api.id,
        resourceId: r.id,
        httpMethod,
        statusCode: '200',
        responseParameters: Object.fromEntries(Object.entries(headers).map(([h, v]) => [`method.response.header.${h}`, `'${v}'`])),
        responseTemplates: { 'application/json': body },
      }),
    );
  };
  await mock('GET', true, {}, '{"secret": 42}');
  await mock('OPTIONS', false, { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Methods': 'GET,OPTIONS', 'Access-Control-Allow-Headers': 'Content-Type,X-Api-Key' }, '');
  await client.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'dev' }));
  return { client, apiId: api.id! };
}

describe('API Gateway API keys, usage plans and CORS preflight', () => {
  it('requires an enabled key in a usage plan for the stage where a method says so', async () => {
    const { client, apiId } = await mockApi();
    const forbidden = await invoke(env.endpoint, 'host', apiId, 'dev', '/secret');
    assert.equal(forbidden.status, 403);
    assert.deepEqual(JSON.parse(forbidden.body), { message: 'Forbidden' });
    assert.equal(forbidden.headers['x-amzn-errortype'], 'ForbiddenException');

    const key = await client.send(new CreateApiKeyCommand({ name: 'partner', enabled: true }));
    assert.equal(key.$metadata.httpStatusCode, 201);
    assert.match(key.id!, /^[a-z0-9]{10}$/);
    assert.match(key.value!, /^[A-Za-z0-9]{40}$/);
    assert.equal(key.enabled, true);
    // A key outside any usage plan opens nothing.
    assert.equal((await invoke(env.endpoint, 'host', apiId, 'dev', '/secret', { headers: { 'x-api-key': key.value! } })).status, 403);

    const plan = await client.send(new CreateUsagePlanCommand({ name: 'basic', apiStages: [{ apiId, stage: 'dev' }], throttle: { rateLimit: 10, burstLimit: 5 } }));
    assert.equal(plan.$metadata.httpStatusCode, 201);
    const planKey = await client.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: key.id, keyType: 'API_KEY' }));
    assert.deepEqual([planKey.id, planKey.type, planKey.value, planKey.name], [key.id, 'API_KEY', key.value, 'partner']);
    const ok = await invoke(env.endpoint, 'path', apiId, 'dev', '/secret', { headers: { 'x-api-key': key.value! } });
    assert.equal(ok.status, 200);
    assert.deepEqual(JSON.parse(ok.body), { secret: 42 });
    assert.equal((await invoke(env.endpoint, 'path', apiId, 'dev', '/secret', { headers: { 'x-api-key': 'wrong-key-value-000000' } })).status, 403);

    // A disabled key (the default) is refused even in the plan.
    const disabled = await client.send(new CreateApiKeyCommand({ name: 'off', value: 'disabled-key-value-0123456789' }));
    assert.equal(disabled.enabled, false);
    await client.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: disabled.id, keyType: 'API_KEY' }));
    assert.equal((await invoke(env.endpoint, 'path', apiId, 'dev', '/secret', { headers: { 'x-api-key': 'disabled-key-value-0123456789' } })).status, 403);

    const planKeys = await client.send(new GetUsagePlanKeysCommand({ usagePlanId: plan.id }));
    assert.deepEqual(planKeys.items?.map((k) => k.name).sort(), ['off', 'partner']);
    const plans = await client.send(new GetUsagePlansCommand({ keyId: key.id }));
    assert.deepEqual(plans.items?.map((p) => p.id), [plan.id]);
    const hidden = await client.send(new GetApiKeyCommand({ apiKey: key.id }));
    assert.equal(hidden.value, undefined);
    const shown = await client.send(new GetApiKeysCommand({ includeValues: true, nameQuery: 'part' }));
    assert.deepEqual(shown.items?.map((k) => k.value), [key.value]);

    await client.send(new DeleteApiKeyCommand({ apiKey: key.id }));
    assert.equal((await invoke(env.endpoint, 'path', apiId, 'dev', '/secret', { headers: { 'x-api-key': key.value! } })).status, 403);
  });

  it('answers AWS errors for unknown keys, plans and stages', async () => {
    const { client, apiId } = await mockApi();
    const expect = async (promise: Promise<unknown>, name: string, message: string | undefined, status: number) =>
      assert.rejects(promise, (e: Error & { $metadata: { httpStatusCode: number } }) => {
        assert.equal(e.name, name);
        if (message) assert.equal(e.message, message);
        assert.equal(e.$metadata.httpStatusCode, status);
        return true;
      });
    await expect(client.send(new GetApiKeyCommand({ apiKey: 'nosuchkey0' })), 'NotFoundException', 'Invalid API Key identifier specified', 404);
    await expect(client.send(new GetUsagePlanKeysCommand({ usagePlanId: 'noplan' })), 'NotFoundException', 'Invalid Usage Plan ID specified', 404);
    await expect(client.send(new CreateUsagePlanCommand({ name: 'p', apiStages: [{ apiId, stage: 'nostage' }] })), 'NotFoundException', `API Stage not found: ${apiId}:nostage`, 404);
    const plan = await client.send(new CreateUsagePlanCommand({ name: 'p', apiStages: [{ apiId, stage: 'dev' }] }));
    await expect(client.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: 'nosuchkey0', keyType: 'API_KEY' })), 'NotFoundException', 'Invalid API Key identifier specified', 404);
    const key = await client.send(new CreateApiKeyCommand({ name: 'dup', value: 'duplicate-key-value-01234' }));
    assert.ok(key.id);
    await expect(client.send(new CreateApiKeyCommand({ name: 'dup2', value: 'duplicate-key-value-01234' })), 'ConflictException', undefined, 409);
  });

  it('answers a CORS preflight from an OPTIONS method with a MOCK integration', async () => {
    const { apiId } = await mockApi();
    const preflight = await invoke(env.endpoint, 'host', apiId, 'dev', '/secret', {
      method: 'OPTIONS',
      headers: { origin: 'http://example.com', 'access-control-request-method': 'GET' },
    });
    assert.equal(preflight.status, 200);
    assert.equal(preflight.headers['access-control-allow-origin'], '*');
    assert.equal(preflight.headers['access-control-allow-methods'], 'GET,OPTIONS');
    assert.equal(preflight.headers['access-control-allow-headers'], 'Content-Type,X-Api-Key');
  });
});
