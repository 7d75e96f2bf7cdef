// `npm run bench`: Fogbank against moto's server, side by side in one run on this machine.
// Usage: node dist/bench/run.js [--json <path>] [--runs 5] [--wrk-duration 5] [--connections 16]
//        [--calls 1000] [--skip-throughput] [--skip-latency] [--wait-quiet <seconds>]
// --wait-quiet waits (up to that long) for other work on the machine to drop below 15% CPU.
// Only one server runs at a time; all traffic goes to 127.0.0.1; every spawned server is killed at
// the end, also on error, Ctrl-C or the watchdog.

import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { SERVICES } from '../src/services/registry.js';
import { measureSdkLatency, type LatencyResult } from './latency.js';
import { cpuBusyPercent, machineInfo, otherLoadMeter, toolVersion } from './machine.js';
import { latencyFigures, startupFigures, throughputFigures, type PerServer } from './figures.js';
import { formatTable, writeJson, type Report } from './report.js';
import { BENCH_OPERATIONS, WARM_ONLY_OPERATIONS, describeFailure, isOk, send, type BenchOperation } from './requests.js';
import { findMoto, killAllServers, startServer, stopServer, waitForFirstAnswer, type Python } from './servers.js';
import { measureStartup } from './startup.js';
import { ensureWrk, measureThroughput, type WrkResult, type WrkSettings } from './wrk.js';

const WATCHDOG_MS = 25 * 60_000;
const QUIET_BUSY_PERCENT = 15;

const log = (line: string): void => void process.stderr.write(`${line}\n`);

function options() {
  const { values } = parseArgs({
    options: {
      json: { type: 'string' },
      runs: { type: 'string', default: '5' },
      'wrk-duration': { type: 'string', default: '5' },
      connections: { type: 'string', default: '16' },
      calls: { type: 'string', default: '1000' },
      'skip-throughput': { type: 'boolean', default: false },
      'skip-latency': { type: 'boolean', default: false },
      'wait-quiet': { type: 'string', default: '0' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write('Usage: node dist/bench/run.js [--json <path>] [--runs 5] [--wrk-duration 5] [--connections 16] [--calls 1000] [--skip-throughput] [--skip-latency] [--wait-quiet <seconds>]\n');
    process.exit(0);
  }
  const count = (name: string, text: string, max: number): number => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1 || n > max) throw new Error(`--${name} must be an integer from 1 to ${max}`);
    return n;
  };
  return {
    json: values.json,
    runs: count('runs', values.runs, 50),
    wrk: { threads: 1, connections: count('connections', values.connections, 256), durationSeconds: count('wrk-duration', values['wrk-duration'], 60), warmupSeconds: 1 } satisfies WrkSettings,
    calls: count('calls', values.calls, 100_000),
    skipThroughput: values['skip-throughput'],
    skipLatency: values['skip-latency'],
    waitQuietSeconds: values['wait-quiet'] === '0' ? 0 : count('wait-quiet', values['wait-quiet'], 600),
  };
}

/** Creates the operation's resource and checks the operation answers 2xx before timing it. */
async function prepare(port: number, operation: BenchOperation): Promise<string | undefined> {
  for (const setup of operation.setup) {
    const answer = await send(port, setup);
    if (!isOk(answer)) return `setup answered ${describeFailure(answer)}`;
  }
  const answer = await send(port, operation.request);
  return isOk(answer) ? undefined : `answers ${describeFailure(answer)}`;
}

/**
 * Starts a server, waits for its first answer, runs `use`, stops it. Returns why not when the
 * server does not come up, so the caller reports its figures as not available instead of crashing.
 */
async function withServer(kind: 'fogbank' | 'moto', python: Python | undefined, use: (port: number) => Promise<void>): Promise<string | undefined> {
  const server = await startServer(kind, python);
  try {
    try {
      await waitForFirstAnswer(server);
    } catch (error) {
      log(`  ${kind} failed: ${(error as Error).message}`);
      return `${kind} failed to start: ${(error as Error).message.split('\n').slice(0, 3).join(' ')}`;
    }
    await use(server.port);
    return undefined;
  } finally {
    await stopServer(server);
  }
}

async function throughput(kinds: ReadonlyArray<'fogbank' | 'moto'>, python: Python | undefined, settings: WrkSettings): Promise<Map<string, PerServer<WrkResult>>> {
  const results = new Map<string, PerServer<WrkResult>>(BENCH_OPERATIONS.map((op) => [op.label, {}]));
  for (const kind of kinds) {
    const failure = await withServer(kind, python, async (port) => {
      for (const operation of BENCH_OPERATIONS) {
        let result: WrkResult | { unavailable: string };
        try {
          const problem = await prepare(port, operation);
          result = problem ? { unavailable: `${kind}: ${operation.label} ${problem}` } : await measureThroughput(port, operation.request, settings);
        } catch (error) {
          result = { unavailable: `${kind}: ${operation.label} failed: ${(error as Error).message}` };
        }
        results.get(operation.label)![kind] = result;
        log(`  ${kind.padEnd(7)} ${operation.label.padEnd(34)} ${'unavailable' in result ? result.unavailable : `${result.requestsPerSecond.toFixed(0)} req/s${result.failure ? ` (FAILED: ${result.failure})` : ''}`}`);
      }
    });
    if (failure) for (const perServer of results.values()) perServer[kind] = { unavailable: failure };
  }
  return results;
}

async function latency(kinds: ReadonlyArray<'fogbank' | 'moto'>, python: Python | undefined, calls: number): Promise<PerServer<LatencyResult>> {
  const secrets = BENCH_OPERATIONS.find((op) => op.service === 'secretsmanager')!;
  const results: PerServer<LatencyResult> = {};
  for (const kind of kinds) {
    const failure = await withServer(kind, python, async (port) => {
      try {
        const problem = await prepare(port, secrets);
        results[kind] = problem ? { unavailable: `${kind}: GetSecretValue ${problem}` } : await measureSdkLatency(port, { warmupCalls: 200, calls, budgetMs: 120_000 });
      } catch (error) {
        results[kind] = { unavailable: `${kind}: SDK GetSecretValue failed: ${(error as Error).name}: ${(error as Error).message}` };
      }
    });
    if (failure) results[kind] = { unavailable: failure };
    const r = results[kind]!;
    log(`  ${kind.padEnd(7)} ${'unavailable' in r ? r.unavailable : `median ${r.medianMs.toFixed(2)} ms, p99 ${r.p99Ms.toFixed(2)} ms`}`);
  }
  return results;
}

/** Waits (up to `seconds`) for 3 quiet seconds in a row; returns the last busy percentage seen. */
async function waitForQuiet(seconds: number): Promise<number | undefined> {
  let busy = await cpuBusyPercent();
  let quietInARow = busy !== undefined && busy <= QUIET_BUSY_PERCENT ? 1 : 0;
  for (let waited = 1; seconds > 0 && busy !== undefined && quietInARow < 3 && waited < seconds; waited++) {
    if (waited % 10 === 1 && quietInARow === 0) log(`waiting for the machine to be quiet: ${busy.toFixed(0)}% busy`);
    busy = await cpuBusyPercent();
    quietInARow = busy !== undefined && busy <= QUIET_BUSY_PERCENT ? quietInARow + 1 : 0;
  }
  return busy;
}

async function main(): Promise<void> {
  const opts = options();
  const python = findMoto();
  if (!python) log('moto is not importable by python3; its column will say "not available" (pip install "moto[server]").');
  const implemented = new Set(SERVICES.filter((s) => s.load).map((s) => s.name));
  const warmOperations = [...BENCH_OPERATIONS, ...WARM_ONLY_OPERATIONS].filter((op) => implemented.has(op.service));
  for (const name of implemented) if (!warmOperations.some((op) => op.service === name)) log(`note: no bench request for implemented service '${name}'; warm RSS does not use it`);
  const motoKinds = python ? (['moto'] as const) : ([] as const);
  const report: Report = {
    date: new Date().toISOString(),
    machine: { ...machineInfo(), moto: python?.motoVersion ?? 'not installed', python: python ? toolVersion(python.executable, ['--version']) : 'n/a', wrk: toolVersion('wrk', ['--version']) },
    settings: { startupRuns: opts.runs, settleMs: 1000, pollMs: 3, wrk: opts.wrk, sdkCalls: opts.calls, sdkWarmupCalls: 200, warmServices: warmOperations.map((op) => op.service) },
    figures: [],
    notes: [],
    raw: {},
  };

  const busyBefore = await waitForQuiet(opts.waitQuietSeconds);
  if (busyBefore !== undefined) report.machine.cpuBusyPercentBefore = Number(busyBefore.toFixed(1));
  const otherLoad: Record<string, number> = {};
  const section = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const meter = otherLoadMeter();
    const result = await work();
    const percent = meter.stop();
    if (percent !== undefined) otherLoad[name] = Number(percent.toFixed(1));
    return result;
  };
  report.date = new Date().toISOString();
  log(`Startup and memory: ${opts.runs} runs each of Fogbank (persistent), Fogbank (--in-memory)${python ? ', moto' : ''}, interleaved, after 1 discarded run each`);
  const startup = await section('startup', () => measureStartup(['fogbank', 'fogbank-in-memory', ...motoKinds], python, warmOperations, { runs: opts.runs, settleMs: 1000, warmupRuns: 1 }, log));
  report.raw.startup = { runs: Object.fromEntries(startup.runs), failures: Object.fromEntries(startup.failures) };
  report.figures.push(...startupFigures(startup, warmOperations.length));

  if (opts.skipThroughput) {
    report.notes.push('Throughput skipped (--skip-throughput).');
  } else if (!ensureWrk(log)) {
    report.notes.push('Throughput skipped: wrk is not installed (sudo apt-get install -y wrk).');
  } else {
    const { threads, connections, durationSeconds } = opts.wrk;
    log(`Throughput: wrk -t${threads} -c${connections} -d${durationSeconds}s after a 1 s warm-up, Fogbank (persistent) then moto`);
    const wrk = await section('throughput', () => throughput(['fogbank', ...motoKinds], python, opts.wrk));
    report.raw.throughput = Object.fromEntries(wrk);
    report.figures.push(...throughputFigures(wrk));
  }

  if (opts.skipLatency) {
    report.notes.push('SDK latency skipped (--skip-latency).');
  } else {
    log(`SDK latency: ${opts.calls} sequential GetSecretValue calls after 200 warm-up calls, Fogbank (persistent) then moto`);
    const sdk = await section('latency', () => latency(['fogbank', ...motoKinds], python, opts.calls));
    report.raw.latency = sdk;
    report.figures.push(...latencyFigures(sdk, opts.calls));
  }

  report.machine.loadAverage1mAtEnd = Number(loadavg()[0]!.toFixed(2));
  report.raw.otherCpuPercentBySection = otherLoad;
  const busiest = Math.max(0, ...Object.values(otherLoad));
  if (busiest > QUIET_BUSY_PERCENT) {
    report.notes.push(`Warning: other work on the machine used ${Object.entries(otherLoad).map(([name, p]) => `${p}% of the CPUs during ${name}`).join(', ')}; figures (tails most) are noisier than on an idle machine.`);
  }
  const m = report.machine;
  const others = Object.entries(otherLoad).map(([name, p]) => `${name} ${p}%`).join(', ');
  process.stdout.write(`\nFogbank vs moto ${m.moto} - ${report.date} - ${m.nproc} CPUs (${m.cpu}), Node ${m.node}, ${m.python}; load average ${m.loadAverage1mAtStart} at start, ${m.loadAverage1mAtEnd} at end${others ? `; CPU used by other work: ${others}` : ''}\n\n`);
  process.stdout.write(`${formatTable(report.figures)}\n`);
  for (const note of report.notes) process.stdout.write(`\n${note}\n`);
  process.stdout.write(`\nStartup and memory figures are medians of ${opts.runs} runs, with (min-max) of the runs. MiB = 2^20 bytes.\n`);
  process.stdout.write(`Reference from the issue: moto 332 ms / 75 MB, dynalite 90 ms / 54 MB.\n`);
  if (opts.json) {
    writeJson(opts.json, report);
    log(`JSON written to ${opts.json}`);
  }
}

process.on('exit', killAllServers);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`\n${signal}: stopping servers`);
    killAllServers();
    process.exit(130);
  });
}
const watchdog = setTimeout(() => {
  log(`benchmark exceeded ${WATCHDOG_MS / 60_000} minutes; stopping servers`);
  killAllServers();
  process.exit(1);
}, WATCHDOG_MS);

main().then(
  () => clearTimeout(watchdog),
  (error) => {
    clearTimeout(watchdog);
    log(`bench failed: ${(error as Error).stack ?? error}`);
    killAllServers();
    process.exitCode = 1;
  },
);
