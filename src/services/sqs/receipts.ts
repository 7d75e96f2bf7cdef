// What a receipt handle allows: DeleteMessage and ChangeMessageVisibility, one by one or in
// batches. A handle names one receive of one message; AWS's rules for handles that are stale
// (the message was received again), expired (its visibility timeout passed) or for a deleted
// message are kept here.

import type * as SQS from '@aws-sdk/client-sqs';
import type { Handler, RequestContext } from '../types.js';
import { checkBatch, failedEntry } from './batch.js';
import { commit } from './commit.js';
import { removeMessage, setVisibility, type Touched } from './engine.js';
import { invalidValue, receiptHandleExpired, receiptHandleIsInvalid } from './errors.js';
import { decodeReceiptHandle, messageKey } from './keys.js';
import { requireQueue, type ResolvedQueue } from './queues.js';
import type { MessageRecord } from './state.js';

const MAX_VISIBILITY_SECONDS = 43200;

interface HandleTarget {
  /** The message, if it is still in the queue. */
  message?: MessageRecord;
  /** Whether the handle is from the message's latest receive. */
  current: boolean;
}

/** Decodes a handle for this queue, or answers ReceiptHandleIsInvalid. */
function target({ space, queue }: ResolvedQueue, handle: string): HandleTarget {
  const h = decodeReceiptHandle(handle);
  if (!h || h.account !== space.account || h.region !== space.region || h.queue !== queue.name) throw receiptHandleIsInvalid(handle);
  const message = space.messages.get(messageKey(queue.name, h.seq));
  return { message, current: message?.receiveCount === h.receive };
}

function deleteOne(ctx: RequestContext, resolved: ResolvedQueue, handle: string, touched: Touched): void {
  const { message, current } = target(resolved, handle);
  // Deleting an already deleted message succeeds, as on AWS.
  if (!message) return;
  const { space, queue } = resolved;
  if (queue.fifo) {
    if (!current || message.visibleAt <= ctx.clock.now()) throw receiptHandleExpired(handle);
  } else if (!current) {
    // A standard queue accepts an older handle but keeps the message (AWS: "the request succeeds,
    // but the message will not be deleted").
    return;
  }
  removeMessage(space, queue, message);
  // The next message of a FIFO group may now be receivable.
  if (queue.fifo) touched.add(space, queue);
}

function changeOne(ctx: RequestContext, resolved: ResolvedQueue, handle: string, seconds: number, touched: Touched): void {
  if (seconds < 0 || seconds > MAX_VISIBILITY_SECONDS) throw invalidValue(seconds, 'VisibilityTimeout', `Must be >= 0 and <= ${MAX_VISIBILITY_SECONDS}, if provided.`);
  const { message, current } = target(resolved, handle);
  if (!message || !current) throw invalidValue(handle, 'ReceiptHandle', 'Message does not exist or is not available for visibility timeout change.');
  const now = ctx.clock.now();
  // A handle whose visibility timeout already passed changes nothing; AWS answers success.
  if (message.visibleAt <= now) return;
  if (now + seconds * 1000 - message.lastReceiveAt! > MAX_VISIBILITY_SECONDS * 1000) {
    throw invalidValue(seconds, 'VisibilityTimeout', `Total VisibilityTimeout for the message is beyond the limit [${MAX_VISIBILITY_SECONDS} seconds]`);
  }
  setVisibility(resolved.space, resolved.queue, message, now + seconds * 1000);
  touched.add(resolved.space, resolved.queue, seconds === 0 ? 1 : 0);
}

export const deleteMessage: Handler<SQS.DeleteMessageRequest, Record<string, never>> = (input, ctx) => {
  const resolved = requireQueue(ctx, input.QueueUrl!);
  commit(ctx, (touched) => deleteOne(ctx, resolved, input.ReceiptHandle!, touched));
  return {};
};

export const deleteMessageBatch: Handler<SQS.DeleteMessageBatchRequest, SQS.DeleteMessageBatchResult> = (input, ctx) => {
  const resolved = requireQueue(ctx, input.QueueUrl!);
  const entries = checkBatch(input.Entries, 'DeleteMessageBatchRequestEntry');
  const result: SQS.DeleteMessageBatchResult = { Successful: [], Failed: [] };
  commit(ctx, (touched) => {
    for (const entry of entries) {
      try {
        deleteOne(ctx, resolved, entry.ReceiptHandle ?? '', touched);
        result.Successful!.push({ Id: entry.Id! });
      } catch (error) {
        result.Failed!.push(failedEntry(entry.Id!, error));
      }
    }
  });
  return result;
};

export const changeMessageVisibility: Handler<SQS.ChangeMessageVisibilityRequest, Record<string, never>> = (input, ctx) => {
  const resolved = requireQueue(ctx, input.QueueUrl!);
  commit(ctx, (touched) => changeOne(ctx, resolved, input.ReceiptHandle!, input.VisibilityTimeout!, touched));
  return {};
};

export const changeMessageVisibilityBatch: Handler<SQS.ChangeMessageVisibilityBatchRequest, SQS.ChangeMessageVisibilityBatchResult> = (input, ctx) => {
  const resolved = requireQueue(ctx, input.QueueUrl!);
  const entries = checkBatch(input.Entries, 'ChangeMessageVisibilityBatchRequestEntry');
  const result: SQS.ChangeMessageVisibilityBatchResult = { Successful: [], Failed: [] };
  commit(ctx, (touched) => {
    for (const entry of entries) {
      try {
        changeOne(ctx, resolved, entry.ReceiptHandle ?? '', entry.VisibilityTimeout ?? 0, touched);
        result.Successful!.push({ Id: entry.Id! });
      } catch (error) {
        result.Failed!.push(failedEntry(entry.Id!, error));
      }
    }
  });
  return result;
};
