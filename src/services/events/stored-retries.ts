// Retries waiting on the clock, kept in the store so a restart (even kill -9) loses none: each is a
// record in the service's `retries` collection with its due time and what to try again, and a clock
// timer in the shared per-store timer table. When the timer fires the work runs, then the record
// goes: a crash in between tries it once more at the next start (at least once, as AWS delivers).
// At start, resume() re-arms every stored retry of a scope (registry: resumeFrom lists `retries`);
// one whose moment passed while Fogbank was stopped runs at once. EventBridge targets and
// Scheduler's both use this.

import { randomUUID } from 'node:crypto';
import { keyedTimers } from '../common/keyed-timers.js';
import type { RequestContext } from '../types.js';

interface StoredRetry<W> {
  due: number;
  work: W;
}

export class StoredRetries<W> {
  /**
   * @param service the service whose store collection (`retries`) and timer table hold the retries
   * @param run tries the work again (it stores its own next retry if this one fails too)
   */
  constructor(
    private readonly service: string,
    private readonly run: (ctx: RequestContext, work: W) => Promise<void>,
  ) {}

  private records(ctx: RequestContext) {
    return ctx.collection<StoredRetry<W>>('retries');
  }

  /** Keeps the work to be run again at `due` (ms since epoch). */
  schedule(ctx: RequestContext, due: number, work: W): void {
    // Keys sort by due time, so a scope's retries list in the order they come due.
    const id = `${String(due).padStart(15, '0')}-${randomUUID()}`;
    this.records(ctx).put(id, { due, work });
    this.arm(ctx, id, due);
  }

  /** Re-arms every stored retry of the context's account and region (at start). */
  resume(ctx: RequestContext): void {
    for (const [id, record] of this.records(ctx).list()) this.arm(ctx, id, record.due);
  }

  private arm(ctx: RequestContext, id: string, due: number): void {
    const timers = keyedTimers(ctx.store, `${this.service}:retries`);
    const key = `${ctx.account}/${ctx.region}/${id}`;
    timers.set(
      key,
      ctx.clock.at(due, () => {
        timers.fired(key);
        void this.fire(ctx, id);
      }),
    );
  }

  private async fire(ctx: RequestContext, id: string): Promise<void> {
    try {
      const record = this.records(ctx).get(id);
      if (!record) return;
      await this.run(ctx, record.work);
      this.records(ctx).delete(id);
    } catch {
      // A store closed under the retry (Fogbank stopping) leaves the record for the next start.
    }
  }
}
