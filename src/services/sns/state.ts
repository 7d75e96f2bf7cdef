// SNS state: topics keyed by name and subscriptions keyed by "<topic name>:<id>" (so a topic's
// subscriptions list together), both in the account and region of the topic's ARN, plus pending
// confirmation tokens.

import { arn, parseArn } from '../common/arn.js';
import type { Tag } from '../common/tags.js';
import type { Collection } from '../../store/store.js';
import type { RequestContext } from '../types.js';
import { invalidParameter, topicNotFound } from './errors.js';

export interface TopicRecord {
  name: string;
  arn: string;
  account: string;
  region: string;
  attributes: Record<string, string>;
  tags: Tag[];
  /** FIFO topics: the last sequence number issued. */
  sequence: number;
  /** FIFO topics: deduplication ids seen in the last five minutes -> the answer first given. */
  dedup: Record<string, { messageId: string; sequenceNumber: string; expires: number }>;
}

export interface SubscriptionRecord {
  key: string;
  arn: string;
  topicArn: string;
  protocol: string;
  endpoint: string;
  owner: string;
  attributes: Record<string, string>;
  pending: boolean;
  token?: string;
}

export interface TopicLocation {
  account: string;
  region: string;
  name: string;
}

export function topics(ctx: RequestContext, where: { account: string; region: string }): Collection<TopicRecord> {
  return ctx.store.collection<TopicRecord>('sns', 'topics', where);
}

export function subscriptions(ctx: RequestContext, where: { account: string; region: string }): Collection<SubscriptionRecord> {
  return ctx.store.collection<SubscriptionRecord>('sns', 'subscriptions', where);
}

export function tokens(ctx: RequestContext, where: { account: string; region: string }): Collection<string> {
  return ctx.store.collection<string>('sns', 'tokens', where);
}

export function topicArnOf(ctx: RequestContext, name: string): string {
  return arn({ service: 'sns', region: ctx.region, account: ctx.account, resource: name });
}

export function parseTopicArn(text: string | undefined, parameter = 'TopicArn'): TopicLocation {
  const parts = text ? parseArn(text) : undefined;
  if (!parts || parts.service !== 'sns' || !/^\d{12}$/.test(parts.account) || !parts.region || !parts.resource || parts.resource.includes(':')) {
    throw invalidParameter(parameter);
  }
  return { account: parts.account, region: parts.region, name: parts.resource };
}

export function requireTopic(ctx: RequestContext, topicArn: string | undefined): TopicRecord {
  const location = parseTopicArn(topicArn);
  const topic = topics(ctx, location).get(location.name);
  if (!topic) throw topicNotFound();
  return topic;
}

export function isFifo(topic: TopicRecord): boolean {
  return topic.attributes.FifoTopic === 'true';
}

/** A subscription ARN: the topic's ARN and a subscription id. */
export function parseSubscriptionArn(text: string | undefined): { location: TopicLocation; key: string } | undefined {
  const parts = text ? parseArn(text) : undefined;
  if (!parts || parts.service !== 'sns') return undefined;
  const [name, id, ...rest] = parts.resource.split(':');
  if (!name || !id || rest.length) return undefined;
  return { location: { account: parts.account, region: parts.region, name }, key: `${name}:${id}` };
}
