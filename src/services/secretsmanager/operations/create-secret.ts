// CreateSecret: a new secret, with a first version (AWSCURRENT) when it carries a value.
// Retrying with the same ClientRequestToken and value answers the first call's result.

import type * as SM from '@aws-sdk/client-secrets-manager';
import { checkTagCount, mergeTags } from '../../common/tags.js';
import type { Handler } from '../../types.js';
import { invalidParameter, invalidRequest, resourceExists, tokenInUse } from '../errors.js';
import { checkName, getByName, newSecretArn, saveSecret, type SecretRecord } from '../state.js';
import { addVersion, findVersion, sameValue, valueOf, versionIdFor, type SecretValue } from '../versions.js';

function existingResult(existing: SecretRecord, token: string | undefined, value: SecretValue | undefined): SM.CreateSecretResponse {
  if (existing.deletedDate !== undefined) {
    throw invalidRequest("You can't create this secret because a secret with this name is already scheduled for deletion.");
  }
  const version = token !== undefined && value ? findVersion(existing, token) : undefined;
  if (!version) throw resourceExists(`The operation failed because the secret ${existing.name} already exists.`);
  if (!sameValue(version, value!)) throw tokenInUse(token!, existing.arn);
  return { ARN: existing.arn, Name: existing.name, VersionId: version.id };
}

export const createSecret: Handler<SM.CreateSecretRequest, SM.CreateSecretResponse> = (input, ctx) => {
  const name = input.Name!;
  checkName(name);
  const value = valueOf(input);
  const versionId = value ? versionIdFor(input.ClientRequestToken) : undefined;
  const tags = input.Tags ? mergeTags([], input.Tags as { Key: string; Value: string }[]) : undefined;
  if (tags) checkTagCount(tags, invalidParameter);

  const existing = getByName(ctx, name);
  if (existing) return existingResult(existing, input.ClientRequestToken, value);

  const now = ctx.clock.now();
  const secret: SecretRecord = {
    name,
    arn: newSecretArn(ctx, name),
    description: input.Description,
    kmsKeyId: input.KmsKeyId || undefined,
    tags,
    createdDate: now,
    lastChangedDate: now,
    versions: [],
  };
  if (value) addVersion(ctx, secret, versionId!, value);
  saveSecret(ctx, secret);
  return { ARN: secret.arn, Name: secret.name, VersionId: versionId };
};
