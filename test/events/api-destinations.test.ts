import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import {
  CreateApiDestinationCommand,
  CreateConnectionCommand,
  DeauthorizeConnectionCommand,
  DeleteApiDestinationCommand,
  DeleteConnectionCommand,
  DescribeApiDestinationCommand,
  DescribeConnectionCommand,
  ListApiDestinationsCommand,
  ListConnectionsCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  UpdateApiDestinationCommand,
  UpdateConnectionCommand,
  type Target,
} from '@aws-sdk/client-eventbridge';
import { expectAwsError as expectError } from '../support/errors.js';
import { useFogbank } from '../support/fogbank.js';
import { ACCOUNT, eventsClient, eventually, httpEndpoint, unique } from './helpers.js';

const env = useFogbank();
const expectAwsError = (call: Promise<unknown>, name: string, message?: string) => expectError(call, { name, message });
const server = httpEndpoint((req) => (req.url.startsWith('/oauth/token') ? { status: 200, body: JSON.stringify({ access_token: 'tok-1', expires_in: 3600, token_type: 'Bearer' }) } : { status: 200 }));
after(async () => (await server).close());

async function route(source: string, target: Target) {
  const eb = eventsClient(env.endpoint);
  const name = unique('rule');
  await eb.send(new PutRuleCommand({ Name: name, EventPattern: JSON.stringify({ source: [source] }) }));
  await eb.send(new PutTargetsCommand({ Rule: name, Targets: [target] }));
  return eb;
}

describe('connections', () => {
  it('API_KEY and BASIC connections are AUTHORIZED; Describe shows no secrets; list, update, deauthorize, delete', async () => {
    const eb = eventsClient(env.endpoint);
    const name = unique('conn');
    const created = await eb.send(
      new CreateConnectionCommand({
        Name: name,
        Description: 'key',
        AuthorizationType: 'API_KEY',
        AuthParameters: {
          ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: 'secret-1' },
          InvocationHttpParameters: { HeaderParameters: [{ Key: 'x-team', Value: 'blue', IsValueSecret: false }, { Key: 'x-hidden', Value: 'h', IsValueSecret: true }] },
        },
      }),
    );
    assert.match(created.ConnectionArn!, new RegExp(`^arn:aws:events:us-east-1:${ACCOUNT}:connection/${name}/[0-9a-f-]{36}$`));
    assert.equal(created.ConnectionState, 'AUTHORIZED');
    const described = await eb.send(new DescribeConnectionCommand({ Name: name }));
    assert.equal(described.AuthorizationType, 'API_KEY');
    assert.deepEqual(described.AuthParameters!.ApiKeyAuthParameters, { ApiKeyName: 'x-api-key' });
    assert.deepEqual(described.AuthParameters!.InvocationHttpParameters!.HeaderParameters, [
      { Key: 'x-team', Value: 'blue', IsValueSecret: false },
      { Key: 'x-hidden', IsValueSecret: true },
    ]);
    assert.ok(described.LastAuthorizedTime instanceof Date);

    const listed = await eb.send(new ListConnectionsCommand({ NamePrefix: name }));
    assert.deepEqual(listed.Connections!.map((c) => [c.Name, c.ConnectionState, c.AuthorizationType]), [[name, 'AUTHORIZED', 'API_KEY']]);

    const updated = await eb.send(new UpdateConnectionCommand({ Name: name, AuthorizationType: 'BASIC', AuthParameters: { BasicAuthParameters: { Username: 'u', Password: 'p' } } }));
    assert.equal(updated.ConnectionState, 'AUTHORIZED');
    assert.deepEqual((await eb.send(new DescribeConnectionCommand({ Name: name }))).AuthParameters!.BasicAuthParameters, { Username: 'u' });

    assert.equal((await eb.send(new DeauthorizeConnectionCommand({ Name: name }))).ConnectionState, 'DEAUTHORIZING');
    assert.equal((await eb.send(new DescribeConnectionCommand({ Name: name }))).ConnectionState, 'DEAUTHORIZED');
    assert.equal((await eb.send(new DeleteConnectionCommand({ Name: name }))).ConnectionState, 'DELETING');
    await expectAwsError(eb.send(new DescribeConnectionCommand({ Name: name })), 'ResourceNotFoundException', `Failed to describe the connection(s). Connection '${name}' does not exist.`);
  });

  it('refuses duplicates and missing auth parameters; unknown connections are not found', async () => {
    const eb = eventsClient(env.endpoint);
    const name = unique('conn');
    const basic = { AuthorizationType: 'BASIC' as const, AuthParameters: { BasicAuthParameters: { Username: 'u', Password: 'p' } } };
    await eb.send(new CreateConnectionCommand({ Name: name, ...basic }));
    await expectAwsError(eb.send(new CreateConnectionCommand({ Name: name, ...basic })), 'ResourceAlreadyExistsException', `Connection ${name} already exists.`);
    await expectAwsError(eb.send(new CreateConnectionCommand({ Name: unique('c'), AuthorizationType: 'API_KEY', AuthParameters: {} })), 'ValidationException');
    await expectAwsError(eb.send(new UpdateConnectionCommand({ Name: 'nope' })), 'ResourceNotFoundException');
    await expectAwsError(eb.send(new CreateConnectionCommand({ Name: 'bad name!', ...basic })), 'ValidationException');
    assert.ok((await eb.send(new ListConnectionsCommand({}))).Connections!.length >= 1, 'the server still answers');
  });

  it('an OAuth connection is AUTHORIZING, then AUTHORIZED once the token endpoint answers', async () => {
    const eb = eventsClient(env.endpoint);
    const base = (await server).url;
    const name = unique('oauth');
    const created = await eb.send(
      new CreateConnectionCommand({
        Name: name,
        AuthorizationType: 'OAUTH_CLIENT_CREDENTIALS',
        AuthParameters: {
          OAuthParameters: {
            ClientParameters: { ClientID: 'client', ClientSecret: 'shh' },
            AuthorizationEndpoint: `${base}/oauth/token`,
            HttpMethod: 'POST',
            OAuthHttpParameters: { BodyParameters: [{ Key: 'grant_type', Value: 'client_credentials' }] },
          },
        },
      }),
    );
    assert.equal(created.ConnectionState, 'AUTHORIZING');
    const state = await eventually(async () => {
      const c = await eb.send(new DescribeConnectionCommand({ Name: name }));
      return c.ConnectionState === 'AUTHORIZING' ? undefined : c;
    }, 'the authorization');
    assert.equal(state.ConnectionState, 'AUTHORIZED');
    assert.deepEqual(state.AuthParameters!.OAuthParameters!.ClientParameters, { ClientID: 'client' });
    const tokenRequest = (await server).requests.find((r) => r.url === '/oauth/token')!;
    assert.equal(tokenRequest.headers.authorization, `Basic ${Buffer.from('client:shh').toString('base64')}`);
    assert.equal(tokenRequest.body, 'grant_type=client_credentials');
  });
});

describe('API destinations', () => {
  it('create, describe, list by connection, update and delete, with AWS errors', async () => {
    const eb = eventsClient(env.endpoint);
    const { ConnectionArn } = await eb.send(
      new CreateConnectionCommand({ Name: unique('conn'), AuthorizationType: 'BASIC', AuthParameters: { BasicAuthParameters: { Username: 'u', Password: 'p' } } }),
    );
    const name = unique('dest');
    const created = await eb.send(new CreateApiDestinationCommand({ Name: name, ConnectionArn, InvocationEndpoint: 'https://example.com/hook', HttpMethod: 'POST' }));
    assert.match(created.ApiDestinationArn!, new RegExp(`^arn:aws:events:us-east-1:${ACCOUNT}:api-destination/${name}/[0-9a-f-]{36}$`));
    assert.equal(created.ApiDestinationState, 'ACTIVE');
    const described = await eb.send(new DescribeApiDestinationCommand({ Name: name }));
    assert.deepEqual(
      [described.ConnectionArn, described.InvocationEndpoint, described.HttpMethod, described.InvocationRateLimitPerSecond],
      [ConnectionArn, 'https://example.com/hook', 'POST', 300],
    );
    assert.deepEqual((await eb.send(new ListApiDestinationsCommand({ ConnectionArn }))).ApiDestinations!.map((d) => d.Name), [name]);
    await eb.send(new UpdateApiDestinationCommand({ Name: name, HttpMethod: 'PUT', InvocationRateLimitPerSecond: 10 }));
    const updated = await eb.send(new DescribeApiDestinationCommand({ Name: name }));
    assert.deepEqual([updated.HttpMethod, updated.InvocationRateLimitPerSecond], ['PUT', 10]);
    await expectAwsError(
      eb.send(new CreateApiDestinationCommand({ Name: name, ConnectionArn, InvocationEndpoint: 'https://example.com/hook', HttpMethod: 'POST' })),
      'ResourceAlreadyExistsException',
      `An api-destination '${name}' already exists.`,
    );
    const ghost = `arn:aws:events:us-east-1:${ACCOUNT}:connection/ghost/00000000-0000-0000-0000-000000000000`;
    await expectAwsError(
      eb.send(new CreateApiDestinationCommand({ Name: unique('d'), ConnectionArn: ghost, InvocationEndpoint: 'https://example.com/', HttpMethod: 'POST' })),
      'ResourceNotFoundException',
      "Failed to describe the connection(s). Connection 'ghost' does not exist.",
    );
    await eb.send(new DeleteApiDestinationCommand({ Name: name }));
    await expectAwsError(
      eb.send(new DescribeApiDestinationCommand({ Name: name })),
      'ResourceNotFoundException',
      `Failed to describe the api-destination(s). An api-destination '${name}' does not exist.`,
    );
  });

  it('delivers the event over HTTP with path, header and query parameters and the API key', async () => {
    const eb = eventsClient(env.endpoint);
    const base = (await server).url;
    const { ConnectionArn } = await eb.send(
      new CreateConnectionCommand({
        Name: unique('conn'),
        AuthorizationType: 'API_KEY',
        AuthParameters: {
          ApiKeyAuthParameters: { ApiKeyName: 'X-Api-Key', ApiKeyValue: 'secret-key' },
          InvocationHttpParameters: { HeaderParameters: [{ Key: 'x-from-connection', Value: 'c' }], QueryStringParameters: [{ Key: 'team', Value: 'blue' }] },
        },
      }),
    );
    const { ApiDestinationArn } = await eb.send(
      new CreateApiDestinationCommand({ Name: unique('dest'), ConnectionArn, InvocationEndpoint: `${base}/orders/*/items/*`, HttpMethod: 'POST' }),
    );
    await route('http.test', {
      Id: 'api',
      Arn: ApiDestinationArn!,
      RoleArn: `arn:aws:iam::${ACCOUNT}:role/eb`,
      HttpParameters: { PathParameterValues: ['$.detail.orderId', 'fixed'], HeaderParameters: { 'x-order': '$.detail.orderId' }, QueryStringParameters: { mode: 'fast' } },
      InputTransformer: { InputPathsMap: { id: '$.detail.orderId' }, InputTemplate: '{"order": <id>}' },
    }).then((client) => client.send(new PutEventsCommand({ Entries: [{ Source: 'http.test', DetailType: 'Order', Detail: '{"orderId":"o 42"}' }] })));
    const request = (await server).requests.find((r) => r.url.startsWith('/orders/'));
    assert.ok(request, 'the endpoint was called before PutEvents answered');
    const url = new URL(request.url, base);
    assert.equal(url.pathname, '/orders/o%2042/items/fixed');
    assert.deepEqual(Object.fromEntries(url.searchParams), { team: 'blue', mode: 'fast' });
    assert.equal(request.method, 'POST');
    assert.equal(request.headers['x-api-key'], 'secret-key');
    assert.equal(request.headers['x-from-connection'], 'c');
    assert.equal(request.headers['x-order'], 'o 42');
    assert.equal(request.headers['content-type'], 'application/json; charset=utf-8');
    assert.deepEqual(JSON.parse(request.body), { order: 'o 42' });
  });

  it('BASIC and OAuth connections send their Authorization headers', async () => {
    const eb = eventsClient(env.endpoint);
    const base = (await server).url;
    const basic = await eb.send(
      new CreateConnectionCommand({ Name: unique('basic'), AuthorizationType: 'BASIC', AuthParameters: { BasicAuthParameters: { Username: 'user', Password: 'pw' } } }),
    );
    const oauthName = unique('oauth');
    const oauth = await eb.send(
      new CreateConnectionCommand({
        Name: oauthName,
        AuthorizationType: 'OAUTH_CLIENT_CREDENTIALS',
        AuthParameters: { OAuthParameters: { ClientParameters: { ClientID: 'c', ClientSecret: 's' }, AuthorizationEndpoint: `${base}/oauth/token`, HttpMethod: 'POST' } },
      }),
    );
    await eventually(async () => ((await eb.send(new DescribeConnectionCommand({ Name: oauthName }))).ConnectionState === 'AUTHORIZED' ? true : undefined));
    for (const [connection, path] of [
      [basic.ConnectionArn!, '/basic'],
      [oauth.ConnectionArn!, '/oauth-protected'],
    ] as const) {
      const { ApiDestinationArn } = await eb.send(new CreateApiDestinationCommand({ Name: unique('dest'), ConnectionArn: connection, InvocationEndpoint: `${base}${path}`, HttpMethod: 'PUT' }));
      const source = unique('auth');
      await (await route(source, { Id: 'api', Arn: ApiDestinationArn! })).send(new PutEventsCommand({ Entries: [{ Source: source, DetailType: 't', Detail: '{}' }] }));
    }
    const requests = (await server).requests;
    assert.equal(requests.find((r) => r.url === '/basic')!.headers.authorization, `Basic ${Buffer.from('user:pw').toString('base64')}`);
    assert.equal(requests.find((r) => r.url === '/oauth-protected')!.headers.authorization, 'Bearer tok-1');
    assert.equal(requests.find((r) => r.url === '/oauth-protected')!.method, 'PUT');
  });
});

describe('API destination input errors', () => {
  it('refuses endpoints that are not http(s) URLs and unknown destinations, and keeps answering', async () => {
    const eb = eventsClient(env.endpoint);
    const { ConnectionArn } = await eb.send(
      new CreateConnectionCommand({ Name: unique('conn'), AuthorizationType: 'BASIC', AuthParameters: { BasicAuthParameters: { Username: 'u', Password: 'p' } } }),
    );
    await expectAwsError(
      eb.send(new CreateApiDestinationCommand({ Name: unique('d'), ConnectionArn, InvocationEndpoint: 'ftp://example.com/x', HttpMethod: 'POST' })),
      'ValidationException',
      'Parameter InvocationEndpoint is not valid. Reason: ftp://example.com/x is not a valid URL.',
    );
    await expectAwsError(
      eb.send(new UpdateApiDestinationCommand({ Name: 'missing-dest', HttpMethod: 'GET' })),
      'ResourceNotFoundException',
      "Failed to describe the api-destination(s). An api-destination 'missing-dest' does not exist.",
    );
    await expectAwsError(eb.send(new DeleteConnectionCommand({ Name: 'missing-conn' })), 'ResourceNotFoundException', "Failed to describe the connection(s). Connection 'missing-conn' does not exist.");
    assert.ok(Array.isArray((await eb.send(new ListApiDestinationsCommand({}))).ApiDestinations), 'the server still answers');
  });
});
