// API Gateway in front of Lambda: an HTTP GET /items/{id} to a Node handler and back, through a
// REST API (Lambda proxy, payload 1.0) and an HTTP API (payload 2.0) on Fogbank, side by side with
// serverless-offline serving the same handler behind an httpApi event. Every target is warmed up
// first (sequential and 16 at once, so every server's code is compiled and Fogbank's workers are
// started before anything is timed: measured one after the other, the first target otherwise pays
// for the warm-up of the code all of Fogbank's targets share). Latency: a plain Node HTTP client
// over keep-alive, sequential (c1, in rounds that take the targets in turn; medians) and 16 loops at
// once (c16), p50 of each request, with the server's CPU per request (process and children).
// Throughput: wrk at 1 and 16 connections.
// Usage: node dist/bench/apigateway.js [--seconds 8] [--requests 2000] [--rounds 3] [--warmup 3000]

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync, readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  APIGatewayClient,
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
} from '@aws-sdk/client-api-gateway';
import { ApiGatewayV2Client, CreateApiCommand, CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand } from '@aws-sdk/client-apigatewayv2';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { strToU8, zipSync } from 'fflate';
import { otherLoadMeter, toolVersion } from './machine.js';
import { freePort, killAllServers, sleep, startServer, stopServer, waitForFirstAnswer } from './servers.js';
import { ensureWrk, measureThroughput, type WrkSettings } from './wrk.js';
import { quantile } from './latency.js';
import { median } from './report.js';

const { values: args } = parseArgs({
  options: { seconds: { type: 'string', default: '8' }, requests: { type: 'string', default: '2000' }, rounds: { type: 'string', default: '3' }, warmup: { type: 'string', default: '3000' } },
});
const SECONDS = Number(args.seconds);
const REQUESTS = Number(args.requests);
const ROUNDS = Number(args.rounds);
const WARMUP = Number(args.warmup);

/** The issue's measurement of serverless-offline, and its targets relative to it. */
const ISSUE = { slsP50Ms: 0.77, slsRps16: 1801 };

const HANDLER = `module.exports.handler = async (event) => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ id: event.pathParameters.id }),
});
`;

const NODE_MODULES = fileURLToPath(new URL('../../node_modules', import.meta.url));

interface Target {
  name: string;
  /** The server's process: its CPU and its children's is what a request costs. */
  pid: number;
  port: number;
  path: string;
  headers: Record<string, string>;
  method?: 'GET' | 'POST';
  body?: string;
  /** A row that explains the others (not compared with the targets). */
  reference?: boolean;
}

/** The handler deployed on Fogbank, a REST API and an HTTP API to it; the two targets. */
async function deployOnFogbank(port: number, pid: number): Promise<Target[]> {
  const config = { endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
  const lambda = new LambdaClient(config);
  const fn = await lambda.send(
    new CreateFunctionCommand({
      FunctionName: 'items',
      Runtime: 'nodejs20.x',
      Role: 'arn:aws:iam::000000000000:role/bench',
      Handler: 'handler.handler',
      Code: { ZipFile: zipSync({ 'handler.js': strToU8(HANDLER) }) },
    }),
  );
  const uri = `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${fn.FunctionArn}/invocations`;
  const rest = new APIGatewayClient(config);
  const api = await rest.send(new CreateRestApiCommand({ name: 'bench' }));
  const items = await rest.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: 'items' }));
  const item = await rest.send(new CreateResourceCommand({ restApiId: api.id, parentId: items.id, pathPart: '{id}' }));
  await rest.send(new PutMethodCommand({ restApiId: api.id, resourceId: item.id, httpMethod: 'GET', authorizationType: 'NONE' }));
  await rest.send(new PutIntegrationCommand({ restApiId: api.id, resourceId: item.id, httpMethod: 'GET', type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri }));
  await rest.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'dev' }));
  const v2 = new ApiGatewayV2Client(config);
  const httpApi = await v2.send(new CreateApiCommand({ Name: 'bench', ProtocolType: 'HTTP' }));
  const integration = await v2.send(new CreateIntegrationCommand({ ApiId: httpApi.ApiId, IntegrationType: 'AWS_PROXY', IntegrationUri: fn.FunctionArn, PayloadFormatVersion: '2.0' }));
  await v2.send(new CreateRouteCommand({ ApiId: httpApi.ApiId, RouteKey: 'GET /items/{id}', Target: `integrations/${integration.IntegrationId}` }));
  await v2.send(new CreateStageCommand({ ApiId: httpApi.ApiId, StageName: '$default', AutoDeploy: true }));
  // The gateway alone: a MOCK route with a mapping template, no Lambda.
  const mock = await rest.send(new CreateResourceCommand({ restApiId: api.id, parentId: api.rootResourceId, pathPart: 'mock' }));
  const mockIds = { restApiId: api.id, resourceId: mock.id, httpMethod: 'GET' };
  await rest.send(new PutMethodCommand({ ...mockIds, authorizationType: 'NONE' }));
  await rest.send(new PutIntegrationCommand({ ...mockIds, type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } }));
  await rest.send(new PutIntegrationResponseCommand({ ...mockIds, statusCode: '200', responseTemplates: { 'application/json': '{"id": "42"}' } }));
  await rest.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'dev' }));
  for (const c of [lambda, rest, v2]) c.destroy();
  const host = (id: string) => ({ Host: `${id}.execute-api.localhost.localstack.cloud:${port}` });
  const signed = { authorization: 'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=0' };
  return [
    { name: 'Fogbank REST API', pid, port, path: '/dev/items/42', headers: host(api.id!) },
    { name: 'Fogbank HTTP API', pid, port, path: '/items/42', headers: host(httpApi.ApiId!) },
    { name: '(Fogbank REST API, MOCK: gateway alone)', pid, port, path: '/dev/mock', headers: host(api.id!), reference: true },
    { name: '(Fogbank Lambda Invoke API: Lambda alone)', pid, port, path: '/2015-03-31/functions/items/invocations', headers: signed, method: 'POST', body: '{"pathParameters":{"id":"42"}}', reference: true },
  ];
}

/** serverless-offline in a temporary service folder with the same handler; resolves once it answers. */
async function startServerlessOffline(): Promise<{ target: Target; child: ChildProcess; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-sls-'));
  const [httpPort, lambdaPort] = [await freePort(), await freePort()];
  symlinkSync(NODE_MODULES, join(dir, 'node_modules'));
  writeFileSync(join(dir, 'handler.js'), HANDLER);
  writeFileSync(
    join(dir, 'serverless.yml'),
    [
      'service: bench',
      "frameworkVersion: '3'",
      'provider: { name: aws, runtime: nodejs20.x, region: us-east-1 }',
      'functions:',
      '  items:',
      '    handler: handler.handler',
      '    events:',
      '      - httpApi: { path: "/items/{id}", method: get }',
      'plugins: [serverless-offline]',
      `custom: { serverless-offline: { host: 127.0.0.1, httpPort: ${httpPort}, lambdaPort: ${lambdaPort}, noPrependStageInUrl: true } }`,
      '',
    ].join('\n'),
  );
  const child = spawn(join(dir, 'node_modules/.bin/serverless'), ['offline', 'start'], {
    cwd: dir,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' },
  });
  let log = '';
  child.stdout!.on('data', (c: Buffer) => (log += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (log += c.toString()));
  const target: Target = { name: 'serverless-offline HTTP API', pid: child.pid!, port: httpPort, path: '/items/42', headers: {} };
  for (let i = 0; i < 300; i++) {
    try {
      if ((await get(new Agent(), target)) === 200) return { target, child, dir };
    } catch {
      // Not listening yet.
    }
    await sleep(200);
  }
  throw new Error(`serverless-offline did not answer: ${log.slice(-800)}`);
}

function get(agent: Agent, t: Target): Promise<number> {
  return new Promise((resolve, reject) => {
    const body = t.body ?? '';
    const headers = body ? { ...t.headers, 'content-length': String(Buffer.byteLength(body)) } : t.headers;
    const req = request({ host: '127.0.0.1', port: t.port, method: t.method ?? 'GET', path: t.path, headers, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** CPU time (ms) used so far by a process and all its descendants (Linux /proc; NaN elsewhere). */
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
        // The process ended while we looked.
      }
    }
  } catch {
    return NaN;
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

/** `count` requests spread over `loops` concurrent keep-alive loops: p50, p99 and server CPU per request. */
async function latency(t: Target, loops: number, count: number): Promise<{ p50: number; p99: number; cpuMs: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: loops });
  for (let i = 0; i < Math.min(200, count); i++) await get(agent, t);
  const times: number[] = [];
  let left = count;
  const cpuBefore = treeCpuMs(t.pid);
  await Promise.all(
    Array.from({ length: loops }, async () => {
      while (left-- > 0) {
        const start = performance.now();
        const status = await get(agent, t);
        times.push(performance.now() - start);
        if (status !== 200) throw new Error(`${t.name}: HTTP ${status}`);
      }
    }),
  );
  const cpuMs = (treeCpuMs(t.pid) - cpuBefore) / count;
  agent.destroy();
  const sorted = times.sort((a, b) => a - b);
  return { p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), cpuMs };
}

/** Sequential requests, then 16 loops at once (which starts Fogbank's workers for concurrency 16). */
async function warmUp(t: Target): Promise<void> {
  await latency(t, 1, WARMUP);
  await latency(t, 16, WARMUP);
}

interface Row {
  name: string;
  p50c1: number;
  p50c16: number;
  p99c1: number;
  /** Server CPU per request (ms): sequential requests, and wrk at 16 connections. */
  cpuC1: number;
  cpuC16: number;
  rps1: number;
  rps16: number;
  note?: string;
}

/** Sequential latency in ROUNDS rounds that take the targets in turn (medians), so no target is always timed first. */
async function sequentialRounds(targets: Target[]): Promise<Map<Target, { p50: number; p99: number; cpuMs: number }>> {
  const samples = new Map(targets.map((t) => [t, [] as Array<{ p50: number; p99: number; cpuMs: number }>]));
  for (let round = 0; round < ROUNDS; round++) for (const t of targets) samples.get(t)!.push(await latency(t, 1, REQUESTS));
  const out = new Map<Target, { p50: number; p99: number; cpuMs: number }>();
  for (const [t, s] of samples) out.set(t, { p50: median(s.map((x) => x.p50)), p99: median(s.map((x) => x.p99)), cpuMs: median(s.map((x) => x.cpuMs)) });
  return out;
}

async function measure(t: Target, c1: { p50: number; p99: number; cpuMs: number }, wrk: boolean): Promise<Row> {
  const c16 = await latency(t, 16, REQUESTS * 4);
  const row: Row = { name: t.name, p50c1: c1.p50, p99c1: c1.p99, p50c16: c16.p50, cpuC1: c1.cpuMs, cpuC16: NaN, rps1: NaN, rps16: NaN };
  if (!wrk) return row;
  const settings = (connections: number): WrkSettings => ({ threads: Math.min(2, connections), connections, durationSeconds: SECONDS, warmupSeconds: 2 });
  const req = { method: t.method ?? ('GET' as const), path: t.path, headers: t.headers, body: t.body ?? '' };
  const r1 = await measureThroughput(t.port, req, settings(1));
  const cpuBefore = treeCpuMs(t.pid);
  const r16 = await measureThroughput(t.port, req, settings(16));
  // The warm-up run is in the CPU window too: count its requests at the measured rate.
  row.cpuC16 = (treeCpuMs(t.pid) - cpuBefore) / (r16.requestsPerSecond * (SECONDS + 2));
  row.rps1 = r1.requestsPerSecond;
  row.rps16 = r16.requestsPerSecond;
  row.note = [r1.failure, r16.failure].filter(Boolean).join('; ') || undefined;
  return row;
}

function table(rows: Row[], sls: Row): string {
  const f = (n: number, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : 'n/a');
  const lines = [
    '| Target | p50 c1 (ms) | p99 c1 (ms) | p50 c16 (ms) | wrk c1 (req/s) | wrk c16 (req/s) | CPU/req c1 (ms) | CPU/req c16 (ms) | p50 c1 vs sls | req/s c16 vs sls |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.name} | ${f(r.p50c1)} | ${f(r.p99c1)} | ${f(r.p50c16)} | ${f(r.rps1, 0)} | ${f(r.rps16, 0)} | ${f(r.cpuC1, 3)} | ${f(r.cpuC16, 3)} | ${f(r.p50c1 / sls.p50c1)}x | ${f(r.rps16 / sls.rps16)}x |${r.note ? ` ${r.note}` : ''}`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const wrk = ensureWrk(log);
  const meter = otherLoadMeter();
  log('starting Fogbank (persistent) and deploying the handler behind a REST API and an HTTP API...');
  const fogbank = await startServer('fogbank');
  await waitForFirstAnswer(fogbank);
  const targets = await deployOnFogbank(fogbank.port, fogbank.pid);
  log('starting serverless-offline with the same handler...');
  const sls = await startServerlessOffline();
  const rows: Row[] = [];
  try {
    const ordered = [...targets.filter((t) => !t.reference), sls.target, ...targets.filter((t) => t.reference)];
    for (const t of ordered) {
      log(`warming up ${t.name}...`);
      await warmUp(t);
    }
    log(`sequential latency, ${ROUNDS} rounds of ${REQUESTS} requests per target...`);
    const c1 = await sequentialRounds(ordered);
    for (const t of ordered) {
      log(`measuring ${t.name}...`);
      rows.push(await measure(t, c1.get(t)!, wrk));
    }
  } finally {
    try {
      process.kill(-sls.child.pid!, 'SIGKILL');
    } catch {
      // Already gone.
    }
    rmSync(sls.dir, { recursive: true, force: true });
    await stopServer(fogbank);
  }
  const others = meter.stop();
  const slsRow = rows.find((r) => r.name === sls.target.name)!;
  const slsVersion = (JSON.parse(readFileSync(join(NODE_MODULES, 'serverless-offline/package.json'), 'utf8')) as { version: string }).version;
  log('');
  log(`API Gateway -> Lambda (Node handler) -> back, ${new Date().toISOString()}, Node ${process.version}, serverless-offline ${slsVersion}, ${toolVersion('wrk', ['--version'])}`);
  log(`other work on the machine used ${others === undefined ? 'an unknown share' : `${others.toFixed(0)}%`} of the CPUs during the run`);
  log('');
  log(table(rows, slsRow));
  log('');
  log(
    `Targets (issue: serverless-offline p50 ${ISSUE.slsP50Ms} ms, ${ISSUE.slsRps16} req/s at c16): p50 at or under serverless-offline's (this run's and the issue's) and >= 1.5x serverless-offline's req/s at c16.`,
  );
  for (const r of rows.filter((r) => r.name.startsWith('Fogbank'))) {
    const p50Here = r.p50c1 <= slsRow.p50c1 ? 'met' : 'MISSED';
    const p50Issue = r.p50c1 <= ISSUE.slsP50Ms ? 'met' : 'MISSED';
    const rpsHere = r.rps16 >= 1.5 * slsRow.rps16 ? 'met' : 'MISSED';
    const rpsIssue = r.rps16 >= 1.5 * ISSUE.slsRps16 ? 'met' : 'MISSED';
    log(
      `  ${r.name}: p50 ${r.p50c1.toFixed(2)} ms (vs this run's ${slsRow.p50c1.toFixed(2)} ms: ${p50Here}; vs ${ISSUE.slsP50Ms} ms: ${p50Issue}); ` +
        `c16 ${r.rps16.toFixed(0)} req/s = ${(r.rps16 / slsRow.rps16).toFixed(2)}x this run's serverless-offline (${rpsHere}), ${(r.rps16 / ISSUE.slsRps16).toFixed(2)}x the issue's figure (${rpsIssue})`,
    );
  }
}

process.on('exit', killAllServers);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));
main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
