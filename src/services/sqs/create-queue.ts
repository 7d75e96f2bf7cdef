// CreateQueue: name rules (".fifo" exactly when FifoQueue is true), attribute validation, the
// idempotency rule for an existing queue (same attributes: its URL; different: QueueNameExists),
// and the 60-second wait after deleting a queue of the same name.

import type * as SQS from '@aws-sdk/client-sqs';
import type { Handler } from '../types.js';
import { defaultAttributes, effectiveAttribute, mergeAttributes, normalizeAttributes } from './attributes.js';
import { commit } from './commit.js';
import { invalidParameterValue, queueDeletedRecently, queueNameExists } from './errors.js';
import { queueArn, queueUrl } from './queues.js';
import { queueSpace, type QueueRecord } from './state.js';
import { checkTagCount } from './tags.js';

const DELETED_RECENTLY_MS = 60_000;

function checkName(name: string, fifo: boolean): void {
  if (fifo) {
    if (!/^[A-Za-z0-9_-]{1,75}\.fifo$/.test(name)) {
      throw invalidParameterValue(
        'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length',
      );
    }
  } else if (!/^[A-Za-z0-9_-]{1,80}$/.test(name)) {
    throw invalidParameterValue('Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length');
  }
}

export const createQueue: Handler<SQS.CreateQueueRequest, SQS.CreateQueueResult> = (input, ctx) => {
  const name = input.QueueName!;
  const requested = input.Attributes ?? {};
  const fifo = String(requested.FifoQueue ?? '').toLowerCase() === 'true';
  checkName(name, fifo);
  const space = queueSpace(ctx.store, ctx.account, ctx.region);
  const existing = space.queues.get(name);
  const attributes = normalizeAttributes(ctx, requested, { name, account: ctx.account, region: ctx.region, fifo, current: existing?.attributes ?? {} }, true);
  if (existing) {
    for (const [attribute, value] of Object.entries(attributes)) {
      if (effectiveAttribute(existing, attribute) !== value) throw queueNameExists(attribute);
    }
    return { QueueUrl: queueUrl(ctx, existing) };
  }
  const now = ctx.clock.now();
  const deletedAt = space.deleted.get(name);
  if (deletedAt !== undefined && now - deletedAt < DELETED_RECENTLY_MS) throw queueDeletedRecently();
  const tags = input.tags ?? {};
  checkTagCount(name, tags);
  const queue: QueueRecord = {
    name,
    account: ctx.account,
    region: ctx.region,
    arn: queueArn({ account: ctx.account, region: ctx.region, name }),
    fifo,
    attributes: mergeAttributes(defaultAttributes(fifo), attributes),
    tags,
    createdAt: now,
    lastModifiedAt: now,
  };
  commit(ctx, () => {
    space.deleted.delete(name);
    space.queues.put(name, queue);
  });
  return { QueueUrl: queueUrl(ctx, queue) };
};
