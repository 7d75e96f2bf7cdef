// Invoke URLs keep what an API id and stage resolve to in memory between requests: every change
// of a stage, deployment, route, integration or API must show on the very next request.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateStageCommand,
  DeleteRestApiCommand,
  DeleteStageCommand,
  PutIntegrationCommand,
  PutMethodCommand,
  UpdateRestApiCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-api-gateway';
import {
  ApiGatewayV2Client,
  CreateApiCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  CreateStageCommand as CreateStageV2Command,
  DeleteApiCommand,
  DeleteStageCommand as DeleteStageV2Command,
  UpdateRouteCommand,
  UpdateStageCommand as UpdateStageV2Command,
} from '@aws-sdk/client-apigatewayv2';
import { clientConfig } from '../support/fogbank.js';
import { rawRequest } from '../support/http.js';
import { createFunction, lambdaClient, useLambdaFogbank } from '../lambda/support.js';
import { apigwClient, invoke, lambdaUri, proxyApi } from './support.js';

const env = useLambdaFogbank();

const ECHO = `export const handler = async (event) => ({
  statusCode: 200,
  body: JSON.stringify({ resource: event.resource, stageVariables: event.stageVariables, isBase64Encoded: event.isBase64Encoded, version: event.version, routeKey: event.routeKey }),
});`;

describe('Invoke URLs after changes', () => {
  it("serve REST APIs' current stage variables, deployment, binary media types and stages on the next request", async () => {
    const fn = await createFunction(lambdaClient(env.endpoint), { files: { 'index.mjs': ECHO } });
    const client = apigwClient(env.endpoint);
    const { apiId, rootId } = await proxyApi(client, fn.FunctionArn!, 'dev', { v: 'one' });
    const echo = async (stage: string, path: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}) => {
      const r = await invoke(env.endpoint, 'host', apiId, stage, path, init);
      assert.equal(r.status, 200, r.body);
      return JSON.parse(r.body) as { resource: string; stageVariables: Record<string, string> | null; isBase64Encoded: boolean };
    };
    assert.deepEqual((await echo('dev', '/a')).stageVariables, { v: 'one' });

    await client.send(new UpdateStageCommand({ restApiId: apiId, stageName: 'dev', patchOperations: [{ op: 'replace', path: '/variables/v', value: 'two' }] }));
    assert.deepEqual((await echo('dev', '/a')).stageVariables, { v: 'two' });

    // A deployment made without a stage changes nothing until the stage is pointed at it.
    const literal = await client.send(new CreateResourceCommand({ restApiId: apiId, parentId: rootId, pathPart: 'a' }));
    await client.send(new PutMethodCommand({ restApiId: apiId, resourceId: literal.id, httpMethod: 'GET', authorizationType: 'NONE' }));
    await client.send(new PutIntegrationCommand({ restApiId: apiId, resourceId: literal.id, httpMethod: 'GET', type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: lambdaUri(fn.FunctionArn!) }));
    const second = await client.send(new CreateDeploymentCommand({ restApiId: apiId }));
    assert.equal((await echo('dev', '/a')).resource, '/{proxy+}');
    await client.send(new UpdateStageCommand({ restApiId: apiId, stageName: 'dev', patchOperations: [{ op: 'replace', path: '/deploymentId', value: second.id }] }));
    assert.equal((await echo('dev', '/a')).resource, '/a');

    // A stage asked for before it exists answers 403, then serves once created.
    const early = await invoke(env.endpoint, 'host', apiId, 'prod', '/a');
    assert.equal(early.status, 403);
    await client.send(new CreateStageCommand({ restApiId: apiId, stageName: 'prod', deploymentId: second.id, variables: { v: 'prod' } }));
    assert.deepEqual(await echo('prod', '/a'), { resource: '/a', stageVariables: { v: 'prod' }, isBase64Encoded: false });

    const png = { method: 'POST', body: 'png bytes', headers: { 'content-type': 'image/png' } };
    assert.equal((await echo('prod', '/b', png)).isBase64Encoded, false);
    await client.send(new UpdateRestApiCommand({ restApiId: apiId, patchOperations: [{ op: 'add', path: '/binaryMediaTypes/image~1png' }] }));
    assert.equal((await echo('prod', '/b', png)).isBase64Encoded, true);

    await client.send(new DeleteStageCommand({ restApiId: apiId, stageName: 'prod' }));
    const gone = await invoke(env.endpoint, 'host', apiId, 'prod', '/a');
    assert.equal(gone.status, 403);
    assert.deepEqual(JSON.parse(gone.body), { message: 'Missing Authentication Token' });
    assert.equal((await echo('dev', '/a')).resource, '/a');

    await client.send(new DeleteRestApiCommand({ restApiId: apiId }));
    assert.equal((await invoke(env.endpoint, 'host', apiId, 'dev', '/a')).status, 404);
  });

  it("serve HTTP APIs' current routes, integrations, stages and stage variables on the next request", async () => {
    const fn = await createFunction(lambdaClient(env.endpoint), { files: { 'index.mjs': ECHO } });
    const v2 = new ApiGatewayV2Client(clientConfig(env.endpoint));
    const api = await v2.send(new CreateApiCommand({ Name: 'changes', ProtocolType: 'HTTP' }));
    const apiId = api.ApiId!;
    const v20 = await v2.send(new CreateIntegrationCommand({ ApiId: apiId, IntegrationType: 'AWS_PROXY', IntegrationUri: fn.FunctionArn, PayloadFormatVersion: '2.0' }));
    const v10 = await v2.send(new CreateIntegrationCommand({ ApiId: apiId, IntegrationType: 'AWS_PROXY', IntegrationUri: fn.FunctionArn, PayloadFormatVersion: '1.0' }));
    const a = await v2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /a', Target: `integrations/${v20.IntegrationId}` }));
    const port = new URL(env.endpoint).port;
    const get = (path: string) => rawRequest(env.endpoint, { path, headers: { host: `${apiId}.execute-api.localhost.localstack.cloud:${port}` } });
    const echo = async (path: string) => {
      const r = await get(path);
      assert.equal(r.status, 200, `${path}: ${r.body}`);
      return JSON.parse(r.body) as { version: string; routeKey: string; stageVariables?: Record<string, string> };
    };

    // No stage yet: nothing is served; then the auto-deployed $default stage serves the routes.
    assert.equal((await get('/a')).status, 404);
    await v2.send(new CreateStageV2Command({ ApiId: apiId, StageName: '$default', AutoDeploy: true, StageVariables: { v: 'one' } }));
    assert.deepEqual(await echo('/a'), { version: '2.0', routeKey: 'GET /a', stageVariables: { v: 'one' }, isBase64Encoded: false });
    await v2.send(new UpdateStageV2Command({ ApiId: apiId, StageName: '$default', StageVariables: { v: 'two' } }));
    assert.deepEqual((await echo('/a')).stageVariables, { v: 'two' });

    assert.equal((await get('/b')).status, 404);
    await v2.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /b', Target: `integrations/${v20.IntegrationId}` }));
    assert.equal((await echo('/b')).routeKey, 'GET /b');

    await v2.send(new UpdateRouteCommand({ ApiId: apiId, RouteId: a.RouteId, Target: `integrations/${v10.IntegrationId}` }));
    assert.equal((await echo('/a')).version, '1.0');

    await v2.send(new CreateStageV2Command({ ApiId: apiId, StageName: 'prod', AutoDeploy: true }));
    assert.equal((await echo('/prod/b')).routeKey, 'GET /b');
    await v2.send(new DeleteStageV2Command({ ApiId: apiId, StageName: '$default' }));
    assert.equal((await get('/a')).status, 404);
    assert.equal((await echo('/prod/a')).version, '1.0');

    await v2.send(new DeleteApiCommand({ ApiId: apiId }));
    assert.equal((await get('/prod/a')).status, 404);
  });
});
