// Figures 1-3: time from spawn to the first answered request, idle memory once settled, and memory
// after one request to each implemented service. One run = one fresh server; runs of the
// different servers are interleaved so drift on the machine hits all of them alike.

import { describeFailure, isOk, send, type BenchOperation } from './requests.js';
import { sleep, startServer, stopServer, treeRss, waitForFirstAnswer, type Python, type ServerKind } from './servers.js';

export interface StartupRun {
  firstAnswerMs: number;
  probeStatus: number;
  pollAttempts: number;
  idleRssBytes: number;
  warmRssBytes: number;
  /** Per operation used for warming: 'ok' or why not (e.g. "HTTP 400 UnknownOperationException"). */
  warmResults: Record<string, string>;
}

export interface StartupOptions {
  runs: number;
  settleMs: number;
  /** Discarded runs per server first, so the first measured one does not pay for a cold disk cache. */
  warmupRuns: number;
}

/** Sends each operation's setup and the operation itself once: every service gets loaded and used. */
export async function useEveryService(port: number, operations: readonly BenchOperation[]): Promise<Record<string, string>> {
  const results: Record<string, string> = {};
  for (const operation of operations) {
    try {
      for (const setup of operation.setup) await send(port, setup);
      const answer = await send(port, operation.request);
      results[operation.label] = isOk(answer) ? 'ok' : describeFailure(answer);
    } catch (error) {
      results[operation.label] = `error: ${(error as Error).message}`;
    }
  }
  return results;
}

async function oneRun(kind: ServerKind, python: Python | undefined, operations: readonly BenchOperation[], settleMs: number): Promise<StartupRun> {
  const server = await startServer(kind, python);
  try {
    const first = await waitForFirstAnswer(server);
    await sleep(settleMs);
    const idleRssBytes = treeRss(server.pid);
    const warmResults = await useEveryService(server.port, operations);
    await sleep(settleMs);
    const warmRssBytes = treeRss(server.pid);
    return { firstAnswerMs: first.ms, probeStatus: first.answer.status, pollAttempts: first.attempts, idleRssBytes, warmRssBytes, warmResults };
  } finally {
    await stopServer(server);
  }
}

export interface StartupResults {
  runs: Map<ServerKind, StartupRun[]>;
  /** Servers that failed to start or answer, with why; their remaining runs are skipped. */
  failures: Map<ServerKind, string>;
}

export async function measureStartup(kinds: readonly ServerKind[], python: Python | undefined, operations: readonly BenchOperation[], options: StartupOptions, log: (line: string) => void): Promise<StartupResults> {
  const results: StartupResults = { runs: new Map(kinds.map((kind) => [kind, []])), failures: new Map() };
  const attempt = async (kind: ServerKind, settleMs: number): Promise<StartupRun | undefined> => {
    if (results.failures.has(kind)) return undefined;
    try {
      return await oneRun(kind, python, operations, settleMs);
    } catch (error) {
      const reason = (error as Error).message.split('\n').slice(0, 3).join(' ');
      results.failures.set(kind, `${kind} failed: ${reason}`);
      log(`  ${kind} failed: ${(error as Error).message}`);
      return undefined;
    }
  };
  for (let i = 0; i < options.warmupRuns; i++) for (const kind of kinds) await attempt(kind, 0);
  for (let i = 0; i < options.runs; i++) {
    for (const kind of kinds) {
      const run = await attempt(kind, options.settleMs);
      if (!run) continue;
      results.runs.get(kind)!.push(run);
      log(`  run ${i + 1}/${options.runs} ${kind.padEnd(17)} first answer ${run.firstAnswerMs.toFixed(1)} ms, idle ${(run.idleRssBytes / 2 ** 20).toFixed(1)} MiB, warm ${(run.warmRssBytes / 2 ** 20).toFixed(1)} MiB`);
    }
  }
  return results;
}
