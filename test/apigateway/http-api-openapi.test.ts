import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ApiGatewayV2Client,
  CreateStageCommand,
  ExportApiCommand,
  GetApisCommand,
  GetAuthorizersCommand,
  GetRoutesCommand,
  ImportApiCommand,
  ReimportApiCommand,
} from '@aws-sdk/client-apigatewayv2';
import { parse as parseYaml } from 'yaml';
import { clientConfig } from '../support/fogbank.js';
import { expectAwsError } from '../support/errors.js';
import { rawRequest } from '../support/http.js';
import { createFunction, lambdaClient, useLambdaFogbank } from '../lambda/support.js';
import { lambdaUri } from './support.js';

const env = useLambdaFogbank();
const v2 = () => new ApiGatewayV2Client(clientConfig(env.endpoint));

const ECHO = `export const handler = async (event) => ({ statusCode: 200, body: JSON.stringify({ routeKey: event.routeKey, authorizer: event.requestContext.authorizer ?? null }) });`;
const ALLOW = `export const handler = async (event) => ({ isAuthorized: event.headers['x-key'] === 'ok', context: { who: 'importer' } });`;

function get(apiId: string, path: string, headers: Record<string, string> = {}) {
  const port = new URL(env.endpoint).port;
  return rawRequest(env.endpoint, { path, headers: { host: `${apiId}.execute-api.localhost.localstack.cloud:${port}`, ...headers } });
}

const definition = (fnArn: string, authArn: string) => `
openapi: "3.0.1"
info:
  title: imported-items
  version: "1.2"
  description: items from OpenAPI
x-amazon-apigateway-cors:
  allowOrigins: ["https://app.example"]
  allowMethods: ["GET"]
paths:
  /items:
    get:
      operationId: listItems
      x-amazon-apigateway-integration:
        type: aws_proxy
        httpMethod: POST
        uri: ${fnArn}
        payloadFormatVersion: "2.0"
  /items/{id}:
    get:
      security:
        - keyAuth: []
      x-amazon-apigateway-integration:
        type: aws_proxy
        httpMethod: POST
        uri: ${fnArn}
        payloadFormatVersion: "2.0"
components:
  securitySchemes:
    keyAuth:
      type: apiKey
      name: x-key
      in: header
      x-amazon-apigateway-authorizer:
        type: request
        identitySource: "$request.header.x-key"
        authorizerUri: ${lambdaUri(authArn)}
        authorizerPayloadFormatVersion: "2.0"
        enableSimpleResponses: true
`;

describe('HTTP API OpenAPI import and export', () => {
  it('imports routes, integrations, a Lambda authorizer and CORS, serves them, exports them and reimports', async () => {
    const client = v2();
    const fn = await createFunction(lambdaClient(env.endpoint), { files: { 'index.mjs': ECHO } });
    const auth = await createFunction(lambdaClient(env.endpoint), { files: { 'index.mjs': ALLOW } });
    const api = await client.send(new ImportApiCommand({ Body: definition(fn.FunctionArn!, auth.FunctionArn!) }));
    assert.equal(api.$metadata.httpStatusCode, 201);
    assert.equal(api.Name, 'imported-items');
    assert.equal(api.Version, '1.2');
    assert.deepEqual(api.CorsConfiguration?.AllowOrigins, ['https://app.example']);
    const routes = (await client.send(new GetRoutesCommand({ ApiId: api.ApiId }))).Items!;
    assert.deepEqual(routes.map((r) => [r.RouteKey, r.AuthorizationType, r.OperationName]).sort(), [
      ['GET /items', 'NONE', 'listItems'],
      ['GET /items/{id}', 'CUSTOM', undefined],
    ]);
    assert.equal((await client.send(new GetAuthorizersCommand({ ApiId: api.ApiId }))).Items![0]!.Name, 'keyAuth');

    await client.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: '$default', AutoDeploy: true }));
    assert.equal(JSON.parse((await get(api.ApiId!, '/items')).body).routeKey, 'GET /items');
    assert.equal((await get(api.ApiId!, '/items/1')).status, 401);
    const authorized = await get(api.ApiId!, '/items/1', { 'x-key': 'ok' });
    assert.equal(authorized.status, 200, authorized.body);
    assert.equal(JSON.parse(authorized.body).authorizer.lambda.who, 'importer');

    const exported = await client.send(new ExportApiCommand({ ApiId: api.ApiId, Specification: 'OAS30', OutputType: 'JSON' }));
    const doc = JSON.parse(Buffer.from(exported.body!).toString('utf8'));
    assert.equal(doc.openapi, '3.0.1');
    assert.equal(doc.info.title, 'imported-items');
    assert.deepEqual(Object.keys(doc.paths).sort(), ['/items', '/items/{id}']);
    assert.equal(doc.paths['/items'].get['x-amazon-apigateway-integration'].uri, fn.FunctionArn);
    assert.equal(doc.paths['/items'].get['x-amazon-apigateway-integration'].type, 'aws_proxy');
    assert.deepEqual(doc.paths['/items/{id}'].get.security, [{ keyAuth: [] }]);
    assert.deepEqual(doc.paths['/items/{id}'].get.parameters, [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }]);
    assert.equal(doc.components.securitySchemes.keyAuth['x-amazon-apigateway-authorizer'].type, 'request');
    assert.deepEqual(doc['x-amazon-apigateway-cors'], { allowOrigins: ['https://app.example'], allowMethods: ['GET'] });

    const plain = await client.send(new ExportApiCommand({ ApiId: api.ApiId, Specification: 'OAS30', OutputType: 'YAML', IncludeExtensions: false, StageName: '$default' }));
    const yamlDoc = parseYaml(Buffer.from(plain.body!).toString('utf8'));
    assert.equal(yamlDoc.paths['/items'].get['x-amazon-apigateway-integration'], undefined);
    assert.equal(yamlDoc['x-amazon-apigateway-importexport-version'], undefined);

    // The export imports again as an equal API.
    const copy = await client.send(new ImportApiCommand({ Body: JSON.stringify(doc) }));
    assert.deepEqual((await client.send(new GetRoutesCommand({ ApiId: copy.ApiId }))).Items!.map((r) => r.RouteKey).sort(), ['GET /items', 'GET /items/{id}']);

    // Reimport replaces the routes; the auto-deploy stage serves the new ones.
    const replaced = definition(fn.FunctionArn!, auth.FunctionArn!).replace('/items:', '/things:').replace('title: imported-items', 'title: reimported');
    const reimported = await client.send(new ReimportApiCommand({ ApiId: api.ApiId, Body: replaced }));
    assert.equal(reimported.Name, 'reimported');
    assert.equal(reimported.ApiId, api.ApiId);
    assert.equal((await get(api.ApiId!, '/items')).status, 404);
    assert.equal(JSON.parse((await get(api.ApiId!, '/things')).body).routeKey, 'GET /things');
  });

  it('refuses bad definitions without creating anything, and bad export requests', async () => {
    const client = v2();
    const before = (await client.send(new GetApisCommand({}))).Items!.length;
    for (const Body of ['not: [yaml', '{"swagger":"2.0","info":{"title":"x"}}', '{"openapi":"3.0.1","info":{},"paths":{}}', '[]']) {
      await expectAwsError(client.send(new ImportApiCommand({ Body })), { name: 'BadRequestException', status: 400 });
    }
    const undefinedScheme = JSON.stringify({ openapi: '3.0.1', info: { title: 't' }, paths: { '/a': { get: { security: [{ nope: [] }] } } } });
    await expectAwsError(client.send(new ImportApiCommand({ Body: undefinedScheme })), { name: 'BadRequestException', status: 400 });
    const badIntegration = JSON.stringify({ openapi: '3.0.1', info: { title: 't' }, paths: { '/a': { get: { 'x-amazon-apigateway-integration': { type: 'aws_proxy', uri: 'arn:aws:lambda:us-east-1:000000000000:function:f', payloadFormatVersion: '9.9' } } } } });
    await expectAwsError(client.send(new ImportApiCommand({ Body: badIntegration })), { name: 'BadRequestException', status: 400 });
    assert.equal((await client.send(new GetApisCommand({}))).Items!.length, before, 'a failed import leaves no API behind');

    const ok = await client.send(new ImportApiCommand({ Body: JSON.stringify({ openapi: '3.0.1', info: { title: 'empty' }, paths: {} }) }));
    await expectAwsError(client.send(new ExportApiCommand({ ApiId: ok.ApiId, Specification: 'SWAGGER2', OutputType: 'JSON' })), { name: 'BadRequestException', status: 400 });
    await expectAwsError(client.send(new ExportApiCommand({ ApiId: ok.ApiId, Specification: 'OAS30', OutputType: 'XML' })), { name: 'BadRequestException', status: 400 });
    await expectAwsError(client.send(new ExportApiCommand({ ApiId: ok.ApiId, Specification: 'OAS30', OutputType: 'JSON', StageName: 'none' })), { name: 'BadRequestException', status: 400 });
    await expectAwsError(client.send(new ExportApiCommand({ ApiId: 'nosuchapi0', Specification: 'OAS30', OutputType: 'JSON' })), { name: 'NotFoundException', status: 404 });
    await expectAwsError(client.send(new ReimportApiCommand({ ApiId: 'nosuchapi0', Body: '{}' })), { name: 'NotFoundException', status: 404 });
    const exported = await client.send(new ExportApiCommand({ ApiId: ok.ApiId, Specification: 'OAS30', OutputType: 'JSON' }));
    assert.deepEqual(JSON.parse(Buffer.from(exported.body!).toString('utf8')).paths, {});
  });
});
