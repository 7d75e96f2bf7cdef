// Helpers for the SQS tests: a client, unique queue names, and an assertion for AWS's errors
// (the SDK's error name, the query-compatible Code, the HTTP status).

import assert from 'node:assert/strict';
import { CreateQueueCommand, ListQueuesCommand, SQSClient, type CreateQueueCommandInput } from '@aws-sdk/client-sqs';
import { clientConfig } from '../support/fogbank.js';
import { expectAwsError } from '../support/errors.js';

export function sqsClient(endpoint: string, region = 'us-east-1', credentials?: { accessKeyId: string; secretAccessKey: string }): SQSClient {
  return new SQSClient(clientConfig(endpoint, region, credentials));
}

let counter = 0;

export function uniqueName(prefix = 'q', fifo = false): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}${fifo ? '.fifo' : ''}`;
}

export async function createQueue(sqs: SQSClient, input: Partial<CreateQueueCommandInput> = {}): Promise<string> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: uniqueName(), ...input }));
  return QueueUrl!;
}

export async function createFifoQueue(sqs: SQSClient, attributes: Record<string, string> = {}): Promise<string> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('f', true), Attributes: { FifoQueue: 'true', ...attributes } }));
  return QueueUrl!;
}

export interface ExpectedError {
  /** The SDK's error name (the JSON __type, or the query code for unmodelled errors). */
  name: string;
  /** The query-compatible code from x-amzn-query-error. */
  code?: string;
  message?: string | RegExp;
  status?: number;
}

export async function rejectsWith(promise: Promise<unknown>, expected: ExpectedError): Promise<void> {
  await expectAwsError(promise, { ...expected, status: expected.status ?? 400 });
}

/** The server still answers after a bad request. */
export async function stillServes(sqs: SQSClient): Promise<void> {
  const result = await sqs.send(new ListQueuesCommand({ MaxResults: 1 }));
  assert.equal(result.$metadata.httpStatusCode, 200);
}
