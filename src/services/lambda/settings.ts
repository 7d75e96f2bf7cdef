// Tags, reserved concurrency and GetAccountSettings: small facts kept on the function record.

import type * as L from '@aws-sdk/client-lambda';
import type { Handler, RequestContext } from '../types.js';
import { functionNotFound, invalidParameter } from './errors.js';
import { functions, getFunction, parseFunctionName, type FunctionRecord } from './state.js';

/** AWS's default regional concurrency, and the part that must stay unreserved. */
const ACCOUNT_CONCURRENCY = 1000;
const MIN_UNRESERVED = 100;

/** Tag operations name the function by its full ARN (the model's pattern has checked its form). */
function taggedFunction(ctx: RequestContext, resource: string): FunctionRecord {
  const ref = parseFunctionName(ctx, resource);
  const record = functions(ctx).get(ref.name);
  if (!record) throw functionNotFound(resource);
  return record;
}

export const tagResource: Handler<L.TagResourceRequest, object> = (input, ctx) => {
  const record = taggedFunction(ctx, input.Resource!);
  const tags = { ...record.tags, ...input.Tags };
  if (Object.keys(tags).length > 50) throw invalidParameter('Number of tags exceeds resource tag limit.');
  record.tags = tags;
  functions(ctx).put(record.name, record);
  return {};
};

export const untagResource: Handler<L.UntagResourceRequest, object> = (input, ctx) => {
  const record = taggedFunction(ctx, input.Resource!);
  for (const key of input.TagKeys ?? []) delete record.tags[key];
  functions(ctx).put(record.name, record);
  return {};
};

export const listTags: Handler<L.ListTagsRequest, L.ListTagsResponse> = (input, ctx) => {
  return { Tags: taggedFunction(ctx, input.Resource!).tags };
};

function reservedElsewhere(ctx: RequestContext, name: string): number {
  let total = 0;
  for (const record of functions(ctx).values()) if (record.name !== name) total += record.reservedConcurrency ?? 0;
  return total;
}

export const putFunctionConcurrency: Handler<L.PutFunctionConcurrencyRequest, L.Concurrency> = (input, ctx) => {
  const record = getFunction(ctx, parseFunctionName(ctx, input.FunctionName!));
  const wanted = input.ReservedConcurrentExecutions!;
  if (reservedElsewhere(ctx, record.name) + wanted > ACCOUNT_CONCURRENCY - MIN_UNRESERVED) {
    throw invalidParameter(`Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [${MIN_UNRESERVED}].`);
  }
  record.reservedConcurrency = wanted;
  functions(ctx).put(record.name, record);
  return { ReservedConcurrentExecutions: wanted };
};

export const getFunctionConcurrency: Handler<L.GetFunctionConcurrencyRequest, L.GetFunctionConcurrencyResponse> = (input, ctx) => {
  const record = getFunction(ctx, parseFunctionName(ctx, input.FunctionName!));
  return { ReservedConcurrentExecutions: record.reservedConcurrency };
};

export const deleteFunctionConcurrency: Handler<L.DeleteFunctionConcurrencyRequest, object> = (input, ctx) => {
  const record = getFunction(ctx, parseFunctionName(ctx, input.FunctionName!));
  delete record.reservedConcurrency;
  functions(ctx).put(record.name, record);
  return {};
};

export const getAccountSettings: Handler<L.GetAccountSettingsRequest, L.GetAccountSettingsResponse> = (_input, ctx) => {
  const all = functions(ctx).values();
  const reserved = all.reduce((sum, r) => sum + (r.reservedConcurrency ?? 0), 0);
  return {
    AccountLimit: {
      TotalCodeSize: 80_530_636_800,
      CodeSizeUnzipped: 262_144_000,
      CodeSizeZipped: 52_428_800,
      ConcurrentExecutions: ACCOUNT_CONCURRENCY,
      UnreservedConcurrentExecutions: ACCOUNT_CONCURRENCY - reserved,
    },
    AccountUsage: { TotalCodeSize: all.reduce((sum, r) => sum + r.codeSize, 0), FunctionCount: all.length },
  };
};
