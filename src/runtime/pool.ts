// The warm workers of one function: reused one invocation at a time, more started under load up
// to a cap, and retired when the function's code or configuration changes (a new revision).

import { Invocation, type InvokeRequest, type LogLine } from './invocation.js';
import type { RuntimeApiServer } from './runtime-api.js';
import { Worker, type LaunchSpec } from './worker.js';

export interface FunctionLaunch {
  /** Changes whenever code or configuration does: workers of another revision are retired. */
  revision: string;
  maxWorkers: number;
  launch(): Promise<LaunchSpec>;
  writeLogs(stream: string, lines: LogLine[]): void;
  now(): number;
  /** A timer on Fogbank's clock (idle reaping). */
  after(delayMs: number, callback: () => void): { cancel(): void };
}

/**
 * How long an idle worker is kept before it is stopped (FOGBANK_LAMBDA_IDLE_SECONDS, default 600,
 * about what AWS keeps an idle execution environment). Measured on Fogbank's clock: it runs in
 * real time unless a test moves it, and moving it reaps without sleeping. Unlike a function's
 * timeout, nothing inside the worker observes this wait, so the clock can own it.
 */
export function idleLimitMs(): number {
  const seconds = Number(process.env.FOGBANK_LAMBDA_IDLE_SECONDS);
  return (Number.isFinite(seconds) && seconds >= 0 ? seconds : 600) * 1000;
}

export class FunctionPool {
  private readonly workers = new Set<Worker>();
  private revision?: string;
  private starting = 0;
  private readonly waiting: Array<() => void> = [];
  private fn?: FunctionLaunch;
  private stopped = false;
  private reaper?: { cancel(): void };

  constructor(
    private readonly api: RuntimeApiServer,
    private readonly apiAddress: string,
    /** Runs a log write soon, batched with others (the runtime's one transaction per tick). */
    private readonly deferLogs: (write: () => void) => Promise<void> = async (write) => write(),
  ) {}

  get size(): number {
    return this.workers.size + this.starting;
  }

  /**
   * Runs one invocation. With `queue`, waits for a worker when all are busy (Event invokes);
   * without, answers 'throttled' (RequestResponse answers TooManyRequestsException).
   */
  async invoke(fn: FunctionLaunch, request: InvokeRequest, queue: boolean): Promise<Invocation | 'throttled'> {
    if (this.revision !== fn.revision) {
      this.retireAll();
      this.revision = fn.revision;
    }
    this.fn = fn;
    const invocation = new Invocation(request);
    if (!(await this.place(fn, invocation, queue))) return 'throttled';
    await invocation.result;
    this.wakeOne();
    this.armReaper();
    return invocation;
  }

  /** One timer per pool, due when the longest-idle worker's time is up. */
  private armReaper(): void {
    if (this.reaper || this.stopped || !this.fn) return;
    const idle = [...this.workers].filter((w) => w.idle);
    if (idle.length === 0) return;
    const limit = idleLimitMs();
    const due = Math.min(...idle.map((w) => w.lastUsed)) + limit;
    this.reaper = this.fn.after(Math.max(0, due - this.fn.now()), () => {
      this.reaper = undefined;
      this.reap(limit);
    });
  }

  /** Stops workers idle for the limit or longer; re-arms for the rest. */
  private reap(limit: number): void {
    if (this.stopped || !this.fn) return;
    const now = this.fn.now();
    for (const worker of [...this.workers]) {
      if (worker.idle && worker.state === 'ready' && now - worker.lastUsed >= limit) {
        this.workers.delete(worker);
        worker.kill();
      }
    }
    this.armReaper();
  }

  /**
   * Gives the invocation to an idle worker, or to a new one under the cap. A worker is claimed in
   * the same tick it is found or made, so two invocations never share one.
   */
  private async place(fn: FunctionLaunch, invocation: Invocation, queue: boolean): Promise<boolean> {
    for (;;) {
      const idle = [...this.workers].find((w) => w.idle);
      if (idle) {
        idle.assign(invocation);
        return true;
      }
      if (this.size < fn.maxWorkers) {
        await this.start(fn, invocation);
        return true;
      }
      if (!queue) return false;
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  /** An invocation whose worker died before receiving it (killed from outside) goes to another. */
  private reassign(invocation: Invocation): void {
    const fn = this.fn!;
    if (this.stopped) {
      invocation.finish(Buffer.from(JSON.stringify({ errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${invocation.requestId} Error: Runtime exited with error: signal: killed` })), 'Unhandled');
      return;
    }
    void this.place(fn, invocation, true).catch(
      () => invocation.finish(Buffer.from(JSON.stringify({ errorType: 'Runtime.Unknown', errorMessage: 'No worker could be started' })), 'Unhandled'),
    );
  }

  private async start(fn: FunctionLaunch, invocation: Invocation): Promise<void> {
    this.starting++;
    try {
      const spec = await fn.launch();
      const worker = new Worker(spec, this.apiAddress, {
        now: fn.now,
        writeLogs: (stream, lines) => this.deferLogs(() => fn.writeLogs(stream, lines)),
        dead: (w) => this.forget(w),
        orphaned: (invocation) => this.reassign(invocation),
      });
      this.api.register(worker);
      this.workers.add(worker);
      worker.assign(invocation);
    } finally {
      this.starting--;
    }
  }

  private forget(worker: Worker): void {
    this.workers.delete(worker);
    this.api.unregister(worker);
    this.wakeOne();
  }

  private wakeOne(): void {
    this.waiting.shift()?.();
  }

  /** Stops idle workers now and busy ones as their invocation ends (their results still count). */
  retireAll(): void {
    for (const worker of [...this.workers]) {
      this.workers.delete(worker);
      if (worker.idle) worker.kill();
      else void worker.current!.result.then(() => worker.kill());
    }
  }

  /** Kills every worker at once (Fogbank stopping, function deleted). */
  stop(): void {
    this.stopped = true;
    this.reaper?.cancel();
    for (const worker of [...this.workers]) worker.kill();
    this.workers.clear();
    for (const wake of this.waiting.splice(0)) wake();
  }
}
