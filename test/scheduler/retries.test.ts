import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateTableCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DeleteFunctionConcurrencyCommand, PutFunctionConcurrencyCommand } from '@aws-sdk/client-lambda';
import { CreateScheduleCommand } from '@aws-sdk/client-scheduler';
import { createFunction, lambdaClient } from '../lambda/support.js';
import { clientConfig, useFogbank } from '../support/fogbank.js';
import { eventually } from '../events/helpers.js';
import { OFF, ROLE, atExpression, collect, newQueue, schedulerClient, unique } from './helpers.js';

const env = useFogbank();

const attrs = (m: { MessageAttributes?: Record<string, { StringValue?: string }> }) =>
  Object.fromEntries(Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [k, v.StringValue]));

/** Moves the clock in steps until the queue has a message (retries run between steps). */
async function driveUntilMessage(queue: Awaited<ReturnType<typeof newQueue>>, stepMs: number) {
  for (let i = 0; i < 100; i++) {
    const [message] = await collect(queue, 1, 30);
    if (message) return message;
    env.fogbank.advanceClock(stepMs);
  }
  assert.fail('no message arrived');
}

describe('universal targets', () => {
  it('aws-sdk:sqs:sendMessage and aws-sdk:dynamodb:putItem call the action with the Input as its parameters', async () => {
    const sc = schedulerClient(env.endpoint);
    const queue = await newQueue(env.endpoint);
    const ddb = new DynamoDBClient(clientConfig(env.endpoint));
    const table = unique('jobs');
    await ddb.send(new CreateTableCommand({ TableName: table, BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }] }));
    const when = env.fogbank.clock.now() + 60_000;
    await sc.send(
      new CreateScheduleCommand({
        Name: unique('utp-sqs'),
        ScheduleExpression: atExpression(when),
        FlexibleTimeWindow: OFF,
        Target: { Arn: 'arn:aws:scheduler:::aws-sdk:sqs:sendMessage', RoleArn: ROLE, Input: JSON.stringify({ QueueUrl: queue.url, MessageBody: 'run <aws.scheduler.execution-id>' }) },
      }),
    );
    await sc.send(
      new CreateScheduleCommand({
        Name: unique('utp-ddb'),
        ScheduleExpression: atExpression(when),
        FlexibleTimeWindow: OFF,
        Target: { Arn: 'arn:aws:scheduler:::aws-sdk:dynamodb:putItem', RoleArn: ROLE, Input: JSON.stringify({ TableName: table, Item: { pk: { S: 'nightly' }, ran: { BOOL: true } } }) },
      }),
    );
    env.fogbank.advanceClock(60_000);
    const [message] = await collect(queue, 1);
    assert.match(message!.Body!, /^run [0-9a-f]{16}$/);
    const item = await ddb.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'nightly' } } }));
    assert.deepEqual(item.Item, { pk: { S: 'nightly' }, ran: { BOOL: true } });
  });

  it('a universal target for a service Fogbank lacks, or with bad parameters, is dead-lettered at once', async () => {
    const sc = schedulerClient(env.endpoint);
    const dlq = await newQueue(env.endpoint);
    const when = env.fogbank.clock.now() + 60_000;
    for (const [arn, input] of [
      ['arn:aws:scheduler:::aws-sdk:kinesis:putRecord', '{}'],
      ['arn:aws:scheduler:::aws-sdk:sqs:sendMessage', '{"MessageBody":"no queue url"}'],
    ]) {
      await sc.send(
        new CreateScheduleCommand({ Name: unique('utp-bad'), ScheduleExpression: atExpression(when), FlexibleTimeWindow: OFF, Target: { Arn: arn, RoleArn: ROLE, Input: input, DeadLetterConfig: { Arn: dlq.arn } } }),
      );
    }
    env.fogbank.advanceClock(60_000);
    const dead = await collect(dlq, 2);
    assert.equal(dead.length, 2);
    // ERROR_CODE is the target's own: Fogbank's refusal for Kinesis, SQS's for the missing QueueUrl.
    assert.deepEqual(dead.map((m) => attrs(m).ERROR_CODE).sort(), ['MissingRequiredParameterException', 'ValidationException']);
    for (const message of dead) assert.equal(attrs(message).RETRY_ATTEMPTS, '0');
  });
});

describe('retry policy', () => {
  // A Lambda function target is invoked asynchronously: its throttling stays in Lambda's own event
  // queue, as on AWS. A synchronous lambda:invoke universal target sees TooManyRequestsException.
  it('a throttled target is retried with backoff, then dead-lettered with Scheduler attributes', async () => {
    const lambda = lambdaClient(env.endpoint);
    const fn = await createFunction(lambda, {});
    await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: fn.FunctionName, ReservedConcurrentExecutions: 0 }));
    const invokeArn = 'arn:aws:scheduler:::aws-sdk:lambda:invoke';
    const sc = schedulerClient(env.endpoint);
    const dlq = await newQueue(env.endpoint);
    const name = unique('throttled');
    const when = env.fogbank.clock.now() + 60_000;
    const { ScheduleArn } = await sc.send(
      new CreateScheduleCommand({
        Name: name,
        ScheduleExpression: atExpression(when),
        FlexibleTimeWindow: OFF,
        Target: { Arn: invokeArn, RoleArn: ROLE, Input: JSON.stringify({ FunctionName: fn.FunctionName }), RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 }, DeadLetterConfig: { Arn: dlq.arn } },
      }),
    );
    env.fogbank.advanceClock(60_000);
    assert.equal((await collect(dlq, 1, 100)).length, 0, 'a throttled invocation is retried, not dead-lettered at once');
    const dead = await driveUntilMessage(dlq, 1000);
    const a = attrs(dead);
    assert.deepEqual(
      [a.ERROR_CODE, a.EXHAUSTED_RETRY_CONDITION, a.RETRY_ATTEMPTS, a.SCHEDULE_ARN, a.TARGET_ARN, a.IS_PAYLOAD_TRUNCATED],
      ['TooManyRequestsException', 'MaximumRetryAttempts', '2', ScheduleArn, invokeArn, 'false'],
    );
    assert.equal(a.SCHEDULED_TIME, new Date(when).toISOString().replace(/\.\d{3}Z$/, 'Z'));
    assert.match(a.EXECUTION_ID!, /^[0-9a-f]{16}$/);
  });

  it('a retry that finds the target healthy again delivers, with the attempt number in the Input', async () => {
    const lambda = lambdaClient(env.endpoint);
    const fn = await createFunction(lambda, { files: { 'index.mjs': 'export const handler = async (e) => { console.log("attempt", e.try); };' } });
    await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: fn.FunctionName, ReservedConcurrentExecutions: 0 }));
    const sc = schedulerClient(env.endpoint);
    const dlq = await newQueue(env.endpoint);
    const when = env.fogbank.clock.now() + 60_000;
    await sc.send(
      new CreateScheduleCommand({
        Name: unique('recovers'),
        ScheduleExpression: atExpression(when),
        FlexibleTimeWindow: OFF,
        Target: {
          Arn: 'arn:aws:scheduler:::aws-sdk:lambda:invoke',
          RoleArn: ROLE,
          Input: `{"FunctionName":"${fn.FunctionName}","Payload":"{\\"try\\":<aws.scheduler.attempt-number>}"}`,
          RetryPolicy: { MaximumRetryAttempts: 3 },
          DeadLetterConfig: { Arn: dlq.arn },
        },
      }),
    );
    env.fogbank.advanceClock(60_000);
    await new Promise((r) => setTimeout(r, 50));
    await lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: fn.FunctionName }));
    env.fogbank.advanceClock(10_000);
    env.fogbank.advanceClock(10_000);
    const logs = new CloudWatchLogsClient(clientConfig(env.endpoint));
    const line = await eventually(async () => {
      const found = await logs.send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${fn.FunctionName}` })).catch(() => ({ events: [] }));
      return (found.events ?? []).map((e) => e.message!).find((m) => m.includes('attempt'));
    });
    assert.match(line, /attempt\s+[23]/, 'a retry (attempt 2 or 3) ran the function');
    assert.equal((await collect(dlq, 1, 100)).length, 0, 'the retry succeeded, so nothing is dead-lettered');
  });
});

describe('flexible time windows', () => {
  it('a FLEXIBLE window runs the invocation in the middle of the window, with the scheduled time unchanged', async () => {
    const sc = schedulerClient(env.endpoint);
    const queue = await newQueue(env.endpoint);
    const when = env.fogbank.clock.now() + 60_000;
    await sc.send(
      new CreateScheduleCommand({
        Name: unique('flex'),
        ScheduleExpression: atExpression(when),
        FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 10 },
        Target: { Arn: queue.arn, RoleArn: ROLE, Input: '<aws.scheduler.scheduled-time>' },
      }),
    );
    env.fogbank.advanceClock(60_000 + 4 * 60_000);
    assert.equal((await collect(queue, 1, 150)).length, 0, 'not yet at four minutes into the window');
    env.fogbank.advanceClock(60_000);
    const [message] = await collect(queue, 1);
    assert.equal(message!.Body, new Date(when).toISOString().replace(/\.\d{3}Z$/, 'Z'));
  });
});
