// A deployed HTTP API keeps serving what was deployed after kill -9: deployments live in the store,
// and the invoke path's compiled cache is rebuilt from it.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ApiGatewayV2Client, CreateApiCommand, CreateDeploymentCommand, CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand } from '@aws-sdk/client-apigatewayv2';
import { clientConfig } from '../support/fogbank.js';
import { rawRequest } from '../support/http.js';
import { exited, spawnFogbank } from '../support/process.js';

describe('HTTP API durability', () => {
  it('serves the deployed routes, not later changes, after kill -9', async () => {
    const backend = createServer((req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end(`backend saw ${req.url}`));
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
    const dir = mkdtempSync(join(tmpdir(), 'fogbank-httpapi-kill-'));
    try {
      const first = await spawnFogbank(['--port', '0', '--data-dir', dir]);
      const client = new ApiGatewayV2Client(clientConfig(first.endpoint));
      const api = await client.send(new CreateApiCommand({ Name: 'durable', ProtocolType: 'HTTP' }));
      const integration = await client.send(
        new CreateIntegrationCommand({ ApiId: api.ApiId, IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'GET', IntegrationUri: `http://127.0.0.1:${(backend.address() as { port: number }).port}/{proxy}`, PayloadFormatVersion: '1.0' }),
      );
      await client.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /old/{proxy+}', Target: `integrations/${integration.IntegrationId}` }));
      const deployment = await client.send(new CreateDeploymentCommand({ ApiId: api.ApiId }));
      await client.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: 'live', DeploymentId: deployment.DeploymentId }));
      // Not deployed: must not show after the restart either.
      await client.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /new/{proxy+}', Target: `integrations/${integration.IntegrationId}` }));
      first.child.kill('SIGKILL');
      assert.equal((await exited(first.child)).signal, 'SIGKILL');

      const second = await spawnFogbank(['--port', '0', '--data-dir', dir]);
      try {
        const invoke = (path: string) => rawRequest(second.endpoint, { path: `/restapis/${api.ApiId}/live/_user_request_${path}` });
        const old = await invoke('/old/a/b');
        assert.equal(old.status, 200, old.body);
        assert.equal(old.body, 'backend saw /a/b');
        assert.equal((await invoke('/new/a')).status, 404);
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
