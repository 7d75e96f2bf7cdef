// Topics: create (idempotent for the same name and attributes), attributes, list, delete.

import { effectiveTopicPolicy, shownTopicPolicy } from './delivery-policy.js';
import type * as SNS from '@aws-sdk/client-sns';
import { paginate } from '../common/pagination.js';
import { checkTagCount, type Tag } from '../common/tags.js';
import type { Handler, RequestContext } from '../types.js';
import { invalidParameter } from './errors.js';
import { isFifo, parseTopicArn, requireTopic, subscriptions, topicArnOf, topics, type TopicRecord } from './state.js';
import { ServiceError } from '../../errors.js';

const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;
const PAGE = 100;

/** Attributes CreateTopic and SetTopicAttributes accept. */
const TOPIC_ATTRIBUTES = new Set([
  'DeliveryPolicy', 'DisplayName', 'FifoTopic', 'Policy', 'SignatureVersion', 'TracingConfig', 'KmsMasterKeyId',
  'ContentBasedDeduplication', 'ArchivePolicy', 'FifoThroughputScope', 'DataProtectionPolicy',
  ...['Application', 'Firehose', 'HTTP', 'Lambda', 'SQS'].flatMap((p) => [`${p}SuccessFeedbackRoleArn`, `${p}SuccessFeedbackSampleRate`, `${p}FailureFeedbackRoleArn`]),
]);

function defaultPolicy(topicArn: string, account: string): string {
  return JSON.stringify({
    Version: '2008-10-17',
    Id: '__default_policy_ID',
    Statement: [{
      Sid: '__default_statement_ID',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: ['SNS:GetTopicAttributes', 'SNS:SetTopicAttributes', 'SNS:AddPermission', 'SNS:RemovePermission', 'SNS:DeleteTopic', 'SNS:Subscribe', 'SNS:ListSubscriptionsByTopic', 'SNS:Publish'],
      Resource: topicArn,
      Condition: { StringEquals: { 'AWS:SourceOwner': account } },
    }],
  });
}

function checkBoolean(name: string, value: string): void {
  if (value !== 'true' && value !== 'false') throw invalidParameter(`Attributes Reason: ${name}: Invalid value [${value}]. Must be true or false.`);
}

/** Validates one topic attribute as CreateTopic and SetTopicAttributes do. */
function checkTopicAttribute(name: string, value: string, fifo: boolean): void {
  if (!TOPIC_ATTRIBUTES.has(name)) throw invalidParameter('AttributeName');
  if (name === 'ContentBasedDeduplication') {
    if (!fifo) throw invalidParameter('ContentBasedDeduplication Reason: Content based deduplication can only be set for FIFO topics');
    checkBoolean(name, value);
  }
  if (name === 'FifoTopic') checkBoolean(name, value);
  if ((name === 'Policy' || name === 'DeliveryPolicy') && value) {
    try {
      JSON.parse(value);
    } catch {
      throw invalidParameter(`Attributes Reason: ${name}: failed to parse JSON.`);
    }
  }
  if (name === 'TracingConfig' && value !== 'PassThrough' && value !== 'Active') throw invalidParameter(`Attributes Reason: Invalid tracing config value: ${value}`);
  if (name === 'SignatureVersion' && value !== '1' && value !== '2') throw invalidParameter('Attributes Reason: SignatureVersion: Invalid value. Must be 1 or 2.');
}

export const createTopic: Handler<SNS.CreateTopicInput, SNS.CreateTopicResponse> = (input, ctx) => {
  const name = input.Name!;
  const attributes: Record<string, string> = { ...(input.Attributes ?? {}) };
  if (input.DataProtectionPolicy !== undefined) attributes.DataProtectionPolicy = input.DataProtectionPolicy;
  const fifo = attributes.FifoTopic === 'true';
  if (fifo) {
    if (!name.endsWith('.fifo') || !TOPIC_NAME.test(name.slice(0, -5))) {
      throw invalidParameter('Fifo Topic names must end with .fifo and must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long.');
    }
  } else if (!TOPIC_NAME.test(name)) {
    throw invalidParameter('Topic Name');
  }
  for (const [key, value] of Object.entries(attributes)) checkTopicAttribute(key, value, fifo);
  const tags: Tag[] = (input.Tags ?? []).map((t) => ({ Key: t.Key!, Value: t.Value ?? '' }));
  checkTagCount(tags, (message) => new ServiceError('TagLimitExceeded', message));
  if (fifo) attributes.ContentBasedDeduplication ??= 'false';
  const table = topics(ctx, ctx);
  const existing = table.get(name);
  if (existing) {
    // Attributes given again must equal the stored ones; FIFO settings must agree either way.
    const differs = (key: string) => existing.attributes[key] !== attributes[key];
    if (Object.keys(attributes).some(differs) || ['FifoTopic', 'ContentBasedDeduplication'].some(differs)) {
      throw invalidParameter('Attributes Reason: Topic already exists with different attributes');
    }
    const known = new Map(existing.tags.map((t) => [t.Key, t.Value]));
    if (tags.some((t) => known.get(t.Key) !== t.Value)) throw invalidParameter('Tags Reason: Topic already exists with different tags');
    return { TopicArn: existing.arn };
  }
  const topicArn = topicArnOf(ctx, name);
  table.put(name, { name, arn: topicArn, account: ctx.account, region: ctx.region, attributes, tags, sequence: 0, dedup: {} });
  return { TopicArn: topicArn };
};

function counts(ctx: RequestContext, topic: TopicRecord): { pending: number; confirmed: number } {
  let pending = 0;
  let confirmed = 0;
  for (const sub of subscriptions(ctx, topic).values({ prefix: `${topic.name}:` })) {
    if (sub.pending) pending++;
    else confirmed++;
  }
  return { pending, confirmed };
}

export const getTopicAttributes: Handler<SNS.GetTopicAttributesInput, SNS.GetTopicAttributesResponse> = (input, ctx) => {
  const topic = requireTopic(ctx, input.TopicArn);
  const { pending, confirmed } = counts(ctx, topic);
  const attributes: Record<string, string> = {
    Policy: defaultPolicy(topic.arn, topic.account),
    Owner: topic.account,
    SubscriptionsPending: String(pending),
    TopicArn: topic.arn,
    EffectiveDeliveryPolicy: JSON.stringify(effectiveTopicPolicy(topic.attributes.DeliveryPolicy)),
    SubscriptionsConfirmed: String(confirmed),
    DisplayName: '',
    SubscriptionsDeleted: '0',
    ...topic.attributes,
  };
  if (!isFifo(topic)) delete attributes.FifoTopic;
  // AWS shows the delivery policy filled in, and none once it is set to "".
  const deliveryPolicy = shownTopicPolicy(topic.attributes.DeliveryPolicy);
  if (deliveryPolicy === undefined) delete attributes.DeliveryPolicy;
  else attributes.DeliveryPolicy = deliveryPolicy;
  return { Attributes: attributes };
};

export const setTopicAttributes: Handler<SNS.SetTopicAttributesInput, void> = (input, ctx) => {
  const topic = requireTopic(ctx, input.TopicArn);
  const name = input.AttributeName!;
  const value = input.AttributeValue ?? '';
  if (name === 'FifoTopic') throw invalidParameter('AttributeName');
  checkTopicAttribute(name, value, isFifo(topic));
  topic.attributes[name] = value;
  topics(ctx, topic).put(topic.name, topic);
};

export const listTopics: Handler<SNS.ListTopicsInput, SNS.ListTopicsResponse> = (input, ctx) => {
  const all = topics(ctx, ctx).values();
  const page = paginate(all, (t) => t.name, PAGE, input.NextToken, () => invalidParameter('NextToken'));
  return { Topics: page.items.map((t) => ({ TopicArn: t.arn })), NextToken: page.nextToken };
};

/** DeleteTopic succeeds for a topic that does not exist, as on AWS; its subscriptions go with it. */
export const deleteTopic: Handler<SNS.DeleteTopicInput, void> = (input, ctx) => {
  const location = parseTopicArn(input.TopicArn);
  ctx.store.transaction(() => {
    topics(ctx, location).delete(location.name);
    subscriptions(ctx, location).deletePrefix(`${location.name}:`);
  });
};
