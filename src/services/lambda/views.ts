// A function record as the API shows it (FunctionConfiguration), with the State and
// LastUpdateStatus the SDK waiters read.

import type * as L from '@aws-sdk/client-lambda';
import { functionArn, type FunctionRecord, type VersionRecord } from './state.js';

/** What a just-created function's configuration says. */
export const pending: Partial<L.FunctionConfiguration> = { State: 'Pending', StateReason: 'The function is being created.', StateReasonCode: 'Creating', LastUpdateStatus: undefined };

export type Phase = 'settled' | 'creating' | 'updating';

const RUNTIME_VERSION_IDS: Record<string, string> = {};

function runtimeVersionArn(region: string, runtime: string): string {
  // AWS names an opaque runtime build; Fogbank runs the host's, so one stable id per runtime.
  const id = (RUNTIME_VERSION_IDS[runtime] ??= Buffer.from(runtime).toString('hex').padEnd(64, '0').slice(0, 64));
  return `arn:aws:lambda:${region}::runtime:${id}`;
}

/**
 * Fogbank makes a function ready before answering, so stored records are Active and Successful;
 * the answer to the call that created or changed it says Pending or InProgress, as AWS's does,
 * and the next read (what the waiters poll) shows the settled state.
 */
export function configurationOf(ctx: { account: string; region: string }, record: FunctionRecord, phase: Phase = 'settled'): L.FunctionConfiguration {
  const version = (record as Partial<VersionRecord>).version ?? '$LATEST';
  const config: L.FunctionConfiguration = {
    FunctionName: record.name,
    FunctionArn: functionArn(ctx, record.name, version === '$LATEST' ? undefined : version),
    Runtime: record.runtime as L.Runtime,
    Role: record.role,
    Handler: record.handler,
    CodeSize: record.codeSize,
    Description: record.description,
    Timeout: record.timeout,
    MemorySize: record.memorySize,
    LastModified: record.lastModified,
    CodeSha256: record.codeSha256,
    Version: version,
    Environment: record.environment ? { Variables: record.environment } : undefined,
    TracingConfig: { Mode: record.tracingMode as L.TracingMode },
    DeadLetterConfig: record.deadLetterTarget ? { TargetArn: record.deadLetterTarget } : undefined,
    RevisionId: record.revisionId,
    Layers: record.layers.length ? record.layers.map((Arn) => ({ Arn, CodeSize: record.layerSizes?.[Arn] ?? 0 })) : undefined,
    State: 'Active',
    LastUpdateStatus: 'Successful',
    PackageType: 'Zip',
    Architectures: record.architectures as L.Architecture[],
    EphemeralStorage: { Size: record.ephemeralStorage },
    SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
    RuntimeVersionConfig: { RuntimeVersionArn: runtimeVersionArn(ctx.region, record.runtime) },
    LoggingConfig: record.loggingConfig as L.LoggingConfig,
  };
  if (phase === 'creating') {
    Object.assign(config, pending);
  } else if (phase === 'updating') {
    Object.assign(config, { LastUpdateStatus: 'InProgress', LastUpdateStatusReason: 'The function is being created.', LastUpdateStatusReasonCode: 'Creating' });
  }
  return config;
}
