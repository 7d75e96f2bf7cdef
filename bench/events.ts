// EventBridge side by side: Fogbank (persistent, its default; and in memory) and moto's server,
// one after the other. On each, the default bus holds 100 rules (source, detail-type and a numeric condition on
// the detail), each with an SQS target; every event matches exactly one of them. Measured:
// - PutEvents throughput with wrk replaying fixed requests of 1 and of 10 entries (events per
//   second = requests per second x entries), every matched event delivered to its queue;
// - latency from PutEvents to the SQS target: a long-polling ReceiveMessage is waiting on the
//   queue, PutEvents sends one event, and the clock stops when the receive returns it (p50, p99).
// Usage: node dist/bench/events.js [--duration 5] [--connections 16] [--rounds 3] [--samples 300] [--skip moto]
// moto is measured with one connection for 10 s: with more, its answers queue past wrk's timeout.
// Targets (issue 9): at least 5,000 events/s matched against 100 rules; p50 under 5 ms to the queue.

import { Agent, request } from 'node:http';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { BenchRequest } from './requests.js';
import { findMoto, killAllServers, sleep, startServer, stopServer, type RunningServer } from './servers.js';
import { ensureWrk, measureThroughput, type WrkSettings } from './wrk.js';

export interface EventsBenchOptions {
  durationSeconds: number;
  connections: number;
  rounds: number;
  samples: number;
  skip: string[];
  log?: (line: string) => void;
}

type ServerName = 'fogbank' | 'fogbank-in-memory' | 'moto';
const RULES = 100;
const TARGET_EVENTS_PER_SECOND = 5_000;
const TARGET_P50_MS = 5;

interface ServerResult {
  /** Events per second with 1 and with 10 entries per PutEvents. */
  single?: number;
  batch?: number;
  p50?: number;
  p99?: number;
}

const SIGNED = (service: string) =>
  `AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240101/us-east-1/${service}/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=${'f'.repeat(64)}`;

function jsonRequest(service: 'events' | 'sqs', operation: string, input: Record<string, unknown>): BenchRequest {
  const [type, prefix] = service === 'events' ? ['application/x-amz-json-1.1', 'AWSEvents'] : ['application/x-amz-json-1.0', 'AmazonSQS'];
  return {
    method: 'POST',
    path: '/',
    headers: { 'Content-Type': type, 'X-Amz-Target': `${prefix}.${operation}`, 'X-Amz-Date': '20240101T000000Z', Authorization: SIGNED(service) },
    body: JSON.stringify(input),
  };
}

/** An event that matches rule `i` (detail-type Order<i>, a positive amount) and no other. */
function entry(i: number, detail: Record<string, unknown> = {}) {
  return { Source: 'bench.shop', DetailType: `Order${i}`, Detail: JSON.stringify({ amount: 42, currency: 'EUR', ...detail }) };
}

const PUT_ONE = jsonRequest('events', 'PutEvents', { Entries: [entry(37)] });
const PUT_TEN = jsonRequest('events', 'PutEvents', { Entries: Array.from({ length: 10 }, (_, i) => entry(i * 10 + 3)) });

/** Keep-alive JSON calls for setup and the latency loop. */
class Caller {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 4 });
  constructor(private readonly port: number) {}

  call<T = Record<string, unknown>>(service: 'events' | 'sqs', operation: string, input: Record<string, unknown>): Promise<T> {
    const req = jsonRequest(service, operation, input);
    return new Promise((resolve, reject) => {
      const out = request(
        { agent: this.agent, host: '127.0.0.1', port: this.port, method: 'POST', path: '/', headers: { ...req.headers, 'Content-Length': Buffer.byteLength(req.body) }, timeout: 30_000 },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if (res.statusCode !== 200) reject(new Error(`${operation}: HTTP ${res.statusCode} ${text.slice(0, 300)}`));
            else resolve(JSON.parse(text || '{}') as T);
          });
        },
      );
      out.on('timeout', () => out.destroy(new Error(`${operation}: no answer`)));
      out.on('error', reject);
      out.end(req.body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

async function queue(caller: Caller, name: string): Promise<{ url: string; arn: string }> {
  const { QueueUrl } = await caller.call<{ QueueUrl: string }>('sqs', 'CreateQueue', { QueueName: name });
  const { Attributes } = await caller.call<{ Attributes: { QueueArn: string } }>('sqs', 'GetQueueAttributes', { QueueUrl, AttributeNames: ['QueueArn'] });
  return { url: QueueUrl, arn: Attributes.QueueArn };
}

/** 100 rules, each sending its detail-type to the throughput queue; rule 0 also feeds the latency queue. */
async function setUp(caller: Caller): Promise<{ latencyUrl: string }> {
  const sink = await queue(caller, 'bench-events-sink');
  const latency = await queue(caller, 'bench-events-latency');
  for (let i = 0; i < RULES; i++) {
    const name = `bench-rule-${i}`;
    await caller.call('events', 'PutRule', {
      Name: name,
      EventPattern: JSON.stringify({ source: ['bench.shop'], 'detail-type': [`Order${i}`], detail: { amount: [{ numeric: ['>', 0] }], currency: [{ 'anything-but': 'XXX' }] } }),
    });
    await caller.call('events', 'PutTargets', { Rule: name, Targets: [{ Id: 'sink', Arn: i === 0 ? latency.arn : sink.arn }] });
  }
  return { latencyUrl: latency.url };
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** PutEvents to rule 0's queue while a long poll waits there; ms until the receive returns the event. */
async function measureLatency(port: number, latencyUrl: string, samples: number): Promise<{ p50: number; p99: number }> {
  const caller = new Caller(port);
  const times: number[] = [];
  try {
    for (let i = 0; i < samples + 20; i++) {
      const receiving = caller.call<{ Messages?: Array<{ Body: string; ReceiptHandle: string }> }>('sqs', 'ReceiveMessage', { QueueUrl: latencyUrl, WaitTimeSeconds: 20, MaxNumberOfMessages: 1 });
      await sleep(1); // let the receive park first
      const started = process.hrtime.bigint();
      await caller.call('events', 'PutEvents', { Entries: [entry(0, { seq: i })] });
      const { Messages } = await receiving;
      const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
      if (!Messages?.length) throw new Error('the event never reached the queue');
      await caller.call('sqs', 'DeleteMessage', { QueueUrl: latencyUrl, ReceiptHandle: Messages[0]!.ReceiptHandle });
      if (i >= 20) times.push(elapsed); // the first 20 warm up
    }
  } finally {
    caller.close();
  }
  times.sort((a, b) => a - b);
  return { p50: quantile(times, 0.5), p99: quantile(times, 0.99) };
}

async function startKind(kind: ServerName): Promise<RunningServer> {
  // 'fogbank' is on disk (its default), 'fogbank-in-memory' keeps its store in memory.
  const python = kind === 'moto' ? findMoto() : undefined;
  if (kind === 'moto' && !python) throw new Error('moto is not installed (pip install "moto[server]")');
  const server = await startServer(kind, python);
  const caller = new Caller(server.port);
  try {
    for (let i = 0; ; i++) {
      try {
        await caller.call('events', 'ListEventBuses', {});
        return server;
      } catch (error) {
        if (i > 600) throw error;
        await sleep(50);
      }
    }
  } finally {
    caller.close();
  }
}

/** Waits until the server has worked through requests wrk left behind (moto keeps processing them). */
async function drained(port: number): Promise<void> {
  const caller = new Caller(port);
  try {
    for (let i = 0; i < 60; i++) {
      const started = Date.now();
      await caller.call('events', 'ListEventBuses', {});
      if (Date.now() - started < 200) return;
    }
  } finally {
    caller.close();
  }
}

/** Events per second from back-to-back calls on one connection, for servers too slow for wrk. */
async function sequentialRate(port: number, req: BenchRequest, seconds: number, entries: number): Promise<number> {
  const caller = new Caller(port);
  const input = JSON.parse(req.body) as Record<string, unknown>;
  let calls = 0;
  const started = Date.now();
  try {
    while (Date.now() - started < seconds * 1000) {
      await caller.call('events', 'PutEvents', input);
      calls++;
    }
  } finally {
    caller.close();
  }
  return (calls * entries) / ((Date.now() - started) / 1000);
}

function median(values: number[]): number | undefined {
  if (!values.length) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export async function runEventsBench(options: EventsBenchOptions): Promise<Record<ServerName, ServerResult>> {
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const results: Record<ServerName, ServerResult> = { fogbank: {}, 'fogbank-in-memory': {}, moto: {} };
  const failures: string[] = [];
  const notes: string[] = [];
  if (!ensureWrk(log)) return results;
  const settings: WrkSettings = { threads: 1, connections: options.connections, durationSeconds: options.durationSeconds, warmupSeconds: 1 };
  try {
    for (const name of ['fogbank', 'fogbank-in-memory', 'moto'] as const) {
      if (options.skip.includes(name)) continue;
      let server: RunningServer | undefined;
      try {
        log(`${name}: starting, creating ${RULES} rules`);
        server = await startKind(name);
        const caller = new Caller(server.port);
        const { latencyUrl } = await setUp(caller);
        caller.close();
        // moto is slow enough that one round says all there is to say; with more than one
        // connection its answers queue past wrk's 5 s timeout (it gives more with one).
        const rounds = name === 'moto' ? 1 : options.rounds;
        const serverSettings = name === 'moto' ? { ...settings, connections: 1, durationSeconds: Math.max(settings.durationSeconds, 10) } : settings;
        for (const [key, req, entries] of [
          ['single', PUT_ONE, 1],
          ['batch', PUT_TEN, 10],
        ] as const) {
          const samples: number[] = [];
          for (let round = 0; round < rounds; round++) {
            const measured = await measureThroughput(server.port, req, serverSettings);
            await drained(server.port);
            let rate = measured.requestsPerSecond * entries;
            if (measured.totalRequests === 0) {
              // Every request outlived wrk's 5 s timeout: count sequential calls without one instead.
              rate = await sequentialRate(server.port, req, serverSettings.durationSeconds, entries);
              log(`${name} PutEvents x${entries}: wrk timed out; ${rate.toFixed(1)} events/s one call at a time`);
              notes.push(`${name} PutEvents x${entries}: measured one call at a time (each took longer than wrk's 5 s timeout)`);
            } else if (measured.failure) failures.push(`${name} PutEvents x${entries}: ${measured.failure}`);
            if (rate > 0) samples.push(rate);
            log(`${name} PutEvents x${entries}: ${rate.toFixed(1)} events/s${measured.failure ? ` (${measured.failure})` : ''}`);
          }
          results[name][key] = median(samples);
        }
        const latency = await measureLatency(server.port, latencyUrl, name === 'moto' ? Math.min(options.samples, 100) : options.samples);
        results[name].p50 = latency.p50;
        results[name].p99 = latency.p99;
        log(`${name} PutEvents -> SQS: p50 ${latency.p50.toFixed(2)} ms, p99 ${latency.p99.toFixed(2)} ms`);
      } catch (error) {
        failures.push(`${name}: ${(error as Error).message}`);
        log(`${name}: ${(error as Error).message}`);
      } finally {
        if (server) await stopServer(server);
      }
    }
  } finally {
    killAllServers();
  }
  printReport(results, failures, notes);
  return results;
}

function printReport(results: Record<ServerName, ServerResult>, failures: string[], notes: string[]): void {
  const f = results.fogbank;
  const i = results['fogbank-in-memory'];
  const m = results.moto;
  const num = (n: number | undefined, digits = 0) => (n === undefined ? '-' : n.toFixed(n < 10 ? 1 : digits));
  const ratio = (a: number | undefined, b: number | undefined) => (a && b ? `${(a / b).toFixed(2)}x` : '-');
  const rows: string[][] = [
    ['measure', 'fogbank', 'in-memory', 'moto', 'fogbank/moto', 'target', 'met'],
    ['PutEvents x1, events/s (100 rules)', num(f.single), num(i.single), num(m.single), ratio(f.single, m.single), `>= ${TARGET_EVENTS_PER_SECOND}`, f.single === undefined ? '-' : f.single >= TARGET_EVENTS_PER_SECOND ? 'yes' : 'no'],
    ['PutEvents x10, events/s (100 rules)', num(f.batch), num(i.batch), num(m.batch), ratio(f.batch, m.batch), `>= ${TARGET_EVENTS_PER_SECOND}`, f.batch === undefined ? '-' : f.batch >= TARGET_EVENTS_PER_SECOND ? 'yes' : 'no'],
    ['PutEvents -> SQS target, p50 ms', num(f.p50, 2), num(i.p50, 2), num(m.p50, 2), ratio(f.p50, m.p50), `< ${TARGET_P50_MS}`, f.p50 === undefined ? '-' : f.p50 < TARGET_P50_MS ? 'yes' : 'no'],
    ['PutEvents -> SQS target, p99 ms', num(f.p99, 2), num(i.p99, 2), num(m.p99, 2), ratio(f.p99, m.p99), '', ''],
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  process.stdout.write('\nEventBridge (wrk, keep-alive; every event matches 1 of 100 rules and is delivered to SQS)\n');
  for (const row of rows) process.stdout.write(`${row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')}\n`);
  if (notes.length) process.stdout.write(`notes:\n${notes.map((x) => `  ${x}`).join('\n')}\n`);
  if (failures.length) process.stdout.write(`failures:\n${failures.map((x) => `  ${x}`).join('\n')}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '5' },
      connections: { type: 'string', default: '16' },
      rounds: { type: 'string', default: '3' },
      samples: { type: 'string', default: '300' },
      skip: { type: 'string', default: '' },
    },
  });
  process.on('exit', killAllServers);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));
  await runEventsBench({
    durationSeconds: Number(values.duration),
    connections: Number(values.connections),
    rounds: Number(values.rounds),
    samples: Number(values.samples),
    skip: values.skip ? values.skip.split(',') : [],
  });
}
