// Delivery of one matched event to a rule's targets, through the same internal dispatch a client
// uses: Lambda (asynchronous invoke), SQS (FIFO with the target's message group), SNS, Step
// Functions (StartExecution), another event bus, CloudWatch Logs, API destinations (an HTTP
// call, see api-destinations/invoke.ts) and API Gateway REST API stages (api-gateway-target.ts). The first attempt runs before PutEvents answers (a test
// that publishes then reads the queue sees the message); a failed attempt is retried on the clock
// under the target's RetryPolicy, then dead-lettered (failures.ts). A request's messages for one
// queue travel in SendMessageBatch calls, one store transaction per ten messages. Retries waiting
// on the clock are kept in the store and resumed at the next start (stored-retries.ts).

import { randomUUID } from 'node:crypto';
import type * as EB from '@aws-sdk/client-eventbridge';
import { parseArn } from '../common/arn.js';
import type { RequestContext } from '../types.js';
import { invokeApiDestination } from './api-destinations/invoke.js';
import { invokeApiGateway } from './api-gateway-target.js';
import { backoffMs, classify, deadLetter, retryVerdict, TargetFailure } from './failures.js';
import { targetInput, type EventEnvelope } from './input.js';
import type { RuleRecord } from './state.js';
import { StoredRetries } from './stored-retries.js';

/** One event on its way to one target. */
export interface Delivery {
  ruleArn: string;
  target: EB.Target;
  event: EventEnvelope;
  input: string;
  ingestedAt: number;
}

/** SQS takes at most ten messages and 256 KiB per SendMessageBatch. */
const BATCH_ENTRIES = 10;
const BATCH_BYTES = 256 * 1024;

/** What each of the rule's targets receives for the event (targets whose input AWS would not deliver are left out). */
export function deliveriesFor(rule: RuleRecord, event: EventEnvelope, ingested: string): Delivery[] {
  const ingestedAt = Date.parse(ingested);
  const out: Delivery[] = [];
  for (const target of rule.targets) {
    let input: string | undefined;
    try {
      input = targetInput(target, event, rule, ingested);
    } catch {
      input = undefined;
    }
    if (input !== undefined) out.push({ ruleArn: rule.arn, target, event, input, ingestedAt });
  }
  return out;
}

export async function deliverToTargets(ctx: RequestContext, rule: RuleRecord, event: EventEnvelope, ingested: string): Promise<void> {
  await deliverAll(ctx, deliveriesFor(rule, event, ingested));
}

/**
 * Delivers a request's worth of deliveries. Messages for the same SQS queue go in batches
 * (SendMessageBatch, in event order), each message still its own delivery that can fail, be
 * retried and be dead-lettered alone; everything else is delivered one by one.
 */
export async function deliverAll(ctx: RequestContext, deliveries: Delivery[]): Promise<void> {
  const byQueue = new Map<string, Delivery[]>();
  for (const delivery of deliveries) {
    const url = batchableQueue(delivery.target);
    if (url === undefined) await attempt(ctx, delivery, 0);
    else byQueue.set(url, [...(byQueue.get(url) ?? []), delivery]);
  }
  for (const [url, group] of byQueue) {
    let chunk: Delivery[] = [];
    let bytes = 0;
    for (const delivery of group) {
      const size = Buffer.byteLength(delivery.input);
      if (chunk.length === BATCH_ENTRIES || (chunk.length > 0 && bytes + size > BATCH_BYTES)) {
        await sendBatch(ctx, url, chunk);
        [chunk, bytes] = [[], 0];
      }
      chunk.push(delivery);
      bytes += size;
    }
    if (chunk.length) await sendBatch(ctx, url, chunk);
  }
}

function queueUrl(arn: string): string | undefined {
  const parts = parseArn(arn);
  return parts?.service === 'sqs' ? `https://sqs.${parts.region}.amazonaws.com/${parts.account}/${parts.resource}` : undefined;
}

function batchableQueue(target: EB.Target): string | undefined {
  return queueUrl(target.Arn ?? '');
}

/** The SendMessage fields of one event for its queue (FIFO: the target's group, the event id for deduplication). */
function sqsMessage(delivery: Delivery): Record<string, unknown> {
  const message: Record<string, unknown> = { MessageBody: delivery.input };
  if ((delivery.target.Arn ?? '').endsWith('.fifo')) {
    if (delivery.target.SqsParameters?.MessageGroupId) message.MessageGroupId = delivery.target.SqsParameters.MessageGroupId;
    message.MessageDeduplicationId = String(delivery.event.id);
  }
  return message;
}

async function sendBatch(ctx: RequestContext, url: string, chunk: Delivery[]): Promise<void> {
  if (chunk.length === 1) return attempt(ctx, chunk[0]!, 0);
  let result: { Failed?: Array<{ Id?: string; Code?: string; Message?: string; SenderFault?: boolean }> };
  try {
    result = await ctx.call('sqs', 'SendMessageBatch', { QueueUrl: url, Entries: chunk.map((d, i) => ({ Id: String(i), ...sqsMessage(d) })) });
  } catch (error) {
    for (const delivery of chunk) await failed(ctx, delivery, 0, error);
    return;
  }
  for (const entry of result.Failed ?? []) {
    const delivery = chunk[Number(entry.Id)];
    if (delivery) await failed(ctx, delivery, 0, { code: entry.Code, message: entry.Message, status: entry.SenderFault ? 400 : 500 });
  }
}

/** One try; a failure is retried on the clock or dead-lettered. It never fails the publisher. */
async function attempt(ctx: RequestContext, delivery: Delivery, retries: number): Promise<void> {
  try {
    await deliver(ctx, delivery.target, delivery.input, delivery.event);
  } catch (error) {
    await failed(ctx, delivery, retries, error);
  }
}

/** Deliveries waiting on the clock for their next try, kept in the store across restarts. */
export const pending = new StoredRetries<{ delivery: Delivery; retries: number }>('events', (ctx, { delivery, retries }) => attempt(ctx, delivery, retries));

async function failed(ctx: RequestContext, delivery: Delivery, retries: number, error: unknown): Promise<void> {
  const failure = classify(error);
  const verdict = retryVerdict(delivery.target, failure, retries, delivery.ingestedAt, ctx.clock.now());
  if (verdict === undefined) {
    pending.schedule(ctx, ctx.clock.now() + backoffMs(retries + 1), { delivery, retries: retries + 1 });
    return;
  }
  await deadLetter(ctx, delivery.ruleArn, delivery.target, JSON.stringify(delivery.event), failure, retries, verdict);
}

async function deliver(ctx: RequestContext, target: EB.Target, input: string, event: EventEnvelope): Promise<void> {
  const parts = parseArn(target.Arn ?? '');
  if (!parts) throw new TargetFailure('NO_RESOURCE', `Target ${target.Arn} is not a valid ARN.`, false);
  switch (parts.service) {
    case 'lambda':
      await ctx.call('lambda', 'Invoke', { FunctionName: target.Arn, InvocationType: 'Event', Payload: Buffer.from(input, 'utf8') });
      return;
    case 'sqs':
      await ctx.call('sqs', 'SendMessage', { QueueUrl: queueUrl(target.Arn!), ...sqsMessage({ target, input, event } as Delivery) });
      return;
    case 'sns':
      await ctx.call('sns', 'Publish', { TopicArn: target.Arn, Message: input });
      return;
    case 'states':
      await ctx.call('states', 'StartExecution', { stateMachineArn: target.Arn, name: randomUUID(), input });
      return;
    case 'events':
      if (parts.resource.startsWith('event-bus/')) await forwardToBus(ctx, target.Arn!, event);
      else if (parts.resource.startsWith('api-destination/')) await invokeApiDestination(ctx, target, input, event);
      else throw new TargetFailure('NO_RESOURCE', `Target ${target.Arn} is not a kind of target Fogbank delivers to.`, false);
      return;
    case 'execute-api':
      await invokeApiGateway(ctx, target, input, event);
      return;
    case 'logs':
      await writeToLogGroup(ctx, parts.resource, input, event);
      return;
    default:
      // Kinesis, Firehose, ECS, Batch, ...: services Fogbank does not have.
      throw new TargetFailure('NO_RESOURCE', `Target ${target.Arn} is not a kind of target Fogbank delivers to.`, false);
  }
}

/** Another bus receives the event itself (its source, detail-type, detail and resources). */
async function forwardToBus(ctx: RequestContext, busArn: string, event: EventEnvelope): Promise<void> {
  await ctx.call('events', 'PutEvents', {
    Entries: [
      {
        EventBusName: busArn,
        Source: event.source,
        DetailType: event['detail-type'],
        Detail: JSON.stringify(event.detail ?? {}),
        Resources: event.resources,
        Time: new Date(String(event.time)),
      },
    ],
  });
}

/** Each event is written to a log stream named by the event's id, as EventBridge does. */
async function writeToLogGroup(ctx: RequestContext, resource: string, input: string, event: EventEnvelope): Promise<void> {
  const logGroupName = resource.replace(/^log-group:/, '').replace(/:\*$/, '');
  const logStreamName = String(event.id);
  try {
    await ctx.call('logs', 'CreateLogStream', { logGroupName, logStreamName });
  } catch (error) {
    if ((error as { code?: string }).code !== 'ResourceAlreadyExistsException') throw error;
  }
  await ctx.call('logs', 'PutLogEvents', { logGroupName, logStreamName, logEvents: [{ timestamp: Date.parse(String(event.time)), message: input }] });
}
