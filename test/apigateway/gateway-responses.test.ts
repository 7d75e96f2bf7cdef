import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateAuthorizerCommand,
  CreateDeploymentCommand,
  CreateResourceCommand,
  DeleteGatewayResponseCommand,
  GetGatewayResponseCommand,
  GetExportCommand,
  GetGatewayResponsesCommand,
  ImportRestApiCommand,
  PutGatewayResponseCommand,
  PutIntegrationCommand,
  PutMethodCommand,
  UpdateGatewayResponseCommand,
  UpdateMethodCommand,
} from '@aws-sdk/client-api-gateway';
import { expectAwsError } from '../support/errors.js';
import { awsCli, hasAwsCli, useFogbank } from '../support/fogbank.js';
import { apigwClient, invoke, mockApi } from './support.js';

const env = useFogbank();

const DEFAULT_TEMPLATE = { 'application/json': '{"message":$context.error.messageString}' };

describe('API Gateway gateway responses', () => {
  it('lists every type with its default, customizes, inherits DEFAULT_5XX, deletes', async () => {
    const client = apigwClient(env.endpoint);
    const { apiId } = await mockApi(client, ['/items']);
    const byDefault = await client.send(new GetGatewayResponseCommand({ restApiId: apiId, responseType: 'MISSING_AUTHENTICATION_TOKEN' }));
    assert.deepEqual(
      { ...byDefault, $metadata: undefined },
      { $metadata: undefined, defaultResponse: true, responseParameters: {}, responseTemplates: DEFAULT_TEMPLATE, responseType: 'MISSING_AUTHENTICATION_TOKEN', statusCode: '403' },
    );
    const put = await client.send(
      new PutGatewayResponseCommand({
        restApiId: apiId,
        responseType: 'MISSING_AUTHENTICATION_TOKEN',
        statusCode: '404',
        responseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'a.b.c'" },
      }),
    );
    assert.equal(put.$metadata.httpStatusCode, 201);
    assert.deepEqual([put.defaultResponse, put.statusCode, put.responseTemplates], [false, '404', DEFAULT_TEMPLATE]);
    // Without a status code, the type keeps its own.
    const paramsOnly = await client.send(new PutGatewayResponseCommand({ restApiId: apiId, responseType: 'UNAUTHORIZED', responseParameters: { 'gatewayresponse.header.x-a': "'b'" } }));
    assert.equal(paramsOnly.statusCode, '401');

    await client.send(new PutGatewayResponseCommand({ restApiId: apiId, responseType: 'DEFAULT_5XX', statusCode: '599', responseTemplates: { 'application/json': '{"oops": true}' } }));
    const all = await client.send(new GetGatewayResponsesCommand({ restApiId: apiId }));
    assert.equal(all.items!.length, 21);
    const of = (type: string) => all.items!.find((r) => r.responseType === type)!;
    assert.deepEqual([of('DEFAULT_4XX').statusCode, of('DEFAULT_4XX').defaultResponse], [undefined, true]);
    assert.deepEqual([of('THROTTLED').statusCode, of('QUOTA_EXCEEDED').statusCode, of('WAF_FILTERED').statusCode], ['429', '429', '403']);
    assert.deepEqual([of('MISSING_AUTHENTICATION_TOKEN').statusCode, of('MISSING_AUTHENTICATION_TOKEN').defaultResponse], ['404', false]);
    // Types of the 5xx family take DEFAULT_5XX's customization, still listed as defaults.
    assert.deepEqual([of('API_CONFIGURATION_ERROR').statusCode, of('API_CONFIGURATION_ERROR').defaultResponse, of('API_CONFIGURATION_ERROR').responseTemplates], ['599', true, { 'application/json': '{"oops": true}' }]);
    assert.equal(of('BAD_REQUEST_BODY').statusCode, '400');

    const deleted = await client.send(new DeleteGatewayResponseCommand({ restApiId: apiId, responseType: 'MISSING_AUTHENTICATION_TOKEN' }));
    assert.equal(deleted.$metadata.httpStatusCode, 202);
    assert.equal((await client.send(new GetGatewayResponseCommand({ restApiId: apiId, responseType: 'MISSING_AUTHENTICATION_TOKEN' }))).defaultResponse, true);
    await expectAwsError(client.send(new DeleteGatewayResponseCommand({ restApiId: apiId, responseType: 'MISSING_AUTHENTICATION_TOKEN' })), {
      name: 'NotFoundException',
      status: 404,
      message: 'Gateway response type not defined on api',
    });
    await expectAwsError(client.send(new GetGatewayResponseCommand({ restApiId: apiId, responseType: 'FAKE_RESPONSE_TYPE' as never })), {
      name: 'ValidationException',
      status: 400,
      // AWS lists the set in another order and names the member 'responseType'.
      message: /^1 validation error detected: Value 'FAKE_RESPONSE_TYPE' at '(getGatewayResponseInput\.)?responseType' failed to satisfy constraint: Member must satisfy enum value set: \[/,
    });
    await expectAwsError(client.send(new PutGatewayResponseCommand({ restApiId: apiId, responseType: 'NOPE' as never })), { name: 'ValidationException', status: 400 });
    await expectAwsError(client.send(new GetGatewayResponsesCommand({ restApiId: 'nope000000' })), { name: 'NotFoundException', message: 'Invalid API identifier specified 000000000000:nope000000' });
  });

  it('updates a gateway response with its patch paths and answers AWS errors for bad ones', async () => {
    const client = apigwClient(env.endpoint);
    const { apiId } = await mockApi(client, ['/items']);
    const fresh = await client.send(new UpdateGatewayResponseCommand({ restApiId: apiId, responseType: 'DEFAULT_4XX', patchOperations: [{ op: 'replace', path: '/statusCode', value: '444' }] }));
    assert.deepEqual([fresh.$metadata.httpStatusCode, fresh.defaultResponse, fresh.statusCode, fresh.responseTemplates], [200, false, '444', DEFAULT_TEMPLATE]);
    const updated = await client.send(
      new UpdateGatewayResponseCommand({
        restApiId: apiId,
        responseType: 'DEFAULT_4XX',
        patchOperations: [
          { op: 'add', path: '/responseParameters/gatewayresponse.header.Access-Control-Allow-Origin', value: "'*'" },
          { op: 'add', path: '/responseTemplates/application~1xml', value: '<error>$context.error.message</error>' },
          { op: 'replace', path: '/responseParameters/gatewayresponse.header.Access-Control-Allow-Origin', value: "'example.com'" },
        ],
      }),
    );
    assert.deepEqual(updated.responseParameters, { 'gatewayresponse.header.Access-Control-Allow-Origin': "'example.com'" });
    assert.deepEqual(updated.responseTemplates, { ...DEFAULT_TEMPLATE, 'application/xml': '<error>$context.error.message</error>' });
    const update = (patchOperations: Array<{ op: string; path?: string; value?: string }>, type = 'DEFAULT_4XX') =>
      client.send(new UpdateGatewayResponseCommand({ restApiId: apiId, responseType: type as never, patchOperations: patchOperations as never }));
    await expectAwsError(update([{ op: 'add', path: '/statusCode', value: '444' }]), { name: 'BadRequestException', message: 'Invalid patch path /statusCode' });
    await expectAwsError(update([{ op: 'remove', path: '/statusCode' }]), { name: 'BadRequestException', message: 'Invalid patch path /statusCode' });
    await expectAwsError(update([{ op: 'add', value: "'x'" }]), { name: 'BadRequestException', message: 'Invalid patch path null' });
    await expectAwsError(update([{ op: 'add', path: '/wrongPath', value: "'x'" }]), { name: 'BadRequestException', message: 'Invalid patch path /wrongPath' });
    await expectAwsError(update([{ op: 'replace', path: '/responseParameters/gatewayresponse.header.nope', value: "'x'" }], 'DEFAULT_5XX'), {
      name: 'NotFoundException',
      message: 'Invalid parameter name specified',
    });
    await expectAwsError(update([{ op: 'replace', path: '/responseTemplates/application~1xml' }]), { name: 'BadRequestException', message: 'Invalid null or empty value in responseTemplates' });
    await expectAwsError(update([{ op: 'wrong-op', path: '/statusCode', value: '1' }]), {
      name: 'ValidationException',
      message: /^1 validation error detected: Value 'wrong-op' at 'updateGatewayResponseInput\.patchOperations\.1\.member\.op' failed to satisfy constraint: Member must satisfy enum value set: \[/,
    });
    // Nothing of a failed update stuck.
    assert.equal((await client.send(new GetGatewayResponseCommand({ restApiId: apiId, responseType: 'DEFAULT_4XX' }))).statusCode, '444');
  });

  it('rewords gateway errors once deployed: DEFAULT_4XX CORS headers, status, templates', async () => {
    const client = apigwClient(env.endpoint);
    const { apiId } = await mockApi(client, ['/items', '/secret'], { keyRequired: ['/secret'] });
    await client.send(new PutGatewayResponseCommand({ restApiId: apiId, responseType: 'DEFAULT_4XX', responseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'*'" } }));
    // Not deployed yet: the default answer.
    const before = await invoke(env.endpoint, 'host', apiId, 'dev', '/nowhere');
    assert.equal(before.headers['access-control-allow-origin'], undefined);
    await client.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'dev', variables: { a: 'alpha' } }));
    for (const form of ['host', 'path'] as const) {
      const missing = await invoke(env.endpoint, form, apiId, 'dev', '/nowhere');
      assert.equal(missing.status, 403);
      assert.equal(missing.headers['access-control-allow-origin'], '*');
      assert.deepEqual(JSON.parse(missing.body), { message: 'Missing Authentication Token' });
      assert.equal(missing.headers['x-amzn-errortype'], 'MissingAuthenticationTokenException');
      const forbidden = await invoke(env.endpoint, form, apiId, 'dev', '/secret');
      assert.deepEqual([forbidden.status, forbidden.headers['access-control-allow-origin'], JSON.parse(forbidden.body)], [403, '*', { message: 'Forbidden' }]);
    }
    // A successful answer is the integration's own.
    const ok = await invoke(env.endpoint, 'host', apiId, 'dev', '/items');
    assert.deepEqual([ok.status, ok.headers['access-control-allow-origin']], [200, undefined]);

    await client.send(
      new PutGatewayResponseCommand({
        restApiId: apiId,
        responseType: 'MISSING_AUTHENTICATION_TOKEN',
        statusCode: '404',
        responseParameters: {
          'gatewayresponse.header.x-request-query': 'method.request.querystring.q',
          'gatewayresponse.header.x-request-header': 'method.request.header.Accept',
          'gatewayresponse.header.x-stage': 'stageVariables.a',
          'gatewayresponse.header.x-api': 'context.apiId',
        },
        responseTemplates: {
          'application/json': '{"message": $context.error.messageString, "type": "$context.error.responseType", "stage": "$context.stage", "a": "$stageVariables.a", "hint": "${context.error.message}!"}',
        },
      }),
    );
    await client.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'dev' }));
    const custom = await invoke(env.endpoint, 'path', apiId, 'dev', '/nowhere?q=find', { headers: { accept: 'application/json' } });
    assert.equal(custom.status, 404);
    assert.deepEqual(JSON.parse(custom.body), { message: 'Missing Authentication Token', type: 'MISSING_AUTHENTICATION_TOKEN', stage: 'dev', a: 'alpha', hint: 'Missing Authentication Token!' });
    assert.equal(custom.headers['x-request-query'], 'find');
    assert.equal(custom.headers['x-request-header'], 'application/json');
    assert.equal(custom.headers['x-stage'], 'alpha');
    assert.equal(custom.headers['x-api'], apiId);
    assert.equal(custom.headers['content-type'], 'application/json');
    // Its own customization replaces DEFAULT_4XX's entirely.
    assert.equal(custom.headers['access-control-allow-origin'], undefined);
    assert.ok(custom.headers['x-amzn-requestid']);
  });

  it('rewords 5xx errors through DEFAULT_5XX and Cognito authorizers answer 401 through UNAUTHORIZED', async () => {
    const client = apigwClient(env.endpoint);
    const { apiId, rootId, ids } = await mockApi(client, ['/items']);
    // A MOCK method without integration responses cannot map its answer: 500.
    const broken = await client.send(new CreateResourceCommand({ restApiId: apiId, parentId: rootId, pathPart: 'broken' }));
    await client.send(new PutMethodCommand({ restApiId: apiId, resourceId: broken.id, httpMethod: 'GET', authorizationType: 'NONE' }));
    await client.send(new PutIntegrationCommand({ restApiId: apiId, resourceId: broken.id, httpMethod: 'GET', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
    const authorizer = await client.send(
      new CreateAuthorizerCommand({ restApiId: apiId, name: 'pool', type: 'COGNITO_USER_POOLS', providerARNs: ['arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_abc'], identitySource: 'method.request.header.Authorization' }),
    );
    await client.send(
      new UpdateMethodCommand({
        restApiId: apiId,
        resourceId: ids['/items'],
        httpMethod: 'GET',
        patchOperations: [
          { op: 'replace', path: '/authorizationType', value: 'COGNITO_USER_POOLS' },
          { op: 'replace', path: '/authorizerId', value: authorizer.id },
        ],
      }),
    );
    await client.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'dev' }));
    const plain = await invoke(env.endpoint, 'host', apiId, 'dev', '/broken');
    assert.deepEqual([plain.status, JSON.parse(plain.body)], [500, { message: 'Internal server error' }]);
    for (const headers of [{}, { authorization: 'Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln' }] as Array<Record<string, string>>) {
      const denied = await invoke(env.endpoint, 'path', apiId, 'dev', '/items', { headers });
      assert.deepEqual([denied.status, JSON.parse(denied.body), denied.headers['x-amzn-errortype']], [401, { message: 'Unauthorized' }, 'UnauthorizedException']);
    }

    await client.send(new PutGatewayResponseCommand({ restApiId: apiId, responseType: 'DEFAULT_5XX', responseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'*'" } }));
    await client.send(new PutGatewayResponseCommand({ restApiId: apiId, responseType: 'UNAUTHORIZED', statusCode: '498', responseTemplates: { 'application/json': '{"error": "$context.error.responseType"}' } }));
    await client.send(new CreateDeploymentCommand({ restApiId: apiId, stageName: 'dev' }));
    const reworded = await invoke(env.endpoint, 'host', apiId, 'dev', '/broken');
    // DEFAULT_5XX without a status keeps the error's own.
    assert.deepEqual([reworded.status, reworded.headers['access-control-allow-origin'], JSON.parse(reworded.body)], [500, '*', { message: 'Internal server error' }]);
    const unauthorized = await invoke(env.endpoint, 'host', apiId, 'dev', '/items');
    assert.deepEqual([unauthorized.status, JSON.parse(unauthorized.body)], [498, { error: 'UNAUTHORIZED' }]);
  });

  it('imports x-amazon-apigateway-gateway-responses and serves them to the AWS CLI', async () => {
    const client = apigwClient(env.endpoint);
    const definition = {
      openapi: '3.0.1',
      info: { title: 'with-gateway-responses', version: '1' },
      paths: { '/ping': { get: { 'x-amazon-apigateway-integration': { type: 'mock', requestTemplates: { 'application/json': '{"statusCode": 200}' }, responses: { default: { statusCode: '200' } } } } } },
      'x-amazon-apigateway-gateway-responses': {
        INVALID_API_KEY: { statusCode: '456', responseParameters: { 'gatewayresponse.header.api-key': 'method.request.header.api-key' }, responseTemplates: { 'application/json': '{"message": "Bad api-key"}' } },
        DEFAULT_4XX: { responseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'*'" } },
      },
    };
    const api = await client.send(new ImportRestApiCommand({ body: new TextEncoder().encode(JSON.stringify(definition)) }));
    const imported = await client.send(new GetGatewayResponseCommand({ restApiId: api.id, responseType: 'INVALID_API_KEY' }));
    assert.deepEqual([imported.statusCode, imported.defaultResponse, imported.responseTemplates], ['456', false, { 'application/json': '{"message": "Bad api-key"}' }]);
    await client.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'dev' }));
    const missing = await invoke(env.endpoint, 'host', api.id!, 'dev', '/nope');
    assert.deepEqual([missing.status, missing.headers['access-control-allow-origin']], [403, '*']);
    const exported = await client.send(new GetExportCommand({ restApiId: api.id, stageName: 'dev', exportType: 'oas30', parameters: { extensions: 'apigateway' } }));
    const doc = JSON.parse(new TextDecoder().decode(exported.body));
    assert.deepEqual(doc['x-amazon-apigateway-gateway-responses'].INVALID_API_KEY, definition['x-amazon-apigateway-gateway-responses'].INVALID_API_KEY);
    assert.deepEqual(doc['x-amazon-apigateway-gateway-responses'].DEFAULT_4XX, { ...definition['x-amazon-apigateway-gateway-responses'].DEFAULT_4XX, responseTemplates: DEFAULT_TEMPLATE });
    if (hasAwsCli) {
      const { json } = await awsCli(env.endpoint, ['apigateway', 'get-gateway-response', '--rest-api-id', api.id!, '--response-type', 'DEFAULT_4XX']);
      assert.deepEqual(json, { responseType: 'DEFAULT_4XX', responseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'*'" }, responseTemplates: DEFAULT_TEMPLATE, defaultResponse: false });
    }
  });
});

