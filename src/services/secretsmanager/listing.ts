// The secrets ListSecrets and BatchGetSecretValue walk: filtered, ordered by CreatedDate, paged.

import type * as SM from '@aws-sdk/client-secrets-manager';
import { paginate, type Page } from '../common/pagination.js';
import type { RequestContext } from '../types.js';
import { invalidNextToken } from './errors.js';
import { checkFilters, matchesFilters } from './filters.js';
import { purgeIfExpired, secrets, type SecretRecord } from './state.js';

export interface ListingOptions {
  filters?: SM.Filter[];
  includePlannedDeletion?: boolean;
  sortOrder?: string;
  maxResults: number;
  nextToken?: string;
}

// Keys that sort like the listing, so a NextToken can name the last secret of a page.
const NEWEST = 9_999_999_999_999;
function keyOf(order: string | undefined): (s: SecretRecord) => string {
  const time = order === 'desc' ? (s: SecretRecord) => NEWEST - s.createdDate : (s: SecretRecord) => s.createdDate;
  return (s) => `${String(time(s)).padStart(13, '0')}/${s.name}`;
}

export function listSecretsPage(ctx: RequestContext, options: ListingOptions): Page<SecretRecord> {
  checkFilters(options.filters);
  const collection = secrets(ctx);
  const key = keyOf(options.sortOrder);
  const matching = collection
    .values()
    .filter((s) => !purgeIfExpired(ctx, collection, s))
    .filter((s) => options.includePlannedDeletion || s.deletedDate === undefined)
    .filter((s) => matchesFilters(s, options.filters))
    .map((s) => ({ s, k: key(s) }))
    .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
    .map(({ s }) => s);
  return paginate(matching, key, options.maxResults, options.nextToken, invalidNextToken);
}
