// Access log lines wait in memory for a few milliseconds before they are stored: a Fogbank that is
// stopped (SIGTERM) stores them first, so a line written just before the stop is read after the restart.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ApiGatewayV2Client, CreateApiCommand, CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand } from '@aws-sdk/client-apigatewayv2';
import { CloudWatchLogsClient, CreateLogGroupCommand, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { clientConfig } from '../support/fogbank.js';
import { rawRequest } from '../support/http.js';
import { exited, spawnFogbank } from '../support/process.js';

describe('API Gateway access log durability', () => {
  it('stores the lines still in memory when Fogbank stops', async () => {
    const backend = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'));
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
    const dir = mkdtempSync(join(tmpdir(), 'fogbank-access-log-'));
    try {
      const first = await spawnFogbank(['--port', '0', '--data-dir', dir]);
      const client = new ApiGatewayV2Client(clientConfig(first.endpoint));
      await new CloudWatchLogsClient(clientConfig(first.endpoint)).send(new CreateLogGroupCommand({ logGroupName: 'durable-access' }));
      const api = await client.send(new CreateApiCommand({ Name: 'durable', ProtocolType: 'HTTP' }));
      const integration = await client.send(
        new CreateIntegrationCommand({ ApiId: api.ApiId, IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'GET', IntegrationUri: `http://127.0.0.1:${(backend.address() as { port: number }).port}`, PayloadFormatVersion: '1.0' }),
      );
      await client.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /ping', Target: `integrations/${integration.IntegrationId}` }));
      const DestinationArn = 'arn:aws:logs:us-east-1:000000000000:log-group:durable-access';
      await client.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: 'live', AutoDeploy: true, AccessLogSettings: { DestinationArn, Format: '$context.requestId $context.status' } }));
      const answer = await rawRequest(first.endpoint, { path: `/restapis/${api.ApiId}/live/_user_request_/ping` });
      assert.equal(answer.status, 200);
      first.child.kill('SIGTERM');
      await exited(first.child);

      const second = await spawnFogbank(['--port', '0', '--data-dir', dir]);
      try {
        const { events } = await new CloudWatchLogsClient(clientConfig(second.endpoint)).send(new FilterLogEventsCommand({ logGroupName: 'durable-access' }));
        assert.deepEqual(events?.map((e) => e.message), [`${String(answer.headers['apigw-requestid'])} 200`]);
      } finally {
        second.child.kill('SIGKILL');
        await exited(second.child);
      }
    } finally {
      backend.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
