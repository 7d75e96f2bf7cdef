// Helpers for the asynchronous-invocation tests: waiting on real deliveries, reading queues, and
// counting a function's runs from its START lines in CloudWatch Logs.

import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { clientConfig } from '../support/fogbank.js';

/** Polls `probe` (real time, bounded) until it gives a value. */
export async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Receives from a queue until `count` messages have arrived. */
export async function drainMessages(endpoint: string, url: string, count: number, ms?: number): Promise<Message[]> {
  const sqs = new SQSClient(clientConfig(endpoint));
  const messages: Message[] = [];
  await until(
    `${count} messages`,
    async () => {
      const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, MessageAttributeNames: ['All'] }));
      messages.push(...(out.Messages ?? []));
      return messages.length >= count ? true : undefined;
    },
    ms,
  );
  return messages;
}

/** Messages a queue holds now (none waiting). */
export async function receiveNow(endpoint: string, url: string): Promise<Message[]> {
  const sqs = new SQSClient(clientConfig(endpoint));
  const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, MessageAttributeNames: ['All'] }));
  return out.Messages ?? [];
}

/** How many times the function has finished a run (REPORT lines in its log group). */
export async function runsOf(endpoint: string, functionName: string): Promise<number> {
  const logs = new CloudWatchLogsClient(clientConfig(endpoint));
  try {
    const out = await logs.send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${functionName}`, filterPattern: 'REPORT' }));
    return out.events?.length ?? 0;
  } catch {
    return 0;
  }
}
