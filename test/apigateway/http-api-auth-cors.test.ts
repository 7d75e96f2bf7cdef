import assert from 'node:assert/strict';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import {
  ApiGatewayV2Client,
  CreateApiCommand,
  CreateAuthorizerCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  DeleteRouteCommand,
  DeleteStageCommand,
  GetIntegrationsCommand,
  GetRouteCommand,
  GetRoutesCommand,
  GetStageCommand,
  UpdateApiCommand,
  UpdateRouteCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-apigatewayv2';
import { clientConfig } from '../support/fogbank.js';
import { expectAwsError } from '../support/errors.js';
import { rawRequest } from '../support/http.js';
import { createFunction, lambdaClient, useLambdaFogbank } from '../lambda/support.js';

const env = useLambdaFogbank();
const v2 = () => new ApiGatewayV2Client(clientConfig(env.endpoint));

const ECHO = `export const handler = async (event) => ({ statusCode: 200, headers: { 'access-control-allow-origin': 'https://ignored.example' }, body: JSON.stringify({ authorizer: event.requestContext.authorizer ?? null, routeKey: event.routeKey }) });`;

function get(apiId: string, path: string, headers: Record<string, string> = {}, method = 'GET') {
  const port = new URL(env.endpoint).port;
  return rawRequest(env.endpoint, { method, path, headers: { host: `${apiId}.execute-api.localhost.localstack.cloud:${port}`, ...headers } });
}

/** An issuer the test serves: its discovery document and JWKS over HTTP, and tokens it signs. */
let issuerServer: Server;
let issuer = '';
let privateKey: KeyObject;
before(async () => {
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  privateKey = pair.privateKey;
  const jwk = { ...pair.publicKey.export({ format: 'jwk' }), kid: 'key-1', alg: 'RS256', use: 'sig' };
  issuerServer = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/.well-known/openid-configuration') res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/keys.json` }));
    else if (req.url === '/keys.json' || req.url === '/plain/.well-known/jwks.json') res.end(JSON.stringify({ keys: [jwk] }));
    else res.writeHead(404).end('{}');
  });
  await new Promise<void>((resolve) => issuerServer.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(issuerServer.address() as { port: number }).port}`;
});
after(() => issuerServer.close());

function token(claims: Record<string, unknown>, key = privateKey, kid = 'key-1'): string {
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const signed = `${part({ alg: 'RS256', typ: 'JWT', kid })}.${part(claims)}`;
  return `${signed}.${sign('sha256', Buffer.from(signed), key).toString('base64url')}`;
}

describe('HTTP API authorizers (JWT, Lambda) and CORS configuration', () => {
  it('verifies JWTs against the issuer keys: signature, issuer, audience, expiry and scopes', async () => {
    const fn = await createFunction(lambdaClient(env.endpoint), { files: { 'index.mjs': ECHO } });
    const client = v2();
    const api = await client.send(new CreateApiCommand({ Name: 'jwt', ProtocolType: 'HTTP', Target: fn.FunctionArn, RouteKey: 'GET /open' }));
    const integrationId = (await client.send(new GetIntegrationsCommand({ ApiId: api.ApiId }))).Items![0]!.IntegrationId;
    const authorizer = await client.send(
      new CreateAuthorizerCommand({ ApiId: api.ApiId, Name: 'jwt', AuthorizerType: 'JWT', IdentitySource: ['$request.header.Authorization'], JwtConfiguration: { Issuer: issuer, Audience: ['my-app'] } }),
    );
    await client.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /private', Target: `integrations/${integrationId}`, AuthorizationType: 'JWT', AuthorizerId: authorizer.AuthorizerId }));
    await client.send(
      new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /admin', Target: `integrations/${integrationId}`, AuthorizationType: 'JWT', AuthorizerId: authorizer.AuthorizerId, AuthorizationScopes: ['admin'] }),
    );
    const now = Math.floor(Date.now() / 1000);
    const good = { iss: issuer, aud: 'my-app', sub: 'user-1', exp: now + 600, scope: 'read write' };

    assert.equal((await get(api.ApiId!, '/open')).status, 200);
    const missing = await get(api.ApiId!, '/private');
    assert.equal(missing.status, 401);
    assert.deepEqual(JSON.parse(missing.body), { message: 'Unauthorized' });
    const ok = await get(api.ApiId!, '/private', { authorization: `Bearer ${token(good)}` });
    assert.equal(ok.status, 200, ok.body);
    assert.deepEqual(JSON.parse(ok.body).authorizer.jwt, { claims: { iss: issuer, aud: 'my-app', sub: 'user-1', exp: String(good.exp), scope: 'read write' }, scopes: ['read', 'write'] });

    const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    for (const [bad, why] of [
      [token(good, otherKey), /signature is invalid/],
      [token({ ...good, iss: 'https://elsewhere' }), /invalid issuer/],
      [token({ ...good, aud: 'other-app' }), /valid audience/],
      [token({ ...good, exp: now - 10 }), /the token has expired/],
      ['not.a.jwt', /malformed/],
    ] as const) {
      const res = await get(api.ApiId!, '/private', { authorization: bad });
      assert.equal(res.status, 401, String(why));
      assert.deepEqual(JSON.parse(res.body), { message: 'Unauthorized' });
      assert.match(String(res.headers['www-authenticate']), why);
    }
    // client_id stands in for aud (Cognito access tokens).
    const { aud: _aud, ...noAud } = good;
    assert.equal((await get(api.ApiId!, '/private', { authorization: token({ ...noAud, client_id: 'my-app' }) })).status, 200);
    // Scopes: the route asks for admin.
    const forbidden = await get(api.ApiId!, '/admin', { authorization: token(good) });
    assert.equal(forbidden.status, 403);
    assert.deepEqual(JSON.parse(forbidden.body), { message: 'Forbidden' });
    assert.equal((await get(api.ApiId!, '/admin', { authorization: token({ ...good, scope: 'admin' }) })).status, 200);
    // An issuer without a discovery document: its /.well-known/jwks.json.
    const plain = await client.send(
      new CreateAuthorizerCommand({ ApiId: api.ApiId, Name: 'plain', AuthorizerType: 'JWT', IdentitySource: ['$request.header.Authorization'], JwtConfiguration: { Issuer: `${issuer}/plain`, Audience: ['my-app'] } }),
    );
    await client.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'GET /plain', Target: `integrations/${integrationId}`, AuthorizationType: 'JWT', AuthorizerId: plain.AuthorizerId }));
    assert.equal((await get(api.ApiId!, '/plain', { authorization: token({ ...good, iss: `${issuer}/plain` }) })).status, 200);
    // Expiry is checked on Fogbank's clock.
    env.fogbank.advanceClock(3_600_000);
    assert.equal((await get(api.ApiId!, '/private', { authorization: token(good) })).status, 401);
  });

  it('runs Lambda authorizers with simple responses, allowing and denying', async () => {
    const lambda = lambdaClient(env.endpoint);
    const fn = await createFunction(lambda, { files: { 'index.mjs': ECHO } });
    const auth = await createFunction(lambda, {
      files: {
        'index.mjs': `export const handler = async (event) => {
          if (event.headers.authorization === 'crash') throw new Error('boom');
          return { isAuthorized: event.identitySource[0] === 'letmein' && event.type === 'REQUEST' && event.version === '2.0', context: { user: 'u1', route: event.routeArn } };
        };`,
      },
    });
    const client = v2();
    const api = await client.send(new CreateApiCommand({ Name: 'lambda-auth', ProtocolType: 'HTTP', Target: fn.FunctionArn }));
    const authorizer = await client.send(
      new CreateAuthorizerCommand({
        ApiId: api.ApiId,
        Name: 'simple',
        AuthorizerType: 'REQUEST',
        AuthorizerUri: `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${auth.FunctionArn}/invocations`,
        AuthorizerPayloadFormatVersion: '2.0',
        EnableSimpleResponses: true,
        IdentitySource: ['$request.header.Authorization'],
      }),
    );
    const route = (await client.send(new GetRoutesCommand({ ApiId: api.ApiId }))).Items![0]!;
    await expectAwsError(client.send(new UpdateRouteCommand({ ApiId: api.ApiId, RouteId: route.RouteId, AuthorizationType: 'CUSTOM', AuthorizerId: 'nosuch' })), {
      name: 'NotFoundException',
      status: 404,
      message: 'Invalid Authorizer identifier specified nosuch',
    });
    await client.send(new UpdateRouteCommand({ ApiId: api.ApiId, RouteId: route.RouteId, AuthorizationType: 'CUSTOM', AuthorizerId: authorizer.AuthorizerId }));
    assert.equal((await client.send(new GetRouteCommand({ ApiId: api.ApiId, RouteId: route.RouteId }))).AuthorizerId, authorizer.AuthorizerId);

    assert.equal((await get(api.ApiId!, '/anything')).status, 401);
    const denied = await get(api.ApiId!, '/anything', { authorization: 'wrong' });
    assert.equal(denied.status, 403);
    assert.deepEqual(JSON.parse(denied.body), { message: 'Forbidden' });
    const crashed = await get(api.ApiId!, '/anything', { authorization: 'crash' });
    assert.equal(crashed.status, 500);
    const allowed = await get(api.ApiId!, '/anything', { authorization: 'letmein' });
    assert.equal(allowed.status, 200, allowed.body);
    const lambdaContext = JSON.parse(allowed.body).authorizer.lambda;
    assert.equal(lambdaContext.user, 'u1');
    assert.match(lambdaContext.route, new RegExp(`:${api.ApiId}/\\$default/\\$default$`));
  });

  it('answers CORS preflights from the configuration and adds its headers to answers', async () => {
    const fn = await createFunction(lambdaClient(env.endpoint), { files: { 'index.mjs': ECHO } });
    const client = v2();
    const api = await client.send(
      new CreateApiCommand({
        Name: 'cors',
        ProtocolType: 'HTTP',
        Target: fn.FunctionArn,
        RouteKey: 'GET /items',
        CorsConfiguration: { AllowOrigins: ['https://app.example'], AllowMethods: ['GET', 'POST'], AllowHeaders: ['content-type', 'authorization'], ExposeHeaders: ['x-total'], MaxAge: 300 },
      }),
    );
    assert.deepEqual(api.CorsConfiguration?.AllowOrigins, ['https://app.example']);
    const preflight = await get(api.ApiId!, '/items', { origin: 'https://app.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'Content-Type' }, 'OPTIONS');
    assert.equal(preflight.status, 204, JSON.stringify(preflight));
    assert.equal(preflight.headers['access-control-allow-origin'], 'https://app.example');
    assert.equal(preflight.headers['access-control-allow-methods'], 'GET,POST');
    assert.equal(preflight.headers['access-control-allow-headers'], 'content-type,authorization');
    assert.equal(preflight.headers['access-control-max-age'], '300');
    const otherOrigin = await get(api.ApiId!, '/items', { origin: 'https://evil.example', 'access-control-request-method': 'GET' }, 'OPTIONS');
    assert.equal(otherOrigin.status, 204);
    assert.equal(otherOrigin.headers['access-control-allow-origin'], undefined);

    const answer = await get(api.ApiId!, '/items', { origin: 'https://app.example' });
    assert.equal(answer.status, 200);
    assert.equal(answer.headers['access-control-allow-origin'], 'https://app.example');
    assert.equal(answer.headers['access-control-expose-headers'], 'x-total');

    await client.send(new UpdateApiCommand({ ApiId: api.ApiId, CorsConfiguration: { AllowOrigins: ['*'], AllowMethods: ['*'] } }));
    const wildcard = await get(api.ApiId!, '/items', { origin: 'https://any.example', 'access-control-request-method': 'DELETE' }, 'OPTIONS');
    assert.equal(wildcard.headers['access-control-allow-origin'], '*');
  });

  it('reads, updates and deletes routes and stages, with AWS errors for unknown ones', async () => {
    const fn = await createFunction(lambdaClient(env.endpoint), { files: { 'index.mjs': ECHO } });
    const client = v2();
    const api = await client.send(new CreateApiCommand({ Name: 'crud', ProtocolType: 'HTTP', Target: fn.FunctionArn }));
    const stage = await client.send(new UpdateStageCommand({ ApiId: api.ApiId, StageName: '$default', StageVariables: { env: 'dev' }, Description: 'd' }));
    assert.deepEqual(stage.StageVariables, { env: 'dev' });
    assert.equal((await client.send(new GetStageCommand({ ApiId: api.ApiId, StageName: '$default' }))).Description, 'd');
    const route = (await client.send(new GetRoutesCommand({ ApiId: api.ApiId }))).Items![0]!;
    await client.send(new DeleteRouteCommand({ ApiId: api.ApiId, RouteId: route.RouteId }));
    await expectAwsError(client.send(new GetRouteCommand({ ApiId: api.ApiId, RouteId: route.RouteId })), { name: 'NotFoundException', status: 404, message: `Invalid Route identifier specified ${route.RouteId}` });
    // With no route left, the automatic deployment fails and the stage keeps serving its last deployment.
    assert.equal((await get(api.ApiId!, '/x')).status, 200);
    const failed = await client.send(new GetStageCommand({ ApiId: api.ApiId, StageName: '$default' }));
    assert.equal(failed.LastDeploymentStatusMessage, 'Deployment attempt failed: Unable to deploy API because no routes exist in this API');
    await client.send(new DeleteStageCommand({ ApiId: api.ApiId, StageName: '$default' }));
    await expectAwsError(client.send(new GetStageCommand({ ApiId: api.ApiId, StageName: '$default' })), { name: 'NotFoundException', status: 404, message: 'Invalid stage identifier specified' });
  });

  it('passes requests through an HTTP_PROXY integration to a real endpoint', async () => {
    const backend = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c));
      req.on('end', () => res.writeHead(202, { 'content-type': 'application/json', 'x-up': '1' }).end(JSON.stringify({ method: req.method, url: req.url, body, custom: req.headers['x-custom'] })));
    });
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
    try {
      const client = v2();
      const api = await client.send(new CreateApiCommand({ Name: 'proxy', ProtocolType: 'HTTP' }));
      const port = (backend.address() as { port: number }).port;
      const integration = await client.send(new CreateIntegrationCommand({ ApiId: api.ApiId, IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'ANY', IntegrationUri: `http://127.0.0.1:${port}/up/{proxy}` }));
      assert.equal(integration.PayloadFormatVersion, '1.0');
      await client.send(new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: 'ANY /svc/{proxy+}', Target: `integrations/${integration.IntegrationId}` }));
      const { CreateStageCommand } = await import('@aws-sdk/client-apigatewayv2');
      await client.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: '$default', AutoDeploy: true }));
      const host = `${api.ApiId}.execute-api.localhost.localstack.cloud:${new URL(env.endpoint).port}`;
      const res = await rawRequest(env.endpoint, { method: 'PUT', path: '/svc/a/b?q=1', body: 'hello', headers: { host, 'x-custom': 'v', 'content-type': 'text/plain' } });
      assert.equal(res.status, 202, res.body);
      assert.equal(res.headers['x-up'], '1');
      assert.deepEqual(JSON.parse(res.body), { method: 'PUT', url: '/up/a/b?q=1', body: 'hello', custom: 'v' });
    } finally {
      backend.close();
    }
  });
});
