// Queue tags (a map, up to 50) and the permission statements AddPermission and RemovePermission
// keep in the queue's Policy attribute, in the form AWS writes them.

import type * as SQS from '@aws-sdk/client-sqs';
import type { Handler } from '../types.js';
import { commit } from './commit.js';
import { invalidParameterValue, invalidValue, missingParameter, overLimit } from './errors.js';
import { requireQueue } from './queues.js';

const MAX_TAGS = 50;
const MAX_ACTIONS = 7;

export function checkTagCount(queueName: string, tags: Record<string, string>): void {
  if (Object.keys(tags).length > MAX_TAGS) throw invalidParameterValue(`Too many tags added for queue ${queueName}.`);
}

export const tagQueue: Handler<SQS.TagQueueRequest, Record<string, never>> = (input, ctx) => {
  const { space, queue } = requireQueue(ctx, input.QueueUrl!);
  const tags = { ...queue.tags, ...input.Tags };
  checkTagCount(queue.name, tags);
  commit(ctx, () => space.queues.put(queue.name, { ...queue, tags }));
  return {};
};

export const untagQueue: Handler<SQS.UntagQueueRequest, Record<string, never>> = (input, ctx) => {
  const { space, queue } = requireQueue(ctx, input.QueueUrl!);
  const tags = { ...queue.tags };
  for (const key of input.TagKeys ?? []) delete tags[key];
  commit(ctx, () => space.queues.put(queue.name, { ...queue, tags }));
  return {};
};

export const listQueueTags: Handler<SQS.ListQueueTagsRequest, SQS.ListQueueTagsResult> = (input, ctx) => {
  const { queue } = requireQueue(ctx, input.QueueUrl!);
  return { Tags: Object.keys(queue.tags).length ? queue.tags : undefined };
};

interface PolicyDocument {
  Version: string;
  Id: string;
  Statement: Array<Record<string, unknown> & { Sid?: string }>;
}

export const addPermission: Handler<SQS.AddPermissionRequest, Record<string, never>> = (input, ctx) => {
  const { space, queue } = requireQueue(ctx, input.QueueUrl!);
  const actions = input.Actions ?? [];
  const accounts = input.AWSAccountIds ?? [];
  if (actions.length === 0) throw missingParameter('Actions');
  if (accounts.length === 0) throw invalidValue('[]', 'PrincipalId', 'Unable to verify.');
  if (actions.length > MAX_ACTIONS) throw overLimit(`${actions.length} Actions were found, maximum allowed is ${MAX_ACTIONS}.`);
  const policy: PolicyDocument = queue.attributes.Policy
    ? (JSON.parse(queue.attributes.Policy) as PolicyDocument)
    : { Version: '2008-10-17', Id: `${queue.arn}/SQSDefaultPolicy`, Statement: [] };
  policy.Statement ??= [];
  if (policy.Statement.some((s) => s.Sid === input.Label)) throw invalidValue(input.Label, 'Label', 'Already exists.');
  const principals = accounts.map((account) => `arn:aws:iam::${account}:root`);
  const sqsActions = actions.map((action) => `SQS:${action}`);
  policy.Statement.push({
    Sid: input.Label,
    Effect: 'Allow',
    Principal: { AWS: principals.length === 1 ? principals[0] : principals },
    Action: sqsActions.length === 1 ? sqsActions[0] : sqsActions,
    Resource: queue.arn,
  });
  commit(ctx, () => space.queues.put(queue.name, { ...queue, attributes: { ...queue.attributes, Policy: JSON.stringify(policy) } }));
  return {};
};

export const removePermission: Handler<SQS.RemovePermissionRequest, Record<string, never>> = (input, ctx) => {
  const { space, queue } = requireQueue(ctx, input.QueueUrl!);
  const policy = queue.attributes.Policy ? (JSON.parse(queue.attributes.Policy) as PolicyDocument) : undefined;
  const statements = policy?.Statement ?? [];
  if (!statements.some((s) => s.Sid === input.Label)) throw invalidValue(input.Label, 'Label', "can't find label.");
  const remaining = statements.filter((s) => s.Sid !== input.Label);
  const attributes = { ...queue.attributes };
  if (remaining.length) attributes.Policy = JSON.stringify({ ...policy, Statement: remaining });
  else delete attributes.Policy;
  commit(ctx, () => space.queues.put(queue.name, { ...queue, attributes }));
  return {};
};
