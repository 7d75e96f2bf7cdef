// Asynchronous invocation: Event invokes run from Lambda's queue, failures are retried after 1 and
// 2 minutes of Fogbank's clock, and outcomes reach destinations and the function's DLQ in AWS's
// formats.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvokeCommand, PutFunctionEventInvokeConfigCommand, UpdateFunctionConfigurationCommand, GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { EventBridgeClient, CreateEventBusCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { newQueue } from '../support/queues.js';
import { clientConfig } from '../support/fogbank.js';
import { createFunction, lambdaClient, uniqueName, useLambdaFogbank } from './support.js';
import { drainMessages, receiveNow, runsOf, until } from './async-helpers.js';

const env = useLambdaFogbank();
const lambda = () => lambdaClient(env.endpoint);

const FAILING = { files: { 'index.mjs': 'export const handler = async (event) => { throw new Error(`no thanks: ${event.n}`); };' } };
const ECHO = { files: { 'index.mjs': 'export const handler = async (event) => ({ echoed: event });' } };

async function invokeEvent(name: string, payload: unknown): Promise<string> {
  const out = await lambda().send(new InvokeCommand({ FunctionName: name, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify(payload)) }));
  assert.equal(out.StatusCode, 202);
  return out.$metadata.requestId!;
}

/** Advances Fogbank's clock a minute at a time until the function has run `runs` times. */
async function advanceUntilRuns(name: string, runs: number): Promise<void> {
  await until(`${runs} runs of ${name}`, async () => {
    if ((await runsOf(env.endpoint, name)) >= runs) return true;
    env.fogbank.advanceClock(61_000);
    return undefined;
  });
}

describe('asynchronous invocation', () => {
  it('runs an Event invoke and sends the success record to the on-success queue', async () => {
    const fn = await createFunction(lambda(), { files: { 'index.mjs': 'export const handler = async (event, context) => ({ echoed: event, id: context.awsRequestId });' } });
    const success = await newQueue(env.endpoint);
    await lambda().send(new PutFunctionEventInvokeConfigCommand({ FunctionName: fn.FunctionName, DestinationConfig: { OnSuccess: { Destination: success.arn } } }));
    const requestId = await invokeEvent(fn.FunctionName!, { order: 42 });
    const [message] = await drainMessages(env.endpoint, success.url, 1);
    const record = JSON.parse(message!.Body!);
    assert.equal(record.version, '1.0');
    assert.match(record.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.deepEqual(record.requestContext, { requestId, functionArn: `${fn.FunctionArn}:$LATEST`, condition: 'Success', approximateInvokeCount: 1 });
    assert.deepEqual(record.requestPayload, { order: 42 });
    assert.deepEqual(record.responseContext, { statusCode: 200, executedVersion: '$LATEST' });
    // The function ran under the request id the 202 answer gave.
    assert.deepEqual(record.responsePayload, { echoed: { order: 42 }, id: requestId });
  });

  it('retries a failing event after one and then two minutes, then sends it to the on-failure queue and the DLQ', async () => {
    const failure = await newQueue(env.endpoint);
    const dlq = await newQueue(env.endpoint);
    const fn = await createFunction(lambda(), { ...FAILING, DeadLetterConfig: { TargetArn: dlq.arn } });
    const config = await lambda().send(new GetFunctionConfigurationCommand({ FunctionName: fn.FunctionName }));
    assert.deepEqual(config.DeadLetterConfig, { TargetArn: dlq.arn });
    await lambda().send(new PutFunctionEventInvokeConfigCommand({ FunctionName: fn.FunctionName, DestinationConfig: { OnFailure: { Destination: failure.arn } } }));
    const requestId = await invokeEvent(fn.FunctionName!, { n: 7 });

    await until('the first run', async () => ((await runsOf(env.endpoint, fn.FunctionName!)) >= 1 ? true : undefined));
    // Nothing more happens until the clock moves: the retry waits a minute.
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(await runsOf(env.endpoint, fn.FunctionName!), 1);
    assert.deepEqual(await receiveNow(env.endpoint, failure.url), []);
    await advanceUntilRuns(fn.FunctionName!, 2);
    await advanceUntilRuns(fn.FunctionName!, 3);

    const [message] = await drainMessages(env.endpoint, failure.url, 1);
    const record = JSON.parse(message!.Body!);
    assert.deepEqual(record.requestContext, { requestId, functionArn: `${fn.FunctionArn}:$LATEST`, condition: 'RetriesExhausted', approximateInvokeCount: 3 });
    assert.deepEqual(record.requestPayload, { n: 7 });
    assert.deepEqual(record.responseContext, { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' });
    assert.equal(record.responsePayload.errorType, 'Error');
    assert.equal(record.responsePayload.errorMessage, 'no thanks: 7');

    const [dead] = await drainMessages(env.endpoint, dlq.url, 1);
    assert.deepEqual(JSON.parse(dead!.Body!), { n: 7 });
    assert.deepEqual(dead!.MessageAttributes, {
      RequestID: { DataType: 'String', StringValue: requestId },
      ErrorCode: { DataType: 'Number', StringValue: '200' },
      ErrorMessage: { DataType: 'String', StringValue: 'no thanks: 7' },
    });
    assert.equal(await runsOf(env.endpoint, fn.FunctionName!), 3);
  });

  it('follows MaximumRetryAttempts 0: one run, then the failure destination', async () => {
    const failure = await newQueue(env.endpoint);
    const fn = await createFunction(lambda(), FAILING);
    await lambda().send(
      new PutFunctionEventInvokeConfigCommand({ FunctionName: fn.FunctionName, MaximumRetryAttempts: 0, DestinationConfig: { OnFailure: { Destination: failure.arn } } }),
    );
    await invokeEvent(fn.FunctionName!, { n: 1 });
    const [message] = await drainMessages(env.endpoint, failure.url, 1);
    const record = JSON.parse(message!.Body!);
    assert.equal(record.requestContext.condition, 'RetriesExhausted');
    assert.equal(record.requestContext.approximateInvokeCount, 1);
  });

  it('discards an event older than MaximumEventAgeInSeconds with EventAgeExceeded', async () => {
    const failure = await newQueue(env.endpoint);
    const fn = await createFunction(lambda(), FAILING);
    await lambda().send(
      new PutFunctionEventInvokeConfigCommand({ FunctionName: fn.FunctionName, MaximumEventAgeInSeconds: 60, DestinationConfig: { OnFailure: { Destination: failure.arn } } }),
    );
    await invokeEvent(fn.FunctionName!, { n: 2 });
    await until('the first run', async () => ((await runsOf(env.endpoint, fn.FunctionName!)) >= 1 ? true : undefined));
    // The retry is due a minute later, when the event is already older than 60 seconds.
    const messages = await until('the failure record', async () => {
      env.fogbank.advanceClock(61_000);
      const got = await receiveNow(env.endpoint, failure.url);
      return got.length ? got : undefined;
    });
    const record = JSON.parse(messages[0]!.Body!);
    assert.equal(record.requestContext.condition, 'EventAgeExceeded');
    assert.equal(record.requestContext.approximateInvokeCount, 1);
    assert.equal(await runsOf(env.endpoint, fn.FunctionName!), 1);
  });

  it('delivers records to SNS, EventBridge and Lambda destinations', async () => {
    const sink = await newQueue(env.endpoint);
    const sns = new SNSClient(clientConfig(env.endpoint));
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: uniqueName('dest') }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: sink.arn, Attributes: { RawMessageDelivery: 'true' } }));
    const events = new EventBridgeClient(clientConfig(env.endpoint));
    const bus = await events.send(new CreateEventBusCommand({ Name: uniqueName('bus') }));
    const busName = bus.EventBusArn!.split('/').pop()!;
    await events.send(new PutRuleCommand({ Name: 'results', EventBusName: busName, EventPattern: JSON.stringify({ source: ['lambda'] }) }));
    await events.send(new PutTargetsCommand({ Rule: 'results', EventBusName: busName, Targets: [{ Id: 'q', Arn: sink.arn }] }));

    const viaSns = await createFunction(lambda(), ECHO);
    await lambda().send(new PutFunctionEventInvokeConfigCommand({ FunctionName: viaSns.FunctionName, DestinationConfig: { OnSuccess: { Destination: TopicArn } } }));
    const viaBus = await createFunction(lambda(), FAILING);
    await lambda().send(
      new PutFunctionEventInvokeConfigCommand({ FunctionName: viaBus.FunctionName, MaximumRetryAttempts: 0, DestinationConfig: { OnFailure: { Destination: bus.EventBusArn } } }),
    );
    // A function destination receives the record as its event and forwards it (as an Event invoke) to the bus's function.
    const viaLambda = await createFunction(lambda(), ECHO);
    await lambda().send(new PutFunctionEventInvokeConfigCommand({ FunctionName: viaLambda.FunctionName, DestinationConfig: { OnSuccess: { Destination: viaSns.FunctionArn } } }));

    await invokeEvent(viaBus.FunctionName!, { n: 3 });
    await invokeEvent(viaLambda.FunctionName!, { hop: 1 });
    const bodies = (await drainMessages(env.endpoint, sink.url, 2)).map((m) => JSON.parse(m.Body!));
    const busEvent = bodies.find((b) => b['detail-type'] !== undefined);
    assert.ok(busEvent, 'the bus delivered an event');
    assert.equal(busEvent['detail-type'], 'Lambda Function Invocation Result - Failure');
    assert.equal(busEvent.source, 'lambda');
    assert.deepEqual(busEvent.resources, [bus.EventBusArn, `${viaBus.FunctionArn}:$LATEST`]);
    assert.equal(busEvent.detail.requestContext.condition, 'RetriesExhausted');
    assert.deepEqual(busEvent.detail.requestPayload, { n: 3 });
    // viaLambda's success record became viaSns's event, whose own success record went to the topic.
    const topicRecord = bodies.find((b) => b.requestContext !== undefined);
    assert.ok(topicRecord, 'the topic delivered a record');
    assert.equal(topicRecord.requestContext.functionArn, `${viaSns.FunctionArn}:$LATEST`);
    assert.equal(topicRecord.requestPayload.requestContext.functionArn, `${viaLambda.FunctionArn}:$LATEST`);
    assert.deepEqual(topicRecord.requestPayload.responsePayload, { echoed: { hop: 1 } });
  });

  it('sends events straight to the DLQ when reserved concurrency is 0', async () => {
    const dlq = await newQueue(env.endpoint);
    const fn = await createFunction(lambda(), ECHO);
    await lambda().send(new UpdateFunctionConfigurationCommand({ FunctionName: fn.FunctionName, DeadLetterConfig: { TargetArn: dlq.arn } }));
    const { PutFunctionConcurrencyCommand } = await import('@aws-sdk/client-lambda');
    await lambda().send(new PutFunctionConcurrencyCommand({ FunctionName: fn.FunctionName, ReservedConcurrentExecutions: 0 }));
    const requestId = await invokeEvent(fn.FunctionName!, { stopped: true });
    const [dead] = await drainMessages(env.endpoint, dlq.url, 1);
    assert.deepEqual(JSON.parse(dead!.Body!), { stopped: true });
    assert.equal(dead!.MessageAttributes!.RequestID!.StringValue, requestId);
    assert.equal(await runsOf(env.endpoint, fn.FunctionName!), 0);
  });
});
