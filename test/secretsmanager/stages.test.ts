// Staging labels: how PutSecretValue and UpdateSecretVersionStage move them, and how
// ListSecretVersionIds reports versions (sequences follow responses AWS recorded).

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  UpdateSecretVersionStageCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { useFogbank } from '../support/fogbank.js';
import { NOT_FOUND, rejectsWith, secretsClient, uniqueName } from './helpers.js';

const env = useFogbank();

/** VersionId -> sorted labels, for the versions ListSecretVersionIds shows. */
async function stagesOf(sm: SecretsManagerClient, name: string, includeDeprecated = false): Promise<Record<string, string[] | undefined>> {
  const { Versions } = await sm.send(new ListSecretVersionIdsCommand({ SecretId: name, IncludeDeprecated: includeDeprecated }));
  return Object.fromEntries(Versions!.map((v) => [v.VersionId!, v.VersionStages]));
}

describe('Secrets Manager: staging labels', () => {
  it('PutSecretValue with explicit stages leaves AWSCURRENT where it is and takes labels from other versions', async () => {
    const sm = secretsClient(env.endpoint);
    const name = uniqueName('custom');
    const v1 = await sm.send(new CreateSecretCommand({ Name: name, SecretString: 'S0' }));
    const v2 = await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: 'S1', VersionStages: ['one', 'two', 'three'] }));
    assert.deepEqual(v2.VersionStages, ['one', 'three', 'two']);
    assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: name }))).SecretString, 'S0');
    const v3 = await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: 'S2', VersionStages: ['one', 'two', 'four'] }));
    assert.deepEqual(v3.VersionStages, ['four', 'one', 'two']);
    assert.deepEqual(await stagesOf(sm, name), {
      [v1.VersionId!]: ['AWSCURRENT'],
      [v2.VersionId!]: ['three'],
      [v3.VersionId!]: ['four', 'one', 'two'],
    });
    const byStage = await sm.send(new GetSecretValueCommand({ SecretId: name, VersionStage: 'three' }));
    assert.equal(byStage.SecretString, 'S1');
  });

  it('moving AWSCURRENT with UpdateSecretVersionStage leaves AWSPREVIOUS behind; a new value then clears AWSPENDING', async () => {
    const sm = secretsClient(env.endpoint);
    const name = uniqueName('pending');
    const v1 = await sm.send(new CreateSecretCommand({ Name: name, SecretString: 'Something1' }));
    const v2 = await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: 'Something2', VersionStages: ['AWSPENDING'] }));
    assert.deepEqual(v2.VersionStages, ['AWSPENDING']);
    const moved = await sm.send(
      new UpdateSecretVersionStageCommand({ SecretId: name, VersionStage: 'AWSCURRENT', RemoveFromVersionId: v1.VersionId, MoveToVersionId: v2.VersionId }),
    );
    assert.deepEqual([moved.ARN, moved.Name], [v1.ARN, name]);
    assert.deepEqual(await stagesOf(sm, name), { [v1.VersionId!]: ['AWSPREVIOUS'], [v2.VersionId!]: ['AWSCURRENT', 'AWSPENDING'] });
    assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: name }))).SecretString, 'Something2');

    const v3 = await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: 'SS3' }));
    assert.deepEqual(await stagesOf(sm, name), { [v2.VersionId!]: ['AWSPREVIOUS'], [v3.VersionId!]: ['AWSCURRENT'] });
  });

  it('moving AWSCURRENT keeps custom labels and moves AWSPREVIOUS off the older version', async () => {
    const sm = secretsClient(env.endpoint);
    const name = uniqueName('cycle');
    await sm.send(new CreateSecretCommand({ Name: name, SecretString: 'SS' }));
    const v2 = await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: 'S1', VersionStages: ['AWSCURRENT', 'PUT0'] }));
    const v3 = await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: 'S2', VersionStages: ['AWSPENDING', 'PUT1'] }));
    await sm.send(new UpdateSecretVersionStageCommand({ SecretId: name, VersionStage: 'AWSCURRENT', RemoveFromVersionId: v2.VersionId, MoveToVersionId: v3.VersionId }));
    const v4 = await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: 'S3', VersionStages: ['AWSPENDING', 'PUT2'] }));
    assert.deepEqual(await stagesOf(sm, name), {
      [v2.VersionId!]: ['AWSPREVIOUS', 'PUT0'],
      [v3.VersionId!]: ['AWSCURRENT', 'PUT1'],
      [v4.VersionId!]: ['AWSPENDING', 'PUT2'],
    });
    await sm.send(new UpdateSecretVersionStageCommand({ SecretId: name, VersionStage: 'AWSCURRENT', RemoveFromVersionId: v3.VersionId, MoveToVersionId: v4.VersionId }));
    assert.deepEqual(await stagesOf(sm, name), {
      [v2.VersionId!]: ['PUT0'],
      [v3.VersionId!]: ['AWSPREVIOUS', 'PUT1'],
      [v4.VersionId!]: ['AWSCURRENT', 'AWSPENDING', 'PUT2'],
    });
  });

  it('removes a label when no MoveToVersionId is given, and attaches a free label without RemoveFromVersionId', async () => {
    const sm = secretsClient(env.endpoint);
    const name = uniqueName('remove');
    const v1 = await sm.send(new CreateSecretCommand({ Name: name, SecretString: 'SS' }));
    const v2 = await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: 'S1', VersionStages: ['PENDING'] }));
    await sm.send(new UpdateSecretVersionStageCommand({ SecretId: name, VersionStage: 'PENDING', RemoveFromVersionId: v2.VersionId }));
    assert.deepEqual(await stagesOf(sm, name), { [v1.VersionId!]: ['AWSCURRENT'] });
    assert.deepEqual(await stagesOf(sm, name, true), { [v1.VersionId!]: ['AWSCURRENT'], [v2.VersionId!]: undefined });
    await sm.send(new UpdateSecretVersionStageCommand({ SecretId: name, VersionStage: 'BLUE', MoveToVersionId: v2.VersionId }));
    assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: name, VersionStage: 'BLUE' }))).SecretString, 'S1');
  });

  it('UpdateSecretVersionStage answers AWS errors for a label it must remove explicitly and for unknown versions', async () => {
    const sm = secretsClient(env.endpoint);
    const name = uniqueName('stage-errors');
    const v1 = await sm.send(new CreateSecretCommand({ Name: name, SecretString: 'a' }));
    const v2 = await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: 'b', VersionStages: ['AWSPENDING'] }));
    await rejectsWith(
      sm.send(new UpdateSecretVersionStageCommand({ SecretId: name, VersionStage: 'AWSCURRENT', MoveToVersionId: v2.VersionId })),
      'InvalidParameterException',
      `The parameter RemoveFromVersionId can't be empty. Staging label AWSCURRENT is currently attached to version ${v1.VersionId}, so you must explicitly reference that version in RemoveFromVersionId.`,
    );
    await rejectsWith(
      sm.send(new UpdateSecretVersionStageCommand({ SecretId: name, VersionStage: 'AWSCURRENT', RemoveFromVersionId: v2.VersionId, MoveToVersionId: v2.VersionId })),
      'InvalidParameterException',
    );
    const unknown = randomUUID();
    await rejectsWith(
      sm.send(new UpdateSecretVersionStageCommand({ SecretId: name, VersionStage: 'AWSCURRENT', RemoveFromVersionId: v1.VersionId, MoveToVersionId: unknown })),
      'ResourceNotFoundException',
      `Secrets Manager can't find the specified secret value for VersionId: ${unknown}`,
    );
    await rejectsWith(
      sm.send(new UpdateSecretVersionStageCommand({ SecretId: uniqueName('nope'), VersionStage: 'X', MoveToVersionId: unknown })),
      'ResourceNotFoundException',
      NOT_FOUND,
    );
    // Nothing moved.
    assert.deepEqual(await stagesOf(sm, name), { [v1.VersionId!]: ['AWSCURRENT'], [v2.VersionId!]: ['AWSPENDING'] });
  });

  it('ListSecretVersionIds lists oldest first, hides deprecated versions unless asked, and pages', async () => {
    const sm = secretsClient(env.endpoint);
    const name = uniqueName('listed');
    const ids = [(await sm.send(new CreateSecretCommand({ Name: name, SecretString: 'v0', KmsKeyId: 'alias/custom' }))).VersionId!];
    for (let i = 1; i <= 3; i++) ids.push((await sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: `v${i}` }))).VersionId!);
    const current = await sm.send(new ListSecretVersionIdsCommand({ SecretId: name }));
    assert.equal(current.Name, name);
    assert.match(current.ARN!, new RegExp(`:secret:${name}-`));
    assert.deepEqual(current.Versions!.map((v) => v.VersionId), ids.slice(2));
    assert.deepEqual(current.Versions![0]!.KmsKeyIds, ['alias/custom']);
    assert.ok(current.Versions![0]!.CreatedDate instanceof Date);

    const all = await sm.send(new ListSecretVersionIdsCommand({ SecretId: name, IncludeDeprecated: true }));
    assert.deepEqual(all.Versions!.map((v) => v.VersionId), ids);
    assert.equal(all.Versions![0]!.VersionStages, undefined);

    const first = await sm.send(new ListSecretVersionIdsCommand({ SecretId: name, IncludeDeprecated: true, MaxResults: 3 }));
    assert.equal(first.Versions!.length, 3);
    assert.ok(first.NextToken);
    const second = await sm.send(new ListSecretVersionIdsCommand({ SecretId: name, IncludeDeprecated: true, MaxResults: 3, NextToken: first.NextToken }));
    assert.deepEqual(second.Versions!.map((v) => v.VersionId), [ids[3]]);
    assert.equal(second.NextToken, undefined);
    await rejectsWith(
      sm.send(new ListSecretVersionIdsCommand({ SecretId: name, NextToken: 'not-a-token' })),
      'InvalidNextTokenException',
      'The NextToken value is invalid.',
    );
    await rejectsWith(sm.send(new ListSecretVersionIdsCommand({ SecretId: uniqueName('nope') })), 'ResourceNotFoundException', NOT_FOUND);
  });

  it('a version read by GetSecretValue shows its LastAccessedDate', async () => {
    const sm = secretsClient(env.endpoint);
    const name = uniqueName('accessed');
    await sm.send(new CreateSecretCommand({ Name: name, SecretString: 'x' }));
    const before = await sm.send(new ListSecretVersionIdsCommand({ SecretId: name }));
    assert.equal(before.Versions![0]!.LastAccessedDate, undefined);
    await sm.send(new GetSecretValueCommand({ SecretId: name }));
    const after = await sm.send(new ListSecretVersionIdsCommand({ SecretId: name }));
    assert.equal(after.Versions![0]!.LastAccessedDate!.getTime() % 86_400_000, 0);
  });
});
