import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  CreateSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  UpdateSecretCommand,
} from '@aws-sdk/client-secrets-manager';
import { useFogbank } from '../support/fogbank.js';
import { NOT_FOUND, rawCall, rejectsWith, secretsClient, uniqueName } from './helpers.js';

const env = useFogbank();

describe('Secrets Manager: create, read, update', () => {
  it('CreateSecret returns an ARN with a 6-character random suffix and GetSecretValue reads it back', async () => {
    const sm = secretsClient(env.endpoint);
    const name = uniqueName('app/db');
    const created = await sm.send(new CreateSecretCommand({ Name: name, SecretString: '{"user":"admin","pass":"p"}', Description: 'db creds' }));
    assert.match(created.ARN!, new RegExp(`^arn:aws:secretsmanager:us-east-1:000000000000:secret:${name}-[A-Za-z0-9]{6}$`));
    assert.equal(created.Name, name);
    assert.match(created.VersionId!, /^[0-9a-f-]{36}$/);

    const value = await sm.send(new GetSecretValueCommand({ SecretId: name }));
    assert.equal(value.ARN, created.ARN);
    assert.equal(value.Name, name);
    assert.equal(value.VersionId, created.VersionId);
    assert.equal(value.SecretString, '{"user":"admin","pass":"p"}');
    assert.equal(value.SecretBinary, undefined);
    assert.deepEqual(value.VersionStages, ['AWSCURRENT']);
    assert.ok(value.CreatedDate instanceof Date);
  });

  it('GetSecretValue finds a secret by full ARN and by partial ARN (no random suffix)', async () => {
    const sm = secretsClient(env.endpoint);
    const name = uniqueName('by-arn');
    const { ARN } = await sm.send(new CreateSecretCommand({ Name: name, SecretString: 'v' }));
    assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: ARN }))).SecretString, 'v');
    const partial = ARN!.slice(0, -7);
    assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: partial }))).SecretString, 'v');
    // A full ARN with the wrong suffix is neither this secret's ARN nor a name that exists.
    await rejectsWith(sm.send(new GetSecretValueCommand({ SecretId: `${partial}-AAAAAA` })), 'ResourceNotFoundException', NOT_FOUND);
    // Another region's ARN is not found in this region.
    await rejectsWith(sm.send(new GetSecretValueCommand({ SecretId: ARN!.replace('us-east-1', 'eu-west-1') })), 'ResourceNotFoundException', NOT_FOUND);
  });

  it('stores SecretBinary and returns the same bytes', async () => {
    const sm = secretsClient(env.endpoint);
    const name = uniqueName('binary');
    const bytes = Uint8Array.from([0, 1, 2, 255, 254]);
    await sm.send(new CreateSecretCommand({ Name: name, SecretBinary: bytes }));
    const value = await sm.send(new GetSecretValueCommand({ SecretId: name }));
    assert.equal(value.SecretString, undefined);
    assert.deepEqual(Buffer.from(value.SecretBinary!), Buffer.from(bytes));
  });

  it('secrets are kept per region', async () => {
    const east = secretsClient(env.endpoint, 'us-east-1');
    const west = secretsClient(env.endpoint, 'us-west-2');
    const name = uniqueName('regional');
    await east.send(new CreateSecretCommand({ Name: name, SecretString: 'east' }));
    await rejectsWith(west.send(new GetSecretValueCommand({ SecretId: name })), 'ResourceNotFoundException', NOT_FOUND);
    const { ARN } = await west.send(new CreateSecretCommand({ Name: name, SecretString: 'west' }));
    assert.match(ARN!, /:us-west-2:/);
    assert.equal((await east.send(new GetSecretValueCommand({ SecretId: name }))).SecretString, 'east');
  });

  it('DescribeSecret reports metadata, stored KmsKeyId, tags and version stages, never the value', async () => {
    const sm = secretsClient(env.endpoint);
    const name = uniqueName('described');
    const created = await sm.send(
      new CreateSecretCommand({ Name: name, SecretString: 's', Description: 'about it', KmsKeyId: 'alias/my-key', Tags: [{ Key: 'team', Value: 'core' }], ForceOverwriteReplicaSecret: true }),
    );
    const described = await sm.send(new DescribeSecretCommand({ SecretId: created.ARN }));
    assert.equal(described.ARN, created.ARN);
    assert.equal(described.Name, name);
    assert.equal(described.Description, 'about it');
    assert.equal(described.KmsKeyId, 'alias/my-key');
    assert.deepEqual(described.Tags, [{ Key: 'team', Value: 'core' }]);
    assert.deepEqual(described.VersionIdsToStages, { [created.VersionId!]: ['AWSCURRENT'] });
    assert.ok(described.CreatedDate instanceof Date && described.LastChangedDate instanceof Date);
    // Never read, never rotated, not deleted: AWS leaves these out.
    assert.equal(described.LastAccessedDate, undefined);
    assert.equal(described.RotationEnabled, undefined);
    assert.equal(described.DeletedDate, undefined);
    assert.equal((described as unknown as Record<string, unknown>).SecretString, undefined);

    await sm.send(new GetSecretValueCommand({ SecretId: name }));
    const accessed = await sm.send(new DescribeSecretCommand({ SecretId: name }));
    // AWS keeps the date of the last access only: midnight UTC.
    assert.equal(accessed.LastAccessedDate!.getTime() % 86_400_000, 0);
  });

  it('a secret created without a value has no versions until PutSecretValue makes one AWSCURRENT', async () => {
    const sm = secretsClient(env.endpoint);
    const name = uniqueName('empty');
    const created = await sm.send(new CreateSecretCommand({ Name: name, Description: '' }));
    assert.equal(created.VersionId, undefined);
    const described = await sm.send(new DescribeSecretCommand({ SecretId: name }));
    assert.equal(described.VersionIdsToStages, undefined);
    assert.equal(described.Description, undefined);
    await rejectsWith(
      sm.send(new GetSecretValueCommand({ SecretId: name })),
      'ResourceNotFoundException',
      "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT",
    );
    const put = await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: 'first', VersionStages: ['CUSTOM'] }));
    assert.deepEqual(put.VersionStages, ['AWSCURRENT', 'CUSTOM']);
    assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: name }))).SecretString, 'first');
  });

  it('CreateSecret on an existing name fails, unless it is a retry with the same token and value', async () => {
    const sm = secretsClient(env.endpoint);
    const name = uniqueName('idempotent');
    const token = randomUUID();
    const first = await sm.send(new CreateSecretCommand({ Name: name, SecretString: 'v1', ClientRequestToken: token }));
    assert.equal(first.VersionId, token);
    const retry = await sm.send(new CreateSecretCommand({ Name: name, SecretString: 'v1', ClientRequestToken: token }));
    assert.deepEqual({ ARN: retry.ARN, Name: retry.Name, VersionId: retry.VersionId }, { ARN: first.ARN, Name: name, VersionId: token });
    await rejectsWith(
      sm.send(new CreateSecretCommand({ Name: name, SecretString: 'v2', ClientRequestToken: token })),
      'ResourceExistsException',
      `You can't use ClientRequestToken ${token} because that value is already in use for a version of secret ${first.ARN}.`,
    );
    await rejectsWith(
      sm.send(new CreateSecretCommand({ Name: name, SecretString: 'v1' })),
      'ResourceExistsException',
      `The operation failed because the secret ${name} already exists.`,
    );
    assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: name }))).SecretString, 'v1');
  });

  it('rejects invalid names, both value kinds at once, and answers afterwards', async () => {
    const sm = secretsClient(env.endpoint);
    const invalid = 'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!';
    await rejectsWith(sm.send(new CreateSecretCommand({ Name: 'has space', SecretString: 'x' })), 'ValidationException', invalid);
    await rejectsWith(sm.send(new CreateSecretCommand({ Name: 'arn:aws:not-a-name' })), 'ValidationException', invalid);
    await rejectsWith(sm.send(new GetSecretValueCommand({ SecretId: 'Inv*Name?' })), 'ValidationException', invalid);
    await rejectsWith(sm.send(new DescribeSecretCommand({ SecretId: ' Inv Name' })), 'ValidationException', invalid);
    await rejectsWith(
      sm.send(new CreateSecretCommand({ Name: uniqueName('both'), SecretString: 'x', SecretBinary: Uint8Array.from([1]) })),
      'InvalidParameterException',
      "You can't specify both a binary secret value and a string secret value in the same secret.",
    );
    await rejectsWith(sm.send(new GetSecretValueCommand({ SecretId: uniqueName('missing') })), 'ResourceNotFoundException', NOT_FOUND);
    await rejectsWith(sm.send(new DescribeSecretCommand({ SecretId: uniqueName('missing') })), 'ResourceNotFoundException', NOT_FOUND);
    const name = uniqueName('still-works');
    await sm.send(new CreateSecretCommand({ Name: name, SecretString: 'ok' }));
    assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: name }))).SecretString, 'ok');
  });

  it('PutSecretValue makes the new version AWSCURRENT and the old one AWSPREVIOUS', async () => {
    const sm = secretsClient(env.endpoint);
    const name = uniqueName('rotating');
    const v1 = await sm.send(new CreateSecretCommand({ Name: name, SecretString: 'one' }));
    const v2 = await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: 'two' }));
    assert.deepEqual(v2.VersionStages, ['AWSCURRENT']);
    assert.equal(v2.ARN, v1.ARN);
    assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: name }))).SecretString, 'two');
    const previous = await sm.send(new GetSecretValueCommand({ SecretId: name, VersionStage: 'AWSPREVIOUS' }));
    assert.equal(previous.SecretString, 'one');
    assert.equal(previous.VersionId, v1.VersionId);
    assert.deepEqual(previous.VersionStages, ['AWSPREVIOUS']);
    const byId = await sm.send(new GetSecretValueCommand({ SecretId: name, VersionId: v2.VersionId, VersionStage: 'AWSCURRENT' }));
    assert.equal(byId.SecretString, 'two');

    const v3 = await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: 'three' }));
    const described = await sm.send(new DescribeSecretCommand({ SecretId: name }));
    // The oldest version lost its last label: it is deprecated and not listed.
    assert.deepEqual(described.VersionIdsToStages, { [v2.VersionId!]: ['AWSPREVIOUS'], [v3.VersionId!]: ['AWSCURRENT'] });
  });

  it('PutSecretValue retries with the same token are ignored; a different value with it fails', async () => {
    const sm = secretsClient(env.endpoint);
    const name = uniqueName('put-retry');
    const created = await sm.send(new CreateSecretCommand({ Name: name, SecretString: 'one' }));
    const token = randomUUID();
    const first = await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: 'two', ClientRequestToken: token }));
    const retry = await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: 'two', ClientRequestToken: token }));
    assert.deepEqual([retry.VersionId, retry.VersionStages], [first.VersionId, ['AWSCURRENT']]);
    const described = await sm.send(new DescribeSecretCommand({ SecretId: name }));
    assert.equal(Object.keys(described.VersionIdsToStages!).length, 2);
    await rejectsWith(
      sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: 'other', ClientRequestToken: token })),
      'ResourceExistsException',
      `You can't use ClientRequestToken ${token} because that value is already in use for a version of secret ${created.ARN}.`,
    );
  });

  it('GetSecretValue answers AWS errors for unknown versions and stages', async () => {
    const sm = secretsClient(env.endpoint);
    const name = uniqueName('versions');
    const { VersionId } = await sm.send(new CreateSecretCommand({ Name: name, SecretString: 'x' }));
    const unknown = randomUUID();
    await rejectsWith(
      sm.send(new GetSecretValueCommand({ SecretId: name, VersionId: unknown })),
      'ResourceNotFoundException',
      `Secrets Manager can't find the specified secret value for VersionId: ${unknown}`,
    );
    await rejectsWith(
      sm.send(new GetSecretValueCommand({ SecretId: name, VersionStage: 'AWSPREVIOUS' })),
      'ResourceNotFoundException',
      "Secrets Manager can't find the specified secret value for staging label: AWSPREVIOUS",
    );
    await rejectsWith(
      sm.send(new GetSecretValueCommand({ SecretId: name, VersionId, VersionStage: 'AWSPREVIOUS' })),
      'InvalidRequestException',
      'You provided a VersionStage that is not associated to the provided VersionId.',
    );
    await rejectsWith(
      sm.send(new PutSecretValueCommand({ SecretId: name })),
      'InvalidRequestException',
      'You must provide either SecretString or SecretBinary.',
    );
    await rejectsWith(sm.send(new PutSecretValueCommand({ SecretId: uniqueName('nope'), SecretString: 'x' })), 'ResourceNotFoundException', NOT_FOUND);
  });

  it('UpdateSecret changes description and KMS key without a version, or the value with one', async () => {
    const sm = secretsClient(env.endpoint);
    const name = uniqueName('updated');
    const created = await sm.send(new CreateSecretCommand({ Name: name, SecretString: 'one', KmsKeyId: 'alias/first' }));
    const metaOnly = await sm.send(new UpdateSecretCommand({ SecretId: name, Description: 'new words', KmsKeyId: 'alias/second' }));
    assert.deepEqual([metaOnly.ARN, metaOnly.Name, metaOnly.VersionId], [created.ARN, name, undefined]);
    let described = await sm.send(new DescribeSecretCommand({ SecretId: name }));
    assert.equal(described.Description, 'new words');
    assert.equal(described.KmsKeyId, 'alias/second');
    assert.deepEqual(Object.keys(described.VersionIdsToStages!), [created.VersionId]);

    const withValue = await sm.send(new UpdateSecretCommand({ SecretId: created.ARN, SecretString: 'two', KmsKeyId: '' }));
    assert.ok(withValue.VersionId && withValue.VersionId !== created.VersionId);
    described = await sm.send(new DescribeSecretCommand({ SecretId: name }));
    assert.equal(described.KmsKeyId, undefined);
    assert.deepEqual(described.VersionIdsToStages, { [created.VersionId!]: ['AWSPREVIOUS'], [withValue.VersionId!]: ['AWSCURRENT'] });
    assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: name }))).SecretString, 'two');

    await rejectsWith(
      sm.send(new UpdateSecretCommand({ SecretId: name, SecretString: 'three', ClientRequestToken: withValue.VersionId })),
      'ResourceExistsException',
      `You can't use ClientRequestToken ${withValue.VersionId} because that value is already in use for a version of secret ${created.ARN}.`,
    );
    await rejectsWith(sm.send(new UpdateSecretCommand({ SecretId: uniqueName('nope'), Description: 'd' })), 'ResourceNotFoundException', NOT_FOUND);
  });

  it('errors carry "Message" on the wire, and raw requests with a value need a ClientRequestToken', async () => {
    const name = uniqueName('raw');
    const missing = await rawCall(env.endpoint, 'GetSecretValue', { SecretId: name });
    assert.equal(missing.status, 400);
    assert.deepEqual(missing.json, { __type: 'ResourceNotFoundException', Message: NOT_FOUND });

    const noToken = await rawCall(env.endpoint, 'CreateSecret', { Name: name, SecretString: 'x' });
    assert.equal(noToken.status, 400);
    assert.deepEqual(noToken.json, { __type: 'InvalidRequestException', Message: 'You must provide a ClientRequestToken value. We recommend a UUID-type value.' });
    const noTokenPut = await rawCall(env.endpoint, 'PutSecretValue', { SecretId: name, SecretString: 'x' });
    assert.equal(noTokenPut.json.__type, 'InvalidRequestException');

    // Without a value there is no version, so no token is needed.
    const bare = await rawCall(env.endpoint, 'CreateSecret', { Name: name });
    assert.equal(bare.status, 200);
    assert.equal(bare.json.Name, name);
    const token = randomUUID();
    const put = await rawCall(env.endpoint, 'PutSecretValue', { SecretId: name, SecretString: 'x', ClientRequestToken: token });
    assert.deepEqual([put.status, put.json.VersionId], [200, token]);
  });
});
