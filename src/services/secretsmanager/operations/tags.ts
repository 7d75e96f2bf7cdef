// TagResource and UntagResource: tags live on the secret, not on its versions.

import type * as SM from '@aws-sdk/client-secrets-manager';
import { checkTagCount, mergeTags, removeTags, type Tag } from '../../common/tags.js';
import type { Handler } from '../../types.js';
import { invalidParameter, markedForDeletion } from '../errors.js';
import { requireSecret, saveSecret } from '../state.js';

export const tagResource: Handler<SM.TagResourceRequest, void> = (input, ctx) => {
  const secret = requireSecret(ctx, input.SecretId!);
  if (secret.deletedDate !== undefined) throw markedForDeletion();
  const tags = mergeTags(secret.tags ?? [], input.Tags as Tag[]);
  checkTagCount(tags, invalidParameter);
  secret.tags = tags;
  secret.lastChangedDate = ctx.clock.now();
  saveSecret(ctx, secret);
};

export const untagResource: Handler<SM.UntagResourceRequest, void> = (input, ctx) => {
  const secret = requireSecret(ctx, input.SecretId!);
  if (secret.deletedDate !== undefined) throw markedForDeletion();
  // Once tagged, a secret shows Tags: [] after its last tag goes; never tagged, it shows none.
  if (secret.tags) secret.tags = removeTags(secret.tags, input.TagKeys!);
  secret.lastChangedDate = ctx.clock.now();
  saveSecret(ctx, secret);
};
