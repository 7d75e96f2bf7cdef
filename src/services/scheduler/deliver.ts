// One invocation of a schedule's templated target, through the same internal dispatch a client
// uses: Lambda (asynchronous Invoke), SQS SendMessage, SNS Publish, EventBridge PutEvents and Step
// Functions StartExecution. The target receives the schedule's Input as-is (Scheduler wraps it in
// no envelope), after replacing the context attributes <aws.scheduler.*>. A failed invocation goes
// to the dead-letter queue when one is configured (AWS would first retry under the RetryPolicy).

import { randomBytes, randomUUID } from 'node:crypto';
import { ServiceError } from '../../errors.js';
import { parseArn } from '../common/arn.js';
import type { RequestContext } from '../types.js';
import type { ScheduleRecord } from './state.js';

function queueUrl(queueArn: string): string | undefined {
  const parts = parseArn(queueArn);
  return parts && `https://sqs.${parts.region}.amazonaws.com/${parts.account}/${parts.resource}`;
}

/** The Input with Scheduler's context attributes filled in for this invocation. */
export function renderInput(schedule: ScheduleRecord, scheduledTime: number, executionId: string, attempt: number): string {
  const values: Record<string, string> = {
    '<aws.scheduler.schedule-arn>': schedule.arn,
    '<aws.scheduler.scheduled-time>': new Date(scheduledTime).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    '<aws.scheduler.execution-id>': executionId,
    '<aws.scheduler.attempt-number>': String(attempt),
  };
  return (schedule.target.Input ?? '{}').replace(/<aws\.scheduler\.[a-z-]+>/g, (keyword) => values[keyword] ?? keyword);
}

export async function invokeTarget(ctx: RequestContext, schedule: ScheduleRecord, scheduledTime: number): Promise<void> {
  const executionId = randomBytes(8).toString('hex');
  const input = renderInput(schedule, scheduledTime, executionId, 1);
  try {
    await invoke(ctx, schedule, input, executionId);
  } catch (error) {
    await deadLetter(ctx, schedule, input, error as { code?: string; message?: string });
  }
}

async function invoke(ctx: RequestContext, schedule: ScheduleRecord, input: string, executionId: string): Promise<void> {
  const target = schedule.target;
  const parts = parseArn(target.Arn ?? '');
  switch (parts?.service) {
    case 'lambda':
      await ctx.call('lambda', 'Invoke', { FunctionName: target.Arn, InvocationType: 'Event', Payload: Buffer.from(input, 'utf8') });
      return;
    case 'sqs': {
      const message: Record<string, unknown> = { QueueUrl: queueUrl(target.Arn!), MessageBody: input };
      if (parts.resource.endsWith('.fifo')) {
        if (target.SqsParameters?.MessageGroupId) message.MessageGroupId = target.SqsParameters.MessageGroupId;
        message.MessageDeduplicationId = executionId;
      }
      await ctx.call('sqs', 'SendMessage', message);
      return;
    }
    case 'sns':
      await ctx.call('sns', 'Publish', { TopicArn: target.Arn, Message: input });
      return;
    case 'events':
      await ctx.call('events', 'PutEvents', {
        Entries: [{ EventBusName: target.Arn, Source: target.EventBridgeParameters?.Source, DetailType: target.EventBridgeParameters?.DetailType, Detail: input }],
      });
      return;
    case 'states':
      await ctx.call('states', 'StartExecution', { stateMachineArn: target.Arn, name: randomUUID(), input });
      return;
    default:
      throw new ServiceError('ValidationException', `Target ${target.Arn} is not supported by Fogbank.`);
  }
}

/** The failed invocation's input, with attributes saying why, in the schedule's dead-letter queue. */
async function deadLetter(ctx: RequestContext, schedule: ScheduleRecord, input: string, error: { code?: string; message?: string }): Promise<void> {
  const dlq = schedule.target.DeadLetterConfig?.Arn;
  const url = dlq && queueUrl(dlq);
  if (!url) return;
  const attribute = (value: string) => ({ DataType: 'String', StringValue: value });
  try {
    await ctx.call('sqs', 'SendMessage', {
      QueueUrl: url,
      MessageBody: input,
      MessageAttributes: {
        ERROR_CODE: attribute(error.code ?? 'InternalFailure'),
        ERROR_MESSAGE: attribute(error.message || 'The target invocation failed.'),
        RETRY_ATTEMPTS: attribute('0'),
        SCHEDULE_ARN: attribute(schedule.arn),
        TARGET_ARN: attribute(schedule.target.Arn ?? ''),
      },
    });
  } catch {
    // A dead-letter queue that is gone loses the invocation, as on AWS.
  }
}
