// Long polls: a ReceiveMessage that finds nothing parks here until a message arrives, one becomes
// visible, or its wait ends — never by polling. A send wakes as many parked receives as it made
// messages visible; messages that become visible with time (delays, visibility timeouts) wake
// them through one timer per queue on Fogbank's clock, armed only while someone waits. Nothing
// here needs to survive a restart: parked requests die with their connections.

import type { Clock, Timer } from '../../clock.js';
import type { Store } from '../../store/store.js';

export type WakeReason = 'message' | 'timeout';

interface Waiter {
  resolve(reason: WakeReason): void;
  deadline: Timer;
  /** How many messages this receive takes at most. */
  max: number;
}

interface QueueWaiters {
  waiters: Waiter[];
  timer?: Timer;
  timerAt?: number;
}

export class LongPolls {
  private readonly queues = new Map<string, QueueWaiters>();

  constructor(private readonly clock: Clock) {}

  has(queueId: string): boolean {
    return (this.queues.get(queueId)?.waiters.length ?? 0) > 0;
  }

  /** Resolves with 'message' when woken, or 'timeout' at the deadline (ms on Fogbank's clock). */
  park(queueId: string, deadline: number, max: number): Promise<WakeReason> {
    let entry = this.queues.get(queueId);
    if (!entry) this.queues.set(queueId, (entry = { waiters: [] }));
    const queue = entry;
    return new Promise<WakeReason>((resolve) => {
      const waiter: Waiter = {
        resolve: (reason) => {
          waiter.deadline.cancel();
          const i = queue.waiters.indexOf(waiter);
          if (i >= 0) queue.waiters.splice(i, 1);
          if (queue.waiters.length === 0) this.forget(queueId, queue);
          resolve(reason);
        },
        deadline: { cancel: () => undefined },
        max,
      };
      queue.waiters.push(waiter);
      waiter.deadline = this.clock.at(deadline, () => waiter.resolve('timeout'));
    });
  }

  /** Wakes parked receives, oldest first, enough to take `messages` messages. */
  wake(queueId: string, messages: number): void {
    const entry = this.queues.get(queueId);
    if (!entry) return;
    let covered = 0;
    for (const waiter of entry.waiters.slice()) {
      if (covered >= messages) break;
      covered += waiter.max;
      waiter.resolve('message');
    }
  }

  /** Wakes one parked receive once Fogbank's clock reaches `at` (the next time a message becomes visible). */
  wakeAt(queueId: string, at: number | undefined): void {
    const entry = this.queues.get(queueId);
    if (!entry || entry.waiters.length === 0) return;
    if (at === undefined) {
      entry.timer?.cancel();
      entry.timer = entry.timerAt = undefined;
      return;
    }
    if (entry.timer && entry.timerAt === at) return;
    entry.timer?.cancel();
    entry.timerAt = at;
    entry.timer = this.clock.at(at, () => {
      entry.timer = entry.timerAt = undefined;
      this.wake(queueId, 1);
    });
  }

  private forget(queueId: string, entry: QueueWaiters): void {
    entry.timer?.cancel();
    if (this.queues.get(queueId) === entry) this.queues.delete(queueId);
  }
}

const registry = new WeakMap<Store, LongPolls>();

export function longPolls(store: Store, clock: Clock): LongPolls {
  let polls = registry.get(store);
  if (!polls) registry.set(store, (polls = new LongPolls(clock)));
  return polls;
}
