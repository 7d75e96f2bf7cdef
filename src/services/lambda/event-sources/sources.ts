// The event sources a mapping may read, as Lambda checks them when a mapping is made or changed:
// SQS queues (through SQS's own operations, as the mapping's caller) and DynamoDB streams.

import type { RequestContext } from '../../types.js';
import { parseArn } from '../../common/arn.js';
import { locateStream } from '../../dynamodb/streams/read.js';
import { invalidParameter } from '../errors.js';
import type { SourceKind } from './state.js';

export interface QueueFacts {
  url: string;
  visibilityTimeout: number;
  fifo: boolean;
}

export function sourceKind(eventSourceArn: string | undefined): SourceKind {
  const parts = eventSourceArn ? parseArn(eventSourceArn) : undefined;
  if (parts?.service === 'sqs') return 'sqs';
  if (parts?.service === 'dynamodb' && /^table\/[^/]+\/stream\/.+/.test(parts.resource)) return 'dynamodb';
  throw invalidParameter('Unrecognized event source.');
}

/** The queue an SQS ARN names, or AWS's error for a queue Lambda cannot read. */
export async function queueFacts(ctx: RequestContext, queueArn: string): Promise<QueueFacts> {
  const parts = parseArn(queueArn)!;
  try {
    const { QueueUrl } = (await ctx.call('sqs', 'GetQueueUrl', { QueueName: parts.resource, QueueOwnerAWSAccountId: parts.account })) as { QueueUrl: string };
    const { Attributes } = (await ctx.call('sqs', 'GetQueueAttributes', { QueueUrl, AttributeNames: ['VisibilityTimeout', 'FifoQueue'] })) as {
      Attributes?: Record<string, string>;
    };
    return { url: QueueUrl, visibilityTimeout: Number(Attributes?.VisibilityTimeout ?? 30), fifo: Attributes?.FifoQueue === 'true' };
  } catch {
    throw invalidParameter(
      'Error occurred while ReceiveMessage. SQS Error Code: AWS.SimpleQueueService.NonExistentQueue. SQS Error Message: The specified queue does not exist or you do not have access to it.',
    );
  }
}

/** AWS refuses a queue whose messages would reappear while the function may still be running. */
export function checkVisibility(queue: QueueFacts, functionTimeout: number): void {
  if (queue.visibilityTimeout < functionTimeout) {
    throw invalidParameter(`Queue visibility timeout: ${queue.visibilityTimeout} seconds is less than Function timeout: ${functionTimeout} seconds`);
  }
}

export function checkSqsBatching(queue: QueueFacts, batchSize: number, window: number): void {
  if (queue.fifo && batchSize > 10) throw invalidParameter(`Maximum batch size for FIFO queues is 10. Provided batch size: ${batchSize}`);
  if (batchSize > 10 && window <= 0) throw invalidParameter('Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10');
}

export function checkStreamExists(ctx: RequestContext, streamArn: string): void {
  if (!locateStream(ctx.store, streamArn, ctx.clock.now())) throw invalidParameter(`Stream not found: ${streamArn}`);
}
