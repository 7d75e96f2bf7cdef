// What an event source mapping is to Fogbank: one record per mapping, keyed by UUID in the
// function's account and region, and its EventSourceMappingConfiguration view.

import type * as L from '@aws-sdk/client-lambda';
import type { RequestContext } from '../../types.js';
import { resourceNotFound } from '../errors.js';

export type SourceKind = 'sqs' | 'dynamodb';

export interface MappingRecord {
  uuid: string;
  kind: SourceKind;
  functionArn: string;
  eventSourceArn: string;
  enabled: boolean;
  batchSize: number;
  batchingWindow: number;
  functionResponseTypes: string[];
  /** ms on Fogbank's clock. */
  lastModified: number;
  /** What the last change asked for, as AWS reports it while the change settles. */
  stateTransitionReason: string;
  lastProcessingResult?: string;
  /** FilterCriteria patterns (JSON text), as given; a record passes when one matches. */
  filters?: string[];
  /** ScalingConfig.MaximumConcurrency (SQS). */
  maximumConcurrency?: number;
  /** DestinationConfig.OnFailure.Destination (streams). */
  onFailure?: string;
  // Stream sources only.
  startingPosition?: string;
  startingPositionTimestamp?: number;
  maximumRetryAttempts?: number;
  maximumRecordAgeInSeconds?: number;
  bisectBatchOnFunctionError?: boolean;
  parallelizationFactor?: number;
  tumblingWindowInSeconds?: number;
  /** The sequence number of the last record delivered (stream sources); undefined before any. */
  position?: string;
  /** Whether the stream position has been fixed (LATEST is fixed at the first poll). */
  positioned?: boolean;
}

export const MAPPINGS = 'event-source-mappings';

export function mappings(ctx: RequestContext) {
  return ctx.collection<MappingRecord>(MAPPINGS);
}

export function mappingNotFound() {
  return resourceNotFound('The resource you requested does not exist.');
}

export function getMapping(ctx: RequestContext, uuid: string): MappingRecord {
  const record = mappings(ctx).get(uuid);
  if (!record) throw mappingNotFound();
  return record;
}

/** The configuration AWS answers; `state` is the transitional state an operation reports. */
export function mappingView(record: MappingRecord, state?: string): L.EventSourceMappingConfiguration {
  const view: L.EventSourceMappingConfiguration = {
    UUID: record.uuid,
    BatchSize: record.batchSize,
    MaximumBatchingWindowInSeconds: record.batchingWindow,
    EventSourceArn: record.eventSourceArn,
    FunctionArn: record.functionArn,
    LastModified: new Date(record.lastModified),
    State: state ?? (record.enabled ? 'Enabled' : 'Disabled'),
    StateTransitionReason: record.stateTransitionReason,
    FunctionResponseTypes: record.functionResponseTypes as L.FunctionResponseType[],
  };
  if (record.filters?.length) view.FilterCriteria = { Filters: record.filters.map((Pattern) => ({ Pattern })) };
  if (record.maximumConcurrency !== undefined) view.ScalingConfig = { MaximumConcurrency: record.maximumConcurrency };
  if (record.kind === 'dynamodb') {
    Object.assign(view, {
      StartingPosition: record.startingPosition,
      StartingPositionTimestamp: record.startingPositionTimestamp !== undefined ? new Date(record.startingPositionTimestamp) : undefined,
      ParallelizationFactor: record.parallelizationFactor,
      LastProcessingResult: record.lastProcessingResult ?? 'No records processed',
      DestinationConfig: { OnFailure: record.onFailure ? { Destination: record.onFailure } : {} },
      MaximumRecordAgeInSeconds: record.maximumRecordAgeInSeconds,
      BisectBatchOnFunctionError: record.bisectBatchOnFunctionError,
      MaximumRetryAttempts: record.maximumRetryAttempts,
      TumblingWindowInSeconds: record.tumblingWindowInSeconds,
    });
  }
  return view;
}
