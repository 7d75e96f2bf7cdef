import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CancelMessageMoveTaskCommand,
  GetQueueAttributesCommand,
  ListDeadLetterSourceQueuesCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  StartMessageMoveTaskCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { useFogbank } from '../support/fogbank.js';
import { createFifoQueue, createQueue, rejectsWith, sqsClient, stillServes } from './support.js';

const env = useFogbank();

async function arnOf(sqs: SQSClient, QueueUrl: string): Promise<string> {
  return (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
}

async function pipe(sqs: SQSClient, maxReceiveCount = 1): Promise<{ source: string; dlq: string; dlqArn: string; sourceArn: string }> {
  const dlq = await createQueue(sqs);
  const dlqArn = await arnOf(sqs, dlq);
  const source = await createQueue(sqs, { Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount }) } });
  return { source, dlq, dlqArn, sourceArn: await arnOf(sqs, source) };
}

async function drain(sqs: SQSClient, QueueUrl: string, extra: Record<string, unknown> = {}) {
  return (await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, ...extra }))).Messages ?? [];
}

describe('SQS dead-letter queues', () => {
  it('RedrivePolicy is validated and normalized; an empty one removes it', async () => {
    const sqs = sqsClient(env.endpoint);
    const dlq = await createQueue(sqs);
    const dlqArn = await arnOf(sqs, dlq);
    const QueueUrl = await createQueue(sqs);
    const set = (RedrivePolicy: string) => sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { RedrivePolicy } }));
    const invalid = (policy: string, reason: string) => ({ name: 'InvalidParameterValue', code: 'InvalidParameterValue', message: `Value ${policy} for parameter RedrivePolicy is invalid. Reason: ${reason}` });
    const cases: Array<[string, string]> = [
      ['not json', 'Redrive policy is not a valid JSON map.'],
      [JSON.stringify({ maxReceiveCount: 5 }), 'Redrive policy does not contain mandatory attribute: deadLetterTargetArn.'],
      [JSON.stringify({ deadLetterTargetArn: dlqArn }), 'Redrive policy does not contain mandatory attribute: maxReceiveCount.'],
      [JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 0 }), 'Invalid value for maxReceiveCount: 0, valid values are from 1 to 1000 both inclusive.'],
      [JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 'invalid' }), 'Invalid value for maxReceiveCount: invalid, valid values are from 1 to 1000 both inclusive.'],
      [JSON.stringify({ deadLetterTargetArn: 'dummy', maxReceiveCount: 5 }), 'Invalid value for deadLetterTargetArn.'],
      [JSON.stringify({ deadLetterTargetArn: `${dlqArn}-missing`, maxReceiveCount: 5 }), 'Dead letter target does not exist.'],
    ];
    for (const [policy, reason] of cases) await rejectsWith(set(policy), invalid(policy, reason));
    await set(JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: '42' }));
    const stored = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['RedrivePolicy'] }))).Attributes!.RedrivePolicy!;
    assert.deepEqual(JSON.parse(stored), { deadLetterTargetArn: dlqArn, maxReceiveCount: 42 });
    await set('');
    assert.equal((await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }))).Attributes!.RedrivePolicy, undefined);
    const fifoDlq = await createFifoQueue(sqs);
    const mismatch = JSON.stringify({ deadLetterTargetArn: await arnOf(sqs, fifoDlq), maxReceiveCount: 3 });
    await rejectsWith(set(mismatch), { name: 'InvalidParameterValue', message: /must be same type of queue/ });
    await stillServes(sqs);
  });

  it('RedriveAllowPolicy decides which queues may use a queue as their dead-letter queue', async () => {
    const sqs = sqsClient(env.endpoint);
    const dlq = await createQueue(sqs);
    const dlqArn = await arnOf(sqs, dlq);
    const source = await createQueue(sqs);
    const sourceArn = await arnOf(sqs, source);
    const policy = JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 2 });
    await rejectsWith(sqs.send(new SetQueueAttributesCommand({ QueueUrl: dlq, Attributes: { RedriveAllowPolicy: '{"redrivePermission":"sometimes"}' } })), {
      name: 'InvalidParameterValue',
      message: /RedriveAllowPolicy is invalid/,
    });
    await rejectsWith(sqs.send(new SetQueueAttributesCommand({ QueueUrl: dlq, Attributes: { RedriveAllowPolicy: '{"redrivePermission":"byQueue"}' } })), {
      name: 'InvalidParameterValue',
    });
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: dlq, Attributes: { RedriveAllowPolicy: '{"redrivePermission":"denyAll"}' } }));
    await rejectsWith(sqs.send(new SetQueueAttributesCommand({ QueueUrl: source, Attributes: { RedrivePolicy: policy } })), { name: 'InvalidParameterValue' });
    const byQueue = JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: [sourceArn] });
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: dlq, Attributes: { RedriveAllowPolicy: byQueue } }));
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: source, Attributes: { RedrivePolicy: policy } }));
    assert.equal((await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq, AttributeNames: ['RedriveAllowPolicy'] }))).Attributes!.RedriveAllowPolicy, byQueue);
  });

  it('a message received more than maxReceiveCount times moves to the dead-letter queue with its attributes', async () => {
    const sqs = sqsClient(env.endpoint);
    const { source, dlq, sourceArn } = await pipe(sqs, 1);
    const trace = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
    const sent = await sqs.send(
      new SendMessageCommand({
        QueueUrl: source,
        MessageBody: 'message-1',
        MessageAttributes: { MyAttribute: { StringValue: 'foobar', DataType: 'String' } },
        MessageSystemAttributes: { AWSTraceHeader: { StringValue: trace, DataType: 'String' } },
      }),
    );
    const first = await drain(sqs, source, { VisibilityTimeout: 0 });
    assert.equal(first.length, 1);
    assert.deepEqual(await drain(sqs, source, { VisibilityTimeout: 0 }), [], 'the second receive moves it instead');
    const [moved] = await drain(sqs, dlq, { AttributeNames: ['All'], MessageAttributeNames: ['All'] });
    assert.equal(moved!.MessageId, sent.MessageId);
    assert.equal(moved!.Body, 'message-1');
    assert.equal(moved!.MD5OfMessageAttributes, 'adb59cd4678ea5a855436b949cd07ab6');
    assert.equal(moved!.Attributes!.ApproximateReceiveCount, '2');
    assert.equal(moved!.Attributes!.DeadLetterQueueSourceArn, sourceArn);
    assert.equal(moved!.Attributes!.AWSTraceHeader, trace);
    assert.deepEqual((await sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq }))).queueUrls, [source]);
    assert.deepEqual((await sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: source }))).queueUrls, []);
  });

  it('FIFO queues move to a FIFO dead-letter queue, keeping the group', async () => {
    const sqs = sqsClient(env.endpoint);
    const dlq = await createFifoQueue(sqs);
    const dlqArn = await arnOf(sqs, dlq);
    const source = await createFifoQueue(sqs, { ContentBasedDeduplication: 'true', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 2 }) });
    await sqs.send(new SendMessageCommand({ QueueUrl: source, MessageBody: 'poison', MessageGroupId: 'g' }));
    await sqs.send(new SendMessageCommand({ QueueUrl: source, MessageBody: 'next', MessageGroupId: 'g' }));
    assert.deepEqual((await drain(sqs, source, { MaxNumberOfMessages: 1, VisibilityTimeout: 0 })).map((m) => m.Body), ['poison']);
    assert.deepEqual((await drain(sqs, source, { MaxNumberOfMessages: 1, VisibilityTimeout: 0 })).map((m) => m.Body), ['poison']);
    // The third receive moves it and delivers the next message of its group.
    assert.deepEqual((await drain(sqs, source, { MaxNumberOfMessages: 1 })).map((m) => m.Body), ['next']);
    const [moved] = await drain(sqs, dlq, { AttributeNames: ['All'] });
    assert.equal(moved!.Body, 'poison');
    assert.equal(moved!.Attributes!.MessageGroupId, 'g');
    assert.match(moved!.Attributes!.SequenceNumber!, /^\d{20}$/);
  });

  it('StartMessageMoveTask redrives to the source queues; ListMessageMoveTasks reports it', async () => {
    const sqs = sqsClient(env.endpoint);
    const { source, dlq, dlqArn } = await pipe(sqs, 1);
    for (const body of ['a', 'b']) await sqs.send(new SendMessageCommand({ QueueUrl: source, MessageBody: body }));
    await drain(sqs, source, { VisibilityTimeout: 0 });
    await drain(sqs, source, { VisibilityTimeout: 0 });
    const { TaskHandle } = await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn }));
    assert.deepEqual(JSON.parse(Buffer.from(TaskHandle!, 'base64').toString()).sourceArn, dlqArn);
    env.fogbank.advanceClock(0);
    const { Results } = await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlqArn }));
    assert.equal(Results!.length, 1);
    assert.equal(Results![0]!.Status, 'COMPLETED');
    assert.equal(Results![0]!.ApproximateNumberOfMessagesMoved, 2);
    assert.equal(Results![0]!.ApproximateNumberOfMessagesToMove, 2);
    assert.equal(Results![0]!.TaskHandle, undefined);
    assert.equal(Results![0]!.DestinationArn, undefined);
    const back = await drain(sqs, source, { AttributeNames: ['All'] });
    assert.deepEqual(back.map((m) => m.Body).sort(), ['a', 'b']);
    assert.equal(back[0]!.Attributes!.ApproximateReceiveCount, '1');
    assert.equal(back[0]!.Attributes!.DeadLetterQueueSourceArn, undefined);
    assert.deepEqual(await drain(sqs, dlq), []);
  });

  it('a rate-limited task moves on the clock and can be cancelled; only one runs per source', async () => {
    const sqs = sqsClient(env.endpoint);
    const { source, dlqArn } = await pipe(sqs, 1);
    const destination = await createQueue(sqs);
    const destinationArn = await arnOf(sqs, destination);
    for (let i = 0; i < 10; i++) await sqs.send(new SendMessageCommand({ QueueUrl: source, MessageBody: `m${i}` }));
    await drain(sqs, source, { VisibilityTimeout: 0 });
    await drain(sqs, source, { VisibilityTimeout: 0 });
    const { TaskHandle } = await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn, DestinationArn: destinationArn, MaxNumberOfMessagesPerSecond: 1 }));
    await rejectsWith(sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn })), {
      name: 'InvalidParameterValue',
      message: 'There is already a task running. Only one active task is allowed for a source queue arn at a given time.',
    });
    env.fogbank.advanceClock(0);
    env.fogbank.advanceClock(1_000);
    const running = (await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlqArn }))).Results![0]!;
    assert.equal(running.Status, 'RUNNING');
    assert.equal(running.TaskHandle, TaskHandle);
    assert.equal(running.ApproximateNumberOfMessagesMoved, 2);
    assert.equal(running.ApproximateNumberOfMessagesToMove, 10);
    assert.equal(running.MaxNumberOfMessagesPerSecond, 1);
    assert.equal(running.DestinationArn, destinationArn);
    const cancelled = await sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle }));
    assert.equal(cancelled.ApproximateNumberOfMessagesMoved, 2);
    env.fogbank.advanceClock(5_000);
    const after = (await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlqArn }))).Results![0]!;
    assert.equal(after.Status, 'CANCELLED');
    assert.equal((await drain(sqs, destination)).length, 2);
  });

  it('move task errors are AWS’s', async () => {
    const sqs = sqsClient(env.endpoint);
    const plain = await createQueue(sqs);
    const plainArn = await arnOf(sqs, plain);
    const { dlqArn } = await pipe(sqs, 1);
    await rejectsWith(sqs.send(new StartMessageMoveTaskCommand({ SourceArn: plainArn })), {
      name: 'InvalidParameterValue',
      message: 'Source queue must be configured as a Dead Letter Queue.',
    });
    await rejectsWith(sqs.send(new StartMessageMoveTaskCommand({ SourceArn: `${plainArn}-missing` })), {
      name: 'ResourceNotFoundException',
      message: "The resource that you specified for the SourceArn parameter doesn't exist.",
      status: 404,
    });
    await rejectsWith(sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn, DestinationArn: `${plainArn}doesntexist` })), {
      name: 'ResourceNotFoundException',
      message: "The resource that you specified for the DestinationArn parameter doesn't exist.",
      status: 404,
    });
    await rejectsWith(sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle: 'foobared' })), {
      name: 'InvalidParameterValue',
      message: 'Value for parameter TaskHandle is invalid.',
    });
    const unknownTask = Buffer.from(JSON.stringify({ taskId: '10f57157-fc38-4da9-a113-4de7e12d05aa', sourceArn: dlqArn })).toString('base64');
    await rejectsWith(sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle: unknownTask })), { name: 'ResourceNotFoundException', message: 'Task does not exist.', status: 404 });
    await stillServes(sqs);
  });
});
