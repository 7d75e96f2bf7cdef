import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { UpdateStageCommand, type APIGatewayClient } from '@aws-sdk/client-api-gateway';
import {
  ApiGatewayV2Client,
  CreateApiCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  CreateStageCommand,
  DeleteAccessLogSettingsCommand,
  GetStageCommand,
  UpdateStageCommand as UpdateStageV2Command,
} from '@aws-sdk/client-apigatewayv2';
import { CloudWatchLogsClient, CreateLogGroupCommand, DeleteLogGroupCommand, DescribeLogGroupsCommand, DescribeLogStreamsCommand, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { expectAwsError } from '../support/errors.js';
import { clientConfig, useFogbank } from '../support/fogbank.js';
import { apigwClient, invoke, mockApi } from './support.js';
import { createFunction, lambdaClient } from '../lambda/support.js';

const env = useFogbank();
const logs = () => new CloudWatchLogsClient(clientConfig(env.endpoint));
const v2 = () => new ApiGatewayV2Client(clientConfig(env.endpoint));

const JSON_FORMAT =
  '{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","requestTime":"$context.requestTime","requestTimeEpoch":"$context.requestTimeEpoch",' +
  '"httpMethod":"$context.httpMethod","resourcePath":"$context.resourcePath","path":"$context.path","status":"$context.status","protocol":"$context.protocol",' +
  '"responseLength":"$context.responseLength","stage":"$context.stage","apiId":"$context.apiId","error":"$context.error.message","extendedRequestId":"$context.extendedRequestId",' +
  '"integrationStatus":"$context.integrationStatus","integrationLatency":"$context.integration.latency"}';
const CLF_FORMAT = '$context.identity.sourceIp - - [$context.requestTime] "$context.httpMethod $context.resourcePath $context.protocol" $context.status $context.responseLength $context.requestId';
const HTTP_JSON_FORMAT =
  '{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","httpMethod":"$context.httpMethod","routeKey":"$context.routeKey","status":"$context.status",' +
  '"protocol":"$context.protocol","responseLength":"$context.responseLength","integrationStatus":"$context.integrationStatus","path":"$context.path","error":"$context.error.message","stage":"${context.stage}"}';
const HTTP_CLF_FORMAT = '$context.identity.sourceIp - - [$context.requestTime] "$context.httpMethod $context.routeKey $context.protocol" $context.status $context.responseLength $context.requestId';

async function logGroup(name: string): Promise<string> {
  await logs().send(new CreateLogGroupCommand({ logGroupName: name }));
  const { logGroups } = await logs().send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }));
  return logGroups![0]!.arn!.replace(/:\*$/, '');
}

async function lines(group: string): Promise<string[]> {
  const { events } = await logs().send(new FilterLogEventsCommand({ logGroupName: group }));
  return (events ?? []).map((e) => e.message!);
}

function setRestLogging(client: APIGatewayClient, apiId: string, destinationArn: string, format: string) {
  return client.send(
    new UpdateStageCommand({
      restApiId: apiId,
      stageName: 'dev',
      patchOperations: [
        { op: 'replace', path: '/accessLogSettings/destinationArn', value: destinationArn },
        { op: 'replace', path: '/accessLogSettings/format', value: format },
      ],
    }),
  );
}

let backend: Server;
let backendUrl = '';
before(async () => {
  backend = createServer((_req, res) => res.writeHead(201, { 'content-type': 'text/plain' }).end('created'));
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
  backendUrl = `http://127.0.0.1:${(backend.address() as { port: number }).port}`;
});
after(() => backend.close());

async function httpApi() {
  const client = v2();
  const { ApiId } = await client.send(new CreateApiCommand({ Name: 'logged', ProtocolType: 'HTTP' }));
  const integration = await client.send(new CreateIntegrationCommand({ ApiId, IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'ANY', IntegrationUri: backendUrl, PayloadFormatVersion: '1.0' }));
  await client.send(new CreateRouteCommand({ ApiId, RouteKey: 'GET /things', Target: `integrations/${integration.IntegrationId}` }));
  return { client, apiId: ApiId! };
}

describe('API Gateway access logs', () => {
  it('writes one line per REST API request in the JSON format, with $context values, to a per-stage stream', async () => {
    const client = apigwClient(env.endpoint);
    const { apiId } = await mockApi(client, ['/items']);
    // No settings: nothing is written anywhere (this is the file's first test: no group exists yet).
    await invoke(env.endpoint, 'host', apiId, 'dev', '/items');
    assert.deepEqual((await logs().send(new DescribeLogGroupsCommand({}))).logGroups, []);
    const arn = await logGroup('rest-access');
    const stage = await setRestLogging(client, apiId, arn, JSON_FORMAT);
    assert.deepEqual(stage.accessLogSettings, { destinationArn: arn, format: JSON_FORMAT });
    const ok = await invoke(env.endpoint, 'host', apiId, 'dev', '/items', { headers: { 'x-forwarded-for': '203.0.113.9' } });
    assert.equal(ok.status, 200);
    const missing = await invoke(env.endpoint, 'path', apiId, 'dev', '/nothing-here', { method: 'POST' });
    assert.equal(missing.status, 403);
    const written = (await lines('rest-access')).map((l) => JSON.parse(l) as Record<string, string>);
    assert.equal(written.length, 2);
    const [first, second] = written as [Record<string, string>, Record<string, string>];
    assert.equal(first.requestId, ok.headers['x-amzn-requestid']);
    assert.deepEqual(
      { ip: first.ip, httpMethod: first.httpMethod, resourcePath: first.resourcePath, path: first.path, status: first.status, protocol: first.protocol, stage: first.stage, apiId: first.apiId, error: first.error },
      { ip: '203.0.113.9', httpMethod: 'GET', resourcePath: '/items', path: '/dev/items', status: '200', protocol: 'HTTP/1.1', stage: 'dev', apiId, error: '-' },
    );
    assert.equal(first.responseLength, String(Buffer.byteLength(ok.body)));
    assert.match(first.requestTime, /^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    // REST APIs' requestTimeEpoch is in milliseconds, on Fogbank's clock.
    assert.ok(Math.abs(Number(first.requestTimeEpoch) - env.fogbank.clock.now()) < 60_000, first.requestTimeEpoch);
    assert.ok(first.extendedRequestId && first.extendedRequestId !== '-');
    // The MOCK integration answered 200, at once on Fogbank's clock.
    assert.equal(first.integrationStatus, '200');
    assert.match(first.integrationLatency!, /^\d+$/);
    // A route that does not exist is logged with the gateway's error and no resource path.
    assert.deepEqual([second.httpMethod, second.status, second.resourcePath, second.error, second.requestId], ['POST', '403', '-', 'Missing Authentication Token', missing.headers['x-amzn-requestid']]);
    assert.deepEqual([second.integrationStatus, second.integrationLatency], ['-', '-']);
    const { logStreams } = await logs().send(new DescribeLogStreamsCommand({ logGroupName: 'rest-access' }));
    assert.equal(logStreams!.length, 1);
    assert.match(logStreams![0]!.logStreamName!, /^[0-9a-f]{32}$/);
  });

  it('writes REST API lines in CLF and stops when the settings are removed', async () => {
    const client = apigwClient(env.endpoint);
    const { apiId } = await mockApi(client, ['/clf']);
    const arn = await logGroup('rest-clf');
    await setRestLogging(client, apiId, arn, CLF_FORMAT);
    const ok = await invoke(env.endpoint, 'host', apiId, 'dev', '/clf');
    const [line] = await lines('rest-clf');
    assert.match(line!, /^127\.0\.0\.1 - - \[\d{2}\/\w{3}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000\] "GET \/clf HTTP\/1\.1" 200 \d+ [0-9a-f-]{36}$/);
    assert.ok(line!.endsWith(String(ok.headers['x-amzn-requestid'])));
    await client.send(new UpdateStageCommand({ restApiId: apiId, stageName: 'dev', patchOperations: [{ op: 'remove', path: '/accessLogSettings' }] }));
    await invoke(env.endpoint, 'host', apiId, 'dev', '/clf');
    assert.equal((await lines('rest-clf')).length, 1);
  });

  it('writes HTTP API lines in JSON and CLF, with the route key and integration status', async () => {
    const { client, apiId } = await httpApi();
    const arn = await logGroup('http-access');
    const created = await client.send(new CreateStageCommand({ ApiId: apiId, StageName: 'dev', AutoDeploy: true, AccessLogSettings: { DestinationArn: arn, Format: HTTP_JSON_FORMAT } }));
    assert.deepEqual(created.AccessLogSettings, { DestinationArn: arn, Format: HTTP_JSON_FORMAT });
    const ok = await invoke(env.endpoint, 'path', apiId, 'dev', '/things');
    assert.equal(ok.status, 201);
    const notFound = await invoke(env.endpoint, 'host', apiId, 'dev', '/other');
    assert.equal(notFound.status, 404);
    const [first, second] = (await lines('http-access')).map((l) => JSON.parse(l) as Record<string, string>) as [Record<string, string>, Record<string, string>];
    assert.deepEqual(first, {
      requestId: ok.headers['apigw-requestid'],
      ip: '127.0.0.1',
      httpMethod: 'GET',
      routeKey: 'GET /things',
      status: '201',
      protocol: 'HTTP/1.1',
      responseLength: '7',
      integrationStatus: '201',
      path: '/dev/things',
      error: '-',
      stage: 'dev',
    });
    assert.deepEqual([second.status, second.routeKey, second.integrationStatus, second.error], ['404', '-', '-', 'Not Found']);

    await client.send(new UpdateStageV2Command({ ApiId: apiId, StageName: 'dev', AccessLogSettings: { DestinationArn: arn, Format: HTTP_CLF_FORMAT } }));
    const again = await invoke(env.endpoint, 'host', apiId, 'dev', '/things');
    const last = (await lines('http-access')).at(-1)!;
    assert.match(last, /^127\.0\.0\.1 - - \[[^\]]+\] "GET GET \/things HTTP\/1\.1" 201 7 \S+$/);
    assert.ok(last.endsWith(String(again.headers['apigw-requestid'])));

    await client.send(new DeleteAccessLogSettingsCommand({ ApiId: apiId, StageName: 'dev' }));
    assert.equal((await client.send(new GetStageCommand({ ApiId: apiId, StageName: 'dev' }))).AccessLogSettings, undefined);
    await invoke(env.endpoint, 'host', apiId, 'dev', '/things');
    assert.equal((await lines('http-access')).length, 3);
  });

  it("names the gateway's own 500 in HTTP API lines when the function fails", async () => {
    const client = v2();
    const fn = await createFunction(lambdaClient(env.endpoint), { files: { 'index.mjs': 'export const handler = async () => { throw new Error("boom"); };' } });
    const { ApiId } = await client.send(new CreateApiCommand({ Name: 'failing', ProtocolType: 'HTTP' }));
    const integration = await client.send(new CreateIntegrationCommand({ ApiId, IntegrationType: 'AWS_PROXY', IntegrationUri: fn.FunctionArn, PayloadFormatVersion: '2.0' }));
    await client.send(new CreateRouteCommand({ ApiId, RouteKey: 'GET /fail', Target: `integrations/${integration.IntegrationId}` }));
    const arn = await logGroup('http-access-failing');
    await client.send(new CreateStageCommand({ ApiId, StageName: 'dev', AutoDeploy: true, AccessLogSettings: { DestinationArn: arn, Format: HTTP_JSON_FORMAT } }));
    const failed = await invoke(env.endpoint, 'path', ApiId!, 'dev', '/fail');
    assert.equal(failed.status, 500);
    const [line] = (await lines('http-access-failing')).map((l) => JSON.parse(l) as Record<string, string>);
    assert.deepEqual([line!.status, line!.integrationStatus, line!.error], ['500', '200', 'Internal Server Error']);
  });

  it('drops lines for a group deleted after the settings were made, without recreating it', async () => {
    const { client, apiId } = await httpApi();
    const arn = await logGroup('http-gone');
    await client.send(new CreateStageCommand({ ApiId: apiId, StageName: 'dev', AutoDeploy: true, AccessLogSettings: { DestinationArn: arn, Format: HTTP_CLF_FORMAT } }));
    await logs().send(new DeleteLogGroupCommand({ logGroupName: 'http-gone' }));
    assert.equal((await invoke(env.endpoint, 'host', apiId, 'dev', '/things')).status, 201);
    const { logGroups } = await logs().send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'http-gone' }));
    assert.deepEqual(logGroups, []);
  });

  it('answers AWS errors for bad access log settings, and keeps serving', async () => {
    const client = apigwClient(env.endpoint);
    const { apiId } = await mockApi(client, ['/bad']);
    const arn = await logGroup('rest-bad');
    const refused = (arnValue: string, format: string, expected: { name: string; message: string | RegExp; status: number }) => expectAwsError(setRestLogging(client, apiId, arnValue, format), expected);
    await refused('not-an-arn', CLF_FORMAT, { name: 'BadRequestException', status: 400, message: "Invalid ARN specified in the request. ARNs must start with 'arn:': not-an-arn" });
    await refused('arn:aws:s3:::bucket', CLF_FORMAT, { name: 'BadRequestException', status: 400, message: /^Invalid ARN specified in the request\. The ARN must be a valid CloudWatch Logs/ });
    await refused(arn.replace('rest-bad', 'no-such-group'), CLF_FORMAT, { name: 'NotFoundException', status: 404, message: 'Cannot enable logging. LogDestination: no-such-group does not exist' });
    await refused(arn, '$context.status only', { name: 'BadRequestException', status: 400, message: "Access Log format must include either $context.requestId or $context.extendedRequestId : '$context.status only'" });
    await refused(arn, '$context.requestId\nsecond line', { name: 'BadRequestException', status: 400, message: /^Access Log format must be single line, new line character is allowed only at end of the format/ });
    assert.equal((await invoke(env.endpoint, 'host', apiId, 'dev', '/bad')).status, 200);
    // A REST format may name variables HTTP APIs do not know; unknown ones write "-".
    await setRestLogging(client, apiId, arn, '$context.requestId $context.no.such.thing ${context.httpMethod}');
    await invoke(env.endpoint, 'host', apiId, 'dev', '/bad');
    assert.match((await lines('rest-bad'))[0]!, /^[0-9a-f-]{36} - GET$/);

    const http = await httpApi();
    const httpRefused = (settings: { DestinationArn?: string; Format?: string }, expected: { name: string; message: string | RegExp; status: number }) =>
      expectAwsError(http.client.send(new CreateStageCommand({ ApiId: http.apiId, StageName: 'dev', AutoDeploy: true, AccessLogSettings: settings })), expected);
    await httpRefused({ DestinationArn: arn }, { name: 'BadRequestException', status: 400, message: 'Access Log value missing. Expected destinationArn and format.' });
    await httpRefused({ DestinationArn: arn, Format: '$context.requestId $context.bogus' }, { name: 'BadRequestException', status: 400, message: 'The following context variables are not supported: [$context.bogus]' });
    await httpRefused({ DestinationArn: arn, Format: '$context.status' }, { name: 'BadRequestException', status: 400, message: "The following errors are found in Access Log Format: Access Log format must include either $context.requestId or $context.extendedRequestId : '$context.status'" });
    await httpRefused({ DestinationArn: arn.replace('rest-bad', 'missing'), Format: HTTP_CLF_FORMAT }, { name: 'NotFoundException', status: 404, message: /^Cannot enable logging\. LogDestination: missing does not exist \(Service: AWSIngestionHub/ });
    await expectAwsError(http.client.send(new DeleteAccessLogSettingsCommand({ ApiId: http.apiId, StageName: 'nope' })), { name: 'NotFoundException', status: 404, message: 'Invalid stage identifier specified' });
    await http.client.send(new CreateStageCommand({ ApiId: http.apiId, StageName: 'dev', AutoDeploy: true }));
    assert.equal((await invoke(env.endpoint, 'host', http.apiId, 'dev', '/things')).status, 201);
  });
});
