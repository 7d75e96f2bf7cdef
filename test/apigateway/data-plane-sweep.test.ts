// The data planes fed hostile HTTP: odd methods, broken framing (bad content-length, chunked,
// binary), huge headers, many query parameters, repeated headers, undecodable and very long paths,
// through REST APIs (AWS_PROXY, MOCK and HTTP integrations whose Velocity templates meet non-JSON
// bodies and undecodable input), HTTP APIs (payload 1.0 and 2.0, parameter mapping), Lambda
// function URLs, and Lambda proxy answers that are malformed. Every answer is a well-formed HTTP
// response — a 5xx only as AWS's own JSON message — and the server keeps serving.

import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { describe, it } from 'node:test';
import { CreateAuthorizerCommand, CreateDeploymentCommand, CreateModelCommand, CreateRequestValidatorCommand, CreateResourceCommand, CreateRestApiCommand, PutIntegrationCommand, PutIntegrationResponseCommand, PutMethodCommand, PutMethodResponseCommand } from '@aws-sdk/client-api-gateway';
import { ApiGatewayV2Client, CreateApiCommand, CreateAuthorizerCommand as CreateV2AuthorizerCommand, CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand } from '@aws-sdk/client-apigatewayv2';
import { CreateFunctionUrlConfigCommand } from '@aws-sdk/client-lambda';
import { clientConfig, useFogbank } from '../support/fogbank.js';
import { rawRequest } from '../support/http.js';
import { createFunction, lambdaClient } from '../lambda/support.js';
import { apigwClient, lambdaUri } from './support.js';

const env = useFogbank();

// A handler whose answer the request picks: malformed proxy answers of every kind.
const HANDLER = `export const handler = async (event) => {
  const path = event.rawPath ?? event.path ?? '';
  const mode = path.split('/').pop();
  switch (mode) {
    case 'nonjson': return 'not json at all';
    case 'string-status': return { statusCode: '201', body: 'ok' };
    case 'bad-status': return { statusCode: 'abc', body: 'ok' };
    case 'huge-status': return { statusCode: 99999, body: 'ok' };
    case 'headers-list': return { statusCode: 200, headers: ['a', 'b'], body: 'ok' };
    case 'headers-nested': return { statusCode: 200, headers: { a: { b: 1 } }, multiValueHeaders: { c: 'notalist', d: [null, {}] }, body: 'ok' };
    case 'body-object': return { statusCode: 200, body: { a: 1 } };
    case 'body-number': return { statusCode: 200, body: 12 };
    case 'bad-base64': return { statusCode: 200, isBase64Encoded: true, body: '!!not base64!!' };
    case 'huge-body': return { statusCode: 200, body: 'x'.repeat(1024 * 1024) };
    case 'null': return null;
    case 'array': return [1, 2];
    case 'cookies': return { statusCode: 200, cookies: 'a=b', body: 'ok' };
    case 'bad-header-value': return { statusCode: 200, headers: { 'x-bad': 'a\\r\\nInjected: yes', 'bad name': 'v' }, body: 'ok' };
    case 'throw': throw new Error('boom');
    default: return { statusCode: 200, body: JSON.stringify({ ok: true }) };
  }
};`;

const MODES = ['nonjson', 'string-status', 'bad-status', 'huge-status', 'headers-list', 'headers-nested', 'body-object', 'body-number', 'bad-base64', 'huge-body', 'null', 'array', 'cookies', 'bad-header-value', 'throw', 'fine'];

// Velocity that meets hostile input: a non-JSON body read as JSON, undecodable escapes and base64.
const HOSTILE_TEMPLATE = `{"body": $input.json('$'), "path": "$input.path('$.a.b')", "decoded": "$util.urlDecode('%zz')", "b64": "$util.base64Decode('!!')", "q": "$util.escapeJavaScript($input.params('q'))", "all": "$input.params()", "parsed": "$util.parseJson($input.body)", "statusCode": 200}`;

interface Answer { status: number; head: string; body: string }

/** Sends raw bytes on a fresh socket; resolves with the first response (or status 0 when the server closes without one). */
function rawSend(bytes: Buffer | string, options: { endAfter?: boolean } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const socket = connect(env.fogbank.port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => { socket.destroy(); reject(new Error(`no answer to ${String(bytes).slice(0, 80)}`)); }, 10_000);
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      const text = Buffer.concat(chunks).toString('latin1');
      const headEnd = text.indexOf('\r\n\r\n');
      if (headEnd < 0) return;
      const head = text.slice(0, headEnd);
      const length = /content-length: *(\d+)/i.exec(head);
      const body = text.slice(headEnd + 4);
      if (/^HEAD /.test(String(bytes)) || (length && body.length >= Number(length[1])) || (!length && /transfer-encoding: *chunked/i.test(head) && body.endsWith('0\r\n\r\n')) || /^HTTP\/1\.1 (204|304)/.test(head)) {
        clearTimeout(timer);
        socket.destroy();
        resolve({ status: Number(head.split(' ')[1]), head, body });
      }
    });
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      const headEnd = text.indexOf('\r\n\r\n');
      resolve({ status: text ? Number(text.split(' ')[1]) : 0, head: text.slice(0, Math.max(headEnd, 0)), body: headEnd >= 0 ? text.slice(headEnd + 4) : '' });
    });
    socket.on('error', () => undefined);
    socket.write(bytes);
    if (options.endAfter) socket.end();
  });
}

function problem(a: Answer): string | undefined {
  if (/\n\s+at .+:\d+:\d+\)?/.test(a.body) || /node:internal|file:\/\//.test(a.body)) return 'stack trace in body';
  if (a.status >= 500) {
    if (![500, 502, 504].includes(a.status)) return `status ${a.status}`;
    // Function URLs answer a function error with a plain-text 502.
    if (a.status === 502 && a.body === 'Internal Server Error') return undefined;
    try {
      const parsed = JSON.parse(a.body) as { message?: unknown; Message?: unknown };
      if (typeof parsed.message !== 'string' && typeof parsed.Message !== 'string') return `5xx without message: ${a.body.slice(0, 100)}`;
    } catch {
      return `5xx body not JSON: ${a.body.slice(0, 100)}`;
    }
  }
  return undefined;
}

function request(method: string, host: string, path: string, headers: Record<string, string> = {}, body: string | Buffer = ''): Buffer {
  const lines = [`${method} ${path} HTTP/1.1`, `Host: ${host}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  if (body.length && !Object.keys(headers).some((k) => /content-length|transfer-encoding/i.test(k))) lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  return Buffer.concat([Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1'), Buffer.isBuffer(body) ? body : Buffer.from(body)]);
}

/** Every hostile request against one base (a host and a path prefix). */
function* hostile(host: string, prefix: string): Generator<[string, Buffer, { endAfter?: boolean }?]> {
  for (const method of ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'PROPFIND', 'TRACE']) yield [`method ${method}`, request(method, host, `${prefix}/fine`, {}, method === 'GET' || method === 'HEAD' ? '' : '{"a":1}')];
  for (const mode of MODES) yield [`mode ${mode}`, request('POST', host, `${prefix}/${mode}`, { 'content-type': 'application/json' }, 'not json {')];
  for (const path of ['/%00', '/%zz', '//', '/a//b', '/a/../../b', '/%2e%2e/%2e%2e', '/' + 'x'.repeat(8000), '/%C0%AF', '/%', '/\u00e9', '/a?' + Array.from({ length: 1000 }, (_, i) => `q${i}=${i}`).join('&'), '/a?q=%zz&q=%00&=&&q', '/a?q=' + 'y'.repeat(6000)]) {
    yield [`path ${path.slice(0, 30)}`, request('GET', host, `${prefix}${path}`)];
  }
  yield ['huge header', request('GET', host, `${prefix}/fine`, { 'x-big': 'h'.repeat(20_000) })];
  yield ['many headers', request('GET', host, `${prefix}/fine`, Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`x-h${i}`, String(i)])))];
  yield ['repeated headers', Buffer.from(`GET ${prefix}/fine HTTP/1.1\r\nHost: ${host}\r\nX-A: 1\r\nX-A: 2\r\nCookie: a=1\r\nCookie: b=2\r\nContent-Type: a\r\nContent-Type: b\r\n\r\n`)];
  yield ['binary body', request('POST', host, `${prefix}/fine`, { 'content-type': 'application/octet-stream' }, Buffer.from([0, 255, 254, 128, 10, 13, 0]))];
  yield ['binary as json', request('POST', host, `${prefix}/fine`, { 'content-type': 'application/json; charset=utf-8' }, Buffer.from([0xff, 0xfe, 0x81, 0x00]))];
  yield ['chunked', Buffer.from(`POST ${prefix}/fine HTTP/1.1\r\nHost: ${host}\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n3\r\n{"a\r\n4\r\n":1}\r\n0\r\n\r\n`)];
  yield ['bad chunked', Buffer.from(`POST ${prefix}/fine HTTP/1.1\r\nHost: ${host}\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nxx\r\n0\r\n\r\n`)];
  yield ['short body', Buffer.from(`POST ${prefix}/fine HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 100\r\n\r\n{"a":1}`), { endAfter: true }];
  yield ['bad content-length', Buffer.from(`POST ${prefix}/fine HTTP/1.1\r\nHost: ${host}\r\nContent-Length: -5\r\n\r\n{"a":1}`)];
  yield ['both lengths', Buffer.from(`POST ${prefix}/fine HTTP/1.1\r\nHost: ${host}\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`)];
  yield ['odd content types', request('POST', host, `${prefix}/fine`, { 'content-type': ';;;=', accept: '*/*;q=abc', 'content-encoding': 'gzip' }, 'not gzip')];
}

describe('Data-plane bad-input sweep', () => {
  it('answers every hostile request on REST, HTTP API and function URL data planes without a crash', async () => {
    const lambda = lambdaClient(env.endpoint);
    const fn = await createFunction(lambda, { files: { 'index.mjs': HANDLER } });
    const url = await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: fn.FunctionName, AuthType: 'NONE' }));
    const port = env.fogbank.port;

    // REST: /{proxy+} to the function, /mock and /http with hostile templates.
    const ag = apigwClient(env.endpoint);
    const api = await ag.send(new CreateRestApiCommand({ name: 'hostile', binaryMediaTypes: ['application/octet-stream'] }));
    const proxy = await ag.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: '{proxy+}' }));
    await ag.send(new PutMethodCommand({ restApiId: api.id, resourceId: proxy.id, httpMethod: 'ANY', authorizationType: 'NONE' }));
    await ag.send(new PutIntegrationCommand({ restApiId: api.id, resourceId: proxy.id, httpMethod: 'ANY', type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: lambdaUri(fn.FunctionArn!) }));
    for (const [part, type] of [['mock', 'MOCK'], ['http', 'HTTP']] as const) {
      const res = await ag.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: part }));
      const sub = await ag.send(new CreateResourceCommand({ restApiId: api.id, parentId: res.id, pathPart: '{p+}' }));
      for (const id of [res.id, sub.id]) {
        await ag.send(new PutMethodCommand({ restApiId: api.id, resourceId: id, httpMethod: 'ANY', authorizationType: 'NONE', requestParameters: { 'method.request.querystring.q': false } }));
        await ag.send(new PutIntegrationCommand({
          restApiId: api.id, resourceId: id, httpMethod: 'ANY', type,
          integrationHttpMethod: type === 'HTTP' ? 'POST' : undefined,
          uri: type === 'HTTP' ? `http://127.0.0.1:${port}/_fogbank/health` : undefined,
          requestParameters: type === 'HTTP' ? { 'integration.request.header.x-q': 'method.request.querystring.q' } : undefined,
          requestTemplates: { 'application/json': HOSTILE_TEMPLATE, 'text/plain': HOSTILE_TEMPLATE, 'application/octet-stream': HOSTILE_TEMPLATE },
        }));
        await ag.send(new PutMethodResponseCommand({ restApiId: api.id, resourceId: id, httpMethod: 'ANY', statusCode: '200' }));
        await ag.send(new PutIntegrationResponseCommand({ restApiId: api.id, resourceId: id, httpMethod: 'ANY', statusCode: '200', responseTemplates: { 'application/json': HOSTILE_TEMPLATE } }));
      }
    }
    await ag.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'dev' }));

    // HTTP API: payload 2.0 by default, 1.0 under /v1, and an HTTP proxy with parameter mapping under /map.
    const v2 = new ApiGatewayV2Client(clientConfig(env.endpoint));
    const http = await v2.send(new CreateApiCommand({ Name: 'hostile', ProtocolType: 'HTTP' }));
    const p2 = await v2.send(new CreateIntegrationCommand({ ApiId: http.ApiId, IntegrationType: 'AWS_PROXY', IntegrationUri: fn.FunctionArn, PayloadFormatVersion: '2.0' }));
    const p1 = await v2.send(new CreateIntegrationCommand({ ApiId: http.ApiId, IntegrationType: 'AWS_PROXY', IntegrationUri: fn.FunctionArn, PayloadFormatVersion: '1.0' }));
    const mapped = await v2.send(new CreateIntegrationCommand({
      ApiId: http.ApiId, IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'ANY', IntegrationUri: `http://127.0.0.1:${port}/_fogbank/health`, PayloadFormatVersion: '1.0',
      RequestParameters: { 'overwrite:header.x-q': '$request.querystring.q', 'append:querystring.z': '$request.header.x-missing', 'overwrite:path': '/_fogbank/$request.path.p' },
    }));
    await v2.send(new CreateRouteCommand({ ApiId: http.ApiId, RouteKey: '$default', Target: `integrations/${p2.IntegrationId}` }));
    await v2.send(new CreateRouteCommand({ ApiId: http.ApiId, RouteKey: 'ANY /v1/{proxy+}', Target: `integrations/${p1.IntegrationId}` }));
    await v2.send(new CreateRouteCommand({ ApiId: http.ApiId, RouteKey: 'ANY /map/{p+}', Target: `integrations/${mapped.IntegrationId}` }));
    await v2.send(new CreateStageCommand({ ApiId: http.ApiId, StageName: '$default', AutoDeploy: true }));

    const urlId = new URL(url.FunctionUrl!).hostname.split('.')[0]!;
    const restHost = `${api.id}.execute-api.localhost.localstack.cloud:${port}`;
    const httpHost = `${http.ApiId}.execute-api.localhost.localstack.cloud:${port}`;
    const bases: Array<[string, string, string]> = [
      ['rest host', restHost, '/dev'],
      ['rest path', `127.0.0.1:${port}`, `/restapis/${api.id}/dev/_user_request_`],
      ['rest mock', restHost, '/dev/mock'],
      ['rest http', restHost, '/dev/http'],
      ['http 2.0', httpHost, ''],
      ['http 1.0', httpHost, '/v1'],
      ['http mapped', httpHost, '/map'],
      ['function url', `127.0.0.1:${port}`, `/_aws/lambda-url/${urlId}`],
      ['function url host', `${urlId}.lambda-url.us-east-1.localhost.localstack.cloud:${port}`, ''],
    ];
    const failures: string[] = [];
    for (const [name, host, prefix] of bases) {
      for (const [variant, bytes, options] of hostile(host, prefix)) {
        let answer: Answer;
        try {
          answer = await rawSend(bytes, options);
        } catch (error) {
          failures.push(`${name} [${variant}]: ${(error as Error).message}`);
          continue;
        }
        // A HEAD answer carries no body to check.
        const wrong = /^HEAD /.test(String(bytes)) ? (answer.status > 0 && answer.status < 600 ? undefined : `status ${answer.status}`) : problem(answer);
        if (wrong) failures.push(`${name} [${variant}]: ${wrong}`);
      }
    }
    // The malformed answers that used to crash the response writer (a 500 "Internal error" in plain text).
    const rest = await rawSend(request('GET', restHost, '/dev/bad-header-value'));
    assert.equal(rest.status, 502);
    assert.deepEqual(JSON.parse(rest.body), { message: 'Internal server error' });
    for (const mode of ['cookies', 'bad-header-value']) {
      const v2answer = await rawSend(request('GET', httpHost, `/${mode}`));
      assert.equal(v2answer.status, 500, mode);
      assert.deepEqual(JSON.parse(v2answer.body), { message: 'Internal Server Error' });
    }
    for (const mode of ['bad-status', 'huge-status', 'cookies', 'bad-header-value']) {
      const fnUrl = await rawSend(request('GET', `127.0.0.1:${port}`, `/_aws/lambda-url/${urlId}/${mode}`));
      assert.equal(fnUrl.status, 502, mode);
    }
    const health = await rawRequest(env.endpoint, { path: '/_fogbank/health' });
    assert.equal(health.status, 200);
    assert.deepEqual(failures, []);
  });

  it('answers a template whose loops would run without bound with a 500, and keeps serving', async () => {
    const ag = apigwClient(env.endpoint);
    const api = await ag.send(new CreateRestApiCommand({ name: 'loops' }));
    const templates = {
      range: '#foreach($i in [1..100000000])#end{}',
      nested: '#foreach($i in [1..5000])#foreach($j in [1..5000])#end#end{}',
      fine: '#foreach($i in [1..1000])$i#end',
    };
    for (const [part, template] of Object.entries(templates)) {
      const res = await ag.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: part }));
      await ag.send(new PutMethodCommand({ restApiId: api.id, resourceId: res.id, httpMethod: 'GET', authorizationType: 'NONE' }));
      await ag.send(new PutIntegrationCommand({ restApiId: api.id, resourceId: res.id, httpMethod: 'GET', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
      await ag.send(new PutMethodResponseCommand({ restApiId: api.id, resourceId: res.id, httpMethod: 'GET', statusCode: '200' }));
      await ag.send(new PutIntegrationResponseCommand({ restApiId: api.id, resourceId: res.id, httpMethod: 'GET', statusCode: '200', responseTemplates: { 'application/json': template } }));
    }
    await ag.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'dev' }));
    for (const part of ['range', 'nested']) {
      const answer = await rawRequest(env.endpoint, { path: `/restapis/${api.id}/dev/_user_request_/${part}` });
      assert.equal(answer.status, 500, part);
      assert.deepEqual(JSON.parse(answer.body), { message: 'Internal server error' });
    }
    const fine = await rawRequest(env.endpoint, { path: `/restapis/${api.id}/dev/_user_request_/fine` });
    assert.equal(fine.status, 200);
    assert.ok(fine.body.startsWith('12345') && fine.body.endsWith('9991000'));
  });

  it('answers Lambda authorizers returning malformed results without a crash', async () => {
    // The token picks the authorizer's answer: null, a null statement, a policy that is a string.
    const auth = await createFunction(lambdaClient(env.endpoint), {
      files: {
        'index.mjs': `export const handler = async (event) => {
          const token = event.authorizationToken ?? event.headers?.authorization ?? event.identitySource?.[0];
          if (token === 'null') return null;
          if (token === 'null-statement') return { principalId: 'u', policyDocument: { Version: '2012-10-17', Statement: [null] } };
          if (token === 'string-policy') return { principalId: 'u', policyDocument: 'allow', context: 'not an object' };
          return { principalId: 'u', policyDocument: { Statement: [{ Action: 12, Effect: 'Allow', Resource: { a: 1 } }] } };
        };`,
      },
    });
    const backend = await createFunction(lambdaClient(env.endpoint), { files: { 'index.mjs': HANDLER } });
    const ag = apigwClient(env.endpoint);
    const api = await ag.send(new CreateRestApiCommand({ name: 'auth' }));
    const authorizer = await ag.send(new CreateAuthorizerCommand({ restApiId: api.id, name: 'a', type: 'TOKEN', authorizerUri: lambdaUri(auth.FunctionArn!), identitySource: 'method.request.header.Authorization', authorizerResultTtlInSeconds: 300 }));
    const r = await ag.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: 'fine' }));
    await ag.send(new PutMethodCommand({ restApiId: api.id, resourceId: r.id, httpMethod: 'GET', authorizationType: 'CUSTOM', authorizerId: authorizer.id }));
    await ag.send(new PutIntegrationCommand({ restApiId: api.id, resourceId: r.id, httpMethod: 'GET', type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: lambdaUri(backend.FunctionArn!) }));
    await ag.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'dev' }));

    const v2 = new ApiGatewayV2Client(clientConfig(env.endpoint));
    const http = await v2.send(new CreateApiCommand({ Name: 'auth', ProtocolType: 'HTTP' }));
    const v2auth = await v2.send(new CreateV2AuthorizerCommand({ ApiId: http.ApiId, Name: 'a', AuthorizerType: 'REQUEST', AuthorizerUri: lambdaUri(auth.FunctionArn!), IdentitySource: ['$request.header.Authorization'], AuthorizerPayloadFormatVersion: '2.0', AuthorizerResultTtlInSeconds: 300 }));
    const integration = await v2.send(new CreateIntegrationCommand({ ApiId: http.ApiId, IntegrationType: 'AWS_PROXY', IntegrationUri: backend.FunctionArn, PayloadFormatVersion: '2.0' }));
    await v2.send(new CreateRouteCommand({ ApiId: http.ApiId, RouteKey: 'GET /fine', Target: `integrations/${integration.IntegrationId}`, AuthorizationType: 'CUSTOM', AuthorizerId: v2auth.AuthorizerId }));
    await v2.send(new CreateStageCommand({ ApiId: http.ApiId, StageName: '$default', AutoDeploy: true }));

    for (const token of ['null', 'null-statement', 'string-policy', 'odd-types']) {
      const rest = await rawRequest(env.endpoint, { path: `/restapis/${api.id}/dev/_user_request_/fine`, headers: { authorization: token } });
      assert.ok([401, 403, 500].includes(rest.status), `REST ${token}: ${rest.status} ${rest.body}`);
      // An authorizer configuration error is AWS's 500 {"message": null}.
      assert.ok('message' in JSON.parse(rest.body) || 'Message' in JSON.parse(rest.body), `REST ${token}: ${rest.body}`);
      const port = env.fogbank.port;
      const answer = await rawRequest(env.endpoint, { path: '/fine', headers: { host: `${http.ApiId}.execute-api.localhost.localstack.cloud:${port}`, authorization: token } });
      assert.ok([401, 403, 500].includes(answer.status), `HTTP API ${token}: ${answer.status} ${answer.body}`);
      assert.equal(typeof JSON.parse(answer.body).message, 'string', `HTTP API ${token}: ${answer.body}`);
    }
    assert.equal((await rawRequest(env.endpoint, { path: '/_fogbank/health' })).status, 200);
  });

  it('rejects a body whose model pattern backtracks without end, instead of holding the server', async () => {
    const ag = apigwClient(env.endpoint);
    const api = await ag.send(new CreateRestApiCommand({ name: 'redos' }));
    const validator = await ag.send(new CreateRequestValidatorCommand({ restApiId: api.id, name: 'body', validateRequestBody: true }));
    await ag.send(new CreateModelCommand({ restApiId: api.id, name: 'Redos', contentType: 'application/json', schema: JSON.stringify({ type: 'object', properties: { a: { type: 'string', pattern: '^(a+)+$' } } }) }));
    const r = await ag.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: 'r' }));
    await ag.send(new PutMethodCommand({ restApiId: api.id, resourceId: r.id, httpMethod: 'POST', authorizationType: 'NONE', requestValidatorId: validator.id, requestModels: { 'application/json': 'Redos' } }));
    await ag.send(new PutIntegrationCommand({ restApiId: api.id, resourceId: r.id, httpMethod: 'POST', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
    await ag.send(new PutMethodResponseCommand({ restApiId: api.id, resourceId: r.id, httpMethod: 'POST', statusCode: '200' }));
    await ag.send(new PutIntegrationResponseCommand({ restApiId: api.id, resourceId: r.id, httpMethod: 'POST', statusCode: '200', responseTemplates: { 'application/json': '{"ok":true}' } }));
    await ag.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'dev' }));
    const post = (a: string) => rawRequest(env.endpoint, { method: 'POST', path: `/restapis/${api.id}/dev/_user_request_/r`, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ a }) });
    const hostileAnswer = await post('a'.repeat(40) + '!');
    assert.equal(hostileAnswer.status, 400);
    assert.equal(JSON.parse(hostileAnswer.body).message, 'Invalid request body');
    assert.equal((await post('aaaa')).status, 200);
    assert.equal((await post('aab')).status, 400);

    // The same for a TOKEN authorizer's identity validation expression: the token is refused (401).
    const fn = await createFunction(lambdaClient(env.endpoint), { files: { 'index.mjs': "export const handler = async () => ({ principalId: 'u', policyDocument: { Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: '*' }] } });" } });
    const authorizer = await ag.send(new CreateAuthorizerCommand({ restApiId: api.id, name: 'redos', type: 'TOKEN', authorizerUri: lambdaUri(fn.FunctionArn!), identitySource: 'method.request.header.Authorization', identityValidationExpression: '(a+)+' }));
    const g = await ag.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: 'g' }));
    await ag.send(new PutMethodCommand({ restApiId: api.id, resourceId: g.id, httpMethod: 'GET', authorizationType: 'CUSTOM', authorizerId: authorizer.id }));
    await ag.send(new PutIntegrationCommand({ restApiId: api.id, resourceId: g.id, httpMethod: 'GET', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
    await ag.send(new PutMethodResponseCommand({ restApiId: api.id, resourceId: g.id, httpMethod: 'GET', statusCode: '200' }));
    await ag.send(new PutIntegrationResponseCommand({ restApiId: api.id, resourceId: g.id, httpMethod: 'GET', statusCode: '200', responseTemplates: { 'application/json': '{"ok":true}' } }));
    await ag.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'dev' }));
    const get = (token: string) => rawRequest(env.endpoint, { path: `/restapis/${api.id}/dev/_user_request_/g`, headers: { authorization: token } });
    assert.equal((await get('a'.repeat(40) + '!')).status, 401);
    assert.equal((await get('a'.repeat(40))).status, 200);
  });
});
