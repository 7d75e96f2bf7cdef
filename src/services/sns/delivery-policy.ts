// HTTP/S delivery policies: when SNS retries a failed POST. A policy has four phases after the
// first attempt: retries without delay, retries minDelayTarget apart, a backoff from
// minDelayTarget to maxDelayTarget, and retries maxDelayTarget apart; numRetries counts them all.
// AWS's default is three retries 20 seconds apart. The subscription's DeliveryPolicy wins over
// the topic's http.defaultHealthyRetryPolicy unless the topic disables subscription overrides.
// Get*Attributes show both policies as AWS does: the one set, filled in (DeliveryPolicy), and the
// one deliveries follow (EffectiveDeliveryPolicy). sicklyRetryPolicy and throttlePolicy are shown,
// not applied.

import type { SubscriptionRecord, TopicRecord } from './state.js';

export interface RetryPolicy {
  minDelayTarget: number;
  maxDelayTarget: number;
  numRetries: number;
  numNoDelayRetries: number;
  numMinDelayRetries: number;
  numMaxDelayRetries: number;
  backoffFunction: string;
}

/** AWS's default for HTTP/S, in the order AWS writes it. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  minDelayTarget: 20,
  maxDelayTarget: 20,
  numRetries: 3,
  numMaxDelayRetries: 0,
  numNoDelayRetries: 0,
  numMinDelayRetries: 0,
  backoffFunction: 'linear',
};

export const DEFAULT_CONTENT_TYPE = 'text/plain; charset=UTF-8';

interface HttpPolicy {
  retry: RetryPolicy;
  contentType: string;
}

type Json = Record<string, unknown>;

function object(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function parse(text: string | undefined): Json | undefined {
  if (!text) return undefined;
  try {
    return object(JSON.parse(text));
  } catch {
    return undefined;
  }
}

function withoutNulls(value: Json): Json {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined));
}

/** A topic's DeliveryPolicy as GetTopicAttributes shows it: null members dropped, disableSubscriptionOverrides filled in. */
export function shownTopicPolicy(text: string | undefined): string | undefined {
  const given = parse(text);
  if (!given) return undefined;
  const http = object(given.http);
  if (!http) return JSON.stringify(given);
  return JSON.stringify({ ...given, http: { disableSubscriptionOverrides: false, ...withoutNulls(http) } });
}

/** The topic's EffectiveDeliveryPolicy: its http policy over AWS's defaults. */
export function effectiveTopicPolicy(text: string | undefined): { http: { defaultHealthyRetryPolicy: Json; disableSubscriptionOverrides: boolean; defaultRequestPolicy: Json } } {
  const http = object(parse(text)?.http) ?? {};
  return {
    http: {
      defaultHealthyRetryPolicy: { ...DEFAULT_RETRY_POLICY, ...withoutNulls(object(http.defaultHealthyRetryPolicy) ?? {}) },
      disableSubscriptionOverrides: http.disableSubscriptionOverrides === true,
      defaultRequestPolicy: object(http.defaultRequestPolicy) ?? { headerContentType: DEFAULT_CONTENT_TYPE },
    },
  };
}

/** An HTTP/S subscription's DeliveryPolicy as GetSubscriptionAttributes shows it: every part named, null when not given. */
export function shownSubscriptionPolicy(text: string | undefined): string | undefined {
  const given = parse(text);
  if (!given) return undefined;
  return JSON.stringify(subscriptionPolicy(given));
}

function subscriptionPolicy(given: Json): Json {
  return {
    healthyRetryPolicy: object(given.healthyRetryPolicy) ?? null,
    sicklyRetryPolicy: object(given.sicklyRetryPolicy) ?? null,
    throttlePolicy: object(given.throttlePolicy) ?? null,
    requestPolicy: object(given.requestPolicy) ?? null,
    guaranteed: given.guaranteed === true,
  };
}

/** The subscription's EffectiveDeliveryPolicy: its own parts, else the topic's defaults. */
export function effectiveSubscriptionPolicy(topic: TopicRecord, sub: SubscriptionRecord): Json {
  const fromTopic = effectiveTopicPolicy(topic.attributes.DeliveryPolicy).http;
  const own = fromTopic.disableSubscriptionOverrides ? undefined : parse(sub.attributes.DeliveryPolicy);
  const shown = subscriptionPolicy(own ?? {});
  const healthy = object(shown.healthyRetryPolicy);
  return {
    ...shown,
    healthyRetryPolicy: healthy ? { ...fromTopic.defaultHealthyRetryPolicy, ...withoutNulls(healthy) } : fromTopic.defaultHealthyRetryPolicy,
    requestPolicy: shown.requestPolicy ?? fromTopic.defaultRequestPolicy,
  };
}

function retryPolicy(value: Json): RetryPolicy {
  const policy = { ...DEFAULT_RETRY_POLICY };
  for (const key of ['minDelayTarget', 'maxDelayTarget', 'numRetries', 'numNoDelayRetries', 'numMinDelayRetries', 'numMaxDelayRetries'] as const) {
    const n = Number(value[key]);
    if (value[key] !== undefined && Number.isFinite(n) && n >= 0) policy[key] = Math.floor(n);
  }
  if (typeof value.backoffFunction === 'string') policy.backoffFunction = value.backoffFunction.toLowerCase();
  return policy;
}

/** The policy a delivery to this HTTP/S subscription follows. */
export function httpPolicy(topic: TopicRecord, sub: SubscriptionRecord): HttpPolicy {
  const effective = effectiveSubscriptionPolicy(topic, sub);
  return {
    retry: retryPolicy(object(effective.healthyRetryPolicy) ?? {}),
    contentType: String(object(effective.requestPolicy)?.headerContentType ?? DEFAULT_CONTENT_TYPE),
  };
}

/** How far along the backoff phase's range from min to max the k-th of n retries waits (0..1). */
function backoffShare(fn: string, k: number, n: number): number {
  const x = n <= 1 ? 1 : k / (n - 1);
  switch (fn) {
    case 'arithmetic':
      return x * x;
    case 'geometric':
      return x * x * x;
    case 'exponential':
      return (2 ** (10 * x) - 1) / (2 ** 10 - 1);
    default:
      return x;
  }
}

/** Seconds to wait before each retry, in order (its length is the number of retries). */
export function retryDelays(policy: RetryPolicy): number[] {
  const { minDelayTarget: min, maxDelayTarget: max } = policy;
  const noDelay = Math.min(policy.numNoDelayRetries, policy.numRetries);
  const minPhase = Math.min(policy.numMinDelayRetries, policy.numRetries - noDelay);
  const maxPhase = Math.min(policy.numMaxDelayRetries, policy.numRetries - noDelay - minPhase);
  const backoff = policy.numRetries - noDelay - minPhase - maxPhase;
  const delays: number[] = [];
  for (let i = 0; i < noDelay; i++) delays.push(0);
  for (let i = 0; i < minPhase; i++) delays.push(min);
  for (let k = 0; k < backoff; k++) delays.push(Math.round(min + (max - min) * backoffShare(policy.backoffFunction, k, backoff)));
  for (let i = 0; i < maxPhase; i++) delays.push(max);
  return delays;
}
