// How SQS keeps its state in the store, per account and region:
//   queues     name -> QueueRecord
//   messages   "<queue>/<seq>" -> MessageRecord (seq: per-queue send order)
//   ready      "<queue>/<visibleAt>/<seq>" -> ReadyEntry. Standard queues: one entry per message,
//              so a receive reads the first entries up to "now" and nothing else. FIFO queues: one
//              entry per message group, keyed by the group's first message, so a group whose first
//              message is in flight waits behind its visibility timeout.
//   visibility "<queue>/<visibleAt>/<seq>" (FIFO only) every message, for the approximate counts
//   groups     "<queue>/<group> <seq>" (FIFO only) a group's messages in order
//   delayed    "<queue>/<visibleAt>/<seq>" messages sent with a delay, for the delayed count
//   dedup      "<queue>/<scope>" -> DedupRecord; dedup-expiry orders them for sweeping
//   counters   queue name -> last seq used (kept across deletion, so receipt handles never repeat)
//   deleted    queue name -> deletion time (QueueDeletedRecently)
//   move-tasks task id -> MoveTaskRecord
//   receive-attempts "<queue>/<attempt id>" -> ReceiveAttempt (FIFO receive retries, five minutes);
//              attempt-expiry orders them for sweeping
// Every change goes through the store before the response; in-memory state is only the long-poll
// waiters and their timers (see waiters.ts), which a restart does not need.

import type { Collection, Store } from '../../store/store.js';
import type { ReceiveAttempt } from './receive-attempts.js';

export interface QueueRecord {
  name: string;
  account: string;
  region: string;
  arn: string;
  fifo: boolean;
  /** Settable attributes, normalized as GetQueueAttributes reports them. */
  attributes: Record<string, string>;
  tags: Record<string, string>;
  createdAt: number;
  lastModifiedAt: number;
  lastPurgeAt?: number;
}

/** Binary attribute values are kept as base64 text. */
export interface StoredAttribute {
  DataType: string;
  StringValue?: string;
  BinaryValue?: string;
}

export interface MessageRecord {
  id: string;
  seq: number;
  body: string;
  md5: string;
  attrs?: Record<string, StoredAttribute>;
  md5Attrs?: string;
  traceHeader?: string;
  md5Sys?: string;
  sentAt: number;
  /** When retention counts from: the send, or for FIFO dead-letter moves, the move. */
  enqueuedAt: number;
  sender: string;
  visibleAt: number;
  receiveCount: number;
  firstReceiveAt?: number;
  lastReceiveAt?: number;
  /** visibleAt at send when the message was delayed (its key in `delayed`). */
  delayedUntil?: number;
  group?: string;
  dedupId?: string;
  sequenceNumber?: string;
  dlqSourceArn?: string;
}

/** A ready entry: standard queues point at a message, FIFO queues at a group. */
export type ReadyEntry = 1 | { g: string };

export interface DedupRecord {
  id: string;
  sequenceNumber: string;
  expiresAt: number;
}

export interface MoveTaskRecord {
  taskId: string;
  taskHandle: string;
  sourceArn: string;
  destinationArn?: string;
  rate?: number;
  status: 'RUNNING' | 'COMPLETED' | 'CANCELLING' | 'CANCELLED' | 'FAILED';
  startedAt: number;
  toMove: number;
  moved: number;
  failureReason?: string;
}

/** The collections of one account and region. */
export interface QueueSpace {
  account: string;
  region: string;
  queues: Collection<QueueRecord>;
  messages: Collection<MessageRecord>;
  ready: Collection<ReadyEntry>;
  visibility: Collection<1>;
  groups: Collection<1>;
  delayed: Collection<1>;
  dedup: Collection<DedupRecord>;
  dedupExpiry: Collection<string>;
  counters: Collection<number>;
  deleted: Collection<number>;
  moveTasks: Collection<MoveTaskRecord>;
  attempts: Collection<ReceiveAttempt>;
  attemptExpiry: Collection<string>;
}

const spaces = new WeakMap<Store, Map<string, QueueSpace>>();

export function queueSpace(store: Store, account: string, region: string): QueueSpace {
  let byScope = spaces.get(store);
  if (!byScope) spaces.set(store, (byScope = new Map()));
  const id = `${account}/${region}`;
  let space = byScope.get(id);
  if (!space) {
    const scope = { account, region };
    const c = <T>(name: string) => store.collection<T>('sqs', name, scope);
    space = {
      account,
      region,
      queues: c('queues'),
      messages: c('messages'),
      ready: c('ready'),
      visibility: c('visibility'),
      groups: c('groups'),
      delayed: c('delayed'),
      dedup: c('dedup'),
      dedupExpiry: c('dedup-expiry'),
      counters: c('counters'),
      deleted: c('deleted'),
      moveTasks: c('move-tasks'),
      attempts: c('receive-attempts'),
      attemptExpiry: c('attempt-expiry'),
    };
    byScope.set(id, space);
  }
  return space;
}

/** Reserves `count` sequence numbers for a queue and returns the first. */
export function nextSeqs(space: QueueSpace, queue: string, count: number): number {
  const last = space.counters.get(queue) ?? 0;
  space.counters.put(queue, last + count);
  return last + 1;
}

export function queueAttribute(queue: QueueRecord, name: string): number {
  return Number(queue.attributes[name]);
}
