import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ApiGatewayV2Client,
  CreateApiCommand,
  CreateDeploymentCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  CreateStageCommand,
  DeleteDeploymentCommand,
  DeleteRouteCommand,
  GetDeploymentCommand,
  GetDeploymentsCommand,
  GetStageCommand,
  UpdateDeploymentCommand,
  UpdateRouteCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-apigatewayv2';
import { clientConfig } from '../support/fogbank.js';
import { expectAwsError } from '../support/errors.js';
import { rawRequest } from '../support/http.js';
import { createFunction, lambdaClient, useLambdaFogbank } from '../lambda/support.js';

const env = useLambdaFogbank();
const v2 = () => new ApiGatewayV2Client(clientConfig(env.endpoint));

const ECHO = `export const handler = async (event) => ({ statusCode: 200, body: JSON.stringify({ routeKey: event.routeKey, stage: event.requestContext.stage, variables: event.stageVariables ?? null }) });`;

function get(apiId: string, path: string, method = 'GET') {
  const port = new URL(env.endpoint).port;
  return rawRequest(env.endpoint, { method, path, headers: { host: `${apiId}.execute-api.localhost.localstack.cloud:${port}` } });
}

async function echoApi(name: string) {
  const fn = await createFunction(lambdaClient(env.endpoint), { files: { 'index.mjs': ECHO } });
  const client = v2();
  const api = await client.send(new CreateApiCommand({ Name: name, ProtocolType: 'HTTP' }));
  const integration = await client.send(new CreateIntegrationCommand({ ApiId: api.ApiId, IntegrationType: 'AWS_PROXY', IntegrationUri: fn.FunctionArn, PayloadFormatVersion: '2.0' }));
  return { client, apiId: api.ApiId!, target: `integrations/${integration.IntegrationId}` };
}

describe('HTTP API deployments', () => {
  it('serves a manual stage as it was deployed, and nothing before its first deployment', async () => {
    const { client, apiId, target } = await echoApi('manual');
    await expectAwsError(client.send(new CreateDeploymentCommand({ ApiId: apiId })), {
      name: 'BadRequestException',
      status: 400,
      message: 'Unable to deploy API because no routes exist in this API',
    });
    const route = await client.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /v1', Target: target }));
    const stage = await client.send(new CreateStageCommand({ ApiId: apiId, StageName: 'prod' }));
    assert.equal(stage.DeploymentId, undefined);
    assert.equal(stage.AutoDeploy, false);
    // Never deployed: 404 Not Found, as AWS answers.
    const undeployed = await get(apiId, '/prod/v1');
    assert.equal(undeployed.status, 404);
    assert.deepEqual(JSON.parse(undeployed.body), { message: 'Not Found' });

    const first = await client.send(new CreateDeploymentCommand({ ApiId: apiId, StageName: 'prod', Description: 'first' }));
    assert.equal(first.$metadata.httpStatusCode, 201);
    assert.match(first.DeploymentId!, /^[a-z0-9]{6}$/);
    assert.equal(first.DeploymentStatus, 'DEPLOYED');
    assert.equal(first.AutoDeployed, false);
    assert.equal(first.Description, 'first');
    assert.equal((await client.send(new GetStageCommand({ ApiId: apiId, StageName: 'prod' }))).DeploymentId, first.DeploymentId);
    assert.equal(JSON.parse((await get(apiId, '/prod/v1')).body).routeKey, 'GET /v1');

    // Changes are not served until the next deployment.
    await client.send(new UpdateRouteCommand({ ApiId: apiId, RouteId: route.RouteId, RouteKey: 'GET /v2' }));
    assert.equal((await get(apiId, '/prod/v2')).status, 404);
    assert.equal((await get(apiId, '/prod/v1')).status, 200);
    const second = await client.send(new CreateDeploymentCommand({ ApiId: apiId }));
    assert.equal((await get(apiId, '/prod/v1')).status, 200, 'a deployment without StageName changes no stage');
    await client.send(new UpdateStageCommand({ ApiId: apiId, StageName: 'prod', DeploymentId: second.DeploymentId }));
    assert.equal((await get(apiId, '/prod/v2')).status, 200);
    assert.equal((await get(apiId, '/prod/v1')).status, 404);

    // Stage variables belong to the stage, not the deployment: a change shows at once.
    await client.send(new UpdateStageCommand({ ApiId: apiId, StageName: 'prod', StageVariables: { color: 'blue' } }));
    assert.deepEqual(JSON.parse((await get(apiId, '/prod/v2')).body).variables, { color: 'blue' });

    // Another stage can serve the older deployment.
    await client.send(new CreateStageCommand({ ApiId: apiId, StageName: 'old', DeploymentId: first.DeploymentId }));
    assert.equal((await get(apiId, '/old/v1')).status, 200);

    const listed = await client.send(new GetDeploymentsCommand({ ApiId: apiId }));
    assert.deepEqual(listed.Items!.map((d) => d.DeploymentId).sort(), [first.DeploymentId, second.DeploymentId].sort());
    const updated = await client.send(new UpdateDeploymentCommand({ ApiId: apiId, DeploymentId: first.DeploymentId, Description: 'renamed' }));
    assert.equal(updated.Description, 'renamed');
    assert.equal((await client.send(new GetDeploymentCommand({ ApiId: apiId, DeploymentId: first.DeploymentId }))).Description, 'renamed');

    await expectAwsError(client.send(new DeleteDeploymentCommand({ ApiId: apiId, DeploymentId: first.DeploymentId })), {
      name: 'BadRequestException',
      status: 400,
      message: 'Active stages pointing to this deployment must be moved or deleted',
    });
    await client.send(new UpdateStageCommand({ ApiId: apiId, StageName: 'old', DeploymentId: second.DeploymentId }));
    await client.send(new DeleteDeploymentCommand({ ApiId: apiId, DeploymentId: first.DeploymentId }));
    await expectAwsError(client.send(new GetDeploymentCommand({ ApiId: apiId, DeploymentId: first.DeploymentId })), {
      name: 'NotFoundException',
      status: 404,
      message: `Invalid Deployment identifier specified ${first.DeploymentId}`,
    });
  });

  it('redeploys auto-deploy stages on every change, with a new deployment id and AWS status message', async () => {
    const { client, apiId, target } = await echoApi('auto');
    await client.send(new CreateStageCommand({ ApiId: apiId, StageName: '$default', AutoDeploy: true }));
    const empty = await client.send(new GetStageCommand({ ApiId: apiId, StageName: '$default' }));
    assert.equal(empty.DeploymentId, undefined);
    assert.equal(empty.LastDeploymentStatusMessage, 'Deployment attempt failed: Unable to deploy API because no routes exist in this API');
    assert.equal((await get(apiId, '/a')).status, 404);

    const route = await client.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /a', Target: target }));
    const afterRoute = await client.send(new GetStageCommand({ ApiId: apiId, StageName: '$default' }));
    assert.match(afterRoute.DeploymentId!, /^[a-z0-9]{6}$/);
    assert.equal(afterRoute.LastDeploymentStatusMessage, `Successfully deployed stage with deployment ID '${afterRoute.DeploymentId}'`);
    assert.equal(JSON.parse((await get(apiId, '/a')).body).routeKey, 'GET /a');
    const deployment = await client.send(new GetDeploymentCommand({ ApiId: apiId, DeploymentId: afterRoute.DeploymentId }));
    assert.equal(deployment.AutoDeployed, true);
    assert.equal(deployment.DeploymentStatus, 'DEPLOYED');
    assert.equal(deployment.Description, 'Automatic deployment triggered by changes to the Api configuration');

    await client.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /b', Target: target }));
    const afterSecond = await client.send(new GetStageCommand({ ApiId: apiId, StageName: '$default' }));
    assert.notEqual(afterSecond.DeploymentId, afterRoute.DeploymentId);
    assert.equal((await get(apiId, '/b')).status, 200);
    await client.send(new DeleteRouteCommand({ ApiId: apiId, RouteId: route.RouteId }));
    assert.equal((await get(apiId, '/a')).status, 404);

    // A DeploymentId is refused for a stage that deploys itself.
    await expectAwsError(client.send(new UpdateStageCommand({ ApiId: apiId, StageName: '$default', DeploymentId: afterRoute.DeploymentId })), { name: 'BadRequestException', status: 400 });
    // Turning AutoDeploy on deploys at once; turning it off keeps the stage where it is.
    await client.send(new CreateStageCommand({ ApiId: apiId, StageName: 'beta' }));
    assert.equal((await get(apiId, '/beta/b')).status, 404);
    await client.send(new UpdateStageCommand({ ApiId: apiId, StageName: 'beta', AutoDeploy: true }));
    const enabled = await client.send(new GetStageCommand({ ApiId: apiId, StageName: 'beta' }));
    assert.ok(enabled.DeploymentId);
    assert.equal((await get(apiId, '/beta/b')).status, 200);
    await client.send(new UpdateStageCommand({ ApiId: apiId, StageName: 'beta', AutoDeploy: false }));
    await client.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /c', Target: target }));
    assert.equal((await get(apiId, '/beta/c')).status, 404);
    assert.equal((await get(apiId, '/c')).status, 200);
    const off = await client.send(new GetStageCommand({ ApiId: apiId, StageName: 'beta' }));
    assert.equal(off.DeploymentId, enabled.DeploymentId);
    assert.equal(off.LastDeploymentStatusMessage, undefined);
  });

  it('quick create deploys its $default stage', async () => {
    const fn = await createFunction(lambdaClient(env.endpoint), { files: { 'index.mjs': ECHO } });
    const client = v2();
    const api = await client.send(new CreateApiCommand({ Name: 'quick', ProtocolType: 'HTTP', Target: fn.FunctionArn }));
    const stage = await client.send(new GetStageCommand({ ApiId: api.ApiId, StageName: '$default' }));
    assert.equal(stage.ApiGatewayManaged, true);
    assert.equal(stage.LastDeploymentStatusMessage, `Successfully deployed stage with deployment ID '${stage.DeploymentId}'`);
    assert.equal((await get(api.ApiId!, '/anything')).status, 200);
  });

  it('answers AWS errors for unknown deployments and stages, and keeps serving', async () => {
    const { client, apiId, target } = await echoApi('errors');
    await client.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /a', Target: target }));
    await expectAwsError(client.send(new GetDeploymentCommand({ ApiId: apiId, DeploymentId: 'nope00' })), { name: 'NotFoundException', status: 404, message: 'Invalid Deployment identifier specified nope00' });
    await expectAwsError(client.send(new UpdateDeploymentCommand({ ApiId: apiId, DeploymentId: 'nope00', Description: 'x' })), { name: 'NotFoundException', status: 404 });
    await expectAwsError(client.send(new DeleteDeploymentCommand({ ApiId: apiId, DeploymentId: 'nope00' })), { name: 'NotFoundException', status: 404 });
    await expectAwsError(client.send(new CreateDeploymentCommand({ ApiId: apiId, StageName: 'missing' })), { name: 'NotFoundException', status: 404, message: 'Invalid stage identifier specified' });
    await expectAwsError(client.send(new CreateStageCommand({ ApiId: apiId, StageName: 'x', DeploymentId: 'nope00' })), { name: 'NotFoundException', status: 404 });
    await expectAwsError(client.send(new GetDeploymentsCommand({ ApiId: 'nosuchapi0' })), { name: 'NotFoundException', status: 404 });
    await expectAwsError(client.send(new GetDeploymentsCommand({ ApiId: apiId, NextToken: 'garbage' })), { name: 'BadRequestException', status: 400 });
    const deployed = await client.send(new CreateDeploymentCommand({ ApiId: apiId }));
    await client.send(new CreateStageCommand({ ApiId: apiId, StageName: 'live', DeploymentId: deployed.DeploymentId }));
    assert.equal((await get(apiId, '/live/a')).status, 200);
  });
});
