// DeleteSecret schedules deletion after a recovery window (7-30 days, 30 by default) or, with
// ForceDeleteWithoutRecovery, deletes at once. RestoreSecret cancels a scheduled deletion.
// The secret disappears when Fogbank's clock passes its DeletedDate (see state.ts).

import type * as SM from '@aws-sdk/client-secrets-manager';
import { parseArn } from '../../common/arn.js';
import type { Handler } from '../../types.js';
import { alreadyMarkedDeleted, invalidParameter, secretNotFound } from '../errors.js';
import { checkSecretId, findSecret, newSecretArn, requireSecret, saveSecret, secrets } from '../state.js';

const DAY_MS = 86_400_000;
const DEFAULT_RECOVERY_DAYS = 30;

export const deleteSecret: Handler<SM.DeleteSecretRequest, SM.DeleteSecretResponse> = (input, ctx) => {
  const secretId = input.SecretId!;
  checkSecretId(secretId);
  const days = input.RecoveryWindowInDays;
  const force = input.ForceDeleteWithoutRecovery === true;
  if (days !== undefined && (days < 7 || days > 30)) {
    throw invalidParameter('The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).');
  }
  if (days !== undefined && force) {
    throw invalidParameter("You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
  }
  const now = ctx.clock.now();
  const secret = findSecret(ctx, secretId);
  if (!secret) {
    if (!force) throw secretNotFound();
    // AWS documents that a forced delete of a missing secret is not an error.
    const name = secretId.startsWith('arn:') ? parseArn(secretId)?.resource.replace(/^secret:/, '') : secretId;
    return { ARN: secretId.startsWith('arn:') ? secretId : newSecretArn(ctx, secretId), Name: name, DeletionDate: new Date(now) };
  }
  if (force) {
    secrets(ctx).delete(secret.name);
    return { ARN: secret.arn, Name: secret.name, DeletionDate: new Date(now) };
  }
  if (secret.deletedDate !== undefined) throw alreadyMarkedDeleted();
  secret.deletedDate = now + (days ?? DEFAULT_RECOVERY_DAYS) * DAY_MS;
  saveSecret(ctx, secret);
  return { ARN: secret.arn, Name: secret.name, DeletionDate: new Date(secret.deletedDate) };
};

export const restoreSecret: Handler<SM.RestoreSecretRequest, SM.RestoreSecretResponse> = (input, ctx) => {
  const secret = requireSecret(ctx, input.SecretId!);
  if (secret.deletedDate !== undefined) {
    delete secret.deletedDate;
    secret.lastChangedDate = ctx.clock.now();
    saveSecret(ctx, secret);
  }
  return { ARN: secret.arn, Name: secret.name };
};
