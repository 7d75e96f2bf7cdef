// HTTP/S delivery policies: when SNS retries a failed POST. A policy has four phases after the
// first attempt: retries without delay, retries minDelayTarget apart, a backoff from
// minDelayTarget to maxDelayTarget, and retries maxDelayTarget apart; numRetries counts them all.
// AWS's default is three retries 20 seconds apart. The subscription's DeliveryPolicy wins over
// the topic's http.defaultHealthyRetryPolicy unless the topic disables subscription overrides.

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

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  minDelayTarget: 20,
  maxDelayTarget: 20,
  numRetries: 3,
  numNoDelayRetries: 0,
  numMinDelayRetries: 0,
  numMaxDelayRetries: 0,
  backoffFunction: 'linear',
};

export const DEFAULT_CONTENT_TYPE = 'text/plain; charset=UTF-8';

interface HttpPolicy {
  retry: RetryPolicy;
  contentType: string;
}

function parse(text: string | undefined): Record<string, unknown> | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function object(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function retryPolicy(value: unknown, base: RetryPolicy): RetryPolicy {
  const given = object(value);
  if (!given) return base;
  const policy = { ...base };
  for (const key of ['minDelayTarget', 'maxDelayTarget', 'numRetries', 'numNoDelayRetries', 'numMinDelayRetries', 'numMaxDelayRetries'] as const) {
    const n = Number(given[key]);
    if (given[key] !== undefined && Number.isFinite(n) && n >= 0) policy[key] = Math.floor(n);
  }
  if (typeof given.backoffFunction === 'string') policy.backoffFunction = given.backoffFunction.toLowerCase();
  return policy;
}

/** The policy a delivery to this HTTP/S subscription follows. */
export function httpPolicy(topic: TopicRecord, sub: SubscriptionRecord): HttpPolicy {
  const topicHttp = object(parse(topic.attributes.DeliveryPolicy)?.http);
  const fromTopic: HttpPolicy = {
    retry: retryPolicy(topicHttp?.defaultHealthyRetryPolicy, DEFAULT_RETRY_POLICY),
    contentType: String(object(topicHttp?.defaultRequestPolicy)?.headerContentType ?? DEFAULT_CONTENT_TYPE),
  };
  if (topicHttp?.disableSubscriptionOverrides === true) return fromTopic;
  const own = parse(sub.attributes.DeliveryPolicy);
  if (!own) return fromTopic;
  return {
    retry: retryPolicy(own.healthyRetryPolicy, fromTopic.retry),
    contentType: String(object(own.requestPolicy)?.headerContentType ?? fromTopic.contentType),
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
