// GetParametersByPath: the parameters directly under a path, or at any depth with Recursive,
// filtered, ten to a page at most.

import type * as SSM from '@aws-sdk/client-ssm';
import { paginate } from '../common/pagination.js';
import type { Handler } from '../types.js';
import { invalidNextToken } from './errors.js';
import { checkFilters, matchesAll } from './filters.js';
import { checkPath, isUnderPath } from './names.js';
import { latestVersion, parameters, versionsOf, type StoredVersion } from './state.js';
import { parameterView } from './views.js';

const DEFAULT_PAGE = 10;

export const getParametersByPath: Handler<SSM.GetParametersByPathRequest, SSM.GetParametersByPathResult> = (input, ctx) => {
  const query = checkPath(input.Path!);
  const filters = checkFilters(input.ParameterFilters, 'path');
  // AWS's public parameters (/aws/service/...) are not carried by Fogbank.
  if (query.global) return { Parameters: [] };
  const label = filters.find((f) => f.key === 'Label');
  const others = filters.filter((f) => f !== label);
  const candidates = parameters(ctx).values(query.path ? { prefix: `${query.path}/` } : {});
  const found: StoredVersion[] = [];
  for (const parameter of candidates) {
    if (!isUnderPath(parameter.Name, query.path, !!input.Recursive)) continue;
    // A Label filter answers with the version that carries the label.
    const version = label
      ? versionsOf(ctx, parameter.Name).find((v) => v.Labels.some((l) => label.values.includes(l)))
      : latestVersion(ctx, parameter);
    if (version && matchesAll(version, parameter, others)) found.push(version);
  }
  const page = paginate(found, (v) => v.Name, input.MaxResults ?? DEFAULT_PAGE, input.NextToken, invalidNextToken);
  return { Parameters: page.items.map((v) => parameterView(v, ctx, input.WithDecryption)), NextToken: page.nextToken };
};
