// CreateFunction, GetFunction, GetFunctionConfiguration, ListFunctions, DeleteFunction.

import { randomUUID } from 'node:crypto';
import type * as L from '@aws-sdk/client-lambda';
import { decodeToken, encodeToken } from '../common/pagination.js';
import type { Handler, RequestContext } from '../types.js';
import { lambdaRuntime, stopFunctionWorkers } from '../../runtime/index.js';
import { checkEnvironment, checkLimits, checkRuntimeAndHandler } from './checks.js';
import { dropCode, HOT_RELOAD_BUCKET, hotReloadCode, storeCode, type CodeInfo } from './code.js';
import { invalidParameter, resourceConflict } from './errors.js';
import { deleteFunctionUrls } from './function-urls.js';
import { deleteInvokeConfigs } from './async/configs.js';
import { layerSizes } from './layer-mount.js';
import { deletePolicies } from './permissions.js';
import { publishVersion } from './versions.js';
import { aliases, functions, getFunction, lastModifiedText, parseFunctionName, resolveQualifier, versionKey, versions, type FunctionRecord } from './state.js';
import { configurationOf, pending } from './views.js';

/** The package named by Code (inline ZipFile, or an S3 object fetched through S3's own handler). */
export async function codeFrom(ctx: RequestContext, code: { ZipFile?: Uint8Array; S3Bucket?: string; S3Key?: string; S3ObjectVersion?: string; ImageUri?: string }): Promise<CodeInfo> {
  if (code.ImageUri) throw invalidParameter('Container image functions are not supported by Fogbank; deploy a .zip file archive.');
  if (code.ZipFile) return storeCode(ctx.store, Buffer.from(code.ZipFile));
  if (code.S3Bucket === HOT_RELOAD_BUCKET && code.S3Key) return hotReloadCode(code.S3Key);
  if (code.S3Bucket && code.S3Key) {
    let body: Buffer;
    try {
      const object = await ctx.call('s3', 'GetObject', { Bucket: code.S3Bucket, Key: code.S3Key, VersionId: code.S3ObjectVersion });
      body = await bodyBytes(object.Body);
    } catch (error) {
      const e = error as { code?: string; message?: string };
      throw invalidParameter(`Error occurred while GetObject. S3 Error Code: ${e.code ?? 'NoSuchKey'}. S3 Error Message: ${e.message ?? 'The specified key does not exist.'}`);
    }
    return storeCode(ctx.store, body);
  }
  throw invalidParameter('Please provide a source for function code.');
}

async function bodyBytes(body: unknown): Promise<Buffer> {
  if (Buffer.isBuffer(body) || body instanceof Uint8Array) return Buffer.from(body);
  if (typeof body === 'string') return Buffer.from(body);
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Buffer>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

export const createFunction: Handler<L.CreateFunctionRequest, L.FunctionConfiguration> = async (input, ctx) => {
  if (input.PackageType === 'Image') throw invalidParameter('Container image functions are not supported by Fogbank; deploy a .zip file archive.');
  checkLimits(input.Timeout, input.MemorySize);
  checkRuntimeAndHandler(input.Runtime, input.Handler);
  checkEnvironment(input.Environment?.Variables);
  const name = parseFunctionName(ctx, input.FunctionName!).name;
  if (functions(ctx).has(name)) throw resourceConflict(`Function already exist: ${name}`);
  const code = await codeFrom(ctx, input.Code!);
  const record: FunctionRecord = {
    name,
    runtime: input.Runtime!,
    role: input.Role!,
    handler: input.Handler!,
    description: input.Description ?? '',
    timeout: input.Timeout ?? 3,
    memorySize: input.MemorySize ?? 128,
    environment: input.Environment?.Variables,
    layers: input.Layers ?? [],
    layerSizes: layerSizes(ctx, input.Layers ?? []),
    architectures: input.Architectures ?? ['x86_64'],
    ephemeralStorage: input.EphemeralStorage?.Size ?? 512,
    tracingMode: input.TracingConfig?.Mode ?? 'PassThrough',
    lastModified: lastModifiedText(ctx.clock.now()),
    revisionId: randomUUID(),
    codeSha256: code.sha256,
    codeSize: code.size,
    codeBlob: code.blob,
    hotReloadPath: code.hotReload,
    tags: input.Tags ?? {},
    deadLetterTarget: input.DeadLetterConfig?.TargetArn || undefined,
    loggingConfig: {
      LogFormat: input.LoggingConfig?.LogFormat ?? 'Text',
      LogGroup: input.LoggingConfig?.LogGroup ?? `/aws/lambda/${name}`,
      ...(input.LoggingConfig?.ApplicationLogLevel ? { ApplicationLogLevel: input.LoggingConfig.ApplicationLogLevel } : {}),
      ...(input.LoggingConfig?.SystemLogLevel ? { SystemLogLevel: input.LoggingConfig.SystemLogLevel } : {}),
    },
  };
  // Two creates may race past the check above while code is fetched; the first to land wins.
  if (functions(ctx).has(name)) {
    dropCode(ctx.store, code.blob);
    throw resourceConflict(`Function already exist: ${name}`);
  }
  functions(ctx).put(name, record);
  if (input.Publish) return { ...(publishVersion({ FunctionName: name }, ctx) as L.FunctionConfiguration), ...pending };
  return configurationOf(ctx, record, 'creating');
};

export const getFunctionConfiguration: Handler<L.GetFunctionConfigurationRequest, L.FunctionConfiguration> = (input, ctx) => {
  const ref = parseFunctionName(ctx, input.FunctionName!, input.Qualifier);
  return configurationOf(ctx, resolveQualifier(ctx, getFunction(ctx, ref), ref.qualifier).config);
};

export const getFunctionHandler: Handler<L.GetFunctionRequest, L.GetFunctionResponse> = async (input, ctx) => {
  const ref = parseFunctionName(ctx, input.FunctionName!, input.Qualifier);
  const record = getFunction(ctx, ref);
  const { config } = resolveQualifier(ctx, record, ref.qualifier);
  const location = config.hotReloadPath ? undefined : await lambdaRuntime(ctx.store).codeUrl(config.codeBlob);
  return {
    Configuration: configurationOf(ctx, config),
    Code: { RepositoryType: 'S3', Location: location },
    Tags: Object.keys(record.tags).length ? record.tags : undefined,
    Concurrency: record.reservedConcurrency !== undefined ? { ReservedConcurrentExecutions: record.reservedConcurrency } : undefined,
  };
};

export const listFunctions: Handler<L.ListFunctionsRequest, L.ListFunctionsResponse> = (input, ctx) => {
  const limit = input.MaxItems ?? 50;
  const after = input.Marker !== undefined ? decodeToken(input.Marker, () => invalidParameter('Invalid Marker')) : undefined;
  // Positions sort as names do (NUL before any name character); with FunctionVersion=ALL each
  // function is followed by its published versions.
  const position = (name: string, version: string) => `${name}\u0000${version.padStart(10, '0')}`;
  const afterName = after?.split('\u0000')[0];
  const items: Array<[string, L.FunctionConfiguration]> = [];
  for (const [name, record] of functions(ctx).list(afterName !== undefined ? { from: afterName } : {})) {
    const entries: Array<[string, L.FunctionConfiguration]> = [[position(name, '0'), configurationOf(ctx, record)]];
    if (input.FunctionVersion === 'ALL') {
      for (const version of versions(ctx).values({ prefix: `${name}:` })) entries.push([position(name, version.version), configurationOf(ctx, version)]);
    }
    for (const entry of entries) if (after === undefined || entry[0] > after) items.push(entry);
    if (items.length > limit) break;
  }
  const page = items.slice(0, limit);
  return {
    Functions: page.map(([, config]) => config),
    NextMarker: items.length > limit ? encodeToken(page[page.length - 1]![0]) : undefined,
  };
};

export const deleteFunction: Handler<L.DeleteFunctionRequest, L.DeleteFunctionResponse> = (input, ctx) => {
  const ref = parseFunctionName(ctx, input.FunctionName!, input.Qualifier);
  const record = getFunction(ctx, ref);
  if (ref.qualifier === '$LATEST') throw invalidParameter('$LATEST version cannot be deleted without deleting the function.');
  if (ref.qualifier !== undefined) return deleteVersion(ctx, record, ref.qualifier);
  const blobs = new Set([record.codeBlob, ...versions(ctx).values({ prefix: `${record.name}:` }).map((v) => v.codeBlob)]);
  ctx.store.transaction(() => {
    functions(ctx).delete(record.name);
    versions(ctx).deletePrefix(`${record.name}:`);
    aliases(ctx).deletePrefix(`${record.name}:`);
    deletePolicies(ctx, record.name);
    deleteFunctionUrls(ctx, record.name);
    deleteInvokeConfigs(ctx, record.name);
  });
  for (const blob of blobs) dropCode(ctx.store, blob);
  stopFunctionWorkers(ctx.store, ctx, record.name);
  return {};
};

function deleteVersion(ctx: RequestContext, record: FunctionRecord, qualifier: string): L.DeleteFunctionResponse {
  if (!/^\d+$/.test(qualifier)) throw invalidParameter(`Deletion of aliases is not supported by DeleteFunction: use DeleteAlias for ${qualifier}.`);
  const version = resolveQualifier(ctx, record, qualifier).config;
  const using = aliases(ctx).values({ prefix: `${record.name}:` }).filter((a) => a.functionVersion === qualifier || a.weights?.[qualifier] !== undefined);
  if (using.length) throw resourceConflict(`Unable to delete version because the following aliases reference it: [${using.map((a) => a.name).join(', ')}]`);
  versions(ctx).delete(versionKey(record.name, qualifier));
  deletePolicies(ctx, record.name, qualifier);
  const stillUsed = record.codeBlob === version.codeBlob || versions(ctx).values({ prefix: `${record.name}:` }).some((v) => v.codeBlob === version.codeBlob);
  if (!stillUsed) dropCode(ctx.store, version.codeBlob);
  stopFunctionWorkers(ctx.store, ctx, `${record.name}:${qualifier}`, true);
  return {};
}
