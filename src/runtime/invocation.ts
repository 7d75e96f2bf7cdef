// One invocation on its way through a worker: its request, its log lines, and how it ended.

import { randomUUID } from 'node:crypto';

export interface InvokeRequest {
  payload: Buffer;
  clientContext?: string;
  /** The ARN the caller named (with its qualifier), as the runtime reports it. */
  invokedArn: string;
  /** The request id to run under (an Event invoke keeps the one its 202 answer gave); new when absent. */
  requestId?: string;
}

export interface InvokeResult {
  payload: Buffer;
  /** 'Unhandled' when the function failed. */
  functionError?: string;
  /** The end of the invocation's log (up to 4 KB), as LogType Tail returns it. */
  logTail: string;
  requestId: string;
}

export interface LogLine {
  timestamp: number;
  message: string;
}

/** AWS's limit on a synchronous response. */
export const MAX_RESPONSE_BYTES = 6_291_556;

export class Invocation {
  readonly requestId: string;
  readonly lines: LogLine[] = [];
  /** The whole log written for this invocation (START to REPORT), once it ended. */
  logLines: LogLine[] = [];
  delivered = false;
  deliveredAt = 0;
  deadline = 0;
  settled = false;
  timer?: NodeJS.Timeout;
  private resolveResult!: (result: { payload: Buffer; functionError?: string; status?: string; errorType?: string }) => void;
  readonly result = new Promise<{ payload: Buffer; functionError?: string; status?: string; errorType?: string }>((resolve) => (this.resolveResult = resolve));

  constructor(readonly request: InvokeRequest) {
    this.requestId = request.requestId ?? randomUUID();
  }

  finish(payload: Buffer, functionError?: string, status?: string, errorType?: string): void {
    if (this.settled) return;
    this.settled = true;
    if (this.timer) clearTimeout(this.timer);
    this.resolveResult({ payload, functionError, status, errorType });
  }
}

export function errorJson(errorType: string, errorMessage: string): Buffer {
  return Buffer.from(JSON.stringify({ errorType, errorMessage }));
}
