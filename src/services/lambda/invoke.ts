// Invoke: RequestResponse on a warm worker, Event queued (202, async/queue.ts), DryRun (204), with
// AWS's payload limits and error payloads. The worker's environment is AWS's, plus AWS_ENDPOINT_URL so the SDKs
// inside a function call this Fogbank unchanged.

import type * as L from '@aws-sdk/client-lambda';
import { commandFor, customBootstrap, lambdaRuntime, NO_BOOTSTRAP, RUNTIME_DIR, type FunctionLaunch } from '../../runtime/index.js';
import type { LaunchSpec } from '../../runtime/worker.js';
import { LogWriteBatch } from '../logs/index.js';
import type { Handler, RequestContext } from '../types.js';
import { SUPPORTED_RUNTIMES } from './checks.js';
import { folderFingerprint, taskRootOf } from './code.js';
import { layerPaths, mountLayers } from './layer-mount.js';
import { pickVersion } from './aliases.js';
import { invalidRequestContent, requestTooLarge, tooManyRequests } from './errors.js';
import { functionArn, functionToRun, parseFunctionName, resolveQualifier, type FunctionRecord } from './state.js';
import { enqueueEvent } from './async/queue.js';
import { ownerContext } from './permissions.js';

const MAX_SYNC_REQUEST = 6_291_456;
const MAX_EVENT_REQUEST = 262_144;
/** Workers per function when no reserved concurrency caps it (FOGBANK_LAMBDA_MAX_WORKERS). */
const DEFAULT_MAX_WORKERS = Number(process.env.FOGBANK_LAMBDA_MAX_WORKERS) || 20;

async function credentialsFor(ctx: RequestContext, record: FunctionRecord): Promise<Record<string, string>> {
  try {
    const session = record.name.length >= 2 ? record.name : `${record.name}-function`;
    const out = (await ctx.call('sts', 'AssumeRole', { RoleArn: record.role, RoleSessionName: session, DurationSeconds: 43200 })) as L.InvocationResponse & {
      Credentials?: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string };
    };
    const c = out.Credentials!;
    return { AWS_ACCESS_KEY_ID: c.AccessKeyId, AWS_SECRET_ACCESS_KEY: c.SecretAccessKey, AWS_SESSION_TOKEN: c.SessionToken };
  } catch {
    // A 12-digit key id is its account to Fogbank's edge.
    return { AWS_ACCESS_KEY_ID: ctx.account, AWS_SECRET_ACCESS_KEY: 'test', AWS_SESSION_TOKEN: 'test' };
  }
}

function launchFor(ctx: RequestContext, record: FunctionRecord, version: string): FunctionLaunch {
  const runtime = lambdaRuntime(ctx.store);
  const logsTarget = { store: ctx.store, clock: ctx.clock, account: ctx.account, region: ctx.region };
  return {
    // Hot-reload code counts as a new revision whenever its folder changed.
    revision: record.hotReloadPath ? `${record.revisionId}:${folderFingerprint(record.hotReloadPath)}` : record.revisionId,
    maxWorkers: record.reservedConcurrency ?? DEFAULT_MAX_WORKERS,
    now: () => ctx.clock.now(),
    after: (ms, callback) => ctx.clock.after(ms, callback),
    writeLogs: (stream, lines, commit) => {
      try {
        // Invocations stored in the same commit save each stream and group record once between them.
        const batch = commit.shared(`logs/${ctx.account}/${ctx.region}`, () => new LogWriteBatch(logsTarget));
        batch.write(record.loggingConfig.LogGroup, stream, lines);
      } catch {
        // A worker that exits after its Fogbank stopped finds the store closed; its last lines go nowhere.
      }
    },
    launch: async (): Promise<LaunchSpec> => {
      const taskRoot = taskRootOf(ctx.store, record);
      const opt = mountLayers(ctx, record);
      const command = commandFor(SUPPORTED_RUNTIMES[record.runtime]!, taskRoot, RUNTIME_DIR, record.memorySize, record.runtime, opt);
      // Layer paths come before the runtime's own (a layer's boto3 wins, as in AWS).
      const layerEnv = opt ? layerPaths(opt, record.runtime) : {};
      for (const [name, value] of Object.entries(layerEnv)) command.env[name] = command.env[name] ? `${value}:${command.env[name]}` : value;
      const env: Record<string, string> = {
        PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
        LANG: 'en_US.UTF-8',
        TZ: ':UTC',
        LAMBDA_TASK_ROOT: taskRoot,
        LAMBDA_RUNTIME_DIR: RUNTIME_DIR,
        _HANDLER: record.handler,
        AWS_EXECUTION_ENV: `AWS_Lambda_${record.runtime}`,
        AWS_LAMBDA_FUNCTION_NAME: record.name,
        AWS_LAMBDA_FUNCTION_VERSION: version,
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(record.memorySize),
        AWS_LAMBDA_LOG_GROUP_NAME: record.loggingConfig.LogGroup,
        AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
        AWS_REGION: ctx.region,
        AWS_DEFAULT_REGION: ctx.region,
        AWS_ENDPOINT_URL: runtime.endpoint,
        // A function sees no host configuration files, as in Lambda.
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        ...(await credentialsFor(ctx, record)),
        ...command.env,
        ...(record.environment ?? {}),
      };
      if (process.env.HOME) env.HOME = process.env.HOME;
      return { command: command.command, args: command.args, cwd: taskRoot, env, functionName: record.name, version, memorySize: record.memorySize, timeoutSeconds: record.timeout };
    },
  };
}

function checkPayload(payload: Buffer, limit: number): void {
  if (payload.length > limit) throw requestTooLarge(limit, 'Invoke');
  if (payload.length === 0) return;
  try {
    JSON.parse(payload.toString('utf8'));
  } catch (error) {
    throw invalidRequestContent(`Could not parse request body into json: Could not parse payload into json: ${(error as Error).message}`);
  }
}

/** The client context is base64 of a JSON object (the runtime hands it to the handler parsed). */
function checkClientContext(clientContext: string | undefined): void {
  if (!clientContext) return;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(clientContext, 'base64').toString('utf8'));
  } catch {
    value = undefined;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw invalidRequestContent('Client context must be a valid Base64-encoded JSON object.');
}

export const invoke: Handler<L.InvocationRequest, L.InvocationResponse> = (input, ctx) => invokeWith(input, ctx, false);

/**
 * The async queue's own runs: they wait for a worker where a client's call would be throttled, and
 * run under the request id the Event invoke answered with.
 */
export const invokeQueued = (input: L.InvocationRequest, ctx: RequestContext, requestId: string) => invokeWith(input, ctx, true, requestId);

async function invokeWith(input: L.InvocationRequest, ctx: RequestContext, waitForWorker: boolean, requestId?: string): Promise<L.InvocationResponse> {
  const runtime = lambdaRuntime(ctx.store);
  runtime.configureEndpoint(ctx.endpoint);
  const ref = parseFunctionName(ctx, input.FunctionName!, input.Qualifier, true);
  // Another account's function runs there, when its policy allows the caller.
  if (ref.owner !== undefined) ctx = await ownerContext(ctx, ref);
  const latest = functionToRun(ctx, ref);
  let target = resolveQualifier(ctx, latest, ref.qualifier);
  // A weighted alias sends some invocations to its second version.
  if (target.alias?.weights) target = resolveQualifier(ctx, latest, pickVersion(target.alias));
  const { config: record, version } = target;
  const type = input.InvocationType ?? 'RequestResponse';
  const payload = input.Payload ? Buffer.from(input.Payload) : Buffer.alloc(0);
  checkPayload(payload, type === 'Event' ? MAX_EVENT_REQUEST : MAX_SYNC_REQUEST);
  checkClientContext(input.ClientContext);
  if (type === 'DryRun') return { StatusCode: 204 };
  if (type === 'Event') return enqueueEvent(ctx, { functionName: latest.name, qualifier: ref.qualifier, payload, clientContext: input.ClientContext });
  if (latest.reservedConcurrency === 0) throw tooManyRequests('ReservedFunctionConcurrentInvocationLimitExceeded');
  const request = {
    payload: payload.length ? payload : Buffer.from('{}'),
    clientContext: input.ClientContext ? Buffer.from(input.ClientContext, 'base64').toString('utf8') : undefined,
    invokedArn: functionArn(ctx, record.name, ref.qualifier),
    // A synchronous invoke runs under the request id its caller is answered with, as on AWS.
    requestId: requestId ?? ctx.requestId,
  };
  const key = `${ctx.account}/${ctx.region}/${record.name}:${version}`;
  const launch = launchFor(ctx, record, version);
  // Reserved concurrency is the function's, whichever version runs.
  launch.maxWorkers = latest.reservedConcurrency ?? DEFAULT_MAX_WORKERS;
  const kind = SUPPORTED_RUNTIMES[record.runtime];
  if (kind === 'provided') {
    const taskRoot = taskRootOf(ctx.store, record);
    if (!customBootstrap(taskRoot, () => mountLayers(ctx, record))) {
      const body = { errorType: 'Runtime.InvalidEntrypoint', errorMessage: `RequestId: ${requestId ?? ctx.requestId} Error: ${NO_BOOTSTRAP}` };
      return { StatusCode: 200, FunctionError: 'Unhandled', Payload: Buffer.from(JSON.stringify(body)), ExecutedVersion: version };
    }
  }
  const result = await runtime.invoke(key, launch, request, waitForWorker);
  if (result === 'throttled') {
    throw tooManyRequests(latest.reservedConcurrency !== undefined ? 'ReservedFunctionConcurrentInvocationLimitExceeded' : 'ConcurrentInvocationLimitExceeded');
  }
  return {
    StatusCode: 200,
    FunctionError: result.functionError,
    LogResult: input.LogType === 'Tail' ? result.logTail : undefined,
    Payload: result.payload,
    ExecutedVersion: version,
  };
}
