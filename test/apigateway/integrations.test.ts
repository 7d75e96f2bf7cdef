import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import {
  CreateDeploymentCommand,
  CreateStageCommand,
  CreateModelCommand,
  CreateRequestValidatorCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
  type APIGatewayClient,
  type PutIntegrationCommandInput,
} from '@aws-sdk/client-api-gateway';
import { createFunction, lambdaClient, useLambdaFogbank } from '../lambda/support.js';
import { apigwClient, invoke, lambdaUri } from './support.js';

const env = useLambdaFogbank();

/** A backend the HTTP integrations call: it echoes what it received, or answers the status asked for. */
let backend: Server;
let backendUrl = '';
before(async () => {
  backend = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const status = Number(url.searchParams.get('status') ?? 200);
      res.writeHead(status, { 'content-type': 'application/json', 'x-backend': 'yes' });
      res.end(JSON.stringify({ method: req.method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
  });
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
  backendUrl = `http://127.0.0.1:${(backend.address() as { port: number }).port}`;
});
after(() => backend.close());

/** An API with one method on /<path> (GET unless said), the given integration and responses, deployed to dev. */
async function api(
  client: APIGatewayClient,
  pathPart: string,
  integration: Omit<PutIntegrationCommandInput, 'restApiId' | 'resourceId' | 'httpMethod'>,
  responses: Array<{ statusCode: string; selectionPattern?: string; responseTemplates?: Record<string, string>; responseParameters?: Record<string, string> }> = [],
  method: { httpMethod?: string; requestValidatorId?: string; requestParameters?: Record<string, boolean>; requestModels?: Record<string, string> } = {},
  setup?: (apiId: string) => Promise<Partial<typeof method>>,
) {
  const created = await client.send(new CreateRestApiCommand({ name: pathPart, binaryMediaTypes: ['image/png'] }));
  const extra = setup ? await setup(created.id!) : {};
  const resource = await client.send(new CreateResourceCommand({ restApiId: created.id, parentId: created.rootResourceId, pathPart }));
  const ids = { restApiId: created.id, resourceId: resource.id, httpMethod: method.httpMethod ?? 'GET' };
  await client.send(new PutMethodCommand({ ...ids, authorizationType: 'NONE', ...method, ...extra }));
  await client.send(new PutIntegrationCommand({ ...ids, ...integration }));
  for (const r of responses) {
    await client.send(new PutMethodResponseCommand({ ...ids, statusCode: r.statusCode }));
    await client.send(new PutIntegrationResponseCommand({ ...ids, ...r }));
  }
  await client.send(new CreateDeploymentCommand({ restApiId: created.id, stageName: 'dev', variables: { env: 'test' } }));
  return created.id!;
}

describe('REST API integrations with mapping templates, HTTP backends and validators', () => {
  it('maps a request and the answer of a non-proxy Lambda (AWS) integration with Velocity, and selects error responses', async () => {
    const fn = await createFunction(lambdaClient(env.endpoint), {
      files: { 'index.mjs': "export const handler = async (e) => { if (e.name === 'fail') throw new Error('Bad name: fail'); return { greeting: `hello ${e.name}`, stage: e.stage, tags: e.tags }; };" },
    });
    const client = apigwClient(env.endpoint);
    const apiId = await api(
      client,
      'greet',
      {
        type: 'AWS',
        integrationHttpMethod: 'POST',
        uri: lambdaUri(fn.FunctionArn!),
        requestTemplates: { 'application/json': '{"name": "$input.params(\'name\')", "stage": "$stageVariables.env", "tags": $input.json(\'$.tags\')}' },
      },
      [
        { statusCode: '200', responseTemplates: { 'application/json': '#set($r = $input.path(\'$\')){"message": "$r.greeting", "count": $r.tags.size(), "id": "$context.requestId"}' } },
        { statusCode: '400', selectionPattern: 'Bad name.*', responseTemplates: { 'application/json': '{"error": $input.json(\'$.errorMessage\')}' } },
      ],
      { httpMethod: 'POST' },
    );
    const ok = await invoke(env.endpoint, 'host', apiId, 'dev', '/greet?name=ada', { method: 'POST', body: JSON.stringify({ tags: ['a', 'b', 'c'] }), headers: { 'content-type': 'application/json' } });
    assert.equal(ok.status, 200, ok.body);
    const body = JSON.parse(ok.body);
    assert.equal(body.message, 'hello ada');
    assert.equal(body.count, 3);
    assert.equal(body.id, ok.headers['x-amzn-requestid']);
    const failed = await invoke(env.endpoint, 'path', apiId, 'dev', '/greet?name=fail', { method: 'POST', body: '{"tags": []}', headers: { 'content-type': 'application/json' } });
    assert.equal(failed.status, 400, failed.body);
    assert.deepEqual(JSON.parse(failed.body), { error: 'Bad name: fail' });
  });

  it('calls a real HTTP backend (HTTP) with mapped parameters and templates, and selects responses by its status', async () => {
    const client = apigwClient(env.endpoint);
    const apiId = await api(
      client,
      'orders',
      {
        type: 'HTTP',
        integrationHttpMethod: 'POST',
        uri: `${backendUrl}/backend/\${stageVariables.env}`,
        requestParameters: { 'integration.request.header.x-caller': "'gateway'", 'integration.request.querystring.status': 'method.request.querystring.want' },
        requestTemplates: { 'application/json': '{"wrapped": $input.json(\'$\'), "escaped": "$util.escapeJavaScript($input.path(\'$.note\'))", "encoded": "$util.urlEncode(\'a b&c\')"}' },
      },
      [
        {
          statusCode: '200',
          responseParameters: { 'method.response.header.X-From': 'integration.response.header.x-backend', 'method.response.header.X-Fixed': "'fixed'" },
          responseTemplates: { 'application/json': '{"sawMethod": "$input.path(\'$.method\')", "sawPath": "$input.path(\'$.path\')", "sawCaller": "$input.path(\'$.headers.x-caller\')", "sawBody": $input.path(\'$.body\')}' },
        },
        { statusCode: '502', selectionPattern: '5\\d{2}', responseTemplates: { 'application/json': '{"upstream": "failed"}' } },
      ],
      { httpMethod: 'POST', requestParameters: { 'method.request.querystring.want': false } },
    );
    const ok = await invoke(env.endpoint, 'host', apiId, 'dev', '/orders', { method: 'POST', body: JSON.stringify({ note: 'say "hi"' }), headers: { 'content-type': 'application/json' } });
    assert.equal(ok.status, 200, ok.body);
    assert.equal(ok.headers['x-from'], 'yes');
    assert.equal(ok.headers['x-fixed'], 'fixed');
    const body = JSON.parse(ok.body);
    assert.equal(body.sawMethod, 'POST');
    assert.equal(body.sawPath, '/backend/test');
    assert.equal(body.sawCaller, 'gateway');
    assert.deepEqual(body.sawBody, { wrapped: { note: 'say "hi"' }, escaped: 'say "hi"', encoded: 'a+b%26c' });
    const upstream = await invoke(env.endpoint, 'host', apiId, 'dev', '/orders?want=503', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    assert.equal(upstream.status, 502);
    assert.deepEqual(JSON.parse(upstream.body), { upstream: 'failed' });
  });

  it('passes requests through to a real HTTP endpoint (HTTP_PROXY) and answers what it answered', async () => {
    const client = apigwClient(env.endpoint);
    const created = await client.send(new CreateRestApiCommand({ name: 'proxy' }));
    const proxy = await client.send(new CreateResourceCommand({ restApiId: created.id, parentId: created.rootResourceId, pathPart: '{proxy+}' }));
    const ids = { restApiId: created.id, resourceId: proxy.id, httpMethod: 'ANY' };
    await client.send(new PutMethodCommand({ ...ids, authorizationType: 'NONE', requestParameters: { 'method.request.path.proxy': true } }));
    await client.send(
      new PutIntegrationCommand({ ...ids, type: 'HTTP_PROXY', integrationHttpMethod: 'ANY', uri: `${backendUrl}/up/{proxy}`, requestParameters: { 'integration.request.path.proxy': 'method.request.path.proxy' } }),
    );
    await client.send(new CreateDeploymentCommand({ restApiId: created.id, stageName: 'dev' }));
    const res = await invoke(env.endpoint, 'host', created.id!, 'dev', '/a/b%20c?x=1&x=2&status=201', { method: 'PUT', body: 'raw text', headers: { 'content-type': 'text/plain', 'x-custom': 'v' } });
    assert.equal(res.status, 201);
    assert.equal(res.headers['x-backend'], 'yes');
    const seen = JSON.parse(res.body);
    assert.equal(seen.method, 'PUT');
    assert.equal(seen.path, '/up/a/b%20c');
    assert.equal(seen.headers['x-custom'], 'v');
    assert.equal(seen.body, 'raw text');
    assert.equal(seen.query.status, '201');
  });

  it('answers 415 when passthrough is NEVER and no template matches, and MOCK picks responses by status', async () => {
    const client = apigwClient(env.endpoint);
    const apiId = await api(
      client,
      'mock',
      { type: 'MOCK', passthroughBehavior: 'NEVER', requestTemplates: { 'application/json': '#if($input.params(\'fail\') == "yes"){"statusCode": 404}#else{"statusCode": 200}#end' } },
      [
        { statusCode: '200', responseTemplates: { 'application/json': '{"found": true, "stage": "$context.stage", "missing": "$input.path(\'$.nothing\')$stageVariables.nope"}' } },
        { statusCode: '404', selectionPattern: '404', responseTemplates: { 'application/json': '{"found": false}' } },
      ],
    );
    const found = await invoke(env.endpoint, 'host', apiId, 'dev', '/mock', { headers: { 'content-type': 'application/json' } });
    assert.equal(found.status, 200);
    assert.deepEqual(JSON.parse(found.body), { found: true, stage: 'dev', missing: '' });
    const missing = await invoke(env.endpoint, 'host', apiId, 'dev', '/mock?fail=yes', { headers: { 'content-type': 'application/json' } });
    assert.equal(missing.status, 404);
    assert.deepEqual(JSON.parse(missing.body), { found: false });
    const unsupported = await invoke(env.endpoint, 'host', apiId, 'dev', '/mock', { headers: { 'content-type': 'text/xml' } });
    assert.equal(unsupported.status, 415);
    assert.deepEqual(JSON.parse(unsupported.body), { message: 'Unsupported Media Type' });

    // A template Velocity cannot parse answers 500, and the gateway keeps serving.
    const broken = await api(client, 'broken', { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }, [
      { statusCode: '200', responseTemplates: { 'application/json': '#if($x' } },
      { statusCode: '404', selectionPattern: '(unclosed' },
    ]);
    const failed = await invoke(env.endpoint, 'host', broken, 'dev', '/broken');
    assert.equal(failed.status, 500);
    assert.deepEqual(JSON.parse(failed.body), { message: 'Internal server error' });
    assert.equal((await invoke(env.endpoint, 'host', apiId, 'dev', '/mock', { headers: { 'content-type': 'application/json' } })).status, 200);
  });

  it('validates required parameters and the body against the model, with AWS 400 answers', async () => {
    const client = apigwClient(env.endpoint);
    const apiId = await api(
      client,
      'things',
      { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } },
      [{ statusCode: '200', responseTemplates: { 'application/json': '{"ok": true}' } }],
      { httpMethod: 'POST', requestParameters: { 'method.request.querystring.limit': true, 'method.request.header.x-tenant': true } },
      async (id) => {
        const validator = await client.send(new CreateRequestValidatorCommand({ restApiId: id, name: 'all', validateRequestBody: true, validateRequestParameters: true }));
        const schema = { $schema: 'http://json-schema.org/draft-04/schema#', type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1 }, size: { type: 'integer', minimum: 1 } }, additionalProperties: false };
        await client.send(new CreateModelCommand({ restApiId: id, name: 'Thing', contentType: 'application/json', schema: JSON.stringify(schema) }));
        return { requestValidatorId: validator.id, requestModels: { 'application/json': 'Thing' } };
      },
    );
    const post = (path: string, body: unknown, headers: Record<string, string> = { 'x-tenant': 't1' }) =>
      invoke(env.endpoint, 'host', apiId, 'dev', path, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });
    const missing = await post('/things', { name: 'a' }, {});
    assert.equal(missing.status, 400);
    assert.equal(missing.headers['x-amzn-errortype'], 'BadRequestException');
    assert.deepEqual(JSON.parse(missing.body), { message: 'Missing required request parameters: [limit, x-tenant]' });
    for (const bad of [{}, { name: '' }, { name: 'a', size: 0 }, { name: 'a', extra: 1 }, { name: 'a', size: 1.5 }]) {
      const res = await post('/things?limit=1', bad);
      assert.equal(res.status, 400, JSON.stringify(bad));
      assert.deepEqual(JSON.parse(res.body), { message: 'Invalid request body' });
    }
    const ok = await post('/things?limit=1', { name: 'a', size: 2 });
    assert.equal(ok.status, 200, ok.body);
    assert.deepEqual(JSON.parse(ok.body), { ok: true });
  });

  it('resolves stage variables in a Lambda integration URI per stage', async () => {
    const lambda = lambdaClient(env.endpoint);
    const blue = await createFunction(lambda, { files: { 'index.mjs': "export const handler = async () => ({ statusCode: 200, body: 'blue' });" } });
    const green = await createFunction(lambda, { files: { 'index.mjs': "export const handler = async () => ({ statusCode: 200, body: 'green' });" } });
    const client = apigwClient(env.endpoint);
    const created = await client.send(new CreateRestApiCommand({ name: 'colors' }));
    const ids = { restApiId: created.id, resourceId: created.rootResourceId, httpMethod: 'GET' };
    await client.send(new PutMethodCommand({ ...ids, authorizationType: 'NONE' }));
    const uri = lambdaUri(blue.FunctionArn!).replace(blue.FunctionName!, '${stageVariables.fn}');
    await client.send(new PutIntegrationCommand({ ...ids, type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri }));
    const deployment = await client.send(new CreateDeploymentCommand({ restApiId: created.id, stageName: 'blue', variables: { fn: blue.FunctionName! } }));
    await client.send(new CreateStageCommand({ restApiId: created.id, stageName: 'green', deploymentId: deployment.id, variables: { fn: green.FunctionName! } }));
    assert.equal((await invoke(env.endpoint, 'host', created.id!, 'blue', '/')).body, 'blue');
    assert.equal((await invoke(env.endpoint, 'host', created.id!, 'green', '/')).body, 'green');
  });
});
