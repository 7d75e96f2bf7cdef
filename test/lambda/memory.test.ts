import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { InvokeCommand, UpdateFunctionConfigurationCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { createFunction, decode, lambdaClient, useLambdaFogbank } from './support.js';

const env = useLambdaFogbank();

const hasPython = spawnSync('python3', ['--version']).status === 0;

async function invoke(client: LambdaClient, name: string, event: unknown = {}) {
  const out = await client.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(event)), LogType: 'Tail' }));
  const log = Buffer.from(out.LogResult ?? '', 'base64').toString('utf8');
  const report = log.split('\n').find((l) => l.startsWith('REPORT ')) ?? '';
  return { ...out, body: decode(out.Payload) as Record<string, unknown>, log, report };
}

const used = (report: string) => Number(/\tMax Memory Used: (\d+) MB\t/.exec(report)?.[1]);

/**
 * AWS's answer when the execution environment's cgroup kills a runtime past its memory: the
 * runtime's exit as Runtime.OutOfMemory, the same words in the log, and a REPORT line that used all
 * of the memory and says why the environment failed.
 */
function assertOutOfMemory(out: Awaited<ReturnType<typeof invoke>>, memorySize: number): void {
  assert.equal(out.FunctionError, 'Unhandled', JSON.stringify(out.body));
  assert.equal(out.StatusCode, 200);
  const requestId = /^START RequestId: ([0-9a-f-]{36}) /m.exec(out.log)?.[1];
  assert.ok(requestId, out.log);
  assert.deepEqual(out.body, { errorType: 'Runtime.OutOfMemory', errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: signal: killed` });
  assert.ok(out.log.includes(`RequestId: ${requestId} Error: Runtime exited with error: signal: killed\nRuntime.OutOfMemory\n`), out.log);
  assert.match(out.log, new RegExp(`\\nEND RequestId: ${requestId}\\n`));
  assert.match(
    out.report,
    new RegExp(`^REPORT RequestId: ${requestId}\\tDuration: [\\d.]+ ms\\tBilled Duration: \\d+ ms\\tMemory Size: ${memorySize} MB\\tMax Memory Used: ${memorySize} MB\\t(Init Duration: [\\d.]+ ms\\t)?Status: error\\tError Type: Runtime.OutOfMemory$`),
  );
}

describe('Lambda memory limits: MemorySize holds every runtime, as the execution environment does on AWS', () => {
  it('a Python function at 128 MB allocating 300 MB is killed: Runtime.OutOfMemory; a new worker serves the next invoke', { skip: !hasPython && 'needs python3' }, async () => {
    const client = lambdaClient(env.endpoint);
    const fn = await createFunction(client, {
      Runtime: 'python3.12',
      Handler: 'lambda_function.lambda_handler',
      MemorySize: 128,
      Timeout: 30,
      files: {
        'lambda_function.py': `import os

def lambda_handler(event, context):
    if event.get('mb'):
        data = b'x' * (event['mb'] << 20)
        return len(data)
    if event.get('raise'):
        raise MemoryError('raised by the handler')
    return {'pid': os.getpid(), 'limit': context.memory_limit_in_mb}
`,
      },
    });
    const before = await invoke(client, fn.FunctionName!);
    assert.equal(before.FunctionError, undefined, JSON.stringify(before.body));
    const oom = await invoke(client, fn.FunctionName!, { mb: 300 });
    assertOutOfMemory(oom, 128);
    const after = await invoke(client, fn.FunctionName!);
    assert.equal(after.FunctionError, undefined, JSON.stringify(after.body));
    assert.notEqual(after.body.pid, before.body.pid, 'the killed worker was replaced');
    assert.equal(after.body.limit, '128');
    assert.match(after.report, /\tInit Duration: [\d.]+ ms/, 'the replacement started cold');
  });

  it('a MemoryError the Python handler raises itself is an ordinary function error: the worker lives on', { skip: !hasPython && 'needs python3' }, async () => {
    const client = lambdaClient(env.endpoint);
    const fn = await createFunction(client, {
      Runtime: 'python3.12',
      Handler: 'lambda_function.lambda_handler',
      files: { 'lambda_function.py': "import os\n\ndef lambda_handler(event, context):\n    if event.get('raise'):\n        raise MemoryError('raised by the handler')\n    return os.getpid()\n" },
    });
    const first = await invoke(client, fn.FunctionName!);
    const raised = await invoke(client, fn.FunctionName!, { raise: true });
    assert.equal(raised.FunctionError, 'Unhandled');
    assert.equal(raised.body.errorType, 'MemoryError');
    assert.equal(raised.body.errorMessage, 'raised by the handler');
    assert.doesNotMatch(raised.report, /Status: error/);
    assert.equal((await invoke(client, fn.FunctionName!)).body, first.body, 'the same worker still serves');
  });

  it("a Node.js function overflowing its heap at 128 MB outgrows the memory before V8's own heap limit (AWS's bootstrap flags): Runtime.OutOfMemory", async () => {
    const client = lambdaClient(env.endpoint);
    const fn = await createFunction(client, {
      MemorySize: 128,
      Timeout: 60,
      files: {
        'index.mjs': 'const kept = [];\nexport const handler = async (e) => { if (!e.grow) return process.execArgv; for (;;) kept.push(new Array(1e5).fill({ x: kept.length })); };',
      },
    });
    const flags = await invoke(client, fn.FunctionName!);
    assert.deepEqual(flags.body, ['--max-semi-space-size=6', '--max-old-space-size=116']);
    assertOutOfMemory(await invoke(client, fn.FunctionName!, { grow: true }), 128);
    // The function still serves on a new worker.
    assert.deepEqual((await invoke(client, fn.FunctionName!)).body, flags.body);
  });

  it("V8 aborting at its own heap limit (as a function at a larger MemorySize can) is the runtime's exit: Runtime.ExitError, in AWS's words", async () => {
    const client = lambdaClient(env.endpoint);
    // process.abort() ends the process as V8 does after "JavaScript heap out of memory".
    const fn = await createFunction(client, { files: { 'index.mjs': 'export const handler = async (e) => { if (e.abort) process.abort(); return process.pid; };' } });
    const pid = (await invoke(client, fn.FunctionName!)).body;
    const aborted = await invoke(client, fn.FunctionName!, { abort: true });
    assert.equal(aborted.FunctionError, 'Unhandled');
    assert.equal(aborted.body.errorType, 'Runtime.ExitError');
    assert.match(aborted.body.errorMessage as string, /^RequestId: [0-9a-f-]{36} Error: Runtime exited with error: signal: aborted \(core dumped\)$/);
    assert.match(aborted.log, /Error: Runtime exited with error: signal: aborted \(core dumped\)\nRuntime.ExitError\n/);
    assert.match(aborted.report, /\tStatus: error\tError Type: Runtime.ExitError$/);
    assert.notEqual((await invoke(client, fn.FunctionName!)).body, pid);
  });

  it("memory outside V8's heap counts too: a Node.js function filling a 300 MB Buffer at 128 MB answers Runtime.OutOfMemory", async () => {
    const client = lambdaClient(env.endpoint);
    const fn = await createFunction(client, {
      MemorySize: 128,
      Timeout: 30,
      files: { 'index.mjs': 'export const handler = async (e) => e.mb ? Buffer.alloc(e.mb * 2 ** 20, 1).length : process.pid;' },
    });
    const pid = (await invoke(client, fn.FunctionName!)).body;
    assertOutOfMemory(await invoke(client, fn.FunctionName!, { mb: 300 }), 128);
    const after = await invoke(client, fn.FunctionName!);
    assert.equal(after.FunctionError, undefined);
    assert.notEqual(after.body, pid);
  });

  it('a provided.al2 function is held with the processes it starts: their memory counts, and a shell handler running a 300 MB command is killed with it', async () => {
    const client = lambdaClient(env.endpoint);
    // AWS's tutorial shape: a shell loop on the Runtime API, the handler a command per event.
    const bootstrap = `#!/bin/sh
set -eu
API="http://\${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation"
while true; do
  HEADERS="$(mktemp)"
  EVENT="$(curl -sS -LD "$HEADERS" "$API/next")"
  REQUEST_ID=$(grep -Fi Lambda-Runtime-Aws-Request-Id "$HEADERS" | tr -d '[:space:]' | cut -d: -f2)
  case "$EVENT" in
    *hog*) RESULT=$(node -e 'const b = Buffer.alloc(300 * 2 ** 20, 1); setTimeout(() => console.log(b.length), 10000)') ;;
    *hold*) RESULT=$(node -e 'const b = Buffer.alloc(100 * 2 ** 20, 1); setTimeout(() => console.log(b.length), 300)') ;;
    *) RESULT=$$ ;;
  esac
  curl -sS --data-binary "$RESULT" "$API/$REQUEST_ID/response" > /dev/null
  rm -f "$HEADERS"
done
`;
    const fn = await createFunction(client, { Runtime: 'provided.al2', Handler: 'function.handler', MemorySize: 256, Timeout: 30, files: { bootstrap }, modes: { bootstrap: 0o755 } });
    const first = await invoke(client, fn.FunctionName!);
    assert.equal(first.FunctionError, undefined, JSON.stringify(first.body));
    // A command under the limit runs, and its memory counts in Max Memory Used.
    const held = await invoke(client, fn.FunctionName!, { hold: true });
    assert.equal(held.FunctionError, undefined, JSON.stringify(held.body));
    assert.equal(held.body, 100 * 2 ** 20);
    assert.ok(used(held.report) >= 100 && used(held.report) <= 256, held.report);
    const oom = await invoke(client, fn.FunctionName!, { hog: true });
    assertOutOfMemory(oom, 256);
    const after = await invoke(client, fn.FunctionName!);
    assert.equal(after.FunctionError, undefined, JSON.stringify(after.body));
    assert.notEqual(after.body, first.body, 'a new bootstrap process');
    // The command was killed with its runtime, not left running.
    const hogs = spawnSync('pgrep', ['-f', '300 \\* 2 \\*\\* 20'], { encoding: 'utf8' });
    if (hogs.status !== null && !hogs.error) assert.equal(hogs.stdout.trim(), '', 'no 300 MB command left behind');
  });

  it('outgrowing the memory while initialising answers Runtime.OutOfMemory too; the function serves once fixed', async () => {
    const client = lambdaClient(env.endpoint);
    const fn = await createFunction(client, {
      MemorySize: 128,
      Timeout: 30,
      Environment: { Variables: { INIT_MB: '300' } },
      files: { 'index.mjs': 'const held = Buffer.alloc(Number(process.env.INIT_MB) * 2 ** 20, 1);\nexport const handler = async () => held.length;' },
    });
    const oom = await invoke(client, fn.FunctionName!);
    assert.equal(oom.FunctionError, 'Unhandled');
    assert.equal(oom.body.errorType, 'Runtime.OutOfMemory');
    assert.match(oom.body.errorMessage as string, /^RequestId: [0-9a-f-]{36} Error: Runtime exited with error: signal: killed$/);
    assert.match(oom.report, /\tMemory Size: 128 MB\tMax Memory Used: 128 MB\t.*Status: error\tError Type: Runtime.OutOfMemory$/);
    await client.send(new UpdateFunctionConfigurationCommand({ FunctionName: fn.FunctionName, Environment: { Variables: { INIT_MB: '10' } } }));
    const fixed = await invoke(client, fn.FunctionName!);
    assert.equal(fixed.FunctionError, undefined, JSON.stringify(fixed.body));
    assert.equal(fixed.body, 10 * 2 ** 20);
  });

  it('a function under its limit is unaffected, and Max Memory Used follows a known allocation', async () => {
    const client = lambdaClient(env.endpoint);
    const fn = await createFunction(client, {
      MemorySize: 256,
      Timeout: 30,
      files: { 'index.mjs': 'const kept = [];\nexport const handler = async (e) => { if (e.mb) kept.push(Buffer.alloc(e.mb * 2 ** 20, 1)); return process.pid; };' },
    });
    const small = await invoke(client, fn.FunctionName!);
    const baseline = used(small.report);
    assert.ok(baseline > 0 && baseline < 128, `a fresh Node.js worker's footprint: ${baseline} MB`);
    const big = await invoke(client, fn.FunctionName!, { mb: 150 });
    assert.equal(big.FunctionError, undefined, JSON.stringify(big.body));
    assert.equal(big.body, small.body, 'the same worker, not killed');
    assert.doesNotMatch(big.report, /Status:/);
    const grown = used(big.report) - baseline;
    assert.ok(grown >= 145 && grown <= 256 - baseline, `grew by about the 150 MB buffer: ${baseline} -> ${used(big.report)} MB`);
  });

  it('a Python function under its limit keeps its worker; Max Memory Used counts what it holds', { skip: !hasPython && 'needs python3' }, async () => {
    const client = lambdaClient(env.endpoint);
    const fn = await createFunction(client, {
      Runtime: 'python3.12',
      Handler: 'lambda_function.lambda_handler',
      MemorySize: 128,
      files: { 'lambda_function.py': "import os\nkept = []\n\ndef lambda_handler(event, context):\n    kept.append(b'x' * (event.get('mb', 0) << 20))\n    return os.getpid()\n" },
    });
    const small = await invoke(client, fn.FunctionName!);
    const held = await invoke(client, fn.FunctionName!, { mb: 60 });
    assert.equal(held.FunctionError, undefined, JSON.stringify(held.body));
    assert.equal(held.body, small.body);
    assert.ok(used(held.report) >= used(small.report) + 55, `${used(small.report)} -> ${used(held.report)} MB`);
    assert.ok(used(held.report) <= 128);
  });
});
