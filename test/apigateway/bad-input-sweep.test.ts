// Every API Gateway REST (apigateway) and HTTP API (apigatewayv2) control-plane operation, fed
// broken input generated from AWS's models (wrong JSON types, overlong, empty and
// control-character strings, malformed bodies, undecodable URI labels, unknown patch ops and
// paths, foreign ARNs, missing required members), against an API that exists and one that does
// not: each answer is AWS-shaped, never a 5xx, and the server keeps serving.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CreateDeploymentCommand, CreateResourceCommand, CreateRestApiCommand, PutIntegrationCommand, PutMethodCommand, PutMethodResponseCommand } from '@aws-sdk/client-api-gateway';
import { ApiGatewayV2Client, CreateIntegrationCommand, CreateRouteCommand, CreateApiCommand, CreateStageCommand } from '@aws-sdk/client-apigatewayv2';
import { clientConfig, useFogbank } from '../support/fogbank.js';
import { rawRequest, SIGNED } from '../support/http.js';
import { problem, send, sweepCases, type Known } from '../support/rest-json-sweep.js';
import { apigwClient } from './support.js';

const env = useFogbank();
const NONE = /^$/;

async function sweep(model: string, service: string, known: Known): Promise<void> {
  const failures: string[] = [];
  let count = 0;
  for (const c of sweepCases(model, service, known, 7)) {
    count++;
    const answer = await send(env.endpoint, c);
    // API Gateway documents no 5xx but ServiceUnavailableException (503).
    const wrong = problem(answer, answer.status === 503 ? /^ServiceUnavailableException$/ : NONE);
    if (wrong) failures.push(`${c.operation} [${c.variant}] ${c.method} ${c.path.slice(0, 120)}: ${wrong} (${answer.status} ${answer.errorType ?? ''} ${answer.body.slice(0, 200)})`);
  }
  const health = await rawRequest(env.endpoint, { path: '/_fogbank/health' });
  assert.equal(health.status, 200);
  assert.ok(count > 1000, `only ${count} cases`);
  assert.deepEqual(failures, []);
}

describe('API Gateway bad-input sweep', () => {
  it('answers every generated bad REST API control-plane request in AWS shape', async () => {
    const client = apigwClient(env.endpoint);
    const api = await client.send(new CreateRestApiCommand({ name: 'sweep' }));
    const res = await client.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: 'items' }));
    await client.send(new PutMethodCommand({ restApiId: api.id, resourceId: res.id, httpMethod: 'GET', authorizationType: 'NONE' }));
    await client.send(new PutMethodResponseCommand({ restApiId: api.id, resourceId: res.id, httpMethod: 'GET', statusCode: '200' }));
    await client.send(new PutIntegrationCommand({ restApiId: api.id, resourceId: res.id, httpMethod: 'GET', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
    const dep = await client.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'dev' }));
    await sweep('apigateway-2015-07-09.min.json', 'apigateway', {
      restapi_id: api.id!,
      restApiId: api.id!,
      resource_id: res.id!,
      parent_id: api.rootResourceId!,
      http_method: 'GET',
      httpMethod: 'GET',
      status_code: '200',
      stage_name: 'dev',
      stageName: 'dev',
      deployment_id: dep.id!,
      deploymentId: dep.id!,
      type: 'MOCK',
      name: 'sweep',
      resource_arn: `arn:aws:apigateway:us-east-1::/restapis/${api.id}`,
    });
  });

  it('reads a null patch operation as one with no path (was a 500)', async () => {
    const client = apigwClient(env.endpoint);
    const api = await client.send(new CreateRestApiCommand({ name: 'null-patch' }));
    for (const path of [`/restapis/${api.id}`, `/restapis/${api.id}/resources/${api.rootResourceId}`, `/restapis/${api.id}/gatewayresponses/DEFAULT_4XX`]) {
      const answer = await rawRequest(env.endpoint, { method: 'PATCH', path, headers: { authorization: SIGNED('apigateway'), 'content-type': 'application/json' }, body: '{"patchOperations":[null]}' });
      assert.equal(answer.status, 400, path);
      assert.equal(answer.headers['x-amzn-errortype'], 'BadRequestException');
      assert.match(answer.body, /Invalid patch path +'?null/);
    }
  });

  it('answers hostile OpenAPI definitions on import with AWS errors, leaving nothing half-imported', async () => {
    const op = (get: unknown) => JSON.stringify({ openapi: '3.0.1', info: { title: 'hostile' }, paths: { '/a': { get } } });
    const docs = [
      '{}', '[]', 'null', '{"openapi":"3.0.1","paths":null}', '{"openapi":"3.0.1","paths":[]}',
      op(null), op([]), op({ 'x-amazon-apigateway-integration': null }),
      op({ 'x-amazon-apigateway-integration': { type: 'aws_proxy', uri: 12, httpMethod: [] } }),
      op({ 'x-amazon-apigateway-integration': { type: 'mock', responses: null, requestTemplates: [1] } }),
      op({ 'x-amazon-apigateway-integration': { type: 'mock', responses: { default: null } } }),
      op({ parameters: [null, { name: 1, in: 'path' }], security: [null, { x: null }], responses: { 200: null } }),
      JSON.stringify({ openapi: '3.0.1', info: { title: 't' }, components: { schemas: { A: { $ref: '#/components/schemas/B' }, B: { $ref: '#/components/schemas/A' } } }, paths: {} }),
      'openapi: 3.0.1\ninfo:\n  title: t\npaths:\n  /a: [unclosed',
      'a: &a [*a, *a]\nb: *a',
    ];
    const sign = { authorization: SIGNED('apigateway'), 'content-type': 'application/json' };
    const before = JSON.parse((await rawRequest(env.endpoint, { path: '/restapis?limit=500', headers: sign })).body).item?.length ?? 0;
    let created = 0;
    for (const doc of docs) {
      const answer = await rawRequest(env.endpoint, { method: 'POST', path: '/restapis?mode=import', headers: sign, body: doc });
      assert.ok(answer.status === 201 || answer.status === 400, `${doc}: ${answer.status} ${answer.body}`);
      if (answer.status === 201) created++;
      else assert.equal(answer.headers['x-amzn-errortype'], 'BadRequestException', doc);
    }
    // An integration uri that is a number used to be a 500 (a TypeError deep in the import).
    const numeric = await rawRequest(env.endpoint, { method: 'POST', path: '/restapis?mode=import', headers: sign, body: docs[8] });
    assert.equal(numeric.status, 400);
    assert.equal(JSON.parse(numeric.body).message, 'Invalid OpenAPI input.');
    const after = JSON.parse((await rawRequest(env.endpoint, { path: '/restapis?limit=500', headers: sign })).body).item?.length ?? 0;
    assert.equal(after, before + created);
  });

  it('answers every generated bad HTTP API control-plane request in AWS shape', async () => {
    const client = new ApiGatewayV2Client(clientConfig(env.endpoint));
    const api = await client.send(new CreateApiCommand({ Name: 'sweep', ProtocolType: 'HTTP' }));
    const integration = await client.send(new CreateIntegrationCommand({ ApiId: api.ApiId, IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'GET', IntegrationUri: 'http://127.0.0.1:9/x', PayloadFormatVersion: '1.0' }));
    const route = await client.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /items', Target: `integrations/${integration.IntegrationId}` }));
    await client.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: 'dev' }));
    await sweep('apigatewayv2-2018-11-29.min.json', 'apigateway', {
      apiId: api.ApiId!,
      integrationId: integration.IntegrationId!,
      routeId: route.RouteId!,
      stageName: 'dev',
      name: 'sweep',
      protocolType: 'HTTP',
      routeKey: 'GET /other',
      integrationType: 'HTTP_PROXY',
      'resource-arn': `arn:aws:apigateway:us-east-1::/apis/${api.ApiId}`,
    });
  });
});
