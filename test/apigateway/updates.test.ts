import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateApiKeyCommand,
  CreateAuthorizerCommand,
  CreateDeploymentCommand,
  CreateModelCommand,
  CreateRequestValidatorCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  CreateUsagePlanCommand,
  GetModelsCommand,
  GetResourcesCommand,
  GetRestApiCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
  UpdateApiKeyCommand,
  UpdateAuthorizerCommand,
  UpdateDeploymentCommand,
  UpdateIntegrationCommand,
  UpdateIntegrationResponseCommand,
  UpdateMethodCommand,
  UpdateMethodResponseCommand,
  UpdateModelCommand,
  UpdateRequestValidatorCommand,
  UpdateResourceCommand,
  UpdateRestApiCommand,
  UpdateStageCommand,
  UpdateUsagePlanCommand,
} from '@aws-sdk/client-api-gateway';
import { awsCli, hasAwsCli, useFogbank } from '../support/fogbank.js';
import { expectAwsError } from '../support/errors.js';
import { apigwClient, lambdaUri } from './support.js';

const env = useFogbank();
const FN = 'arn:aws:lambda:us-east-1:000000000000:function:items';
const bad = (message: string | RegExp) => ({ name: 'BadRequestException', status: 400, message });

describe('API Gateway Update* operations (patch operations)', () => {
  it('patches a REST API: scalars, binary media types, endpoint types, with AWS errors for bad paths', async () => {
    const client = apigwClient(env.endpoint);
    const api = await client.send(new CreateRestApiCommand({ name: 'before' }));
    const updated = await client.send(
      new UpdateRestApiCommand({
        restApiId: api.id,
        patchOperations: [
          { op: 'replace', path: '/name', value: 'after' },
          { op: 'replace', path: '/description', value: 'patched' },
          { op: 'add', path: '/binaryMediaTypes/image~1png', value: '' },
          { op: 'add', path: '/binaryMediaTypes/application~1octet-stream' },
          { op: 'replace', path: '/minimumCompressionSize', value: '1024' },
          { op: 'replace', path: '/endpointConfiguration/types/EDGE', value: 'REGIONAL' },
        ],
      }),
    );
    assert.equal(updated.name, 'after');
    assert.equal(updated.description, 'patched');
    assert.deepEqual(updated.binaryMediaTypes, ['image/png', 'application/octet-stream']);
    assert.equal(updated.minimumCompressionSize, 1024);
    assert.deepEqual(updated.endpointConfiguration?.types, ['REGIONAL']);
    const removed = await client.send(new UpdateRestApiCommand({ restApiId: api.id, patchOperations: [{ op: 'remove', path: '/binaryMediaTypes/image~1png' }] }));
    assert.deepEqual(removed.binaryMediaTypes, ['application/octet-stream']);

    await expectAwsError(client.send(new UpdateRestApiCommand({ restApiId: api.id, patchOperations: [{ op: 'replace', path: '/binaryMediaTypes', value: 'x' }] })), bad('Invalid patch path /binaryMediaTypes'));
    await expectAwsError(client.send(new UpdateRestApiCommand({ restApiId: api.id, patchOperations: [{ op: 'add', path: '/name', value: 'x' }] })), bad('Invalid patch operation specified. Must be one of: [replace]'));
    await expectAwsError(
      client.send(new UpdateRestApiCommand({ restApiId: api.id, patchOperations: [{ op: 'replace', path: '/minimumCompressionSize', value: '99999999' }] })),
      bad('Invalid minimum compression size, must be between 0 and 10485760'),
    );
    await expectAwsError(
      client.send(new UpdateRestApiCommand({ restApiId: api.id, patchOperations: [{ op: 'replace', path: '/endpointConfiguration/types/REGIONAL', value: 'NOPE' }] })),
      bad('Invalid EndpointTypes specified. Valid options are REGIONAL,EDGE,PRIVATE'),
    );
    await expectAwsError(client.send(new UpdateRestApiCommand({ restApiId: 'nosuchapi0', patchOperations: [] })), { name: 'NotFoundException', status: 404 });
    // A failed patch changes nothing.
    assert.equal((await client.send(new GetRestApiCommand({ restApiId: api.id }))).name, 'after');
  });

  it('renames and moves resources with their subtrees', async () => {
    const client = apigwClient(env.endpoint);
    const api = await client.send(new CreateRestApiCommand({ name: 'tree' }));
    const items = await client.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: 'items' }));
    await client.send(new CreateResourceCommand({ restApiId: api.id, parentId: items.id, pathPart: '{id}' }));
    const v1 = await client.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: 'v1' }));
    const renamed = await client.send(new UpdateResourceCommand({ restApiId: api.id, resourceId: items.id, patchOperations: [{ op: 'replace', path: '/pathPart', value: 'things' }] }));
    assert.equal(renamed.path, '/things');
    await client.send(new UpdateResourceCommand({ restApiId: api.id, resourceId: items.id, patchOperations: [{ op: 'replace', path: '/parentId', value: v1.id }] }));
    const paths = (await client.send(new GetResourcesCommand({ restApiId: api.id }))).items?.map((r) => r.path);
    assert.deepEqual(paths, ['/', '/v1', '/v1/things', '/v1/things/{id}']);

    await expectAwsError(
      client.send(new UpdateResourceCommand({ restApiId: api.id, resourceId: items.id, patchOperations: [{ op: 'replace', path: '/invalid', value: 'x' }] })),
      bad("Invalid patch path  '/invalid' specified for op 'replace'. Must be one of: [/parentId, /pathPart]"),
    );
    await expectAwsError(
      client.send(new UpdateResourceCommand({ restApiId: api.id, resourceId: items.id, patchOperations: [{ op: 'remove', path: '/pathPart' }] })),
      bad("Invalid patch path  '/pathPart' specified for op 'remove'. Please choose supported operations"),
    );
    await expectAwsError(
      client.send(new UpdateResourceCommand({ restApiId: api.id, resourceId: items.id, patchOperations: [{ op: 'replace', path: '/parentId', value: 'nosuchid00' }] })),
      { name: 'NotFoundException', status: 404, message: 'Invalid Resource identifier specified' },
    );
  });

  it('patches methods, method responses, integrations and integration responses', async () => {
    const client = apigwClient(env.endpoint);
    const api = await client.send(new CreateRestApiCommand({ name: 'methods' }));
    const ids = { restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET' };
    await client.send(new PutMethodCommand({ ...ids, authorizationType: 'NONE' }));
    await client.send(new PutMethodResponseCommand({ ...ids, statusCode: '200' }));
    await client.send(new PutIntegrationCommand({ ...ids, type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: lambdaUri(FN) }));
    await client.send(new PutIntegrationResponseCommand({ ...ids, statusCode: '200' }));

    const method = await client.send(
      new UpdateMethodCommand({
        ...ids,
        patchOperations: [
          { op: 'replace', path: '/apiKeyRequired', value: 'true' },
          { op: 'add', path: '/requestParameters/method.request.querystring.limit', value: 'true' },
          { op: 'add', path: '/requestModels/application~1json', value: 'Empty' },
          { op: 'replace', path: '/operationName', value: 'ListItems' },
        ],
      }),
    );
    assert.equal(method.apiKeyRequired, true);
    assert.deepEqual(method.requestParameters, { 'method.request.querystring.limit': true });
    assert.deepEqual(method.requestModels, { 'application/json': 'Empty' });
    assert.equal(method.operationName, 'ListItems');
    await expectAwsError(client.send(new UpdateMethodCommand({ ...ids, patchOperations: [{ op: 'replace', path: '/httpMethod', value: 'POST' }] })), bad('Invalid patch path /httpMethod'));
    await expectAwsError(
      client.send(new UpdateMethodCommand({ ...ids, patchOperations: [{ op: 'replace', path: '/authorizationType', value: 'CUSTOM' }] })),
      bad('Invalid authorizer ID specified. Setting the authorization type to CUSTOM or COGNITO_USER_POOLS requires a valid authorizer.'),
    );
    await expectAwsError(
      client.send(new UpdateMethodCommand({ ...ids, patchOperations: [{ op: 'remove', path: '/requestParameters/method.request.header.x' }] })),
      { name: 'NotFoundException', status: 404, message: 'Invalid parameter name specified' },
    );

    const response = await client.send(
      new UpdateMethodResponseCommand({ ...ids, statusCode: '200', patchOperations: [{ op: 'add', path: '/responseParameters/method.response.header.Access-Control-Allow-Origin', value: 'false' }] }),
    );
    assert.deepEqual(response.responseParameters, { 'method.response.header.Access-Control-Allow-Origin': false });
    await expectAwsError(client.send(new UpdateMethodResponseCommand({ ...ids, statusCode: '200', patchOperations: [{ op: 'replace', path: '/statusCode', value: '201' }] })), bad('Invalid patch path /statusCode'));

    const integration = await client.send(
      new UpdateIntegrationCommand({
        ...ids,
        patchOperations: [
          { op: 'replace', path: '/timeoutInMillis', value: '5000' },
          { op: 'add', path: '/requestTemplates/application~1json', value: '{"a":1}' },
          { op: 'replace', path: '/passthroughBehavior', value: 'NEVER' },
        ],
      }),
    );
    assert.equal(integration.timeoutInMillis, 5000);
    assert.deepEqual(integration.requestTemplates, { 'application/json': '{"a":1}' });
    assert.equal(integration.passthroughBehavior, 'NEVER');
    await expectAwsError(client.send(new UpdateIntegrationCommand({ ...ids, patchOperations: [{ op: 'replace', path: '/type', value: 'HTTP' }] })), bad('Invalid patch path /type'));
    await expectAwsError(
      client.send(new UpdateIntegrationCommand({ ...ids, patchOperations: [{ op: 'replace', path: '/timeoutInMillis', value: '30000' }] })),
      bad('Timeout should be between 50 ms and 29000 ms'),
    );

    const integrationResponse = await client.send(
      new UpdateIntegrationResponseCommand({
        ...ids,
        statusCode: '200',
        patchOperations: [
          { op: 'replace', path: '/selectionPattern', value: '2\\d{2}' },
          { op: 'add', path: '/responseTemplates/application~1json', value: '#set($x = 1)$x' },
        ],
      }),
    );
    assert.equal(integrationResponse.selectionPattern, '2\\d{2}');
    assert.deepEqual(integrationResponse.responseTemplates, { 'application/json': '#set($x = 1)$x' });
    await expectAwsError(
      client.send(new UpdateIntegrationResponseCommand({ ...ids, statusCode: '500', patchOperations: [] })),
      { name: 'NotFoundException', status: 404, message: 'Invalid Response status code specified' },
    );
  });

  it('patches stages (variables, method settings), deployments, validators and models', async () => {
    const client = apigwClient(env.endpoint);
    const api = await client.send(new CreateRestApiCommand({ name: 'stages' }));
    const ids = { restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET' };
    await client.send(new PutMethodCommand({ ...ids, authorizationType: 'NONE' }));
    await client.send(new PutIntegrationCommand({ ...ids, type: 'MOCK' }));
    const deployment = await client.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'dev', variables: { a: '1', b: '2' } }));

    const stage = await client.send(
      new UpdateStageCommand({
        restApiId: api.id,
        stageName: 'dev',
        patchOperations: [
          { op: 'replace', path: '/variables/a', value: 'one' },
          { op: 'remove', path: '/variables/b' },
          { op: 'add', path: '/variables/c', value: 'three' },
          { op: 'replace', path: '/description', value: 'development' },
          { op: 'replace', path: '/tracingEnabled', value: 'true' },
          { op: 'replace', path: '/*/*/logging/loglevel', value: 'INFO' },
          { op: 'replace', path: '/~1items/GET/throttling/burstLimit', value: '50' },
        ],
      }),
    );
    assert.deepEqual(stage.variables, { a: 'one', c: 'three' });
    assert.equal(stage.description, 'development');
    assert.equal(stage.tracingEnabled, true);
    assert.equal(stage.methodSettings?.['*/*']?.loggingLevel, 'INFO');
    assert.equal(stage.methodSettings?.['items/GET']?.throttlingBurstLimit, 50);
    await expectAwsError(client.send(new UpdateStageCommand({ restApiId: api.id, stageName: 'dev', patchOperations: [{ op: 'replace', path: '/tags/tag1', value: 'x' }] })), bad(/^Invalid method setting path: \/tags\/tag1\. Must be one of: \[\/deploymentId, /));
    await expectAwsError(
      client.send(new UpdateStageCommand({ restApiId: api.id, stageName: 'dev', patchOperations: [{ op: 'replace', path: '/deploymentId', value: 'nosuchid00' }] })),
      { name: 'NotFoundException', status: 404, message: 'Invalid Deployment identifier specified' },
    );

    const patchedDeployment = await client.send(new UpdateDeploymentCommand({ restApiId: api.id, deploymentId: deployment.id, patchOperations: [{ op: 'replace', path: '/description', value: 'v1' }] }));
    assert.equal(patchedDeployment.description, 'v1');

    const validator = await client.send(new CreateRequestValidatorCommand({ restApiId: api.id, name: 'body', validateRequestBody: true }));
    assert.match(validator.id!, /^[a-z0-9]{6}$/);
    const patchedValidator = await client.send(
      new UpdateRequestValidatorCommand({ restApiId: api.id, requestValidatorId: validator.id, patchOperations: [{ op: 'replace', path: '/validateRequestParameters', value: 'true' }] }),
    );
    assert.equal(patchedValidator.validateRequestParameters, true);
    await expectAwsError(
      client.send(new UpdateRequestValidatorCommand({ restApiId: api.id, requestValidatorId: validator.id, patchOperations: [{ op: 'add', path: '/validateRequestBody', value: 'true' }] })),
      bad("Invalid patch path  '/validateRequestBody' specified for op 'add'. Please choose supported operations"),
    );

    const models = await client.send(new GetModelsCommand({ restApiId: api.id }));
    assert.deepEqual(models.items?.map((m) => m.name), ['Empty', 'Error']);
    await client.send(new CreateModelCommand({ restApiId: api.id, name: 'Item', contentType: 'application/json', schema: '{"type":"object"}' }));
    await expectAwsError(client.send(new CreateModelCommand({ restApiId: api.id, name: 'Item', contentType: 'application/json', schema: '{}' })), {
      name: 'ConflictException',
      status: 409,
      message: 'Model name already exists for this REST API',
    });
    const model = await client.send(new UpdateModelCommand({ restApiId: api.id, modelName: 'Item', patchOperations: [{ op: 'replace', path: '/schema', value: '{"type":"array"}' }] }));
    assert.equal(model.schema, '{"type":"array"}');
    await expectAwsError(
      client.send(new UpdateModelCommand({ restApiId: api.id, modelName: 'Item', patchOperations: [{ op: 'replace', path: '/name', value: 'x' }] })),
      bad("Invalid patch path  '/name' specified for op 'replace'. Must be one of: [/description, /schema]"),
    );
  });

  it('patches API keys, usage plans and authorizers', async () => {
    const client = apigwClient(env.endpoint);
    const api = await client.send(new CreateRestApiCommand({ name: 'keys' }));
    const ids = { restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET' };
    await client.send(new PutMethodCommand({ ...ids, authorizationType: 'NONE' }));
    await client.send(new PutIntegrationCommand({ ...ids, type: 'MOCK' }));
    await client.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'dev' }));

    const key = await client.send(new CreateApiKeyCommand({ name: 'k' }));
    const patchedKey = await client.send(
      new UpdateApiKeyCommand({ apiKey: key.id, patchOperations: [{ op: 'replace', path: '/enabled', value: 'true' }, { op: 'replace', path: '/description', value: 'd' }] }),
    );
    assert.equal(patchedKey.enabled, true);
    assert.equal(patchedKey.description, 'd');
    await expectAwsError(
      client.send(new UpdateApiKeyCommand({ apiKey: key.id, patchOperations: [{ op: 'replace', path: '/id', value: 'x' }] })),
      bad("Invalid patch path  '/id' specified for op 'replace'. Must be one of: [/description, /enabled, /name, /customerId]"),
    );

    const plan = await client.send(new CreateUsagePlanCommand({ name: 'p' }));
    const patchedPlan = await client.send(
      new UpdateUsagePlanCommand({
        usagePlanId: plan.id,
        patchOperations: [
          { op: 'add', path: '/apiStages', value: `${api.id}:dev` },
          { op: 'replace', path: '/throttle/burstLimit', value: '10' },
          { op: 'replace', path: '/throttle/rateLimit', value: '2.5' },
          { op: 'replace', path: '/quota/limit', value: '100' },
          { op: 'replace', path: '/quota/period', value: 'DAY' },
        ],
      }),
    );
    assert.deepEqual(patchedPlan.apiStages, [{ apiId: api.id, stage: 'dev' }]);
    assert.deepEqual(patchedPlan.throttle, { burstLimit: 10, rateLimit: 2.5 });
    assert.deepEqual(patchedPlan.quota, { limit: 100, period: 'DAY' });
    await expectAwsError(
      client.send(new UpdateUsagePlanCommand({ usagePlanId: plan.id, patchOperations: [{ op: 'remove', path: '/apiStages', value: `${api.id}:prod` }] })),
      { name: 'NotFoundException', status: 404, message: `Invalid API Stage {api: ${api.id}, stage: prod} specified for usageplan ${plan.id}` },
    );
    await expectAwsError(client.send(new UpdateUsagePlanCommand({ usagePlanId: plan.id, patchOperations: [{ op: 'remove', path: '/apiStages', value: 'nocolon' }] })), bad('Invalid API Stage specified'));

    const authorizer = await client.send(new CreateAuthorizerCommand({ restApiId: api.id, name: 'a', type: 'TOKEN', authorizerUri: lambdaUri(FN) }));
    const patchedAuthorizer = await client.send(
      new UpdateAuthorizerCommand({
        restApiId: api.id,
        authorizerId: authorizer.id,
        patchOperations: [
          { op: 'replace', path: '/authorizerResultTtlInSeconds', value: '0' },
          { op: 'replace', path: '/identitySource', value: 'method.request.header.X-Token' },
        ],
      }),
    );
    assert.equal(patchedAuthorizer.authorizerResultTtlInSeconds, 0);
    assert.equal(patchedAuthorizer.identitySource, 'method.request.header.X-Token');
    await expectAwsError(
      client.send(new UpdateAuthorizerCommand({ restApiId: api.id, authorizerId: authorizer.id, patchOperations: [{ op: 'replace', path: '/id', value: 'x' }] })),
      bad('Invalid patch path /id'),
    );
  });

  it('answers the AWS CLI', { skip: !hasAwsCli }, async () => {
    const api = (await awsCli(env.endpoint, ['apigateway', 'create-rest-api', '--name', 'cli'])).json as { id: string };
    const updated = (await awsCli(env.endpoint, ['apigateway', 'update-rest-api', '--rest-api-id', api.id, '--patch-operations', 'op=replace,path=/description,value=from-cli'])).json as {
      description: string;
    };
    assert.equal(updated.description, 'from-cli');
  });
});
