// Turns the sections' results into table rows: medians of runs, "not available" with the reason
// when a server or an operation did not work, and the issue's targets beside Fogbank's figures.

import type { LatencyResult } from './latency.js';
import { median, mib, type Figure, type Measured } from './report.js';
import type { StartupResults, StartupRun } from './startup.js';
import type { WrkResult } from './wrk.js';

const TARGET_FIRST_ANSWER_MS = 150;
const TARGET_IDLE_RSS_MIB = 70;

/** A section's result per server, or why there is none. */
export type PerServer<T> = Partial<Record<'fogbank' | 'moto', T | { unavailable: string }>>;

function fromRuns(runs: StartupRun[] | undefined, pick: (run: StartupRun) => number, failure: string | undefined): Measured {
  if (failure) return { unavailable: runs?.length ? `${failure} (after ${runs.length} good runs)` : failure };
  if (!runs || runs.length === 0) return { unavailable: 'not measured (server not available)' };
  const samples = runs.map(pick);
  return { value: median(samples), samples };
}

/** Which operations did not succeed on a server while warming (they still loaded the service). */
function warmNote(runs: StartupRun[] | undefined): string | undefined {
  const failed = Object.entries(runs?.[0]?.warmResults ?? {}).filter(([, result]) => result !== 'ok');
  return failed.length ? `warmed with ${failed.map(([label, result]) => `${label} -> ${result}`).join('; ')}` : undefined;
}

export function startupFigures(results: StartupResults, serviceCount: number): Figure[] {
  const moto = results.runs.get('moto');
  const motoFailure = results.failures.get('moto');
  const figures: Figure[] = [];
  const variants = [['fogbank', 'persistent'], ['fogbank-in-memory', '--in-memory']] as const;
  for (const [kind, label] of variants) {
    const [runs, failure] = [results.runs.get(kind), results.failures.get(kind)];
    figures.push({ name: `First answer, ${label} (median)`, unit: 'ms', better: 'lower', fogbank: fromRuns(runs, (r) => r.firstAnswerMs, failure), moto: fromRuns(moto, (r) => r.firstAnswerMs, motoFailure), target: TARGET_FIRST_ANSWER_MS });
  }
  for (const [kind, label] of variants) {
    const [runs, failure] = [results.runs.get(kind), results.failures.get(kind)];
    figures.push({ name: `Idle RSS, ${label} (median)`, unit: 'MiB', better: 'lower', fogbank: fromRuns(runs, (r) => mib(r.idleRssBytes), failure), moto: fromRuns(moto, (r) => mib(r.idleRssBytes), motoFailure), target: TARGET_IDLE_RSS_MIB });
  }
  for (const [kind, label] of variants) {
    const [runs, failure] = [results.runs.get(kind), results.failures.get(kind)];
    const fogbank = fromRuns(runs, (r) => mib(r.warmRssBytes), failure);
    const motoWarm = fromRuns(moto, (r) => mib(r.warmRssBytes), motoFailure);
    const fogbankNote = warmNote(runs);
    const motoNote = warmNote(moto);
    figures.push({
      name: `RSS after ${serviceCount} services used, ${label}`,
      unit: 'MiB',
      better: 'lower',
      fogbank: 'value' in fogbank && fogbankNote ? { ...fogbank, note: `Fogbank ${fogbankNote}` } : fogbank,
      moto: 'value' in motoWarm && motoNote ? { ...motoWarm, note: `moto ${motoNote}` } : motoWarm,
    });
  }
  return figures;
}

export function throughputFigures(results: Map<string, PerServer<WrkResult>>): Figure[] {
  const measured = (kind: 'fogbank' | 'moto', result: WrkResult | { unavailable: string } | undefined): Measured => {
    if (!result) return { unavailable: `${kind}: not measured` };
    if ('unavailable' in result) return result;
    if (result.failure) return { unavailable: `${kind}: measurement failed (${result.failure}, ${result.requestsPerSecond.toFixed(0)} req/s)` };
    return { value: result.requestsPerSecond };
  };
  return [...results].map(([label, r]) => ({ name: `Throughput: ${label}`, unit: 'req/s', better: 'higher', fogbank: measured('fogbank', r.fogbank), moto: measured('moto', r.moto) }));
}

export function latencyFigures(results: PerServer<LatencyResult>, calls: number): Figure[] {
  const pick = (kind: 'fogbank' | 'moto', get: (r: LatencyResult) => number): Measured => {
    const r = results[kind];
    if (!r) return { unavailable: `${kind}: not measured` };
    return 'unavailable' in r ? r : { value: get(r) };
  };
  return [
    { name: `SDK v3 GetSecretValue, median of ${calls}`, unit: 'ms', better: 'lower', fogbank: pick('fogbank', (r) => r.medianMs), moto: pick('moto', (r) => r.medianMs) },
    { name: `SDK v3 GetSecretValue, p99 of ${calls}`, unit: 'ms', better: 'lower', fogbank: pick('fogbank', (r) => r.p99Ms), moto: pick('moto', (r) => r.p99Ms) },
  ];
}
