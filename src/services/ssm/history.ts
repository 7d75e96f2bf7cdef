// GetParameterHistory: every kept version of a parameter, oldest first, with its labels.

import type * as SSM from '@aws-sdk/client-ssm';
import { paginate } from '../common/pagination.js';
import type { Handler } from '../types.js';
import { invalidNextToken, parameterNotFound } from './errors.js';
import { parseReference } from './names.js';
import { parameters, versionKey, versionsOf } from './state.js';
import { historyView } from './views.js';

const DEFAULT_PAGE = 50;

export const getParameterHistory: Handler<SSM.GetParameterHistoryRequest, SSM.GetParameterHistoryResult> = (input, ctx) => {
  const asked = input.Name!.trim();
  const reference = parseReference(asked, ctx.account, ctx.region);
  if (!reference || reference.foreign || reference.selector || !parameters(ctx).has(reference.name)) throw parameterNotFound(asked);
  const all = versionsOf(ctx, reference.name);
  const page = paginate(all, (v) => versionKey(v.Name, v.Version), input.MaxResults ?? DEFAULT_PAGE, input.NextToken, invalidNextToken);
  return { Parameters: page.items.map((v) => historyView(v, input.WithDecryption)), NextToken: page.nextToken };
};
