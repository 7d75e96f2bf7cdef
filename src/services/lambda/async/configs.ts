// PutFunctionEventInvokeConfig, GetFunctionEventInvokeConfig, UpdateFunctionEventInvokeConfig,
// DeleteFunctionEventInvokeConfig and ListFunctionEventInvokeConfigs: how a function, version or
// alias treats its asynchronous invocations (retries, maximum event age, destinations). One
// record per qualifier, keyed `<function>:<qualifier>` ($LATEST when unqualified).

import type * as L from '@aws-sdk/client-lambda';
import type { Handler, RequestContext } from '../../types.js';
import { parseArn } from '../../common/arn.js';
import { decodeToken, encodeToken } from '../../common/pagination.js';
import { invalidParameter, resourceNotFound } from '../errors.js';
import { functionArn, functions, parseFunctionName, resolveQualifier } from '../state.js';

export interface InvokeConfigRecord {
  functionName: string;
  qualifier: string;
  maximumRetryAttempts?: number;
  maximumEventAgeInSeconds?: number;
  onSuccess?: string;
  onFailure?: string;
  /** ms on Fogbank's clock. */
  lastModified: number;
}

/** AWS's defaults when no config (or no value) says otherwise. */
export const DEFAULT_RETRIES = 2;
export const DEFAULT_MAX_AGE_SECONDS = 21_600;

export function invokeConfigs(ctx: RequestContext) {
  return ctx.collection<InvokeConfigRecord>('event-invoke-configs');
}

/** The config an invocation of `name` with `qualifier` follows (unqualified means $LATEST). */
export function invokeConfigFor(ctx: RequestContext, name: string, qualifier: string | undefined): InvokeConfigRecord | undefined {
  return invokeConfigs(ctx).get(`${name}:${qualifier ?? '$LATEST'}`);
}

/** DeleteFunction's cleanup: a later function of the same name starts without them. */
export function deleteInvokeConfigs(ctx: RequestContext, name: string): void {
  invokeConfigs(ctx).deletePrefix(`${name}:`);
}

function view(ctx: RequestContext, record: InvokeConfigRecord): L.FunctionEventInvokeConfig {
  return {
    LastModified: new Date(record.lastModified),
    FunctionArn: functionArn(ctx, record.functionName, record.qualifier),
    MaximumRetryAttempts: record.maximumRetryAttempts,
    MaximumEventAgeInSeconds: record.maximumEventAgeInSeconds,
    DestinationConfig: {
      OnSuccess: record.onSuccess !== undefined ? { Destination: record.onSuccess } : {},
      OnFailure: record.onFailure !== undefined ? { Destination: record.onFailure } : {},
    },
  };
}

function noConfig(ctx: RequestContext, name: string, qualifier: string) {
  return resourceNotFound(`The function ${functionArn(ctx, name, qualifier)} doesn't have an EventInvokeConfig`);
}

/** The function (and version or alias) a Put or Update names, which must exist. */
function target(ctx: RequestContext, input: { FunctionName?: string; Qualifier?: string }): { name: string; qualifier: string } {
  const ref = parseFunctionName(ctx, input.FunctionName!, input.Qualifier);
  const record = functions(ctx).get(ref.name);
  const missing = () => resourceNotFound("The function doesn't exist.");
  if (!record) throw missing();
  try {
    resolveQualifier(ctx, record, ref.qualifier);
  } catch {
    throw missing();
  }
  return { name: ref.name, qualifier: ref.qualifier ?? '$LATEST' };
}

/** Whether Fogbank can deliver to this destination: a queue, topic, function (not itself) or event bus. */
function checkDestinations(ctx: RequestContext, functionName: string, config: L.DestinationConfig): void {
  const success = config.OnSuccess?.Destination || undefined;
  const failure = config.OnFailure?.Destination || undefined;
  const valid = (destination: string | undefined): boolean => {
    if (destination === undefined) return true;
    const parts = parseArn(destination);
    if (!parts) return false;
    if (parts.service === 'lambda') {
      const name = /^function:([a-zA-Z0-9-_]+)(?::[a-zA-Z0-9-_$]+)?$/.exec(parts.resource)?.[1];
      if (!name || !functions(ctx).has(name)) throw invalidParameter(`The destination ARN ${destination} is invalid.`);
      if (name === functionName) throw invalidParameter("You can't specify the function as a destination for itself.");
      return true;
    }
    return parts.service === 'sqs' || parts.service === 'sns' || (parts.service === 'events' && parts.resource.startsWith('event-bus/'));
  };
  if (valid(success) && valid(failure)) return;
  const part = (kind: string, destination: string | undefined) => (destination ? `${kind}(destination=${destination})` : 'null');
  throw invalidParameter(`The provided destination config DestinationConfig(onSuccess=${part('OnSuccess', success)}, onFailure=${part('OnFailure', failure)}) is invalid.`);
}

type ConfigInput = L.PutFunctionEventInvokeConfigRequest;

function requireSetting(input: ConfigInput): void {
  if (input.MaximumRetryAttempts === undefined && input.MaximumEventAgeInSeconds === undefined && input.DestinationConfig === undefined) {
    throw invalidParameter('You must specify at least one of error handling or destination setting.');
  }
}

export const putFunctionEventInvokeConfig: Handler<ConfigInput, L.FunctionEventInvokeConfig> = (input, ctx) => {
  requireSetting(input);
  const { name, qualifier } = target(ctx, input);
  if (input.DestinationConfig) checkDestinations(ctx, name, input.DestinationConfig);
  // Put replaces the whole config: what it leaves out is removed.
  const record: InvokeConfigRecord = {
    functionName: name,
    qualifier,
    maximumRetryAttempts: input.MaximumRetryAttempts,
    maximumEventAgeInSeconds: input.MaximumEventAgeInSeconds,
    onSuccess: input.DestinationConfig?.OnSuccess?.Destination || undefined,
    onFailure: input.DestinationConfig?.OnFailure?.Destination || undefined,
    lastModified: ctx.clock.now(),
  };
  invokeConfigs(ctx).put(`${name}:${qualifier}`, record);
  return view(ctx, record);
};

export const updateFunctionEventInvokeConfig: Handler<ConfigInput, L.FunctionEventInvokeConfig> = (input, ctx) => {
  requireSetting(input);
  const { name, qualifier } = target(ctx, input);
  const existing = invokeConfigs(ctx).get(`${name}:${qualifier}`);
  if (!existing) throw noConfig(ctx, name, qualifier);
  if (input.DestinationConfig) checkDestinations(ctx, name, input.DestinationConfig);
  const record: InvokeConfigRecord = {
    ...existing,
    maximumRetryAttempts: input.MaximumRetryAttempts ?? existing.maximumRetryAttempts,
    maximumEventAgeInSeconds: input.MaximumEventAgeInSeconds ?? existing.maximumEventAgeInSeconds,
    lastModified: ctx.clock.now(),
  };
  if (input.DestinationConfig?.OnSuccess !== undefined) record.onSuccess = input.DestinationConfig.OnSuccess.Destination || undefined;
  if (input.DestinationConfig?.OnFailure !== undefined) record.onFailure = input.DestinationConfig.OnFailure.Destination || undefined;
  invokeConfigs(ctx).put(`${name}:${qualifier}`, record);
  return view(ctx, record);
};

export const getFunctionEventInvokeConfig: Handler<L.GetFunctionEventInvokeConfigRequest, L.FunctionEventInvokeConfig> = (input, ctx) => {
  const ref = parseFunctionName(ctx, input.FunctionName!, input.Qualifier);
  const qualifier = ref.qualifier ?? '$LATEST';
  const record = functions(ctx).has(ref.name) ? invokeConfigs(ctx).get(`${ref.name}:${qualifier}`) : undefined;
  if (!record) throw noConfig(ctx, ref.name, qualifier);
  return view(ctx, record);
};

export const deleteFunctionEventInvokeConfig: Handler<L.DeleteFunctionEventInvokeConfigRequest, Record<string, never>> = (input, ctx) => {
  const ref = parseFunctionName(ctx, input.FunctionName!, input.Qualifier);
  const qualifier = ref.qualifier ?? '$LATEST';
  const deleted = functions(ctx).has(ref.name) && invokeConfigs(ctx).delete(`${ref.name}:${qualifier}`);
  if (!deleted) throw noConfig(ctx, ref.name, qualifier);
  return {};
};

export const listFunctionEventInvokeConfigs: Handler<L.ListFunctionEventInvokeConfigsRequest, L.ListFunctionEventInvokeConfigsResponse> = (input, ctx) => {
  const ref = parseFunctionName(ctx, input.FunctionName!);
  if (!functions(ctx).has(ref.name)) throw resourceNotFound("The function doesn't exist.");
  const limit = input.MaxItems ?? 50;
  const after = input.Marker !== undefined ? decodeToken(input.Marker, () => invalidParameter('Invalid Marker')) : undefined;
  const page = invokeConfigs(ctx).list({ prefix: `${ref.name}:`, after, limit: limit + 1 });
  const shown = page.slice(0, limit);
  return {
    FunctionEventInvokeConfigs: shown.map(([, record]) => view(ctx, record)),
    NextMarker: page.length > limit ? encodeToken(shown[shown.length - 1]![0]) : undefined,
  };
};
