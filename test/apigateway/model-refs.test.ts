import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateDeploymentCommand,
  CreateModelCommand,
  CreateRequestValidatorCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  GetResourcesCommand,
  ImportRestApiCommand,
  PutGatewayResponseCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
  type APIGatewayClient,
} from '@aws-sdk/client-api-gateway';
import { useFogbank } from '../support/fogbank.js';
import { apigwClient, invoke } from './support.js';

const env = useFogbank();

/** POST /path validated against `model` (MOCK answering {"data": "ok"}), deployed to dev. */
async function validatedPost(client: APIGatewayClient, apiId: string, rootId: string, model: string) {
  const resource = await client.send(new CreateResourceCommand({ restApiId: apiId, parentId: rootId, pathPart: 'path' }));
  const validator = await client.send(new CreateRequestValidatorCommand({ restApiId: apiId, name: 'body', validateRequestBody: true, validateRequestParameters: false }));
  await client.send(
    new PutMethodCommand({ restApiId: apiId, resourceId: resource.id, httpMethod: 'POST', authorizationType: 'NONE', requestValidatorId: validator.id, requestModels: { 'application/json': model } }),
  );
  await client.send(new PutMethodResponseCommand({ restApiId: apiId, resourceId: resource.id, httpMethod: 'POST', statusCode: '200' }));
  await client.send(new PutIntegrationCommand({ restApiId: apiId, resourceId: resource.id, httpMethod: 'POST', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
  await client.send(
    new PutIntegrationResponseCommand({ restApiId: apiId, resourceId: resource.id, httpMethod: 'POST', statusCode: '200', selectionPattern: '', responseTemplates: { 'application/json': '{"data": "ok"}' } }),
  );
  await client.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'dev' }));
}

async function post(apiId: string, body: unknown, form: 'host' | 'path' = 'host') {
  const response = await invoke(env.endpoint, form, apiId, 'dev', '/path', { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  return { status: response.status, body: JSON.parse(response.body) as unknown };
}

const model = (client: APIGatewayClient, apiId: string, name: string, schema: unknown) =>
  client.send(new CreateModelCommand({ restApiId: apiId, name, contentType: 'application/json', schema: JSON.stringify(schema) }));

describe('API Gateway request validation with $ref between models', () => {
  it('follows a $ref to another model of the API by its URL, in items and in oneOf', async () => {
    const client = apigwClient(env.endpoint);
    const api = await client.send(new CreateRestApiCommand({ name: 'refs' }));
    const apiId = api.id!;
    await model(client, apiId, 'testSchema', { $schema: 'http://json-schema.org/draft-04/schema#', title: 'testSchema', type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] });
    await model(client, apiId, 'testSchemaList', { type: 'array', items: { $ref: `https://apigateway.amazonaws.com/restapis/${apiId}/models/testSchema` } });
    await validatedPost(client, apiId, api.rootResourceId!, 'testSchemaList');
    assert.deepEqual(await post(apiId, [{ a: 1, b: 2 }]), { status: 200, body: { data: 'ok' } });
    assert.deepEqual(await post(apiId, [{ a: 1, b: 2 }, { a: 1 }], 'path'), { status: 400, body: { message: 'Invalid request body' } });
    assert.deepEqual(await post(apiId, [{ a: 'one', b: 2 }]), { status: 400, body: { message: 'Invalid request body' } });

    // A failed validation answers through BAD_REQUEST_BODY, and a body past 10 MB through REQUEST_TOO_LARGE.
    await client.send(new PutGatewayResponseCommand({ restApiId: apiId, responseType: 'BAD_REQUEST_BODY', statusCode: '422', responseTemplates: { 'application/json': '{"error": $context.error.messageString, "type": "$context.error.responseType"}' } }));
    await client.send(new PutGatewayResponseCommand({ restApiId: apiId, responseType: 'DEFAULT_4XX', responseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'*'" } }));
    await client.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'dev' }));
    assert.deepEqual(await post(apiId, [{ a: 1 }]), { status: 422, body: { error: 'Invalid request body', type: 'BAD_REQUEST_BODY' } });
    const large = await invoke(env.endpoint, 'host', apiId, 'dev', '/path', { method: 'POST', body: 'x'.repeat(10 * 1024 * 1024 + 1), headers: { 'content-type': 'application/json' } });
    assert.deepEqual([large.status, large.headers['access-control-allow-origin'], JSON.parse(large.body)], [413, '*', { message: 'Request Too Long' }]);
    assert.deepEqual(await post(apiId, [{ a: 1, b: 2 }], 'path'), { status: 200, body: { data: 'ok' } });
  });

  it('follows refs inside one schema, refs a oneOf picks, and refs of imported OpenAPI schemas', async () => {
    const client = apigwClient(env.endpoint);
    const api = await client.send(new CreateRestApiCommand({ name: 'oneof-refs' }));
    const apiId = api.id!;
    await model(client, apiId, 'StatusModel', { type: 'object', properties: { Status: { type: 'string' }, Order: { type: 'integer' } }, required: ['Status', 'Order'] });
    await model(client, apiId, 'TestModel', {
      definitions: { node: { type: 'object', properties: { children: { type: 'array', items: { $ref: '#/definitions/node' } }, name: { type: 'string' } }, required: ['name'] } },
      type: 'object',
      properties: {
        status: { oneOf: [{ type: 'null' }, { $ref: `https://apigateway.amazonaws.com/restapis/${apiId}/models/StatusModel` }] },
        tree: { $ref: '#/definitions/node' },
        loop: { $ref: '#' },
      },
      required: ['status'],
    });
    await validatedPost(client, apiId, api.rootResourceId!, 'TestModel');
    assert.equal((await post(apiId, { status: null })).status, 200);
    assert.equal((await post(apiId, { status: { Status: 'ok', Order: 1 } })).status, 200);
    assert.equal((await post(apiId, { status: { Status: 'ok' } })).status, 400);
    assert.equal((await post(apiId, { status: null, tree: { name: 'root', children: [{ name: 'leaf', children: [] }] } })).status, 200);
    assert.equal((await post(apiId, { status: null, tree: { name: 'root', children: [{ children: [] }] } })).status, 400);
    // A schema that refers to itself recurses along the value, and ends with it.
    assert.equal((await post(apiId, { status: null, loop: { status: null, loop: { status: 3 } } })).status, 400);
    assert.equal((await post(apiId, { status: null, loop: { status: null } })).status, 200);

    const definition = {
      openapi: '3.0.1',
      info: { title: 'imported-refs', version: '1' },
      'x-amazon-apigateway-request-validators': { body: { validateRequestBody: true, validateRequestParameters: false } },
      paths: {
        '/path': {
          post: {
            'x-amazon-apigateway-request-validator': 'body',
            requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Order' } } } },
            'x-amazon-apigateway-integration': { type: 'mock', requestTemplates: { 'application/json': '{"statusCode": 200}' }, responses: { default: { statusCode: '200', responseTemplates: { 'application/json': '{"data": "ok"}' } } } },
          },
        },
      },
      components: {
        schemas: {
          Item: { type: 'object', properties: { sku: { type: 'string' } }, required: ['sku'] },
          Order: { type: 'object', properties: { items: { type: 'array', items: { $ref: '#/components/schemas/Item' } } }, required: ['items'] },
        },
      },
    };
    const imported = await client.send(new ImportRestApiCommand({ body: new TextEncoder().encode(JSON.stringify(definition)) }));
    await client.send(new CreateDeploymentCommand({ restApiId: imported.id, stageName: 'dev' }));
    assert.ok((await client.send(new GetResourcesCommand({ restApiId: imported.id }))).items!.some((r) => r.path === '/path'));
    assert.deepEqual(await post(imported.id!, { items: [{ sku: 'a' }] }), { status: 200, body: { data: 'ok' } });
    assert.deepEqual(await post(imported.id!, { items: [{ name: 'a' }] }, 'path'), { status: 400, body: { message: 'Invalid request body' } });
  });
});
