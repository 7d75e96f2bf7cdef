// DynamoDB side by side: Fogbank (persistent, its default), dynalite and moto's server, one at a
// time, each measured with wrk replaying fixed requests (GetItem and PutItem of a 1 KB item, a
// Query returning 100 items, a conditional UpdateItem, a BatchWriteItem of 25), and the JS SDK v3's
// GetItem latency at concurrency 1 on each. Then, on Fogbank
// only, a Query of 100 items from a table loaded with up to 1,000,000 items: its ScannedCount and
// capacity show it read only those items, and its rate matches the rate measured before the load.
// Usage: node dist/bench/dynamodb.js [--duration 5] [--connections 16] [--rounds 3]
//        [--big-items 1000000] [--load-seconds 120] [--skip dynalite,moto]
// Exported: runDynamoDbBench(options) for `npm run bench`.

import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { BenchRequest } from './requests.js';
import { findMoto, freePort, killAllServers, sleep, startServer, stopServer, type RunningServer } from './servers.js';
import { ensureWrk, measureThroughput, type WrkSettings } from './wrk.js';
import { quantile } from './latency.js';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';

export interface DynamoDbBenchOptions {
  durationSeconds: number;
  connections: number;
  /** Items in the big table (0 skips that part). */
  bigItems: number;
  /** The big table's load stops after this long, whatever it reached. */
  loadSeconds: number;
  /** Rounds of the whole workload on every server; the median is reported. */
  rounds: number;
  skip: string[];
  log?: (line: string) => void;
}

type ServerName = 'fogbank' | 'dynalite' | 'moto';
const WORKLOAD = ['GetItem', 'PutItem', 'Query', 'UpdateItem', 'BatchWriteItem'] as const;
type Workload = (typeof WORKLOAD)[number];

export interface DynamoDbBenchResult {
  /** Requests per second by server and operation (undefined: not measured or failed). */
  rates: Record<ServerName, Partial<Record<Workload, number>>>;
  /** Fogbank over dynalite, measured back to back in each round; the median over rounds. */
  pairedRatios: Partial<Record<Workload, number>>;
  failures: string[];
  big?: { items: number; loadSeconds: number; scannedCount: number; capacityUnits: number; queryPerSecond: number; smallQueryPerSecond: number };
  /** SDK v3 GetItem of the 1 KB item at concurrency 1: median and p99 in ms, by server. */
  sdk: Partial<Record<ServerName, { medianMs: number; p99Ms: number; calls: number }>>;
}

/** The issue's targets, Fogbank (persistent) over dynalite. */
const TARGETS: Partial<Record<Workload, number>> = { GetItem: 1.5, PutItem: 1.5, Query: 3 };

const TABLE = 'bench';
const AUTH = `AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=${'f'.repeat(64)}`;

function ddbRequest(operation: string, input: Record<string, unknown>): BenchRequest {
  return {
    method: 'POST',
    path: '/',
    headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': `DynamoDB_20120810.${operation}`, 'X-Amz-Date': '20240101T000000Z', Authorization: AUTH },
    body: JSON.stringify(input),
  };
}

/** A 1 KB item: the key, a few small attributes and a ~950-byte payload. */
function kbItem(pk: string, sk: number): Record<string, unknown> {
  return { pk: { S: pk }, sk: { N: String(sk) }, n: { N: '0' }, name: { S: 'benchmark item' }, payload: { S: 'x'.repeat(950) } };
}

const REQUESTS: Record<Workload, BenchRequest> = {
  GetItem: ddbRequest('GetItem', { TableName: TABLE, Key: { pk: { S: 'get' }, sk: { N: '1' } } }),
  PutItem: ddbRequest('PutItem', { TableName: TABLE, Item: kbItem('put', 1) }),
  Query: ddbRequest('Query', { TableName: TABLE, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'query' } } }),
  UpdateItem: ddbRequest('UpdateItem', {
    TableName: TABLE,
    Key: { pk: { S: 'get' }, sk: { N: '2' } },
    UpdateExpression: 'SET n = n + :one',
    ConditionExpression: 'attribute_exists(pk)',
    ExpressionAttributeValues: { ':one': { N: '1' } },
  }),
  BatchWriteItem: ddbRequest('BatchWriteItem', {
    RequestItems: { [TABLE]: Array.from({ length: 25 }, (_, i) => ({ PutRequest: { Item: kbItem('batch', i) } })) },
  }),
};

/** Keep-alive JSON calls for setup and loading. */
class Caller {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 8 });
  constructor(private readonly port: number) {}

  call(operation: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const req = ddbRequest(operation, input);
    return new Promise((resolve, reject) => {
      const out = request(
        { agent: this.agent, host: '127.0.0.1', port: this.port, method: 'POST', path: '/', headers: { ...req.headers, 'Content-Length': Buffer.byteLength(req.body) }, timeout: 30_000 },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if (res.statusCode !== 200) reject(new Error(`${operation}: HTTP ${res.statusCode} ${text.slice(0, 300)}`));
            else resolve(JSON.parse(text || '{}') as Record<string, unknown>);
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

async function createBenchTable(caller: Caller, name: string): Promise<void> {
  await caller.call('CreateTable', {
    TableName: name,
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    ProvisionedThroughput: { ReadCapacityUnits: 1000, WriteCapacityUnits: 1000 },
  });
  // dynalite keeps a new table CREATING for a while.
  for (let i = 0; i < 200; i++) {
    const { Table } = (await caller.call('DescribeTable', { TableName: name })) as { Table: { TableStatus: string } };
    if (Table.TableStatus === 'ACTIVE') return;
    await sleep(50);
  }
  throw new Error(`table ${name} never became ACTIVE`);
}

async function batchPut(caller: Caller, table: string, items: Record<string, unknown>[]): Promise<void> {
  let pending = items.map((Item) => ({ PutRequest: { Item } }));
  while (pending.length) {
    const out = (await caller.call('BatchWriteItem', { RequestItems: { [table]: pending } })) as { UnprocessedItems?: Record<string, typeof pending> };
    pending = out.UnprocessedItems?.[table] ?? [];
  }
}

async function setUp(caller: Caller): Promise<void> {
  await createBenchTable(caller, TABLE);
  await batchPut(caller, TABLE, [kbItem('get', 1), kbItem('get', 2)]);
  for (let i = 0; i < 100; i += 25) await batchPut(caller, TABLE, Array.from({ length: 25 }, (_, j) => kbItem('query', i + j)));
}

// ---- Servers -----------------------------------------------------------------------------------

interface Started {
  port: number;
  stop: () => Promise<void>;
}

const DYNALITE = fileURLToPath(new URL('../../node_modules/.bin/dynalite', import.meta.url));
const children = new Set<ChildProcess>();

async function startDynalite(): Promise<Started> {
  const port = await freePort();
  const child = spawn(process.execPath, [DYNALITE, '--port', String(port)], { stdio: 'ignore', detached: true });
  children.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (!children.has(child)) return;
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // Already gone.
    }
    await Promise.race([exited, sleep(2000)]);
    children.delete(child);
  };
  const caller = new Caller(port);
  for (let i = 0; i < 200; i++) {
    try {
      await caller.call('ListTables', {});
      caller.close();
      return { port, stop };
    } catch {
      await sleep(50);
    }
  }
  caller.close();
  await stop();
  throw new Error('dynalite did not start');
}

async function startKind(kind: 'fogbank' | 'moto'): Promise<Started> {
  const python = kind === 'moto' ? findMoto() : undefined;
  if (kind === 'moto' && !python) throw new Error('moto is not installed (pip install "moto[server]")');
  const server: RunningServer = await startServer(kind, python);
  const caller = new Caller(server.port);
  try {
    for (let i = 0; ; i++) {
      try {
        await caller.call('ListTables', {});
        break;
      } catch (error) {
        if (i > 600) throw error;
        await sleep(50);
      }
    }
  } finally {
    caller.close();
  }
  return { port: server.port, stop: () => stopServer(server) };
}

function start(name: ServerName): Promise<Started> {
  return name === 'dynalite' ? startDynalite() : startKind(name);
}

// ---- The big table -----------------------------------------------------------------------------

const BIG = 'bench-big';
const PER_PARTITION = 100;

function smallItem(i: number): Record<string, unknown> {
  return { pk: { S: `p${Math.floor(i / PER_PARTITION)}` }, sk: { N: String(i % PER_PARTITION) }, v: { S: 'small item' } };
}

/** Loads items [from, to) (100 per partition key) with 8 concurrent BatchWriteItem streams, until the deadline. */
async function loadBig(caller: Caller, from: number, to: number, deadline: number, log: (line: string) => void): Promise<number> {
  let next = from;
  let loaded = from;
  const worker = async () => {
    while (next < to && Date.now() < deadline) {
      const start = next;
      next = Math.min(to, next + 25);
      const batch = [];
      for (let i = start; i < next; i++) batch.push(smallItem(i));
      await batchPut(caller, BIG, batch);
      loaded += batch.length;
      if (loaded % 100_000 < 25) log(`  loaded ${loaded} items`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return loaded;
}

// ---- Running it ----------------------------------------------------------------------------------

export async function runDynamoDbBench(options: DynamoDbBenchOptions): Promise<DynamoDbBenchResult> {
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const result: DynamoDbBenchResult = { rates: { fogbank: {}, dynalite: {}, moto: {} }, pairedRatios: {}, failures: [], sdk: {} };
  if (!ensureWrk(log)) return result;
  const settings: WrkSettings = { threads: 1, connections: options.connections, durationSeconds: options.durationSeconds, warmupSeconds: 1 };
  const running = new Map<ServerName, Started>();
  try {
    // All servers run at once (idle ones cost nothing) and each operation is measured on each in
    // turn, round after round: on a shared machine, load that drifts during the run then touches
    // every server alike, and the median of the rounds is reported.
    for (const name of ['fogbank', 'dynalite', 'moto'] as const) {
      if (options.skip.includes(name)) continue;
      try {
        log(`${name}: starting`);
        const server = await start(name);
        running.set(name, server);
        const caller = new Caller(server.port);
        await setUp(caller);
        caller.close();
      } catch (error) {
        result.failures.push(`${name}: ${(error as Error).message}`);
        log(`${name}: ${(error as Error).message}`);
      }
    }
    for (const op of WORKLOAD) {
      const samples = new Map<ServerName, number[]>();
      const paired: number[] = [];
      for (let round = 0; round < options.rounds; round++) {
        const thisRound = new Map<ServerName, number>();
        for (const [name, server] of running) {
          // moto is two orders of magnitude slower: one round says enough.
          if (name === 'moto' && round > 0) continue;
          const measured = await measureThroughput(server.port, REQUESTS[op], settings);
          if (measured.failure) result.failures.push(`${name} ${op}: ${measured.failure}`);
          else {
            samples.set(name, [...(samples.get(name) ?? []), measured.requestsPerSecond]);
            thisRound.set(name, measured.requestsPerSecond);
          }
          log(`${name} ${op}: ${measured.requestsPerSecond.toFixed(0)}/s${measured.failure ? ` (${measured.failure})` : ''}`);
        }
        const f = thisRound.get('fogbank');
        const d = thisRound.get('dynalite');
        if (f && d) paired.push(f / d);
      }
      for (const [name, values] of samples) result.rates[name][op] = median(values);
      if (paired.length) result.pairedRatios[op] = median(paired);
    }
    // SDK latency in rounds too, the servers taking turns, so that load drifting during the run
    // touches them alike; each server's samples are pooled.
    const sdkTimes = new Map<ServerName, number[]>();
    for (let round = 0; round < options.rounds; round++) {
      for (const [name, server] of running) {
        if (!sdkTimes.has(name) && round > 0) continue; // failed in an earlier round
        try {
          const calls = Math.ceil((name === 'moto' ? 300 : 1000) / options.rounds);
          sdkTimes.set(name, [...(sdkTimes.get(name) ?? []), ...(await sdkGetItemTimes(server.port, calls))]);
        } catch (error) {
          sdkTimes.delete(name);
          result.failures.push(`${name} SDK GetItem: ${(error as Error).message}`);
        }
      }
    }
    for (const [name, times] of sdkTimes) {
      const sorted = times.sort((a, b) => a - b);
      const sdk = { medianMs: quantile(sorted, 0.5), p99Ms: quantile(sorted, 0.99), calls: sorted.length };
      result.sdk[name] = sdk;
      log(`${name} SDK GetItem: median ${sdk.medianMs.toFixed(2)} ms, p99 ${sdk.p99Ms.toFixed(2)} ms over ${sdk.calls} calls`);
    }
    for (const [name, server] of running) if (name !== 'fogbank') await server.stop();
    const fogbank = running.get('fogbank');
    if (fogbank && options.bigItems > 0) {
      const caller = new Caller(fogbank.port);
      try {
        result.big = await measureBig(caller, fogbank.port, options, settings, log);
      } catch (error) {
        result.failures.push(`fogbank big table: ${(error as Error).message}`);
      } finally {
        caller.close();
      }
    }
  } finally {
    for (const server of running.values()) await server.stop();
    for (const child of children) child.kill('SIGKILL');
    killAllServers();
  }
  printReport(result);
  return result;
}

/** Sequential GetItem calls through the JS SDK v3 after a warm-up, each timed (ms): latency as an application sees it. */
async function sdkGetItemTimes(port: number, calls: number): Promise<number[]> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const client = new DynamoDBClient({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'bench' }, maxAttempts: 1 });
  const command = new GetItemCommand({ TableName: TABLE, Key: { pk: { S: 'get' }, sk: { N: '1' } } });
  try {
    for (let i = 0; i < 100; i++) await client.send(command);
    const times: number[] = [];
    for (let i = 0; i < calls; i++) {
      const start = performance.now();
      const out = await client.send(command);
      times.push(performance.now() - start);
      if (!out.Item) throw new Error('GetItem found no item');
    }
    return times;
  } finally {
    client.destroy();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * The same Query (one partition of 100 small items) measured on the table while it holds only
 * those 100 items, then again once it holds up to `bigItems`: equal rates and a ScannedCount of
 * 100 show the query reads its key range and nothing else.
 */
async function measureBig(caller: Caller, port: number, options: DynamoDbBenchOptions, settings: WrkSettings, log: (line: string) => void): Promise<DynamoDbBenchResult['big']> {
  await createBenchTable(caller, BIG);
  const deadline = Date.now() + options.loadSeconds * 1000;
  await loadBig(caller, 0, PER_PARTITION, deadline, log);
  const input = { TableName: BIG, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p0' } }, ReturnConsumedCapacity: 'TOTAL' };
  const small = await measureThroughput(port, ddbRequest('Query', input), settings);
  log(`fogbank: loading up to ${options.bigItems} items (at most ${options.loadSeconds} s)`);
  const started = Date.now();
  const items = await loadBig(caller, PER_PARTITION, options.bigItems, deadline, log);
  const loadSeconds = (Date.now() - started) / 1000;
  const probe = (await caller.call('Query', input)) as { Count: number; ScannedCount: number; ConsumedCapacity: { CapacityUnits: number } };
  const big = await measureThroughput(port, ddbRequest('Query', input), settings);
  return { items, loadSeconds, scannedCount: probe.ScannedCount, capacityUnits: probe.ConsumedCapacity.CapacityUnits, queryPerSecond: big.requestsPerSecond, smallQueryPerSecond: small.requestsPerSecond };
}

function printReport(result: DynamoDbBenchResult): void {
  const cell = (n: number | undefined) => (n === undefined ? '-' : n.toFixed(0)).padStart(9);
  const ratio = (a: number | undefined, b: number | undefined) => (a && b ? `${(a / b).toFixed(2)}x` : '-').padStart(9);
  const lines = [
    '',
    'DynamoDB requests/s (wrk, median of rounds)',
    '                               fogbank  dynalite      moto  vs dynalite  paired  vs moto  target (paired, vs dynalite)',
  ];
  for (const op of WORKLOAD) {
    const f = result.rates.fogbank[op];
    const d = result.rates.dynalite[op];
    const p = result.pairedRatios[op];
    const target = TARGETS[op];
    const verdict = target === undefined ? '' : `  >= ${target}x: ${p === undefined ? '-' : p >= target ? 'met' : 'NOT met'}`;
    lines.push(`  ${op.padEnd(26)}${cell(f)} ${cell(d)} ${cell(result.rates.moto[op])}   ${ratio(f, d)} ${(p === undefined ? '-' : `${p.toFixed(2)}x`).padStart(7)} ${ratio(f, result.rates.moto[op])}${verdict}`);
  }
  lines.push('  (paired: Fogbank over dynalite measured back to back in each round, median over rounds)');
  const ms = (n: number | undefined) => (n === undefined ? '-' : n.toFixed(2)).padStart(9);
  const sdk = result.sdk;
  lines.push(
    `  ${'SDK GetItem median (ms)'.padEnd(26)}${ms(sdk.fogbank?.medianMs)} ${ms(sdk.dynalite?.medianMs)} ${ms(sdk.moto?.medianMs)}   ${ratio(sdk.fogbank?.medianMs, sdk.dynalite?.medianMs)} ${ratio(sdk.fogbank?.medianMs, sdk.moto?.medianMs)}  (lower is better)`,
    `  ${'SDK GetItem p99 (ms)'.padEnd(26)}${ms(sdk.fogbank?.p99Ms)} ${ms(sdk.dynalite?.p99Ms)} ${ms(sdk.moto?.p99Ms)}   ${ratio(sdk.fogbank?.p99Ms, sdk.dynalite?.p99Ms)} ${ratio(sdk.fogbank?.p99Ms, sdk.moto?.p99Ms)}  (lower is better)`,
  );
  if (result.big) {
    const b = result.big;
    lines.push(
      '',
      `Query of 100 items from a table of ${b.items} items (loaded in ${b.loadSeconds.toFixed(1)} s): ScannedCount ${b.scannedCount}, ` +
        `${b.capacityUnits} read units, ${b.queryPerSecond.toFixed(0)} Query/s (the same query when the table held only those 100 items: ${b.smallQueryPerSecond.toFixed(0)}/s)`,
    );
  }
  for (const failure of result.failures) lines.push(`  failed: ${failure}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '5' },
      connections: { type: 'string', default: '16' },
      'big-items': { type: 'string', default: '1000000' },
      'load-seconds': { type: 'string', default: '120' },
      rounds: { type: 'string', default: '3' },
      skip: { type: 'string', default: '' },
    },
  });
  await runDynamoDbBench({
    durationSeconds: Number(values.duration),
    connections: Number(values.connections),
    bigItems: Number(values['big-items']),
    loadSeconds: Number(values['load-seconds']),
    rounds: Number(values.rounds),
    skip: values.skip.split(',').filter(Boolean),
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.once('SIGINT', () => {
    for (const child of children) child.kill('SIGKILL');
    killAllServers();
    process.exit(130);
  });
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
