// Subscriptions: subscribe (idempotent per topic, protocol and endpoint), confirm, unsubscribe,
// list, and attributes. SQS, Lambda, Firehose and application endpoints are confirmed at once;
// HTTP(S) and email wait for ConfirmSubscription with the token.

import { randomBytes, randomUUID } from 'node:crypto';
import type * as SNS from '@aws-sdk/client-sns';
import { parseArn } from '../common/arn.js';
import { paginate } from '../common/pagination.js';
import type { Handler, RequestContext } from '../types.js';
import { invalidParameter, subscriptionNotFound } from './errors.js';
import { effectiveSubscriptionPolicy, shownSubscriptionPolicy } from './delivery-policy.js';
import { isFifo, parseSubscriptionArn, parseTopicArn, requireTopic, subscriptions, tokens, topics, type SubscriptionRecord } from './state.js';
import { sendConfirmation } from './http.js';
import { checkSubscriptionAttributes } from './subscription-attributes.js';

const PROTOCOLS = new Set(['http', 'https', 'email', 'email-json', 'sms', 'sqs', 'application', 'lambda', 'firehose']);
const CONFIRMED_AT_ONCE = new Set(['sqs', 'lambda', 'firehose', 'application', 'sms']);
const PAGE = 100;

function checkEndpoint(protocol: string, endpoint: string | undefined): string {
  const value = endpoint ?? '';
  const arnOf = (service: string) => {
    const parts = parseArn(value);
    return parts !== undefined && parts.service === service && /^\d{12}$/.test(parts.account);
  };
  switch (protocol) {
    case 'sqs':
      if (!arnOf('sqs')) throw invalidParameter('SQS endpoint ARN');
      break;
    case 'lambda':
      if (!arnOf('lambda')) throw invalidParameter('Lambda endpoint ARN');
      break;
    case 'firehose':
      if (!arnOf('firehose')) throw invalidParameter('Firehose endpoint ARN');
      break;
    case 'application':
      if (!arnOf('sns')) throw invalidParameter('Application endpoint ARN');
      break;
    case 'http':
    case 'https':
      if (!value.toLowerCase().startsWith(`${protocol}://`)) throw invalidParameter('Endpoint must match the specified protocol');
      break;
    case 'email':
    case 'email-json':
      if (!/^[^@\s]+@[^@\s]+$/.test(value)) throw invalidParameter('Email address');
      break;
    case 'sms':
      if (!/^\+?[0-9]{5,15}$/.test(value)) throw invalidParameter('Invalid SMS endpoint');
      break;
  }
  return value;
}

export const subscribe: Handler<SNS.SubscribeInput, SNS.SubscribeResponse> = (input, ctx) => {
  const topic = requireTopic(ctx, input.TopicArn);
  const protocol = input.Protocol!;
  if (!PROTOCOLS.has(protocol)) throw invalidParameter(`Amazon SNS does not support this protocol string: ${protocol}`);
  const endpoint = checkEndpoint(protocol, input.Endpoint);
  if (isFifo(topic) && protocol !== 'sqs') throw invalidParameter('Invalid protocol type: ' + protocol);
  const attributes: Record<string, string> = { ...(input.Attributes ?? {}) };
  if (protocol === 'firehose' && !attributes.SubscriptionRoleArn) throw invalidParameter('Attributes Reason: SubscriptionRoleArn must be set when protocol is firehose');
  checkSubscriptionAttributes(attributes, Object.keys(attributes), isFifo(topic), 'subscribe');
  if (attributes.FilterPolicy && !attributes.FilterPolicyScope) attributes.FilterPolicyScope = 'MessageAttributes';

  const table = subscriptions(ctx, topic);
  for (const existing of table.values({ prefix: `${topic.name}:` })) {
    if (existing.protocol !== protocol || existing.endpoint !== endpoint) continue;
    const same = Object.keys(input.Attributes ?? {}).every((k) => existing.attributes[k] === attributes[k]);
    if (!same) throw invalidParameter('Attributes Reason: Subscription already exists with different attributes');
    return { SubscriptionArn: existing.pending && !input.ReturnSubscriptionArn ? 'pending confirmation' : existing.arn };
  }
  const id = randomUUID();
  const key = `${topic.name}:${id}`;
  const pending = !CONFIRMED_AT_ONCE.has(protocol);
  const record: SubscriptionRecord = { key, arn: `${topic.arn}:${id}`, topicArn: topic.arn, protocol, endpoint, owner: ctx.account, attributes, pending };
  if (pending) {
    record.token = randomBytes(144).toString('hex');
    tokens(ctx, topic).put(record.token, key);
  }
  table.put(key, record);
  if (protocol === 'http' || protocol === 'https') void sendConfirmation(ctx, record, topic.region, topic.attributes.SignatureVersion ?? '1');
  return { SubscriptionArn: pending && !input.ReturnSubscriptionArn ? 'pending confirmation' : record.arn };
};

export const confirmSubscription: Handler<SNS.ConfirmSubscriptionInput, SNS.ConfirmSubscriptionResponse> = (input, ctx) => {
  const location = parseTopicArn(input.TopicArn, 'Topic');
  const key = tokens(ctx, location).get(input.Token!);
  const sub = key ? subscriptions(ctx, location).get(key) : undefined;
  if (!sub || sub.topicArn !== input.TopicArn) throw invalidParameter('Token');
  if (sub.pending) {
    sub.pending = false;
    if (input.AuthenticateOnUnsubscribe === 'true') sub.attributes.ConfirmationWasAuthenticated = 'true';
    subscriptions(ctx, location).put(sub.key, sub);
  }
  return { SubscriptionArn: sub.arn };
};

function requireSubscription(ctx: RequestContext, subscriptionArn: string | undefined): SubscriptionRecord {
  const parsed = parseSubscriptionArn(subscriptionArn);
  if (!parsed) throw invalidParameter('SubscriptionArn');
  const sub = subscriptions(ctx, parsed.location).get(parsed.key);
  if (!sub) throw subscriptionNotFound();
  return sub;
}

export const unsubscribe: Handler<SNS.UnsubscribeInput, void> = (input, ctx) => {
  const sub = requireSubscription(ctx, input.SubscriptionArn);
  const location = parseTopicArn(sub.topicArn);
  subscriptions(ctx, location).delete(sub.key);
  if (sub.token) tokens(ctx, location).delete(sub.token);
};

function summary(sub: SubscriptionRecord): SNS.Subscription {
  return { SubscriptionArn: sub.pending ? 'PendingConfirmation' : sub.arn, Owner: sub.owner, Protocol: sub.protocol, Endpoint: sub.endpoint, TopicArn: sub.topicArn };
}

export const listSubscriptions: Handler<SNS.ListSubscriptionsInput, SNS.ListSubscriptionsResponse> = (input, ctx) => {
  const page = paginate(subscriptions(ctx, ctx).values(), (s) => s.key, PAGE, input.NextToken, () => invalidParameter('NextToken'));
  return { Subscriptions: page.items.map(summary), NextToken: page.nextToken };
};

export const listSubscriptionsByTopic: Handler<SNS.ListSubscriptionsByTopicInput, SNS.ListSubscriptionsByTopicResponse> = (input, ctx) => {
  const topic = requireTopic(ctx, input.TopicArn);
  const all = subscriptions(ctx, topic).values({ prefix: `${topic.name}:` });
  const page = paginate(all, (s) => s.key, PAGE, input.NextToken, () => invalidParameter('NextToken'));
  return { Subscriptions: page.items.map(summary), NextToken: page.nextToken };
};

export const getSubscriptionAttributes: Handler<SNS.GetSubscriptionAttributesInput, SNS.GetSubscriptionAttributesResponse> = (input, ctx) => {
  const sub = requireSubscription(ctx, input.SubscriptionArn);
  return {
    Attributes: {

      Owner: sub.owner,
      RawMessageDelivery: 'false',
      TopicArn: sub.topicArn,
      Endpoint: sub.endpoint,
      Protocol: sub.protocol,
      PendingConfirmation: String(sub.pending),
      ConfirmationWasAuthenticated: 'true',
      SubscriptionArn: sub.arn,
      SubscriptionPrincipal: `arn:aws:iam::${sub.owner}:root`,
      ...sub.attributes,
      ...httpDeliveryPolicies(ctx, sub),
    },
  };
};

/** HTTP/S subscriptions show their delivery policy filled in, and the one deliveries follow. */
function httpDeliveryPolicies(ctx: RequestContext, sub: SubscriptionRecord): Record<string, string> {
  if (sub.protocol !== 'http' && sub.protocol !== 'https') return {};
  const location = parseTopicArn(sub.topicArn);
  const topic = topics(ctx, location).get(location.name);
  const out: Record<string, string> = {};
  const shown = shownSubscriptionPolicy(sub.attributes.DeliveryPolicy);
  if (shown !== undefined) out.DeliveryPolicy = shown;
  if (topic) out.EffectiveDeliveryPolicy = JSON.stringify(effectiveSubscriptionPolicy(topic, sub));
  return out;
}

export const setSubscriptionAttributes: Handler<SNS.SetSubscriptionAttributesInput, void> = (input, ctx) => {
  const sub = requireSubscription(ctx, input.SubscriptionArn);
  const name = input.AttributeName!;
  const attributes = { ...sub.attributes, [name]: input.AttributeValue ?? '' };
  if (name === 'RawMessageDelivery' && !['sqs', 'http', 'https', 'firehose'].includes(sub.protocol)) {
    throw invalidParameter('Delivery protocol [' + sub.protocol + '] does not support raw message delivery.');
  }
  checkSubscriptionAttributes(attributes, [name], sub.topicArn.endsWith('.fifo'), 'set');
  if (name === 'FilterPolicy' && attributes.FilterPolicy === '') {
    delete attributes.FilterPolicy;
    delete attributes.FilterPolicyScope;
  } else if (attributes.FilterPolicy && !attributes.FilterPolicyScope) attributes.FilterPolicyScope = 'MessageAttributes';
  sub.attributes = attributes;
  subscriptions(ctx, parseTopicArn(sub.topicArn)).put(sub.key, sub);
};
