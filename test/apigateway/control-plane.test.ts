import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  CreateStageCommand,
  DeleteDeploymentCommand,
  DeleteResourceCommand,
  DeleteRestApiCommand,
  DeleteStageCommand,
  GetDeploymentsCommand,
  GetIntegrationCommand,
  GetMethodCommand,
  GetResourcesCommand,
  GetRestApiCommand,
  GetStageCommand,
  GetStagesCommand,
  PutIntegrationCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
} from '@aws-sdk/client-api-gateway';
import { awsCli, awsCliFails, hasAwsCli, useFogbank } from '../support/fogbank.js';
import { apigwClient, lambdaUri } from './support.js';

const env = useFogbank();
const FN = 'arn:aws:lambda:us-east-1:000000000000:function:items';

async function rejects(promise: Promise<unknown>, name: string, message: string | RegExp, status: number) {
  await assert.rejects(promise, (e: Error & { $metadata: { httpStatusCode: number } }) => {
    assert.equal(e.name, name);
    if (typeof message === 'string') assert.equal(e.message, message);
    else assert.match(e.message, message);
    assert.equal(e.$metadata.httpStatusCode, status);
    return true;
  });
}

describe('API Gateway REST API control plane', () => {
  it('creates APIs with a root resource and ids in AWS form, and deletes them', async () => {
    const client = apigwClient(env.endpoint);
    const api = await client.send(new CreateRestApiCommand({ name: 'shop', description: 'd', tags: { team: 'a' } }));
    assert.equal(api.$metadata.httpStatusCode, 201);
    assert.match(api.id!, /^[a-z0-9]{10}$/);
    assert.match(api.rootResourceId!, /^[a-z0-9]{10}$/);
    assert.equal(api.apiKeySource, 'HEADER');
    assert.deepEqual(api.endpointConfiguration?.types, ['EDGE']);
    assert.ok(api.createdDate instanceof Date);
    const got = await client.send(new GetRestApiCommand({ restApiId: api.id }));
    assert.equal(got.name, 'shop');
    assert.deepEqual(got.tags, { team: 'a' });
    const resources = await client.send(new GetResourcesCommand({ restApiId: api.id }));
    assert.deepEqual(resources.items?.map((r) => [r.id, r.path]), [[api.rootResourceId, '/']]);
    const deleted = await client.send(new DeleteRestApiCommand({ restApiId: api.id }));
    assert.equal(deleted.$metadata.httpStatusCode, 202);
    await rejects(client.send(new GetRestApiCommand({ restApiId: api.id })), 'NotFoundException', `Invalid API identifier specified 000000000000:${api.id}`, 404);
    await rejects(client.send(new DeleteRestApiCommand({ restApiId: api.id })), 'NotFoundException', /^Invalid API identifier specified/, 404);
  });

  it('builds a resource tree with parameters and a greedy proxy, with AWS errors for bad paths', async () => {
    const client = apigwClient(env.endpoint);
    const api = await client.send(new CreateRestApiCommand({ name: 'tree' }));
    const items = await client.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: 'items' }));
    assert.equal(items.$metadata.httpStatusCode, 201);
    assert.equal(items.path, '/items');
    assert.equal(items.parentId, api.rootResourceId);
    const item = await client.send(new CreateResourceCommand({ restApiId: api.id, parentId: items.id, pathPart: '{id}' }));
    assert.equal(item.path, '/items/{id}');
    const proxy = await client.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: '{proxy+}' }));
    assert.equal(proxy.path, '/{proxy+}');

    await rejects(client.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: 'items' })), 'ConflictException', 'Another resource with the same parent already has this name: items', 409);
    await rejects(
      client.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: 'bad path!' })),
      'BadRequestException',
      "Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end and an optional plus sign before the closing brace.",
      400,
    );
    await rejects(client.send(new CreateResourceCommand({ restApiId: api.id, parentId: items.id, pathPart: '{other}' })), 'BadRequestException', /already has a variable path part -- only one is allowed$/, 400);
    await rejects(client.send(new CreateResourceCommand({ restApiId: api.id, parentId: 'nosuchid00', pathPart: 'x' })), 'NotFoundException', 'Invalid Resource identifier specified', 404);

    const listed = await client.send(new GetResourcesCommand({ restApiId: api.id }));
    assert.deepEqual(listed.items?.map((r) => r.path), ['/', '/items', '/items/{id}', '/{proxy+}']);
    // Deleting a resource deletes its descendants.
    await client.send(new DeleteResourceCommand({ restApiId: api.id, resourceId: items.id }));
    const after = await client.send(new GetResourcesCommand({ restApiId: api.id }));
    assert.deepEqual(after.items?.map((r) => r.path), ['/', '/{proxy+}']);
    await rejects(client.send(new DeleteResourceCommand({ restApiId: api.id, resourceId: item.id })), 'NotFoundException', 'Invalid Resource identifier specified', 404);
  });

  it('stores methods, integrations and responses, and deploys them to stages with variables', async () => {
    const client = apigwClient(env.endpoint);
    const api = await client.send(new CreateRestApiCommand({ name: 'methods' }));
    const r = await client.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: 'items' }));
    await rejects(client.send(new CreateDeploymentCommand({ restApiId: api.id })), 'BadRequestException', "The REST API doesn't contain any methods", 400);

    const method = await client.send(new PutMethodCommand({ restApiId: api.id, resourceId: r.id, httpMethod: 'GET', authorizationType: 'NONE', apiKeyRequired: true }));
    assert.equal(method.$metadata.httpStatusCode, 201);
    assert.equal(method.httpMethod, 'GET');
    assert.equal(method.apiKeyRequired, true);
    await rejects(client.send(new PutMethodCommand({ restApiId: api.id, resourceId: r.id, httpMethod: 'GET', authorizationType: 'NONE' })), 'ConflictException', 'Method already exists for this resource', 409);
    await rejects(client.send(new GetMethodCommand({ restApiId: api.id, resourceId: r.id, httpMethod: 'POST' })), 'NotFoundException', 'Invalid Method identifier specified', 404);
    await rejects(client.send(new GetIntegrationCommand({ restApiId: api.id, resourceId: r.id, httpMethod: 'GET' })), 'NotFoundException', 'Invalid Integration identifier specified', 404);
    await rejects(client.send(new CreateDeploymentCommand({ restApiId: api.id })), 'BadRequestException', 'No integration defined for method', 400);

    await rejects(
      client.send(new PutIntegrationCommand({ restApiId: api.id, resourceId: r.id, httpMethod: 'GET', type: 'AWS_PROXY', uri: lambdaUri(FN) })),
      'BadRequestException',
      'Enumeration value for HttpMethod must be non-empty',
      400,
    );
    await rejects(
      client.send(new PutIntegrationCommand({ restApiId: api.id, resourceId: r.id, httpMethod: 'GET', type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: 'not-an-arn' })),
      'BadRequestException',
      'Invalid ARN specified in the request',
      400,
    );
    const integration = await client.send(
      new PutIntegrationCommand({ restApiId: api.id, resourceId: r.id, httpMethod: 'GET', type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: lambdaUri(FN) }),
    );
    assert.equal(integration.type, 'AWS_PROXY');
    assert.equal(integration.httpMethod, 'POST');
    assert.equal(integration.passthroughBehavior, 'WHEN_NO_MATCH');
    assert.equal(integration.timeoutInMillis, 29000);
    assert.equal(integration.cacheNamespace, r.id);
    await client.send(new PutMethodResponseCommand({ restApiId: api.id, resourceId: r.id, httpMethod: 'GET', statusCode: '200' }));
    const full = await client.send(new GetMethodCommand({ restApiId: api.id, resourceId: r.id, httpMethod: 'GET' }));
    assert.equal(full.methodIntegration?.uri, lambdaUri(FN));
    assert.deepEqual(Object.keys(full.methodResponses ?? {}), ['200']);
    const embedded = await client.send(new GetResourcesCommand({ restApiId: api.id, embed: ['methods'] }));
    assert.equal(embedded.items?.find((x) => x.id === r.id)?.resourceMethods?.GET?.methodIntegration?.type, 'AWS_PROXY');

    const deployment = await client.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'dev', variables: { table: 'items' }, description: 'first' }));
    assert.equal(deployment.$metadata.httpStatusCode, 201);
    assert.match(deployment.id!, /^[a-z0-9]{10}$/);
    const dev = await client.send(new GetStageCommand({ restApiId: api.id, stageName: 'dev' }));
    assert.equal(dev.deploymentId, deployment.id);
    assert.deepEqual(dev.variables, { table: 'items' });
    const prod = await client.send(new CreateStageCommand({ restApiId: api.id, stageName: 'prod', deploymentId: deployment.id, variables: { table: 'prod-items' } }));
    assert.equal(prod.$metadata.httpStatusCode, 201);
    await rejects(client.send(new CreateStageCommand({ restApiId: api.id, stageName: 'prod', deploymentId: deployment.id })), 'ConflictException', 'Stage already exists', 409);
    await rejects(client.send(new CreateStageCommand({ restApiId: api.id, stageName: 'qa', deploymentId: 'nosuchid00' })), 'NotFoundException', 'Invalid Deployment identifier specified', 404);
    const stages = await client.send(new GetStagesCommand({ restApiId: api.id }));
    assert.deepEqual(stages.item?.map((s) => s.stageName), ['dev', 'prod']);
    const deployments = await client.send(new GetDeploymentsCommand({ restApiId: api.id }));
    assert.deepEqual(deployments.items?.map((d) => [d.id, d.description]), [[deployment.id, 'first']]);

    await rejects(client.send(new DeleteDeploymentCommand({ restApiId: api.id, deploymentId: deployment.id })), 'BadRequestException', 'Active stages pointing to this deployment must be moved or deleted', 400);
    await client.send(new DeleteStageCommand({ restApiId: api.id, stageName: 'prod' }));
    await rejects(client.send(new GetStageCommand({ restApiId: api.id, stageName: 'prod' })), 'NotFoundException', 'Invalid Stage identifier specified', 404);
    await rejects(client.send(new DeleteStageCommand({ restApiId: api.id, stageName: 'prod' })), 'NotFoundException', 'Invalid Stage identifier specified', 404);
    // Still answering after the errors.
    assert.equal((await client.send(new GetRestApiCommand({ restApiId: api.id }))).name, 'methods');
  });

  it('answers the AWS CLI', { skip: !hasAwsCli }, async () => {
    const created = (await awsCli(env.endpoint, ['apigateway', 'create-rest-api', '--name', 'cli-api'])).json as { id: string; rootResourceId: string };
    assert.match(created.id, /^[a-z0-9]{10}$/);
    const resource = (await awsCli(env.endpoint, ['apigateway', 'create-resource', '--rest-api-id', created.id, '--parent-id', created.rootResourceId, '--path-part', '{proxy+}'])).json as { path: string };
    assert.equal(resource.path, '/{proxy+}');
    const resources = (await awsCli(env.endpoint, ['apigateway', 'get-resources', '--rest-api-id', created.id])).json as { items: Array<{ path: string }> };
    assert.deepEqual(resources.items.map((r) => r.path), ['/', '/{proxy+}']);
    const apis = (await awsCli(env.endpoint, ['apigateway', 'get-rest-apis'])).json as { items: Array<{ id: string }> };
    assert.ok(apis.items.some((a) => a.id === created.id));
    const failed = await awsCliFails(env.endpoint, ['apigateway', 'get-rest-api', '--rest-api-id', 'nosuchapi0']);
    assert.notEqual(failed.code, 0);
    assert.match(failed.stderr, /NotFoundException.*Invalid API identifier specified 000000000000:nosuchapi0/);
  });
});
