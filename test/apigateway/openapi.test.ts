import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateDeploymentCommand,
  GetAuthorizersCommand,
  GetExportCommand,
  GetMethodCommand,
  GetModelsCommand,
  GetRequestValidatorsCommand,
  GetResourcesCommand,
  ImportRestApiCommand,
  PutRestApiCommand,
} from '@aws-sdk/client-api-gateway';
import { expectAwsError } from '../support/errors.js';
import { createFunction, lambdaClient, useLambdaFogbank } from '../lambda/support.js';
import { apigwClient, invoke, lambdaUri } from './support.js';

const env = useLambdaFogbank();

const yamlDefinition = (functionArn: string) => `
openapi: 3.0.1
info:
  title: items-from-yaml
  version: '1.0'
x-amazon-apigateway-binary-media-types: [image/png]
x-amazon-apigateway-request-validators:
  body-only:
    validateRequestBody: true
    validateRequestParameters: false
components:
  schemas:
    Item:
      type: object
      required: [id]
      properties:
        id: { type: string }
  securitySchemes:
    api_key:
      type: apiKey
      name: x-api-key
      in: header
paths:
  /items:
    get:
      parameters:
        - { name: limit, in: query, required: false, schema: { type: string } }
      x-amazon-apigateway-integration:
        type: aws_proxy
        httpMethod: POST
        uri: ${lambdaUri(functionArn)}
    post:
      x-amazon-apigateway-request-validator: body-only
      requestBody:
        content:
          application/json:
            schema: { $ref: '#/components/schemas/Item' }
      x-amazon-apigateway-integration:
        type: aws_proxy
        httpMethod: POST
        uri: ${lambdaUri(functionArn)}
  /items/{id}:
    get:
      parameters:
        - { name: id, in: path, required: true, schema: { type: string } }
      x-amazon-apigateway-integration:
        type: aws_proxy
        httpMethod: POST
        uri: ${lambdaUri(functionArn)}
  /health:
    get:
      security: [{ api_key: [] }]
      responses:
        '200':
          description: ok
          headers:
            X-Health: { schema: { type: string } }
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates:
          application/json: '{"statusCode": 200}'
        responses:
          default:
            statusCode: '200'
            responseParameters:
              method.response.header.X-Health: "'green'"
            responseTemplates:
              application/json: '{"healthy": true}'
`;

const swaggerDefinition = {
  swagger: '2.0',
  info: { title: 'swagger-api', version: '2' },
  paths: {
    '/ping': {
      get: {
        produces: ['application/json'],
        responses: { '200': { description: 'pong' } },
        'x-amazon-apigateway-integration': {
          type: 'mock',
          requestTemplates: { 'application/json': '{"statusCode": 200}' },
          responses: { default: { statusCode: '200', responseTemplates: { 'application/json': '{"pong": "$context.stage"}' } } },
        },
      },
    },
  },
};

describe('ImportRestApi and PutRestApi from OpenAPI', () => {
  it('imports an OpenAPI 3 YAML definition with Lambda proxy and MOCK integrations, validators, models and API keys', async () => {
    const fn = await createFunction(lambdaClient(env.endpoint), {
      files: { 'index.mjs': 'export const handler = async (e) => ({ statusCode: 200, body: JSON.stringify({ resource: e.resource, id: e.pathParameters?.id ?? null, method: e.httpMethod }) });' },
    });
    const client = apigwClient(env.endpoint);
    const api = await client.send(new ImportRestApiCommand({ body: new TextEncoder().encode(yamlDefinition(fn.FunctionArn!)) }));
    assert.equal(api.$metadata.httpStatusCode, 201);
    assert.equal(api.name, 'items-from-yaml');
    assert.equal(api.version, '1.0');
    assert.deepEqual(api.binaryMediaTypes, ['image/png']);
    const paths = (await client.send(new GetResourcesCommand({ restApiId: api.id }))).items?.map((r) => r.path).sort();
    assert.deepEqual(paths, ['/', '/health', '/items', '/items/{id}']);
    const models = (await client.send(new GetModelsCommand({ restApiId: api.id }))).items?.map((m) => m.name);
    assert.deepEqual(models, ['Empty', 'Error', 'Item']);
    const validators = await client.send(new GetRequestValidatorsCommand({ restApiId: api.id }));
    assert.deepEqual(validators.items?.map((v) => [v.name, v.validateRequestBody, v.validateRequestParameters]), [['body-only', true, false]]);
    const items = (await client.send(new GetResourcesCommand({ restApiId: api.id }))).items!.find((r) => r.path === '/items')!;
    const get = await client.send(new GetMethodCommand({ restApiId: api.id, resourceId: items.id, httpMethod: 'GET' }));
    assert.deepEqual(get.requestParameters, { 'method.request.querystring.limit': false });
    assert.equal(get.methodIntegration?.type, 'AWS_PROXY');

    await client.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'v1' }));
    const one = await invoke(env.endpoint, 'host', api.id!, 'v1', '/items/42');
    assert.equal(one.status, 200, one.body);
    assert.deepEqual(JSON.parse(one.body), { resource: '/items/{id}', id: '42', method: 'GET' });
    const invalid = await invoke(env.endpoint, 'host', api.id!, 'v1', '/items', { method: 'POST', body: '{"name": "no id"}', headers: { 'content-type': 'application/json' } });
    assert.equal(invalid.status, 400);
    assert.deepEqual(JSON.parse(invalid.body), { message: 'Invalid request body' });
    const created = await invoke(env.endpoint, 'host', api.id!, 'v1', '/items', { method: 'POST', body: '{"id": "a"}', headers: { 'content-type': 'application/json' } });
    assert.equal(created.status, 200);
    const health = await invoke(env.endpoint, 'host', api.id!, 'v1', '/health');
    assert.equal(health.status, 403, 'api_key security makes the method require a key');
  });

  it('imports Swagger 2 JSON, and PutRestApi merges or overwrites', async () => {
    const client = apigwClient(env.endpoint);
    const api = await client.send(new ImportRestApiCommand({ body: new TextEncoder().encode(JSON.stringify(swaggerDefinition)) }));
    assert.equal(api.name, 'swagger-api');
    await client.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'dev' }));
    const pong = await invoke(env.endpoint, 'path', api.id!, 'dev', '/ping');
    assert.equal(pong.status, 200);
    assert.deepEqual(JSON.parse(pong.body), { pong: 'dev' });

    const more = { ...swaggerDefinition, paths: { '/pong': swaggerDefinition.paths['/ping'] } };
    await client.send(new PutRestApiCommand({ restApiId: api.id, mode: 'merge', body: new TextEncoder().encode(JSON.stringify(more)) }));
    const merged = (await client.send(new GetResourcesCommand({ restApiId: api.id }))).items?.map((r) => r.path).sort();
    assert.deepEqual(merged, ['/', '/ping', '/pong']);
    const replaced = await client.send(
      new PutRestApiCommand({ restApiId: api.id, mode: 'overwrite', body: new TextEncoder().encode(JSON.stringify({ ...more, info: { title: 'renamed', version: '3' } })) }),
    );
    assert.equal(replaced.name, 'renamed');
    const overwritten = (await client.send(new GetResourcesCommand({ restApiId: api.id }))).items?.map((r) => r.path).sort();
    assert.deepEqual(overwritten, ['/', '/pong']);
    assert.deepEqual((await client.send(new GetAuthorizersCommand({ restApiId: api.id }))).items, []);
  });

  it('answers BadRequestException for definitions that are not OpenAPI, and keeps nothing of a failed import', async () => {
    const client = apigwClient(env.endpoint);
    for (const body of ['not: [valid', '{"hello": "world"}', '']) {
      await expectAwsError(client.send(new ImportRestApiCommand({ body: new TextEncoder().encode(body) })), { name: 'BadRequestException', status: 400, message: 'Invalid OpenAPI input.' });
    }
    const broken = { ...swaggerDefinition, info: { title: 'broken', version: '1' }, paths: { '/bad path!': swaggerDefinition.paths['/ping'] } };
    await expectAwsError(client.send(new ImportRestApiCommand({ body: new TextEncoder().encode(JSON.stringify(broken)) })), { name: 'BadRequestException', status: 400 });
    // Odd shapes where objects belong import what makes sense instead of failing the server.
    const odd = { openapi: '3.0.1', info: { title: 'odd' }, paths: { '/a': null, '/b': { get: { parameters: 5, requestBody: { content: { 'application/json': null } }, responses: { '200': null } } } } };
    const imported = await client.send(new ImportRestApiCommand({ body: new TextEncoder().encode(JSON.stringify(odd)) }));
    assert.deepEqual((await client.send(new GetResourcesCommand({ restApiId: imported.id }))).items?.map((r) => r.path).sort(), ['/', '/b']);
    const { GetRestApisCommand } = await import('@aws-sdk/client-api-gateway');
    const names = (await client.send(new GetRestApisCommand({}))).items?.map((a) => a.name);
    assert.ok(!names?.includes('broken'));
  });

  it('exports a stage as OpenAPI 3 or Swagger 2, JSON or YAML, which imports back', async () => {
    const client = apigwClient(env.endpoint);
    const api = await client.send(new ImportRestApiCommand({ body: new TextEncoder().encode(JSON.stringify(swaggerDefinition)) }));
    await client.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'prod' }));
    const exported = await client.send(new GetExportCommand({ restApiId: api.id, stageName: 'prod', exportType: 'oas30', parameters: { extensions: 'integrations' } }));
    assert.equal(exported.contentType, 'application/json');
    const doc = JSON.parse(Buffer.from(exported.body!).toString('utf8'));
    assert.equal(doc.openapi, '3.0.1');
    assert.equal(doc.info.title, 'swagger-api');
    assert.equal(doc.servers[0].variables.basePath.default, 'prod');
    assert.equal(doc.paths['/ping'].get['x-amazon-apigateway-integration'].type, 'mock');
    const yaml = await client.send(new GetExportCommand({ restApiId: api.id, stageName: 'prod', exportType: 'swagger', accepts: 'application/yaml', parameters: { extensions: 'apigateway' } }));
    assert.equal(yaml.contentType, 'application/yaml');
    const text = Buffer.from(yaml.body!).toString('utf8');
    assert.match(text, /^swagger: "?2\.0"?$/m);
    assert.match(text, /basePath: \/prod/);

    const copy = await client.send(new ImportRestApiCommand({ body: exported.body! }));
    await client.send(new CreateDeploymentCommand({ restApiId: copy.id, stageName: 'dev' }));
    const pong = await invoke(env.endpoint, 'host', copy.id!, 'dev', '/ping');
    assert.deepEqual(JSON.parse(pong.body), { pong: 'dev' });
    await expectAwsError(client.send(new GetExportCommand({ restApiId: api.id, stageName: 'nope', exportType: 'oas30' })), { name: 'NotFoundException', status: 404, message: 'Invalid Stage identifier specified' });
  });
});
