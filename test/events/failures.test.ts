import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { CreateApiDestinationCommand, CreateConnectionCommand, PutEventsCommand, PutRuleCommand, PutTargetsCommand, type Target } from '@aws-sdk/client-eventbridge';
import { DeleteQueueCommand } from '@aws-sdk/client-sqs';
import { CreateStateMachineCommand, DescribeExecutionCommand, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { clientConfig, useFogbank } from '../support/fogbank.js';
import { ACCOUNT, eventsClient, eventually, httpEndpoint, newQueue, unique } from './helpers.js';

const env = useFogbank();

async function ruleWith(source: string, targets: Target[]) {
  const eb = eventsClient(env.endpoint);
  const name = unique('rule');
  const { RuleArn } = await eb.send(new PutRuleCommand({ Name: name, EventPattern: JSON.stringify({ source: [source] }) }));
  const put = await eb.send(new PutTargetsCommand({ Rule: name, Targets: targets }));
  assert.equal(put.FailedEntryCount, 0);
  return { eb, ruleArn: RuleArn! };
}

function attributes(message: { MessageAttributes?: Record<string, { StringValue?: string }> }) {
  return Object.fromEntries(Object.entries(message.MessageAttributes ?? {}).map(([k, v]) => [k, v.StringValue]));
}

/** The dead-letter queue's messages, with their attributes. */
async function deadLetters(queue: { sqs: import('@aws-sdk/client-sqs').SQSClient; url: string }) {
  const { ReceiveMessageCommand } = await import('@aws-sdk/client-sqs');
  const { Messages } = await queue.sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.url, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] }));
  return Messages ?? [];
}

describe('target failures: dead-letter queues', () => {
  it('a function that does not exist sends the event straight to the dead-letter queue, without retries', async () => {
    const dlq = await newQueue(env.endpoint);
    const missing = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${unique('nope')}`;
    const { eb, ruleArn } = await ruleWith('dlq.lambda', [{ Id: 'fn', Arn: missing, DeadLetterConfig: { Arn: dlq.arn } }]);
    const put = await eb.send(new PutEventsCommand({ Entries: [{ Source: 'dlq.lambda', DetailType: 'Failed', Detail: '{"n":1}' }] }));
    assert.equal(put.FailedEntryCount, 0, 'a failed delivery does not fail the publisher');
    const [message] = await deadLetters(dlq);
    assert.ok(message, 'the event is dead-lettered');
    const event = JSON.parse(message.Body!);
    assert.equal(event.id, put.Entries![0]!.EventId);
    assert.deepEqual(event.detail, { n: 1 });
    const attrs = attributes(message);
    assert.equal(attrs.RULE_ARN, ruleArn);
    assert.equal(attrs.TARGET_ARN, missing);
    assert.equal(attrs.ERROR_CODE, 'NO_RESOURCE');
    assert.match(attrs.ERROR_MESSAGE!, /Function not found/);
    assert.equal(attrs.RETRY_ATTEMPTS, '0');
    assert.equal(attrs.EXHAUSTED_RETRY_CONDITION, undefined, 'nothing was retried, so no retry condition ran out');
  });

  it('a deleted queue sends the event to the dead-letter queue; without one the event is dropped', async () => {
    const dlq = await newQueue(env.endpoint);
    const gone = await newQueue(env.endpoint);
    await gone.sqs.send(new DeleteQueueCommand({ QueueUrl: gone.url }));
    const { eb } = await ruleWith('dlq.sqs', [
      { Id: 'gone', Arn: gone.arn, DeadLetterConfig: { Arn: dlq.arn } },
      { Id: 'dropped', Arn: gone.arn },
    ]);
    await eb.send(new PutEventsCommand({ Entries: [{ Source: 'dlq.sqs', DetailType: 't', Detail: '{}' }] }));
    const messages = await deadLetters(dlq);
    assert.equal(messages.length, 1, 'only the target with a dead-letter queue writes to it');
    assert.equal(attributes(messages[0]!).ERROR_CODE, 'NO_RESOURCE');
    assert.equal(attributes(messages[0]!).TARGET_ARN, gone.arn);
  });
});

describe('target failures: retry policy on the clock', () => {
  const failing = httpEndpoint(() => ({ status: 503 }));
  after(async () => (await failing).close());

  async function failingDestination() {
    const eb = eventsClient(env.endpoint);
    const { ConnectionArn } = await eb.send(
      new CreateConnectionCommand({ Name: unique('conn'), AuthorizationType: 'API_KEY', AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: 'k' } } }),
    );
    const { ApiDestinationArn } = await eb.send(
      new CreateApiDestinationCommand({ Name: unique('dest'), ConnectionArn, InvocationEndpoint: `${(await failing).url}/hook`, HttpMethod: 'POST' }),
    );
    return ApiDestinationArn!;
  }

  /** Moves the clock in steps until the dead-letter queue has the event (retries run between steps). */
  async function driveToDeadLetter(dlq: { sqs: import('@aws-sdk/client-sqs').SQSClient; url: string }, stepMs: number) {
    for (let i = 0; i < 200; i++) {
      const found = await deadLetters(dlq);
      if (found.length) return found[0]!;
      env.fogbank.advanceClock(stepMs);
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.fail('the event was never dead-lettered');
  }

  it('an endpoint answering 503 is retried with backoff until MaximumRetryAttempts, then dead-lettered', async () => {
    const server = await failing;
    const before = server.requests.length;
    const dlq = await newQueue(env.endpoint);
    const target = await failingDestination();
    const { eb, ruleArn } = await ruleWith('retry.attempts', [{ Id: 'api', Arn: target, RoleArn: `arn:aws:iam::${ACCOUNT}:role/eb`, RetryPolicy: { MaximumRetryAttempts: 2 }, DeadLetterConfig: { Arn: dlq.arn } }]);
    await eb.send(new PutEventsCommand({ Entries: [{ Source: 'retry.attempts', DetailType: 't', Detail: '{"try":true}' }] }));
    assert.equal(server.requests.length - before, 1, 'the first attempt runs before PutEvents answers');
    assert.equal((await deadLetters(dlq)).length, 0, 'a retryable failure is not dead-lettered at once');
    const message = await driveToDeadLetter(dlq, 1000);
    assert.equal(server.requests.length - before, 3, 'one attempt and two retries');
    const attrs = attributes(message);
    assert.deepEqual(
      [attrs.ERROR_CODE, attrs.EXHAUSTED_RETRY_CONDITION, attrs.RETRY_ATTEMPTS, attrs.RULE_ARN, attrs.TARGET_ARN],
      ['ERROR_FROM_TARGET', 'MaximumRetryAttempts', '2', ruleArn, target],
    );
    assert.match(attrs.ERROR_MESSAGE!, /503/);
    assert.deepEqual(JSON.parse(message.Body!).detail, { try: true });
    env.fogbank.advanceClock(600_000);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(server.requests.length - before, 3, 'nothing is tried after the dead letter');
  });

  it('MaximumEventAgeInSeconds stops retries when the next one would come too late', async () => {
    const server = await failing;
    const before = server.requests.length;
    const dlq = await newQueue(env.endpoint);
    const target = await failingDestination();
    const { eb } = await ruleWith('retry.age', [{ Id: 'api', Arn: target, RetryPolicy: { MaximumEventAgeInSeconds: 60 }, DeadLetterConfig: { Arn: dlq.arn } }]);
    await eb.send(new PutEventsCommand({ Entries: [{ Source: 'retry.age', DetailType: 't', Detail: '{}' }] }));
    const message = await driveToDeadLetter(dlq, 4000);
    const attrs = attributes(message);
    assert.equal(attrs.EXHAUSTED_RETRY_CONDITION, 'MaximumEventAgeInSeconds');
    const retries = Number(attrs.RETRY_ATTEMPTS);
    assert.ok(retries >= 3 && retries < 185, `retried within the minute (${retries})`);
    assert.equal(server.requests.length - before, retries + 1);
  });

  it('PutTargets refuses retry policies outside AWS ranges', async () => {
    const eb = eventsClient(env.endpoint);
    const name = unique('rule');
    await eb.send(new PutRuleCommand({ Name: name, EventPattern: '{"source":["x"]}' }));
    const queue = await newQueue(env.endpoint);
    await assert.rejects(eb.send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: 'q', Arn: queue.arn, RetryPolicy: { MaximumRetryAttempts: 186 } }] })), (e: Error) => {
      assert.equal(e.name, 'ValidationException');
      assert.match(e.message, /maximumRetryAttempts.*less than or equal to 185/i);
      return true;
    });
    await assert.rejects(eb.send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: 'q', Arn: queue.arn, RetryPolicy: { MaximumEventAgeInSeconds: 59 } }] })), (e: Error) => {
      assert.equal(e.name, 'ValidationException');
      assert.match(e.message, /maximumEventAgeInSeconds.*greater than or equal to 60/i);
      return true;
    });
    assert.ok((await eb.send(new PutRuleCommand({ Name: name, EventPattern: '{"source":["x"]}' }))).RuleArn, 'the server still answers');
  });
});

describe('Step Functions target', () => {
  it('a matching event starts an execution of the state machine with the event as input', async () => {
    const sfn = new SFNClient(clientConfig(env.endpoint));
    const { stateMachineArn } = await sfn.send(
      new CreateStateMachineCommand({
        name: unique('sm'),
        roleArn: `arn:aws:iam::${ACCOUNT}:role/sfn`,
        definition: JSON.stringify({ StartAt: 'Done', States: { Done: { Type: 'Pass', End: true } } }),
      }),
    );
    const { eb } = await ruleWith('sfn.test', [{ Id: 'sm', Arn: stateMachineArn!, RoleArn: `arn:aws:iam::${ACCOUNT}:role/eb`, InputPath: '$.detail' }]);
    await eb.send(new PutEventsCommand({ Entries: [{ Source: 'sfn.test', DetailType: 'Order', Detail: '{"orderId":"o-1"}' }] }));
    const execution = await eventually(async () => (await sfn.send(new ListExecutionsCommand({ stateMachineArn }))).executions?.[0], 'the execution');
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn: execution.executionArn }));
    assert.deepEqual(JSON.parse(described.input!), { orderId: 'o-1' });
  });

  it('a state machine that does not exist is dead-lettered as NO_RESOURCE', async () => {
    const dlq = await newQueue(env.endpoint);
    const missing = `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:${unique('none')}`;
    const { eb } = await ruleWith('sfn.missing', [{ Id: 'sm', Arn: missing, DeadLetterConfig: { Arn: dlq.arn } }]);
    await eb.send(new PutEventsCommand({ Entries: [{ Source: 'sfn.missing', DetailType: 't', Detail: '{}' }] }));
    const [message] = await deadLetters(dlq);
    assert.ok(message);
    assert.equal(attributes(message).ERROR_CODE, 'NO_RESOURCE');
    assert.match(attributes(message).ERROR_MESSAGE!, /State Machine Does Not Exist/);
  });
});

describe('batched delivery', () => {
  it('ten events of one PutEvents reach a FIFO queue as ten messages in event order', async () => {
    const queue = await newQueue(env.endpoint, `${unique('batch')}.fifo`, { FifoQueue: 'true' });
    const { eb } = await ruleWith('batch.order', [{ Id: 'q', Arn: queue.arn, SqsParameters: { MessageGroupId: 'g' } }]);
    const put = await eb.send(new PutEventsCommand({ Entries: Array.from({ length: 10 }, (_, n) => ({ Source: 'batch.order', DetailType: 't', Detail: JSON.stringify({ n }) })) }));
    const { ReceiveMessageCommand } = await import('@aws-sdk/client-sqs');
    const { Messages } = await queue.sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.url, MaxNumberOfMessages: 10 }));
    assert.deepEqual(Messages!.map((m) => JSON.parse(m.Body!).detail.n), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual(Messages!.map((m) => JSON.parse(m.Body!).id), put.Entries!.map((e) => e.EventId));
  });

  it('every event of a batch to a deleted queue is dead-lettered on its own', async () => {
    const dlq = await newQueue(env.endpoint);
    const gone = await newQueue(env.endpoint);
    await gone.sqs.send(new DeleteQueueCommand({ QueueUrl: gone.url }));
    const { eb } = await ruleWith('batch.gone', [{ Id: 'gone', Arn: gone.arn, DeadLetterConfig: { Arn: dlq.arn } }]);
    await eb.send(new PutEventsCommand({ Entries: Array.from({ length: 3 }, (_, n) => ({ Source: 'batch.gone', DetailType: 't', Detail: JSON.stringify({ n }) })) }));
    const dead = await deadLetters(dlq);
    assert.deepEqual(dead.map((m) => JSON.parse(m.Body!).detail.n).sort(), [0, 1, 2]);
    assert.ok(dead.every((m) => attributes(m).ERROR_CODE === 'NO_RESOURCE'));
  });
});
