// Delivery of one matched event to a rule's targets, through the same internal dispatch a client
// uses: Lambda (asynchronous invoke), SQS (FIFO with the target's message group), SNS, another
// event bus, and CloudWatch Logs. A target that fails is skipped; AWS would retry it under the
// target's RetryPolicy and then use its dead-letter queue, which Fogbank does not do yet.

import type * as EB from '@aws-sdk/client-eventbridge';
import { parseArn } from '../common/arn.js';
import type { RequestContext } from '../types.js';
import { targetInput, type EventEnvelope } from './input.js';
import type { RuleRecord } from './state.js';

export async function deliverToTargets(ctx: RequestContext, rule: RuleRecord, event: EventEnvelope, ingested: string): Promise<void> {
  for (const target of rule.targets) {
    try {
      const input = targetInput(target, event, rule, ingested);
      if (input !== undefined) await deliver(ctx, target, input, event);
    } catch {
      // A failed delivery does not fail the publisher (AWS retries then drops or dead-letters).
    }
  }
}

async function deliver(ctx: RequestContext, target: EB.Target, input: string, event: EventEnvelope): Promise<void> {
  const parts = parseArn(target.Arn ?? '');
  if (!parts) return;
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
    case 'events':
      if (parts.resource.startsWith('event-bus/')) await forwardToBus(ctx, target.Arn!, event);
      return;
    case 'logs':
      await writeToLogGroup(ctx, parts.resource, input, event);
      return;
    default:
      return;
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
