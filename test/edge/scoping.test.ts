// State is scoped by account (from the access key) and region (from the signature scope).

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { CreateSecretCommand, GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { clientConfig, useFogbank } from '../support/fogbank.js';

const env = useFogbank();

it('keeps each account and region apart', async () => {
  const home = new SecretsManagerClient(clientConfig(env.endpoint, 'us-east-1'));
  const otherRegion = new SecretsManagerClient(clientConfig(env.endpoint, 'eu-west-1'));
  const otherAccount = new SecretsManagerClient(clientConfig(env.endpoint, 'us-east-1', { accessKeyId: '111122223333', secretAccessKey: 'x' }));

  const created = await home.send(new CreateSecretCommand({ Name: 'scoped', SecretString: 'home' }));
  assert.match(created.ARN!, /^arn:aws:secretsmanager:us-east-1:000000000000:secret:scoped-/);
  for (const client of [otherRegion, otherAccount]) {
    await assert.rejects(client.send(new GetSecretValueCommand({ SecretId: 'scoped' })), (e: Error) => e.name === 'ResourceNotFoundException');
  }
  const elsewhere = await otherAccount.send(new CreateSecretCommand({ Name: 'scoped', SecretString: 'away' }));
  assert.match(elsewhere.ARN!, /^arn:aws:secretsmanager:us-east-1:111122223333:secret:scoped-/);
  assert.equal((await home.send(new GetSecretValueCommand({ SecretId: 'scoped' }))).SecretString, 'home');
  assert.equal((await otherAccount.send(new GetSecretValueCommand({ SecretId: 'scoped' }))).SecretString, 'away');
});
