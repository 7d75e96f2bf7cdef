// DeleteSecret's recovery window runs on Fogbank's clock: the tests move it instead of waiting.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  RestoreSecretCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateSecretCommand,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { useFogbank } from '../support/fogbank.js';
import { MARKED_FOR_DELETION, NOT_FOUND, rejectsWith, secretsClient, uniqueName } from './helpers.js';

const env = useFogbank();
const DAY = 86_400_000;

describe('Secrets Manager: deletion and recovery', () => {
  it('DeleteSecret schedules deletion 30 days out by default; the secret is refused but still described', async () => {
    const sm = secretsClient(env.endpoint);
    const name = uniqueName('doomed');
    const created = await sm.send(new CreateSecretCommand({ Name: name, SecretString: 'x' }));
    const before = env.fogbank.clock.now();
    const deleted = await sm.send(new DeleteSecretCommand({ SecretId: name }));
    assert.deepEqual([deleted.ARN, deleted.Name], [created.ARN, name]);
    const window = deleted.DeletionDate!.getTime() - before;
    assert.ok(window >= 30 * DAY - 60_000 && window <= 30 * DAY + 60_000, `window was ${window}ms`);

    await rejectsWith(sm.send(new GetSecretValueCommand({ SecretId: name })), 'InvalidRequestException', MARKED_FOR_DELETION);
    await rejectsWith(sm.send(new PutSecretValueCommand({ SecretId: name, SecretString: 'y' })), 'InvalidRequestException', MARKED_FOR_DELETION);
    await rejectsWith(sm.send(new UpdateSecretCommand({ SecretId: name, Description: 'd' })), 'InvalidRequestException', MARKED_FOR_DELETION);
    await rejectsWith(sm.send(new TagResourceCommand({ SecretId: name, Tags: [{ Key: 'k', Value: 'v' }] })), 'InvalidRequestException', MARKED_FOR_DELETION);
    await rejectsWith(sm.send(new UntagResourceCommand({ SecretId: name, TagKeys: ['k'] })), 'InvalidRequestException', MARKED_FOR_DELETION);
    await rejectsWith(
      sm.send(new UpdateSecretVersionStageCommand({ SecretId: name, VersionStage: 'X', MoveToVersionId: created.VersionId })),
      'InvalidRequestException',
      MARKED_FOR_DELETION,
    );
    await rejectsWith(sm.send(new ListSecretVersionIdsCommand({ SecretId: name })), 'InvalidRequestException', MARKED_FOR_DELETION);
    await rejectsWith(
      sm.send(new DeleteSecretCommand({ SecretId: name })),
      'InvalidRequestException',
      "You tried to perform the operation on a secret that's currently marked deleted.",
    );
    await rejectsWith(
      sm.send(new CreateSecretCommand({ Name: name, SecretString: 'again' })),
      'InvalidRequestException',
      "You can't create this secret because a secret with this name is already scheduled for deletion.",
    );

    const described = await sm.send(new DescribeSecretCommand({ SecretId: name }));
    assert.equal(described.DeletedDate!.getTime(), deleted.DeletionDate!.getTime());
    assert.deepEqual(described.VersionIdsToStages, { [created.VersionId!]: ['AWSCURRENT'] });
  });

  it('RestoreSecret cancels the deletion and the value is readable again', async () => {
    const sm = secretsClient(env.endpoint);
    const name = uniqueName('restored');
    await sm.send(new CreateSecretCommand({ Name: name, SecretString: 'back' }));
    await sm.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 7 }));
    const restored = await sm.send(new RestoreSecretCommand({ SecretId: name }));
    assert.equal(restored.Name, name);
    assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: name }))).SecretString, 'back');
    assert.equal((await sm.send(new DescribeSecretCommand({ SecretId: name }))).DeletedDate, undefined);
    await rejectsWith(sm.send(new RestoreSecretCommand({ SecretId: uniqueName('nope') })), 'ResourceNotFoundException', NOT_FOUND);
  });

  it('the secret is gone for good once the clock passes its DeletedDate, and the name is free again', async () => {
    const sm = secretsClient(env.endpoint);
    const name = uniqueName('expiring');
    const first = await sm.send(new CreateSecretCommand({ Name: name, SecretString: 'old' }));
    await sm.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 7 }));
    env.fogbank.advanceClock(6 * DAY);
    assert.ok((await sm.send(new DescribeSecretCommand({ SecretId: name }))).DeletedDate);
    env.fogbank.advanceClock(DAY + 1000);
    await rejectsWith(sm.send(new DescribeSecretCommand({ SecretId: name })), 'ResourceNotFoundException', NOT_FOUND);
    await rejectsWith(sm.send(new RestoreSecretCommand({ SecretId: first.ARN })), 'ResourceNotFoundException', NOT_FOUND);

    const second = await sm.send(new CreateSecretCommand({ Name: name, SecretString: 'new' }));
    assert.notEqual(second.ARN, first.ARN);
    assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: name }))).SecretString, 'new');
    // The old ARN names the deleted secret, not the new one.
    await rejectsWith(sm.send(new GetSecretValueCommand({ SecretId: first.ARN })), 'ResourceNotFoundException', NOT_FOUND);
  });

  it('ListSecrets hides secrets scheduled for deletion unless IncludePlannedDeletion', async () => {
    const sm = secretsClient(env.endpoint);
    const prefix = uniqueName('planned');
    await sm.send(new CreateSecretCommand({ Name: `${prefix}/kept`, SecretString: 'x' }));
    await sm.send(new CreateSecretCommand({ Name: `${prefix}/deleted`, SecretString: 'x' }));
    await sm.send(new DeleteSecretCommand({ SecretId: `${prefix}/deleted` }));
    const filters = [{ Key: 'name' as const, Values: [prefix] }];
    const visible = await sm.send(new ListSecretsCommand({ Filters: filters }));
    assert.deepEqual(visible.SecretList!.map((s) => s.Name), [`${prefix}/kept`]);
    const all = await sm.send(new ListSecretsCommand({ Filters: filters, IncludePlannedDeletion: true }));
    assert.deepEqual(all.SecretList!.map((s) => s.Name).sort(), [`${prefix}/deleted`, `${prefix}/kept`]);
    assert.ok(all.SecretList!.find((s) => s.Name === `${prefix}/deleted`)!.DeletedDate instanceof Date);
  });

  it('ForceDeleteWithoutRecovery deletes at once, even a secret already scheduled, and tolerates a missing one', async () => {
    const sm = secretsClient(env.endpoint);
    const name = uniqueName('forced');
    const created = await sm.send(new CreateSecretCommand({ Name: name, SecretString: 'x' }));
    await sm.send(new DeleteSecretCommand({ SecretId: name }));
    const forced = await sm.send(new DeleteSecretCommand({ SecretId: created.ARN, ForceDeleteWithoutRecovery: true }));
    assert.deepEqual([forced.ARN, forced.Name], [created.ARN, name]);
    assert.ok(Math.abs(forced.DeletionDate!.getTime() - env.fogbank.clock.now()) < 60_000);
    await rejectsWith(sm.send(new DescribeSecretCommand({ SecretId: name })), 'ResourceNotFoundException', NOT_FOUND);
    await sm.send(new CreateSecretCommand({ Name: name, SecretString: 'reborn' }));
    assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: name }))).SecretString, 'reborn');

    const missing = uniqueName('never-was');
    const ghost = await sm.send(new DeleteSecretCommand({ SecretId: missing, ForceDeleteWithoutRecovery: true }));
    assert.equal(ghost.Name, missing);
    await rejectsWith(sm.send(new DeleteSecretCommand({ SecretId: missing })), 'ResourceNotFoundException', NOT_FOUND);
  });

  it('rejects a recovery window outside 7-30 days and one combined with ForceDeleteWithoutRecovery', async () => {
    const sm = secretsClient(env.endpoint);
    const name = uniqueName('window');
    await sm.send(new CreateSecretCommand({ Name: name, SecretString: 'x' }));
    const range = 'The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).';
    await rejectsWith(sm.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 6 })), 'InvalidParameterException', range);
    await rejectsWith(sm.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 31 })), 'InvalidParameterException', range);
    await rejectsWith(
      sm.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 7, ForceDeleteWithoutRecovery: true })),
      'InvalidParameterException',
      "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.",
    );
    // Still there and readable.
    assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: name }))).SecretString, 'x');
    const deleted = await sm.send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 30 }));
    assert.ok(deleted.DeletionDate);
  });
});
