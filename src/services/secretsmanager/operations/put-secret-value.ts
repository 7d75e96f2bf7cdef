// PutSecretValue and UpdateSecret: a new version (labels move to it), and for UpdateSecret the
// secret's description and KMS key.

import type * as SM from '@aws-sdk/client-secrets-manager';
import type { Handler } from '../../types.js';
import { invalidRequest, markedForDeletion, tokenInUse } from '../errors.js';
import { checkSecretId, requireSecret, saveSecret } from '../state.js';
import { addVersion, findVersion, sameValue, sortedStages, valueOf, versionIdFor } from '../versions.js';

export const putSecretValue: Handler<SM.PutSecretValueRequest, SM.PutSecretValueResponse> = (input, ctx) => {
  checkSecretId(input.SecretId!);
  const versionId = versionIdFor(input.ClientRequestToken);
  const value = valueOf(input);
  if (!value) throw invalidRequest('You must provide either SecretString or SecretBinary.');
  const secret = requireSecret(ctx, input.SecretId!);
  if (secret.deletedDate !== undefined) throw markedForDeletion();

  // The same token and value again is a retry: AWS answers it without a new version.
  const existing = findVersion(secret, versionId);
  if (existing) {
    if (!sameValue(existing, value)) throw tokenInUse(versionId, secret.arn);
    return { ARN: secret.arn, Name: secret.name, VersionId: existing.id, VersionStages: sortedStages(existing) };
  }
  const version = addVersion(ctx, secret, versionId, value, input.VersionStages);
  secret.lastChangedDate = ctx.clock.now();
  saveSecret(ctx, secret);
  return { ARN: secret.arn, Name: secret.name, VersionId: version.id, VersionStages: sortedStages(version) };
};

export const updateSecret: Handler<SM.UpdateSecretRequest, SM.UpdateSecretResponse> = (input, ctx) => {
  checkSecretId(input.SecretId!);
  const value = valueOf(input);
  const versionId = value ? versionIdFor(input.ClientRequestToken) : undefined;
  const secret = requireSecret(ctx, input.SecretId!);
  if (secret.deletedDate !== undefined) throw markedForDeletion();
  // Unlike PutSecretValue, AWS documents a reused token here as an error even for the same value.
  if (versionId !== undefined && findVersion(secret, versionId)) throw tokenInUse(versionId, secret.arn);

  if (input.Description !== undefined) secret.description = input.Description;
  // An empty KmsKeyId goes back to the AWS managed key.
  if (input.KmsKeyId !== undefined) secret.kmsKeyId = input.KmsKeyId || undefined;
  if (value) addVersion(ctx, secret, versionId!, value);
  if (value || input.Description !== undefined || input.KmsKeyId !== undefined) {
    secret.lastChangedDate = ctx.clock.now();
    saveSecret(ctx, secret);
  }
  return { ARN: secret.arn, Name: secret.name, VersionId: versionId };
};
