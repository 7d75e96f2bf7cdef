// Reading an SQS queue for a mapping: long polls (so an idle mapping costs nothing), one
// synchronous invocation per batch with AWS's SQS event, the batch deleted on success and left in
// flight on failure, so the message reappears after its visibility timeout and, past the queue's
// maxReceiveCount, goes to its dead-letter queue. ReportBatchItemFailures keeps only the
// messages the function names.

import type * as SQS from '@aws-sdk/client-sqs';
import type { RequestContext } from '../../types.js';
import { parseArn } from '../../common/arn.js';
import { active, pause, type Poller } from './pollers.js';
import { invokeFunction } from './invoke-batch.js';
import { mappings, type MappingRecord } from './state.js';

const WAIT_SECONDS = 20;
/** After an error reading the queue (deleted, say), the next try waits this long. */
const RETRY_MS = 1000;

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

async function handleBatch(ctx: RequestContext, record: MappingRecord, url: string, messages: SQS.Message[]): Promise<void> {
  const region = parseArn(record.eventSourceArn)!.region;
  const event = { Records: messages.map((m) => sqsEventRecord(m, record.eventSourceArn, region)) };
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

export async function pollQueue(ctx: RequestContext, poller: Poller): Promise<void> {
  let url: string | undefined;
  while (active(ctx, poller)) {
    const record = mappings(ctx).get(poller.uuid)!;
    let messages: SQS.Message[];
    try {
      url ??= await queueUrl(ctx, record.eventSourceArn);
      const out = (await ctx.call('sqs', 'ReceiveMessage', {
        QueueUrl: url,
        MaxNumberOfMessages: Math.min(record.batchSize, 10),
        WaitTimeSeconds: WAIT_SECONDS,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      })) as SQS.ReceiveMessageResult;
      messages = out.Messages ?? [];
    } catch {
      url = undefined;
      await pause(RETRY_MS);
      continue;
    }
    if (!active(ctx, poller)) {
      await release(ctx, url, messages);
      return;
    }
    if (messages.length === 0) continue;
    // The mapping may have changed while the receive waited; the batch goes to its current function.
    await handleBatch(ctx, mappings(ctx).get(poller.uuid) ?? record, url, messages).catch(() => undefined);
  }
}
