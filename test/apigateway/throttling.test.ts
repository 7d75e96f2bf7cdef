import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateApiKeyCommand,
  CreateDeploymentCommand,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  GetUsageCommand,
  PutGatewayResponseCommand,
  UpdateStageCommand,
  UpdateUsageCommand,
  type APIGatewayClient,
} from '@aws-sdk/client-api-gateway';
import { expectAwsError } from '../support/errors.js';
import { boto3, hasBoto3, useFogbank } from '../support/fogbank.js';
import { apigwClient, invoke, mockApi, type UrlForm } from './support.js';

const env = useFogbank();
const advance = (ms: number) => env.fogbank.clock.advance(ms);
const today = () => new Date(env.fogbank.clock.now()).toISOString().slice(0, 10);

/** A key in a plan over the API's dev stage. */
async function planWithKey(client: APIGatewayClient, apiId: string, plan: { throttle?: { rateLimit?: number; burstLimit?: number }; quota?: { limit: number; period: 'DAY' | 'WEEK' | 'MONTH'; offset?: number }; methodThrottle?: Record<string, { rateLimit: number; burstLimit: number }> }) {
  const key = await client.send(new CreateApiKeyCommand({ name: `k-${Math.random()}`, enabled: true }));
  const created = await client.send(
    new CreateUsagePlanCommand({ name: 'plan', apiStages: [{ apiId, stage: 'dev', throttle: plan.methodThrottle }], throttle: plan.throttle, quota: plan.quota }),
  );
  await client.send(new CreateUsagePlanKeyCommand({ usagePlanId: created.id, keyId: key.id, keyType: 'API_KEY' }));
  return { keyId: key.id!, value: key.value!, planId: created.id! };
}

async function statuses(apiId: string, path: string, count: number, headers: Record<string, string> = {}): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const form: UrlForm = i % 2 ? 'path' : 'host';
    out.push((await invoke(env.endpoint, form, apiId, 'dev', path, { headers })).status);
  }
  return out;
}

describe('API Gateway usage plan throttling and quotas, stage throttling', () => {
  it("throttles an API key at its plan's rate and burst, refilled on the clock", async () => {
    const client = apigwClient(env.endpoint);
    const { apiId } = await mockApi(client, ['/items'], { keyRequired: ['/items'] });
    // One token every 10 seconds, two at most.
    const { value } = await planWithKey(client, apiId, { throttle: { rateLimit: 0.1, burstLimit: 2 } });
    const headers = { 'x-api-key': value };
    assert.deepEqual(await statuses(apiId, '/items', 3, headers), [200, 200, 429]);
    const limited = await invoke(env.endpoint, 'path', apiId, 'dev', '/items', { headers });
    assert.equal(limited.status, 429);
    assert.deepEqual(JSON.parse(limited.body), { message: 'Too Many Requests' });
    assert.equal(limited.headers['x-amzn-errortype'], 'TooManyRequestsException');
    assert.ok(limited.headers['x-amzn-requestid']);
    advance(10_000);
    assert.deepEqual(await statuses(apiId, '/items', 2, headers), [200, 429]);
    advance(60_000);
    // The bucket holds no more than its burst however long it rests.
    assert.deepEqual(await statuses(apiId, '/items', 3, headers), [200, 200, 429]);
    // A wrong key is refused before any throttle.
    const forbidden = await invoke(env.endpoint, 'host', apiId, 'dev', '/items', { headers: { 'x-api-key': 'not-a-key-value-at-all' } });
    assert.equal(forbidden.status, 403);
    assert.deepEqual(JSON.parse(forbidden.body), { message: 'Forbidden' });
  });

  it("applies a plan's per-method throttle in place of the plan's own", async () => {
    const client = apigwClient(env.endpoint);
    const { apiId } = await mockApi(client, ['/slow', '/fast'], { keyRequired: ['/slow', '/fast'] });
    const { value } = await planWithKey(client, apiId, { throttle: { rateLimit: 0.1, burstLimit: 3 }, methodThrottle: { '/slow/GET': { rateLimit: 0.1, burstLimit: 1 } } });
    const headers = { 'x-api-key': value };
    assert.deepEqual(await statuses(apiId, '/slow', 2, headers), [200, 429]);
    assert.deepEqual(await statuses(apiId, '/fast', 4, headers), [200, 200, 200, 429]);
  });

  it('enforces the quota per period, reports it with GetUsage and extends it with UpdateUsage', async () => {
    const client = apigwClient(env.endpoint);
    const { apiId } = await mockApi(client, ['/items'], { keyRequired: ['/items'] });
    const { keyId, value, planId } = await planWithKey(client, apiId, { quota: { limit: 3, period: 'DAY' } });
    const headers = { 'x-api-key': value };
    assert.deepEqual(await statuses(apiId, '/items', 4, headers), [200, 200, 200, 429]);
    const exceeded = await invoke(env.endpoint, 'host', apiId, 'dev', '/items', { headers });
    assert.equal(exceeded.status, 429);
    assert.deepEqual(JSON.parse(exceeded.body), { message: 'Limit Exceeded' });
    assert.equal(exceeded.headers['x-amzn-errortype'], 'LimitExceededException');

    const usage = await client.send(new GetUsageCommand({ usagePlanId: planId, startDate: today(), endDate: today() }));
    assert.equal(usage.usagePlanId, planId);
    assert.deepEqual(usage.items, { [keyId]: [[3, 0]] });

    const updated = await client.send(new UpdateUsageCommand({ usagePlanId: planId, keyId, patchOperations: [{ op: 'replace', path: '/remaining', value: '2' }] }));
    assert.deepEqual(updated.items, { [keyId]: [[3, 2]] });
    assert.deepEqual(await statuses(apiId, '/items', 3, headers), [200, 200, 429]);

    // The next day brings a fresh quota; GetUsage logs each day.
    const first = today();
    advance(24 * 3600 * 1000);
    assert.deepEqual(await statuses(apiId, '/items', 1, headers), [200]);
    const twoDays = await client.send(new GetUsageCommand({ usagePlanId: planId, keyId, startDate: first, endDate: today() }));
    assert.deepEqual(twoDays.items, { [keyId]: [[5, 0], [1, 2]] });

    await expectAwsError(client.send(new GetUsageCommand({ usagePlanId: 'nope00', startDate: first, endDate: first })), { name: 'NotFoundException', status: 404, message: 'Invalid Usage Plan ID specified' });
    await expectAwsError(client.send(new GetUsageCommand({ usagePlanId: planId, keyId: 'notakey000', startDate: first, endDate: first })), { name: 'NotFoundException', status: 404, message: 'Invalid Key identifier specified' });
    await expectAwsError(client.send(new GetUsageCommand({ usagePlanId: planId, startDate: 'yesterday', endDate: first })), { name: 'BadRequestException', status: 400 });
    await expectAwsError(client.send(new UpdateUsageCommand({ usagePlanId: planId, keyId, patchOperations: [{ op: 'replace', path: '/used', value: '1' }] })), {
      name: 'BadRequestException',
      message: 'Invalid patch path /used',
    });
    assert.equal((await invoke(env.endpoint, 'path', apiId, 'dev', '/items', { headers })).status, 200);
  });

  it('pages GetUsage over the keys of the plan', async () => {
    const client = apigwClient(env.endpoint);
    const { apiId } = await mockApi(client, ['/items'], { keyRequired: ['/items'] });
    const first = await planWithKey(client, apiId, { quota: { limit: 100, period: 'MONTH' } });
    const second = await client.send(new CreateApiKeyCommand({ name: 'second', enabled: true }));
    await client.send(new CreateUsagePlanKeyCommand({ usagePlanId: first.planId, keyId: second.id, keyType: 'API_KEY' }));
    await statuses(apiId, '/items', 3, { 'x-api-key': second.value! });
    const pageOne = await client.send(new GetUsageCommand({ usagePlanId: first.planId, startDate: today(), endDate: today(), limit: 1 }));
    assert.equal(Object.keys(pageOne.items!).length, 1);
    assert.ok(pageOne.position);
    const pageTwo = await client.send(new GetUsageCommand({ usagePlanId: first.planId, startDate: today(), endDate: today(), limit: 1, position: pageOne.position }));
    assert.equal(pageTwo.position, undefined);
    assert.deepEqual({ ...pageOne.items, ...pageTwo.items }, { [first.keyId]: [[0, 100]], [second.id!]: [[3, 97]] });
  });

  it("takes the quota's offset off its first period only", async () => {
    const client = apigwClient(env.endpoint);
    const { apiId } = await mockApi(client, ['/items'], { keyRequired: ['/items'] });
    const { value } = await planWithKey(client, apiId, { quota: { limit: 3, offset: 2, period: 'WEEK' } });
    const headers = { 'x-api-key': value };
    assert.deepEqual(await statuses(apiId, '/items', 2, headers), [200, 429]);
    advance(7 * 24 * 3600 * 1000);
    assert.deepEqual(await statuses(apiId, '/items', 4, headers), [200, 200, 200, 429]);
  });

  it("throttles a stage's methods by its method settings, a method's own over */*", async () => {
    const client = apigwClient(env.endpoint);
    const { apiId } = await mockApi(client, ['/open', '/busy']);
    await client.send(
      new UpdateStageCommand({
        restApiId: apiId,
        stageName: 'dev',
        patchOperations: [
          { op: 'replace', path: '/*/*/throttling/rateLimit', value: '0.1' },
          { op: 'replace', path: '/*/*/throttling/burstLimit', value: '1' },
          { op: 'replace', path: '/~1busy/GET/throttling/burstLimit', value: '3' },
        ],
      }),
    );
    // Each method has its own bucket.
    assert.deepEqual(await statuses(apiId, '/open', 2), [200, 429]);
    assert.deepEqual(await statuses(apiId, '/busy', 4), [200, 200, 200, 429]);
    advance(10_000);
    assert.deepEqual(await statuses(apiId, '/open', 2), [200, 429]);
    // The deployment does not matter: stage settings apply at once.
    await client.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'dev' }));
    advance(10_000);
    // Twenty seconds since /busy drained: two tokens.
    assert.deepEqual(await statuses(apiId, '/busy', 3), [200, 200, 429]);
  });

  it('words 429s through the THROTTLED and QUOTA_EXCEEDED gateway responses', async () => {
    const client = apigwClient(env.endpoint);
    const { apiId } = await mockApi(client, ['/items'], { keyRequired: ['/items'] });
    const { value } = await planWithKey(client, apiId, { throttle: { rateLimit: 0.1, burstLimit: 1 }, quota: { limit: 2, period: 'DAY' } });
    await client.send(new PutGatewayResponseCommand({ restApiId: apiId, responseType: 'THROTTLED', responseParameters: { 'gatewayresponse.header.Retry-After': "'10'" } }));
    await client.send(
      new PutGatewayResponseCommand({ restApiId: apiId, responseType: 'QUOTA_EXCEEDED', statusCode: '403', responseTemplates: { 'application/json': '{"error": $context.error.messageString}' } }),
    );
    await client.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'dev' }));
    const headers = { 'x-api-key': value };
    assert.equal((await invoke(env.endpoint, 'host', apiId, 'dev', '/items', { headers })).status, 200);
    const throttledNow = await invoke(env.endpoint, 'path', apiId, 'dev', '/items', { headers });
    assert.deepEqual([throttledNow.status, throttledNow.headers['retry-after'], JSON.parse(throttledNow.body)], [429, '10', { message: 'Too Many Requests' }]);
    advance(10_000);
    assert.equal((await invoke(env.endpoint, 'host', apiId, 'dev', '/items', { headers })).status, 200);
    advance(10_000);
    const spent = await invoke(env.endpoint, 'host', apiId, 'dev', '/items', { headers });
    assert.deepEqual([spent.status, JSON.parse(spent.body)], [403, { error: 'Limit Exceeded' }]);
  });

  it('reports usage to boto3', { skip: !hasBoto3 }, async () => {
    const client = apigwClient(env.endpoint);
    const { apiId } = await mockApi(client, ['/items'], { keyRequired: ['/items'] });
    const { keyId, value, planId } = await planWithKey(client, apiId, { quota: { limit: 10, period: 'MONTH' } });
    await statuses(apiId, '/items', 2, { 'x-api-key': value });
    const out = (await boto3(
      env.endpoint,
      `import boto3, json\nr = boto3.client('apigateway').get_usage(usagePlanId='${planId}', startDate='${today()}', endDate='${today()}')\nprint(json.dumps({'items': r['items'], 'plan': r['usagePlanId']}))`,
    )) as { items: Record<string, number[][]>; plan: string };
    assert.deepEqual(out, { items: { [keyId]: [[2, 8]] }, plan: planId });
  });
});
