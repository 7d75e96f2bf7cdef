// S3 event notifications on their way out: the event record in S3's exact shape (eventVersion 2.1,
// URL-encoded key, sequencer), matched against the bucket's rules and delivered through the target
// service's own operations (SQS SendMessage, SNS Publish, Lambda Invoke with InvocationType Event,
// EventBridge PutEvents).
// Delivery runs after the S3 answer and never fails the S3 request: a failure is logged and dropped.

import { parseArn } from '../common/arn.js';
import type { RequestContext } from '../types.js';
import { eventBridgeEntry, sendToEventBridge } from './eventbridge.js';
import { canonicalUserId } from './owner.js';
import { eventMatches, readNotifications } from './notifications.js';
import { buckets, nowIso } from './state.js';
import { hostId } from '../../protocols/rest.js';

export interface Destination {
  kind: 'queue' | 'topic' | 'function';
  arn: string;
}

export interface ObjectEvent {
  /** "ObjectCreated:Put", "ObjectCreated:Copy", "ObjectCreated:CompleteMultipartUpload", "ObjectRemoved:Delete". */
  eventName: string;
  key: string;
  /** Created objects only. */
  size?: number;
  /** Quoted, as stored; the record carries it unquoted. */
  etag?: string;
  versionId?: string;
}


/** Keys as S3 writes them into event records: form-URL-encoded (spaces as '+'), slashes kept. */
export function encodeEventKey(key: string): string {
  return encodeURIComponent(key)
    .replace(/%2F/g, '/')
    .replace(/%20/g, '+')
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

let lastSequence = 0n;

/** Sequencers order events for one key: hex, growing with time (as S3's do). */
function nextSequencer(ctx: RequestContext): string {
  let value = BigInt(ctx.clock.now()) * 1_000_000n;
  if (value <= lastSequence) value = lastSequence + 1n;
  lastSequence = value;
  return value.toString(16).toUpperCase().padStart(18, '0');
}

function queueUrlOf(arn: string): string | undefined {
  const parts = parseArn(arn);
  return parts ? `https://sqs.${parts.region}.amazonaws.com/${parts.account}/${parts.resource}` : undefined;
}

export async function sendToDestination(ctx: RequestContext, destination: Destination, message: string): Promise<void> {
  try {
    if (destination.kind === 'queue') {
      await ctx.call('sqs', 'SendMessage', { QueueUrl: queueUrlOf(destination.arn), MessageBody: message });
    } else if (destination.kind === 'topic') {
      await ctx.call('sns', 'Publish', { TopicArn: destination.arn, Message: message, Subject: 'Amazon S3 Notification' });
    } else {
      await ctx.call('lambda', 'Invoke', { FunctionName: destination.arn, InvocationType: 'Event', Payload: Buffer.from(message) });
    }
  } catch (error) {
    console.warn(`fogbank s3: notification to ${destination.arn} failed: ${(error as Error).message}`);
  }
}

function record(ctx: RequestContext, bucket: string, bucketRegion: string, bucketAccount: string, configurationId: string, event: ObjectEvent, sequencer: string) {
  const object: Record<string, unknown> = { key: encodeEventKey(event.key) };
  if (event.size !== undefined) object.size = event.size;
  if (event.etag !== undefined) object.eTag = event.etag.replace(/"/g, '');
  if (event.versionId !== undefined) object.versionId = event.versionId;
  object.sequencer = sequencer;
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: bucketRegion,
    eventTime: nowIso(ctx),
    eventName: event.eventName,
    userIdentity: { principalId: `AWS:${ctx.accessKeyId ?? ctx.account}` },
    requestParameters: { sourceIPAddress: sourceIp(ctx) },
    responseElements: { 'x-amz-request-id': ctx.requestId, 'x-amz-id-2': hostId(ctx.requestId) },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId,
      bucket: { name: bucket, ownerIdentity: { principalId: canonicalUserId(bucketAccount) }, arn: `arn:aws:s3:::${bucket}` },
      object,
    },
  };
}

function sourceIp(ctx: RequestContext): string {
  const forwarded = ctx.headers['x-forwarded-for']?.split(',')[0]?.trim();
  return forwarded || '127.0.0.1';
}

/**
 * Sends the event to every rule of the bucket it matches, and to EventBridge when the bucket has it
 * switched on. Call after the change is committed; it returns at once and delivers in the background.
 */
export function notify(ctx: RequestContext, bucket: string, event: ObjectEvent): void {
  const stored = readNotifications(ctx, bucket);
  if (!stored) return;
  const matching = stored.rules.filter(
    (rule) =>
      rule.events.some((e) => eventMatches(e, event.eventName)) &&
      (rule.prefix === undefined || event.key.startsWith(rule.prefix)) &&
      (rule.suffix === undefined || event.key.endsWith(rule.suffix)),
  );
  if (matching.length === 0 && !stored.eventBridge) return;
  const owner = buckets(ctx).get(bucket);
  const sequencer = nextSequencer(ctx);
  const region = owner?.region ?? ctx.region;
  const account = owner?.account ?? ctx.account;
  const messages = matching.map((rule) => ({ rule, body: JSON.stringify({ Records: [record(ctx, bucket, region, account, rule.id, event, sequencer)] }) }));
  const bridged = stored.eventBridge ? eventBridgeEntry(ctx, bucket, event, sequencer, sourceIp(ctx)) : undefined;
  void (async () => {
    for (const { rule, body } of messages) await sendToDestination(ctx, rule, body);
    if (bridged) await sendToEventBridge(ctx, bridged);
  })();
}
