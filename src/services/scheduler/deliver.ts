// One invocation of a schedule's target, through the same internal dispatch a client uses:
// templated targets (Lambda asynchronous Invoke, SQS SendMessage, SNS Publish, EventBridge
// PutEvents, Step Functions StartExecution) and universal ones (universal.ts). The target receives
// the schedule's Input as-is (Scheduler wraps it in no envelope), after replacing the context
// attributes <aws.scheduler.*>. A failed invocation is retried on the clock under the target's
// RetryPolicy with EventBridge's backoff (events/failures.ts: 1 s, 2 s, 4 s ... up to 5 minutes;
// not-found and permission errors are not retried), its age counted from the scheduled time; then
// it goes to the dead-letter queue when one is configured. Pending retries are kept in the store
// and resumed at the next start (events/stored-retries.ts), with the schedule as it was when it fired.

import { randomBytes, randomUUID } from 'node:crypto';
import { parseArn } from '../common/arn.js';
import { backoffMs, classify, retryVerdict, TargetFailure, type Exhausted } from '../events/failures.js';
import type { RequestContext } from '../types.js';
import { StoredRetries } from '../events/stored-retries.js';
import type { ScheduleRecord } from './state.js';
import { invokeUniversal, isUniversalTarget } from './universal.js';

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
  await attempt(ctx, schedule, scheduledTime, randomBytes(8).toString('hex'), 0);
}

interface Invocation {
  schedule: ScheduleRecord;
  scheduledTime: number;
  executionId: string;
  retries: number;
}

/** Invocations waiting on the clock for their next try, kept in the store across restarts. */
export const pending = new StoredRetries<Invocation>('scheduler', (ctx, i) => attempt(ctx, i.schedule, i.scheduledTime, i.executionId, i.retries));

async function attempt(ctx: RequestContext, schedule: ScheduleRecord, scheduledTime: number, executionId: string, retries: number): Promise<void> {
  const input = renderInput(schedule, scheduledTime, executionId, retries + 1);
  try {
    await invoke(ctx, schedule, input, executionId);
  } catch (error) {
    const failure = classify(error);
    const verdict = retryVerdict(schedule.target, failure, retries, scheduledTime, ctx.clock.now());
    if (verdict === undefined) {
      pending.schedule(ctx, ctx.clock.now() + backoffMs(retries + 1), { schedule, scheduledTime, executionId, retries: retries + 1 });
      return;
    }
    const code = (error as { code?: string }).code ?? failure.errorCode;
    await deadLetter(ctx, schedule, input, { code, message: failure.message }, { executionId, scheduledTime, retries, exhausted: verdict });
  }
}

async function invoke(ctx: RequestContext, schedule: ScheduleRecord, input: string, executionId: string): Promise<void> {
  const target = schedule.target;
  if (isUniversalTarget(target.Arn ?? '')) return invokeUniversal(ctx, target.Arn!, input);
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
      throw new TargetFailure('ValidationException', `Target ${target.Arn} is not supported by Fogbank.`, false);
  }
}

/** The failed invocation's input, with attributes saying why, in the schedule's dead-letter queue. */
async function deadLetter(
  ctx: RequestContext,
  schedule: ScheduleRecord,
  input: string,
  error: { code?: string; message?: string },
  run: { executionId: string; scheduledTime: number; retries: number; exhausted: Exhausted | null },
): Promise<void> {
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
        EXECUTION_ID: attribute(run.executionId),
        ...(run.exhausted ? { EXHAUSTED_RETRY_CONDITION: attribute(run.exhausted) } : {}),
        IS_PAYLOAD_TRUNCATED: attribute('false'),
        RETRY_ATTEMPTS: attribute(String(run.retries)),
        SCHEDULED_TIME: attribute(new Date(run.scheduledTime).toISOString().replace(/\.\d{3}Z$/, 'Z')),
        SCHEDULE_ARN: attribute(schedule.arn),
        TARGET_ARN: attribute(schedule.target.Arn ?? ''),
      },
    });
  } catch {
    // A dead-letter queue that is gone loses the invocation, as on AWS.
  }
}
