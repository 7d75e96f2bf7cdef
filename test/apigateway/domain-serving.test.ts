import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CreateBasePathMappingCommand, CreateDomainNameCommand, DeleteBasePathMappingCommand, DeleteDomainNameCommand } from '@aws-sdk/client-api-gateway';
import { ApiGatewayV2Client, CreateApiCommand, CreateApiMappingCommand, CreateDomainNameCommand as CreateDomainNameV2Command, CreateStageCommand } from '@aws-sdk/client-apigatewayv2';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { clientConfig } from '../support/fogbank.js';
import { rawRequest } from '../support/http.js';
import { createFunction, lambdaClient, useLambdaFogbank } from '../lambda/support.js';
import { apigwClient, proxyApi } from './support.js';

const env = useLambdaFogbank();
const rest = () => apigwClient(env.endpoint);
const v2 = () => new ApiGatewayV2Client(clientConfig(env.endpoint));
const CERT = 'arn:aws:acm:us-east-1:000000000000:certificate/11111111-2222-3333-4444-555555555555';

const ECHO = `export const handler = async (event) => ({ statusCode: 200, body: JSON.stringify(event) });`;

/** A request to Fogbank's port with a custom domain in the Host header. */
function onDomain(domain: string, path: string, init: { method?: string; body?: string } = {}) {
  return rawRequest(env.endpoint, { ...init, path, headers: { host: `${domain}:${new URL(env.endpoint).port}` } });
}

type V1Event = { path: string; resource: string; pathParameters: Record<string, string>; requestContext: { path: string; stage: string; domainName: string; domainPrefix: string } };
type V2Event = { rawPath: string; routeKey: string; requestContext: { domainName: string; domainPrefix: string; stage: string; http: { path: string } } };

describe('API Gateway custom domain names: serving', () => {
  it('routes REST base paths (longest first) to their stages, with AWS custom-domain events', async () => {
    const fn = await createFunction(lambdaClient(env.endpoint), { files: { 'index.mjs': ECHO } });
    const a = await proxyApi(rest(), fn.FunctionArn!, 'dev');
    const b = await proxyApi(rest(), fn.FunctionArn!, 'prod');
    await rest().send(new CreateDomainNameCommand({ domainName: 'api.example.com', regionalCertificateArn: CERT, endpointConfiguration: { types: ['REGIONAL'] } }));
    await rest().send(new CreateBasePathMappingCommand({ domainName: 'api.example.com', basePath: 'v1', restApiId: a.apiId, stage: 'dev' }));
    await rest().send(new CreateBasePathMappingCommand({ domainName: 'api.example.com', basePath: 'v1/admin', restApiId: b.apiId, stage: 'prod' }));

    const r = await onDomain('API.example.com', '/v1/items/7?x=1');
    assert.equal(r.status, 200, r.body);
    const event = JSON.parse(r.body) as V1Event;
    assert.equal(event.path, '/v1/items/7');
    assert.equal(event.resource, '/{proxy+}');
    assert.deepEqual(event.pathParameters, { proxy: 'items/7' });
    assert.equal(event.requestContext.path, '/v1/items/7');
    assert.equal(event.requestContext.stage, 'dev');
    assert.equal(event.requestContext.domainName, 'api.example.com');
    assert.equal(event.requestContext.domainPrefix, 'api');

    const admin = JSON.parse((await onDomain('api.example.com', '/v1/admin/users')).body) as V1Event;
    assert.equal(admin.requestContext.stage, 'prod');
    assert.deepEqual(admin.pathParameters, { proxy: 'users' });
    // "v1x" is not under "v1"; an unmapped path answers 403 Forbidden.
    const unmapped = await onDomain('api.example.com', '/v1x/items');
    assert.equal(unmapped.status, 403);
    assert.deepEqual(JSON.parse(unmapped.body), { message: 'Forbidden' });
    // Mapped, but the API has no such route: the API's own answer.
    const noRoute = await onDomain('api.example.com', '/v1');
    assert.equal(noRoute.status, 403);
    assert.deepEqual(JSON.parse(noRoute.body), { message: 'Missing Authentication Token' });

    // Deleting the mapping, then the name, stops serving them.
    await rest().send(new DeleteBasePathMappingCommand({ domainName: 'api.example.com', basePath: 'v1/admin' }));
    assert.equal((JSON.parse((await onDomain('api.example.com', '/v1/admin/users')).body) as V1Event).requestContext.stage, 'dev');
    await rest().send(new DeleteDomainNameCommand({ domainName: 'api.example.com' }));
    const gone = await onDomain('api.example.com', '/v1/items/7');
    assert.notEqual(gone.status, 200);
    assert.doesNotMatch(gone.body, /"requestContext"/);
  });

  it('serves a REST root mapping, and one without a stage by the path\'s first segment', async () => {
    const fn = await createFunction(lambdaClient(env.endpoint), { files: { 'index.mjs': ECHO } });
    const api = await proxyApi(rest(), fn.FunctionArn!, 'live');
    await rest().send(new CreateDomainNameCommand({ domainName: 'root.example.com', certificateArn: CERT }));
    await rest().send(new CreateBasePathMappingCommand({ domainName: 'root.example.com', restApiId: api.apiId, stage: 'live' }));
    const event = JSON.parse((await onDomain('root.example.com', '/hello')).body) as V1Event;
    assert.equal(event.path, '/hello');
    assert.equal(event.requestContext.stage, 'live');

    await rest().send(new CreateDomainNameCommand({ domainName: 'stages.example.com', certificateArn: CERT }));
    await rest().send(new CreateBasePathMappingCommand({ domainName: 'stages.example.com', basePath: 'svc', restApiId: api.apiId }));
    const staged = JSON.parse((await onDomain('stages.example.com', '/svc/live/things')).body) as V1Event;
    assert.equal(staged.requestContext.stage, 'live');
    assert.deepEqual(staged.pathParameters, { proxy: 'things' });
    assert.equal(staged.path, '/svc/live/things');
    const noStage = await onDomain('stages.example.com', '/svc/nope/things');
    assert.equal(noStage.status, 403);
  });

  it('routes HTTP API mappings by key, the root mapping taking the rest', async () => {
    const fn = await createFunction(lambdaClient(env.endpoint), { files: { 'index.mjs': ECHO } });
    const orders = await v2().send(new CreateApiCommand({ Name: 'orders', ProtocolType: 'HTTP', Target: fn.FunctionArn }));
    const site = await v2().send(new CreateApiCommand({ Name: 'site', ProtocolType: 'HTTP', Target: fn.FunctionArn }));
    await v2().send(new CreateStageCommand({ ApiId: site.ApiId, StageName: 'beta', AutoDeploy: true }));
    await v2().send(new CreateDomainNameV2Command({ DomainName: 'shop.example.com', DomainNameConfigurations: [{ CertificateArn: CERT }] }));
    await v2().send(new CreateApiMappingCommand({ DomainName: 'shop.example.com', ApiId: orders.ApiId, Stage: '$default', ApiMappingKey: 'orders/v1' }));
    await v2().send(new CreateApiMappingCommand({ DomainName: 'shop.example.com', ApiId: site.ApiId, Stage: 'beta' }));

    const r = await onDomain('shop.example.com', '/orders/v1/list', { method: 'POST', body: '{}' });
    assert.equal(r.status, 200, r.body);
    const event = JSON.parse(r.body) as V2Event;
    // As on AWS: the mapping key is not in rawPath.
    assert.equal(event.rawPath, '/list');
    assert.equal(event.routeKey, '$default');
    assert.equal(event.requestContext.domainName, 'shop.example.com');
    assert.equal(event.requestContext.domainPrefix, 'shop');

    const home = JSON.parse((await onDomain('shop.example.com', '/about')).body) as V2Event;
    assert.equal(home.requestContext.stage, 'beta');
    // A named stage's segment leads rawPath, as on its execute-api URL.
    assert.equal(home.rawPath, '/beta/about');
  });

  it('leaves hosts that are not configured names to S3', async () => {
    const s3 = new S3Client({ ...clientConfig(env.endpoint), forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: 'files.example.com' }));
    await rest().send(new CreateDomainNameCommand({ domainName: 'other.example.com', certificateArn: CERT }));
    const listed = await rawRequest(env.endpoint, { path: '/files.example.com', headers: { host: `files.example.com:${new URL(env.endpoint).port}` } });
    assert.equal(listed.status, 200, listed.body);
    assert.match(listed.body, /<ListBucketResult/);
    const virtual = await rawRequest(env.endpoint, { path: '/', headers: { host: `files.example.com.s3.localhost.localstack.cloud:${new URL(env.endpoint).port}` } });
    assert.equal(virtual.status, 200, virtual.body);
    assert.match(virtual.body, /<Name>files\.example\.com<\/Name>/);
  });
});
