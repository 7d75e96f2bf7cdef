// Fogbank's Node.js runtime: a child process that loads the function's handler (CommonJS or ES
// module) and loops on the Lambda Runtime API, as AWS's Node.js runtime interface client does.
// It exits when its stdin closes, so workers never outlive the Fogbank that started them.

import { register } from 'node:module';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import { pathToFileURL } from 'node:url';
import { RuntimeClient, type Reply } from './runtime-client.js';

const api = process.env.AWS_LAMBDA_RUNTIME_API!;
const slash = api.indexOf('/');
const [host, port] = (slash < 0 ? api : api.slice(0, slash)).split(':');
const prefix = slash < 0 ? '' : api.slice(slash);
const client = new RuntimeClient(host!, Number(port), prefix);
const taskRoot = process.env.LAMBDA_TASK_ROOT ?? process.cwd();

process.stdin.on('end', () => process.exit(0));
process.stdin.on('close', () => process.exit(0));
process.stdin.resume();

function call(method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<Reply> {
  return client.send({ method, path, body, headers })[0]!;
}

// console.* as AWS's Node runtime writes it: time, request id, level, message; a multi-line
// message stays one log event (newlines travel as \r and Fogbank turns them back).
let currentRequestId: string | undefined;
function patchConsole(): void {
  const levels: Array<[keyof Console, string]> = [['log', 'INFO'], ['info', 'INFO'], ['warn', 'WARN'], ['error', 'ERROR'], ['debug', 'DEBUG'], ['trace', 'TRACE']];
  for (const [method, level] of levels) {
    (console as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      const line = `${new Date().toISOString()}\t${currentRequestId}\t${level}\t${format(...args)}`;
      process.stdout.write(line.replace(/\r?\n/g, '\r') + '\n');
    };
  }
}

interface ErrorPayload {
  errorType: string;
  errorMessage: string;
  trace: string[];
}

function errorPayload(error: unknown, type?: string): ErrorPayload {
  if (error instanceof Error) {
    return { errorType: type ?? error.name, errorMessage: type ? `${error.name}: ${error.message}` : error.message, trace: (error.stack ?? '').split('\n') };
  }
  return { errorType: type ?? typeof error, errorMessage: String(error), trace: [] };
}

async function initError(payload: ErrorPayload): Promise<never> {
  console.error(`${payload.errorType}: ${payload.errorMessage}`);
  await call('POST', '/runtime/init/error', JSON.stringify(payload), { 'lambda-runtime-function-error-type': payload.errorType });
  process.exit(1);
}

type LambdaHandler = (event: unknown, context: unknown, callback: (error?: unknown, result?: unknown) => void) => unknown;

async function loadHandler(): Promise<LambdaHandler> {
  const spec = process.env._HANDLER ?? '';
  const cut = spec.lastIndexOf('/');
  const dir = spec.slice(0, cut + 1);
  const [moduleName, ...path] = spec.slice(cut + 1).split('.');
  if (!moduleName || path.length === 0) {
    return initError({ errorType: 'Runtime.MalformedHandlerName', errorMessage: 'Bad handler', trace: [] });
  }
  const base = join(taskRoot, dir, moduleName);
  const file = ['.js', '.mjs', '.cjs'].map((ext) => base + ext).find((f) => existsSync(f));
  if (!file) {
    return initError({
      errorType: 'Runtime.ImportModuleError',
      errorMessage: `Error: Cannot find module '${moduleName}'\nRequire stack:\n- ${process.argv[1]}`,
      trace: [`Runtime.ImportModuleError: Error: Cannot find module '${moduleName}'`, 'Require stack:', `- ${process.argv[1]}`],
    });
  }
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    return initError(error instanceof SyntaxError ? errorPayload(error, 'Runtime.UserCodeSyntaxError') : errorPayload(error));
  }
  let target: unknown = mod;
  for (const key of path) target = (target as Record<string, unknown> | undefined)?.[key];
  if (typeof target !== 'function' && mod.default) {
    target = mod.default;
    for (const key of path) target = (target as Record<string, unknown> | undefined)?.[key];
  }
  if (typeof target !== 'function') {
    return initError({ errorType: 'Runtime.HandlerNotFound', errorMessage: `${moduleName}.${path.join('.')} is undefined or not exported`, trace: [] });
  }
  return target as LambdaHandler;
}

function header(reply: Reply, name: string): string | undefined {
  return reply.headers[name];
}

function run(handler: LambdaHandler, event: unknown, context: Record<string, unknown>): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const callback = (error?: unknown, result?: unknown) => (error !== undefined && error !== null ? reject(error) : resolve(result));
    Object.assign(context, { succeed: (r: unknown) => resolve(r), fail: (e: unknown) => reject(e), done: callback });
    try {
      const returned = handler(event, context, callback);
      if (returned && typeof (returned as Promise<unknown>).then === 'function') (returned as Promise<unknown>).then(resolve, reject);
      else if (handler.length < 3) resolve(returned);
    } catch (error) {
      reject(error);
    }
  });
}

async function main(): Promise<void> {
  patchConsole();
  const folders = (process.env.NODE_PATH ?? '').split(':').filter((f) => f.endsWith('node_modules'));
  register(new URL('./node-paths.js', import.meta.url), { data: { folders } });
  const handler = await loadHandler();
  let pendingNext = call('GET', '/runtime/invocation/next');
  // Read once: each process.env read is a call into the environment block.
  const { AWS_LAMBDA_FUNCTION_NAME: functionName, AWS_LAMBDA_FUNCTION_VERSION: functionVersion, AWS_LAMBDA_FUNCTION_MEMORY_SIZE: memoryLimitInMB } = process.env;
  const { AWS_LAMBDA_LOG_GROUP_NAME: logGroupName, AWS_LAMBDA_LOG_STREAM_NAME: logStreamName } = process.env;
  for (;;) {
    const next = await pendingNext;
    const requestId = header(next, 'lambda-runtime-aws-request-id')!;
    const deadline = Number(header(next, 'lambda-runtime-deadline-ms'));
    const clientContext = header(next, 'lambda-runtime-client-context');
    currentRequestId = requestId;
    process.env._X_AMZN_TRACE_ID = header(next, 'lambda-runtime-trace-id') ?? '';
    const context: Record<string, unknown> = {
      callbackWaitsForEmptyEventLoop: true,
      functionName,
      functionVersion,
      invokedFunctionArn: header(next, 'lambda-runtime-invoked-function-arn'),
      memoryLimitInMB,
      awsRequestId: requestId,
      logGroupName,
      logStreamName,
      clientContext: clientContext ? JSON.parse(clientContext) : undefined,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    };
    let outcome: { ok: true; body: string } | { ok: false; error: ErrorPayload };
    try {
      const event = JSON.parse(next.body.toString('utf8') || 'null');
      const result = await run(handler, event, context);
      outcome = { ok: true, body: JSON.stringify(result === undefined ? null : result) ?? 'null' };
    } catch (error) {
      outcome = { ok: false, error: errorPayload(error) };
    }
    // The result and the next /next travel together (HTTP pipelining): one write, no wait between.
    let posted: Promise<Reply>;
    if (outcome.ok) {
      [posted, pendingNext] = client.send({ method: 'POST', path: `/runtime/invocation/${requestId}/response`, body: outcome.body }, { method: 'GET', path: '/runtime/invocation/next' }) as [Promise<Reply>, Promise<Reply>];
    } else {
      console.error('Invoke Error \t' + JSON.stringify(outcome.error));
      const headers = { 'lambda-runtime-function-error-type': outcome.error.errorType };
      [posted, pendingNext] = client.send({ method: 'POST', path: `/runtime/invocation/${requestId}/error`, body: JSON.stringify(outcome.error), headers }, { method: 'GET', path: '/runtime/invocation/next' }) as [Promise<Reply>, Promise<Reply>];
    }
    await posted;
  }
}

// Errors that escape the handler's promise end the process after reporting, as in AWS.
process.on('uncaughtException', (error) => void report(errorPayload(error)));
process.on('unhandledRejection', (reason) => void report(errorPayload(reason instanceof Error ? reason : new Error(String(reason)), 'Runtime.UnhandledPromiseRejection')));

async function report(payload: ErrorPayload): Promise<void> {
  console.error(`Uncaught Exception \t${JSON.stringify(payload)}`);
  try {
    // A connection of its own: the main one may have a /next waiting ahead of this reply.
    const own = new RuntimeClient(host!, Number(port), prefix);
    const path = currentRequestId ? `/runtime/invocation/${currentRequestId}/error` : '/runtime/init/error';
    await own.send({ method: 'POST', path, body: JSON.stringify(payload), headers: { 'lambda-runtime-function-error-type': payload.errorType } })[0];
  } finally {
    process.exit(129);
  }
}

void main();
