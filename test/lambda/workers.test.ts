import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
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

/** Waits (bounded) for a process Fogbank killed to be gone: the signal is asynchronous. */
async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 200 && alive(pid); i++) await new Promise((r) => setTimeout(r, 10));
  return !alive(pid);
}

async function invoke(client: LambdaClient, name: string, event: unknown = {}) {
  const out = await client.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(event)), LogType: 'Tail' }));
  const log = Buffer.from(out.LogResult ?? '', 'base64').toString('utf8');
  const report = log.split('\n').find((l) => l.startsWith('REPORT ')) ?? '';
  return { ...out, body: decode(out.Payload) as Record<string, unknown>, log, report };
}

describe('Lambda workers: idle reaping, memory and init reports', () => {
  it("idle workers are stopped after FOGBANK_LAMBDA_IDLE_SECONDS (600) on Fogbank's clock; the next invoke starts cold", async () => {
    const client = lambdaClient(env.endpoint);
    const fn = await createFunction(client, { files: { 'index.mjs': 'let n = 0;\nexport const handler = async () => ({ pid: process.pid, n: ++n });' } });
    const first = await invoke(client, fn.FunctionName!);
    assert.match(first.report, /\tInit Duration: [\d.]+ ms/);
    env.fogbank.advanceClock(599_000);
    const warm = await invoke(client, fn.FunctionName!);
    assert.deepEqual(warm.body, { pid: first.body.pid, n: 2 }, 'still warm just under the limit');
    assert.doesNotMatch(warm.report, /Init Duration/, 'a warm invoke reports no Init Duration');
    env.fogbank.advanceClock(600_000);
    assert.ok(await gone(first.body.pid as number), 'the idle worker was stopped');
    const cold = await invoke(client, fn.FunctionName!);
    assert.notEqual(cold.body.pid, first.body.pid);
    assert.equal(cold.body.n, 1, 'a new worker: module state starts again');
    assert.match(cold.report, /\tInit Duration: [\d.]+ ms/);
  });

  it('Max Memory Used is the worker process peak, measured from the worker', async () => {
    const client = lambdaClient(env.endpoint);
    const fn = await createFunction(client, {
      MemorySize: 512,
      files: { 'index.mjs': 'const kept = [];\nexport const handler = async (e) => { if (e.mb) kept.push(Buffer.alloc(e.mb * 1024 * 1024, 1)); return process.memoryUsage().rss; };' },
    });
    const small = await invoke(client, fn.FunctionName!);
    const used = (report: string) => Number(/Max Memory Used: (\d+) MB/.exec(report)?.[1]);
    assert.match(small.report, /\tMemory Size: 512 MB\tMax Memory Used: \d+ MB/);
    const before = used(small.report);
    assert.ok(before >= Math.floor((small.body as unknown as number) / 2 ** 20), 'at least the resident size the function saw');
    const big = await invoke(client, fn.FunctionName!, { mb: 120 });
    assert.ok(used(big.report) >= before + 100, `grew by the 120 MB buffer: ${before} -> ${used(big.report)}`);
  });

  it('the Runtime API answers malformed or unknown requests with errors and keeps serving', async () => {
    const client = lambdaClient(env.endpoint);
    const fn = await createFunction(client, {
      files: {
        'index.mjs': `import net from 'node:net';
const [hostPort, token] = process.env.AWS_LAMBDA_RUNTIME_API.split('/');
const [host, port] = hostPort.split(':');
const statusLine = (text) => new Promise((resolve) => {
  const socket = net.connect(Number(port), host, () => socket.write(text));
  socket.once('data', (d) => { resolve(d.toString('latin1').split('\\r\\n')[0]); socket.destroy(); });
  socket.on('error', () => resolve('error'));
});
export const handler = async () => [
  await statusLine('garbage\\r\\n\\r\\n'),
  await statusLine('GET /nowhere HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n'),
  await statusLine('POST /' + token + '/2018-06-01/runtime/invocation/not-a-request/response HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 2\\r\\n\\r\\n{}'),
  await statusLine('POST /' + token + '/2018-06-01/runtime/invocation/x/response HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: nope\\r\\n\\r\\n'),
];`,
      },
    });
    const out = await invoke(client, fn.FunctionName!);
    assert.equal(out.FunctionError, undefined, JSON.stringify(out.body));
    assert.deepEqual(out.body, ['HTTP/1.1 400 Bad Request', 'HTTP/1.1 404 Not Found', 'HTTP/1.1 400 Bad Request', 'HTTP/1.1 400 Bad Request']);
    // The worker's own connection was untouched: it still serves.
    assert.equal((await invoke(client, fn.FunctionName!)).FunctionError, undefined);
  });
});
