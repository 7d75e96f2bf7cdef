// Lambda side by side: Fogbank (persistent, its default; every function a real child process
// speaking the Runtime API) and serverless-offline 13 (Node handlers in worker threads of its own
// process), both invoked through the JS SDK v3 LambdaClient. Measures, in one run:
// - start-up: spawn until the Invoke endpoint answers;
// - cold start: the first Invoke after CreateFunction (Fogbank; Node.js, and Python importing boto3),
//   and serverless-offline's first Invoke after it started;
// - warm latency: 2,000 sequential invokes of a warm function (p50, p99), Node.js and Python;
// (serverless-offline slows down the longer one instance runs, so its rounds start fresh ones)
// - throughput through the SDK: 2,000 warm invokes at concurrency 1 and 16 (bound by the SDK
//   client's own CPU on the same cores);
// - server throughput: wrk replaying one fixed Invoke (POST /2015-03-31/functions/<name>/invocations,
//   small JSON payload) at 1 and 16 connections, with the server's CPU (its process and children)
//   per invoke over the run.
// Usage: node dist/bench/lambda.js [--invokes 2000] [--rounds 3] [--cold 5] [--wrk-seconds 5] [--skip serverless-offline]

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { CreateFunctionCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { strToU8, zipSync } from 'fflate';
import { quantile } from './latency.js';
import { cpuBusyPercent } from './machine.js';
import { median } from './report.js';
import type { BenchRequest } from './requests.js';
import { ensureWrk, measureThroughput } from './wrk.js';
import { freePort, killAllServers, sleep, startServer, stopServer, waitForFirstAnswer } from './servers.js';

const NODE_MODULES = fileURLToPath(new URL('../../node_modules', import.meta.url));
const ROLE = 'arn:aws:iam::000000000000:role/bench-lambda';
const NODE_HANDLER = 'let count = 0;\nexports.handler = async (event) => ({ count: ++count, echo: event.n });\n';
const PYTHON_HANDLER = 'import boto3\n\ncount = 0\n\ndef handler(event, context):\n    global count\n    count += 1\n    return {"count": count, "echo": event.get("n")}\n';

interface Options {
  invokes: number;
  rounds: number;
  cold: number;
  wrkSeconds: number;
  skip: string[];
}

function client(endpoint: string): LambdaClient {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  return new LambdaClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'bench' },
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true, maxSockets: 32 }) }),
  });
}

function zip(files: Record<string, string>): Uint8Array {
  return zipSync(Object.fromEntries(Object.entries(files).map(([name, text]) => [name, strToU8(text)])));
}

async function invoke(lambda: LambdaClient, name: string, n: number): Promise<void> {
  const out = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify({ n })) }));
  if (out.FunctionError) throw new Error(`${name} failed: ${Buffer.from(out.Payload ?? []).toString()}`);
  const answer = JSON.parse(Buffer.from(out.Payload ?? []).toString()) as { echo?: number };
  if (answer.echo !== n) throw new Error(`${name} answered ${JSON.stringify(answer)} for ${n}`);
}

/** `count` invokes with `concurrency` in flight; per-call latencies and invokes per second. */
async function run(lambda: LambdaClient, name: string, count: number, concurrency: number): Promise<{ latencies: number[]; perSecond: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const n = next++;
        const t = performance.now();
        await invoke(lambda, name, n);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { latencies, perSecond: count / ((performance.now() - started) / 1000) };
}

/** CPU time (ms) used so far by a process and all its descendants (Linux /proc; 0 elsewhere). */
function treeCpuMs(pid: number): number {
  const children = new Map<number, number[]>();
  const ticks = new Map<number, number>();
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        children.set(Number(fields[1]), [...(children.get(Number(fields[1])) ?? []), Number(entry)]);
        ticks.set(Number(entry), Number(fields[11]) + Number(fields[12]));
      } catch {
        // gone meanwhile
      }
    }
  } catch {
    return 0;
  }
  let total = 0;
  const pending = [pid];
  while (pending.length) {
    const current = pending.pop()!;
    total += ticks.get(current) ?? 0;
    pending.push(...(children.get(current) ?? []));
  }
  return total * 10; // USER_HZ is 100 on Linux
}

/**
 * Wall time of a bare interpreter start (node -e 0; python3 importing boto3), median of 3: the floor
 * under any cold start on this machine right now, printed beside the cold starts so a loaded
 * machine's figures can be read.
 */
function bareStartMs(command: string, args: string[]): number | undefined {
  const samples: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const result = spawnSync(command, args, { stdio: 'ignore', timeout: 30_000 });
    if (result.status !== 0) return undefined;
    samples.push(performance.now() - t);
  }
  return median(samples);
}

interface Figures {
  startMs?: number;
  bareNodeMs?: number;
  barePythonMs?: number;
  coldNodeMs?: number;
  coldPythonMs?: number;
  warmNode: { p50: number[]; p99: number[]; c1: number[]; c16: number[]; cpuMs: number[] };
  warmPython: { p50: number[]; p99: number[] };
  /** wrk replaying one fixed Invoke: rates and server CPU per invoke, at 1 and 16 connections. */
  wrk: { c1: number[]; c16: number[]; cpuMsC1: number[]; cpuMsC16: number[] };
}

const emptyFigures = (): Figures => ({
  warmNode: { p50: [], p99: [], c1: [], c16: [], cpuMs: [] },
  warmPython: { p50: [], p99: [] },
  wrk: { c1: [], c16: [], cpuMsC1: [], cpuMsC16: [] },
});

// ---------------------------------------------------------------------------------------------
// wrk: the server's capacity, without an SDK client competing for the same cores

/** The fixed warm Invoke wrk replays; signed-looking (both servers route on the scope, neither verifies). */
function invokeRequest(name: string): BenchRequest {
  return {
    method: 'POST',
    path: `/2015-03-31/functions/${name}/invocations`,
    headers: {
      'Content-Type': 'application/json',
      'X-Amz-Date': '20240101T000000Z',
      'X-Amz-Invocation-Type': 'RequestResponse',
      Authorization: `AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240101/us-east-1/lambda/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=${'f'.repeat(64)}`,
    },
    body: JSON.stringify({ n: 7 }),
  };
}

/** One request as wrk will send it, checked for the handler's echo (wrk itself only counts non-2xx). */
async function checkInvokeRequest(port: number, name: string): Promise<void> {
  const req = invokeRequest(name);
  const answer = await fetch(`http://127.0.0.1:${port}${req.path}`, { method: req.method, headers: req.headers, body: req.body });
  const text = await answer.text();
  if (answer.status !== 200 || answer.headers.get('x-amz-function-error') || (JSON.parse(text) as { echo?: number }).echo !== 7) {
    throw new Error(`the fixed Invoke answered ${answer.status}: ${text.slice(0, 200)}`);
  }
}

/** wrk at 1 and 16 connections against a warm function; server CPU (process and children) per invoke. */
async function wrkRound(port: number, name: string, pid: number, seconds: number, into: Figures['wrk'], log: (line: string) => void, label: string, counts: Array<1 | 16> = [16, 1]): Promise<void> {
  const parts: string[] = [];
  for (const connections of counts) {
    const cpuBefore = treeCpuMs(pid);
    const result = await measureThroughput(port, invokeRequest(name), { threads: 1, connections, durationSeconds: seconds, warmupSeconds: 1 });
    // The warm-up second is in the CPU window too: count its invokes at the measured rate.
    const cpuMs = (treeCpuMs(pid) - cpuBefore) / (result.requestsPerSecond * (seconds + 1));
    if (result.failure) {
      log(`  ${label}: wrk c${connections} failed (${result.failure}); figure dropped`);
      continue;
    }
    (connections === 1 ? into.c1 : into.c16).push(result.requestsPerSecond);
    (connections === 1 ? into.cpuMsC1 : into.cpuMsC16).push(cpuMs);
    parts.push(`${result.requestsPerSecond.toFixed(0)}/s at c${connections} (server CPU ${cpuMs.toFixed(3)} ms per invoke)`);
  }
  log(`  ${label}: wrk ${parts.join(', ')}`);
}

// ---------------------------------------------------------------------------------------------
// Fogbank

async function createFunction(lambda: LambdaClient, name: string, runtime: 'nodejs20.x' | 'python3.12'): Promise<void> {
  const files: Record<string, string> = runtime === 'nodejs20.x' ? { 'index.js': NODE_HANDLER } : { 'index.py': PYTHON_HANDLER };
  await lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: runtime, Role: ROLE, Handler: 'index.handler', Code: { ZipFile: zip(files) }, Timeout: 30 }));
}

async function coldStarts(lambda: LambdaClient, runtime: 'nodejs20.x' | 'python3.12', times: number, log: (line: string) => void): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const name = `cold-${runtime.replace('.', '')}-${i}`;
    await createFunction(lambda, name, runtime);
    const t = performance.now();
    await invoke(lambda, name, 0);
    samples.push(performance.now() - t);
  }
  log(`  cold ${runtime}: ${samples.map((s) => s.toFixed(0)).join(', ')} ms`);
  return median(samples);
}

async function measureFogbank(options: Options, log: (line: string) => void): Promise<Figures> {
  const figures = emptyFigures();
  const server = await startServer('fogbank');
  try {
    figures.startMs = (await waitForFirstAnswer(server)).ms;
    const lambda = client(`http://127.0.0.1:${server.port}`);
    figures.bareNodeMs = bareStartMs(process.execPath, ['-e', '0']);
    figures.coldNodeMs = await coldStarts(lambda, 'nodejs20.x', options.cold, log);
    // The interpreter itself, not a version manager's shim (Fogbank resolves it the same way).
    const python = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).stdout?.trim() || 'python3';
    figures.barePythonMs = bareStartMs(python, ['-c', 'import boto3']);
    figures.coldPythonMs = await coldStarts(lambda, 'python3.12', options.cold, log);
    await createFunction(lambda, 'warm-node', 'nodejs20.x');
    await createFunction(lambda, 'warm-python', 'python3.12');
    // Sixteen workers started and warmed before anything is measured.
    await run(lambda, 'warm-node', 400, 16);
    await run(lambda, 'warm-python', 200, 1);
    const wrk = ensureWrk(log);
    if (wrk) await checkInvokeRequest(server.port, 'warm-node');
    for (let round = 0; round < options.rounds; round++) {
      await warmRound(lambda, 'warm-node', options.invokes, figures.warmNode, log, `fogbank round ${round + 1}`, server.pid);
      if (wrk) await wrkRound(server.port, 'warm-node', server.pid, options.wrkSeconds, figures.wrk, log, `fogbank round ${round + 1}`);
      const py = await run(lambda, 'warm-python', options.invokes, 1);
      const sorted = py.latencies.sort((a, b) => a - b);
      figures.warmPython.p50.push(quantile(sorted, 0.5));
      figures.warmPython.p99.push(quantile(sorted, 0.99));
      log(`  python warm p50 ${quantile(sorted, 0.5).toFixed(2)} ms, ${py.perSecond.toFixed(0)}/s at c1`);
    }
    lambda.destroy();
  } finally {
    await stopServer(server);
  }
  return figures;
}

/** A round of warm Node.js invokes: latency and rate at c1, rate at c16, server CPU per invoke at c16. */
async function warmRound(lambda: LambdaClient, name: string, invokes: number, into: Figures['warmNode'], log: (line: string) => void, label: string, pid: number): Promise<void> {
  const c1 = await run(lambda, name, invokes, 1);
  const sorted = c1.latencies.sort((a, b) => a - b);
  const cpuBefore = treeCpuMs(pid);
  const c16 = await run(lambda, name, invokes, 16);
  into.cpuMs.push((treeCpuMs(pid) - cpuBefore) / invokes);
  into.p50.push(quantile(sorted, 0.5));
  into.p99.push(quantile(sorted, 0.99));
  into.c1.push(c1.perSecond);
  into.c16.push(c16.perSecond);
  log(
    `  ${label}: node warm p50 ${quantile(sorted, 0.5).toFixed(2)} ms, p99 ${quantile(sorted, 0.99).toFixed(2)} ms, ${c1.perSecond.toFixed(0)}/s at c1, ` +
      `${c16.perSecond.toFixed(0)}/s at c16 (server CPU ${into.cpuMs.at(-1)!.toFixed(2)} ms per invoke)`,
  );
}

// ---------------------------------------------------------------------------------------------
// serverless-offline

let offline: { child: ChildProcess; dir: string } | undefined;

function killOffline(): void {
  if (!offline) return;
  try {
    process.kill(-offline.child.pid!, 'SIGKILL');
  } catch {
    // already gone
  }
  rmSync(offline.dir, { recursive: true, force: true });
  offline = undefined;
}

async function startOffline(): Promise<{ port: number; startMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-serverless-offline-'));
  const [lambdaPort, httpPort, websocketPort] = [await freePort(), await freePort(), await freePort()];
  writeFileSync(
    join(dir, 'serverless.yml'),
    [
      'service: bench',
      "frameworkVersion: '3'",
      'provider: { name: aws, runtime: nodejs20.x, region: us-east-1, stage: dev }',
      'functions: { echo: { handler: index.handler } }',
      'plugins: [serverless-offline]',
      `custom: { serverless-offline: { lambdaPort: ${lambdaPort}, httpPort: ${httpPort}, websocketPort: ${websocketPort}, host: 127.0.0.1 } }`,
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'index.js'), NODE_HANDLER);
  symlinkSync(NODE_MODULES, join(dir, 'node_modules'));
  const started = performance.now();
  const child = spawn(join(NODE_MODULES, '.bin', 'serverless'), ['offline', 'start'], {
    cwd: dir,
    detached: true,
    stdio: 'ignore',
    env: { ...process.env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' },
  });
  offline = { child, dir };
  // Ready when its Lambda endpoint accepts connections (an unknown path answers 404).
  for (let i = 0; i < 3000; i++) {
    if (child.exitCode !== null) throw new Error(`serverless-offline exited with ${child.exitCode}`);
    const answered = await fetch(`http://127.0.0.1:${lambdaPort}/`).then(
      () => true,
      () => false,
    );
    if (answered) return { port: lambdaPort, startMs: performance.now() - started };
    await sleep(10);
  }
  throw new Error('serverless-offline did not start within 30 s');
}

/**
 * serverless-offline's CPU per invoke grows the longer one instance runs (in one run here: 0.46 ms
 * per invoke on its first wrk run, 3 ms on its second, 10 ms on its third; after a wrk run at 16
 * connections, its rate at 1 connection fell to a fifth). So every round gets a fresh instance for
 * the SDK figures and wrk at 16 connections, and another for wrk at 1 connection, each warmed the
 * same way: the figures are its best, not its decay.
 */
async function measureOffline(options: Options, log: (line: string) => void): Promise<Figures> {
  const figures = emptyFigures();
  const starts: number[] = [];
  const colds: number[] = [];
  const wrk = ensureWrk(log);
  const fresh = async (body: (lambda: LambdaClient, port: number) => Promise<void>): Promise<void> => {
    const { port, startMs } = await startOffline();
    try {
      starts.push(startMs);
      const lambda = client(`http://127.0.0.1:${port}`);
      const t = performance.now();
      await invoke(lambda, 'bench-dev-echo', 0);
      colds.push(performance.now() - t);
      await run(lambda, 'bench-dev-echo', 400, 16);
      if (wrk) await checkInvokeRequest(port, 'bench-dev-echo');
      await body(lambda, port);
      lambda.destroy();
    } finally {
      killOffline();
    }
  };
  for (let round = 0; round < options.rounds; round++) {
    const label = `serverless-offline round ${round + 1}`;
    await fresh(async (lambda, port) => {
      await warmRound(lambda, 'bench-dev-echo', options.invokes, figures.warmNode, log, label, offline!.child.pid!);
      if (wrk) await wrkRound(port, 'bench-dev-echo', offline!.child.pid!, options.wrkSeconds, figures.wrk, log, label, [16]);
    });
    if (wrk) await fresh((_, port) => wrkRound(port, 'bench-dev-echo', offline!.child.pid!, options.wrkSeconds, figures.wrk, log, `${label} (fresh instance)`, [1]));
  }
  figures.startMs = median(starts);
  figures.coldNodeMs = median(colds);
  return figures;
}

// ---------------------------------------------------------------------------------------------
// The table

interface Row {
  name: string;
  unit: 'ms' | 'invokes/s' | 's';
  better: 'lower' | 'higher';
  fogbank?: number;
  offline?: number;
  target?: string;
  met?: boolean;
}

function format(value: number | undefined, unit: string): string {
  if (value === undefined || Number.isNaN(value)) return 'n/a';
  return `${value.toFixed(unit === 'invokes/s' ? 0 : value < 10 ? 2 : 1)} ${unit}`;
}

function table(rows: Row[]): string {
  const header = ['Figure', 'Fogbank', 'serverless-offline', 'Fogbank/offline', 'Target (Fogbank)'];
  const cells = rows.map((r) => [
    r.name,
    format(r.fogbank, r.unit),
    format(r.offline, r.unit),
    r.fogbank !== undefined && r.offline ? `${(r.fogbank / r.offline).toFixed(2)}x (${r.better} is better)` : '',
    r.target ? `${r.target}: ${r.met ? 'met' : 'MISSED'}` : '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]): string => `| ${c.map((s, i) => s.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n');
}

const difference = (a?: number, b?: number): number | undefined => (a === undefined || b === undefined ? undefined : a - b);

function rowsOf(fog: Figures, off: Figures | undefined): Row[] {
  const m = (values: number[]): number | undefined => (values.length ? median(values) : undefined);
  const fogP50 = m(fog.warmNode.p50);
  const offP50 = off && m(off.warmNode.p50);
  const fogC16 = m(fog.warmNode.c16);
  const offC16 = off && m(off.warmNode.c16);
  const wrkC16 = m(fog.wrk.c16);
  const offWrkC16 = off && m(off.wrk.c16);
  return [
    { name: 'Start-up (spawn to first answer)', unit: 'ms', better: 'lower', fogbank: fog.startMs, offline: off?.startMs },
    { name: 'Cold start, Node.js (first invoke after create)', unit: 'ms', better: 'lower', fogbank: fog.coldNodeMs, offline: off?.coldNodeMs, target: '< 150 ms', met: (fog.coldNodeMs ?? Infinity) < 150 },
    { name: '  for reference: bare `node -e 0`', unit: 'ms', better: 'lower', fogbank: fog.bareNodeMs },
    { name: '  cold start minus bare node', unit: 'ms', better: 'lower', fogbank: difference(fog.coldNodeMs, fog.bareNodeMs) },
    { name: 'Cold start, Python importing boto3', unit: 'ms', better: 'lower', fogbank: fog.coldPythonMs, target: '< 400 ms', met: (fog.coldPythonMs ?? Infinity) < 400 },
    { name: '  for reference: bare `python3 -c "import boto3"`', unit: 'ms', better: 'lower', fogbank: fog.barePythonMs },
    { name: '  cold start minus bare python3', unit: 'ms', better: 'lower', fogbank: difference(fog.coldPythonMs, fog.barePythonMs) },
    {
      name: 'Warm invoke p50, Node.js',
      unit: 'ms',
      better: 'lower',
      fogbank: fogP50,
      offline: offP50,
      target: offP50 !== undefined ? `<= ${offP50.toFixed(2)} ms` : undefined,
      met: fogP50 !== undefined && offP50 !== undefined && fogP50 <= offP50,
    },
    { name: 'Warm invoke p99, Node.js', unit: 'ms', better: 'lower', fogbank: m(fog.warmNode.p99), offline: off && m(off.warmNode.p99) },
    { name: 'Warm invoke p50, Python (boto3)', unit: 'ms', better: 'lower', fogbank: m(fog.warmPython.p50) },
    { name: 'Warm invoke p99, Python (boto3)', unit: 'ms', better: 'lower', fogbank: m(fog.warmPython.p99) },
    {
      name: 'Server CPU per SDK invoke at c16 (all processes)',
      unit: 'ms',
      better: 'lower',
      fogbank: m(fog.warmNode.cpuMs),
      offline: off && m(off.warmNode.cpuMs),
    },
    { name: 'Server throughput (wrk), 1 connection', unit: 'invokes/s', better: 'higher', fogbank: m(fog.wrk.c1), offline: off && m(off.wrk.c1) },
    {
      name: 'Server throughput (wrk), 16 connections',
      unit: 'invokes/s',
      better: 'higher',
      fogbank: wrkC16,
      offline: offWrkC16,
      target: offWrkC16 !== undefined ? `>= ${(1.5 * offWrkC16).toFixed(0)} invokes/s (1.5x)` : undefined,
      met: wrkC16 !== undefined && offWrkC16 !== undefined && wrkC16 >= 1.5 * offWrkC16,
    },
    { name: '  server CPU per invoke (wrk, 1 connection)', unit: 'ms', better: 'lower', fogbank: m(fog.wrk.cpuMsC1), offline: off && m(off.wrk.cpuMsC1) },
    { name: '  server CPU per invoke (wrk, 16 connections)', unit: 'ms', better: 'lower', fogbank: m(fog.wrk.cpuMsC16), offline: off && m(off.wrk.cpuMsC16) },
    { name: 'SDK-bound throughput, concurrency 1', unit: 'invokes/s', better: 'higher', fogbank: m(fog.warmNode.c1), offline: off && m(off.warmNode.c1) },
    {
      name: 'SDK-bound throughput, concurrency 16',
      unit: 'invokes/s',
      better: 'higher',
      fogbank: fogC16,
      offline: offC16,
      // No target here: the SDK client in this process caps both servers near the same rate, so the
      // issue's 1.5x is read on wrk's row above (server capacity), as the brief asks.
    },
  ];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      invokes: { type: 'string', default: '2000' },
      rounds: { type: 'string', default: '3' },
      cold: { type: 'string', default: '5' },
      'wrk-seconds': { type: 'string', default: '5' },
      skip: { type: 'string', default: '' },
    },
  });
  const options: Options = { invokes: Number(values.invokes), rounds: Number(values.rounds), cold: Number(values.cold), wrkSeconds: Number(values['wrk-seconds']), skip: values.skip.split(',').filter(Boolean) };
  const log = (line: string): void => void process.stdout.write(`${line}\n`);
  process.on('exit', () => {
    killOffline();
    killAllServers();
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));
  const busy = await cpuBusyPercent(1000);
  log(`Lambda benchmark: ${options.invokes} invokes per figure, ${options.rounds} rounds (medians reported); CPU busy before start: ${busy?.toFixed(0) ?? '?'}%`);
  log('Fogbank (persistent; every worker a child process over the Runtime API)');
  const fog = await measureFogbank(options, log);
  let off: Figures | undefined;
  if (!options.skip.includes('serverless-offline')) {
    log('serverless-offline 13 (Node handlers in worker threads of one process)');
    try {
      off = await measureOffline(options, log);
    } catch (error) {
      log(`  serverless-offline not measured: ${(error as Error).message}`);
    }
  }
  log('');
  log(table(rowsOf(fog, off)));
  log('');
  log("serverless-offline's cold start is its first invoke after start-up (it has no CreateFunction).");
  log('Server CPU: user+system time of the server process and its children (Fogbank: its workers) over the c16 run, per invoke;');
  log('less sensitive than rates to other load on the machine. The SDK client runs in this process and is not counted.');
  log("Server throughput: wrk (one thread) replaying one fixed Invoke; the issue's 1.5x target is read on it, since the SDK client's");
  log('own CPU (about 0.8 ms per call on these cores) caps the SDK-bound rates of both servers. Issue figures for serverless-offline: 742/s at c1, 1,418/s at c16.');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
