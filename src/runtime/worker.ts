// One execution environment: a child process running a bootstrap that speaks the Runtime API,
// serving one invocation at a time. Its output becomes the function's log lines; it is killed on
// timeout and replaced by the pool when it dies.

import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { errorJson, Invocation, type LogLine, MAX_RESPONSE_BYTES } from './invocation.js';
import { invocationLog } from './function-logs.js';
import { ChildProcesses, unwatchMemory, watchMemory, type MemoryWatched } from './memory-watch.js';
import type { Reply } from './runtime-api.js';

export interface LaunchSpec {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  functionName: string;
  version: string;
  memorySize: number;
  timeoutSeconds: number;
}

export interface WorkerHooks {
  /** Fogbank's clock, for log timestamps. */
  now(): number;
  /** Stores log lines, soon (batched): the caller's answer does not wait for it. */
  writeLogs(stream: string, lines: LogLine[]): void;
  /** The worker is gone (exited or killed); the pool forgets it. */
  dead(worker: Worker): void;
  /** The worker died idle with an invocation assigned but not yet delivered: run it elsewhere. */
  orphaned(invocation: Invocation): void;
}

const statusBuffer = Buffer.alloc(8192);
const ACCEPTED = Buffer.from('{"status":"OK"}');

/** How Lambda's runtime manager (written in Go) names the signal that ended a runtime. */
const SIGNAL_NAMES: Partial<Record<NodeJS.Signals, string>> = {
  SIGKILL: 'killed',
  SIGABRT: 'aborted',
  SIGSEGV: 'segmentation fault',
  SIGTERM: 'terminated',
  SIGINT: 'interrupt',
  SIGBUS: 'bus error',
  SIGILL: 'illegal instruction',
  SIGFPE: 'floating point exception',
  SIGHUP: 'hangup',
  SIGPIPE: 'broken pipe',
  SIGQUIT: 'quit',
};

/**
 * Signals whose default action dumps core: Lambda's sandbox lets them, so its runtime manager adds
 * Go's " (core dumped)" (V8 aborting at its heap limit reads "signal: aborted (core dumped)").
 */
const CORE_SIGNALS = new Set<NodeJS.Signals>(['SIGABRT', 'SIGSEGV', 'SIGBUS', 'SIGILL', 'SIGFPE', 'SIGQUIT', 'SIGTRAP', 'SIGSYS', 'SIGXCPU', 'SIGXFSZ']);

/**
 * Kilobytes per memory page, for statm's page counts (4 on most Linux machines, 16 or 64 on some
 * arm64 ones): this process's resident size in both units, rounded to a power of two; 0 where
 * /proc is missing.
 */
const PAGE_KB = ((): number => {
  try {
    const pages = Number(readFileSync('/proc/self/statm', 'latin1').split(' ')[1]);
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'latin1'))?.[1]);
    const ratio = kb / pages;
    return Number.isFinite(ratio) && ratio > 0 ? 2 ** Math.round(Math.log2(ratio)) : 0;
  } catch {
    return 0;
  }
})();

/** An invocation this short cannot have grown and released much memory unseen (see maxMemoryUsed). */
const QUICK_INVOCATION_MS = 1;

/** AWS gives a runtime 10 seconds to initialise. */
const INIT_LIMIT_MS = 10_000;

export class Worker implements MemoryWatched {
  readonly token = randomBytes(16).toString('hex');
  readonly logStream: string;
  state: 'init' | 'ready' | 'busy' | 'dead' = 'init';
  current?: Invocation;
  /** Fogbank's time when the worker last finished an invocation (or started), for idle reaping. */
  lastUsed: number;
  private readonly child: ChildProcess;
  private pendingNext?: Reply;
  private pendingLines: LogLine[] = [];
  private readonly startedAt = performance.now();
  private initDuration?: number;
  private initReported = false;
  private initTimer?: NodeJS.Timeout;
  private timedOut = false;
  private initError?: Buffer;
  private spawnError?: string;
  private statusFd?: number;
  /** The peak of the worker and its child processes together, while it had any. */
  private treePeakMb = 0;
  /** Killed for outgrowing MemorySize: its invocation answers Runtime.OutOfMemory. */
  private outOfMemory = false;
  private children?: ChildProcesses;
  private statmFd?: number;
  private peakKb = 0;

  constructor(
    private readonly spec: LaunchSpec,
    runtimeApi: string,
    private readonly hooks: WorkerHooks,
  ) {
    this.lastUsed = hooks.now();
    const day = new Date(hooks.now()).toISOString().slice(0, 10).replace(/-/g, '/');
    this.logStream = `${day}/[${spec.version}]${this.token}`;
    const env = { ...spec.env, AWS_LAMBDA_RUNTIME_API: `${runtimeApi}/${this.token}`, AWS_LAMBDA_LOG_STREAM_NAME: this.logStream };
    this.child = spawn(spec.command, spec.args, { cwd: spec.cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.on('error', (error: NodeJS.ErrnoException) => {
      // A process that never started sends no exit event: the runtime's entry point is unusable.
      if (this.child.pid !== undefined) return;
      const reason = error.code === 'EACCES' ? 'permission denied' : error.code === 'ENOENT' ? 'no such file or directory' : error.message;
      this.spawnError = `fork/exec ${spec.command}: ${reason}`;
      setImmediate(() => this.exited(127, null));
    });
    this.child.on('exit', (code, signal) => setImmediate(() => this.exited(code, signal)));
    this.capture(this.child.stdout!);
    this.capture(this.child.stderr!);
    // Nothing here may keep Fogbank's process alive; closing stdin is the worker's signal to exit.
    this.child.unref();
    for (const stream of [this.child.stdin, this.child.stdout, this.child.stderr]) (stream as unknown as { unref?: () => void }).unref?.();
    this.initTimer = setTimeout(() => this.initTimedOut(), INIT_LIMIT_MS);
    this.initTimer.unref();
    watchMemory(this);
  }

  get idle(): boolean {
    return this.state !== 'dead' && this.current === undefined;
  }

  /** Gives the worker an invocation; it is delivered at the worker's next /next. */
  assign(invocation: Invocation): void {
    this.current = invocation;
    if (this.pendingNext) this.deliver(this.pendingNext);
  }

  /** GET /runtime/invocation/next: answered now if an invocation waits, else held open. */
  next(res: Reply): void {
    if (this.initDuration === undefined) {
      this.initDuration = performance.now() - this.startedAt;
      clearTimeout(this.initTimer);
      // A first reading, so a worker that later crashes or times out still reports its memory.
      this.maxMemoryUsed();
    }
    this.state = 'ready';
    if (this.current && !this.current.delivered) this.deliver(res);
    else this.pendingNext = res;
  }

  private deliver(res: Reply): void {
    const invocation = this.current!;
    this.pendingNext = undefined;
    this.state = 'busy';
    invocation.delivered = true;
    watchMemory(this);
    invocation.deliveredAt = performance.now();
    invocation.deadline = Date.now() + this.spec.timeoutSeconds * 1000;
    invocation.lines.push({ timestamp: this.hooks.now(), message: `START RequestId: ${invocation.requestId} Version: ${this.spec.version}` });
    // Function timeouts run on real time: the worker's own clock counts the deadline down.
    invocation.timer = setTimeout(() => this.timeOut(invocation), this.spec.timeoutSeconds * 1000);
    invocation.timer.unref();
    const headers: Record<string, string> = {
      'lambda-runtime-aws-request-id': invocation.requestId,
      'lambda-runtime-deadline-ms': String(invocation.deadline),
      'lambda-runtime-invoked-function-arn': invocation.request.invokedArn,
      'lambda-runtime-trace-id': traceId(),
    };
    if (invocation.request.clientContext) headers['lambda-runtime-client-context'] = invocation.request.clientContext;
    res.send(200, invocation.request.payload, headers);
  }

  /** POST /runtime/invocation/<id>/response or /error. */
  answer(requestId: string, body: Buffer, failed: boolean, res: Reply): void {
    const invocation = this.current;
    if (!invocation || invocation.requestId !== requestId || !invocation.delivered) {
      res.send(400, JSON.stringify({ errorMessage: `Invalid request ID: ${requestId}`, errorType: 'InvalidRequestID' }));
      return;
    }
    if (!failed && body.length > MAX_RESPONSE_BYTES) {
      res.send(413, JSON.stringify({ errorMessage: `Exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`, errorType: 'RequestEntityTooLarge' }));
      const message = `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`;
      setImmediate(() => this.complete(invocation, Buffer.from(JSON.stringify({ errorMessage: message, errorType: 'Function.ResponseSizeTooLarge' })), 'Unhandled'));
      return;
    }
    // Output written just before the answer may still be in the pipe: let it land first. The
    // caller's answer then goes out before the worker's 202, which the worker need not wait for.
    setImmediate(() => {
      this.complete(invocation, body, failed ? 'Unhandled' : undefined);
      setImmediate(() => res.send(202, ACCEPTED));
    });
  }

  /** POST /runtime/init/error: the invocation waiting on this worker fails with the runtime's payload. */
  failedInit(body: Buffer, res: Reply): void {
    res.send(202, ACCEPTED);
    this.initError = body;
    this.initDuration ??= performance.now() - this.startedAt;
  }

  private complete(invocation: Invocation, payload: Buffer, functionError?: string, status?: string, errorType?: string, extra: string[] = []): void {
    if (invocation.settled) return;
    const duration = invocation.delivered ? performance.now() - invocation.deliveredAt : 0;
    const maxMemoryUsedMb = Math.max(this.maxMemoryUsed(invocation.delivered && !status && duration < QUICK_INVOCATION_MS), this.treePeakMb);
    // The runtime answered, but it outgrew its memory since the last look: on AWS it would not have lived to.
    if (status === undefined && maxMemoryUsedMb > this.spec.memorySize) return this.killForMemory();
    const init = this.initReported ? undefined : this.initDuration;
    this.initReported = true;
    const lines = invocationLog({
      before: this.pendingLines,
      lines: invocation.lines,
      requestId: invocation.requestId,
      version: this.spec.version,
      started: invocation.delivered,
      durationMs: duration,
      initDurationMs: init,
      memorySize: this.spec.memorySize,
      // AWS's cgroup never lets usage pass the limit: a worker killed for memory used all of it.
      maxMemoryUsedMb: Math.min(maxMemoryUsedMb, this.spec.memorySize),
      status,
      errorType,
      after: extra,
      now: this.hooks.now(),
    });
    this.pendingLines = [];
    this.hooks.writeLogs(this.logStream, lines);
    invocation.logLines = lines;
    invocation.finish(payload, functionError, status, errorType);
    if (this.current === invocation) this.current = undefined;
    this.lastUsed = this.hooks.now();
    if (this.state === 'busy') this.state = 'ready';
  }

  private timeOut(invocation: Invocation): void {
    if (invocation.settled) return;
    this.timedOut = true;
    const seconds = this.spec.timeoutSeconds.toFixed(2);
    const stamp = new Date(this.hooks.now()).toISOString();
    this.kill();
    this.complete(invocation, errorJson('Sandbox.Timedout', `RequestId: ${invocation.requestId} Error: Task timed out after ${seconds} seconds`), 'Unhandled', 'timeout', undefined, [
      `${stamp} ${invocation.requestId} Task timed out after ${seconds} seconds`,
    ]);
  }

  private initTimedOut(): void {
    if (this.state !== 'init') return;
    this.timedOut = true;
    this.kill();
    const invocation = this.current;
    if (invocation) {
      this.complete(invocation, errorJson('Sandbox.Timedout', `RequestId: ${invocation.requestId} Error: Task timed out after ${(INIT_LIMIT_MS / 1000).toFixed(2)} seconds`), 'Unhandled', 'timeout');
    }
  }

  private exited(code: number | null, signal: NodeJS.Signals | null): void {
    const wasDead = this.state === 'dead';
    this.closeStatus();
    unwatchMemory(this);
    this.children?.close();
    this.state = 'dead';
    this.pendingNext = undefined;
    const invocation = this.current;
    if (invocation && !invocation.settled && !invocation.delivered && !this.initError && this.initDuration !== undefined) {
      this.current = undefined;
      if (!wasDead) this.hooks.dead(this);
      this.hooks.orphaned(invocation);
      return;
    }
    if (invocation && !invocation.settled) {
      if (this.spawnError) {
        const message = `RequestId: ${invocation.requestId} Error: ${this.spawnError}`;
        invocation.lines.push({ timestamp: this.hooks.now(), message: `${message}\nRuntime.InvalidEntrypoint` });
        this.complete(invocation, errorJson('Runtime.InvalidEntrypoint', message), 'Unhandled', 'error', 'Runtime.InvalidEntrypoint');
      } else if (this.initError) {
        const type = safeErrorType(this.initError) ?? 'Runtime.Unknown';
        this.complete(invocation, this.initError, 'Unhandled', 'error', type);
      } else if (!this.timedOut) {
        const how = signal ? `signal: ${SIGNAL_NAMES[signal] ?? signal.toLowerCase().replace(/^sig/, '')}${CORE_SIGNALS.has(signal) ? ' (core dumped)' : ''}` : `exit status ${code}`;
        const message = `RequestId: ${invocation.requestId} Error: Runtime exited with error: ${how}`;
        const type = this.outOfMemory ? 'Runtime.OutOfMemory' : 'Runtime.ExitError';
        invocation.lines.push({ timestamp: this.hooks.now(), message: `${message}\n${type}` });
        this.complete(invocation, errorJson(type, message), 'Unhandled', 'error', type);
      }
    } else if (this.pendingLines.length) {
      this.hooks.writeLogs(this.logStream, this.pendingLines);
      this.pendingLines = [];
    }
    if (!wasDead) this.hooks.dead(this);
  }

  kill(): void {
    if (this.state === 'dead') return;
    this.state = 'dead';
    clearTimeout(this.initTimer);
    this.child.stdin?.destroy();
    this.child.kill('SIGKILL');
    this.hooks.dead(this);
  }

  get active(): boolean {
    return this.state === 'busy' || this.state === 'init';
  }

  /** Kills the worker once it and the processes it started hold more than MemorySize (see memory-watch.ts). */
  checkMemory(): void {
    if (!this.active || this.child.pid === undefined) return;
    if (this.maxMemoryUsed() > this.spec.memorySize) return this.killForMemory();
    const tree = (this.children ??= new ChildProcesses(this.child.pid)).measure();
    if (tree.pids.length === 0) return;
    this.treePeakMb = Math.max(this.treePeakMb, tree.mb);
    if (tree.mb > this.spec.memorySize) this.killForMemory(tree.pids);
  }

  /** As the kernel ends a sandbox past its cgroup's limit: SIGKILL, the runtime's children with it. */
  private killForMemory(children = (this.children ??= new ChildProcesses(this.child.pid)).measure().pids): void {
    if (this.state === 'dead') return;
    this.outOfMemory = true;
    for (const pid of children) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    this.kill();
  }

  /**
   * The worker process's peak resident memory (VmHWM), as Max Memory Used reports it; Linux only,
   * elsewhere 0. The /proc files stay open: each read at offset 0 is a fresh snapshot. The status
   * file costs several times what statm does, so after a quick invocation (`quick`) whose resident
   * size stayed below the known peak, the known peak stands: it could only have grown if memory
   * above it was touched and given back within that one invocation of under QUICK_INVOCATION_MS.
   */
  private maxMemoryUsed(quick = false): number {
    try {
      if (quick && this.peakKb > 0 && PAGE_KB > 0) {
        this.statmFd ??= openSync(`/proc/${this.child.pid}/statm`, 'r');
        const n = readSync(this.statmFd, statusBuffer, 0, 128, 0);
        const residentPages = Number(statusBuffer.toString('latin1', 0, n).split(' ')[1]);
        if (residentPages * PAGE_KB < this.peakKb) return Math.ceil(this.peakKb / 1024);
      }
      this.statusFd ??= openSync(`/proc/${this.child.pid}/status`, 'r');
      const n = readSync(this.statusFd, statusBuffer, 0, statusBuffer.length, 0);
      const kb = Number(/VmHWM:\s+(\d+)/.exec(statusBuffer.toString('latin1', 0, n))?.[1] ?? 0);
      this.peakKb = Math.max(this.peakKb, kb);
    } catch {
      // The process is gone (crash, timeout kill): its last reading stands.
    }
    return Math.ceil(this.peakKb / 1024);
  }

  private closeStatus(): void {
    for (const fd of [this.statusFd, this.statmFd]) {
      if (fd === undefined) continue;
      try {
        closeSync(fd);
      } catch {
        // already closed
      }
    }
    this.statusFd = this.statmFd = undefined;
  }

  private capture(stream: NodeJS.ReadableStream): void {
    let partial = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop()!;
      for (const line of parts) this.captureLine(line);
    });
    stream.on('end', () => {
      if (partial) this.captureLine(partial);
      partial = '';
    });
  }

  private captureLine(text: string): void {
    const line = { timestamp: this.hooks.now(), message: text.replace(/\r/g, '\n') };
    const invocation = this.current;
    if (invocation?.delivered && !invocation.settled) invocation.lines.push(line);
    else this.pendingLines.push(line);
  }
}

/** An X-Ray trace header (random ids from randomUUID's pooled entropy, cheaper than randomBytes). */
function traceId(): string {
  const hex = (randomUUID() + randomUUID()).replace(/-/g, '');
  return `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${hex.slice(0, 24)};Parent=${hex.slice(24, 40)};Sampled=0`;
}

function safeErrorType(body: Buffer): string | undefined {
  try {
    const value = JSON.parse(body.toString('utf8')) as { errorType?: unknown };
    return typeof value.errorType === 'string' ? value.errorType : undefined;
  } catch {
    return undefined;
  }
}
