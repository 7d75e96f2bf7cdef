// UpdateSecretVersionStage: moves one staging label. A label already on another version must be
// taken off it explicitly (RemoveFromVersionId); moving AWSCURRENT leaves AWSPREVIOUS behind.

import type * as SM from '@aws-sdk/client-secrets-manager';
import type { Handler } from '../../types.js';
import { invalidParameter, markedForDeletion, versionNotFound } from '../errors.js';
import { requireSecret, saveSecret } from '../state.js';
import { findVersion, moveStage, versionWithStage } from '../versions.js';

export const updateSecretVersionStage: Handler<SM.UpdateSecretVersionStageRequest, SM.UpdateSecretVersionStageResponse> = (input, ctx) => {
  const secret = requireSecret(ctx, input.SecretId!);
  if (secret.deletedDate !== undefined) throw markedForDeletion();
  const stage = input.VersionStage!;
  const { RemoveFromVersionId: removeFromId, MoveToVersionId: moveToId } = input;

  const to = moveToId === undefined ? undefined : findVersion(secret, moveToId);
  if (moveToId !== undefined && !to) throw versionNotFound({ versionId: moveToId });
  const holder = versionWithStage(secret, stage);
  if (removeFromId === undefined) {
    if (holder && holder !== to) {
      throw invalidParameter(
        `The parameter RemoveFromVersionId can't be empty. Staging label ${stage} is currently attached to version ${holder.id}, so you must explicitly reference that version in RemoveFromVersionId.`,
      );
    }
  } else if (holder?.id !== removeFromId) {
    throw invalidParameter(`The staging label ${stage} is not attached to version ${removeFromId}, so it can't be removed from it.`);
  }

  moveStage(secret, stage, removeFromId === undefined ? undefined : holder, to);
  secret.lastChangedDate = ctx.clock.now();
  saveSecret(ctx, secret);
  return { ARN: secret.arn, Name: secret.name };
};
