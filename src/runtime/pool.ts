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
  /** Stores an invocation's lines; writes sharing a commit may keep state in it (see LogCommit). */
  writeLogs(stream: string, lines: LogLine[], commit: LogCommit): void;
  now(): number;
  /** A timer on Fogbank's clock (idle reaping). */
  after(delayMs: number, callback: () => void): { cancel(): void };
}

/**
 * The one store transaction that pending log writes share. A writer keeps state for it under
 * a key (records read once, saved once); each state's finish() runs after every write, before the
 * commit.
 */
export interface LogCommit {
  shared<T extends { finish(): void }>(key: string, make: () => T): T;
}

/** Runs log writes sharing one commit, then finishes their shared state (inside the caller's transaction). */
export function runLogWrites(writes: ReadonlyArray<(commit: LogCommit) => void>): void {
  const states = new Map<string, { finish(): void }>();
  const commit: LogCommit = {
    shared: <T extends { finish(): void }>(key: string, make: () => T): T => {
      let state = states.get(key);
      if (!state) states.set(key, (state = make()));
      return state as T;
    },
  };
  for (const write of writes) {
    try {
      write(commit);
    } catch {
      // One stream's failure must not lose the others' lines.
    }
  }
  for (const state of states.values()) {
    try {
      state.finish();
    } catch {
      // As above.
    }
  }
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
  /** Moving average of warm invocations' time from assignment to result (ms). */
  private turnaroundMs?: number;
  /** When a worker of this pool last finished an invocation (performance.now()). */
  private lastFinished = 0;
  /** Invocations waiting briefly for a busy warm worker rather than starting one. */
  private holding = 0;

  constructor(
    private readonly api: RuntimeApiServer,
    private readonly apiAddress: string,
    /** Runs a log write soon, batched with others (the runtime's one transaction every few ms). */
    private readonly deferLogs: (write: (commit: LogCommit) => void) => void = (write) => runLogWrites([write]),
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
      this.turnaroundMs = undefined;
    }
    this.fn = fn;
    const invocation = new Invocation(request);
    const placed = await this.place(fn, invocation, queue);
    if (!placed) return 'throttled';
    const assignedAt = performance.now();
    await invocation.result;
    this.lastFinished = performance.now();
    if (placed === 'warm') this.turnaroundMs = this.turnaroundMs === undefined ? performance.now() - assignedAt : 0.8 * this.turnaroundMs + 0.2 * (performance.now() - assignedAt);
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
  private async place(fn: FunctionLaunch, invocation: Invocation, queue: boolean): Promise<'warm' | 'cold' | 'stopped' | false> {
    const arrived = performance.now();
    for (;;) {
      // Woken by stop() (Fogbank stopping, function deleted): no worker may start for it now; it
      // ends as the killed workers' invocations do.
      if (this.stopped) {
        invocation.finish(Buffer.from(JSON.stringify({ errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${invocation.requestId} Error: Runtime exited with error: signal: killed` })), 'Unhandled');
        return 'stopped';
      }
      const [idle, busyAhead] = this.idleWorker();
      const wait = idle ? (busyAhead === 0 ? 0 : this.waitBefore(arrived, busyAhead, false)) : this.size < fn.maxWorkers ? this.waitBefore(arrived, this.size, true) : undefined;
      if (wait !== undefined && wait <= 0) {
        if (idle) {
          idle.assign(invocation);
          return 'warm';
        }
        await this.start(fn, invocation);
        return 'cold';
      }
      if (wait !== undefined) {
        this.holding++;
        try {
          await this.waitForWorker(wait);
        } finally {
          this.holding--;
        }
        continue;
      }
      if (!queue) return false;
      await this.waitForWorker();
    }
  }

  /**
   * How much longer an invocation that found the pool's first `active` workers busy waits for one
   * of them before it spreads to another worker: an idle one later in start order, or a new one
   * (0: go now). When Fogbank itself is the bottleneck, sixteen callers in flight keep a few quick
   * workers busy, and sixteen processes on a small machine cost more (context switches, a JIT per
   * process, cold starts) than a short wait: measured with wrk at 16 connections, 4 workers served
   * about twice the invokes per second of 16. So an invocation spreads at once when nothing is
   * known about the function's warm invocations yet, or when more than three invocations wait per
   * active worker; otherwise once no worker finished anything for a few of its usual turnarounds:
   * 2 to 10 ms before an idle warm worker is used, 20 to 100 ms before a new one starts (and not
   * while another is still starting), since a cold start costs more than that.
   */
  private waitBefore(arrived: number, active: number, cold: boolean): number {
    if (this.turnaroundMs === undefined || active === 0) return 0;
    if (this.holding + 1 > 3 * active) return 0;
    const grace = cold ? Math.min(100, Math.max(20, 4 * this.turnaroundMs)) : Math.min(10, Math.max(2, 4 * this.turnaroundMs));
    // A worker still starting adds capacity soon; starting more meanwhile only slows it down.
    if (cold && (this.starting > 0 || [...this.workers].some((w) => w.state === 'init'))) return grace;
    return Math.max(arrived, this.lastFinished) + grace - performance.now();
  }

  /** The first idle worker in start order (a light load keeps reusing the same few), and how many busy ones come before it. */
  private idleWorker(): [Worker | undefined, number] {
    let busy = 0;
    for (const worker of this.workers) {
      if (worker.idle) return [worker, busy];
      busy++;
    }
    return [undefined, busy];
  }

  /** Until a worker frees up (or the pool stops), or `timeoutMs` passed. */
  private waitForWorker(timeoutMs?: number): Promise<void> {
    return new Promise<void>((resolve) => {
      if (timeoutMs === undefined) {
        this.waiting.push(resolve);
        return;
      }
      // Real time, not Fogbank's clock: a scheduling pause no function observes.
      const wake = (): void => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        const at = this.waiting.indexOf(wake);
        if (at >= 0) this.waiting.splice(at, 1);
        resolve();
      }, timeoutMs);
      this.waiting.push(wake);
    });
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
        writeLogs: (stream, lines) => this.deferLogs((commit) => fn.writeLogs(stream, lines, commit)),
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
