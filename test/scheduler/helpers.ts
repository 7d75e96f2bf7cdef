// Scheduler test helpers: a client for a Fogbank, a queue to watch invocations arrive in, and the
// fields every CreateSchedule needs.

import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { clientConfig } from '../support/fogbank.js';

export const ACCOUNT = '000000000000';
export const ROLE = `arn:aws:iam::${ACCOUNT}:role/scheduler-role`;
export const OFF = { Mode: 'OFF' as const };

export function schedulerClient(endpoint: string, region = 'us-east-1'): SchedulerClient {
  return new SchedulerClient(clientConfig(endpoint, region));
}

export { newQueue, unique } from '../support/queues.js';

/** Waits (real time, briefly) for the messages a timer's asynchronous invocation sends, and deletes them. */
export async function collect(queue: { sqs: SQSClient; url: string }, expected: number, patienceMs = 1500) {
  const messages: Array<{ Body?: string; MessageAttributes?: Record<string, { StringValue?: string }>; Attributes?: Record<string, string> }> = [];
  for (const start = Date.now(); Date.now() - start < patienceMs && messages.length < expected; ) {
    const { Messages } = await queue.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queue.url, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'], AttributeNames: ['All'] }),
    );
    for (const m of Messages ?? []) {
      messages.push(m);
      // Deleted, so moving the clock does not bring it back into view.
      await queue.sqs.send(new DeleteMessageCommand({ QueueUrl: queue.url, ReceiptHandle: m.ReceiptHandle }));
    }
    if (messages.length < expected) await new Promise((r) => setTimeout(r, 25));
  }
  return messages;
}

/** at(...) for a UTC instant as wall-clock time in a zone with a fixed offset (hours). */
export function atExpression(utcMs: number, offsetHours = 0): string {
  return `at(${new Date(utcMs + offsetHours * 3_600_000).toISOString().slice(0, 19)})`;
}
