// A custom domain name and its API mapping keep serving after kill -9: they live in the store, and
// the edge's in-memory set of configured names is loaded from it on the first request.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ApiGatewayV2Client, CreateApiCommand, CreateApiMappingCommand, CreateDomainNameCommand, CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand } from '@aws-sdk/client-apigatewayv2';
import { clientConfig } from '../support/fogbank.js';
import { rawRequest } from '../support/http.js';
import { exited, spawnFogbank } from '../support/process.js';

describe('API Gateway custom domain durability', () => {
  it('serves a mapped HTTP API on its custom domain after kill -9', async () => {
    const backend = createServer((req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end(`backend saw ${req.url}`));
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
    const dir = mkdtempSync(join(tmpdir(), 'fogbank-domain-kill-'));
    try {
      const first = await spawnFogbank(['--port', '0', '--data-dir', dir]);
      try {
        const client = new ApiGatewayV2Client(clientConfig(first.endpoint));
        const api = await client.send(new CreateApiCommand({ Name: 'durable', ProtocolType: 'HTTP' }));
        const integration = await client.send(
          new CreateIntegrationCommand({ ApiId: api.ApiId, IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'GET', IntegrationUri: `http://127.0.0.1:${(backend.address() as { port: number }).port}/{proxy}`, PayloadFormatVersion: '1.0' }),
        );
        await client.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /{proxy+}', Target: `integrations/${integration.IntegrationId}` }));
        await client.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: '$default', AutoDeploy: true }));
        await client.send(new CreateDomainNameCommand({ DomainName: 'durable.example.com', DomainNameConfigurations: [{ CertificateArn: 'arn:aws:acm:us-east-1:000000000000:certificate/x' }] }));
        await client.send(new CreateApiMappingCommand({ DomainName: 'durable.example.com', ApiId: api.ApiId, Stage: '$default', ApiMappingKey: 'svc' }));
      } finally {
        first.child.kill('SIGKILL');
        assert.equal((await exited(first.child)).signal, 'SIGKILL');
      }

      const second = await spawnFogbank(['--port', '0', '--data-dir', dir]);
      try {
        const res = await rawRequest(second.endpoint, { path: '/svc/a/b', headers: { host: `durable.example.com:${new URL(second.endpoint).port}` } });
        assert.equal(res.status, 200, res.body);
        assert.equal(res.body, 'backend saw /a/b');
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
