// Task states: a plain Lambda function ARN (LambdaFunction* events, the function's result), an
// activity ARN (Activity* events, a worker's SendTaskSuccess), and service integrations (Task*
// events; see integrations.ts), with TimeoutSeconds and HeartbeatSeconds on Fogbank's clock.

import { ServiceError } from '../../../errors.js';
import type { MockResponse } from '../mocks.js';
import { offerActivityTask, registerToken, releaseToken } from '../tokens.js';
import { StatesError, runtimeError } from './errors.js';
import { json, type Host, type Thread } from './host.js';
import { findIntegration, sdkMetadata, type Integration } from './integrations.js';
import { isObject } from './jsonpath.js';

const LAMBDA_FUNCTION = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[^:]+(:[^:]+)?$/;
const LAMBDA_INVOKE = /^arn:aws[a-z-]*:states:::lambda:invoke(\.waitForTaskToken)?$/;
const ACTIVITY = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:activity:[^:]+$/;

export interface TaskState {
  Resource: string;
  Parameters?: unknown;
  Arguments?: unknown;
}

/** TimeoutSeconds, HeartbeatSeconds (already resolved) and the task token, when the task has one. */
export interface TaskLimits {
  timeout?: number;
  heartbeat?: number;
  token?: string;
}

/** Whether a resource waits on a task token ($$.Task.Token must exist before its parameters). */
export function needsToken(resource: string): boolean {
  return resource.endsWith('.waitForTaskToken') || ACTIVITY.test(resource);
}

/** Whether Fogbank can run a resource at all (definitions naming others are still accepted). */
export function knownResource(resource: string): boolean {
  return LAMBDA_FUNCTION.test(resource) || ACTIVITY.test(resource) || LAMBDA_INVOKE.test(resource) || findIntegration(resource) !== undefined;
}

/** Runs one attempt of the task on its effective input; returns its result. */
export async function runTask(host: Host, thread: Thread, state: TaskState, input: unknown, limits: TaskLimits, stateName?: string): Promise<unknown> {
  const resource = state.Resource;
  const mock = stateName === undefined ? undefined : host.mockFor?.(stateName);
  if (mock) return runMocked(host, thread, resource, input, limits, mock);
  if (LAMBDA_FUNCTION.test(resource)) return runPlainLambda(host, thread, resource, input, limits.timeout);
  if (ACTIVITY.test(resource)) return runActivity(host, thread, resource, input, limits);
  const integration = LAMBDA_INVOKE.test(resource) ? lambdaInvoke(resource, state) : findIntegration(resource);
  if (!integration) throw runtimeError(`The resource '${resource}' is not supported by Fogbank yet`);
  return runIntegration(host, thread, integration, input, limits);
}

/** A mock configuration's answer in place of the call, recorded with the events the call would have. */
function runMocked(host: Host, thread: Thread, resource: string, input: unknown, limits: TaskLimits, mock: MockResponse): Promise<unknown> {
  const answer = async () => {
    if (mock.Throw) throw new StatesError(mock.Throw.Error ?? 'States.TaskFailed', mock.Throw.Cause);
    return mock.Return ?? null;
  };
  if (LAMBDA_FUNCTION.test(resource)) return runPlainLambda(host, thread, resource, input, limits.timeout, answer);
  const m = /^arn:aws[a-z-]*:states:::((?:aws-sdk:)?[a-z0-9-]+):(.+)$/.exec(resource);
  const [resourceType, name] = m ? [m[1]!, m[2]!] : ['activity', resource];
  return runIntegration(host, thread, { resourceType, resource: name, pattern: 'request', call: answer }, input, { timeout: limits.timeout, heartbeat: limits.heartbeat });
}

async function runPlainLambda(host: Host, thread: Thread, resource: string, input: unknown, timeout?: number, mocked?: () => Promise<unknown>): Promise<unknown> {
  host.emit(thread, 'LambdaFunctionScheduled', { lambdaFunctionScheduledEventDetails: { resource, input: json(input), inputDetails: { truncated: false }, timeoutInSeconds: timeout } });
  host.emit(thread, 'LambdaFunctionStarted');
  try {
    const payload = await bounded(host, { timeout }, async () => (mocked ? mocked() : (await invoke(host, resource, input)).payload));
    host.checkAborted();
    host.emit(thread, 'LambdaFunctionSucceeded', { lambdaFunctionSucceededEventDetails: { output: json(payload), outputDetails: { truncated: false } } });
    return payload;
  } catch (error) {
    if (!(error instanceof StatesError)) throw error;
    const timedOut = error.error === 'States.Timeout';
    host.emit(thread, timedOut ? 'LambdaFunctionTimedOut' : 'LambdaFunctionFailed', { [timedOut ? 'lambdaFunctionTimedOutEventDetails' : 'lambdaFunctionFailedEventDetails']: { error: error.error, cause: error.cause } });
    throw error;
  }
}

/** arn:aws:states:::lambda:invoke: the Invoke response with its parsed Payload (and SDK metadata). */
function lambdaInvoke(resource: string, state: TaskState): Integration {
  const waits = resource.endsWith('.waitForTaskToken');
  return {
    resourceType: 'lambda',
    resource: waits ? 'invoke.waitForTaskToken' : 'invoke',
    pattern: waits ? 'token' : 'request',
    call: async (host, input) => {
      const params = state.Parameters === undefined && state.Arguments === undefined ? { Payload: input } : input;
      if (!isObject(params) || typeof params.FunctionName !== 'string') throw runtimeError("The field 'FunctionName' is required by arn:aws:states:::lambda:invoke");
      const { payload, version, requestId } = await invoke(host, params.FunctionName, params.Payload ?? {}, params.Qualifier as string | undefined);
      return { ExecutedVersion: version, Payload: payload, ...sdkMetadata(requestId), StatusCode: 200 };
    },
  };
}

async function runIntegration(host: Host, thread: Thread, integration: Integration, params: unknown, limits: TaskLimits): Promise<unknown> {
  const details = { resourceType: integration.resourceType, resource: integration.resource };
  host.emit(thread, 'TaskScheduled', { taskScheduledEventDetails: { ...details, region: host.ctx.region, parameters: json(params), timeoutInSeconds: limits.timeout, heartbeatInSeconds: limits.heartbeat } });
  host.emit(thread, 'TaskStarted', { taskStartedEventDetails: details });
  try {
    const result = await bounded(host, limits, async (settle) => {
      const answer = await integration.call(host, params);
      if (integration.pattern === 'request') return answer;
      host.checkAborted();
      host.emit(thread, 'TaskSubmitted', { taskSubmittedEventDetails: { ...details, output: json(answer), outputDetails: { truncated: false } } });
      return integration.pattern === 'token' ? settle : integration.complete!(host, answer);
    });
    host.checkAborted();
    host.emit(thread, 'TaskSucceeded', { taskSucceededEventDetails: { ...details, output: json(result), outputDetails: { truncated: false } } });
    return result;
  } catch (error) {
    if (!(error instanceof StatesError)) throw error;
    const timedOut = error.error === 'States.Timeout' || error.error === 'States.HeartbeatTimeout';
    host.emit(thread, timedOut ? 'TaskTimedOut' : 'TaskFailed', { [timedOut ? 'taskTimedOutEventDetails' : 'taskFailedEventDetails']: { ...details, error: error.error, cause: error.cause } });
    throw error;
  }
}

async function runActivity(host: Host, thread: Thread, resource: string, input: unknown, limits: TaskLimits): Promise<unknown> {
  host.emit(thread, 'ActivityScheduled', { activityScheduledEventDetails: { resource, input: json(input), inputDetails: { truncated: false }, timeoutInSeconds: limits.timeout, heartbeatInSeconds: limits.heartbeat } });
  try {
    const result = await bounded(host, limits, async (settle) => {
      offerActivityTask(host.ctx.store, resource, { token: limits.token!, input: json(input), started: (workerName) => host.emit(thread, 'ActivityStarted', { activityStartedEventDetails: { workerName } }) });
      return settle;
    });
    host.checkAborted();
    host.emit(thread, 'ActivitySucceeded', { activitySucceededEventDetails: { output: json(result), outputDetails: { truncated: false } } });
    return result;
  } catch (error) {
    if (!(error instanceof StatesError)) throw error;
    const timedOut = error.error === 'States.Timeout' || error.error === 'States.HeartbeatTimeout';
    host.emit(thread, timedOut ? 'ActivityTimedOut' : 'ActivityFailed', { [timedOut ? 'activityTimedOutEventDetails' : 'activityFailedEventDetails']: { error: error.error, cause: error.cause } });
    throw error;
  }
}

/**
 * Runs `work` within TimeoutSeconds and HeartbeatSeconds on Fogbank's clock. With a task token,
 * `work` receives the promise SendTaskSuccess/SendTaskFailure settle (SendTaskHeartbeat resets
 * the heartbeat); the token is released however the task ends.
 */
async function bounded<T>(host: Host, limits: TaskLimits, work: (settled: Promise<unknown>) => Promise<T>): Promise<T> {
  let done = false;
  const races: Array<Promise<never>> = [];
  let settled: Promise<unknown> = new Promise(() => undefined);
  const clock = host.ctx.clock;
  let lastBeat = clock.now();
  if (limits.token) {
    settled = new Promise((resolve, reject) => {
      registerToken(host.ctx.store, limits.token!, {
        executionArn: host.execution.Id,
        succeed: resolve,
        fail: reject,
        heartbeat: () => (lastBeat = clock.now()),
      });
    });
    settled.catch(() => undefined);
  }
  if (limits.timeout) {
    const at = clock.now() + limits.timeout * 1000;
    races.push(host.sleepUntil(at).then(() => Promise.reject(new StatesError('States.Timeout'))));
  }
  if (limits.heartbeat) {
    const seconds = limits.heartbeat;
    races.push(
      (async () => {
        // Sleeps to the heartbeat deadline, again after each beat, until a deadline passes unbeaten.
        for (;;) {
          await host.sleepUntil(lastBeat + seconds * 1000);
          if (done) return new Promise<never>(() => undefined);
          if (clock.now() >= lastBeat + seconds * 1000) throw new StatesError('States.HeartbeatTimeout');
        }
      })(),
    );
  }
  // A stopped execution stops waiting (its token is released below).
  races.push(host.aborted());
  try {
    return await Promise.race([work(settled), ...races]);
  } finally {
    done = true;
    if (limits.token) releaseToken(host.ctx.store, limits.token);
  }
}

interface Invoked {
  payload: unknown;
  version: string;
  requestId: string;
}

/** Invokes through Lambda's own dispatch; a function error's errorType becomes the States error. */
async function invoke(host: Host, functionName: string, payload: unknown, qualifier?: string): Promise<Invoked> {
  let out: Record<string, unknown>;
  try {
    out = await host.ctx.call('lambda', 'Invoke', { FunctionName: functionName, Qualifier: qualifier, Payload: Buffer.from(json(payload)) });
  } catch (error) {
    if (error instanceof ServiceError) throw new StatesError(`Lambda.${error.code}`, error.message);
    throw new StatesError('Lambda.ServiceException', error instanceof Error ? error.message : String(error));
  }
  const text = out.Payload ? Buffer.from(out.Payload as Uint8Array).toString('utf8') : '';
  if (out.FunctionError) {
    let errorType: unknown;
    try {
      errorType = (JSON.parse(text) as { errorType?: unknown }).errorType;
    } catch {
      // an unparseable error body keeps the generic name
    }
    // AWS puts the whole error payload ({errorType, errorMessage, trace}) in Cause.
    throw new StatesError(typeof errorType === 'string' && errorType ? errorType : 'Lambda.Unknown', text);
  }
  let parsed: unknown = null;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  return { payload: parsed, version: String(out.ExecutedVersion ?? '$LATEST'), requestId: host.ctx.requestId };
}
