import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startFogbank } from '../../src/index.js';
import { InvokeCommand, PutFunctionConcurrencyCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { CloudWatchLogsClient, DeleteLogGroupCommand, DescribeLogGroupsCommand, DescribeLogStreamsCommand, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { clientConfig } from '../support/fogbank.js';
import { createFunction, decode, lambdaClient, useLambdaFogbank } from './support.js';

const env = useLambdaFogbank();

/** Whether a process is still running (a zombie awaiting its parent counts as gone). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function invoke(client: LambdaClient, name: string, event: unknown = {}, extra: Record<string, unknown> = {}) {
  const out = await client.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(event)), ...extra }));
  return { ...out, body: decode(out.Payload) as Record<string, unknown>, log: Buffer.from(out.LogResult ?? '', 'base64').toString('utf8') };
}

describe('Invoke: Node.js functions', () => {
  it('an ES module async handler gets the event, an AWS context and AWS environment', async () => {
    const client = lambdaClient(env.endpoint);
    const fn = await createFunction(client, {
      Environment: { Variables: { GREETING: 'hello' } },
      MemorySize: 256,
      files: {
        'index.mjs': `export const handler = async (event, context) => ({
          event,
          functionName: context.functionName, requestId: context.awsRequestId, arn: context.invokedFunctionArn,
          memory: context.memoryLimitInMB, group: context.logGroupName, stream: context.logStreamName,
          remaining: context.getRemainingTimeInMillis(),
          env: Object.fromEntries(['AWS_LAMBDA_FUNCTION_NAME','AWS_REGION','AWS_DEFAULT_REGION','AWS_LAMBDA_RUNTIME_API','_HANDLER','LAMBDA_TASK_ROOT',
            'AWS_LAMBDA_FUNCTION_MEMORY_SIZE','AWS_LAMBDA_LOG_GROUP_NAME','AWS_LAMBDA_LOG_STREAM_NAME','AWS_ACCESS_KEY_ID','AWS_SECRET_ACCESS_KEY',
            'AWS_SESSION_TOKEN','AWS_ENDPOINT_URL','GREETING','AWS_LAMBDA_FUNCTION_VERSION','AWS_EXECUTION_ENV'].map((k) => [k, process.env[k]])),
        });`,
      },
    });
    const out = await invoke(client, fn.FunctionName!, { a: 1 });
    assert.equal(out.StatusCode, 200);
    assert.equal(out.FunctionError, undefined);
    assert.equal(out.ExecutedVersion, '$LATEST');
    const b = out.body as Record<string, any>;
    assert.deepEqual(b.event, { a: 1 });
    assert.equal(b.functionName, fn.FunctionName);
    assert.match(b.requestId, /^[0-9a-f-]{36}$/);
    assert.equal(b.arn, fn.FunctionArn);
    assert.equal(b.memory, '256');
    assert.equal(b.group, `/aws/lambda/${fn.FunctionName}`);
    assert.match(b.stream, /^\d{4}\/\d\d\/\d\d\/\[\$LATEST\][0-9a-f]{32}$/);
    assert.ok(b.remaining > 2000 && b.remaining <= 3000, String(b.remaining));
    assert.equal(b.env.AWS_LAMBDA_FUNCTION_NAME, fn.FunctionName);
    assert.equal(b.env.AWS_REGION, 'us-east-1');
    assert.equal(b.env.AWS_DEFAULT_REGION, 'us-east-1');
    assert.match(b.env.AWS_LAMBDA_RUNTIME_API, /^127\.0\.0\.1:\d+\//);
    assert.equal(b.env._HANDLER, 'index.handler');
    assert.ok(b.env.LAMBDA_TASK_ROOT);
    assert.equal(b.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE, '256');
    assert.equal(b.env.AWS_LAMBDA_LOG_STREAM_NAME, b.stream);
    assert.match(b.env.AWS_ACCESS_KEY_ID, /^ASIA/);
    assert.ok(b.env.AWS_SESSION_TOKEN);
    assert.equal(b.env.AWS_ENDPOINT_URL, `http://127.0.0.1:${env.fogbank.port}`);
    assert.equal(b.env.GREETING, 'hello');
    assert.equal(b.env.AWS_LAMBDA_FUNCTION_VERSION, '$LATEST');
    assert.equal(b.env.AWS_EXECUTION_ENV, 'AWS_Lambda_nodejs20.x');
  });

  it('workers stay warm: module state survives between invocations', async () => {
    const client = lambdaClient(env.endpoint);
    const fn = await createFunction(client, { files: { 'index.mjs': 'let count = 0;\nexport const handler = async () => ++count;' } });
    const counts = [];
    for (let i = 0; i < 3; i++) counts.push((await invoke(client, fn.FunctionName!)).body);
    assert.deepEqual(counts, [1, 2, 3]);
  });

  it('concurrent invocations start more workers and each gets its own answer', async () => {
    const client = lambdaClient(env.endpoint);
    const fn = await createFunction(client, { files: { 'index.mjs': 'export const handler = async (e) => { await new Promise((r) => setTimeout(r, 100)); return { n: e.n, pid: process.pid }; };' } });
    const results = await Promise.all(Array.from({ length: 6 }, (_, n) => invoke(client, fn.FunctionName!, { n })));
    assert.deepEqual(results.map((r) => r.body.n), [0, 1, 2, 3, 4, 5]);
    assert.equal(new Set(results.map((r) => r.body.pid)).size, 6, 'one worker per concurrent invocation');
    // Afterwards the warm workers are reused rather than new ones started.
    const again = await Promise.all(Array.from({ length: 6 }, (_, n) => invoke(client, fn.FunctionName!, { n })));
    assert.ok(again.every((r) => results.some((first) => first.body.pid === r.body.pid)));
  });

  it('a quick warm function under a burst of concurrent invokes reuses its warm worker rather than starting one per call', async () => {
    const client = lambdaClient(env.endpoint);
    const fn = await createFunction(client, { files: { 'index.mjs': 'export const handler = async (e) => ({ n: e.n, pid: process.pid });' } });
    const first = await invoke(client, fn.FunctionName!, { n: -1 });
    await invoke(client, fn.FunctionName!, { n: -2 });
    const results = await Promise.all(Array.from({ length: 8 }, (_, n) => invoke(client, fn.FunctionName!, { n })));
    assert.deepEqual(results.map((r) => r.body.n), [0, 1, 2, 3, 4, 5, 6, 7]);
    const pids = new Set(results.map((r) => r.body.pid));
    assert.ok(pids.has(first.body.pid), 'the warm worker served some of them');
    // One worker per call would be 8; invocations wait briefly for the warm one while it keeps
    // finishing, and a new worker starts only when more than three wait per worker.
    assert.ok(pids.size <= 3, `${pids.size} workers for 8 quick invocations`);
  });

  it('runs CommonJS handlers in callback style, from a subfolder, and non-async handlers', async () => {
    const client = lambdaClient(env.endpoint);
    const callback = await createFunction(client, {
      Handler: 'src/app.handler',
      files: { 'src/app.js': 'exports.handler = function (event, context, callback) { setTimeout(() => callback(null, { doubled: event.n * 2 }), 5); };' },
    });
    assert.deepEqual((await invoke(client, callback.FunctionName!, { n: 21 })).body, { doubled: 42 });
    const failing = await createFunction(client, { files: { 'index.cjs': 'exports.handler = (e, c, cb) => cb(new TypeError("bad input"));' } });
    const failed = await invoke(client, failing.FunctionName!);
    assert.equal(failed.FunctionError, 'Unhandled');
    assert.equal(failed.body.errorType, 'TypeError');
    assert.equal(failed.body.errorMessage, 'bad input');
    const plain = await createFunction(client, { files: { 'index.js': 'module.exports.handler = (event) => Promise.resolve(event.x + 1);' } });
    assert.equal((await invoke(client, plain.FunctionName!, { x: 1 })).body, 2);
  });

  it('a thrown error is FunctionError Unhandled with errorType, errorMessage and trace', async () => {
    const client = lambdaClient(env.endpoint);
    const fn = await createFunction(client, { files: { 'index.mjs': 'export const handler = async () => { throw new Error("boom"); };' } });
    const out = await invoke(client, fn.FunctionName!, {}, { LogType: 'Tail' });
    assert.equal(out.StatusCode, 200);
    assert.equal(out.FunctionError, 'Unhandled');
    assert.equal(out.body.errorType, 'Error');
    assert.equal(out.body.errorMessage, 'boom');
    assert.ok(Array.isArray(out.body.trace));
    assert.equal((out.body.trace as string[])[0], 'Error: boom');
    assert.match(out.log, /\tERROR\tInvoke Error \t\{"errorType":"Error","errorMessage":"boom"/);
    // The worker survives a handled failure.
    assert.equal((await invoke(client, fn.FunctionName!)).FunctionError, 'Unhandled');
  });

  it('init failures answer Runtime.ImportModuleError, Runtime.HandlerNotFound and Runtime.UserCodeSyntaxError', async () => {
    const client = lambdaClient(env.endpoint);
    const missingModule = await createFunction(client, { Handler: 'nothere.handler' });
    const a = await invoke(client, missingModule.FunctionName!);
    assert.equal(a.FunctionError, 'Unhandled');
    assert.equal(a.body.errorType, 'Runtime.ImportModuleError');
    assert.match(a.body.errorMessage as string, /^Error: Cannot find module 'nothere'/);
    const missingHandler = await createFunction(client, { Handler: 'index.other' });
    const b = await invoke(client, missingHandler.FunctionName!);
    assert.deepEqual([b.body.errorType, b.body.errorMessage], ['Runtime.HandlerNotFound', 'index.other is undefined or not exported']);
    const syntax = await createFunction(client, { files: { 'index.mjs': 'export const handler = async () => {{;' } });
    const c = await invoke(client, syntax.FunctionName!);
    assert.equal(c.body.errorType, 'Runtime.UserCodeSyntaxError');
    assert.match(c.body.errorMessage as string, /^SyntaxError: /);
    const malformed = await createFunction(client, { Handler: 'index' });
    assert.equal((await invoke(client, malformed.FunctionName!)).body.errorType, 'Runtime.MalformedHandlerName');
  });

  it('a timeout kills the worker and answers "Task timed out after N.00 seconds"; the next invoke gets a fresh worker', async () => {
    const client = lambdaClient(env.endpoint);
    const fn = await createFunction(client, {
      Timeout: 1,
      files: { 'index.mjs': 'let count = 0;\nexport const handler = async (e) => { count++; if (e.sleep) await new Promise((r) => setTimeout(r, 5000)); return count; };' },
    });
    assert.equal((await invoke(client, fn.FunctionName!)).body, 1);
    const started = Date.now();
    const out = await invoke(client, fn.FunctionName!, { sleep: true }, { LogType: 'Tail' });
    assert.ok(Date.now() - started < 3000);
    assert.equal(out.FunctionError, 'Unhandled');
    assert.equal(out.body.errorType, 'Sandbox.Timedout');
    assert.match(out.body.errorMessage as string, /^RequestId: [0-9a-f-]{36} Error: Task timed out after 1\.00 seconds$/);
    assert.match(out.log, /Task timed out after 1\.00 seconds/);
    assert.match(out.log, /Status: timeout/);
    // A fresh worker: module state starts again.
    assert.equal((await invoke(client, fn.FunctionName!)).body, 1);
  });

  it('a crash answers Runtime.ExitError, and a worker killed from outside is replaced', async () => {
    const client = lambdaClient(env.endpoint);
    const fn = await createFunction(client, { files: { 'index.mjs': 'export const handler = async (e) => { if (e.exit) process.exit(3); return process.pid; };' } });
    const pid = (await invoke(client, fn.FunctionName!)).body as unknown as number;
    const crashed = await invoke(client, fn.FunctionName!, { exit: true });
    assert.equal(crashed.FunctionError, 'Unhandled');
    assert.equal(crashed.body.errorType, 'Runtime.ExitError');
    assert.match(crashed.body.errorMessage as string, /^RequestId: [0-9a-f-]{36} Error: Runtime exited with error: exit status 3$/);
    const pid2 = (await invoke(client, fn.FunctionName!)).body as unknown as number;
    assert.notEqual(pid2, pid);
    // Killed while idle: the next invoke is not lost, whether or not Fogbank noticed the exit yet.
    process.kill(pid2, 'SIGKILL');
    const pid3 = (await invoke(client, fn.FunctionName!)).body as unknown as number;
    assert.notEqual(pid3, pid2);
  });

  it('LogType Tail returns the log end, and the log lands in CloudWatch Logs in AWS stream naming', async () => {
    const client = lambdaClient(env.endpoint);
    const fn = await createFunction(client, { files: { 'index.mjs': 'console.log("init line");\nexport const handler = async (e) => { console.log("handling", e.n); console.error("multi\\nline"); return "ok"; };' } });
    const out = await invoke(client, fn.FunctionName!, { n: 7 }, { LogType: 'Tail' });
    const lines = out.log.trimEnd().split('\n');
    assert.match(out.log, /^.*init line\n/);
    assert.ok(lines.some((l) => /^START RequestId: [0-9a-f-]{36} Version: \$LATEST$/.test(l)));
    // The invocation runs under the request id the Invoke was answered with.
    assert.ok(lines.includes(`START RequestId: ${out.$metadata.requestId} Version: $LATEST`), `${out.$metadata.requestId} in ${out.log}`);
    assert.ok(lines.some((l) => /^\d{4}-\d\d-\d\dT[\d:.]+Z\t[0-9a-f-]{36}\tINFO\thandling 7$/.test(l)));
    assert.ok(lines.some((l) => /^END RequestId: /.test(l)));
    assert.match(lines[lines.length - 1]!, /^REPORT RequestId: [0-9a-f-]{36}\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\tInit Duration: [\d.]+ ms/);
    // Without Tail there is no LogResult.
    assert.equal((await invoke(client, fn.FunctionName!, { n: 8 })).LogResult, undefined);
    const logs = new CloudWatchLogsClient(clientConfig(env.endpoint));
    const streams = await logs.send(new DescribeLogStreamsCommand({ logGroupName: `/aws/lambda/${fn.FunctionName}` }));
    assert.equal(streams.logStreams!.length, 1);
    assert.match(streams.logStreams![0]!.logStreamName!, /^\d{4}\/\d\d\/\d\d\/\[\$LATEST\][0-9a-f]{32}$/);
    const events = await logs.send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${fn.FunctionName}` }));
    const messages = events.events!.map((e) => e.message!);
    assert.equal(messages.filter((m) => m.startsWith('START ')).length, 2);
    assert.equal(messages.filter((m) => m.startsWith('REPORT ')).length, 2);
    assert.ok(messages.some((m) => m.endsWith('\tERROR\tmulti\nline')), 'a multi-line message is one event');
  });

  it('logs stored after the answer are seen by every CloudWatch Logs call: a deleted group stays deleted, and a clean stop keeps the last lines', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'fogbank-lambda-logs-'));
    try {
      const own = await startFogbank({ dataDir });
      const client = lambdaClient(own.endpoint);
      const fn = await createFunction(client, { files: { 'index.mjs': 'export const handler = async (e) => { console.log("run", e.n); return e.n; };' } });
      const group = `/aws/lambda/${fn.FunctionName}`;
      let logs = new CloudWatchLogsClient(clientConfig(own.endpoint));
      await invoke(client, fn.FunctionName!, { n: 1 });
      // The first invocation's lines are stored before the group is deleted, not after it.
      await logs.send(new DeleteLogGroupCommand({ logGroupName: group }));
      assert.deepEqual((await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: group }))).logGroups, []);
      await invoke(client, fn.FunctionName!, { n: 2 });
      await own.stop();
      const again = await startFogbank({ dataDir });
      try {
        logs = new CloudWatchLogsClient(clientConfig(again.endpoint));
        const messages = (await logs.send(new FilterLogEventsCommand({ logGroupName: group }))).events!.map((e) => e.message!);
        assert.ok(messages.some((m) => m.endsWith('\tINFO\trun 2')), messages.join('|'));
        assert.ok(!messages.some((m) => m.includes('\tINFO\trun 1')), messages.join('|'));
        assert.equal(messages.filter((m) => m.startsWith('REPORT ')).length, 1);
      } finally {
        await again.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('a reset forgets the log lines not yet stored with everything else', async () => {
    const own = await startFogbank();
    try {
      const client = lambdaClient(own.endpoint);
      const fn = await createFunction(client, { files: { 'index.mjs': 'export const handler = async () => { console.log("before reset"); return 1; };' } });
      await invoke(client, fn.FunctionName!);
      own.reset();
      const logs = new CloudWatchLogsClient(clientConfig(own.endpoint));
      assert.deepEqual((await logs.send(new DescribeLogGroupsCommand({}))).logGroups, []);
    } finally {
      await own.stop();
    }
  });

  it('checks payloads as AWS does: invalid JSON, 6 MB request and response limits', async () => {
    const client = lambdaClient(env.endpoint);
    const fn = await createFunction(client, { files: { 'index.mjs': 'export const handler = async (e) => e.big ? "x".repeat(7 * 1024 * 1024) : "small";' } });
    await assert.rejects(client.send(new InvokeCommand({ FunctionName: fn.FunctionName, Payload: Buffer.from('{not json') })), (e: Error) => {
      assert.equal(e.name, 'InvalidRequestContentException');
      assert.match(e.message, /^Could not parse request body into json: Could not parse payload into json/);
      return true;
    });
    await assert.rejects(client.send(new InvokeCommand({ FunctionName: fn.FunctionName, Payload: Buffer.from(JSON.stringify('y'.repeat(6_300_000))) })), (e: Error & { $metadata: { httpStatusCode?: number } }) => {
      assert.equal(e.name, 'RequestTooLargeException');
      assert.equal(e.message, 'Request must be smaller than 6291456 bytes for the Invoke operation');
      assert.equal(e.$metadata.httpStatusCode, 413);
      return true;
    });
    const big = await invoke(client, fn.FunctionName!, { big: true });
    assert.equal(big.FunctionError, 'Unhandled');
    assert.deepEqual(big.body, { errorMessage: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).', errorType: 'Function.ResponseSizeTooLarge' });
    // An empty payload arrives as {}.
    const echo = await createFunction(client, { files: { 'index.mjs': 'export const handler = async (e) => e;' } });
    assert.deepEqual(decode((await client.send(new InvokeCommand({ FunctionName: echo.FunctionName }))).Payload), {});
    assert.equal((await invoke(client, fn.FunctionName!)).body, 'small');
  });

  it('Event invokes answer 202 and run the function; DryRun answers 204', async () => {
    const client = lambdaClient(env.endpoint);
    const fn = await createFunction(client, { files: { 'index.mjs': 'export const handler = async (e) => { console.log("event ran", e.tag); };' } });
    const queued = await client.send(new InvokeCommand({ FunctionName: fn.FunctionName, InvocationType: 'Event', Payload: Buffer.from('{"tag":"t1"}') }));
    assert.equal(queued.StatusCode, 202);
    const dry = await client.send(new InvokeCommand({ FunctionName: fn.FunctionName, InvocationType: 'DryRun' }));
    assert.equal(dry.StatusCode, 204);
    const logs = new CloudWatchLogsClient(clientConfig(env.endpoint));
    let found = false;
    for (let i = 0; i < 100 && !found; i++) {
      await new Promise((r) => setTimeout(r, 50));
      const events = await logs.send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${fn.FunctionName}` })).catch(() => ({ events: [] }));
      found = (events.events ?? []).some((e) => e.message!.includes('event ran t1'));
    }
    assert.ok(found, 'the Event invoke ran');
  });

  it('reserved concurrency caps workers: beyond it Invoke answers TooManyRequestsException', async () => {
    const client = lambdaClient(env.endpoint);
    const fn = await createFunction(client, { files: { 'index.mjs': 'export const handler = async (e) => { await new Promise((r) => setTimeout(r, e.wait ?? 0)); return "done"; };' } });
    await client.send(new PutFunctionConcurrencyCommand({ FunctionName: fn.FunctionName, ReservedConcurrentExecutions: 1 }));
    const slow = invoke(client, fn.FunctionName!, { wait: 800 });
    await new Promise((r) => setTimeout(r, 300));
    await assert.rejects(invoke(client, fn.FunctionName!), (e: Error & { Reason?: string; $metadata: { httpStatusCode?: number } }) => {
      assert.equal(e.name, 'TooManyRequestsException');
      assert.equal(e.$metadata.httpStatusCode, 429);
      assert.equal(e.Reason, 'ReservedFunctionConcurrentInvocationLimitExceeded');
      return true;
    });
    assert.equal((await slow).body, 'done');
    assert.equal((await invoke(client, fn.FunctionName!)).body, 'done');
    await client.send(new PutFunctionConcurrencyCommand({ FunctionName: fn.FunctionName, ReservedConcurrentExecutions: 0 }));
    await assert.rejects(invoke(client, fn.FunctionName!), (e: Error) => e.name === 'TooManyRequestsException');
  });

  it('Fogbank.stop() ends its workers', async () => {
    const own = await startFogbank();
    const client = lambdaClient(own.endpoint);
    const fn = await createFunction(client, { files: { 'index.mjs': 'export const handler = async () => process.pid;' } });
    const pid = decode((await client.send(new InvokeCommand({ FunctionName: fn.FunctionName }))).Payload) as number;
    assert.ok(alive(pid));
    await own.stop();
    for (let i = 0; i < 40 && alive(pid); i++) await new Promise((r) => setTimeout(r, 25));
    assert.equal(alive(pid), false);
  });

  it('a function reaches Fogbank with the JS SDK and no endpoint in its code', async () => {
    const client = lambdaClient(env.endpoint);
    const fn = await createFunction(client, {
      files: {
        'index.mjs': `import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
const sts = new STSClient({});
export const handler = async () => (await sts.send(new GetCallerIdentityCommand({}))).Arn;`,
      },
    });
    const out = await invoke(client, fn.FunctionName!);
    assert.equal(out.FunctionError, undefined, JSON.stringify(out.body));
    assert.equal(out.body, `arn:aws:sts::000000000000:assumed-role/lambda-role/${fn.FunctionName}`);
  });
});
