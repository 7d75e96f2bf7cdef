// A connection's credentials live in a Secrets Manager secret it manages, as on AWS.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateConnectionCommand,
  DeauthorizeConnectionCommand,
  DeleteConnectionCommand,
  DescribeConnectionCommand,
  UpdateConnectionCommand,
} from '@aws-sdk/client-eventbridge';
import { CreateSecretCommand, GetSecretValueCommand, ListSecretsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { expectAwsError } from '../support/errors.js';
import { clientConfig, useFogbank } from '../support/fogbank.js';
import { ACCOUNT, eventsClient, unique } from './helpers.js';

const env = useFogbank();

async function secretValue(sm: SecretsManagerClient, secretArn: string) {
  return JSON.parse((await sm.send(new GetSecretValueCommand({ SecretId: secretArn }))).SecretString!);
}

describe('connection secrets', () => {
  it('CreateConnection makes the events!connection/<name>/<id> secret, updates rewrite it, DeleteConnection removes it', async () => {
    const eb = eventsClient(env.endpoint);
    const sm = new SecretsManagerClient(clientConfig(env.endpoint));
    const name = unique('conn');
    const { ConnectionArn } = await eb.send(
      new CreateConnectionCommand({
        Name: name,
        AuthorizationType: 'API_KEY',
        AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: 'first' }, InvocationHttpParameters: { HeaderParameters: [{ Key: 'x-team', Value: 'orders' }] } },
      }),
    );
    const id = ConnectionArn!.split('/').pop()!;
    const { SecretArn } = await eb.send(new DescribeConnectionCommand({ Name: name }));
    assert.match(SecretArn!, new RegExp(`^arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:events!connection/${name}/${id}-[A-Za-z0-9]{6}$`));
    const listed = await sm.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: [`events!connection/${name}/`] }] }));
    assert.deepEqual(listed.SecretList!.map((s) => s.Name), [`events!connection/${name}/${id}`]);
    assert.deepEqual(await secretValue(sm, SecretArn!), {
      api_key_name: 'x-api-key',
      api_key_value: 'first',
      invocation_http_parameters: { header_parameters: [{ key: 'x-team', value: 'orders' }] },
    });

    await eb.send(new UpdateConnectionCommand({ Name: name, AuthParameters: { ApiKeyAuthParameters: { ApiKeyValue: 'second' } } }));
    assert.equal((await secretValue(sm, SecretArn!)).api_key_value, 'second');
    await eb.send(new DeauthorizeConnectionCommand({ Name: name }));
    const deauthorized = await secretValue(sm, SecretArn!);
    assert.equal(deauthorized.api_key_name, 'x-api-key');
    assert.equal(deauthorized.api_key_value, undefined, 'deauthorizing drops the credentials from the secret');

    await eb.send(new DeleteConnectionCommand({ Name: name }));
    await expectAwsError(sm.send(new GetSecretValueCommand({ SecretId: SecretArn })), { name: 'ResourceNotFoundException' });
  });

  it('BASIC and OAuth connections keep their credentials in the secret too', async () => {
    const eb = eventsClient(env.endpoint);
    const sm = new SecretsManagerClient(clientConfig(env.endpoint));
    const basic = unique('basic');
    await eb.send(new CreateConnectionCommand({ Name: basic, AuthorizationType: 'BASIC', AuthParameters: { BasicAuthParameters: { Username: 'u', Password: 'p' } } }));
    const basicSecret = (await eb.send(new DescribeConnectionCommand({ Name: basic }))).SecretArn!;
    assert.deepEqual(await secretValue(sm, basicSecret), { username: 'u', password: 'p' });
    const oauth = unique('oauth');
    await eb.send(
      new CreateConnectionCommand({
        Name: oauth,
        AuthorizationType: 'OAUTH_CLIENT_CREDENTIALS',
        AuthParameters: {
          OAuthParameters: {
            AuthorizationEndpoint: 'http://127.0.0.1:9/token',
            HttpMethod: 'POST',
            ClientParameters: { ClientID: 'id', ClientSecret: 'shh' },
            OAuthHttpParameters: { BodyParameters: [{ Key: 'scope', Value: 'all' }] },
          },
        },
      }),
    );
    const oauthSecret = (await eb.send(new DescribeConnectionCommand({ Name: oauth }))).SecretArn!;
    assert.deepEqual(await secretValue(sm, oauthSecret), {
      authorization_endpoint: 'http://127.0.0.1:9/token',
      http_method: 'POST',
      client_id: 'id',
      client_secret: 'shh',
      oauth_http_parameters: { body_parameters: [{ key: 'scope', value: 'all' }] },
    });
  });

  it("Secrets Manager's own name rules are unchanged for users", async () => {
    const sm = new SecretsManagerClient(clientConfig(env.endpoint));
    await expectAwsError(sm.send(new CreateSecretCommand({ Name: 'no spaces allowed', SecretString: 'x' })), { name: 'ValidationException' });
    const made = await sm.send(new CreateSecretCommand({ Name: `mine!${unique('s')}`, SecretString: 'x' }));
    assert.ok(made.ARN, "'!' is a character AWS allows in any secret name");
  });
});
