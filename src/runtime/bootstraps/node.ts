// Fogbank's Node.js runtime: a child process that loads the function's handler (CommonJS or ES
// module) and loops on the Lambda Runtime API, as AWS's Node.js runtime interface client does.
// It exits when its stdin closes, so workers never outlive the Fogbank that started them.

import { Agent, request } from 'node:http';
import { register } from 'node:module';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import { pathToFileURL } from 'node:url';

const api = process.env.AWS_LAMBDA_RUNTIME_API!;
const slash = api.indexOf('/');
const [host, port] = (slash < 0 ? api : api.slice(0, slash)).split(':');
const prefix = slash < 0 ? '' : api.slice(slash);
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
const taskRoot = process.env.LAMBDA_TASK_ROOT ?? process.cwd();

process.stdin.on('end', () => process.exit(0));
process.stdin.on('close', () => process.exit(0));
process.stdin.resume();

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function call(method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port: Number(port), method, path: `${prefix}/2018-06-01${path}`, agent, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
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
  const value = reply.headers[name];
  return Array.isArray(value) ? value[0] : value;
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
  for (;;) {
    const next = await call('GET', '/runtime/invocation/next');
    const requestId = header(next, 'lambda-runtime-aws-request-id')!;
    const deadline = Number(header(next, 'lambda-runtime-deadline-ms'));
    const clientContext = header(next, 'lambda-runtime-client-context');
    currentRequestId = requestId;
    process.env._X_AMZN_TRACE_ID = header(next, 'lambda-runtime-trace-id') ?? '';
    const context: Record<string, unknown> = {
      callbackWaitsForEmptyEventLoop: true,
      functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
      functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
      invokedFunctionArn: header(next, 'lambda-runtime-invoked-function-arn'),
      memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
      awsRequestId: requestId,
      logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
      logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
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
    if (outcome.ok) {
      await call('POST', `/runtime/invocation/${requestId}/response`, outcome.body);
    } else {
      console.error('Invoke Error \t' + JSON.stringify(outcome.error));
      await call('POST', `/runtime/invocation/${requestId}/error`, JSON.stringify(outcome.error), { 'lambda-runtime-function-error-type': outcome.error.errorType });
    }
  }
}

// Errors that escape the handler's promise end the process after reporting, as in AWS.
process.on('uncaughtException', (error) => void report(errorPayload(error)));
process.on('unhandledRejection', (reason) => void report(errorPayload(reason instanceof Error ? reason : new Error(String(reason)), 'Runtime.UnhandledPromiseRejection')));

async function report(payload: ErrorPayload): Promise<void> {
  console.error(`Uncaught Exception \t${JSON.stringify(payload)}`);
  try {
    if (currentRequestId) await call('POST', `/runtime/invocation/${currentRequestId}/error`, JSON.stringify(payload), { 'lambda-runtime-function-error-type': payload.errorType });
    else await call('POST', '/runtime/init/error', JSON.stringify(payload));
  } finally {
    process.exit(129);
  }
}

void main();
