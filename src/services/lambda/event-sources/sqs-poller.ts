// Reading an SQS queue for a mapping: long polls (so an idle mapping costs nothing), one
// synchronous invocation per batch with AWS's SQS event, the batch deleted on success and left in
// flight on failure, so the message reappears after its visibility timeout and, past the queue's
// maxReceiveCount, goes to its dead-letter queue. ReportBatchItemFailures keeps only the
// messages the function names. Messages the mapping's filters reject are deleted unseen, as AWS
// deletes them. With a batching window, receives go on until the batch is full or the window
// (on Fogbank's clock) has passed.

import type * as SQS from '@aws-sdk/client-sqs';
import type { RequestContext } from '../../types.js';
import { parseArn } from '../../common/arn.js';
import { active, pause, sqsLoops, type Poller } from './pollers.js';
import { invokeFunction } from './invoke-batch.js';
import { passes } from './filters.js';
import { mappings, type MappingRecord } from './state.js';

const WAIT_SECONDS = 20;
/** After an error reading the queue (deleted, say), the next try waits this long. */
const RETRY_MS = 1000;
/** SQS pollers are added at most this often (AWS: up to 300 a minute). */
const SCALE_UP_MS = 200;

function lambdaAttribute(value: SQS.MessageAttributeValue): Record<string, unknown> {
  const base64 = (b: Uint8Array | undefined) => (b === undefined ? undefined : Buffer.from(b).toString('base64'));
  return {
    stringValue: value.StringValue,
    binaryValue: base64(value.BinaryValue),
    stringListValues: value.StringListValues ?? [],
    binaryListValues: (value.BinaryListValues ?? []).map((b) => base64(b)),
    dataType: value.DataType,
  };
}

/** One received message as Lambda's SQS event carries it. */
export function sqsEventRecord(message: SQS.Message, queueArn: string, region: string): Record<string, unknown> {
  const attributes = message.Attributes ?? {};
  const messageAttributes: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) messageAttributes[name] = lambdaAttribute(value);
  return {
    messageId: message.MessageId,
    receiptHandle: message.ReceiptHandle,
    body: message.Body,
    attributes,
    messageAttributes,
    md5OfBody: message.MD5OfBody,
    ...(message.MD5OfMessageAttributes ? { md5OfMessageAttributes: message.MD5OfMessageAttributes } : {}),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}

async function queueUrl(ctx: RequestContext, queueArn: string): Promise<string> {
  const parts = parseArn(queueArn)!;
  const out = (await ctx.call('sqs', 'GetQueueUrl', { QueueName: parts.resource, QueueOwnerAWSAccountId: parts.account })) as SQS.GetQueueUrlResult;
  return out.QueueUrl!;
}

/** The ids the function reported as failed, or undefined when its answer is not a valid report (all failed). */
function reportedFailures(payload: unknown, messages: SQS.Message[]): Set<string> | undefined {
  if (payload === null || typeof payload !== 'object' || !('batchItemFailures' in payload)) return new Set();
  const list = (payload as { batchItemFailures: unknown }).batchItemFailures;
  if (list === null || list === undefined) return new Set();
  if (!Array.isArray(list)) return undefined;
  const known = new Set(messages.map((m) => m.MessageId));
  const failed = new Set<string>();
  for (const item of list) {
    const id = (item as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    // An empty, missing or unknown identifier fails the whole batch, as in AWS.
    if (typeof id !== 'string' || !known.has(id)) return undefined;
    failed.add(id);
  }
  return failed;
}

async function deleteMessages(ctx: RequestContext, url: string, messages: SQS.Message[]): Promise<void> {
  if (messages.length === 0) return;
  const Entries = messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle }));
  await ctx.call('sqs', 'DeleteMessageBatch', { QueueUrl: url, Entries });
}

/** Messages a stopped poller received go straight back to the queue. */
async function release(ctx: RequestContext, url: string, messages: SQS.Message[]): Promise<void> {
  if (messages.length === 0) return;
  const Entries = messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 }));
  await ctx.call('sqs', 'ChangeMessageVisibilityBatch', { QueueUrl: url, Entries }).catch(() => undefined);
}

async function handleBatch(ctx: RequestContext, record: MappingRecord, url: string, received: SQS.Message[]): Promise<void> {
  const region = parseArn(record.eventSourceArn)!.region;
  const records = received.map((m) => sqsEventRecord(m, record.eventSourceArn, region));
  const kept = records.map((r) => passes(record.filters, r, 'sqs'));
  const messages = received.filter((_, i) => kept[i]);
  await deleteMessages(
    ctx,
    url,
    received.filter((_, i) => !kept[i]),
  );
  if (messages.length === 0) return;
  const event = { Records: records.filter((_, i) => kept[i]) };
  const result = await invokeFunction(ctx, record.functionArn, event);
  if (!result.ok) return;
  if (!record.functionResponseTypes.includes('ReportBatchItemFailures')) return deleteMessages(ctx, url, messages);
  const failed = reportedFailures(result.payload, messages);
  if (!failed) return;
  await deleteMessages(
    ctx,
    url,
    messages.filter((m) => !failed.has(m.MessageId!)),
  );
}

async function receive(ctx: RequestContext, url: string, max: number, waitSeconds: number): Promise<SQS.Message[]> {
  const out = (await ctx.call('sqs', 'ReceiveMessage', {
    QueueUrl: url,
    MaxNumberOfMessages: Math.min(max, 10),
    WaitTimeSeconds: waitSeconds,
    MessageSystemAttributeNames: ['All'],
    MessageAttributeNames: ['All'],
  })) as SQS.ReceiveMessageResult;
  return out.Messages ?? [];
}

/**
 * After a full batch, whether to start one more loop: while messages remain, as AWS adds pollers
 * "if messages are still available", at most one every 200 ms (AWS: up to 300 more a minute), up
 * to the cap. A full batch alone is no sign (a SendMessageBatch of ten wakes one parked receive
 * with ten), a loop more than needed costs a cold worker, and counting the queue's messages costs
 * about as much as a batch's invocation, so it is asked no more often than that.
 */
async function scaleUp(ctx: RequestContext, poller: Poller, record: MappingRecord, url: string): Promise<boolean> {
  const now = ctx.clock.now();
  if (poller.loops >= sqsLoops(record).max || now - poller.scaleCheckedAt < SCALE_UP_MS) return false;
  poller.scaleCheckedAt = now;
  const out = (await ctx.call('sqs', 'GetQueueAttributes', { QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }).catch(() => undefined)) as
    | SQS.GetQueueAttributesResult
    | undefined;
  return Number(out?.Attributes?.ApproximateNumberOfMessages ?? 0) >= Math.min(record.batchSize, 10);
}

/** After a first receive, more until the batch is full or the window has passed. */
async function fillWindow(ctx: RequestContext, poller: Poller, record: MappingRecord, url: string, batch: SQS.Message[]): Promise<void> {
  const deadline = ctx.clock.now() + record.batchingWindow * 1000;
  while (batch.length < record.batchSize && !poller.stopped) {
    const left = deadline - ctx.clock.now();
    if (left <= 0) return;
    batch.push(...(await receive(ctx, url, record.batchSize - batch.length, Math.min(WAIT_SECONDS, Math.ceil(left / 1000)))));
  }
}

export async function pollQueue(ctx: RequestContext, poller: Poller): Promise<void> {
  let url: string | undefined;
  while (active(ctx, poller)) {
    const record = mappings(ctx).get(poller.uuid)!;
    let messages: SQS.Message[];
    try {
      url ??= await queueUrl(ctx, record.eventSourceArn);
      messages = await receive(ctx, url, record.batchSize, WAIT_SECONDS);
      if (messages.length && record.batchingWindow > 0) await fillWindow(ctx, poller, record, url, messages);
    } catch {
      url = undefined;
      await pause(RETRY_MS);
      continue;
    }
    if (!active(ctx, poller)) {
      await release(ctx, url, messages);
      return;
    }
    if (messages.length === 0) {
      // Idle: extra loops started for a backlog end.
      if (poller.loops > sqsLoops(record).base) return;
      continue;
    }
    if (messages.length >= Math.min(record.batchSize, 10) && (await scaleUp(ctx, poller, record, url))) poller.spawn();
    // The mapping may have changed while the receive waited; the batch goes to its current function.
    await handleBatch(ctx, mappings(ctx).get(poller.uuid) ?? record, url, messages).catch(() => undefined);
  }
}
