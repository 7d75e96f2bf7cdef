// ReceiveMessage: take up to ten visible messages and put them in flight; with a wait time and
// nothing to take, park until a message arrives or becomes visible (waiters.ts), then try again.

import type * as SQS from '@aws-sdk/client-sqs';
import type { Handler, RequestContext } from '../types.js';
import { queueAttribute, type MessageRecord, type QueueRecord, type QueueSpace, type StoredAttribute } from './state.js';
import { commit } from './commit.js';
import { nextVisibleTime, queueId, sweepExpired, takeVisible } from './engine.js';
import { invalidValue } from './errors.js';
import { encodeReceiptHandle } from './keys.js';
import { md5OfAttributes } from './md5.js';
import { requireQueue } from './queues.js';
import { recordAttempt, repeatAttempt } from './receive-attempts.js';
import { longPolls } from './waiters.js';

/** Retention sweeps run at most this often per queue; receives also skip expired messages one by one. */
const SWEEP_INTERVAL_MS = 1000;
const lastSweep = new WeakMap<object, Map<string, number>>();

interface Selection {
  systemNames: Set<string>;
  allSystem: boolean;
  attributeNames: string[];
  attributePrefixes: string[];
  allAttributes: boolean;
}

function selection(input: SQS.ReceiveMessageRequest): Selection {
  // MessageSystemAttributeNames replaces the older AttributeNames when both are given.
  const system: string[] = input.MessageSystemAttributeNames?.length ? input.MessageSystemAttributeNames : (input.AttributeNames ?? []);
  const names = input.MessageAttributeNames ?? [];
  return {
    systemNames: new Set(system),
    allSystem: system.includes('All'),
    allAttributes: names.some((n) => n === 'All' || n === '.*' || n === '*'),
    attributeNames: names.filter((n) => !n.endsWith('.*')),
    attributePrefixes: names.filter((n) => n.endsWith('.*')).map((n) => n.slice(0, -2)),
  };
}

function systemAttributes(message: MessageRecord, select: Selection): Record<string, string> | undefined {
  const all: Record<string, string | undefined> = {
    SenderId: message.sender,
    ApproximateFirstReceiveTimestamp: String(message.firstReceiveAt),
    ApproximateReceiveCount: String(message.receiveCount),
    SentTimestamp: String(message.sentAt),
    AWSTraceHeader: message.traceHeader,
    MessageGroupId: message.group,
    MessageDeduplicationId: message.dedupId,
    SequenceNumber: message.sequenceNumber,
    DeadLetterQueueSourceArn: message.dlqSourceArn,
  };
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(all)) {
    if (value !== undefined && (select.allSystem || select.systemNames.has(name))) out[name] = value;
  }
  return Object.keys(out).length ? out : undefined;
}

function messageAttributes(message: MessageRecord, select: Selection): Record<string, StoredAttribute> | undefined {
  if (!message.attrs) return undefined;
  const chosen: Record<string, StoredAttribute> = {};
  for (const [name, value] of Object.entries(message.attrs)) {
    if (select.allAttributes || select.attributeNames.includes(name) || select.attributePrefixes.some((p) => name.startsWith(p))) chosen[name] = value;
  }
  return Object.keys(chosen).length ? chosen : undefined;
}

function toOutput(space: QueueSpace, queue: QueueRecord, message: MessageRecord, select: Selection): SQS.Message {
  const chosen = messageAttributes(message, select);
  const salt = (Math.imul(message.seq | 0, 0x9e3779b1) ^ Math.imul(message.receiveCount, 40503)) >>> 0;
  return {
    MessageId: message.id,
    ReceiptHandle: encodeReceiptHandle({ account: space.account, region: space.region, queue: queue.name, seq: message.seq, receive: message.receiveCount }, salt.toString(16).padStart(8, '0')),
    MD5OfBody: message.md5,
    Body: message.body,
    Attributes: systemAttributes(message, select),
    // The digest covers the attributes returned, not all the message has.
    MD5OfMessageAttributes: chosen && md5OfAttributes(chosen),
    MessageAttributes:
      chosen &&
      Object.fromEntries(
        Object.entries(chosen).map(([name, v]) => [
          name,
          { DataType: v.DataType, StringValue: v.StringValue, BinaryValue: v.BinaryValue === undefined ? undefined : Buffer.from(v.BinaryValue, 'base64') },
        ]),
      ),
  };
}

function checkRange(value: number | undefined, parameter: string, min: number, max: number, reason: string): void {
  if (value !== undefined && (value < min || value > max)) throw invalidValue(value, parameter, reason);
}

function tryReceive(ctx: RequestContext, space: QueueSpace, name: string, max: number, visibilityTimeout: number | undefined, attemptId: string | undefined): { queue?: QueueRecord; messages: MessageRecord[] } {
  return commit(ctx, (touched) => {
    // Re-read the queue: it may have changed, or gone, while a long poll waited.
    const queue = space.queues.get(name);
    if (!queue) return { messages: [] };
    const now = ctx.clock.now();
    let sweeps = lastSweep.get(ctx.store);
    if (!sweeps) lastSweep.set(ctx.store, (sweeps = new Map()));
    const id = queueId(space, name);
    if (now - (sweeps.get(id) ?? 0) >= SWEEP_INTERVAL_MS) {
      sweeps.set(id, now);
      sweepExpired(space, queue, now, 1000);
    }
    const vt = visibilityTimeout ?? queueAttribute(queue, 'VisibilityTimeout');
    const retry = queue.fifo && attemptId !== undefined;
    const repeated = retry ? repeatAttempt(space, queue, attemptId, now, vt) : undefined;
    if (repeated) return { queue, messages: repeated };
    const messages = takeVisible(space, queue, { max, visibilityTimeout: vt, now, touched });
    if (retry) recordAttempt(space, queue, attemptId, messages, now);
    // Messages just put in flight change when this queue next has something to give.
    touched.add(space, queue);
    return { queue, messages };
  });
}

export const receiveMessage: Handler<SQS.ReceiveMessageRequest, SQS.ReceiveMessageResult> = async (input, ctx) => {
  const { space, queue } = requireQueue(ctx, input.QueueUrl!);
  checkRange(input.MaxNumberOfMessages, 'MaxNumberOfMessages', 1, 10, 'Must be between 1 and 10, if provided.');
  checkRange(input.WaitTimeSeconds, 'WaitTimeSeconds', 0, 20, 'Must be >= 0 and <= 20, if provided.');
  checkRange(input.VisibilityTimeout, 'VisibilityTimeout', 0, 43200, 'Must be >= 0 and <= 43200, if provided.');
  const max = input.MaxNumberOfMessages ?? 1;
  const wait = input.WaitTimeSeconds ?? queueAttribute(queue, 'ReceiveMessageWaitTimeSeconds');
  const select = selection(input);
  const id = queueId(space, queue.name);
  const polls = longPolls(ctx.store, ctx.clock);
  const deadline = ctx.clock.now() + wait * 1000;
  for (;;) {
    const result = tryReceive(ctx, space, queue.name, max, input.VisibilityTimeout, input.ReceiveRequestAttemptId);
    if (result.messages.length || !result.queue || ctx.clock.now() >= deadline) {
      return { Messages: result.messages.length ? result.messages.map((m) => toOutput(space, result.queue!, m, select)) : undefined };
    }
    const parked = polls.park(id, deadline, max);
    polls.wakeAt(id, nextVisibleTime(space, queue.name));
    await parked;
  }
};
