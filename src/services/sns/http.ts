// HTTP/HTTPS subscribers: the SubscriptionConfirmation SNS POSTs when one subscribes (its
// SubscribeURL, or ConfirmSubscription with its Token, confirms), and notifications POSTed to
// confirmed endpoints, with the headers AWS sends. Posts run in the background; a failed post is
// dropped (AWS retries per the delivery policy).

import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../types.js';
import { actionUrl, sign, signingCertUrl } from './envelope.js';
import type { SubscriptionRecord } from './state.js';

const USER_AGENT = 'Amazon Simple Notification Service Agent';

export function baseUrl(ctx: RequestContext): string {
  const scheme = ctx.headers['x-forwarded-proto'] === 'https' ? 'https' : 'http';
  return `${scheme}://${ctx.headers['host'] || 'localhost:4566'}`;
}

export function post(url: string, body: string, headers: Record<string, string>): Promise<void> {
  return fetch(url, {
    method: 'POST',
    body,
    headers: { 'content-type': 'text/plain; charset=UTF-8', 'user-agent': USER_AGENT, ...headers },
    signal: AbortSignal.timeout(15_000),
  }).then(
    (response) => void response.body?.cancel(),
    () => undefined,
  );
}

/** The SubscriptionConfirmation message, as AWS words and signs it. */
export function sendConfirmation(ctx: RequestContext, sub: SubscriptionRecord, region: string, signatureVersion: string): Promise<void> {
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
export function sendNotification(sub: SubscriptionRecord, messageId: string, body: string, raw: boolean): Promise<void> {
  const headers: Record<string, string> = {
    'x-amz-sns-message-type': 'Notification',
    'x-amz-sns-message-id': messageId,
    'x-amz-sns-topic-arn': sub.topicArn,
    'x-amz-sns-subscription-arn': sub.arn,
  };
  if (raw) headers['x-amz-sns-rawdelivery'] = 'true';
  return post(sub.endpoint, body, headers);
}
