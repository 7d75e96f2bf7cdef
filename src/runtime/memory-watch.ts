// Lambda's memory limit as AWS applies it: the execution environment's cgroup holds the runtime and
// every process it starts to the function's MemorySize, and the kernel kills the runtime (SIGKILL)
// when they outgrow it; Lambda then answers Runtime.OutOfMemory. Fogbank has no cgroup of its own
// to put workers in, so it watches instead: while any worker initialises or runs an invocation, one
// shared timer reads each such worker's peak resident size (VmHWM, which also catches a spike
// between two looks) and its child processes' resident sizes, and the worker kills itself past the
// limit. A runtime that answers before the next look is caught by the reading its REPORT line
// already takes. Linux only (/proc); elsewhere memory is neither measured nor limited.

import { closeSync, openSync, readSync } from 'node:fs';

export interface MemoryWatched {
  /** Looks at the worker's memory; kills it when past its limit. */
  checkMemory(): void;
  /** Whether the worker is initialising or running an invocation (idle workers are not looked at). */
  readonly active: boolean;
}

/** How often active workers are looked at: V8 spends longer than this between outgrowing 128 MB and its own heap limit's abort. */
const POLL_MS = 20;
/** Looks without an active worker before the timer stops (restarted by the next invocation). */
const IDLE_TICKS = 50;

const watched = new Set<MemoryWatched>();
let timer: NodeJS.Timeout | undefined;
let idleTicks = 0;

/** Keeps looking at a worker until unwatchMemory; cheap enough to call on every delivery. */
export function watchMemory(worker: MemoryWatched): void {
  watched.add(worker);
  idleTicks = 0;
  if (timer) return;
  timer = setInterval(tick, POLL_MS);
  timer.unref();
}

export function unwatchMemory(worker: MemoryWatched): void {
  watched.delete(worker);
}

function tick(): void {
  let active = false;
  for (const worker of watched) {
    if (!worker.active) continue;
    active = true;
    try {
      worker.checkMemory();
    } catch {
      // A worker that vanished mid-look is handled by its exit.
    }
  }
  if (active) idleTicks = 0;
  else if (++idleTicks >= IDLE_TICKS && timer) {
    clearInterval(timer);
    timer = undefined;
  }
}

const buffer = Buffer.alloc(8192);

/**
 * The processes a worker started (a custom runtime's handler commands, a function's own
 * subprocesses), which AWS's cgroup counts with the runtime. The list of the worker's children stays
 * open: reading it is cheap and usually finds none.
 */
export class ChildProcesses {
  private fd?: number;

  constructor(private readonly pid: number | undefined) {}

  /**
   * The resident memory (MB) of the worker and all its descendants together, and the descendants'
   * pids; none (0 MB) when the worker has no children, its own peak then being the measure.
   */
  measure(): { mb: number; pids: number[] } {
    if (this.pid === undefined) return { mb: 0, pids: [] };
    try {
      this.fd ??= openSync(`/proc/${this.pid}/task/${this.pid}/children`, 'r');
      const first = childrenIn(buffer.toString('latin1', 0, readSync(this.fd, buffer, 0, buffer.length, 0)));
      if (first.length === 0) return { mb: 0, pids: [] };
      const { kb, pids } = descendants(first);
      return { mb: Math.ceil((kb + residentKb(this.pid)) / 1024), pids };
    } catch {
      return { mb: 0, pids: [] };
    }
  }

  close(): void {
    if (this.fd === undefined) return;
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
    this.fd = undefined;
  }
}

function childrenIn(text: string): number[] {
  return text.split(' ').filter(Boolean).map(Number);
}

function descendants(start: number[]): { kb: number; pids: number[] } {
  const pids: number[] = [];
  let kb = 0;
  const queue = [...start];
  while (queue.length && pids.length < 256) {
    const pid = queue.shift()!;
    pids.push(pid);
    kb += residentKb(pid);
    queue.push(...childrenIn(readProc(`/proc/${pid}/task/${pid}/children`)));
  }
  return { kb, pids };
}

function residentKb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readProc(`/proc/${pid}/status`))?.[1] ?? 0);
}

function readProc(path: string): string {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    return buffer.toString('latin1', 0, readSync(fd, buffer, 0, buffer.length, 0));
  } catch {
    return '';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
