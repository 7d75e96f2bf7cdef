import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { ApiGatewayV2Client, CreateApiCommand, CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand, GetIntegrationCommand, UpdateIntegrationCommand } from '@aws-sdk/client-apigatewayv2';
import { clientConfig } from '../support/fogbank.js';
import { expectAwsError } from '../support/errors.js';
import { rawRequest } from '../support/http.js';
import { createFunction, lambdaClient, useLambdaFogbank } from '../lambda/support.js';

const env = useLambdaFogbank();
const v2 = () => new ApiGatewayV2Client(clientConfig(env.endpoint));

function get(apiId: string, path: string, headers: Record<string, string> = {}, method = 'GET') {
  const port = new URL(env.endpoint).port;
  return rawRequest(env.endpoint, { method, path, headers: { host: `${apiId}.execute-api.localhost.localstack.cloud:${port}`, ...headers } });
}

/** A backend that answers what it received: method, URL and headers, with the status the path ends in. */
let backend: Server;
let backendUrl = '';
before(async () => {
  backend = createServer((req, res) => {
    const status = Number(/\/(\d{3})$/.exec(req.url!.split('?')[0]!)?.[1] ?? 200);
    res.writeHead(status, { 'content-type': 'application/json', 'x-upstream': 'up', 'x-trace': 't-1' }).end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, nested: { id: 42 } }));
  });
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
  backendUrl = `http://127.0.0.1:${(backend.address() as { port: number }).port}`;
});
after(() => backend.close());

async function api(name: string) {
  const client = v2();
  const created = await client.send(new CreateApiCommand({ Name: name, ProtocolType: 'HTTP' }));
  await client.send(new CreateStageCommand({ ApiId: created.ApiId, StageName: '$default', AutoDeploy: true, StageVariables: { env: 'test' } }));
  return { client, apiId: created.ApiId! };
}

describe('HTTP API parameter mapping', () => {
  it('changes the request an HTTP_PROXY backend receives: headers, query string and path', async () => {
    const { client, apiId } = await api('request-mapping');
    const integration = await client.send(
      new CreateIntegrationCommand({
        ApiId: apiId,
        IntegrationType: 'HTTP_PROXY',
        IntegrationMethod: 'ANY',
        IntegrationUri: `${backendUrl}/base`,
        PayloadFormatVersion: '1.0',
        RequestParameters: {
          'append:header.x-request-id': '$context.requestId',
          'overwrite:header.x-env': '${stageVariables.env}-static',
          'append:header.x-renamed': '$request.header.x-old',
          'remove:header.x-old': "''",
          'overwrite:querystring.id': '$request.path.id',
          'append:querystring.tag': 'extra',
          'remove:querystring.secret': "''",
          'overwrite:path': '/v2/items/${request.path.id}',
        },
      }),
    );
    assert.equal(integration.RequestParameters?.['overwrite:path'], '/v2/items/${request.path.id}');
    await client.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /items/{id}', Target: `integrations/${integration.IntegrationId}` }));

    const res = await get(apiId, '/items/7?secret=s&tag=a', { 'x-old': 'old-value', 'x-env': 'client' });
    assert.equal(res.status, 200, res.body);
    const seen = JSON.parse(res.body);
    const url = new URL(seen.url, 'http://x');
    assert.equal(url.pathname, '/v2/items/7');
    assert.equal(url.searchParams.get('id'), '7');
    assert.deepEqual(url.searchParams.getAll('tag'), ['a', 'extra']);
    assert.equal(url.searchParams.get('secret'), null);
    assert.equal(seen.headers['x-request-id'], res.headers['apigw-requestid']);
    assert.equal(seen.headers['x-env'], 'test-static');
    assert.equal(seen.headers['x-renamed'], 'old-value');
    assert.equal(seen.headers['x-old'], undefined);
  });

  it('changes the answer by status code: status, headers from the response and its body', async () => {
    const { client, apiId } = await api('response-mapping');
    const integration = await client.send(
      new CreateIntegrationCommand({
        ApiId: apiId,
        IntegrationType: 'HTTP_PROXY',
        IntegrationMethod: 'ANY',
        IntegrationUri: `${backendUrl}/{proxy}`,
        PayloadFormatVersion: '1.0',
        ResponseParameters: {
          '201': { 'overwrite:statuscode': '202', 'append:header.x-method': '$response.body.method', 'overwrite:header.x-id': '${response.body.nested.id}' },
          '404': { 'overwrite:statuscode': '410', 'remove:header.x-upstream': "''", 'append:header.x-copied': '$response.header.x-trace', 'append:header.x-stage': '$context.stage' },
        },
      }),
    );
    await client.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'ANY /{proxy+}', Target: `integrations/${integration.IntegrationId}` }));
    const created = await get(apiId, '/x/201', {}, 'POST');
    assert.equal(created.status, 202);
    assert.equal(created.headers['x-method'], 'POST');
    assert.equal(created.headers['x-id'], '42');
    const gone = await get(apiId, '/x/404');
    assert.equal(gone.status, 410);
    assert.equal(gone.headers['x-upstream'], undefined);
    assert.equal(gone.headers['x-copied'], 't-1');
    assert.equal(gone.headers['x-stage'], '$default');
    // No mapping for 200: the answer passes unchanged.
    const ok = await get(apiId, '/x/200');
    assert.equal(ok.status, 200);
    assert.equal(ok.headers['x-upstream'], 'up');

    // Update merges; an empty value removes a mapping, an empty map a status code.
    const updated = await client.send(new UpdateIntegrationCommand({ ApiId: apiId, IntegrationId: integration.IntegrationId, ResponseParameters: { '404': {} } }));
    assert.deepEqual(Object.keys(updated.ResponseParameters ?? {}), ['201']);
    assert.equal((await get(apiId, '/x/404')).status, 404);
  });

  it('maps headers and query strings into Lambda proxy events (payload 2.0 and 1.0)', async () => {
    const fn = await createFunction(lambdaClient(env.endpoint), {
      files: { 'index.mjs': `export const handler = async (event) => ({ statusCode: 200, headers: { 'x-fn': 'yes' }, body: JSON.stringify({ headers: event.headers, query: event.queryStringParameters }) });` },
    });
    const { client, apiId } = await api('lambda-mapping');
    const params = { 'overwrite:header.x-user': '$request.querystring.user', 'remove:querystring.user': "''", 'append:querystring.src': '$context.httpMethod' };
    for (const [version, path] of [['2.0', 'GET /v2'], ['1.0', 'GET /v1']] as const) {
      const integration = await client.send(
        new CreateIntegrationCommand({
          ApiId: apiId,
          IntegrationType: 'AWS_PROXY',
          IntegrationUri: fn.FunctionArn,
          PayloadFormatVersion: version,
          RequestParameters: params,
          ResponseParameters: { '200': { 'overwrite:header.x-fn': 'mapped' } },
        }),
      );
      await client.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: path, Target: `integrations/${integration.IntegrationId}` }));
    }
    for (const path of ['/v2', '/v1']) {
      const res = await get(apiId, `${path}?user=alice&keep=1`);
      assert.equal(res.status, 200, res.body);
      const seen = JSON.parse(res.body);
      assert.equal(seen.headers['x-user'], 'alice', path);
      assert.deepEqual(seen.query, { keep: '1', src: 'GET' }, path);
      assert.equal(res.headers['x-fn'], 'mapped');
    }
  });

  it('refuses bad mapping keys, reserved headers and unknown sources, and keeps serving', async () => {
    const { client, apiId } = await api('bad-mapping');
    const base = { ApiId: apiId, IntegrationType: 'HTTP_PROXY' as const, IntegrationMethod: 'ANY', IntegrationUri: backendUrl, PayloadFormatVersion: '1.0' };
    const badRequests: Array<Record<string, string>> = [
      { 'append:body.x': 'v' },
      { 'overwrite:header.authorization': 'v' },
      { 'append:header.X-Amz-Date': 'v' },
      { 'overwrite:querystring.q': '$request.cookie.x' },
      { 'append:path': '/x' },
      { 'overwrite:header.x': '$response.header.y' },
    ];
    for (const RequestParameters of badRequests) {
      await expectAwsError(client.send(new CreateIntegrationCommand({ ...base, RequestParameters })), { name: 'BadRequestException', status: 400 });
    }
    const badResponses: Array<Record<string, Record<string, string>>> = [
      { '99': { 'overwrite:statuscode': '200' } },
      { '200': { 'overwrite:statuscode': 'abc' } },
      { '200': { 'append:querystring.x': 'v' } },
      { '200': { 'overwrite:header.x': '$request.header.y' } },
    ];
    for (const ResponseParameters of badResponses) {
      await expectAwsError(client.send(new CreateIntegrationCommand({ ...base, ResponseParameters })), { name: 'BadRequestException', status: 400 });
    }
    const good = await client.send(new CreateIntegrationCommand({ ...base, RequestParameters: { 'append:header.x-ok': 'v' } }));
    await expectAwsError(client.send(new UpdateIntegrationCommand({ ApiId: apiId, IntegrationId: good.IntegrationId, RequestParameters: { 'overwrite:header.connection': 'close' } })), {
      name: 'BadRequestException',
      status: 400,
    });
    assert.deepEqual((await client.send(new GetIntegrationCommand({ ApiId: apiId, IntegrationId: good.IntegrationId }))).RequestParameters, { 'append:header.x-ok': 'v' });
    await client.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /ok', Target: `integrations/${good.IntegrationId}` }));
    const res = await get(apiId, '/ok');
    assert.equal(res.status, 200);
    assert.equal(JSON.parse(res.body).headers['x-ok'], 'v');
  });
});
