// PutBucketNotificationConfiguration and GetBucketNotificationConfiguration: the bucket's queue,
// topic and function configurations (and the EventBridge switch), checked as S3 checks them
// (supported event names, prefix/suffix filter rules, no two rules that could both match one event,
// destinations that exist), stored under "<bucket>/notification". A put sends the s3:TestEvent to
// each queue and topic, as S3 does.

import type * as S3 from '@aws-sdk/client-s3';
import { ServiceError } from '../../errors.js';
import { parseArn } from '../common/arn.js';
import type { Handler, RequestContext } from '../types.js';
import { bucketConfigs } from './bucket-config.js';
import { invalidArgument } from './errors.js';
import { policyAllowsInvoke } from '../lambda/permissions.js';
import { hostId } from '../../protocols/rest.js';
import { sendToDestination, type Destination } from './events.js';
import { getBucket, nowIso } from './state.js';

export interface NotificationRule {
  id: string;
  kind: Destination['kind'];
  arn: string;
  events: string[];
  prefix?: string;
  suffix?: string;
}

export interface StoredNotifications {
  rules: NotificationRule[];
  eventBridge: boolean;
}

// The event types S3 accepts in a notification configuration.
const SUPPORTED_EVENTS = new Set(
  [
    'ObjectCreated:*', 'ObjectCreated:Put', 'ObjectCreated:Post', 'ObjectCreated:Copy', 'ObjectCreated:CompleteMultipartUpload',
    'ObjectRemoved:*', 'ObjectRemoved:Delete', 'ObjectRemoved:DeleteMarkerCreated',
    'ObjectRestore:*', 'ObjectRestore:Post', 'ObjectRestore:Completed', 'ObjectRestore:Delete',
    'ReducedRedundancyLostObject',
    'Replication:*', 'Replication:OperationFailedReplication', 'Replication:OperationNotTracked', 'Replication:OperationMissedThreshold', 'Replication:OperationReplicatedAfterThreshold',
    'LifecycleExpiration:*', 'LifecycleExpiration:Delete', 'LifecycleExpiration:DeleteMarkerCreated', 'LifecycleTransition',
    'IntelligentTiering', 'ObjectTagging:*', 'ObjectTagging:Put', 'ObjectTagging:Delete', 'ObjectAcl:Put',
  ].map((e) => `s3:${e}`),
);

const notificationId = (bucket: string) => `${bucket}/notification`;

export function readNotifications(ctx: RequestContext, bucket: string): StoredNotifications | undefined {
  return bucketConfigs(ctx).get(notificationId(bucket)) as StoredNotifications | undefined;
}

type FilterInput = S3.NotificationConfigurationFilter | undefined;

function parseFilter(filter: FilterInput): { prefix?: string; suffix?: string } {
  const out: { prefix?: string; suffix?: string } = {};
  for (const rule of filter?.Key?.FilterRules ?? []) {
    const name = (rule.Name ?? '').toLowerCase();
    if (name !== 'prefix' && name !== 'suffix') throw invalidArgument('filter rule name must be either prefix or suffix', 'FilterRule.Name', rule.Name);
    if (out[name] !== undefined) throw invalidArgument(`Cannot specify more than one ${name} rule in a filter.`, 'FilterRule.Name', rule.Name);
    out[name] = rule.Value ?? '';
  }
  return out;
}

/** Two rules overlap when one event type can match both and one key can match both filters. */
function overlaps(a: NotificationRule, b: NotificationRule): boolean {
  const sharesEvent = a.events.some((x) => b.events.some((y) => x === y || covers(x, y) || covers(y, x)));
  if (!sharesEvent) return false;
  const [pa, pb] = [a.prefix ?? '', b.prefix ?? ''];
  const [sa, sb] = [a.suffix ?? '', b.suffix ?? ''];
  return (pa.startsWith(pb) || pb.startsWith(pa)) && (sa.endsWith(sb) || sb.endsWith(sa));
}

/** "s3:ObjectCreated:*" covers "s3:ObjectCreated:Put". */
function covers(wild: string, event: string): boolean {
  return wild.endsWith(':*') && event.startsWith(wild.slice(0, -1));
}

/** Whether a configured event type (possibly a wildcard) matches an event name like "ObjectCreated:Put". */
export function eventMatches(configured: string, eventName: string): boolean {
  const full = `s3:${eventName}`;
  return configured === full || covers(configured, full);
}

async function destinationExists(ctx: RequestContext, rule: NotificationRule): Promise<boolean> {
  const parts = parseArn(rule.arn);
  const expected = { queue: 'sqs', topic: 'sns', function: 'lambda' }[rule.kind];
  if (!parts || parts.service !== expected) return false;
  try {
    if (rule.kind === 'queue') await ctx.call('sqs', 'GetQueueUrl', { QueueName: parts.resource, QueueOwnerAWSAccountId: parts.account });
    else if (rule.kind === 'topic') await ctx.call('sns', 'GetTopicAttributes', { TopicArn: rule.arn });
    else await ctx.call('lambda', 'GetFunction', { FunctionName: rule.arn });
    return true;
  } catch {
    return false;
  }
}

/** S3 checks the function's resource policy lets s3.amazonaws.com invoke it for this bucket. */
function mayInvoke(ctx: RequestContext, bucket: string, functionArn: string): Promise<boolean> {
  return policyAllowsInvoke(ctx, functionArn, { principal: 's3.amazonaws.com', sourceArn: `arn:aws:s3:::${bucket}`, sourceAccount: ctx.account });
}

const MISSING: Record<Destination['kind'], string> = {
  queue: 'The destination queue does not exist',
  topic: 'The destination topic does not exist',
  function: 'The destination Lambda function does not exist',
};

function collectRules(config: S3.NotificationConfiguration): NotificationRule[] {
  const rules: NotificationRule[] = [];
  let generated = 0;
  const add = (kind: Destination['kind'], arn: string | undefined, c: { Id?: string; Events?: string[]; Filter?: FilterInput }) => {
    for (const event of c.Events ?? []) {
      if (!SUPPORTED_EVENTS.has(event)) throw invalidArgument('The event is not supported for notifications', 'Event', event);
    }
    // S3 names a configuration sent without an Id.
    const id = c.Id || `fogbank-notification-${++generated}`;
    rules.push({ id, kind, arn: arn ?? '', events: [...new Set(c.Events ?? [])], ...parseFilter(c.Filter) });
  };
  for (const c of config.QueueConfigurations ?? []) add('queue', c.QueueArn, c);
  for (const c of config.TopicConfigurations ?? []) add('topic', c.TopicArn, c);
  for (const c of config.LambdaFunctionConfigurations ?? []) add('function', c.LambdaFunctionArn, c);
  return rules;
}

export const putBucketNotificationConfiguration: Handler<S3.PutBucketNotificationConfigurationRequest> = async (input, ctx) => {
  const bucket = input.Bucket!;
  getBucket(ctx, bucket);
  const config = input.NotificationConfiguration ?? {};
  const rules = collectRules(config);
  for (let i = 0; i < rules.length; i++) {
    for (let j = i + 1; j < rules.length; j++) {
      if (overlaps(rules[i]!, rules[j]!)) {
        throw invalidArgument('Configuration is ambiguously defined. Cannot have overlapping suffixes in two rules if the prefixes are overlapping for the same event type.', 'Event', rules[i]!.events.join(','));
      }
    }
  }
  if (!input.SkipDestinationValidation) {
    const refused: Array<{ rule: NotificationRule; reason: string }> = [];
    for (const rule of rules) {
      if (!(await destinationExists(ctx, rule))) refused.push({ rule, reason: MISSING[rule.kind] });
      else if (rule.kind === 'function' && !(await mayInvoke(ctx, bucket, rule.arn))) {
        refused.push({ rule, reason: `Not authorized to invoke function [${rule.arn}]` });
      }
    }
    if (refused.length) {
      const fields: Record<string, string> = {};
      refused.forEach(({ rule, reason }, i) => {
        fields[`ArgumentName${i + 1}`] = rule.arn;
        fields[`ArgumentValue${i + 1}`] = reason;
      });
      throw new ServiceError('InvalidArgument', 'Unable to validate the following destination configurations', { fields });
    }
  }
  const stored: StoredNotifications = { rules, eventBridge: config.EventBridgeConfiguration !== undefined };
  if (rules.length === 0 && !stored.eventBridge) bucketConfigs(ctx).delete(notificationId(bucket));
  else bucketConfigs(ctx).put(notificationId(bucket), stored);
  await sendTestEvents(ctx, bucket, rules);
  return {};
};

/** S3 tells each queue and topic it has been configured (functions get no test event). */
async function sendTestEvents(ctx: RequestContext, bucket: string, rules: NotificationRule[]): Promise<void> {
  const message = JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent', Time: nowIso(ctx), Bucket: bucket, RequestId: ctx.requestId, HostId: hostId(ctx.requestId) });
  const seen = new Set<string>();
  for (const rule of rules) {
    if (rule.kind === 'function' || seen.has(rule.arn)) continue;
    seen.add(rule.arn);
    await sendToDestination(ctx, { kind: rule.kind, arn: rule.arn }, message);
  }
}

export const getBucketNotificationConfiguration: Handler<S3.GetBucketNotificationConfigurationRequest, S3.NotificationConfiguration> = (input, ctx) => {
  getBucket(ctx, input.Bucket!);
  const stored = readNotifications(ctx, input.Bucket!);
  if (!stored) return {};
  const shape = (rule: NotificationRule) => {
    const filterRules: S3.FilterRule[] = [
      ...(rule.prefix !== undefined ? [{ Name: 'Prefix' as S3.FilterRuleName, Value: rule.prefix }] : []),
      ...(rule.suffix !== undefined ? [{ Name: 'Suffix' as S3.FilterRuleName, Value: rule.suffix }] : []),
    ];
    return { Id: rule.id, Events: rule.events as S3.Event[], ...(filterRules.length ? { Filter: { Key: { FilterRules: filterRules } } } : {}) };
  };
  const of = (kind: Destination['kind']) => stored.rules.filter((r) => r.kind === kind);
  const queues = of('queue').map((r) => ({ ...shape(r), QueueArn: r.arn }));
  const topics = of('topic').map((r) => ({ ...shape(r), TopicArn: r.arn }));
  const functions = of('function').map((r) => ({ ...shape(r), LambdaFunctionArn: r.arn }));
  return {
    ...(topics.length ? { TopicConfigurations: topics } : {}),
    ...(queues.length ? { QueueConfigurations: queues } : {}),
    ...(functions.length ? { LambdaFunctionConfigurations: functions } : {}),
    ...(stored.eventBridge ? { EventBridgeConfiguration: {} } : {}),
  };
};
