// Delivery of one matched event to a rule's targets, through the same internal dispatch a client
// uses: Lambda (asynchronous invoke), SQS (FIFO with the target's message group), SNS, Step
// Functions (StartExecution), another event bus, CloudWatch Logs, and API destinations (an HTTP
// call, see api-destinations/invoke.ts). The first attempt runs before PutEvents answers (a test
// that publishes then reads the queue sees the message); a failed attempt is retried on the clock
// under the target's RetryPolicy, then dead-lettered (failures.ts).

import { randomUUID } from 'node:crypto';
import type * as EB from '@aws-sdk/client-eventbridge';
import { parseArn } from '../common/arn.js';
import type { RequestContext } from '../types.js';
import { invokeApiDestination } from './api-destinations/invoke.js';
import { backoffMs, classify, deadLetter, retryVerdict, TargetFailure } from './failures.js';
import { targetInput, type EventEnvelope } from './input.js';
import type { RuleRecord } from './state.js';

/** One event on its way to one target. */
interface Delivery {
  ruleArn: string;
  target: EB.Target;
  event: EventEnvelope;
  input: string;
  ingestedAt: number;
}

export async function deliverToTargets(ctx: RequestContext, rule: RuleRecord, event: EventEnvelope, ingested: string): Promise<void> {
  const ingestedAt = Date.parse(ingested);
  for (const target of rule.targets) {
    let input: string | undefined;
    try {
      input = targetInput(target, event, rule, ingested);
    } catch {
      input = undefined;
    }
    if (input !== undefined) await attempt(ctx, { ruleArn: rule.arn, target, event, input, ingestedAt }, 0);
  }
}

/** One try; a failure is retried on the clock or dead-lettered. It never fails the publisher. */
async function attempt(ctx: RequestContext, delivery: Delivery, retries: number): Promise<void> {
  try {
    await deliver(ctx, delivery.target, delivery.input, delivery.event);
  } catch (error) {
    const failure = classify(error);
    const verdict = retryVerdict(delivery.target, failure, retries, delivery.ingestedAt, ctx.clock.now());
    if (verdict === undefined) {
      ctx.clock.after(backoffMs(retries + 1), () => void attempt(ctx, delivery, retries + 1));
      return;
    }
    await deadLetter(ctx, delivery.ruleArn, delivery.target, JSON.stringify(delivery.event), failure, retries, verdict);
  }
}

async function deliver(ctx: RequestContext, target: EB.Target, input: string, event: EventEnvelope): Promise<void> {
  const parts = parseArn(target.Arn ?? '');
  if (!parts) throw new TargetFailure('NO_RESOURCE', `Target ${target.Arn} is not a valid ARN.`, false);
  switch (parts.service) {
    case 'lambda':
      await ctx.call('lambda', 'Invoke', { FunctionName: target.Arn, InvocationType: 'Event', Payload: Buffer.from(input, 'utf8') });
      return;
    case 'sqs': {
      const message: Record<string, unknown> = { QueueUrl: `https://sqs.${parts.region}.amazonaws.com/${parts.account}/${parts.resource}`, MessageBody: input };
      if (parts.resource.endsWith('.fifo')) {
        if (target.SqsParameters?.MessageGroupId) message.MessageGroupId = target.SqsParameters.MessageGroupId;
        message.MessageDeduplicationId = String(event.id);
      }
      await ctx.call('sqs', 'SendMessage', message);
      return;
    }
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
