import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CreateDeploymentCommand, CreateResourceCommand, GetRestApisCommand, PutIntegrationCommand, PutIntegrationResponseCommand, PutMethodCommand } from '@aws-sdk/client-api-gateway';
import { boto3, hasBoto3 } from '../support/fogbank.js';
import { createFunction, lambdaClient, useLambdaFogbank } from '../lambda/support.js';
import { apigwClient, createItemsTable, invoke, lambdaUri, proxyApi, SEED_ROUTER, type UrlForm } from './support.js';

const env = useLambdaFogbank();

const ECHO = `export const handler = async (event) => {
  if (event.path === '/malformed') return { statusCode: 200, body: { not: 'a string' } };
  if (event.path === '/extra-key') return { statusCode: 200, body: 'x', unexpected: true };
  if (event.path === '/throws') throw new Error('boom');
  return { statusCode: 200, headers: { 'X-Echo': 'yes' }, multiValueHeaders: { 'X-Multi': ['a', 'b'] }, body: JSON.stringify(event) };
};`;

describe('REST API invoke URLs with a Lambda proxy integration', () => {
  for (const form of ['host', 'path'] as UrlForm[]) {
    it(`serves the seed's items router over HTTP (${form} form)`, async () => {
      const table = `items-${form}`;
      await createItemsTable(env.endpoint, table);
      const fn = await createFunction(lambdaClient(env.endpoint), {
        Runtime: 'python3.12',
        Handler: 'lambda_function.handler',
        files: { 'lambda_function.py': SEED_ROUTER },
        Environment: { Variables: { TABLE_NAME: table } },
      });
      const { apiId } = await proxyApi(apigwClient(env.endpoint), fn.FunctionArn!);
      const call = (method: string, path: string, body?: unknown) =>
        invoke(env.endpoint, form, apiId, 'dev', path, { method, body: body === undefined ? undefined : JSON.stringify(body), headers: body === undefined ? {} : { 'content-type': 'application/json' } });

      const created = await call('POST', '/items', { id: 'a1', data: 'first' });
      assert.equal(created.status, 201, created.body);
      assert.equal(created.headers.location, '/items/a1');
      assert.equal(created.headers['content-type'], 'application/json');
      assert.ok(created.headers['x-amzn-requestid']);
      await call('POST', '/items', { id: 'b2', data: 'second' });

      const listed = await call('GET', '/items');
      assert.equal(listed.status, 200);
      assert.equal(JSON.parse(listed.body).count, 2);
      const limited = await call('GET', '/items?limit=1');
      assert.equal(JSON.parse(limited.body).count, 1);

      const got = await call('GET', '/items/a1');
      assert.deepEqual(JSON.parse(got.body), { id: 'a1', data: 'first' });
      const updated = await call('PUT', '/items/a1', { data: 'changed' });
      assert.equal(updated.status, 200);
      assert.deepEqual(JSON.parse((await call('GET', '/items/a1')).body), { id: 'a1', data: 'changed' });

      const deleted = await call('DELETE', '/items/a1');
      assert.equal(deleted.status, 204);
      assert.equal(deleted.body, '');
      const gone = await call('GET', '/items/a1');
      assert.equal(gone.status, 404);
      assert.deepEqual(JSON.parse(gone.body), { error: 'Not found' });
      const unrouted = await call('PATCH', '/elsewhere');
      assert.equal(unrouted.status, 404);
    });
  }

  it("serves the seed's router behind a REST API created with boto3", { skip: !hasBoto3 }, async () => {
    await createItemsTable(env.endpoint, 'boto-items');
    const fn = await createFunction(lambdaClient(env.endpoint), {
      Runtime: 'python3.12',
      Handler: 'lambda_function.handler',
      files: { 'lambda_function.py': SEED_ROUTER },
      Environment: { Variables: { TABLE_NAME: 'boto-items' } },
    });
    const script = `
import json, boto3
apigw = boto3.client('apigateway')
api = apigw.create_rest_api(name='seed-api')
items = apigw.create_resource(restApiId=api['id'], parentId=api['rootResourceId'], pathPart='items')
item = apigw.create_resource(restApiId=api['id'], parentId=items['id'], pathPart='{id}')
uri = 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${fn.FunctionArn}/invocations'
for resource, verbs in ((items, ('GET', 'POST')), (item, ('GET', 'PUT', 'DELETE'))):
    for verb in verbs:
        apigw.put_method(restApiId=api['id'], resourceId=resource['id'], httpMethod=verb, authorizationType='NONE')
        apigw.put_integration(restApiId=api['id'], resourceId=resource['id'], httpMethod=verb, type='AWS_PROXY', integrationHttpMethod='POST', uri=uri)
apigw.create_deployment(restApiId=api['id'], stageName='v1')
try:
    apigw.get_resource(restApiId=api['id'], resourceId='missing000')
    error = None
except apigw.exceptions.NotFoundException as e:
    error = e.response['Error']
print(json.dumps({'id': api['id'], 'error': error}))
`;
    const out = (await boto3(env.endpoint, script)) as { id: string; error: { Code: string; Message: string } };
    assert.deepEqual(out.error, { Code: 'NotFoundException', Message: 'Invalid Resource identifier specified' });
    const created = await invoke(env.endpoint, 'host', out.id, 'v1', '/items', { method: 'POST', body: JSON.stringify({ id: 'p1', data: 'boto' }) });
    assert.equal(created.status, 201, created.body);
    const got = await invoke(env.endpoint, 'path', out.id, 'v1', '/items/p1');
    assert.deepEqual(JSON.parse(got.body), { id: 'p1', data: 'boto' });
    assert.equal((await invoke(env.endpoint, 'path', out.id, 'v1', '/items/p1', { method: 'PUT', body: '{"data":"new"}' })).status, 200);
    assert.equal((await invoke(env.endpoint, 'host', out.id, 'v1', '/items/p1', { method: 'DELETE' })).status, 204);
    assert.equal(JSON.parse((await invoke(env.endpoint, 'host', out.id, 'v1', '/items')).body).count, 0);
    // PATCH has no method anywhere: API Gateway's 403.
    const patch = await invoke(env.endpoint, 'host', out.id, 'v1', '/items', { method: 'PATCH' });
    assert.equal(patch.status, 403);
    assert.deepEqual(JSON.parse(patch.body), { message: 'Missing Authentication Token' });
  });

  it('builds the payload 1.0 event as AWS does and maps the response', async () => {
    const fn = await createFunction(lambdaClient(env.endpoint), { files: { 'index.mjs': ECHO } });
    const client = apigwClient(env.endpoint);
    const { apiId, proxyId } = await proxyApi(client, fn.FunctionArn!, 'prod', { env: 'production' });

    const bare = await invoke(env.endpoint, 'path', apiId, 'prod', '/items');
    assert.equal(bare.status, 200);
    assert.equal(bare.headers['x-echo'], 'yes');
    assert.equal(bare.headers['x-multi'], 'a, b');
    const e = JSON.parse(bare.body);
    assert.equal(e.resource, '/{proxy+}');
    assert.equal(e.path, '/items');
    assert.equal(e.httpMethod, 'GET');
    assert.equal(e.queryStringParameters, null);
    assert.equal(e.multiValueQueryStringParameters, null);
    assert.deepEqual(e.pathParameters, { proxy: 'items' });
    assert.deepEqual(e.stageVariables, { env: 'production' });
    assert.equal(e.body, null);
    assert.equal(e.isBase64Encoded, false);
    assert.equal(e.requestContext.apiId, apiId);
    assert.equal(e.requestContext.accountId, '000000000000');
    assert.equal(e.requestContext.resourceId, proxyId);
    assert.equal(e.requestContext.resourcePath, '/{proxy+}');
    assert.equal(e.requestContext.stage, 'prod');
    assert.equal(e.requestContext.path, '/prod/items');
    assert.equal(e.requestContext.protocol, 'HTTP/1.1');
    assert.equal(e.requestContext.requestId, bare.headers['x-amzn-requestid']);
    assert.match(e.requestContext.requestTime, /^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    assert.equal(typeof e.requestContext.requestTimeEpoch, 'number');
    assert.equal(e.requestContext.identity.sourceIp, '127.0.0.1');
    assert.equal(e.requestContext.domainName, `${apiId}.execute-api.localhost.localstack.cloud`);

    const full = await invoke(env.endpoint, 'host', apiId, 'prod', '/items/42?tag=a&tag=b&x=1', { method: 'POST', body: '{"k":1}', headers: { 'x-custom': 'v' } });
    const f = JSON.parse(full.body);
    assert.equal(f.path, '/items/42');
    assert.deepEqual(f.queryStringParameters, { tag: 'b', x: '1' });
    assert.deepEqual(f.multiValueQueryStringParameters, { tag: ['a', 'b'], x: ['1'] });
    assert.deepEqual(f.pathParameters, { proxy: 'items/42' });
    assert.equal(f.headers['x-custom'], 'v');
    assert.deepEqual(f.multiValueHeaders['x-custom'], ['v']);
    assert.equal(f.body, '{"k":1}');
    assert.equal(f.httpMethod, 'POST');
    assert.equal(f.requestContext.domainName, `${apiId}.execute-api.localhost.localstack.cloud`);
  });

  it('answers 502 for malformed proxy responses and function errors, 403 for unknown routes and stages', async () => {
    const fn = await createFunction(lambdaClient(env.endpoint), { files: { 'index.mjs': ECHO } });
    const { apiId } = await proxyApi(apigwClient(env.endpoint), fn.FunctionArn!);
    for (const path of ['/malformed', '/extra-key', '/throws']) {
      const r = await invoke(env.endpoint, 'path', apiId, 'dev', path);
      assert.equal(r.status, 502, path);
      assert.deepEqual(JSON.parse(r.body), { message: 'Internal server error' });
      assert.equal(r.headers['x-amzn-errortype'], 'InternalServerErrorException');
    }
    // /{proxy+} needs at least one segment, so the root has no route; an unknown stage has none either.
    for (const [stage, path] of [['dev', '/'], ['nostage', '/items']]) {
      const r = await invoke(env.endpoint, 'host', apiId, stage!, path!);
      assert.equal(r.status, 403);
      assert.deepEqual(JSON.parse(r.body), { message: 'Missing Authentication Token' });
      assert.equal(r.headers['x-amzn-errortype'], 'MissingAuthenticationTokenException');
    }
    const unknownApi = await invoke(env.endpoint, 'path', 'zzzzzzzzzz', 'dev', '/items');
    assert.equal(unknownApi.status, 404);
    // The control plane still answers on /restapis without _user_request_.
    const apis = await apigwClient(env.endpoint).send(new GetRestApisCommand({}));
    assert.ok(apis.items!.some((a) => a.id === apiId));
  });

  it('prefers literal resources over greedy ones, serves MOCK integrations, and only what was deployed', async () => {
    const fn = await createFunction(lambdaClient(env.endpoint), { files: { 'index.mjs': ECHO } });
    const client = apigwClient(env.endpoint);
    const { apiId, rootId } = await proxyApi(client, fn.FunctionArn!);
    const items = await client.send(new CreateResourceCommand({ restApiId: apiId, parentId: rootId, pathPart: 'items' }));
    const item = await client.send(new CreateResourceCommand({ restApiId: apiId, parentId: items.id, pathPart: '{id}' }));
    await client.send(new PutMethodCommand({ restApiId: apiId, resourceId: item.id, httpMethod: 'GET', authorizationType: 'NONE' }));
    await client.send(new PutIntegrationCommand({ restApiId: apiId, resourceId: item.id, httpMethod: 'GET', type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: lambdaUri(fn.FunctionArn!) }));
    await client.send(new PutMethodCommand({ restApiId: apiId, resourceId: items.id, httpMethod: 'GET', authorizationType: 'NONE' }));
    await client.send(new PutIntegrationCommand({ restApiId: apiId, resourceId: items.id, httpMethod: 'GET', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
    await client.send(
      new PutIntegrationResponseCommand({
        restApiId: apiId,
        resourceId: items.id,
        httpMethod: 'GET',
        statusCode: '200',
        responseTemplates: { 'application/json': '{"mocked": true}' },
        responseParameters: { 'method.response.header.X-Mock': "'yes'" },
      }),
    );

    // Not deployed yet: the stage still serves the first deployment, where /{proxy+} takes everything.
    const before = JSON.parse((await invoke(env.endpoint, 'path', apiId, 'dev', '/items/7')).body);
    assert.equal(before.resource, '/{proxy+}');

    await client.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'dev' }));
    const specific = JSON.parse((await invoke(env.endpoint, 'path', apiId, 'dev', '/items/7')).body);
    assert.equal(specific.resource, '/items/{id}');
    assert.deepEqual(specific.pathParameters, { id: '7' });
    const mocked = await invoke(env.endpoint, 'host', apiId, 'dev', '/items');
    assert.equal(mocked.status, 200);
    assert.deepEqual(JSON.parse(mocked.body), { mocked: true });
    assert.equal(mocked.headers['x-mock'], 'yes');
  });
});
