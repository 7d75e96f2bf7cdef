// The one clock every service reads. Tests move it forward instead of sleeping:
// advancing fires every timer that has come due, in order of due time.

export interface Timer {
  cancel(): void;
}

interface PendingTimer {
  dueAt: number;
  callback: () => void;
  realTimer?: NodeJS.Timeout;
  done: boolean;
}

export class Clock {
  private offsetMs = 0;
  private readonly pending = new Set<PendingTimer>();

  /** Milliseconds since the epoch, as Fogbank sees it. */
  now(): number {
    return Date.now() + this.offsetMs;
  }

  date(): Date {
    return new Date(this.now());
  }

  /** Moves time forward and runs every timer that came due, earliest first. */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError('the clock only moves forward');
    this.offsetMs += ms;
    this.fireDue();
  }

  /** Sets Fogbank's time to an absolute instant (forward only). */
  setTime(epochMs: number): void {
    this.advance(Math.max(0, epochMs - this.now()));
  }

  /** Runs callback once Fogbank's time reaches dueAt (ms since epoch), whether by waiting or by advance(). */
  at(dueAt: number, callback: () => void): Timer {
    const timer: PendingTimer = { dueAt, callback, done: false };
    this.pending.add(timer);
    this.arm(timer);
    return { cancel: () => this.finish(timer) };
  }

  after(delayMs: number, callback: () => void): Timer {
    return this.at(this.now() + delayMs, callback);
  }

  /** Cancels every timer: used when Fogbank stops or resets. */
  cancelAll(): void {
    for (const timer of [...this.pending]) this.finish(timer);
  }

  private arm(timer: PendingTimer): void {
    // setTimeout's limit is about 24.8 days; longer waits re-arm on expiry.
    const wait = Math.min(Math.max(0, timer.dueAt - this.now()), 2 ** 31 - 1);
    timer.realTimer = setTimeout(() => {
      if (timer.done) return;
      if (this.now() >= timer.dueAt) this.run(timer);
      else this.arm(timer);
    }, wait);
    timer.realTimer.unref();
  }

  private fireDue(): void {
    const due = [...this.pending].filter((t) => t.dueAt <= this.now()).sort((a, b) => a.dueAt - b.dueAt);
    for (const timer of due) this.run(timer);
  }

  private run(timer: PendingTimer): void {
    if (timer.done) return;
    this.finish(timer);
    timer.callback();
  }

  private finish(timer: PendingTimer): void {
    timer.done = true;
    if (timer.realTimer) clearTimeout(timer.realTimer);
    this.pending.delete(timer);
  }
}
