// Starting and stopping the servers under test, and reading their memory. Every server is
// spawned in its own process group and remembered, so whatever happens (error, Ctrl-C, the
// watchdog) the group is killed before the benchmark exits.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROBE, send, type Answer } from './requests.js';

export type ServerKind = 'fogbank' | 'fogbank-in-memory' | 'moto';

export interface RunningServer {
  kind: ServerKind;
  port: number;
  pid: number;
  child: ChildProcess;
  /** process.hrtime.bigint() just before spawn(). */
  spawnedAt: bigint;
  /** Where the server's stdout and stderr go (for diagnostics). */
  logFile: string;
  workDir: string;
  exited: Promise<void>;
}

export interface Python {
  executable: string;
  motoVersion: string;
}

const FOGBANK_CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const live = new Set<RunningServer>();

/**
 * The Python interpreter that has moto, resolved once: spawning it directly (not through a
 * pyenv-style `python3` shim) means the pid we watch is the server, and no shim time is counted.
 */
export function findMoto(): Python | undefined {
  const probe = spawnSync('python3', ['-c', 'import sys, moto; print(sys.executable); print(moto.__version__)'], { encoding: 'utf8', timeout: 30_000 });
  if (probe.status !== 0) return undefined;
  const [executable, motoVersion] = probe.stdout.trim().split('\n');
  return executable && motoVersion ? { executable, motoVersion } : undefined;
}

/** A port nobody listens on right now (the OS picks it; released just before use). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

function command(kind: ServerKind, port: number, workDir: string, python: Python | undefined): [string, string[]] {
  const where = ['--host', '127.0.0.1', '--port', String(port)];
  switch (kind) {
    case 'fogbank':
      return [process.execPath, [FOGBANK_CLI, 'start', ...where, '--data-dir', join(workDir, 'data')]];
    case 'fogbank-in-memory':
      return [process.execPath, [FOGBANK_CLI, 'start', ...where, '--in-memory']];
    case 'moto':
      if (!python) throw new Error('moto is not installed');
      return [python.executable, ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)]];
  }
}

export async function startServer(kind: ServerKind, python?: Python): Promise<RunningServer> {
  const port = await freePort();
  const workDir = mkdtempSync(join(tmpdir(), `bench-${kind}-`));
  const logFile = join(workDir, 'server.log');
  const log = openSync(logFile, 'w');
  const [file, args] = command(kind, port, workDir, python);
  const spawnedAt = process.hrtime.bigint();
  const child = spawn(file, args, { cwd: workDir, stdio: ['ignore', log, log], detached: true, env: { ...process.env, PYTHONUNBUFFERED: '1' } });
  closeSync(log);
  // A missing executable is reported through 'error' (and no pid), not by spawn() throwing.
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  if (child.pid === undefined) throw new Error(`could not start ${kind}: ${file}`);
  const server: RunningServer = { kind, port, pid: child.pid, child, spawnedAt, logFile, workDir, exited };
  live.add(server);
  return server;
}

export interface FirstAnswer {
  ms: number;
  answer: Answer;
  attempts: number;
}

/** Polls with the readiness probe every pollMs until the server answers; bounded in time and count. */
export async function waitForFirstAnswer(server: RunningServer, { pollMs = 3, timeoutMs = 30_000 } = {}): Promise<FirstAnswer> {
  const deadline = Date.now() + timeoutMs;
  const maxAttempts = Math.ceil(timeoutMs / pollMs) + 1;
  let exitedEarly = false;
  void server.exited.then(() => (exitedEarly = true));
  for (let attempts = 1; attempts <= maxAttempts && Date.now() < deadline; attempts++) {
    if (exitedEarly) break;
    try {
      const answer = await send(server.port, PROBE, Math.max(1, deadline - Date.now()));
      return { ms: Number(process.hrtime.bigint() - server.spawnedAt) / 1e6, answer, attempts };
    } catch {
      await sleep(pollMs);
    }
  }
  throw new Error(`${server.kind} did not answer within ${timeoutMs} ms${exitedEarly ? ' (it exited)' : ''}; log: ${tail(server.logFile)}`);
}

export async function stopServer(server: RunningServer): Promise<void> {
  if (!live.has(server)) return;
  killGroup(server, 'SIGTERM');
  const stopped = await Promise.race([server.exited.then(() => true), sleep(3_000).then(() => false)]);
  if (!stopped) {
    killGroup(server, 'SIGKILL');
    await Promise.race([server.exited, sleep(2_000)]);
  }
  live.delete(server);
  rmSync(server.workDir, { recursive: true, force: true });
}

/** Last resort, synchronous (safe in an 'exit' handler): SIGKILL every server still running. */
export function killAllServers(): void {
  for (const server of live) {
    killGroup(server, 'SIGKILL');
    try {
      rmSync(server.workDir, { recursive: true, force: true });
    } catch {
      // Best effort: the directory is under the OS temp dir.
    }
  }
  live.clear();
}

function killGroup(server: RunningServer, signal: NodeJS.Signals): void {
  try {
    process.kill(-server.pid, signal);
  } catch {
    try {
      process.kill(server.pid, signal);
    } catch {
      // Already gone.
    }
  }
}

/** Resident set size in bytes of a process plus all its descendants (Linux /proc). */
export function treeRss(pid: number): number {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name may hold spaces and parentheses; fields resume after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // The process ended while we looked.
    }
  }
  let total = 0;
  const pending = [pid];
  for (let guard = 0; pending.length > 0 && guard < 10_000; guard++) {
    const current = pending.pop()!;
    total += rssOf(current);
    pending.push(...(children.get(current) ?? []));
  }
  return total;
}

function rssOf(pid: number): number {
  try {
    const kib = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kib ? Number(kib) * 1024 : 0;
  } catch {
    return 0;
  }
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').slice(-600).trim() || '(empty)';
  } catch {
    return '(unreadable)';
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
