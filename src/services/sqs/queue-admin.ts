// The queue lifecycle apart from creation: finding and listing queues, attributes, purging,
// deleting, and which queues use a queue as their dead-letter queue.

import type * as SQS from '@aws-sdk/client-sqs';
import { decodeToken, encodeToken } from '../common/pagination.js';
import type { Handler, RequestContext } from '../types.js';
import { COMPUTED_ATTRIBUTES, isQueueAttributeName, maxReceiveCount, mergeAttributes, normalizeAttributes } from './attributes.js';
import { commit } from './commit.js';
import { queueCounts } from './counts.js';
import { dropMessages, queueId, sweepExpired } from './engine.js';
import { invalidParameterValue, invalidValue, purgeQueueInProgress, queueDoesNotExist, unknownAttribute } from './errors.js';
import { isQueryProtocol, queueUrl, requireQueue } from './queues.js';
import { queueSpace, type QueueRecord, type QueueSpace } from './state.js';
import { longPolls } from './waiters.js';

const PURGE_INTERVAL_MS = 60_000;
const MAX_LIST = 1000;

export const getQueueUrl: Handler<SQS.GetQueueUrlRequest, SQS.GetQueueUrlResult> = (input, ctx) => {
  const account = input.QueueOwnerAWSAccountId ?? ctx.account;
  const queue = queueSpace(ctx.store, account, ctx.region).queues.get(input.QueueName!);
  if (!queue) throw queueDoesNotExist(isQueryProtocol(ctx));
  return { QueueUrl: queueUrl(ctx, queue) };
};

/** Pages over queue names: without MaxResults, up to 1,000 and no token, as AWS does. */
function page(ctx: RequestContext, names: (after: string | undefined, limit: number) => QueueRecord[], maxResults: number | undefined, token: string | undefined) {
  if (maxResults !== undefined && (maxResults < 1 || maxResults > MAX_LIST)) {
    throw invalidValue(maxResults, 'MaxResults', `MaxResults must be an integer between 1 and ${MAX_LIST}.`);
  }
  const after = token === undefined ? undefined : decodeToken(token, () => invalidParameterValue('Invalid NextToken value.'));
  const limit = maxResults ?? MAX_LIST;
  const found = names(after, limit + 1);
  const items = found.slice(0, limit);
  const more = maxResults !== undefined && found.length > limit;
  return { urls: items.map((q) => queueUrl(ctx, q)), nextToken: more ? encodeToken(items[items.length - 1]!.name) : undefined };
}

export const listQueues: Handler<SQS.ListQueuesRequest, SQS.ListQueuesResult> = (input, ctx) => {
  const space = queueSpace(ctx.store, ctx.account, ctx.region);
  const prefix = input.QueueNamePrefix || undefined;
  const { urls, nextToken } = page(ctx, (after, limit) => space.queues.values({ prefix, after, limit }), input.MaxResults, input.NextToken);
  return { QueueUrls: urls.length ? urls : undefined, NextToken: nextToken };
};

export const listDeadLetterSourceQueues: Handler<SQS.ListDeadLetterSourceQueuesRequest, SQS.ListDeadLetterSourceQueuesResult> = (input, ctx) => {
  const { space, queue } = requireQueue(ctx, input.QueueUrl!);
  const sources = (after: string | undefined, limit: number) => {
    const found: QueueRecord[] = [];
    for (const [, candidate] of space.queues.iterate({ after })) {
      if (maxReceiveCount(candidate)?.dlqArn === queue.arn) found.push(candidate);
      if (found.length === limit) break;
    }
    return found;
  };
  const { urls, nextToken } = page(ctx, sources, input.MaxResults, input.NextToken);
  return { queueUrls: urls, NextToken: nextToken };
};

export const deleteQueue: Handler<SQS.DeleteQueueRequest, Record<string, never>> = (input, ctx) => {
  const { space, queue } = requireQueue(ctx, input.QueueUrl!);
  commit(ctx, () => {
    dropMessages(space, queue.name);
    space.dedup.deletePrefix(`${queue.name}/`);
    space.dedupExpiry.deletePrefix(`${queue.name}/`);
    space.attempts.deletePrefix(`${queue.name}/`);
    space.attemptExpiry.deletePrefix(`${queue.name}/`);
    space.queues.delete(queue.name);
    space.deleted.put(queue.name, ctx.clock.now());
  });
  // Long polls on the queue end now, empty.
  longPolls(ctx.store, ctx.clock).wake(queueId(space, queue.name), Number.MAX_SAFE_INTEGER);
  return {};
};

export const purgeQueue: Handler<SQS.PurgeQueueRequest, Record<string, never>> = (input, ctx) => {
  const { space, queue } = requireQueue(ctx, input.QueueUrl!);
  const now = ctx.clock.now();
  if (queue.lastPurgeAt !== undefined && now - queue.lastPurgeAt < PURGE_INTERVAL_MS) throw purgeQueueInProgress(queue.name);
  commit(ctx, () => {
    dropMessages(space, queue.name);
    space.queues.put(queue.name, { ...queue, lastPurgeAt: now });
  });
  return {};
};

const REPORT_ORDER = [
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesDelayed',
  'ApproximateNumberOfMessagesNotVisible',
  'ContentBasedDeduplication',
  'CreatedTimestamp',
  'DeduplicationScope',
  'DelaySeconds',
  'FifoQueue',
  'FifoThroughputLimit',
  'KmsDataKeyReusePeriodSeconds',
  'KmsMasterKeyId',
  'LastModifiedTimestamp',
  'MaximumMessageSize',
  'MessageRetentionPeriod',
  'Policy',
  'QueueArn',
  'ReceiveMessageWaitTimeSeconds',
  'RedriveAllowPolicy',
  'RedrivePolicy',
  'SqsManagedSseEnabled',
  'VisibilityTimeout',
];

function reportAttributes(ctx: RequestContext, space: QueueSpace, queue: QueueRecord, names: Set<string>): Record<string, string> {
  const all = names.has('All');
  const wanted = (name: string) => all || names.has(name);
  const out: Record<string, string> = {};
  const now = ctx.clock.now();
  const computed: Record<string, () => string> = {
    CreatedTimestamp: () => String(Math.floor(queue.createdAt / 1000)),
    LastModifiedTimestamp: () => String(Math.floor(queue.lastModifiedAt / 1000)),
    QueueArn: () => queue.arn,
  };
  if (COMPUTED_ATTRIBUTES.slice(0, 3).some(wanted)) {
    commit(ctx, () => sweepExpired(space, queue, now, 10_000));
    const counts = queueCounts(space, queue, now);
    computed.ApproximateNumberOfMessages = () => String(counts.visible);
    computed.ApproximateNumberOfMessagesDelayed = () => String(counts.delayed);
    computed.ApproximateNumberOfMessagesNotVisible = () => String(counts.notVisible);
  }
  for (const name of REPORT_ORDER) {
    if (!wanted(name)) continue;
    const value = computed[name]?.() ?? queue.attributes[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}

export const getQueueAttributes: Handler<SQS.GetQueueAttributesRequest, SQS.GetQueueAttributesResult> = (input, ctx) => {
  const { space, queue } = requireQueue(ctx, input.QueueUrl!);
  const names = new Set<string>(input.AttributeNames ?? []);
  for (const name of names) if (name !== 'All' && !isQueueAttributeName(name)) throw unknownAttribute(name);
  if (names.size === 0) return {};
  const attributes = reportAttributes(ctx, space, queue, names);
  return { Attributes: Object.keys(attributes).length ? attributes : undefined };
};

export const setQueueAttributes: Handler<SQS.SetQueueAttributesRequest, Record<string, never>> = (input, ctx) => {
  const { space, queue } = requireQueue(ctx, input.QueueUrl!);
  const requested = input.Attributes ?? {};
  for (const name of Object.keys(requested)) if (COMPUTED_ATTRIBUTES.includes(name)) throw unknownAttribute(name);
  const changes = normalizeAttributes(ctx, requested, { name: queue.name, account: space.account, region: space.region, fifo: queue.fifo, current: queue.attributes }, false);
  if (Object.keys(changes).length === 0) return {};
  commit(ctx, () => space.queues.put(queue.name, { ...queue, attributes: mergeAttributes(queue.attributes, changes), lastModifiedAt: ctx.clock.now() }));
  return {};
};
