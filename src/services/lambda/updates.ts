// UpdateFunctionCode and UpdateFunctionConfiguration. A change gives the function a new RevisionId;
// workers started for an older revision are retired on the next invoke.

import { randomUUID } from 'node:crypto';
import type * as L from '@aws-sdk/client-lambda';
import type { Handler, RequestContext } from '../types.js';
import { checkEnvironment, checkLimits, checkRuntime } from './checks.js';
import { dropCode } from './code.js';
import { preconditionFailed } from './errors.js';
import { codeFrom } from './functions.js';
import { functions, getFunction, lastModifiedText, parseFunctionName, versions, type FunctionRecord } from './state.js';
import { layerSizes } from './layer-mount.js';
import { publishVersion } from './versions.js';
import { configurationOf } from './views.js';

function checkRevision(record: FunctionRecord, revisionId: string | undefined): void {
  if (revisionId !== undefined && revisionId !== record.revisionId) throw preconditionFailed();
}

function save(ctx: RequestContext, record: FunctionRecord): void {
  record.revisionId = randomUUID();
  record.lastModified = lastModifiedText(ctx.clock.now());
  functions(ctx).put(record.name, record);
}

export const updateFunctionCode: Handler<L.UpdateFunctionCodeRequest, L.FunctionConfiguration> = async (input, ctx) => {
  const record = getFunction(ctx, parseFunctionName(ctx, input.FunctionName!));
  checkRevision(record, input.RevisionId);
  const code = await codeFrom(ctx, input);
  if (input.DryRun) {
    dropCode(ctx.store, code.blob);
    return configurationOf(ctx, { ...record, codeSha256: code.sha256, codeSize: code.size });
  }
  const oldBlob = record.codeBlob;
  Object.assign(record, { codeSha256: code.sha256, codeSize: code.size, codeBlob: code.blob, hotReloadPath: code.hotReload });
  if (input.Architectures) record.architectures = input.Architectures;
  save(ctx, record);
  // Published versions keep their code.
  if (!versions(ctx).values({ prefix: `${record.name}:` }).some((v) => v.codeBlob === oldBlob)) dropCode(ctx.store, oldBlob);
  if (input.Publish) return publishVersion({ FunctionName: record.name }, ctx) as L.FunctionConfiguration;
  return configurationOf(ctx, record, 'updating');
};

export const updateFunctionConfiguration: Handler<L.UpdateFunctionConfigurationRequest, L.FunctionConfiguration> = (input, ctx) => {
  const record = getFunction(ctx, parseFunctionName(ctx, input.FunctionName!));
  checkRevision(record, input.RevisionId);
  checkLimits(input.Timeout, input.MemorySize);
  if (input.Runtime !== undefined) checkRuntime(input.Runtime);
  checkEnvironment(input.Environment?.Variables);
  if (input.Role !== undefined) record.role = input.Role;
  if (input.Handler !== undefined) record.handler = input.Handler;
  if (input.Description !== undefined) record.description = input.Description;
  if (input.Timeout !== undefined) record.timeout = input.Timeout;
  if (input.MemorySize !== undefined) record.memorySize = input.MemorySize;
  if (input.Runtime !== undefined) record.runtime = input.Runtime;
  if (input.Environment !== undefined) record.environment = input.Environment.Variables ?? {};
  if (input.Layers !== undefined) [record.layers, record.layerSizes] = [input.Layers, layerSizes(ctx, input.Layers)];
  if (input.DeadLetterConfig !== undefined) record.deadLetterTarget = input.DeadLetterConfig.TargetArn || undefined;
  if (input.TracingConfig?.Mode !== undefined) record.tracingMode = input.TracingConfig.Mode;
  if (input.EphemeralStorage?.Size !== undefined) record.ephemeralStorage = input.EphemeralStorage.Size;
  if (input.LoggingConfig !== undefined) record.loggingConfig = { ...record.loggingConfig, ...input.LoggingConfig } as FunctionRecord['loggingConfig'];
  save(ctx, record);
  return configurationOf(ctx, record, 'updating');
};
