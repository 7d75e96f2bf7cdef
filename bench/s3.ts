// S3 side by side: Fogbank (persistent, its default), s3rver and moto's server, all running at
// once and measured in turn, round after round. Small objects (PutObject and GetObject of 1 KB)
// and 1 MiB objects go through wrk replaying one fixed request (1 MiB figures are wrk's rate times
// the size); ListObjectsV2 over 2,000 keys is timed through its two pages of 1,000 with a
// keep-alive client. Requests look SigV4-signed with s3rver's access key: s3rver checks
// signatures and is started with --allow-mismatched-signatures, Fogbank and moto check none.
// Usage: node dist/bench/s3.js [--duration 5] [--connections 16] [--rounds 3] [--skip s3rver,moto]

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { otherLoadMeter } from './machine.js';
import type { BenchRequest } from './requests.js';
import { findMoto, freePort, killAllServers, sleep, startServer, stopServer } from './servers.js';
import { ensureWrk, measureThroughput, type WrkSettings } from './wrk.js';

export interface S3BenchOptions {
  durationSeconds: number;
  connections: number;
  rounds: number;
  skip: string[];
  log?: (line: string) => void;
}

type ServerName = 'fogbank' | 's3rver' | 'moto';
const SERVERS: readonly ServerName[] = ['fogbank', 's3rver', 'moto'];

const KB = 1024;
const MIB = 1024 * 1024;
const BUCKET = 'bench';
const LIST_BUCKET = 'bench-list';
const LIST_KEYS = 2000;

interface Workload {
  name: string;
  /** Bytes per request when the figure is MB/s (2^20 bytes); undefined for requests per second. */
  bytes?: number;
  method: 'GET' | 'PUT';
  key: string;
  body: string;
}

const WORKLOADS: readonly Workload[] = [
  { name: 'PutObject 1 KB', method: 'PUT', key: 'put-1k', body: 'k'.repeat(KB) },
  { name: 'GetObject 1 KB', method: 'GET', key: 'get-1k', body: '' },
  { name: 'PutObject 1 MiB', bytes: MIB, method: 'PUT', key: 'put-1m', body: 'm'.repeat(MIB) },
  { name: 'GetObject 1 MiB', bytes: MIB, method: 'GET', key: 'get-1m', body: '' },
];

// The issue's figures, through the JS SDK at concurrency 16 (requests/s, MB/s, ms).
const ISSUE: Record<string, Partial<Record<ServerName, number>>> = {
  'PutObject 1 KB': { s3rver: 422, moto: 471 },
  'GetObject 1 KB': { s3rver: 1770, moto: 541 },
  'PutObject 1 MiB': { s3rver: 259, moto: 219 },
  'GetObject 1 MiB': { s3rver: 414, moto: 320 },
  'ListObjectsV2, 2,000 keys': { moto: 245 },
};

/** A date close to now: s3rver refuses signatures more than 15 minutes off. */
const AMZ_DATE = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');

function s3Request(method: 'GET' | 'PUT', path: string, body = ''): BenchRequest {
  return {
    method,
    path,
    headers: {
      'X-Amz-Date': AMZ_DATE,
      'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD',
      Authorization: `AWS4-HMAC-SHA256 Credential=S3RVER/${AMZ_DATE.slice(0, 8)}/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=${'f'.repeat(64)}`,
      ...(method === 'PUT' ? { 'Content-Type': 'application/octet-stream' } : {}),
    },
    body,
  };
}

/** Keep-alive calls for setup and listing. */
class Caller {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 16 });
  constructor(private readonly port: number) {}

  call(method: 'GET' | 'PUT', path: string, body = ''): Promise<string> {
    const req = s3Request(method, path, body);
    return new Promise((resolve, reject) => {
      const out = request(
        { agent: this.agent, host: '127.0.0.1', port: this.port, method, path, headers: { ...req.headers, 'Content-Length': Buffer.byteLength(body) }, timeout: 30_000 },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if ((res.statusCode ?? 0) >= 300) reject(new Error(`${method} ${path}: HTTP ${res.statusCode} ${text.slice(0, 300)}`));
            else resolve(text);
          });
          res.on('error', reject);
        },
      );
      out.on('timeout', () => out.destroy(new Error(`${method} ${path}: no answer`)));
      out.on('error', reject);
      out.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

async function setUp(caller: Caller): Promise<void> {
  await caller.call('PUT', `/${BUCKET}`);
  await caller.call('PUT', `/${LIST_BUCKET}`);
  await caller.call('PUT', `/${BUCKET}/get-1k`, 'g'.repeat(KB));
  await caller.call('PUT', `/${BUCKET}/get-1m`, 'g'.repeat(MIB));
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < LIST_KEYS) {
        const i = next++;
        await caller.call('PUT', `/${LIST_BUCKET}/photos/2024/${String(i).padStart(5, '0')}.jpg`, 'x'.repeat(100));
      }
    }),
  );
}

/** Milliseconds to list every key of the listing bucket, page by page (1,000 keys a page). */
async function timeListing(caller: Caller): Promise<number> {
  const started = process.hrtime.bigint();
  let token: string | undefined;
  let keys = 0;
  do {
    const query = `list-type=2${token ? `&continuation-token=${encodeURIComponent(token)}` : ''}`;
    const xml = await caller.call('GET', `/${LIST_BUCKET}?${query}`);
    keys += xml.match(/<Key>/g)?.length ?? 0;
    token = /<NextContinuationToken>([^<]*)<\/NextContinuationToken>/.exec(xml)?.[1]?.replace(/&amp;/g, '&').replace(/&#x2F;/g, '/');
  } while (token);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (keys !== LIST_KEYS) throw new Error(`listing returned ${keys} keys, expected ${LIST_KEYS}`);
  return ms;
}

// ---- Servers -----------------------------------------------------------------------------------

interface Started {
  port: number;
  /** The server process, whose CPU time is read around each measurement. */
  pid: number;
  stop: () => Promise<void>;
}

/** CPU time (user + system) a process has used, in milliseconds (Linux /proc). */
function cpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

const S3RVER = fileURLToPath(new URL('../../node_modules/s3rver/bin/s3rver.js', import.meta.url));
const children = new Set<ChildProcess>();

async function startS3rver(): Promise<Started> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'bench-s3rver-'));
  // s3rver's continuation tokens use DES, which Node 17+ only has with the legacy provider.
  const child = spawn(process.execPath, ['--openssl-legacy-provider', S3RVER, '-d', dir, '-a', '127.0.0.1', '-p', String(port), '--silent', '--allow-mismatched-signatures'], { stdio: 'ignore', detached: true });
  children.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (children.has(child)) {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
      await Promise.race([exited, sleep(2000)]);
      children.delete(child);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  await waitUntilAnswering(port, stop);
  return { port, pid: child.pid!, stop };
}

async function waitUntilAnswering(port: number, stop: () => Promise<void>): Promise<void> {
  const caller = new Caller(port);
  try {
    for (let i = 0; ; i++) {
      try {
        await caller.call('GET', '/');
        return;
      } catch (error) {
        if (i > 600) {
          await stop();
          throw error;
        }
        await sleep(50);
      }
    }
  } finally {
    caller.close();
  }
}

async function start(name: ServerName): Promise<Started> {
  if (name === 's3rver') return startS3rver();
  const python = name === 'moto' ? findMoto() : undefined;
  if (name === 'moto' && !python) throw new Error('moto is not installed (pip install "moto[server]")');
  const server = await startServer(name, python);
  const stop = () => stopServer(server);
  await waitUntilAnswering(server.port, stop);
  return { port: server.port, pid: server.pid, stop };
}

// ---- Running it ----------------------------------------------------------------------------------

export interface S3BenchResult {
  /** Per figure and server: requests/s, MB/s or ms (median of the rounds). */
  figures: Record<string, Partial<Record<ServerName, number>>>;
  /**
   * Per workload and server: the server's CPU time per request in microseconds (median of the
   * rounds). On a shared machine this moves far less than the rates do.
   */
  cpuPerRequest: Record<string, Partial<Record<ServerName, number>>>;
  failures: string[];
  otherLoadPercent?: number;
}

const LISTING = 'ListObjectsV2, 2,000 keys';

export async function runS3Bench(options: S3BenchOptions): Promise<S3BenchResult> {
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const result: S3BenchResult = { figures: {}, cpuPerRequest: {}, failures: [] };
  if (!ensureWrk(log)) return result;
  // Each workload is warmed once per server; the measured runs then have no warm-up of their own,
  // so the server's CPU time over a run belongs to that run's requests.
  const settings: WrkSettings = { threads: 1, connections: options.connections, durationSeconds: options.durationSeconds, warmupSeconds: 0 };
  const running = new Map<ServerName, Started>();
  const meter = otherLoadMeter();
  try {
    for (const name of SERVERS) {
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
    const record = (figure: string, name: ServerName, samples: number[]) => {
      if (samples.length) (result.figures[figure] ??= {})[name] = median(samples);
    };
    for (const workload of WORKLOADS) {
      const samples = new Map<ServerName, number[]>();
      // Uploads cycle over 256 keys: moto fails (500) when concurrent PUTs overwrite one key.
      const req = { ...s3Request(workload.method, `/${BUCKET}/${workload.key}`, workload.body), pathCycle: workload.method === 'PUT' ? 256 : undefined };
      const cpu = new Map<ServerName, number[]>();
      for (const server of running.values()) await measureThroughput(server.port, req, { ...settings, durationSeconds: 1 });
      for (let round = 0; round < options.rounds; round++) {
        for (const [name, server] of running) {
          const before = cpuMs(server.pid);
          const measured = await measureThroughput(server.port, req, settings);
          const after = cpuMs(server.pid);
          const value = workload.bytes ? (measured.requestsPerSecond * workload.bytes) / MIB : measured.requestsPerSecond;
          if (measured.failure) result.failures.push(`${name} ${workload.name}: ${measured.failure}`);
          else {
            samples.set(name, [...(samples.get(name) ?? []), value]);
            if (before !== undefined && after !== undefined && measured.totalRequests > 0) cpu.set(name, [...(cpu.get(name) ?? []), ((after - before) * 1000) / measured.totalRequests]);
          }
          log(`${name} ${workload.name}: ${value.toFixed(0)} ${workload.bytes ? 'MB/s' : 'req/s'}${measured.failure ? ` (${measured.failure})` : ''}`);
        }
      }
      for (const [name, values] of samples) record(workload.name, name, values);
      for (const [name, values] of cpu) (result.cpuPerRequest[workload.name] ??= {})[name] = median(values);
    }
    for (const [name, server] of running) {
      const caller = new Caller(server.port);
      try {
        await timeListing(caller); // warm
        const samples: number[] = [];
        for (let i = 0; i < 5 * options.rounds; i++) samples.push(await timeListing(caller));
        record(LISTING, name, samples);
        log(`${name} ${LISTING}: ${median(samples).toFixed(1)} ms`);
      } catch (error) {
        result.failures.push(`${name} ${LISTING}: ${(error as Error).message}`);
      } finally {
        caller.close();
      }
    }
  } finally {
    for (const server of running.values()) await server.stop();
    for (const child of children) child.kill('SIGKILL');
    killAllServers();
  }
  result.otherLoadPercent = meter.stop();
  printReport(result);
  return result;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function printReport(result: S3BenchResult): void {
  const cell = (n: number | undefined, digits = 0) => (n === undefined ? '-' : n.toFixed(digits)).padStart(9);
  const lines = ['', 'S3 (wrk c16; listing: 2 pages)      unit    fogbank    s3rver      moto  vs better peer  target        (issue, SDK c16: s3rver / moto)'];
  for (const name of [...WORKLOADS.map((w) => w.name), LISTING]) {
    const row = result.figures[name] ?? {};
    const listing = name === LISTING;
    const unit = listing ? 'ms' : WORKLOADS.find((w) => w.name === name)?.bytes ? 'MB/s' : 'req/s';
    const peers = [row.s3rver, row.moto].filter((v): v is number => v !== undefined);
    const best = peers.length ? (listing ? Math.min(...peers) : Math.max(...peers)) : undefined;
    const f = row.fogbank;
    // Listing: how many times faster; the rest: how many times the rate.
    const times = f && best ? (listing ? best / f : f / best) : undefined;
    const wanted = unit === 'MB/s' ? 1 : 2;
    const target = times === undefined ? `>= ${wanted}x` : `>= ${wanted}x: ${times >= wanted ? 'met' : 'MISSED'}`;
    const issue = ISSUE[name] ?? {};
    lines.push(
      `  ${name.padEnd(32)}${unit.padStart(6)} ${cell(f, listing ? 1 : 0)} ${cell(row.s3rver, listing ? 1 : 0)} ${cell(row.moto, listing ? 1 : 0)}  ${(times ? `${times.toFixed(2)}x` : '-').padStart(14)}  ${target.padEnd(13)} (${issue.s3rver ?? '-'} / ${issue.moto ?? '-'})`,
    );
  }
  lines.push('  (listing: "vs better peer" is how many times faster; MB/s = 2^20 bytes per second)');
  lines.push('', 'Server CPU time per request (us)   fogbank    s3rver      moto  better peer / fogbank');
  for (const workload of WORKLOADS) {
    const row = result.cpuPerRequest[workload.name] ?? {};
    const peers = [row.s3rver, row.moto].filter((v): v is number => v !== undefined);
    const best = peers.length ? Math.min(...peers) : undefined;
    lines.push(`  ${workload.name.padEnd(32)} ${cell(row.fogbank)} ${cell(row.s3rver)} ${cell(row.moto)}  ${(row.fogbank && best ? `${(best / row.fogbank).toFixed(2)}x` : '-').padStart(12)}`);
  }
  if (result.otherLoadPercent !== undefined) lines.push(`  other work on the machine during the run: ${result.otherLoadPercent.toFixed(0)}% of the CPUs`);
  for (const failure of result.failures) lines.push(`  failed: ${failure}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '5' },
      connections: { type: 'string', default: '16' },
      rounds: { type: 'string', default: '3' },
      skip: { type: 'string', default: '' },
    },
  });
  await runS3Bench({
    durationSeconds: Number(values.duration),
    connections: Number(values.connections),
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
    for (const child of children) child.kill('SIGKILL');
    killAllServers();
    console.error(error);
    process.exit(1);
  });
}
