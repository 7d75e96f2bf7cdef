// `npm run bench:plumbing`: Lambda event plumbing end to end. A Node function is mapped to an SQS
// queue and to a DynamoDB stream; the bench sends messages (SendMessage / SendMessageBatch) or
// writes items (PutItem; BatchWriteItem of 25 in bursts), each stamped with its send time, and the
// handler appends its own start time and batch size for every record to a file. From those:
// latency from send to handler start (p50, p99), records processed per second, records per
// invocation; from /proc, the CPU per record of Fogbank, its function workers and the bench's
// clients. Two runs per source: a burst (everything as fast as the clients can send: throughput)
// and a paced stream (1,000 per second: latency without a backlog). moto runs Lambda functions
// only in Docker; when no Docker daemon answers it is reported as not available.
// Usage: node dist/bench/plumbing.js [--messages 10000] [--rate 1000] [--endpoint http://127.0.0.1:4566] [--json <path>]
// Without --endpoint it starts a Fogbank process (on disk, in a temporary directory) and stops it after.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Agent, request } from 'node:http';
import { zipSync, strToU8 } from 'fflate';
import { CreateEventSourceMappingCommand, CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { cpuBusyPercent, machineInfo } from './machine.js';
import { formatTable, writeJson, type Figure, type Measured } from './report.js';
import { killAllServers, sleep, startServer, stopServer, waitForFirstAnswer } from './servers.js';

/** Records sent (and waited for) before each measured run, so workers are warm. */
const WARM_UP = 50;

const HANDLER = `import { appendFileSync } from 'node:fs';
const now = () => performance.timeOrigin + performance.now();
export const handler = async (event) => {
  const start = now();
  let lines = '';
  for (const r of event.Records) {
    const sent = r.body !== undefined ? JSON.parse(r.body).sent : Number(r.dynamodb.NewImage.sent.N);
    lines += sent + ' ' + start + ' ' + event.Records.length + '\\n';
  }
  appendFileSync(process.env.BENCH_OUT, lines);
  return {};
};`;

const now = (): number => performance.timeOrigin + performance.now();
/** When the last drive() saw its last send answered. */
let lastSendEnd = 0;

interface Run {
  /** Records per invocation, on average (the batch sizes the mapping delivered). */
  batch: number;
  /**
   * CPU time per record (ms, user + system) of Fogbank itself (send included), of its function
   * workers, and of the bench's clients: far less dependent on other load than the time figures.
   */
  cpuMsPerRecord?: { server?: number; workers?: number; client: number };
  records: number;
  /** From the first send to the last send's answer: when close to `seconds`, the client limits the run. */
  sendSeconds?: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
}

/** Fields of /proc/<pid>/stat after the command name (Linux); undefined when unreadable. */
function statFields(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  } catch {
    return undefined;
  }
}

/** CPU time (ms) a process has used, from /proc (Linux); undefined elsewhere. */
function cpuMs(pid: number | undefined): number | undefined {
  const fields = pid === undefined ? undefined : statFields(pid);
  return fields ? ((Number(fields[11]) + Number(fields[12])) * 1000) / 100 : undefined;
}

/** CPU time (ms) of a process's descendants still running (Fogbank's function workers). */
function descendantsCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined || !existsSync('/proc/self/stat')) return undefined;
  const parent = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(Number(entry));
    if (fields) parent.set(Number(entry), Number(fields[1]));
  }
  const inTree = (p: number): boolean => {
    for (let q = parent.get(p); q !== undefined && q > 1; q = parent.get(q)) if (q === pid) return true;
    return false;
  };
  let total = 0;
  for (const p of parent.keys()) if (inTree(p)) total += cpuMs(p) ?? 0;
  return total;
}

/** CPU time (ms) this bench process (the clients) has used. */
function clientCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** CPU snapshot: Fogbank, its workers, the bench's clients. */
function cpuNow(pid: number | undefined): { server?: number; workers?: number; client: number } {
  return { server: cpuMs(pid), workers: descendantsCpuMs(pid), client: clientCpuMs() };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function perRecord(before: ReturnType<typeof cpuNow>, after: ReturnType<typeof cpuNow>, records: number): Run['cpuMsPerRecord'] {
  const per = (a?: number, b?: number) => (a === undefined || b === undefined ? undefined : (b - a) / records);
  return { server: per(before.server, after.server), workers: per(before.workers, after.workers), client: per(before.client, after.client)! };
}

/** Waits for `count` handler lines in `file`, then turns them into a run's figures. */
async function collect(file: string, count: number, firstSent: number, skip = 0, timeoutMs = 180_000): Promise<Run> {
  const deadline = Date.now() + timeoutMs;
  let lines: string[] = [];
  for (;;) {
    lines = existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
    if (lines.length >= skip + count) break;
    if (Date.now() > deadline) throw new Error(`only ${lines.length} of ${count} records reached the handler`);
    await sleep(50);
  }
  const pairs = lines.slice(skip).map((line) => line.split(' ').map(Number) as [number, number, number]);
  // Each invocation writes one line per record, all with its batch size: records / invocations.
  const invocations = pairs.reduce((sum, [, , size]) => sum + 1 / size, 0);
  const latencies = pairs.map(([sent, start]) => start - sent).sort((a, b) => a - b);
  const last = Math.max(...pairs.map(([, start]) => start));
  const seconds = (last - firstSent) / 1000;
  return { records: pairs.length, batch: pairs.length / invocations, seconds, perSecond: pairs.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

/** Calls send(i) for i in [0, count): as fast as `workers` allow, or paced at `rate` per second. */
async function drive(count: number, step: number, workers: number, rate: number | undefined, send: (i: number) => Promise<unknown>): Promise<number> {
  const first = now();
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < count) {
        const i = next;
        next += step;
        if (rate) {
          const due = first + (i / rate) * 1000;
          const wait = due - now();
          if (wait > 1) await sleep(wait);
        }
        await send(i);
      }
    }),
  );
  lastSendEnd = now();
  return first;
}

/** All CPU (ms) spent per record by Fogbank, its workers and the clients, when all were read. */
function cpuTotal(run: Run): number | undefined {
  const cpu = run.cpuMsPerRecord;
  return cpu?.server === undefined || cpu.workers === undefined ? undefined : cpu.server + cpu.workers + cpu.client;
}

function summary(run: Run): string {
  const cpu = run.cpuMsPerRecord;
  const ms = (v?: number) => v?.toFixed(3) ?? '?';
  return (
    `${run.perSecond.toFixed(0)} records/s (sends took ${run.sendSeconds?.toFixed(1) ?? '?'} of ${run.seconds.toFixed(1)} s), ` +
    `${run.batch.toFixed(1)} records per invocation, p50 ${run.p50.toFixed(1)} ms, p99 ${run.p99.toFixed(1)} ms; ` +
    `CPU per record: Fogbank ${ms(cpu?.server)}, workers ${ms(cpu?.workers)}, clients ${ms(cpu?.client)} ms`
  );
}

/**
 * Sends the measured requests over keep-alive HTTP with the services' JSON protocols, as
 * bench/sqs.ts does: the SDK spends about 0.7 ms of CPU per SendMessage (checksums, middleware),
 * which on a loaded machine made the clients, not Fogbank, what limited every run.
 */
function jsonCaller(endpoint: string, service: 'sqs' | 'dynamodb'): (operation: string, input: unknown) => Promise<unknown> {
  const url = new URL(endpoint);
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  const prefix = service === 'sqs' ? 'AmazonSQS' : 'DynamoDB_20120810';
  const authorization = `AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`;
  return (operation, input) =>
    new Promise((resolve, reject) => {
      const body = JSON.stringify(input);
      const req = request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          method: 'POST',
          path: '/',
          headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `${prefix}.${operation}`, authorization, 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if (res.statusCode !== 200) reject(new Error(`${operation}: ${res.statusCode} ${text}`));
            else resolve(JSON.parse(text || '{}'));
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
}

function zip(files: Record<string, string>): Uint8Array {
  const entries: Record<string, Uint8Array> = {};
  for (const [name, text] of Object.entries(files)) entries[name] = strToU8(text);
  return zipSync(entries);
}

async function benchFogbank(messages: number, rate: number, dir: string, log: (line: string) => void, endpoint?: string): Promise<Record<string, Run>> {
  const server = endpoint ? undefined : await startServer('fogbank');
  try {
    if (server) await waitForFirstAnswer(server);
    const config = { endpoint: endpoint ?? `http://127.0.0.1:${server!.port}`, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 };
    const lambda = new LambdaClient(config);
    const sqs = new SQSClient(config);
    const ddb = new DynamoDBClient(config);
    const sqsJson = jsonCaller(config.endpoint, 'sqs');
    const ddbJson = jsonCaller(config.endpoint, 'dynamodb');
    const runs: Record<string, Run> = {};
    let n = 0;
    const fn = async (out: string) => {
      const name = `plumbing-${++n}`;
      await lambda.send(
        new CreateFunctionCommand({
          FunctionName: name,
          Runtime: 'nodejs20.x',
          Role: 'arn:aws:iam::000000000000:role/bench',
          Handler: 'index.handler',
          Timeout: 30,
          Code: { ZipFile: zip({ 'index.mjs': HANDLER }) },
          Environment: { Variables: { BENCH_OUT: out } },
        }),
      );
      return name;
    };
    for (const mode of ['burst', 'paced'] as const) {
      const paced = mode === 'paced' ? rate : undefined;
      {
        const out = join(dir, `sqs-${mode}.txt`);
        const name = await fn(out);
        const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `plumbing-${mode}`, Attributes: { VisibilityTimeout: '60' } }));
        const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
        await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: name, EventSourceArn: Attributes!.QueueArn }));
        const body = (i: number) => JSON.stringify({ i, sent: now(), pad: 'x'.repeat(100) });
        const send = (i: number) => sqsJson('SendMessage', { QueueUrl, MessageBody: body(i) });
        await drive(WARM_UP, 1, 8, undefined, send);
        await collect(out, WARM_UP, now());
        const cpuBefore = cpuNow(server?.pid);
        const first = paced
          ? await drive(messages, 1, 8, paced, send)
          : await drive(messages, 10, 4, undefined, (i) =>
              sqsJson('SendMessageBatch', { QueueUrl, Entries: Array.from({ length: 10 }, (_, j) => ({ Id: String(j), MessageBody: body(i + j) })) }),
            );
        runs[`sqs-${mode}`] = { ...(await collect(out, messages, first, WARM_UP)), sendSeconds: (lastSendEnd - first) / 1000 };
        runs[`sqs-${mode}`]!.cpuMsPerRecord = perRecord(cpuBefore, cpuNow(server?.pid), messages);
        log(`sqs ${mode}: ${summary(runs[`sqs-${mode}`]!)}`);
      }
      {
        const out = join(dir, `ddb-${mode}.txt`);
        const name = await fn(out);
        const table = await ddb.send(
          new CreateTableCommand({
            TableName: `plumbing-${mode}`,
            AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
            KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
            BillingMode: 'PAY_PER_REQUEST',
            StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
          }),
        );
        await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: name, EventSourceArn: table.TableDescription!.LatestStreamArn, StartingPosition: 'LATEST' }));
        // The mapping fixes LATEST on its first round; records written before that are not read.
        await sleep(300);
        const item = (i: number) => ({ id: { S: `item-${i}` }, sent: { N: String(now()) }, pad: { S: 'x'.repeat(100) } });
        const put = (i: number) => ddbJson('PutItem', { TableName: `plumbing-${mode}`, Item: item(i) });
        // A burst writes 25 items per BatchWriteItem, so the client is not what limits it.
        const batch = (i: number) =>
          ddbJson('BatchWriteItem', { RequestItems: { [`plumbing-${mode}`]: Array.from({ length: 25 }, (_, j) => ({ PutRequest: { Item: item(i + j) } })) } });
        await drive(WARM_UP, 1, 8, undefined, (i) => put(messages + i));
        await collect(out, WARM_UP, now());
        const cpuBefore = cpuNow(server?.pid);
        const first = paced ? await drive(messages, 1, 8, paced, put) : await drive(messages, 25, 4, undefined, batch);
        runs[`ddb-${mode}`] = { ...(await collect(out, messages, first, WARM_UP)), sendSeconds: (lastSendEnd - first) / 1000 };
        runs[`ddb-${mode}`]!.cpuMsPerRecord = perRecord(cpuBefore, cpuNow(server?.pid), messages);
        log(`dynamodb ${mode}: ${summary(runs[`ddb-${mode}`]!)}`);
      }
    }
    return runs;
  } finally {
    if (server) await stopServer(server);
  }
}

function dockerAnswers(): boolean {
  return spawnSync('docker', ['ps'], { stdio: 'ignore', timeout: 10_000 }).status === 0;
}

export async function runPlumbingBench(messages: number, rate: number, endpoint?: string, json?: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-plumbing-'));
  const log = (line: string) => process.stdout.write(`${line}\n`);
  try {
    const idleCpu = await cpuBusyPercent();
    log(`machine busy before the run: ${idleCpu?.toFixed(0) ?? '?'}% CPU`);
    const runs = await benchFogbank(messages, rate, dir, log, endpoint);
    const moto: Measured = { unavailable: dockerAnswers() ? 'moto runs Lambda in Docker: not measured by this bench' : 'moto runs Lambda functions in Docker, and no Docker daemon answers on this machine' };
    const figure = (name: string, unit: Figure['unit'], better: Figure['better'], value: number, target?: number): Figure => ({ name, unit, better, fogbank: { value }, moto, target });
    const figures: Figure[] = [
      figure(`SQS -> handler start, p50 (paced ${rate}/s)`, 'ms', 'lower', runs['sqs-paced']!.p50, 20),
      figure(`SQS -> handler start, p99 (paced ${rate}/s)`, 'ms', 'lower', runs['sqs-paced']!.p99),
      figure(`SQS -> handler, processed (burst of ${messages})`, 'req/s', 'higher', runs['sqs-burst']!.perSecond, 2000),
      figure(`SQS -> handler start, p50 (burst)`, 'ms', 'lower', runs['sqs-burst']!.p50),
      figure(`SQS -> handler start, p99 (burst)`, 'ms', 'lower', runs['sqs-burst']!.p99),
      figure(`PutItem -> stream handler start, p50 (paced ${rate}/s)`, 'ms', 'lower', runs['ddb-paced']!.p50, 20),
      figure(`PutItem -> stream handler start, p99 (paced ${rate}/s)`, 'ms', 'lower', runs['ddb-paced']!.p99),
      figure(`PutItem -> stream handler, processed (burst of ${messages})`, 'req/s', 'higher', runs['ddb-burst']!.perSecond, 2000),
      figure(`PutItem -> stream handler start, p50 (burst)`, 'ms', 'lower', runs['ddb-burst']!.p50),
      figure(`PutItem -> stream handler start, p99 (burst)`, 'ms', 'lower', runs['ddb-burst']!.p99),
    ];
    log('');
    log(formatTable(figures));
    log('\n(req/s rows are records reaching the handler per second, first send to last handler start.)');
    log(`The time figures are this machine's under its current load (${idleCpu?.toFixed(0) ?? '?'}% busy before the run), not Fogbank's alone.`);
    log('CPU per record depends far less on other load; all CPU used by Fogbank, its workers and the clients, per record, bounds');
    log(`what ${cpus().length} otherwise idle cores could process (a ceiling, not a measurement):`);
    for (const [name, run] of Object.entries(runs)) {
      const total = cpuTotal(run);
      log(`  ${name}: ${summary(run)}${total ? `; ceiling ${((cpus().length * 1000) / total).toFixed(0)} records/s` : ''}`);
    }
    if (json) writeJson(json, {
      date: new Date().toISOString(),
      machine: machineInfo(),
      settings: { messages, rate },
      figures,
      notes: [`machine busy before the run: ${idleCpu?.toFixed(0) ?? '?'}% CPU`],
      raw: runs as unknown as Record<string, unknown>,
    });
  } finally {
    killAllServers();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { messages: { type: 'string', default: '10000' }, rate: { type: 'string', default: '1000' }, endpoint: { type: 'string' }, json: { type: 'string' } } });
  await runPlumbingBench(Number(values.messages), Number(values.rate), values.endpoint, values.json);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.once('SIGINT', () => {
    killAllServers();
    process.exit(130);
  });
  main().catch((error: unknown) => {
    console.error(error);
    killAllServers();
    process.exit(1);
  });
}
