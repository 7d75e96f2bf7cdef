// The approximate counts GetQueueAttributes reports, computed from the time-ordered indexes with
// the store's prefix counts: how many entries have a time at or before now is a sum of counts
// over the decimal prefixes below now's digits, so no message is read.

import type { Collection } from '../../store/store.js';
import { padTime, queuePrefix } from './keys.js';
import type { QueueRecord, QueueSpace } from './state.js';

function countUpTo(collection: Collection<unknown>, prefix: string, at: number): number {
  const digits = padTime(at);
  let total = 0;
  for (let i = 0; i < digits.length; i++) {
    const lead = prefix + digits.slice(0, i);
    for (let d = 0; d < Number(digits[i]); d++) total += collection.count(lead + d);
  }
  return total + collection.count(`${prefix}${digits}/`);
}

export interface QueueCounts {
  visible: number;
  notVisible: number;
  delayed: number;
}

export function queueCounts(space: QueueSpace, queue: QueueRecord, now: number): QueueCounts {
  const prefix = queuePrefix(queue.name);
  const index = (queue.fifo ? space.visibility : space.ready) as Collection<unknown>;
  const total = index.count(prefix);
  const visible = countUpTo(index, prefix, now);
  const delayedTotal = space.delayed.count(prefix);
  const delayed = delayedTotal === 0 ? 0 : delayedTotal - countUpTo(space.delayed as Collection<unknown>, prefix, now);
  return { visible, notVisible: total - visible - delayed, delayed };
}
