// Event source mappings: FilterCriteria (SQS bodies as JSON or text, stream records), batching
// windows, bisecting a failing stream batch down to its poison record, and AWS's on-failure
// metadata record for streams.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CreateEventSourceMappingCommand, GetEventSourceMappingCommand } from '@aws-sdk/client-lambda';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { clientConfig } from '../support/fogbank.js';
import { expectAwsError } from '../support/errors.js';
import { newQueue } from '../support/queues.js';
import { createFunction, lambdaClient, streamTable, useLambdaFogbank } from './support.js';
import { drainMessages, until } from './async-helpers.js';

const env = useLambdaFogbank();
const lambda = () => lambdaClient(env.endpoint);
const ddb = () => new DynamoDBClient(clientConfig(env.endpoint));
const sqs = () => new SQSClient(clientConfig(env.endpoint));

/** A function that logs each batch it gets (SQS bodies, or stream keys) and fails on any "bad" one. */
const LOGGING = {
  files: {
    'index.mjs': `export const handler = async (event) => {
      const items = event.Records.map((r) => r.body ?? r.dynamodb.Keys.id.S);
      console.log('BATCH ' + JSON.stringify(items));
      if (items.includes('bad')) throw new Error('poison');
      return {};
    };`,
  },
};

async function batches(name: string): Promise<string[][]> {
  const logs = new CloudWatchLogsClient(clientConfig(env.endpoint));
  const out = await logs.send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${name}`, filterPattern: 'BATCH' })).catch(() => undefined);
  return (out?.events ?? []).map((e) => JSON.parse(/BATCH (.*)$/m.exec(e.message!)![1]!));
}

async function queueEmpty(url: string): Promise<boolean> {
  const { Attributes } = await sqs().send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
  return Attributes!.ApproximateNumberOfMessages === '0' && Attributes!.ApproximateNumberOfMessagesNotVisible === '0';
}

describe('event source mappings: filters, windows, bisecting', () => {
  it('runs the function on matching SQS messages only and deletes the rest', async () => {
    const q = await newQueue(env.endpoint);
    const fn = await createFunction(lambda(), LOGGING);
    const patterns = [JSON.stringify({ body: { kind: ['order'] } }), JSON.stringify({ body: [{ prefix: 'plain-' }] })];
    const mapping = await lambda().send(
      new CreateEventSourceMappingCommand({ FunctionName: fn.FunctionName, EventSourceArn: q.arn, FilterCriteria: { Filters: patterns.map((Pattern) => ({ Pattern })) } }),
    );
    assert.deepEqual(mapping.FilterCriteria, { Filters: patterns.map((Pattern) => ({ Pattern })) });
    for (const body of [JSON.stringify({ kind: 'order', id: 1 }), JSON.stringify({ kind: 'refund' }), 'plain-text', 'other text']) {
      await sqs().send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: body }));
    }
    const seen = await until('two matching messages', async () => {
      const all = (await batches(fn.FunctionName!)).flat();
      return all.length >= 2 ? all : undefined;
    });
    assert.deepEqual(seen.sort(), [JSON.stringify({ kind: 'order', id: 1 }), 'plain-text'].sort());
    // The others were deleted without running the function.
    await until('an empty queue', async () => ((await queueEmpty(q.url)) ? true : undefined));
    assert.equal((await batches(fn.FunctionName!)).flat().length, 2);
  });

  it('filters stream records by event name and image', async () => {
    const t = await streamTable(env.endpoint);
    const fn = await createFunction(lambda(), LOGGING);
    const pattern = JSON.stringify({ eventName: ['INSERT'], dynamodb: { NewImage: { kind: { S: ['keep'] } } } });
    await lambda().send(new CreateEventSourceMappingCommand({ FunctionName: fn.FunctionName, EventSourceArn: t.stream, StartingPosition: 'LATEST', FilterCriteria: { Filters: [{ Pattern: pattern }] } }));
    // The mapping fixes LATEST on its first round; give it that before writing.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await ddb().send(new PutItemCommand({ TableName: t.name, Item: { id: { S: 'a' }, kind: { S: 'skip' } } }));
    await ddb().send(new PutItemCommand({ TableName: t.name, Item: { id: { S: 'b' }, kind: { S: 'keep' } } }));
    await ddb().send(new PutItemCommand({ TableName: t.name, Item: { id: { S: 'b' }, kind: { S: 'keep' }, more: { N: '1' } } }));
    await ddb().send(new PutItemCommand({ TableName: t.name, Item: { id: { S: 'c' }, kind: { S: 'keep' } } }));
    const seen = await until('two inserts kept', async () => {
      const all = (await batches(fn.FunctionName!)).flat();
      return all.length >= 2 ? all : undefined;
    });
    assert.deepEqual(seen, ['b', 'c']);
  });

  it('refuses an invalid filter pattern', async () => {
    const q = await newQueue(env.endpoint);
    const fn = await createFunction(lambda(), {});
    for (const Pattern of ['not json', '{"body": "scalar"}', '[]']) {
      await expectAwsError(lambda().send(new CreateEventSourceMappingCommand({ FunctionName: fn.FunctionName, EventSourceArn: q.arn, FilterCriteria: { Filters: [{ Pattern }] } })), {
        name: 'InvalidParameterValueException',
        status: 400,
        message: 'Invalid filter pattern definition.',
      });
    }
    const ok = await lambda().send(new CreateEventSourceMappingCommand({ FunctionName: fn.FunctionName, EventSourceArn: q.arn }));
    assert.equal((await lambda().send(new GetEventSourceMappingCommand({ UUID: ok.UUID }))).FilterCriteria, undefined);
  });

  it('gathers SQS batches over 10 within the batching window', async () => {
    const q = await newQueue(env.endpoint);
    const bodies = Array.from({ length: 25 }, (_, i) => `m${i}`);
    for (let i = 0; i < bodies.length; i += 10) {
      await sqs().send(new SendMessageBatchCommand({ QueueUrl: q.url, Entries: bodies.slice(i, i + 10).map((MessageBody, j) => ({ Id: String(j), MessageBody })) }));
    }
    const fn = await createFunction(lambda(), LOGGING);
    await lambda().send(
      new CreateEventSourceMappingCommand({ FunctionName: fn.FunctionName, EventSourceArn: q.arn, BatchSize: 25, MaximumBatchingWindowInSeconds: 1, ScalingConfig: { MaximumConcurrency: 2 } }),
    );
    const seen = await until('all 25 messages', async () => {
      const got = await batches(fn.FunctionName!);
      return got.flat().length >= 25 ? got : undefined;
    });
    assert.deepEqual(seen.flat().sort(), [...bodies].sort());
    // Two pollers took at most 10 each on their first receive; the window let one gather more.
    assert.ok(Math.max(...seen.map((b) => b.length)) > 10, `batch sizes ${seen.map((b) => b.length)}`);
  });

  it('bisects a failing stream batch down to the poison record and sends its metadata to the on-failure queue', async () => {
    const t = await streamTable(env.endpoint);
    for (const id of ['a', 'b', 'bad', 'd']) await ddb().send(new PutItemCommand({ TableName: t.name, Item: { id: { S: id } } }));
    const failures = await newQueue(env.endpoint);
    const fn = await createFunction(lambda(), LOGGING);
    const mapping = await lambda().send(
      new CreateEventSourceMappingCommand({
        FunctionName: fn.FunctionName,
        EventSourceArn: t.stream,
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: 4,
        BisectBatchOnFunctionError: true,
        MaximumRetryAttempts: 0,
        DestinationConfig: { OnFailure: { Destination: failures.arn } },
      }),
    );
    assert.deepEqual(mapping.DestinationConfig, { OnFailure: { Destination: failures.arn } });
    const [message] = await drainMessages(env.endpoint, failures.url, 1);
    const record = JSON.parse(message!.Body!);
    const seen = await until('the last record processed', async () => {
      const got = await batches(fn.FunctionName!);
      return got.length >= 5 ? got : undefined;
    });
    assert.deepEqual(seen, [['a', 'b', 'bad', 'd'], ['a', 'b'], ['bad', 'd'], ['bad'], ['d']]);
    assert.equal(record.version, '1.0');
    assert.deepEqual(Object.keys(record).sort(), ['DDBStreamBatchInfo', 'requestContext', 'responseContext', 'timestamp', 'version']);
    assert.equal(record.requestContext.condition, 'RetryAttemptsExhausted');
    assert.equal(record.requestContext.functionArn, fn.FunctionArn);
    assert.equal(record.requestContext.approximateInvokeCount, 1);
    assert.deepEqual(record.responseContext, { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' });
    const info = record.DDBStreamBatchInfo;
    assert.equal(info.batchSize, 1);
    assert.equal(info.streamArn, t.stream);
    assert.match(info.shardId, /^shardId-\d{20}-[0-9a-f]{8}$/);
    assert.equal(info.startSequenceNumber, info.endSequenceNumber);
    assert.match(info.approximateArrivalOfFirstRecord, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(info.approximateArrivalOfLastRecord, info.approximateArrivalOfFirstRecord);
  });
});
