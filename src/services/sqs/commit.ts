// Runs a change as one store transaction, then wakes the long polls it concerns: as many parked
// receives as messages it made visible, and a timer for whatever becomes visible later.

import type { Clock } from '../../clock.js';
import type { Store } from '../../store/store.js';
import type { RequestContext } from '../types.js';
import { nextVisibleTime, Touched } from './engine.js';
import { longPolls } from './waiters.js';

export function commit<R>(ctx: RequestContext, change: (touched: Touched) => R): R {
  const touched = new Touched();
  const result = ctx.store.transaction(() => change(touched));
  wake(ctx.store, ctx.clock, touched);
  return result;
}

export function wake(store: Store, clock: Clock, touched: Touched): void {
  const polls = longPolls(store, clock);
  for (const [id, { space, queue, visible }] of touched.queues) {
    if (!polls.has(id)) continue;
    // Woken receives re-arm the timer for the others when they commit their own receive.
    if (visible > 0) polls.wake(id, visible);
    else polls.wakeAt(id, nextVisibleTime(space, queue.name));
  }
}
