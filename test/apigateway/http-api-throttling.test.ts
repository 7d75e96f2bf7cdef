import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import {
  ApiGatewayV2Client,
  CreateApiCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  CreateStageCommand,
  DeleteRouteSettingsCommand,
  GetStageCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-apigatewayv2';
import { expectAwsError } from '../support/errors.js';
import { clientConfig, useFogbank } from '../support/fogbank.js';
import { invoke } from './support.js';

const env = useFogbank();
const advance = (ms: number) => env.fogbank.clock.advance(ms);
const v2 = () => new ApiGatewayV2Client(clientConfig(env.endpoint));

let backend: Server;
let backendUrl = '';
before(async () => {
  backend = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'));
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
  backendUrl = `http://127.0.0.1:${(backend.address() as { port: number }).port}`;
});
after(() => backend.close());

/** An HTTP API with GET /a and GET /b proxied to the backend, on an auto-deploy "dev" stage. */
async function throttledApi(stage: { DefaultRouteSettings?: object; RouteSettings?: Record<string, object> }) {
  const client = v2();
  const { ApiId } = await client.send(new CreateApiCommand({ Name: 'throttled', ProtocolType: 'HTTP' }));
  const integration = await client.send(new CreateIntegrationCommand({ ApiId, IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'ANY', IntegrationUri: backendUrl, PayloadFormatVersion: '1.0' }));
  for (const key of ['GET /a', 'GET /b']) await client.send(new CreateRouteCommand({ ApiId, RouteKey: key, Target: `integrations/${integration.IntegrationId}` }));
  await client.send(new CreateStageCommand({ ApiId, StageName: 'dev', AutoDeploy: true, ...stage }));
  return { client, apiId: ApiId! };
}

async function statuses(apiId: string, path: string, count: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push((await invoke(env.endpoint, i % 2 ? 'host' : 'path', apiId, 'dev', path)).status);
  return out;
}

describe('HTTP API stage throttling', () => {
  it('throttles each route with its own bucket: default route settings, a route override, refilled on the clock', async () => {
    const { client, apiId } = await throttledApi({
      DefaultRouteSettings: { ThrottlingBurstLimit: 2, ThrottlingRateLimit: 0.1 },
      RouteSettings: { 'GET /b': { ThrottlingBurstLimit: 1, ThrottlingRateLimit: 1 } },
    });
    assert.deepEqual(await statuses(apiId, '/a', 3), [200, 200, 429]);
    const limited = await invoke(env.endpoint, 'path', apiId, 'dev', '/a');
    assert.equal(limited.status, 429);
    assert.deepEqual(JSON.parse(limited.body), { message: 'Too Many Requests' });
    assert.equal(limited.headers['content-type'], 'application/json');
    assert.ok(limited.headers['apigw-requestid']);
    // GET /b has its own limits and its own bucket.
    assert.deepEqual(await statuses(apiId, '/b', 2), [200, 429]);
    advance(1000);
    assert.deepEqual(await statuses(apiId, '/b', 2), [200, 429]);
    // One token every 10 seconds for GET /a; never more than the burst.
    advance(10_000);
    assert.deepEqual(await statuses(apiId, '/a', 2), [200, 429]);
    advance(600_000);
    assert.deepEqual(await statuses(apiId, '/a', 3), [200, 200, 429]);

    const stage = await client.send(new GetStageCommand({ ApiId: apiId, StageName: 'dev' }));
    assert.deepEqual(stage.DefaultRouteSettings, { DetailedMetricsEnabled: false, ThrottlingBurstLimit: 2, ThrottlingRateLimit: 0.1 });
    assert.deepEqual(stage.RouteSettings, { 'GET /b': { DetailedMetricsEnabled: false, ThrottlingBurstLimit: 1, ThrottlingRateLimit: 1 } });
  });

  it('applies UpdateStage and DeleteRouteSettings to the next request', async () => {
    const { client, apiId } = await throttledApi({ RouteSettings: { 'GET /a': { ThrottlingBurstLimit: 1, ThrottlingRateLimit: 0.01 } } });
    // Routes without settings are not throttled.
    assert.deepEqual(await statuses(apiId, '/b', 5), [200, 200, 200, 200, 200]);
    assert.deepEqual(await statuses(apiId, '/a', 2), [200, 429]);
    // A changed limit starts a full bucket; other route settings stay.
    const updated = await client.send(new UpdateStageCommand({ ApiId: apiId, StageName: 'dev', RouteSettings: { 'GET /a': { ThrottlingBurstLimit: 3 } }, DefaultRouteSettings: { ThrottlingBurstLimit: 1, ThrottlingRateLimit: 0.01 } }));
    assert.deepEqual(updated.RouteSettings?.['GET /a'], { DetailedMetricsEnabled: false, ThrottlingBurstLimit: 3, ThrottlingRateLimit: 0.01 });
    assert.deepEqual(await statuses(apiId, '/a', 4), [200, 200, 200, 429]);
    assert.deepEqual(await statuses(apiId, '/b', 2), [200, 429]);
    await client.send(new DeleteRouteSettingsCommand({ ApiId: apiId, StageName: 'dev', RouteKey: 'GET /a' }));
    const stage = await client.send(new GetStageCommand({ ApiId: apiId, StageName: 'dev' }));
    assert.deepEqual(stage.RouteSettings, {});
    // GET /a now follows the default settings, with a bucket of its own.
    assert.deepEqual(await statuses(apiId, '/a', 2), [200, 429]);
  });

  it('answers AWS errors for bad route settings and unknown stages, and keeps serving', async () => {
    const { client, apiId } = await throttledApi({});
    await expectAwsError(client.send(new DeleteRouteSettingsCommand({ ApiId: apiId, StageName: 'dev', RouteKey: 'GET /a' })), { name: 'NotFoundException', status: 404 });
    await expectAwsError(client.send(new DeleteRouteSettingsCommand({ ApiId: apiId, StageName: 'nope', RouteKey: 'GET /a' })), {
      name: 'NotFoundException',
      message: 'Invalid stage identifier specified',
    });
    await expectAwsError(client.send(new UpdateStageCommand({ ApiId: apiId, StageName: 'dev', DefaultRouteSettings: { ThrottlingBurstLimit: -1 } })), { name: 'BadRequestException', status: 400 });
    await expectAwsError(client.send(new UpdateStageCommand({ ApiId: apiId, StageName: 'dev', RouteSettings: { 'GET /a': { LoggingLevel: 'LOUD' as 'INFO' } } })), { name: 'BadRequestException', status: 400 });
    await expectAwsError(client.send(new CreateStageCommand({ ApiId: apiId, StageName: 'other', DefaultRouteSettings: { ThrottlingRateLimit: -5 } })), { name: 'BadRequestException', status: 400 });
    assert.deepEqual(await statuses(apiId, '/a', 3), [200, 200, 200]);
  });
});
