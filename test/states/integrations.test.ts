import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CreateTableCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { DescribeExecutionCommand, ListStateMachinesCommand, SendTaskFailureCommand, SendTaskHeartbeatCommand, SendTaskSuccessCommand, StartExecutionCommand, StopExecutionCommand, type HistoryEvent } from '@aws-sdk/client-sfn';
import { expectAwsError } from '../support/errors.js';
import { clientConfig, useFogbank } from '../support/fogbank.js';
import { newQueue, unique } from '../support/queues.js';
import { createMachine, history, run, sfnClient, waitForEnd, waitForEvent } from './support.js';

const env = useFogbank();

async function newTable(name = unique('t')) {
  const ddb = new DynamoDBClient(clientConfig(env.endpoint));
  await ddb.send(new CreateTableCommand({ TableName: name, AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' }));
  return { ddb, name };
}

/** Receives one message (the task token carrier) from a queue. */
async function receiveOne(endpoint: string, sqs: Awaited<ReturnType<typeof newQueue>>['sqs'], url: string) {
  for (let i = 0; i < 50; i++) {
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 0 }));
    if (Messages?.length) return JSON.parse(Messages[0]!.Body!) as Record<string, unknown>;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no message on ${url} at ${endpoint}`);
}

describe('Step Functions service integrations', () => {
  it('DynamoDB putItem, getItem, updateItem, deleteItem, and its errors by name', async () => {
    const sfn = sfnClient(env.endpoint);
    const { ddb, name } = await newTable();
    const definition = {
      StartAt: 'Put',
      States: {
        Put: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', Parameters: { TableName: name, Item: { pk: { 'S.$': '$.id' }, n: { N: '1' } } }, ResultPath: '$.put', Next: 'Update' },
        Update: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:updateItem', Parameters: { TableName: name, Key: { pk: { 'S.$': '$.id' } }, UpdateExpression: 'SET n = n + :one', ExpressionAttributeValues: { ':one': { N: '1' } }, ReturnValues: 'ALL_NEW' }, ResultSelector: { 'n.$': '$.Attributes.n.N' }, ResultPath: '$.update', Next: 'Get' },
        Get: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:getItem', Parameters: { TableName: name, Key: { pk: { 'S.$': '$.id' } } }, ResultPath: '$.get', Next: 'PutAgain' },
        PutAgain: {
          Type: 'Task',
          Resource: 'arn:aws:states:::dynamodb:putItem',
          Parameters: { TableName: name, Item: { pk: { 'S.$': '$.id' } }, ConditionExpression: 'attribute_not_exists(pk)' },
          Catch: [{ ErrorEquals: ['DynamoDB.ConditionalCheckFailedException'], ResultPath: '$.conflict', Next: 'Delete' }],
          Next: 'Delete',
        },
        Delete: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:deleteItem', Parameters: { TableName: name, Key: { pk: { 'S.$': '$.id' } } }, ResultPath: null, End: true },
      },
    };
    const arn = await createMachine(sfn, definition);
    const done = await run(sfn, arn, { id: 'a1' });
    assert.equal(done.status, 'SUCCEEDED', done.cause);
    const output = JSON.parse(done.output!) as Record<string, any>;
    assert.deepEqual(output.put.SdkHttpMetadata.HttpStatusCode, 200);
    assert.equal(typeof output.put.SdkResponseMetadata.RequestId, 'string');
    assert.deepEqual(output.update, { n: '2' });
    assert.deepEqual(output.get.Item, { pk: { S: 'a1' }, n: { N: '2' } });
    assert.equal(output.conflict.Error, 'DynamoDB.ConditionalCheckFailedException');
    assert.match(output.conflict.Cause, /^The conditional request failed \(Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ConditionalCheckFailedException; Request ID: [^;]+; Proxy: null\)$/);
    assert.equal((await ddb.send(new GetItemCommand({ TableName: name, Key: { pk: { S: 'a1' } } }))).Item, undefined);
    const events = await history(sfn, done.executionArn!);
    const scheduled = events.find((e) => e.type === 'TaskScheduled')!.taskScheduledEventDetails!;
    assert.deepEqual([scheduled.resourceType, scheduled.resource, scheduled.region], ['dynamodb', 'putItem', 'us-east-1']);
    assert.deepEqual(JSON.parse(scheduled.parameters!), { TableName: name, Item: { pk: { S: 'a1' }, n: { N: '1' } } });
    assert.ok(events.some((e) => e.type === 'TaskFailed' && e.taskFailedEventDetails!.error === 'DynamoDB.ConditionalCheckFailedException'));
  });

  it('SQS sendMessage (a JSON body sent as text), SNS publish and EventBridge putEvents', async () => {
    const sfn = sfnClient(env.endpoint);
    const queue = await newQueue(env.endpoint);
    const sns = new SNSClient(clientConfig(env.endpoint));
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: unique('topic') }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: queue.arn, Attributes: { RawMessageDelivery: 'true' } }));
    const definition = {
      StartAt: 'Send',
      States: {
        Send: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Parameters: { QueueUrl: queue.url, MessageBody: { 'order.$': '$.order' } }, ResultPath: '$.sent', Next: 'Publish' },
        Publish: { Type: 'Task', Resource: 'arn:aws:states:::sns:publish', Parameters: { TopicArn, Message: { published: true } }, ResultPath: '$.published', Next: 'Emit' },
        Emit: { Type: 'Task', Resource: 'arn:aws:states:::events:putEvents', Parameters: { Entries: [{ Source: 'app.orders', DetailType: 'Order', Detail: '{"x":1}' }] }, ResultPath: '$.emitted', End: true },
      },
    };
    const done = await run(sfn, await createMachine(sfn, definition), { order: 7 });
    assert.equal(done.status, 'SUCCEEDED', done.cause);
    const output = JSON.parse(done.output!) as Record<string, any>;
    assert.match(output.sent.MessageId, /^[0-9a-f-]{36}$/);
    assert.equal(output.sent.MD5OfMessageBody.length, 32);
    assert.match(output.published.MessageId, /^[0-9a-f-]{36}$/);
    assert.equal(output.emitted.FailedEntryCount, 0);
    assert.match(output.emitted.Entries[0].EventId, /./);
    const { Messages } = await queue.sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.url, MaxNumberOfMessages: 10 }));
    assert.deepEqual(Messages!.map((m) => JSON.parse(m.Body!)).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))), [{ order: 7 }, { published: true }]);
  });

  it('aws-sdk integrations: member names capitalised both ways, errors as <Service>.<Exception>', async () => {
    const sfn = sfnClient(env.endpoint);
    const { name } = await newTable();
    const target = await createMachine(sfn, { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
    const definition = {
      StartAt: 'Put',
      States: {
        Put: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:dynamodb:putItem', Parameters: { TableName: name, Item: { pk: { S: 'k' }, Name: { S: 'kept' } } }, ResultPath: null, Next: 'Get' },
        Get: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:dynamodb:getItem', Parameters: { TableName: name, Key: { pk: { S: 'k' } } }, ResultSelector: { 'item.$': '$.Item' }, ResultPath: '$.got', Next: 'Describe' },
        Describe: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:sfn:describeStateMachine', Parameters: { StateMachineArn: target }, ResultSelector: { 'name.$': '$.Name', 'type.$': '$.Type' }, ResultPath: '$.machine', Next: 'Missing' },
        Missing: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:dynamodb:getItem', Parameters: { TableName: 'no-such-table', Key: { pk: { S: 'k' } } }, Catch: [{ ErrorEquals: ['DynamoDb.ResourceNotFoundException'], ResultPath: '$.missing', Next: 'Done' }], Next: 'Done' },
        Done: { Type: 'Succeed' },
      },
    };
    const done = await run(sfn, await createMachine(sfn, definition), {});
    assert.equal(done.status, 'SUCCEEDED', done.cause);
    const output = JSON.parse(done.output!) as Record<string, any>;
    // Attribute names are map keys: kept as written.
    assert.deepEqual(output.got.item, { pk: { S: 'k' }, Name: { S: 'kept' } });
    assert.deepEqual(output.machine, { name: target.split(':').pop(), type: 'STANDARD' });
    assert.equal(output.missing.Error, 'DynamoDb.ResourceNotFoundException');
    assert.match(output.missing.Cause, /\(Service: DynamoDb, Status Code: 400, Request ID: [^)]+\)$/);
    const events = await history(sfn, done.executionArn!);
    assert.equal(events.find((e) => e.type === 'TaskScheduled')!.taskScheduledEventDetails!.resourceType, 'aws-sdk:dynamodb');
  });

  it('.waitForTaskToken: the token goes out in the message, SendTaskSuccess and SendTaskFailure settle it', async () => {
    const sfn = sfnClient(env.endpoint);
    const queue = await newQueue(env.endpoint);
    const definition = {
      StartAt: 'Ask',
      States: {
        Ask: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { QueueUrl: queue.url, MessageBody: { 'token.$': '$$.Task.Token', 'input.$': '$' } }, Catch: [{ ErrorEquals: ['Rejected'], Next: 'Rejected' }], End: true },
        Rejected: { Type: 'Pass', Result: 'rejected', End: true },
      },
    };
    const arn = await createMachine(sfn, definition);
    const first = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{"n":1}' }));
    const message = await receiveOne(env.endpoint, queue.sqs, queue.url);
    assert.deepEqual(message.input, { n: 1 });
    const token = String(message.token);
    await expectAwsError(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: 'not json' })), { name: 'InvalidOutput' });
    await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"approved":true}' }));
    const done = await waitForEnd(sfn, first.executionArn!);
    assert.deepEqual([done.status, JSON.parse(done.output!)], ['SUCCEEDED', { approved: true }]);
    const events = await history(sfn, first.executionArn!);
    assert.deepEqual(events.map((e) => e.type).slice(2, 6), ['TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskSucceeded']);
    assert.equal(events[2]!.taskScheduledEventDetails!.resource, 'sendMessage.waitForTaskToken');
    // The token is spent: AWS answers TaskDoesNotExist; text that is no token is InvalidToken.
    await expectAwsError(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })), { name: 'TaskDoesNotExist' });
    await expectAwsError(sfn.send(new SendTaskHeartbeatCommand({ taskToken: 'not a token' })), { name: 'InvalidToken' });

    const second = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{"n":2}' }));
    const again = await receiveOne(env.endpoint, queue.sqs, queue.url);
    await sfn.send(new SendTaskFailureCommand({ taskToken: String(again.token), error: 'Rejected', cause: 'no' }));
    const failed = await waitForEnd(sfn, second.executionArn!);
    assert.deepEqual([failed.status, JSON.parse(failed.output!)], ['SUCCEEDED', 'rejected']);
    const failedEvents = await history(sfn, second.executionArn!);
    assert.deepEqual(failedEvents.find((e) => e.type === 'TaskFailed')!.taskFailedEventDetails, { resourceType: 'sqs', resource: 'sendMessage.waitForTaskToken', error: 'Rejected', cause: 'no' });
    assert.ok((await sfn.send(new ListStateMachinesCommand({}))).stateMachines);
  });

  it('HeartbeatSeconds on the clock: heartbeats keep the task alive, silence ends it with States.HeartbeatTimeout', async () => {
    const sfn = sfnClient(env.endpoint);
    const queue = await newQueue(env.endpoint);
    const definition = { StartAt: 'Wait', States: { Wait: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', HeartbeatSeconds: 10, TimeoutSeconds: 3600, Parameters: { QueueUrl: queue.url, MessageBody: { 'token.$': '$$.Task.Token' } }, End: true } } };
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: await createMachine(sfn, definition), input: '{}' }));
    const { token } = await receiveOne(env.endpoint, queue.sqs, queue.url);
    env.fogbank.advanceClock(8_000);
    await sfn.send(new SendTaskHeartbeatCommand({ taskToken: String(token) }));
    env.fogbank.advanceClock(8_000);
    assert.equal((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status, 'RUNNING');
    env.fogbank.advanceClock(3_000);
    const done = await waitForEnd(sfn, executionArn!);
    assert.deepEqual([done.status, done.error], ['FAILED', 'States.HeartbeatTimeout']);
    const events = await history(sfn, executionArn!);
    assert.deepEqual(events.find((e) => e.type === 'TaskTimedOut')!.taskTimedOutEventDetails, { resourceType: 'sqs', resource: 'sendMessage.waitForTaskToken', error: 'States.HeartbeatTimeout' });
    await expectAwsError(sfn.send(new SendTaskHeartbeatCommand({ taskToken: String(token) })), { name: 'TaskDoesNotExist' });
  });

  it('nested executions: startExecution, .sync (Output as text) and .sync:2 (Output as JSON); a failed child fails the task', async () => {
    const sfn = sfnClient(env.endpoint);
    const child = await createMachine(sfn, { StartAt: 'C', States: { C: { Type: 'Choice', Choices: [{ Variable: '$.fail', BooleanEquals: true, Next: 'F' }], Default: 'S' }, S: { Type: 'Pass', Result: { child: 'done' }, End: true }, F: { Type: 'Fail', Error: 'ChildFailed', Cause: 'asked to' } } });
    const definition = {
      StartAt: 'Fire',
      States: {
        Fire: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution', Parameters: { StateMachineArn: child, Input: { fail: false } }, ResultSelector: { 'arn.$': '$.ExecutionArn' }, ResultPath: '$.fired', Next: 'Sync' },
        Sync: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync', Parameters: { StateMachineArn: child, Input: { fail: false } }, ResultSelector: { 'status.$': '$.Status', 'output.$': '$.Output' }, ResultPath: '$.sync', Next: 'Sync2' },
        Sync2: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync:2', Parameters: { StateMachineArn: child, Input: { fail: false } }, ResultSelector: { 'output.$': '$.Output' }, ResultPath: '$.sync2', Next: 'Failing' },
        Failing: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync:2', Parameters: { StateMachineArn: child, 'Input.$': '$.failing' }, Catch: [{ ErrorEquals: ['States.TaskFailed'], ResultPath: '$.caught', Next: 'Done' }], Next: 'Done' },
        Done: { Type: 'Pass', End: true },
      },
    };
    const done = await run(sfn, await createMachine(sfn, definition), { failing: { fail: true } });
    assert.equal(done.status, 'SUCCEEDED', done.cause);
    const output = JSON.parse(done.output!) as Record<string, any>;
    assert.match(output.fired.arn, /^arn:aws:states:us-east-1:000000000000:execution:/);
    assert.deepEqual(output.sync, { status: 'SUCCEEDED', output: '{"child":"done"}' });
    assert.deepEqual(output.sync2, { output: { child: 'done' } });
    assert.equal(output.caught.Error, 'States.TaskFailed');
    const cause = JSON.parse(output.caught.Cause) as Record<string, unknown>;
    assert.deepEqual([cause.Status, cause.Error, cause.Cause], ['FAILED', 'ChildFailed', 'asked to']);
    const events = await waitForEvent(sfn, done.executionArn!, 'ExecutionSucceeded');
    assert.ok(events.some((e) => e.type === 'TaskSubmitted' && e.taskSubmittedEventDetails!.resource === 'startExecution.sync'));
  });

  it('stopping an execution stops its .sync child and releases its task token', async () => {
    const sfn = sfnClient(env.endpoint);
    const queue = await newQueue(env.endpoint);
    const child = await createMachine(sfn, { StartAt: 'Hold', States: { Hold: { Type: 'Wait', Seconds: 3600, End: true } } });
    const parent = await createMachine(sfn, {
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'Child', States: { Child: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync:2', Parameters: { StateMachineArn: child, Input: {} }, End: true } } },
            { StartAt: 'Ask', States: { Ask: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { QueueUrl: queue.url, MessageBody: { 'token.$': '$$.Task.Token' } }, End: true } } },
          ],
          End: true,
        },
      },
    });
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: parent, input: '{}' }));
    const { token } = await receiveOne(env.endpoint, queue.sqs, queue.url);
    let childSubmitted: HistoryEvent | undefined;
    for (let i = 0; i < 200 && !childSubmitted; i++) {
      childSubmitted = (await history(sfn, executionArn!)).find((e) => e.type === 'TaskSubmitted' && e.taskSubmittedEventDetails!.resourceType === 'states');
      if (!childSubmitted) await new Promise((r) => setTimeout(r, 20));
    }
    const childArn = JSON.parse(childSubmitted!.taskSubmittedEventDetails!.output!).ExecutionArn as string;
    await sfn.send(new StopExecutionCommand({ executionArn, error: 'Halt', cause: 'by test' }));
    const stoppedChild = await waitForEnd(sfn, childArn);
    assert.equal(stoppedChild.status, 'ABORTED');
    await expectAwsError(sfn.send(new SendTaskSuccessCommand({ taskToken: String(token), output: '{}' })), { name: 'TaskDoesNotExist' });
    assert.equal((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status, 'ABORTED');
  });

  it('a resource Fogbank does not run fails the task with States.Runtime', async () => {
    const sfn = sfnClient(env.endpoint);
    const done = await run(sfn, await createMachine(sfn, { StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::glue:startJobRun.sync', End: true } } }), {});
    assert.deepEqual([done.status, done.error], ['FAILED', 'States.Runtime']);
    assert.match(done.cause!, /The resource 'arn:aws:states:::glue:startJobRun\.sync' is not supported by Fogbank yet/);
  });
});
