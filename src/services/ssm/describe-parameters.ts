// DescribeParameters: every parameter's metadata (never its value), filtered by the older
// Filters or by ParameterFilters, paged.

import type * as SSM from '@aws-sdk/client-ssm';
import { paginate } from '../common/pagination.js';
import type { Handler } from '../types.js';
import { invalidNextToken, validation } from './errors.js';
import { checkFilters, legacyFilters, matchesAll } from './filters.js';
import { latestVersion, parameters, type StoredVersion } from './state.js';
import { metadataView } from './views.js';

const DEFAULT_PAGE = 10;

export const describeParameters: Handler<SSM.DescribeParametersRequest, SSM.DescribeParametersResult> = (input, ctx) => {
  if (input.Filters?.length && input.ParameterFilters?.length) {
    throw validation('You can use either Filters or ParameterFilters in a single request.');
  }
  const filters = input.ParameterFilters?.length ? checkFilters(input.ParameterFilters, 'describe') : legacyFilters(input.Filters);
  // Parameters shared from other accounts: Fogbank has no sharing, so there are none.
  if (input.Shared) return { Parameters: [] };
  const found: StoredVersion[] = [];
  for (const parameter of parameters(ctx).values()) {
    const version = latestVersion(ctx, parameter);
    if (matchesAll(version, parameter, filters)) found.push(version);
  }
  const page = paginate(found, (v) => v.Name, input.MaxResults ?? DEFAULT_PAGE, input.NextToken, invalidNextToken);
  return { Parameters: page.items.map((v) => metadataView(v, ctx)), NextToken: page.nextToken };
};
