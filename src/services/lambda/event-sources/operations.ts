// CreateEventSourceMapping, GetEventSourceMapping, ListEventSourceMappings,
// UpdateEventSourceMapping and DeleteEventSourceMapping. A change answers with AWS's transitional
// state (Creating, Updating, Enabling, Disabling, Deleting); the mapping has settled by the next read.

import { randomUUID } from 'node:crypto';
import type * as L from '@aws-sdk/client-lambda';
import type { Handler, RequestContext } from '../../types.js';
import { decodeToken, encodeToken } from '../../common/pagination.js';
import { invalidParameter, resourceConflict } from '../errors.js';
import { functionArn, getFunction, parseFunctionName, resolveQualifier } from '../state.js';
import { restartPoller, startPoller, stopPoller } from './pollers.js';
import { checkFilterCriteria } from './filters.js';
import { parseArn } from '../../common/arn.js';
import { checkSqsBatching, checkStreamExists, checkVisibility, queueFacts, sourceKind } from './sources.js';
import { getMapping, mappings, mappingView, type MappingRecord } from './state.js';

const RESPONSE_TYPES = new Set(['ReportBatchItemFailures']);

/** The function a FunctionName names (checked to exist), its ARN as the mapping keeps it, and its timeout. */
function targetFunction(ctx: RequestContext, name: string): { arn: string; name: string; timeout: number } {
  const ref = parseFunctionName(ctx, name);
  const latest = getFunction(ctx, ref);
  const { config } = resolveQualifier(ctx, latest, ref.qualifier);
  return { arn: functionArn(ctx, latest.name, ref.qualifier), name: latest.name, timeout: config.timeout };
}

function checkResponseTypes(types: string[] | undefined): void {
  for (const type of types ?? []) if (!RESPONSE_TYPES.has(type)) throw invalidParameter(`Unsupported FunctionResponseType: ${type}`);
}

/** OnFailure destinations suit stream sources only, and must be a queue or a topic. */
function checkDestination(kind: MappingRecord['kind'], config: L.DestinationConfig | undefined): string | undefined {
  if (config === undefined) return undefined;
  if (config.OnSuccess !== undefined || (kind === 'sqs' && config.OnFailure?.Destination)) {
    throw invalidParameter('Unsupported DestinationConfig parameter for given event source mapping type.');
  }
  const destination = config.OnFailure?.Destination || undefined;
  if (destination === undefined) return undefined;
  const service = parseArn(destination)?.service;
  if (service !== 'sqs' && service !== 'sns') {
    throw invalidParameter(`The provided destination config DestinationConfig(onSuccess=null, onFailure=OnFailure(destination=${destination})) is invalid.`);
  }
  return destination;
}

function checkScaling(kind: MappingRecord['kind'], scaling: L.ScalingConfig | undefined): number | undefined {
  if (scaling === undefined) return undefined;
  if (kind !== 'sqs') throw invalidParameter('Unsupported ScalingConfig parameter for given event source mapping type.');
  return scaling.MaximumConcurrency;
}

function conflict(ctx: RequestContext, record: MappingRecord, fnName: string): void {
  const existing = mappings(ctx)
    .values()
    .find((m) => m.eventSourceArn === record.eventSourceArn && m.functionArn === record.functionArn);
  if (!existing) return;
  if (record.kind === 'sqs') {
    throw resourceConflict(
      `An event source mapping with SQS arn (" ${record.eventSourceArn} ") and function (" ${fnName} ") already exists. Please update or delete the existing mapping with UUID ${existing.uuid}`,
    );
  }
  throw resourceConflict(
    `The event source arn (" ${record.eventSourceArn} ") and function (" ${fnName} ") provided mapping already exists. Please update or delete the existing mapping with UUID ${existing.uuid}`,
  );
}

export const createEventSourceMapping: Handler<L.CreateEventSourceMappingRequest, L.EventSourceMappingConfiguration> = async (input, ctx) => {
  const kind = sourceKind(input.EventSourceArn);
  const fn = targetFunction(ctx, input.FunctionName!);
  checkResponseTypes(input.FunctionResponseTypes);
  const source = input.EventSourceArn!;
  const record: MappingRecord = {
    uuid: randomUUID(),
    kind,
    functionArn: fn.arn,
    eventSourceArn: source,
    enabled: input.Enabled ?? true,
    batchSize: input.BatchSize ?? (kind === 'sqs' ? 10 : 100),
    batchingWindow: input.MaximumBatchingWindowInSeconds ?? 0,
    functionResponseTypes: input.FunctionResponseTypes ?? [],
    lastModified: ctx.clock.now(),
    stateTransitionReason: kind === 'sqs' ? 'USER_INITIATED' : 'User action',
    filters: checkFilterCriteria(input.FilterCriteria),
    maximumConcurrency: checkScaling(kind, input.ScalingConfig),
    onFailure: checkDestination(kind, input.DestinationConfig),
  };
  if (kind === 'sqs') {
    if (input.StartingPosition !== undefined) throw invalidParameter('StartingPosition is not valid for SQS event sources.');
    const queue = await queueFacts(ctx, source);
    checkSqsBatching(queue, record.batchSize, record.batchingWindow);
    checkVisibility(queue, fn.timeout);
  } else {
    if (input.StartingPosition === undefined) {
      throw invalidParameter("1 validation error detected: Value null at 'startingPosition' failed to satisfy constraint: Member must not be null.");
    }
    if (input.StartingPosition !== 'TRIM_HORIZON' && input.StartingPosition !== 'LATEST') {
      throw invalidParameter(`Unsupported starting position for DynamoDB streams: ${input.StartingPosition}`);
    }
    checkStreamExists(ctx, source);
    Object.assign(record, {
      startingPosition: input.StartingPosition,
      maximumRetryAttempts: input.MaximumRetryAttempts ?? -1,
      maximumRecordAgeInSeconds: input.MaximumRecordAgeInSeconds ?? -1,
      bisectBatchOnFunctionError: input.BisectBatchOnFunctionError ?? false,
      parallelizationFactor: input.ParallelizationFactor ?? 1,
      tumblingWindowInSeconds: input.TumblingWindowInSeconds ?? 0,
      positioned: false,
    });
  }
  conflict(ctx, record, fn.name);
  mappings(ctx).put(record.uuid, record);
  if (record.enabled) startPoller(ctx, record.uuid);
  return mappingView(record, 'Creating');
};

export const getEventSourceMapping: Handler<L.GetEventSourceMappingRequest, L.EventSourceMappingConfiguration> = (input, ctx) =>
  mappingView(getMapping(ctx, input.UUID!));

export const listEventSourceMappings: Handler<L.ListEventSourceMappingsRequest, L.ListEventSourceMappingsResponse> = (input, ctx) => {
  let wanted: ((m: MappingRecord) => boolean) | undefined;
  if (input.FunctionName !== undefined) {
    const ref = parseFunctionName(ctx, input.FunctionName);
    const base = functionArn(ctx, ref.name);
    // An unqualified name matches the function's mappings whatever their qualifier.
    wanted = ref.qualifier ? (m) => m.functionArn === functionArn(ctx, ref.name, ref.qualifier) : (m) => m.functionArn === base || m.functionArn.startsWith(`${base}:`);
  }
  const limit = Math.min(input.MaxItems ?? 100, 10000);
  const after = input.Marker !== undefined ? decodeToken(input.Marker, () => invalidParameter('Invalid Marker')) : undefined;
  const all = mappings(ctx)
    .values({ after })
    .filter((m) => (!wanted || wanted(m)) && (input.EventSourceArn === undefined || m.eventSourceArn === input.EventSourceArn));
  const page = all.slice(0, limit);
  return {
    EventSourceMappings: page.map((m) => mappingView(m)),
    NextMarker: all.length > limit ? encodeToken(page[page.length - 1]!.uuid) : undefined,
  };
};

export const updateEventSourceMapping: Handler<L.UpdateEventSourceMappingRequest, L.EventSourceMappingConfiguration> = async (input, ctx) => {
  const record = getMapping(ctx, input.UUID!);
  checkResponseTypes(input.FunctionResponseTypes);
  const fn = input.FunctionName !== undefined ? targetFunction(ctx, input.FunctionName) : targetFunction(ctx, record.functionArn);
  const wasEnabled = record.enabled;
  const next: MappingRecord = {
    ...record,
    functionArn: fn.arn,
    enabled: input.Enabled ?? record.enabled,
    batchSize: input.BatchSize ?? record.batchSize,
    batchingWindow: input.MaximumBatchingWindowInSeconds ?? record.batchingWindow,
    functionResponseTypes: input.FunctionResponseTypes ?? record.functionResponseTypes,
    lastModified: ctx.clock.now(),
    stateTransitionReason: record.kind === 'sqs' ? 'USER_INITIATED' : 'User action',
  };
  if (input.FilterCriteria !== undefined) next.filters = checkFilterCriteria(input.FilterCriteria);
  if (input.ScalingConfig !== undefined) next.maximumConcurrency = checkScaling(record.kind, input.ScalingConfig);
  if (input.DestinationConfig !== undefined) next.onFailure = checkDestination(record.kind, input.DestinationConfig);
  if (record.kind === 'sqs') {
    const queue = await queueFacts(ctx, record.eventSourceArn);
    checkSqsBatching(queue, next.batchSize, next.batchingWindow);
    if (input.FunctionName !== undefined) checkVisibility(queue, fn.timeout);
  } else {
    next.maximumRetryAttempts = input.MaximumRetryAttempts ?? record.maximumRetryAttempts;
    next.maximumRecordAgeInSeconds = input.MaximumRecordAgeInSeconds ?? record.maximumRecordAgeInSeconds;
    next.bisectBatchOnFunctionError = input.BisectBatchOnFunctionError ?? record.bisectBatchOnFunctionError;
    next.parallelizationFactor = input.ParallelizationFactor ?? record.parallelizationFactor;
    next.tumblingWindowInSeconds = input.TumblingWindowInSeconds ?? record.tumblingWindowInSeconds;
  }
  mappings(ctx).put(next.uuid, next);
  // A poller re-reads its mapping each round; only a new concurrency needs new loops.
  if (next.enabled && next.maximumConcurrency !== record.maximumConcurrency) restartPoller(ctx, next.uuid);
  else if (next.enabled) startPoller(ctx, next.uuid);
  else stopPoller(ctx.store, next.uuid);
  const state = wasEnabled === next.enabled ? 'Updating' : next.enabled ? 'Enabling' : 'Disabling';
  return mappingView(next, state);
};

export const deleteEventSourceMapping: Handler<L.DeleteEventSourceMappingRequest, L.EventSourceMappingConfiguration> = (input, ctx) => {
  const record = getMapping(ctx, input.UUID!);
  mappings(ctx).delete(record.uuid);
  stopPoller(ctx.store, record.uuid);
  return mappingView(record, 'Deleting');
};
