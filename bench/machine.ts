// What the figures were measured on, and how busy the machine was: on a 2-core box, other work
// running at the same time shifts every figure, so the report says how much there was.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { sleep } from './servers.js';

export function toolVersion(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 10_000 });
  if (result.error) return 'not installed';
  return (result.stdout || result.stderr).split('\n')[0]!.trim();
}

function cpuTimes(): { busy: number; total: number } {
  // user nice system idle iowait irq softirq steal; guest time is already inside user and nice.
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  return { busy: total - idle, total };
}

/** Percent of all CPUs busy over the next `ms` (Linux /proc/stat), or undefined elsewhere. */
export async function cpuBusyPercent(ms = 1000): Promise<number | undefined> {
  try {
    const before = cpuTimes();
    await sleep(ms);
    const after = cpuTimes();
    return after.total === before.total ? 0 : (100 * (after.busy - before.busy)) / (after.total - before.total);
  } catch {
    return undefined;
  }
}

/** CPU time (clock ticks) this process and its reaped children (servers, wrk) have used. */
function ownTicks(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
  // After the command name: utime, stime, cutime, cstime are fields 14-17 of the whole line.
  return fields[11]! + fields[12]! + fields[13]! + fields[14]!;
}

/**
 * How much of the machine other work used between start() and stop(): all CPU busy time minus
 * what the benchmark and the servers it started (once reaped) used. Stop after stopping servers.
 */
export function otherLoadMeter(): { stop(): number | undefined } {
  try {
    const before = { ...cpuTimes(), own: ownTicks() };
    return {
      stop() {
        const after = { ...cpuTimes(), own: ownTicks() };
        const total = after.total - before.total;
        if (total <= 0) return undefined;
        const others = after.busy - before.busy - (after.own - before.own);
        return Math.max(0, (100 * others) / total);
      },
    };
  } catch {
    return { stop: () => undefined };
  }
}

export function machineInfo(): Record<string, string | number> {
  return {
    nproc: availableParallelism(),
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryMiB: Math.round(totalmem() / 2 ** 20),
    loadAverage1mAtStart: Number(loadavg()[0]!.toFixed(2)),
  };
}
