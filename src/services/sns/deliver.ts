// Fan-out: every confirmed subscription of the topic whose filter policy accepts the message gets
// it. SQS subscribers receive it through SQS's own SendMessage (enveloped, or raw with its
// attributes as SQS message attributes); Lambda subscribers through Lambda's Invoke (Event); a
// failed delivery goes to the subscription's dead-letter queue when it has one. HTTP(S)
// endpoints get a POST (http.ts), retried as the delivery policy says (delivery-policy.ts). Email, SMS, Firehose and mobile push are not delivered.

import type * as SNS from '@aws-sdk/client-sns';
import { parseArn } from '../common/arn.js';
import type { RequestContext } from '../types.js';
import { policyAllowsInvoke } from '../lambda/permissions.js';
import { envelope, lambdaEvent, type Notification } from './envelope.js';
import { httpPolicy, retryDelays } from './delivery-policy.js';
import { baseUrl, sendNotification } from './http.js';
import { isFifo, subscriptions, type SubscriptionRecord, type TopicRecord } from './state.js';
import { filterPolicy } from './subscription-attributes.js';

export interface Outgoing extends Notification {
  structure?: string;
  groupId?: string;
  deduplicationId?: string;
}

/** The event a filter policy on message attributes sees: String and Number values, *.Array as arrays; Binary is ignored. */
function attributeEvent(attributes: Record<string, SNS.MessageAttributeValue> | undefined): Record<string, unknown> {
  const event: Record<string, unknown> = {};
  for (const [name, a] of Object.entries(attributes ?? {})) {
    const type = a.DataType ?? '';
    if (type === 'String.Array' || type === 'Number.Array') {
      try {
        event[name] = JSON.parse(a.StringValue!);
      } catch {
        // not an array: the policy cannot match it
      }
    } else if (type.startsWith('Number')) event[name] = Number(a.StringValue);
    else if (type.startsWith('String')) event[name] = a.StringValue;
  }
  return event;
}

function isNonEmptyObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length > 0;
}

function accepts(sub: SubscriptionRecord, message: string, attributes: Outgoing['attributes']): boolean {
  const policy = sub.attributes.FilterPolicy;
  if (!policy) return true;
  const scope = sub.attributes.FilterPolicyScope ?? 'MessageAttributes';
  if (scope === 'MessageBody') {
    let body: unknown;
    try {
      body = JSON.parse(message);
    } catch {
      return false;
    }
    return isNonEmptyObject(body) && filterPolicy(policy, scope).matches(body);
  }
  // A message without attributes matches no policy, not even one of `exists: false` alone.
  const event = attributeEvent(attributes);
  return isNonEmptyObject(event) && filterPolicy(policy, scope).matches(event);
}

/** The message a protocol gets: with MessageStructure json, its own key or "default". */
function messageFor(protocol: string, n: Outgoing): string {
  if (n.structure !== 'json') return n.message;
  const parsed = JSON.parse(n.message) as Record<string, unknown>;
  const own = parsed[protocol];
  return typeof own === 'string' ? own : (parsed.default as string);
}

function queueUrlOf(queueArn: string): string | undefined {
  const parts = parseArn(queueArn);
  if (!parts || parts.service !== 'sqs') return undefined;
  return `https://sqs.${parts.region}.amazonaws.com/${parts.account}/${parts.resource}`;
}

async function sendToQueue(ctx: RequestContext, queueArn: string, body: string, n: Outgoing, raw: boolean): Promise<void> {
  const queueUrl = queueUrlOf(queueArn);
  if (!queueUrl) throw new Error(`not a queue ARN: ${queueArn}`);
  const request: Record<string, unknown> = { QueueUrl: queueUrl, MessageBody: body };
  if (raw && n.attributes && Object.keys(n.attributes).length) {
    request.MessageAttributes = Object.fromEntries(
      Object.entries(n.attributes).map(([name, a]) => [name, a.DataType!.startsWith('Binary') ? { DataType: a.DataType, BinaryValue: Buffer.from(a.BinaryValue!) } : { DataType: a.DataType, StringValue: a.StringValue }]),
    );
  }
  if (queueArn.endsWith('.fifo')) {
    // A FIFO queue needs a group; a standard topic's message without one goes to a single group.
    request.MessageGroupId = n.groupId ?? 'default';
    if (n.deduplicationId) request.MessageDeduplicationId = n.deduplicationId;
  }
  await ctx.call('sqs', 'SendMessage', request);
}

/** The body a subscriber gets: the message itself with raw delivery, else the signed envelope. */
function bodyFor(ctx: RequestContext, topic: TopicRecord, sub: SubscriptionRecord, n: Outgoing): { body: string; raw: boolean } {
  const raw = sub.attributes.RawMessageDelivery === 'true';
  const message = messageFor(sub.protocol, n);
  if (raw) return { body: message, raw };
  const signatureVersion = topic.attributes.SignatureVersion ?? '1';
  const options = { baseUrl: baseUrl(ctx), region: topic.region, subscriptionArn: sub.arn, signatureVersion, fifo: isFifo(topic) };
  return { body: JSON.stringify(envelope({ ...n, message }, options)), raw };
}

/** A message SNS gave up on goes to the subscription's dead-letter queue, when it has one. */
async function toDeadLetterQueue(ctx: RequestContext, sub: SubscriptionRecord, body: string, n: Outgoing, raw: boolean): Promise<void> {
  const dlq = sub.attributes.RedrivePolicy ? (JSON.parse(sub.attributes.RedrivePolicy) as { deadLetterTargetArn?: string }).deadLetterTargetArn : undefined;
  if (dlq) await sendToQueue(ctx, dlq, body, n, raw).catch(() => undefined);
}

// A failed SQS or Lambda delivery is a client-side error (the queue or function is gone, or
// refuses the message): AWS does not retry those, it dead-letters them at once.
async function deliverToQueue(ctx: RequestContext, topic: TopicRecord, sub: SubscriptionRecord, n: Outgoing): Promise<void> {
  const { body, raw } = bodyFor(ctx, topic, sub, n);
  try {
    await sendToQueue(ctx, sub.endpoint, body, n, raw);
  } catch {
    await toDeadLetterQueue(ctx, sub, body, n, raw);
  }
}

/**
 * POSTs to an HTTP/S subscriber in the background, retrying on Fogbank's clock as the delivery
 * policy says; when the retries run out, the message goes to the dead-letter queue.
 */
function deliverToEndpoint(ctx: RequestContext, topic: TopicRecord, sub: SubscriptionRecord, n: Outgoing): void {
  const { body, raw } = bodyFor(ctx, topic, sub, n);
  const policy = httpPolicy(topic, sub);
  const delays = retryDelays(policy.retry);
  const attempt = async (retry: number): Promise<void> => {
    if (await sendNotification(sub, n.messageId, body, raw, policy.contentType)) return;
    if (retry >= delays.length) return toDeadLetterQueue(ctx, sub, body, n, raw);
    const delay = delays[retry]!;
    if (delay === 0) return attempt(retry + 1);
    ctx.clock.after(delay * 1000, () => void attempt(retry + 1));
  };
  void attempt(0);
}

/** Lambda subscribers are invoked asynchronously (InvocationType Event), as AWS does. */
async function deliverToFunction(ctx: RequestContext, topic: TopicRecord, sub: SubscriptionRecord, n: Outgoing): Promise<void> {
  const options = { baseUrl: baseUrl(ctx), region: topic.region, subscriptionArn: sub.arn, signatureVersion: topic.attributes.SignatureVersion ?? '1' };
  const payload = Buffer.from(JSON.stringify(lambdaEvent({ ...n, message: messageFor('lambda', n) }, options)));
  try {
    // SNS may invoke only when the function's resource policy allows sns.amazonaws.com for this topic.
    const allowed = await policyAllowsInvoke(ctx, sub.endpoint, { principal: 'sns.amazonaws.com', sourceArn: topic.arn, sourceAccount: topic.account });
    if (!allowed) throw new Error('Not authorized to invoke the function');
    await ctx.call('lambda', 'Invoke', { FunctionName: sub.endpoint, InvocationType: 'Event', Payload: payload });
  } catch {
    await toDeadLetterQueue(ctx, sub, bodyFor(ctx, topic, sub, n).body, n, false);
  }
}

export async function fanOut(ctx: RequestContext, topic: TopicRecord, messages: Outgoing[]): Promise<void> {
  const subs = subscriptions(ctx, topic).values({ prefix: `${topic.name}:` }).filter((s) => !s.pending);
  for (const n of messages) {
    for (const sub of subs) {
      if (!accepts(sub, n.message, n.attributes)) continue;
      if (sub.protocol === 'sqs') await deliverToQueue(ctx, topic, sub, n);
      else if (sub.protocol === 'lambda') await deliverToFunction(ctx, topic, sub, n);
      else if (sub.protocol === 'http' || sub.protocol === 'https') deliverToEndpoint(ctx, topic, sub, n);
    }
  }
}
