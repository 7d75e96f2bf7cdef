import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CreateSecretCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, GetParameterHistoryCommand, GetParametersCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { clientConfig, useFogbank } from '../support/fogbank.js';
import { rejectsWith, ssmClient, stillServes } from './helpers.js';

const env = useFogbank();
const PREFIX = '/aws/reference/secretsmanager/';

describe('SSM references to Secrets Manager secrets', () => {
  it('requires WithDecryption, before looking the secret up', async () => {
    const ssm = ssmClient(env.endpoint);
    const message = 'WithDecryption flag must be True for retrieving a Secret Manager secret.';
    await rejectsWith(ssm.send(new GetParameterCommand({ Name: `${PREFIX}anything` })), 'ValidationException', message);
    await rejectsWith(ssm.send(new GetParameterCommand({ Name: `${PREFIX}anything`, WithDecryption: false })), 'ValidationException', message);
    await rejectsWith(ssm.send(new GetParametersCommand({ Names: ['/plain', `${PREFIX}anything`] })), 'ValidationException', message);
    await stillServes(ssm);
  });

  it('reads the current secret value, a stage, or a version id through GetParameter', async () => {
    const sm = new SecretsManagerClient(clientConfig(env.endpoint));
    const ssm = ssmClient(env.endpoint);
    const created = await sm.send(new CreateSecretCommand({ Name: 'app/db-password', SecretString: 'first' }));
    await sm.send(new PutSecretValueCommand({ SecretId: 'app/db-password', SecretString: 'second' }));

    const { Parameter } = await ssm.send(new GetParameterCommand({ Name: `${PREFIX}app/db-password`, WithDecryption: true }));
    assert.equal(Parameter!.Name, `${PREFIX}app/db-password`);
    assert.equal(Parameter!.Type, 'SecureString');
    assert.equal(Parameter!.Value, 'second');
    assert.equal(Parameter!.Version, 0);
    assert.equal(Parameter!.ARN, created.ARN);
    assert.ok(Parameter!.LastModifiedDate instanceof Date);
    const source = JSON.parse(Parameter!.SourceResult!);
    assert.equal(source.ARN, created.ARN);
    assert.equal(source.name, 'app/db-password');
    assert.deepEqual(source.versionStages, ['AWSCURRENT']);

    const previous = (await ssm.send(new GetParameterCommand({ Name: `${PREFIX}app/db-password:AWSPREVIOUS`, WithDecryption: true }))).Parameter!;
    assert.equal(previous.Value, 'first');
    assert.equal(previous.Selector, ':AWSPREVIOUS');
    assert.equal(previous.Name, `${PREFIX}app/db-password`);
    const byId = (await ssm.send(new GetParameterCommand({ Name: `${PREFIX}app/db-password:${created.VersionId}`, WithDecryption: true }))).Parameter!;
    assert.equal(byId.Value, 'first');
    assert.equal(byId.Selector, `:${created.VersionId}`);
  });

  it('answers ParameterNotFound for a missing secret, and GetParameters lists it as invalid', async () => {
    const sm = new SecretsManagerClient(clientConfig(env.endpoint));
    const ssm = ssmClient(env.endpoint);
    await sm.send(new CreateSecretCommand({ Name: 'mixed', SecretString: 'from-secrets-manager' }));
    await ssm.send(new PutParameterCommand({ Name: '/mixed/plain', Value: 'from-parameter-store', Type: 'String' }));
    await rejectsWith(
      ssm.send(new GetParameterCommand({ Name: `${PREFIX}no-such-secret`, WithDecryption: true })),
      'ParameterNotFound',
      `An error occurred (ParameterNotFound) when referencing Secrets Manager: Secret ${PREFIX}no-such-secret not found.`,
    );
    const result = await ssm.send(new GetParametersCommand({ Names: ['/mixed/plain', `${PREFIX}mixed`, `${PREFIX}no-such-secret`], WithDecryption: true }));
    assert.deepEqual(
      result.Parameters!.map((p) => [p.Name, p.Value]),
      [
        ['/mixed/plain', 'from-parameter-store'],
        [`${PREFIX}mixed`, 'from-secrets-manager'],
      ],
    );
    assert.deepEqual(result.InvalidParameters, [`${PREFIX}no-such-secret`]);
  });

  it('keeps no history for references', async () => {
    const ssm = ssmClient(env.endpoint);
    await rejectsWith(ssm.send(new GetParameterHistoryCommand({ Name: `${PREFIX}mixed` })), 'ParameterNotFound');
  });
});
