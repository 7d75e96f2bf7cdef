import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ApiGatewayV2Client,
  CreateApiCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  CreateStageCommand,
  DeleteApiCommand,
  GetApiCommand,
  GetApisCommand,
  GetIntegrationsCommand,
  GetRoutesCommand,
  GetStagesCommand,
} from '@aws-sdk/client-apigatewayv2';
import { awsCli, clientConfig, hasAwsCli } from '../support/fogbank.js';
import { rawRequest } from '../support/http.js';
import { createFunction, lambdaClient, useLambdaFogbank } from '../lambda/support.js';
import { createItemsTable, SEED_ROUTER } from './support.js';

const env = useLambdaFogbank();
const v2 = () => new ApiGatewayV2Client(clientConfig(env.endpoint));

const ECHO = `export const handler = async (event) => {
  if (event.rawPath === '/plain') return { hello: 'world' };
  if (event.rawPath === '/throws') throw new Error('boom');
  return { statusCode: 200, headers: { 'x-echo': 'yes' }, body: JSON.stringify(event) };
};`;

function get(apiId: string, path: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}) {
  const port = new URL(env.endpoint).port;
  return rawRequest(env.endpoint, { ...init, path, headers: { host: `${apiId}.execute-api.localhost.localstack.cloud:${port}`, ...init.headers } });
}

async function rejects(promise: Promise<unknown>, name: string, status: number) {
  await assert.rejects(promise, (e: Error & { $metadata: { httpStatusCode: number } }) => {
    assert.equal(e.name, name);
    assert.equal(e.$metadata.httpStatusCode, status);
    return true;
  });
}

describe('API Gateway HTTP APIs', () => {
  it('quick-creates an API with a Lambda target and serves payload 2.0 on the $default stage', async () => {
    const fn = await createFunction(lambdaClient(env.endpoint), { files: { 'index.mjs': ECHO } });
    const api = await v2().send(new CreateApiCommand({ Name: 'quick', ProtocolType: 'HTTP', Target: fn.FunctionArn }));
    assert.equal(api.$metadata.httpStatusCode, 201);
    assert.match(api.ApiId!, /^[a-z0-9]{10}$/);
    assert.equal(api.ApiEndpoint, `http://${api.ApiId}.execute-api.localhost.localstack.cloud:${new URL(env.endpoint).port}`);
    assert.equal(api.RouteSelectionExpression, '${request.method} ${request.path}');
    const routes = await v2().send(new GetRoutesCommand({ ApiId: api.ApiId }));
    assert.deepEqual(routes.Items?.map((r) => [r.RouteKey, r.ApiGatewayManaged]), [['$default', true]]);
    const stages = await v2().send(new GetStagesCommand({ ApiId: api.ApiId }));
    assert.deepEqual(stages.Items?.map((s) => [s.StageName, s.AutoDeploy]), [['$default', true]]);
    const integrations = await v2().send(new GetIntegrationsCommand({ ApiId: api.ApiId }));
    assert.equal(integrations.Items?.[0]?.PayloadFormatVersion, '2.0');

    const r = await get(api.ApiId!, '/items/7?a=1&a=2', { method: 'POST', body: 'hi', headers: { cookie: 'c1=x; c2=y' } });
    assert.equal(r.status, 200);
    assert.equal(r.headers['x-echo'], 'yes');
    const e = JSON.parse(r.body);
    assert.equal(e.version, '2.0');
    assert.equal(e.routeKey, '$default');
    assert.equal(e.rawPath, '/items/7');
    assert.equal(e.rawQueryString, 'a=1&a=2');
    assert.deepEqual(e.queryStringParameters, { a: '1,2' });
    assert.deepEqual(e.cookies, ['c1=x', 'c2=y']);
    assert.equal(e.body, 'hi');
    assert.equal(e.requestContext.http.method, 'POST');
    assert.equal(e.requestContext.stage, '$default');
    assert.equal(e.requestContext.apiId, api.ApiId);
    assert.equal(e.pathParameters, undefined);

    // A plain object is a 200 JSON body; a function error is a 500.
    const plain = await get(api.ApiId!, '/plain');
    assert.equal(plain.status, 200);
    assert.deepEqual(JSON.parse(plain.body), { hello: 'world' });
    assert.equal(plain.headers['content-type'], 'application/json');
    const failed = await get(api.ApiId!, '/throws');
    assert.equal(failed.status, 500);
    assert.deepEqual(JSON.parse(failed.body), { message: 'Internal Server Error' });
  });

  it('routes by route key with path parameters, ANY and greedy paths, named stages, and 404 for no route', async () => {
    const fn = await createFunction(lambdaClient(env.endpoint), { files: { 'index.mjs': ECHO } });
    const client = v2();
    const api = await client.send(new CreateApiCommand({ Name: 'routes', ProtocolType: 'HTTP' }));
    const integration = await client.send(new CreateIntegrationCommand({ ApiId: api.ApiId, IntegrationType: 'AWS_PROXY', IntegrationUri: fn.FunctionArn, PayloadFormatVersion: '2.0' }));
    assert.equal(integration.$metadata.httpStatusCode, 201);
    assert.equal(integration.IntegrationMethod, 'POST');
    const target = `integrations/${integration.IntegrationId}`;
    await client.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /items/{id}', Target: target }));
    await client.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'ANY /{proxy+}', Target: target }));
    await client.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: 'prod', AutoDeploy: true, StageVariables: { env: 'p' } }));

    // No $default stage yet: no prefix-less path answers.
    assert.equal((await get(api.ApiId!, '/items/1')).status, 404);
    const prod = JSON.parse((await get(api.ApiId!, '/prod/items/1')).body);
    assert.equal(prod.routeKey, 'GET /items/{id}');
    assert.deepEqual(prod.pathParameters, { id: '1' });
    assert.deepEqual(prod.stageVariables, { env: 'p' });
    assert.equal(prod.requestContext.stage, 'prod');

    await client.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: '$default', AutoDeploy: true }));
    const specific = JSON.parse((await get(api.ApiId!, '/items/1')).body);
    assert.equal(specific.routeKey, 'GET /items/{id}');
    const greedy = JSON.parse((await get(api.ApiId!, '/items/1', { method: 'DELETE' })).body);
    assert.equal(greedy.routeKey, 'ANY /{proxy+}');
    assert.deepEqual(greedy.pathParameters, { proxy: 'items/1' });
    // The root matches no route and there is no $default route.
    const none = await get(api.ApiId!, '/');
    assert.equal(none.status, 404);
    assert.deepEqual(JSON.parse(none.body), { message: 'Not Found' });
    // The path form names the stage.
    const byPath = await rawRequest(env.endpoint, { path: `/restapis/${api.ApiId}/$default/_user_request_/items/9` });
    assert.deepEqual(JSON.parse(byPath.body).pathParameters, { id: '9' });
  });

  it("serves the seed's router with payload 1.0", async () => {
    await createItemsTable(env.endpoint, 'http-items');
    const fn = await createFunction(lambdaClient(env.endpoint), {
      Runtime: 'python3.12',
      Handler: 'lambda_function.handler',
      files: { 'lambda_function.py': SEED_ROUTER },
      Environment: { Variables: { TABLE_NAME: 'http-items' } },
    });
    const client = v2();
    const api = await client.send(new CreateApiCommand({ Name: 'seed', ProtocolType: 'HTTP' }));
    const integration = await client.send(new CreateIntegrationCommand({ ApiId: api.ApiId, IntegrationType: 'AWS_PROXY', IntegrationUri: fn.FunctionArn, PayloadFormatVersion: '1.0' }));
    await client.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: '$default', Target: `integrations/${integration.IntegrationId}` }));
    await client.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: '$default', AutoDeploy: true }));
    const created = await get(api.ApiId!, '/items', { method: 'POST', body: JSON.stringify({ id: 'x1', data: 'd' }) });
    assert.equal(created.status, 201, created.body);
    const listed = await get(api.ApiId!, '/items');
    assert.equal(JSON.parse(listed.body).count, 1);
    assert.deepEqual(JSON.parse((await get(api.ApiId!, '/items/x1')).body), { id: 'x1', data: 'd' });
    assert.equal((await get(api.ApiId!, '/items/x1', { method: 'DELETE' })).status, 204);
    assert.equal((await get(api.ApiId!, '/items/x1')).status, 404);
  });

  it('answers AWS errors for unknown APIs, duplicate routes and bad route keys', async () => {
    const client = v2();
    await rejects(client.send(new GetApiCommand({ ApiId: 'nosuchapi0' })), 'NotFoundException', 404);
    const api = await client.send(new CreateApiCommand({ Name: 'errs', ProtocolType: 'HTTP' }));
    await client.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /a' }));
    await rejects(client.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /a' })), 'ConflictException', 409);
    await rejects(client.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'FETCH a' })), 'BadRequestException', 400);
    await client.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: 'dev' }));
    await rejects(client.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: 'dev' })), 'ConflictException', 409);
    const listed = await client.send(new GetApisCommand({}));
    assert.ok(listed.Items?.some((a) => a.ApiId === api.ApiId));
    await client.send(new DeleteApiCommand({ ApiId: api.ApiId }));
    await rejects(client.send(new GetApiCommand({ ApiId: api.ApiId })), 'NotFoundException', 404);
    assert.equal((await get(api.ApiId!, '/a')).status, 404);
  });

  it('answers the AWS CLI', { skip: !hasAwsCli }, async () => {
    const created = (await awsCli(env.endpoint, ['apigatewayv2', 'create-api', '--name', 'cli', '--protocol-type', 'HTTP'])).json as { ApiId: string };
    const got = (await awsCli(env.endpoint, ['apigatewayv2', 'get-api', '--api-id', created.ApiId])).json as { Name: string };
    assert.equal(got.Name, 'cli');
  });
});
