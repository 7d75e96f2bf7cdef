import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateBasePathMappingCommand,
  CreateDeploymentCommand,
  CreateDomainNameCommand,
  CreateRestApiCommand,
  DeleteBasePathMappingCommand,
  DeleteDomainNameCommand,
  GetBasePathMappingCommand,
  GetBasePathMappingsCommand,
  GetDomainNameCommand,
  GetDomainNamesCommand,
  GetTagsCommand,
  PutIntegrationCommand,
  UntagResourceCommand,
  PutMethodCommand,
  UpdateBasePathMappingCommand,
  UpdateDomainNameCommand,
} from '@aws-sdk/client-api-gateway';
import {
  ApiGatewayV2Client,
  CreateApiCommand,
  CreateApiMappingCommand,
  CreateDomainNameCommand as CreateDomainNameV2Command,
  CreateStageCommand,
  DeleteApiMappingCommand,
  DeleteDomainNameCommand as DeleteDomainNameV2Command,
  GetApiMappingCommand,
  GetApiMappingsCommand,
  GetDomainNameCommand as GetDomainNameV2Command,
  GetDomainNamesCommand as GetDomainNamesV2Command,
  GetTagsCommand as GetTagsV2Command,
  TagResourceCommand as TagResourceV2Command,
  UpdateApiMappingCommand,
  UpdateDomainNameCommand as UpdateDomainNameV2Command,
} from '@aws-sdk/client-apigatewayv2';
import { boto3, clientConfig, hasBoto3, useFogbank } from '../support/fogbank.js';
import { expectAwsError } from '../support/errors.js';
import { apigwClient } from './support.js';

const env = useFogbank();
const rest = () => apigwClient(env.endpoint);
const v2 = () => new ApiGatewayV2Client(clientConfig(env.endpoint));
const CERT = 'arn:aws:acm:us-east-1:000000000000:certificate/11111111-2222-3333-4444-555555555555';

/** A REST API with a MOCK GET / deployed to `stage`. */
async function restApi(stage = 'dev'): Promise<string> {
  const api = await rest().send(new CreateRestApiCommand({ name: 'domains' }));
  await rest().send(new PutMethodCommand({ restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET', authorizationType: 'NONE' }));
  await rest().send(new PutIntegrationCommand({ restApiId: api.id, resourceId: api.rootResourceId, httpMethod: 'GET', type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
  await rest().send(new CreateDeploymentCommand({ restApiId: api.id, stageName: stage }));
  return api.id!;
}

describe('API Gateway custom domain names: control planes', () => {
  it('creates a REGIONAL name with AWS shape, visible through apigatewayv2 too', async () => {
    const created = await rest().send(new CreateDomainNameCommand({ domainName: 'api.example.com', regionalCertificateArn: CERT, endpointConfiguration: { types: ['REGIONAL'] }, securityPolicy: 'TLS_1_2', tags: { team: 'a' } }));
    assert.equal(created.$metadata.httpStatusCode, 201);
    assert.equal(created.domainName, 'api.example.com');
    assert.match(created.regionalDomainName!, /^d-[a-z0-9]{10}\.execute-api\.us-east-1\.amazonaws\.com$/);
    assert.equal(created.regionalHostedZoneId, 'Z1UJRXOUMOOFQ8');
    assert.equal(created.regionalCertificateArn, CERT);
    assert.equal(created.distributionDomainName, undefined);
    assert.deepEqual(created.endpointConfiguration, { types: ['REGIONAL'] });
    assert.equal(created.domainNameStatus, 'AVAILABLE');
    assert.equal(created.securityPolicy, 'TLS_1_2');
    assert.deepEqual(created.tags, { team: 'a' });
    assert.deepEqual(await rest().send(new GetDomainNameCommand({ domainName: 'api.example.com' })).then((d) => d.regionalDomainName), created.regionalDomainName);

    const seen = await v2().send(new GetDomainNameV2Command({ DomainName: 'api.example.com' }));
    assert.equal(seen.ApiMappingSelectionExpression, '$request.basepath');
    const [config] = seen.DomainNameConfigurations!;
    assert.equal(config!.ApiGatewayDomainName, created.regionalDomainName);
    assert.equal(config!.CertificateArn, CERT);
    assert.equal(config!.DomainNameStatus, 'AVAILABLE');
    assert.equal(config!.EndpointType, 'REGIONAL');
    assert.equal(config!.HostedZoneId, 'Z1UJRXOUMOOFQ8');
    assert.equal(config!.SecurityPolicy, 'TLS_1_2');

    await expectAwsError(rest().send(new CreateDomainNameCommand({ domainName: 'api.example.com', regionalCertificateArn: CERT, endpointConfiguration: { types: ['REGIONAL'] } })), {
      name: 'ConflictException',
      status: 409,
      message: 'The domain name you provided already exists.',
    });
    await expectAwsError(v2().send(new CreateDomainNameV2Command({ DomainName: 'api.example.com', DomainNameConfigurations: [{ CertificateArn: CERT }] })), { name: 'ConflictException', status: 409 });
    await rest().send(new DeleteDomainNameCommand({ domainName: 'api.example.com' }));
    await expectAwsError(rest().send(new GetDomainNameCommand({ domainName: 'api.example.com' })), { name: 'NotFoundException', status: 404, message: 'Invalid domain name identifier specified' });
  });

  it('creates an EDGE name with a CloudFront distribution, and updates it', async () => {
    const edge = await rest().send(new CreateDomainNameCommand({ domainName: 'edge.example.com', certificateArn: CERT }));
    assert.match(edge.distributionDomainName!, /^d[a-z0-9]{13}\.cloudfront\.net$/);
    assert.equal(edge.distributionHostedZoneId, 'Z2FDTNDATAQYW2');
    assert.deepEqual(edge.endpointConfiguration, { types: ['EDGE'] });
    assert.equal(edge.regionalDomainName, undefined);
    assert.ok(edge.certificateUploadDate instanceof Date);
    const updated = await rest().send(new UpdateDomainNameCommand({ domainName: 'edge.example.com', patchOperations: [{ op: 'replace', path: '/certificateName', value: 'renamed' }] }));
    assert.equal(updated.certificateName, 'renamed');
    await expectAwsError(rest().send(new UpdateDomainNameCommand({ domainName: 'edge.example.com', patchOperations: [{ op: 'replace', path: '/domainName', value: 'x' }] })), { name: 'BadRequestException', status: 400, message: 'Invalid patch path /domainName' });
    await expectAwsError(rest().send(new CreateDomainNameCommand({ domainName: 'p.example.com', certificateArn: CERT, endpointConfiguration: { types: ['PRIVATE'] } })), {
      name: 'BadRequestException',
      status: 400,
      message: 'Invalid EndpointTypes specified. Valid options are REGIONAL,EDGE',
    });
    await expectAwsError(rest().send(new CreateDomainNameCommand({ domainName: 'nocert.example.com', endpointConfiguration: { types: ['REGIONAL'] } })), { name: 'BadRequestException', status: 400 });
    await expectAwsError(rest().send(new UpdateDomainNameCommand({ domainName: 'edge.example.com', patchOperations: [{ op: 'replace', path: '/securityPolicy', value: 'TLS_9' }] })), { name: 'BadRequestException', status: 400 });
    const list = await rest().send(new GetDomainNamesCommand({}));
    assert.ok(list.items!.some((d) => d.domainName === 'edge.example.com'));
    await rest().send(new DeleteDomainNameCommand({ domainName: 'edge.example.com' }));
  });

  it('manages base path mappings with AWS errors', async () => {
    const apiId = await restApi();
    await rest().send(new CreateDomainNameCommand({ domainName: 'bp.example.com', regionalCertificateArn: CERT, endpointConfiguration: { types: ['REGIONAL'] } }));
    const m = await rest().send(new CreateBasePathMappingCommand({ domainName: 'bp.example.com', basePath: 'v1', restApiId: apiId, stage: 'dev' }));
    assert.equal(m.$metadata.httpStatusCode, 201);
    assert.deepEqual({ basePath: m.basePath, restApiId: m.restApiId, stage: m.stage }, { basePath: 'v1', restApiId: apiId, stage: 'dev' });
    await expectAwsError(rest().send(new CreateBasePathMappingCommand({ domainName: 'bp.example.com', basePath: 'v1', restApiId: apiId, stage: 'dev' })), {
      name: 'ConflictException',
      status: 409,
      message: 'Base path already exists for this domain name',
    });
    await expectAwsError(rest().send(new CreateBasePathMappingCommand({ domainName: 'bp.example.com', restApiId: apiId, stage: 'dev' })), {
      name: 'ConflictException',
      status: 409,
      message: 'Only one base path mapping is allowed if the base path is empty.',
    });
    await expectAwsError(rest().send(new CreateBasePathMappingCommand({ domainName: 'bp.example.com', basePath: 'v2', restApiId: 'nosuchapi0', stage: 'dev' })), { name: 'BadRequestException', status: 400, message: 'Invalid REST API identifier specified' });
    await expectAwsError(rest().send(new CreateBasePathMappingCommand({ domainName: 'bp.example.com', basePath: 'v2', restApiId: apiId, stage: 'nope' })), { name: 'BadRequestException', status: 400, message: 'Invalid stage identifier specified' });
    await expectAwsError(rest().send(new CreateBasePathMappingCommand({ domainName: 'missing.example.com', basePath: 'v2', restApiId: apiId, stage: 'dev' })), { name: 'NotFoundException', status: 404, message: 'Invalid domain name identifier specified' });
    await expectAwsError(rest().send(new GetBasePathMappingCommand({ domainName: 'bp.example.com', basePath: 'v9' })), { name: 'NotFoundException', status: 404, message: 'Invalid base path mapping identifier specified' });

    const moved = await rest().send(new UpdateBasePathMappingCommand({ domainName: 'bp.example.com', basePath: 'v1', patchOperations: [{ op: 'replace', path: '/basePath', value: 'v2' }] }));
    assert.equal(moved.basePath, 'v2');
    const all = await rest().send(new GetBasePathMappingsCommand({ domainName: 'bp.example.com' }));
    assert.deepEqual(all.items?.map((x) => x.basePath), ['v2']);
    // The same mapping through apigatewayv2: an API mapping with an id and a key.
    const mappings = await v2().send(new GetApiMappingsCommand({ DomainName: 'bp.example.com' }));
    assert.deepEqual(mappings.Items?.map((x) => [x.ApiMappingKey, x.ApiId, x.Stage]), [['v2', apiId, 'dev']]);
    await rest().send(new DeleteBasePathMappingCommand({ domainName: 'bp.example.com', basePath: 'v2' }));
    const root = await rest().send(new CreateBasePathMappingCommand({ domainName: 'bp.example.com', basePath: '(none)', restApiId: apiId, stage: 'dev' }));
    assert.equal(root.basePath, '(none)');
    assert.equal((await rest().send(new GetBasePathMappingCommand({ domainName: 'bp.example.com', basePath: '(none)' }))).restApiId, apiId);
    await rest().send(new DeleteDomainNameCommand({ domainName: 'bp.example.com' }));
    // The server still answers.
    assert.ok(Array.isArray((await rest().send(new GetDomainNamesCommand({}))).items));
  });

  it('manages HTTP API domain names and API mappings', async () => {
    const api = await v2().send(new CreateApiCommand({ Name: 'h', ProtocolType: 'HTTP' }));
    await v2().send(new CreateStageCommand({ ApiId: api.ApiId, StageName: 'prod' }));
    const d = await v2().send(new CreateDomainNameV2Command({ DomainName: 'http.example.com', DomainNameConfigurations: [{ CertificateArn: CERT, EndpointType: 'REGIONAL' }], Tags: { k: 'v' } }));
    assert.equal(d.$metadata.httpStatusCode, 201);
    assert.match(d.DomainNameConfigurations![0]!.ApiGatewayDomainName!, /^d-[a-z0-9]{10}\.execute-api\.us-east-1\.amazonaws\.com$/);
    assert.deepEqual(d.Tags, { k: 'v' });
    // Tags by the name's ARN, the same through both services.
    const arn = 'arn:aws:apigateway:us-east-1::/domainnames/http.example.com';
    await v2().send(new TagResourceV2Command({ ResourceArn: arn, Tags: { more: '1' } }));
    assert.deepEqual((await rest().send(new GetTagsCommand({ resourceArn: arn }))).tags, { k: 'v', more: '1' });
    await rest().send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['k'] }));
    assert.deepEqual((await v2().send(new GetTagsV2Command({ ResourceArn: arn }))).Tags, { more: '1' });
    await expectAwsError(rest().send(new GetTagsCommand({ resourceArn: 'arn:aws:apigateway:us-east-1::/domainnames/none.example.com' })), { name: 'NotFoundException', status: 404 });
    // Visible through apigateway, in its shape.
    const viaRest = await rest().send(new GetDomainNameCommand({ domainName: 'http.example.com' }));
    assert.equal(viaRest.regionalCertificateArn, CERT);
    assert.equal(viaRest.regionalDomainName, d.DomainNameConfigurations![0]!.ApiGatewayDomainName);

    const m = await v2().send(new CreateApiMappingCommand({ DomainName: 'http.example.com', ApiId: api.ApiId, Stage: 'prod', ApiMappingKey: 'orders/v1' }));
    assert.equal(m.$metadata.httpStatusCode, 201);
    assert.match(m.ApiMappingId!, /^[a-z0-9]+$/);
    assert.equal(m.ApiMappingKey, 'orders/v1');
    const got = await v2().send(new GetApiMappingCommand({ DomainName: 'http.example.com', ApiMappingId: m.ApiMappingId }));
    assert.deepEqual([got.ApiId, got.Stage, got.ApiMappingKey], [api.ApiId, 'prod', 'orders/v1']);
    await expectAwsError(v2().send(new CreateApiMappingCommand({ DomainName: 'http.example.com', ApiId: api.ApiId, Stage: 'prod', ApiMappingKey: 'orders/v1' })), {
      name: 'ConflictException',
      status: 409,
      message: 'ApiMapping key already exists for this domain name',
    });
    // HTTP APIs may mix a root mapping with keyed ones.
    const root = await v2().send(new CreateApiMappingCommand({ DomainName: 'http.example.com', ApiId: api.ApiId, Stage: 'prod' }));
    assert.equal(root.ApiMappingKey, '');
    await expectAwsError(v2().send(new CreateApiMappingCommand({ DomainName: 'http.example.com', ApiId: 'nosuchapi0', Stage: 'prod', ApiMappingKey: 'x' })), { name: 'NotFoundException', status: 404 });
    await expectAwsError(v2().send(new GetApiMappingCommand({ DomainName: 'http.example.com', ApiMappingId: 'nope' })), { name: 'NotFoundException', status: 404 });
    await expectAwsError(v2().send(new GetDomainNameV2Command({ DomainName: 'nope.example.com' })), { name: 'NotFoundException', status: 404, message: 'Invalid domain name identifier specified' });

    const moved = await v2().send(new UpdateApiMappingCommand({ DomainName: 'http.example.com', ApiMappingId: m.ApiMappingId, ApiId: api.ApiId, ApiMappingKey: 'orders/v2' }));
    assert.equal(moved.ApiMappingKey, 'orders/v2');
    const listed = await v2().send(new GetApiMappingsCommand({ DomainName: 'http.example.com' }));
    assert.deepEqual(listed.Items?.map((x) => x.ApiMappingKey).sort(), ['', 'orders/v2']);
    const updated = await v2().send(new UpdateDomainNameV2Command({ DomainName: 'http.example.com', DomainNameConfigurations: [{ CertificateArn: `${CERT}-2` }] }));
    assert.equal(updated.DomainNameConfigurations![0]!.CertificateArn, `${CERT}-2`);
    const names = await v2().send(new GetDomainNamesV2Command({}));
    assert.ok(names.Items!.some((x) => x.DomainName === 'http.example.com'));
    await v2().send(new DeleteApiMappingCommand({ DomainName: 'http.example.com', ApiMappingId: m.ApiMappingId }));
    await v2().send(new DeleteDomainNameV2Command({ DomainName: 'http.example.com' }));
    await expectAwsError(v2().send(new DeleteDomainNameV2Command({ DomainName: 'http.example.com' })), { name: 'NotFoundException', status: 404 });
  });

  it('answers boto3 as botocore expects', { skip: !hasBoto3 }, async () => {
    const apiId = await restApi('live');
    const out = (await boto3(
      env.endpoint,
      `import boto3, json
c = boto3.client('apigateway')
d = c.create_domain_name(domainName='boto.example.com', regionalCertificateArn='${CERT}', endpointConfiguration={'types': ['REGIONAL']})
c.create_base_path_mapping(domainName='boto.example.com', basePath='svc', restApiId='${apiId}', stage='live')
try:
    c.get_domain_name(domainName='absent.example.com')
    err = None
except c.exceptions.NotFoundException as e:
    err = e.response['Error']
print(json.dumps({'status': d['domainNameStatus'], 'mappings': c.get_base_path_mappings(domainName='boto.example.com')['items'], 'error': err}))`,
    )) as { status: string; mappings: unknown[]; error: { Code: string; Message: string } };
    assert.equal(out.status, 'AVAILABLE');
    assert.deepEqual(out.mappings, [{ basePath: 'svc', restApiId: apiId, stage: 'live' }]);
    assert.deepEqual(out.error, { Code: 'NotFoundException', Message: 'Invalid domain name identifier specified' });
  });
});
