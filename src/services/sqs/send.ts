// SendMessage and SendMessageBatch: every check AWS makes, then one transaction that stores the
// messages (FIFO: sequence numbers and five-minute deduplication) and wakes parked receives.

import { createHash } from 'node:crypto';
import { randomUUID } from 'node:crypto';
import type * as SQS from '@aws-sdk/client-sqs';
import type { Handler, RequestContext } from '../types.js';
import { MAX_MESSAGE_SIZE } from './attributes.js';
import { checkBatch, failedEntry } from './batch.js';
import { commit } from './commit.js';
import { enqueue, type Touched } from './engine.js';
import { batchRequestTooLong, invalidParameterValue, invalidValue, missingParameter } from './errors.js';
import { sequenceNumber, timeKey, timeKeyBound } from './keys.js';
import { md5OfAttributes, md5OfBody } from './md5.js';
import { checkBody, checkFifoId, checkMessageAttributes, checkSystemAttributes, messageTooLong } from './message-checks.js';
import { requireQueue } from './queues.js';
import { nextSeqs, queueAttribute, type MessageRecord, type QueueRecord, type QueueSpace, type StoredAttribute } from './state.js';

const DEDUP_WINDOW_MS = 5 * 60 * 1000;

type Entry = Omit<SQS.SendMessageBatchRequestEntry, 'Id'>;

interface PreparedMessage {
  body: string;
  attrs?: Record<string, StoredAttribute>;
  traceHeader?: string;
  sysAttrs?: Record<string, StoredAttribute>;
  delaySeconds: number;
  group?: string;
  dedupId?: string;
}

interface SendResult {
  MessageId: string;
  MD5OfMessageBody: string;
  MD5OfMessageAttributes?: string;
  MD5OfMessageSystemAttributes?: string;
  SequenceNumber?: string;
}

function noDeduplication(): ReturnType<typeof invalidParameterValue> {
  return invalidParameterValue('The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
}

/** Checks one message as AWS does and returns what to store; throws AWS's error otherwise. */
function prepare(ctx: RequestContext, queue: QueueRecord, entry: Entry, inBatch: boolean): PreparedMessage {
  const body = entry.MessageBody ?? '';
  if (body.length === 0) throw missingParameter('MessageBody');
  const attributes = checkMessageAttributes(entry.MessageAttributes);
  const limit = queueAttribute(queue, 'MaximumMessageSize');
  if (Buffer.byteLength(body) + attributes.size > limit) throw messageTooLong(limit, inBatch);
  checkBody(body);
  const system = checkSystemAttributes(entry.MessageSystemAttributes);
  checkFifoId(entry.MessageDeduplicationId, 'MessageDeduplicationId');
  checkFifoId(entry.MessageGroupId, 'MessageGroupId');
  let delaySeconds = queueAttribute(queue, 'DelaySeconds');
  let dedupId = entry.MessageDeduplicationId;
  if (queue.fifo) {
    // FIFO queues only take the queue's delay; an explicit 0 is allowed.
    if (entry.DelaySeconds) {
      throw invalidValue(entry.DelaySeconds, 'DelaySeconds', 'The request include parameter that is not valid for this queue type.');
    }
    if (!entry.MessageGroupId) throw missingParameter('MessageGroupId');
    if (!dedupId) {
      if (queue.attributes.ContentBasedDeduplication !== 'true') throw noDeduplication();
      dedupId = createHash('sha256').update(body, 'utf8').digest('hex');
    }
  } else {
    if (dedupId !== undefined) {
      throw invalidValue(dedupId, 'MessageDeduplicationId', 'The request includes a parameter that is not valid for this queue type.');
    }
    if (entry.DelaySeconds !== undefined) {
      if (entry.DelaySeconds < 0 || entry.DelaySeconds > 900) {
        throw invalidValue(entry.DelaySeconds, 'DelaySeconds', 'DelaySeconds must be >= 0 and <= 900.');
      }
      delaySeconds = entry.DelaySeconds;
    }
  }
  const traceHeader = system.traceHeader ?? ctx.headers['x-amzn-trace-id'];
  return { body, attrs: attributes.attributes, traceHeader, sysAttrs: system.attributes, delaySeconds, group: entry.MessageGroupId, dedupId };
}

function store(ctx: RequestContext, space: QueueSpace, queue: QueueRecord, prepared: PreparedMessage[], touched: Touched): SendResult[] {
  const now = ctx.clock.now();
  const q = queue.name;
  const first = nextSeqs(space, q, prepared.length);
  const byGroupScope = queue.attributes.DeduplicationScope === 'messageGroup';
  const results = prepared.map((p, i): SendResult => {
    const seq = first + i;
    const md5 = md5OfBody(p.body);
    const md5Attrs = p.attrs && md5OfAttributes(p.attrs);
    const md5Sys = p.sysAttrs && md5OfAttributes(p.sysAttrs);
    let sequence: string | undefined;
    const scope = queue.fifo ? (byGroupScope ? `${p.group} ${p.dedupId}` : p.dedupId!) : undefined;
    if (scope !== undefined) {
      // A duplicate within five minutes of the first send is accepted but not delivered again.
      const earlier = space.dedup.get(`${q}/${scope}`);
      if (earlier && earlier.expiresAt > now) {
        return { MessageId: earlier.id, MD5OfMessageBody: md5, MD5OfMessageAttributes: md5Attrs, MD5OfMessageSystemAttributes: md5Sys, SequenceNumber: earlier.sequenceNumber };
      }
      sequence = sequenceNumber(seq);
    }
    const visibleAt = now + p.delaySeconds * 1000;
    const message: MessageRecord = {
      id: randomUUID(),
      seq,
      body: p.body,
      md5,
      attrs: p.attrs,
      md5Attrs,
      traceHeader: p.traceHeader,
      sentAt: now,
      enqueuedAt: now,
      sender: ctx.account,
      visibleAt,
      receiveCount: 0,
      delayedUntil: p.delaySeconds > 0 ? visibleAt : undefined,
      group: p.group,
      dedupId: queue.fifo ? p.dedupId : undefined,
      sequenceNumber: sequence,
    };
    if (scope !== undefined) {
      const expiresAt = now + DEDUP_WINDOW_MS;
      space.dedup.put(`${q}/${scope}`, { id: message.id, sequenceNumber: sequence!, expiresAt });
      space.dedupExpiry.put(timeKey(q, expiresAt, seq), scope);
    }
    enqueue(space, queue, message);
    touched.add(space, queue, p.delaySeconds > 0 ? 0 : 1);
    return { MessageId: message.id, MD5OfMessageBody: md5, MD5OfMessageAttributes: md5Attrs, MD5OfMessageSystemAttributes: md5Sys, SequenceNumber: sequence };
  });
  if (queue.fifo) forgetExpiredDeduplication(space, q, now);
  return results;
}

/** Drops a few deduplication records whose window has passed, so they do not pile up. */
function forgetExpiredDeduplication(space: QueueSpace, q: string, now: number): void {
  for (const [key, scope] of space.dedupExpiry.list({ prefix: `${q}/`, to: timeKeyBound(q, now), limit: 20 })) {
    space.dedupExpiry.delete(key);
    const record = space.dedup.get(`${q}/${scope}`);
    if (record && record.expiresAt <= now) space.dedup.delete(`${q}/${scope}`);
  }
}

export const sendMessage: Handler<SQS.SendMessageRequest, SQS.SendMessageResult> = (input, ctx) => {
  const { space, queue } = requireQueue(ctx, input.QueueUrl!);
  const prepared = prepare(ctx, queue, input, false);
  return commit(ctx, (touched) => store(ctx, space, queue, [prepared], touched)[0]!);
};

function entrySize(entry: Entry): number {
  let size = Buffer.byteLength(entry.MessageBody ?? '');
  for (const [name, value] of Object.entries(entry.MessageAttributes ?? {})) {
    size += Buffer.byteLength(name) + Buffer.byteLength(value.DataType ?? '');
    size += value.BinaryValue ? value.BinaryValue.length : Buffer.byteLength(value.StringValue ?? '');
  }
  return size;
}

export const sendMessageBatch: Handler<SQS.SendMessageBatchRequest, SQS.SendMessageBatchResult> = (input, ctx) => {
  const { space, queue } = requireQueue(ctx, input.QueueUrl!);
  const entries = checkBatch(input.Entries, 'SendMessageBatchRequestEntry', (entry) => {
    if (!queue.fifo) return;
    // In a batch, FIFO ids missing from any entry fail the whole request.
    if (!entry.MessageDeduplicationId && queue.attributes.ContentBasedDeduplication !== 'true') throw noDeduplication();
    if (!entry.MessageGroupId) throw invalidParameterValue('The request must contain the parameter MessageGroupId.');
  });
  const total = entries.reduce((sum, entry) => sum + entrySize(entry), 0);
  if (total > MAX_MESSAGE_SIZE) throw batchRequestTooLong(MAX_MESSAGE_SIZE, total);
  const failed: SQS.BatchResultErrorEntry[] = [];
  const accepted: Array<{ id: string; message: PreparedMessage }> = [];
  for (const entry of entries) {
    try {
      accepted.push({ id: entry.Id!, message: prepare(ctx, queue, entry, true) });
    } catch (error) {
      failed.push(failedEntry(entry.Id!, error));
    }
  }
  const stored = accepted.length
    ? commit(ctx, (touched) =>
        store(
          ctx,
          space,
          queue,
          accepted.map((a) => a.message),
          touched,
        ),
      )
    : [];
  const successful = stored.map((result, i) => ({ Id: accepted[i]!.id, ...result }));
  return { Successful: successful, Failed: failed };
};
