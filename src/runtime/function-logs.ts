// A function's log as Lambda writes it: the runtime's own lines between START and END, then the
// REPORT line with durations and memory, in the Text log format.

import type { LogLine } from './invocation.js';

export interface InvocationLogInput {
  /** Lines written while no invocation ran (initialisation), shown before this one's. */
  before: LogLine[];
  lines: LogLine[];
  requestId: string;
  version: string;
  /** Whether the invocation reached the runtime (START already written). */
  started: boolean;
  durationMs: number;
  initDurationMs?: number;
  memorySize: number;
  maxMemoryUsedMb: number;
  /** 'timeout' or 'error' when the environment failed. */
  status?: string;
  errorType?: string;
  /** Lines Lambda writes after REPORT (the timeout notice). */
  after: string[];
  now: number;
}

export function invocationLog(input: InvocationLogInput): LogLine[] {
  const { requestId, now } = input;
  const out: LogLine[] = [...input.before];
  if (!input.started) {
    if (input.initDurationMs !== undefined && input.status === 'error') {
      out.push({ timestamp: now, message: `INIT_REPORT Init Duration: ${input.initDurationMs.toFixed(2)} ms\tPhase: init\tStatus: error\tError Type: ${input.errorType}` });
    }
    out.push({ timestamp: now, message: `START RequestId: ${requestId} Version: ${input.version}` });
  }
  out.push(...input.lines);
  out.push({ timestamp: now, message: `END RequestId: ${requestId}` });
  let report =
    `REPORT RequestId: ${requestId}\tDuration: ${input.durationMs.toFixed(2)} ms\tBilled Duration: ${Math.max(1, Math.ceil(input.durationMs))} ms\t` +
    `Memory Size: ${input.memorySize} MB\tMax Memory Used: ${input.maxMemoryUsedMb} MB\t`;
  if (input.initDurationMs !== undefined && input.started) report += `Init Duration: ${input.initDurationMs.toFixed(2)} ms\t`;
  if (input.status) report += `Status: ${input.status}${input.errorType ? `\tError Type: ${input.errorType}` : ''}`;
  out.push({ timestamp: now, message: report });
  for (const message of input.after) out.push({ timestamp: now, message });
  return out;
}

/** LogType Tail: the last 4 KB of the invocation's log, base64. */
export function logTail(lines: LogLine[]): string {
  const text = Buffer.from(lines.map((l) => l.message + '\n').join(''), 'utf8');
  return text.subarray(Math.max(0, text.length - 4096)).toString('base64');
}
