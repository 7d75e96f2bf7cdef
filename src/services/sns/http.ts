// HTTP/HTTPS subscribers: the SubscriptionConfirmation SNS POSTs when one subscribes (its
// SubscribeURL, or ConfirmSubscription with its Token, confirms), and notifications POSTed to
// confirmed endpoints, with the headers AWS sends. Posts run in the background; deliver.ts retries
// a failed notification as the delivery policy says.

import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../types.js';
import { actionUrl, sign, signingCertUrl } from './envelope.js';
import { DEFAULT_CONTENT_TYPE } from './delivery-policy.js';
import type { SubscriptionRecord } from './state.js';

const USER_AGENT = 'Amazon Simple Notification Service Agent';

export function baseUrl(ctx: RequestContext): string {
  const scheme = ctx.headers['x-forwarded-proto'] === 'https' ? 'https' : 'http';
  return `${scheme}://${ctx.headers['host'] || 'localhost:4566'}`;
}

/**
 * POSTs to an endpoint; true when SNS counts it delivered: any answer from 200 to 499 (AWS
 * retries only server errors, unreachable endpoints and answers slower than 15 seconds).
 */
export function post(url: string, body: string, headers: Record<string, string>): Promise<boolean> {
  return fetch(url, {
    method: 'POST',
    body,
    headers: { 'content-type': DEFAULT_CONTENT_TYPE, 'user-agent': USER_AGENT, ...headers },
    signal: AbortSignal.timeout(15_000),
  }).then(
    (response) => {
      void response.body?.cancel();
      return response.status >= 200 && response.status < 500;
    },
    () => false,
  );
}

/** The SubscriptionConfirmation message, as AWS words and signs it. */
export function sendConfirmation(ctx: RequestContext, sub: SubscriptionRecord, region: string, signatureVersion: string): Promise<boolean> {
  const messageId = randomUUID();
  const message = `You have chosen to subscribe to the topic ${sub.topicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`;
  const subscribeUrl = actionUrl(baseUrl(ctx), 'ConfirmSubscription', { TopicArn: sub.topicArn, Token: sub.token! });
  const timestamp = new Date(ctx.clock.now()).toISOString();
  const body = {
    Type: 'SubscriptionConfirmation',
    MessageId: messageId,
    Token: sub.token,
    TopicArn: sub.topicArn,
    Message: message,
    SubscribeURL: subscribeUrl,
    Timestamp: timestamp,
    SignatureVersion: signatureVersion,
    Signature: sign(
      [['Message', message], ['MessageId', messageId], ['SubscribeURL', subscribeUrl], ['Timestamp', timestamp], ['Token', sub.token], ['TopicArn', sub.topicArn], ['Type', 'SubscriptionConfirmation']],
      signatureVersion,
    ),
    SigningCertURL: signingCertUrl(region),
  };
  return post(sub.endpoint, JSON.stringify(body), {
    'x-amz-sns-message-type': 'SubscriptionConfirmation',
    'x-amz-sns-message-id': messageId,
    'x-amz-sns-topic-arn': sub.topicArn,
  });
}

/** A notification to a confirmed endpoint: the envelope, or the bare message with raw delivery. */
export function sendNotification(sub: SubscriptionRecord, messageId: string, body: string, raw: boolean, contentType: string): Promise<boolean> {
  const headers: Record<string, string> = {
    'content-type': contentType,
    'x-amz-sns-message-type': 'Notification',
    'x-amz-sns-message-id': messageId,
    'x-amz-sns-topic-arn': sub.topicArn,
    'x-amz-sns-subscription-arn': sub.arn,
  };
  if (raw) headers['x-amz-sns-rawdelivery'] = 'true';
  return post(sub.endpoint, body, headers);
}
