// The message store operations every SQS action is built from: put a message in a queue, take
// the visible ones out for a receive, change when one is visible, remove one. Each keeps the
// indexes in state.ts consistent, and costs a few store operations per message touched,
// whatever the queue's depth. Callers run them inside one store transaction.

import { maxReceiveCount } from './attributes.js';
import {
  groupMemberKey,
  groupPrefix,
  messageKey,
  queuePrefix,
  seqOfTimeKey,
  sequenceNumber,
  timeKey,
  timeKeyBound,
  timeOfTimeKey,
} from './keys.js';
import { nextSeqs, queueAttribute, type MessageRecord, type QueueRecord, type QueueSpace } from './state.js';

/** Queues whose visible messages changed in a transaction, for waking long polls afterwards. */
export class Touched {
  readonly queues = new Map<string, { space: QueueSpace; queue: QueueRecord; visible: number }>();

  add(space: QueueSpace, queue: QueueRecord, visible = 0): void {
    const id = queueId(space, queue.name);
    const entry = this.queues.get(id);
    if (entry) entry.visible += visible;
    else this.queues.set(id, { space, queue, visible });
  }
}

export function queueId(space: QueueSpace, name: string): string {
  return `${space.account}/${space.region}/${name}`;
}

export function enqueue(space: QueueSpace, queue: QueueRecord, message: MessageRecord): void {
  const q = queue.name;
  space.messages.put(messageKey(q, message.seq), message);
  if (message.delayedUntil !== undefined) space.delayed.put(timeKey(q, message.delayedUntil, message.seq), 1);
  if (!queue.fifo) {
    space.ready.put(timeKey(q, message.visibleAt, message.seq), 1);
    return;
  }
  const group = message.group!;
  const hasHead = space.groups.list({ prefix: groupPrefix(q, group), limit: 1 }).length > 0;
  space.groups.put(groupMemberKey(q, group, message.seq), 1);
  space.visibility.put(timeKey(q, message.visibleAt, message.seq), 1);
  if (!hasHead) space.ready.put(timeKey(q, message.visibleAt, message.seq), { g: group });
}

function groupHead(space: QueueSpace, q: string, group: string): MessageRecord | undefined {
  const first = space.groups.list({ prefix: groupPrefix(q, group), limit: 1 })[0];
  if (!first) return undefined;
  return space.messages.get(messageKey(q, Number(first[0].slice(-20))));
}

export function removeMessage(space: QueueSpace, queue: QueueRecord, message: MessageRecord): void {
  const q = queue.name;
  space.messages.delete(messageKey(q, message.seq));
  if (message.delayedUntil !== undefined) space.delayed.delete(timeKey(q, message.delayedUntil, message.seq));
  if (!queue.fifo) {
    space.ready.delete(timeKey(q, message.visibleAt, message.seq));
    return;
  }
  const group = message.group!;
  space.visibility.delete(timeKey(q, message.visibleAt, message.seq));
  const wasHead = space.ready.delete(timeKey(q, message.visibleAt, message.seq));
  space.groups.delete(groupMemberKey(q, group, message.seq));
  if (wasHead) {
    const head = groupHead(space, q, group);
    if (head) space.ready.put(timeKey(q, head.visibleAt, head.seq), { g: group });
  }
}

/** Moves a message's visibility to `visibleAt` and stores it. */
export function setVisibility(space: QueueSpace, queue: QueueRecord, message: MessageRecord, visibleAt: number): void {
  const q = queue.name;
  const oldKey = timeKey(q, message.visibleAt, message.seq);
  const newKey = timeKey(q, visibleAt, message.seq);
  message.visibleAt = visibleAt;
  if (oldKey !== newKey) {
    if (!queue.fifo) {
      space.ready.delete(oldKey);
      space.ready.put(newKey, 1);
    } else {
      space.visibility.delete(oldKey);
      space.visibility.put(newKey, 1);
      const wasHead = space.ready.delete(oldKey);
      if (wasHead) space.ready.put(newKey, { g: message.group! });
    }
  }
  space.messages.put(messageKey(q, message.seq), message);
}

export function isExpired(queue: QueueRecord, message: MessageRecord, now: number): boolean {
  return now >= message.enqueuedAt + queueAttribute(queue, 'MessageRetentionPeriod') * 1000;
}

export interface ReceiveOptions {
  max: number;
  visibilityTimeout: number;
  now: number;
  touched: Touched;
}

/** Takes up to `max` visible messages and puts them in flight; moves over-received ones to the DLQ. */
export function takeVisible(space: QueueSpace, queue: QueueRecord, options: ReceiveOptions): MessageRecord[] {
  const redrive = maxReceiveCount(queue);
  const dlq = redrive ? space.queues.get(redrive.dlqArn.slice(redrive.dlqArn.lastIndexOf(':') + 1)) : undefined;
  const taken: MessageRecord[] = [];
  const deliver = (message: MessageRecord): 'taken' | 'gone' => {
    if (isExpired(queue, message, options.now)) {
      removeMessage(space, queue, message);
      return 'gone';
    }
    if (redrive && dlq && message.receiveCount >= redrive.max) {
      moveToDeadLetterQueue(space, queue, message, dlq, options);
      return 'gone';
    }
    message.receiveCount += 1;
    message.firstReceiveAt ??= options.now;
    message.lastReceiveAt = options.now;
    setVisibility(space, queue, message, options.now + options.visibilityTimeout * 1000);
    taken.push(message);
    return 'taken';
  };
  if (queue.fifo) takeFromGroups(space, queue, options, taken, deliver);
  else takeStandard(space, queue, options, taken, deliver);
  return taken;
}

type Deliver = (message: MessageRecord) => 'taken' | 'gone';

function takeStandard(space: QueueSpace, queue: QueueRecord, options: ReceiveOptions, taken: MessageRecord[], deliver: Deliver): void {
  const q = queue.name;
  const bound = timeKeyBound(q, options.now);
  const seen = new Set<number>();
  let after: string | undefined;
  while (taken.length < options.max) {
    const batch = space.ready.list({ prefix: queuePrefix(q), to: bound, after, limit: options.max - taken.length });
    if (batch.length === 0) return;
    for (const [key] of batch) {
      after = key;
      const seq = seqOfTimeKey(key);
      if (seen.has(seq)) continue;
      seen.add(seq);
      const message = space.messages.get(messageKey(q, seq));
      if (!message || message.visibleAt !== timeOfTimeKey(key)) {
        space.ready.delete(key);
        continue;
      }
      deliver(message);
      if (taken.length === options.max) return;
    }
  }
}

function takeFromGroups(space: QueueSpace, queue: QueueRecord, options: ReceiveOptions, taken: MessageRecord[], deliver: Deliver): void {
  const q = queue.name;
  const bound = timeKeyBound(q, options.now);
  const seenGroups = new Set<string>();
  let after: string | undefined;
  while (taken.length < options.max) {
    const batch = space.ready.list({ prefix: queuePrefix(q), to: bound, after, limit: 1 });
    if (batch.length === 0) return;
    const [key, entry] = batch[0]!;
    after = key;
    const group = typeof entry === 'object' ? entry.g : undefined;
    if (!group) {
      space.ready.delete(key);
      continue;
    }
    if (seenGroups.has(group)) continue;
    seenGroups.add(group);
    // A group gives its messages in order while they are visible; an invisible one (in flight,
    // or delayed) holds back everything behind it.
    let memberAfter: string | undefined;
    for (;;) {
      const members = space.groups.list({ prefix: groupPrefix(q, group), after: memberAfter, limit: options.max - taken.length + 1 });
      if (members.length === 0 || taken.length === options.max) break;
      let stop = false;
      for (const [memberKey] of members) {
        memberAfter = memberKey;
        const message = space.messages.get(messageKey(q, Number(memberKey.slice(-20))));
        if (!message) {
          space.groups.delete(memberKey);
          continue;
        }
        if (message.visibleAt > options.now || taken.length === options.max) {
          stop = true;
          break;
        }
        deliver(message);
      }
      if (stop) break;
    }
  }
}

function moveToDeadLetterQueue(space: QueueSpace, source: QueueRecord, message: MessageRecord, dlq: QueueRecord, options: ReceiveOptions): void {
  removeMessage(space, source, message);
  const seq = nextSeqs(space, dlq.name, 1);
  const moved: MessageRecord = {
    ...message,
    seq,
    visibleAt: options.now,
    delayedUntil: undefined,
    dlqSourceArn: source.arn,
    // Standard queues keep a message's original enqueue time for retention; FIFO queues reset it.
    enqueuedAt: dlq.fifo ? options.now : message.enqueuedAt,
    sequenceNumber: dlq.fifo ? sequenceNumber(seq) : undefined,
  };
  enqueue(space, dlq, moved);
  options.touched.add(space, dlq, 1);
}

/** When the next message becomes receivable (a group's first message, for FIFO queues). */
export function nextVisibleTime(space: QueueSpace, queue: string): number | undefined {
  const first = space.ready.list({ prefix: queuePrefix(queue), limit: 1 })[0];
  return first ? timeOfTimeKey(first[0]) : undefined;
}

/** Removes messages past the retention period, oldest first, at most `limit` of them. */
export function sweepExpired(space: QueueSpace, queue: QueueRecord, now: number, limit: number): void {
  const q = queue.name;
  let after: string | undefined;
  for (let done = 0; done < limit; ) {
    const batch = space.messages.list({ prefix: queuePrefix(q), after, limit: Math.min(100, limit - done) });
    if (batch.length === 0) return;
    for (const [key, message] of batch) {
      after = key;
      // Messages are stored in send order, so the first unexpired one ends the sweep (a dead-letter
      // move keeps an older enqueue time, which receive still checks message by message).
      if (!isExpired(queue, message, now)) return;
      removeMessage(space, queue, message);
      done++;
    }
  }
}

/** Forgets every message of a queue (PurgeQueue, DeleteQueue). */
export function dropMessages(space: QueueSpace, queue: string): void {
  const prefix = queuePrefix(queue);
  space.messages.deletePrefix(prefix);
  space.ready.deletePrefix(prefix);
  space.visibility.deletePrefix(prefix);
  space.groups.deletePrefix(prefix);
  space.delayed.deletePrefix(prefix);
}

