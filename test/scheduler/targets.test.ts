import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateEventBusCommand, EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateScheduleCommand, type Target } from '@aws-sdk/client-scheduler';
import { CreateStateMachineCommand, DescribeExecutionCommand, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { createFunction, lambdaClient } from '../lambda/support.js';
import { clientConfig, useFogbank } from '../support/fogbank.js';
import { ACCOUNT, OFF, ROLE, collect, newQueue, schedulerClient, unique } from './helpers.js';

const env = useFogbank();

/** Polls (real time) until check returns a value, for invocations that run asynchronously. */
async function eventually<T>(check: () => Promise<T | undefined>, patienceMs = 10_000): Promise<T | undefined> {
  for (const start = Date.now(); Date.now() - start < patienceMs; ) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  return undefined;
}

async function everyMinute(name: string, target: Omit<Target, 'RoleArn'>) {
  await schedulerClient(env.endpoint).send(new CreateScheduleCommand({ Name: name, ScheduleExpression: 'rate(1 minute)', FlexibleTimeWindow: OFF, Target: { RoleArn: ROLE, ...target } }));
}

describe('templated targets', () => {
  it('SNS Publish sends the Input as the message', async () => {
    const sns = new SNSClient(clientConfig(env.endpoint));
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: unique('topic') }));
    const queue = await newQueue(env.endpoint);
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: queue.arn, Attributes: { RawMessageDelivery: 'true' } }));
    await everyMinute(unique('to-sns'), { Arn: TopicArn, Input: 'published by scheduler' });
    env.fogbank.advanceClock(60_000);
    const [message] = await collect(queue, 1);
    assert.equal(message!.Body, 'published by scheduler');
  });

  it('EventBridge PutEvents sends the Input as the detail, with the source and detail-type given', async () => {
    const eb = new EventBridgeClient(clientConfig(env.endpoint));
    const bus = unique('bus');
    const { EventBusArn } = await eb.send(new CreateEventBusCommand({ Name: bus }));
    const queue = await newQueue(env.endpoint);
    await eb.send(new PutRuleCommand({ Name: 'from-scheduler', EventBusName: bus, EventPattern: JSON.stringify({ source: ['my.scheduler'] }) }));
    await eb.send(new PutTargetsCommand({ Rule: 'from-scheduler', EventBusName: bus, Targets: [{ Id: 'q', Arn: queue.arn }] }));
    await everyMinute(unique('to-bus'), { Arn: EventBusArn, Input: '{"order":42}', EventBridgeParameters: { Source: 'my.scheduler', DetailType: 'Order Due' } });
    env.fogbank.advanceClock(60_000);
    const [message] = await collect(queue, 1);
    const event = JSON.parse(message!.Body!);
    assert.equal(event.source, 'my.scheduler');
    assert.equal(event['detail-type'], 'Order Due');
    assert.deepEqual(event.detail, { order: 42 });
    assert.equal(event.account, ACCOUNT);
  });

  it('Step Functions StartExecution starts an execution with the Input', async () => {
    const sfn = new SFNClient(clientConfig(env.endpoint));
    const { stateMachineArn } = await sfn.send(
      new CreateStateMachineCommand({ name: unique('sm'), roleArn: ROLE, definition: JSON.stringify({ StartAt: 'Done', States: { Done: { Type: 'Pass', End: true } } }) }),
    );
    await everyMinute(unique('to-sfn'), { Arn: stateMachineArn, Input: '{"run":1}' });
    env.fogbank.advanceClock(60_000);
    const execution = await eventually(async () => (await sfn.send(new ListExecutionsCommand({ stateMachineArn }))).executions?.[0]);
    assert.ok(execution, 'an execution started');
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn: execution.executionArn }));
    assert.deepEqual(JSON.parse(described.input!), { run: 1 });
  });

  it('Lambda is invoked asynchronously with the Input as the event', async () => {
    const lambda = lambdaClient(env.endpoint);
    const fn = await createFunction(lambda, { files: { 'index.mjs': 'export const handler = async (e) => { console.log("scheduled", JSON.stringify(e)); };' } });
    await everyMinute(unique('to-lambda'), { Arn: fn.FunctionArn, Input: '{"task":"cleanup"}' });
    env.fogbank.advanceClock(60_000);
    const logs = new CloudWatchLogsClient(clientConfig(env.endpoint));
    const line = await eventually(async () => {
      const found = await logs.send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${fn.FunctionName}` })).catch(() => ({ events: [] }));
      return (found.events ?? []).find((e) => e.message!.includes('scheduled'))?.message;
    });
    assert.ok(line, 'the function ran');
    assert.match(line, /scheduled \{"task":"cleanup"\}/);
  });
});
