// DescribeSecret, ListSecrets and ListSecretVersionIds: a secret's metadata, never its value.
// DescribeSecret still answers for a secret scheduled for deletion (with its DeletedDate).

import type * as SM from '@aws-sdk/client-secrets-manager';
import { paginate } from '../../common/pagination.js';
import type { Handler } from '../../types.js';
import { invalidNextToken, markedForDeletion } from '../errors.js';
import { listSecretsPage } from '../listing.js';
import { requireSecret } from '../state.js';
import { describeView, listEntryView, versionEntryView } from '../views.js';

const LIST_DEFAULT = 100;

export const describeSecret: Handler<SM.DescribeSecretRequest, SM.DescribeSecretResponse> = (input, ctx) =>
  describeView(requireSecret(ctx, input.SecretId!));

export const listSecrets: Handler<SM.ListSecretsRequest, SM.ListSecretsResponse> = (input, ctx) => {
  const page = listSecretsPage(ctx, {
    filters: input.Filters,
    includePlannedDeletion: input.IncludePlannedDeletion,
    sortOrder: input.SortOrder,
    maxResults: input.MaxResults ?? LIST_DEFAULT,
    nextToken: input.NextToken,
  });
  return { SecretList: page.items.map(listEntryView), NextToken: page.nextToken };
};

export const listSecretVersionIds: Handler<SM.ListSecretVersionIdsRequest, SM.ListSecretVersionIdsResponse> = (input, ctx) => {
  const secret = requireSecret(ctx, input.SecretId!);
  if (secret.deletedDate !== undefined) throw markedForDeletion();
  const versions = secret.versions.filter((v) => input.IncludeDeprecated || v.stages.length > 0);
  // Oldest first; the key (creation time, then id) names a page's end in NextToken.
  const keyed = versions.map((v) => ({ v, key: `${String(v.createdDate).padStart(13, '0')}/${v.id}` })).sort((a, b) => (a.key < b.key ? -1 : 1));
  const page = paginate(keyed, (k) => k.key, input.MaxResults ?? LIST_DEFAULT, input.NextToken, invalidNextToken);
  return { ARN: secret.arn, Name: secret.name, Versions: page.items.map((k) => versionEntryView(k.v)), NextToken: page.nextToken };
};
