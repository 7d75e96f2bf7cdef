// Task states that call Lambda: a plain function ARN (LambdaFunction* events, the function's
// result as the state's result) and arn:aws:states:::lambda:invoke (Task* events, the Invoke
// response with its parsed Payload as the result). Function errors become States errors.

import { ServiceError } from '../../../errors.js';
import { StatesError, runtimeError } from './errors.js';
import { json, type Host, type Thread } from './host.js';
import { isObject } from './jsonpath.js';

const LAMBDA_FUNCTION = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[^:]+(:[^:]+)?$/;
const LAMBDA_INVOKE = /^arn:aws[a-z-]*:states:::lambda:invoke(\.waitForTaskToken)?$/;

export interface TaskState {
  Resource: string;
  Parameters?: unknown;
  Arguments?: unknown;
}

/** Runs one attempt of the task on its effective input (TimeoutSeconds already resolved); returns its result. */
export async function runTask(host: Host, thread: Thread, state: TaskState, input: unknown, timeout: number | undefined): Promise<unknown> {
  if (LAMBDA_FUNCTION.test(state.Resource)) return runPlainLambda(host, thread, state.Resource, input, timeout);
  if (LAMBDA_INVOKE.test(state.Resource) && !state.Resource.endsWith('.waitForTaskToken')) return runLambdaInvoke(host, thread, state, input, timeout);
  throw runtimeError(`The resource '${state.Resource}' is not supported by Fogbank yet`);
}

async function runPlainLambda(host: Host, thread: Thread, resource: string, input: unknown, timeout?: number): Promise<unknown> {
  host.emit(thread, 'LambdaFunctionScheduled', { lambdaFunctionScheduledEventDetails: { resource, input: json(input), inputDetails: { truncated: false }, timeoutInSeconds: timeout } });
  host.emit(thread, 'LambdaFunctionStarted');
  try {
    const { payload } = await withTimeout(host, timeout, invoke(host, resource, input));
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

async function runLambdaInvoke(host: Host, thread: Thread, state: TaskState, input: unknown, timeout?: number): Promise<unknown> {
  const params = state.Parameters === undefined && state.Arguments === undefined ? { Payload: input } : input;
  if (!isObject(params) || typeof params.FunctionName !== 'string') throw runtimeError("The field 'FunctionName' is required by arn:aws:states:::lambda:invoke");
  const resource = { resourceType: 'lambda', resource: 'invoke' };
  host.emit(thread, 'TaskScheduled', { taskScheduledEventDetails: { ...resource, region: host.ctx.region, parameters: json(params), timeoutInSeconds: timeout } });
  host.emit(thread, 'TaskStarted', { taskStartedEventDetails: resource });
  try {
    const { payload, version, requestId } = await withTimeout(host, timeout, invoke(host, params.FunctionName, params.Payload ?? {}, params.Qualifier as string | undefined));
    host.checkAborted();
    const result = {
      ExecutedVersion: version,
      Payload: payload,
      SdkHttpMetadata: { AllHttpHeaders: {}, HttpHeaders: {}, HttpStatusCode: 200 },
      SdkResponseMetadata: { RequestId: requestId },
      StatusCode: 200,
    };
    host.emit(thread, 'TaskSucceeded', { taskSucceededEventDetails: { ...resource, output: json(result), outputDetails: { truncated: false } } });
    return result;
  } catch (error) {
    if (!(error instanceof StatesError)) throw error;
    const timedOut = error.error === 'States.Timeout';
    host.emit(thread, timedOut ? 'TaskTimedOut' : 'TaskFailed', { [timedOut ? 'taskTimedOutEventDetails' : 'taskFailedEventDetails']: { ...resource, error: error.error, cause: error.cause } });
    throw error;
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

/** Races the call against TimeoutSeconds on Fogbank's clock. */
async function withTimeout<T>(host: Host, seconds: number | undefined, work: Promise<T>): Promise<T> {
  if (!seconds) return work;
  let expired = false;
  const timer = host.sleepUntil(host.ctx.clock.now() + seconds * 1000).then(() => {
    expired = true;
  });
  const result = await Promise.race([work, timer]);
  if (expired) throw new StatesError('States.Timeout');
  return result as T;
}
