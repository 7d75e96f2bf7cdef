// Helpers for the SQS tests: a client, unique queue names, and an assertion for AWS's errors
// (the SDK's error name, the query-compatible Code, the HTTP status).

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { CreateQueueCommand, ListQueuesCommand, SQSClient, type CreateQueueCommandInput } from '@aws-sdk/client-sqs';
import { clientConfig } from '../support/fogbank.js';
import { expectAwsError } from '../support/errors.js';

const run = promisify(execFile);

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

/**
 * A botocore from before SQS moved to JSON, so its SQS client speaks the query protocol. The
 * Google Cloud SDK vendors one (botocore 1.34); tests that need it skip where it is missing.
 */
const QUERY_BOTOCORE = '/usr/lib/google-cloud-sdk/lib/third_party';
export const hasQueryBotocore =
  existsSync(`${QUERY_BOTOCORE}/botocore/data/sqs/2012-11-05/service-2.json`) &&
  (JSON.parse(readFileSync(`${QUERY_BOTOCORE}/botocore/data/sqs/2012-11-05/service-2.json`, 'utf8')) as { metadata: { protocol: string } }).metadata.protocol === 'query';

/** Runs a Python script with `sqs`, a query-protocol botocore SQS client for Fogbank; returns its stdout as JSON. */
export async function queryBotocore(endpoint: string, script: string): Promise<unknown> {
  const prelude = [
    'import json, time, botocore.session',
    `sqs = botocore.session.get_session().create_client('sqs', region_name='us-east-1', endpoint_url=${JSON.stringify(endpoint)}, aws_access_key_id='test', aws_secret_access_key='test')`,
    "assert sqs.meta.service_model.protocol == 'query'",
  ].join('\n');
  const { stdout } = await run('python3', ['-c', `${prelude}\n${script}`], { env: { ...process.env, PYTHONPATH: QUERY_BOTOCORE, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' } });
  return JSON.parse(stdout);
}
