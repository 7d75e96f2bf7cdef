// Where an asynchronous invocation's outcome goes: on-success and on-failure destinations (SQS,
// SNS, Lambda, EventBridge) with AWS's invocation record, and the function's dead-letter queue
// (SQS or SNS), which gets the event itself with RequestID, ErrorCode and ErrorMessage attributes.
// Deliveries go through each service's own operations; a failed delivery is dropped, as AWS
// drops it (reporting only a DestinationDeliveryFailures metric).

import type { RequestContext } from '../../types.js';
import { parseArn } from '../../common/arn.js';
import type { AsyncEvent, AttemptOutcome } from './queue.js';

export type Condition = 'Success' | 'RetriesExhausted' | 'EventAgeExceeded';

/** JSON text as a value when it parses, else the text itself. */
function asJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** AWS's invocation record (version 1.0). */
export function invocationRecord(event: AsyncEvent, functionArn: string, condition: Condition, now: number): Record<string, unknown> {
  const record: Record<string, unknown> = {
    version: '1.0',
    timestamp: new Date(now).toISOString(),
    requestContext: { requestId: event.id, functionArn, condition, approximateInvokeCount: event.attempts },
    requestPayload: asJson(event.payload),
  };
  const last = event.last;
  if (last) {
    record.responseContext = { statusCode: last.statusCode, executedVersion: last.executedVersion, ...(last.functionError ? { functionError: last.functionError } : {}) };
    record.responsePayload = last.payload === '' ? null : asJson(last.payload);
  }
  return record;
}

async function queueUrl(ctx: RequestContext, queueArn: string): Promise<string> {
  const parts = parseArn(queueArn)!;
  const out = (await ctx.call('sqs', 'GetQueueUrl', { QueueName: parts.resource, QueueOwnerAWSAccountId: parts.account })) as { QueueUrl: string };
  return out.QueueUrl;
}

/** Sends one record to a destination ARN; failures are swallowed. */
export async function deliver(ctx: RequestContext, destination: string, record: Record<string, unknown>, functionArn: string): Promise<void> {
  const parts = parseArn(destination);
  const body = JSON.stringify(record);
  try {
    switch (parts?.service) {
      case 'sqs':
        await ctx.call('sqs', 'SendMessage', { QueueUrl: await queueUrl(ctx, destination), MessageBody: body });
        break;
      case 'sns':
        await ctx.call('sns', 'Publish', { TopicArn: destination, Message: body });
        break;
      case 'lambda':
        await ctx.call('lambda', 'Invoke', { FunctionName: destination, InvocationType: 'Event', Payload: Buffer.from(body) });
        break;
      case 'events': {
        const success = (record.requestContext as { condition: string }).condition === 'Success';
        await ctx.call('events', 'PutEvents', {
          Entries: [
            {
              Source: 'lambda',
              DetailType: `Lambda Function Invocation Result - ${success ? 'Success' : 'Failure'}`,
              Detail: body,
              EventBusName: destination,
              Resources: [destination, functionArn],
            },
          ],
        });
        break;
      }
    }
  } catch {
    // AWS counts a DestinationDeliveryFailures metric and moves on.
  }
}

/** The error message a failed invocation reported, for the dead-letter queue's ErrorMessage. */
function errorMessage(outcome: AttemptOutcome | undefined, condition: Condition): string {
  if (condition === 'EventAgeExceeded' && !outcome) return 'Event age exceeded';
  const payload = asJson(outcome?.payload ?? '');
  const message = payload && typeof payload === 'object' ? (payload as { errorMessage?: unknown }).errorMessage : undefined;
  return (typeof message === 'string' ? message : String(outcome?.payload ?? '')).slice(0, 1024);
}

/** The function's dead-letter queue gets the event as it was sent, with AWS's three attributes. */
export async function deadLetter(ctx: RequestContext, targetArn: string, event: AsyncEvent, condition: Condition): Promise<void> {
  const attributes = {
    RequestID: { DataType: 'String', StringValue: event.id },
    ErrorCode: { DataType: 'Number', StringValue: String(event.last?.statusCode ?? 200) },
    ErrorMessage: { DataType: 'String', StringValue: errorMessage(event.last, condition) || 'Unknown' },
  };
  const parts = parseArn(targetArn);
  try {
    if (parts?.service === 'sqs') {
      await ctx.call('sqs', 'SendMessage', { QueueUrl: await queueUrl(ctx, targetArn), MessageBody: event.payload, MessageAttributes: attributes });
    } else if (parts?.service === 'sns') {
      await ctx.call('sns', 'Publish', { TopicArn: targetArn, Message: event.payload, MessageAttributes: attributes });
    }
  } catch {
    // AWS counts a DeadLetterErrors metric and moves on.
  }
}
