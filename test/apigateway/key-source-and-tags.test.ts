import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateApiKeyCommand,
  CreateAuthorizerCommand,
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  GetApiKeyCommand,
  GetRestApiCommand,
  GetStageCommand,
  GetTagsCommand,
  GetUsagePlanCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-api-gateway';
import { expectAwsError } from '../support/errors.js';
import { boto3, hasBoto3 } from '../support/fogbank.js';
import { createFunction, lambdaClient, useLambdaFogbank } from '../lambda/support.js';
import { apigwClient, invoke, lambdaUri, mockApi } from './support.js';

const env = useLambdaFogbank();

// Allows every token "key:<value>" and names <value> as the caller's API key.
const KEY_AUTHORIZER = `export const handler = async (event) => ({
  principalId: 'caller',
  usageIdentifierKey: event.authorizationToken.startsWith('key:') ? event.authorizationToken.slice(4) : undefined,
  policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: '*' }] },
});`;

describe('API Gateway API keys from an authorizer, and tags', () => {
  it('takes the API key from the Lambda authorizer when the API says apiKeySource AUTHORIZER', async () => {
    const client = apigwClient(env.endpoint);
    const auth = await createFunction(lambdaClient(env.endpoint), { files: { 'index.mjs': KEY_AUTHORIZER } });
    const api = await client.send(new CreateRestApiCommand({ name: 'keyed-by-authorizer', apiKeySource: 'AUTHORIZER' }));
    const apiId = api.id!;
    assert.equal(api.apiKeySource, 'AUTHORIZER');
    const authorizer = await client.send(new CreateAuthorizerCommand({ restApiId: apiId, name: 'keys', type: 'TOKEN', authorizerUri: lambdaUri(auth.FunctionArn!), authorizerResultTtlInSeconds: 0 }));
    const r = await client.send(new CreateResourceCommand({ restApiId: apiId, parentId: api.rootResourceId, pathPart: 'metered' }));
    await client.send(new PutMethodCommand({ restApiId: apiId, resourceId: r.id, httpMethod: 'GET', authorizationType: 'CUSTOM', authorizerId: authorizer.id, apiKeyRequired: true }));
    await client.send(new PutIntegrationCommand({ restApiId: apiId, resourceId: r.id, httpMethod: 'GET', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
    await client.send(new PutMethodResponseCommand({ restApiId: apiId, resourceId: r.id, httpMethod: 'GET', statusCode: '200' }));
    await client.send(new PutIntegrationResponseCommand({ restApiId: apiId, resourceId: r.id, httpMethod: 'GET', statusCode: '200', responseTemplates: { 'application/json': '{"ok": true}' } }));
    await client.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'dev' }));
    const value = 'authorizer-named-key-0123456789';
    const key = await client.send(new CreateApiKeyCommand({ name: 'from-authorizer', value, enabled: true }));
    const plan = await client.send(new CreateUsagePlanCommand({ name: 'metered', apiStages: [{ apiId, stage: 'dev' }], throttle: { rateLimit: 0.01, burstLimit: 1 } }));
    await client.send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: key.id, keyType: 'API_KEY' }));

    // The header does not count: the authorizer names no key here.
    const headerOnly = await invoke(env.endpoint, 'host', apiId, 'dev', '/metered', { headers: { authorization: 'anonymous', 'x-api-key': value } });
    assert.deepEqual([headerOnly.status, JSON.parse(headerOnly.body)], [403, { message: 'Forbidden' }]);
    const ok = await invoke(env.endpoint, 'path', apiId, 'dev', '/metered', { headers: { authorization: `key:${value}` } });
    assert.deepEqual([ok.status, JSON.parse(ok.body)], [200, { ok: true }]);
    // The plan meters the key the authorizer named.
    const limited = await invoke(env.endpoint, 'host', apiId, 'dev', '/metered', { headers: { authorization: `key:${value}` } });
    assert.deepEqual([limited.status, JSON.parse(limited.body)], [429, { message: 'Too Many Requests' }]);
  });

  it('tags APIs, stages, API keys and usage plans by ARN', async () => {
    const client = apigwClient(env.endpoint);
    const { apiId } = await mockApi(client, ['/items']);
    const key = await client.send(new CreateApiKeyCommand({ name: 'tagged', tags: { team: 'a' } }));
    const plan = await client.send(new CreateUsagePlanCommand({ name: 'tagged' }));
    const arns = {
      api: `arn:aws:apigateway:us-east-1::/restapis/${apiId}`,
      stage: `arn:aws:apigateway:us-east-1::/restapis/${apiId}/stages/dev`,
      key: `arn:aws:apigateway:us-east-1::/apikeys/${key.id}`,
      plan: `arn:aws:apigateway:us-east-1::/usageplans/${plan.id}`,
    };
    for (const arn of Object.values(arns)) {
      const tagged = await client.send(new TagResourceCommand({ resourceArn: arn, tags: { env: 'test', owner: 'me' } }));
      assert.equal(tagged.$metadata.httpStatusCode, 204);
      await client.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['owner'] }));
    }
    assert.deepEqual((await client.send(new GetTagsCommand({ resourceArn: arns.api }))).tags, { env: 'test' });
    assert.deepEqual((await client.send(new GetTagsCommand({ resourceArn: arns.key }))).tags, { team: 'a', env: 'test' });
    assert.deepEqual((await client.send(new GetRestApiCommand({ restApiId: apiId }))).tags, { env: 'test' });
    assert.deepEqual((await client.send(new GetStageCommand({ restApiId: apiId, stageName: 'dev' }))).tags, { env: 'test' });
    assert.deepEqual((await client.send(new GetApiKeyCommand({ apiKey: key.id }))).tags, { team: 'a', env: 'test' });
    assert.deepEqual((await client.send(new GetUsagePlanCommand({ usagePlanId: plan.id }))).tags, { env: 'test' });
    await client.send(new UntagResourceCommand({ resourceArn: arns.plan, tagKeys: ['env'] }));
    assert.deepEqual((await client.send(new GetTagsCommand({ resourceArn: arns.plan }))).tags, {});

    await expectAwsError(client.send(new GetTagsCommand({ resourceArn: 'arn:aws:apigateway:us-east-1::/widgets/x' })), { name: 'BadRequestException', status: 400, message: 'Invalid ARN specified in the request' });
    await expectAwsError(client.send(new TagResourceCommand({ resourceArn: 'not-an-arn', tags: { a: 'b' } })), { name: 'BadRequestException', message: 'Invalid ARN specified in the request' });
    await expectAwsError(client.send(new GetTagsCommand({ resourceArn: 'arn:aws:apigateway:us-east-1::/restapis/nope000000' })), {
      name: 'NotFoundException',
      status: 404,
      message: 'Invalid API identifier specified 000000000000:nope000000',
    });
    await expectAwsError(client.send(new GetTagsCommand({ resourceArn: `${arns.api}/stages/nope` })), { name: 'NotFoundException', message: 'Invalid Stage identifier specified' });
    assert.deepEqual((await client.send(new GetTagsCommand({ resourceArn: arns.stage }))).tags, { env: 'test' });

    if (hasBoto3) {
      const out = await boto3(env.endpoint, `import boto3, json\nc = boto3.client('apigateway')\nc.tag_resource(resourceArn='${arns.api}', tags={'via': 'boto3'})\nprint(json.dumps(c.get_tags(resourceArn='${arns.api}')['tags']))`);
      assert.deepEqual(out, { env: 'test', via: 'boto3' });
    }
  });
});
