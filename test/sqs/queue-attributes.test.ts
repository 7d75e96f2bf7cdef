import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { useFogbank } from '../support/fogbank.js';
import { createFifoQueue, createQueue, rejectsWith, sqsClient, stillServes, uniqueName } from './support.js';

const env = useFogbank();

async function attributes(sqs: ReturnType<typeof sqsClient>, QueueUrl: string, names: string[] = ['All']): Promise<Record<string, string>> {
  return (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: names as never }))).Attributes ?? {};
}

describe('SQS queue attributes', () => {
  it('CreateQueue and SetQueueAttributes enforce AWS limits on attribute values', async () => {
    const sqs = sqsClient(env.endpoint);
    const cases: Array<[string, string]> = [
      ['VisibilityTimeout', '43201'],
      ['DelaySeconds', '901'],
      ['MaximumMessageSize', '1023'],
      ['MaximumMessageSize', '1048577'],
      ['MessageRetentionPeriod', '59'],
      ['ReceiveMessageWaitTimeSeconds', '21'],
      ['KmsDataKeyReusePeriodSeconds', '59'],
      ['VisibilityTimeout', 'abc'],
      ['SqsManagedSseEnabled', 'yes'],
      ['Policy', 'not json'],
    ];
    const QueueUrl = await createQueue(sqs);
    for (const [name, value] of cases) {
      const expected = { name: 'InvalidAttributeValue', code: 'InvalidAttributeValue', message: `Invalid value for the parameter ${name}.` };
      await rejectsWith(sqs.send(new CreateQueueCommand({ QueueName: uniqueName(), Attributes: { [name]: value } })), expected);
      await rejectsWith(sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { [name]: value } })), expected);
    }
    await rejectsWith(sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { Colour: 'blue' } as never })), { name: 'InvalidAttributeName', message: 'Unknown Attribute Colour.' });
    await rejectsWith(sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { QueueArn: 'x' } })), { name: 'InvalidAttributeName', message: 'Unknown Attribute QueueArn.' });
    await rejectsWith(sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { FifoQueue: 'true' } })), { name: 'InvalidAttributeName', message: 'Unknown Attribute FifoQueue.' });
    const fifo = await createFifoQueue(sqs);
    await rejectsWith(sqs.send(new SetQueueAttributesCommand({ QueueUrl: fifo, Attributes: { FifoQueue: 'false' } })), {
      name: 'InvalidAttributeValue',
      message: 'Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported.',
    });
    await stillServes(sqs);
  });

  it('GetQueueAttributes reports every attribute with AWS defaults, and counts messages', async () => {
    const sqs = sqsClient(env.endpoint);
    const before = Math.floor(env.fogbank.clock.now() / 1000);
    const QueueUrl = await createQueue(sqs, { Attributes: { VisibilityTimeout: '20', ReceiveMessageWaitTimeSeconds: '10' } });
    const all = await attributes(sqs, QueueUrl);
    const name = QueueUrl.split('/').pop()!;
    assert.deepEqual(Object.keys(all).sort(), [
      'ApproximateNumberOfMessages',
      'ApproximateNumberOfMessagesDelayed',
      'ApproximateNumberOfMessagesNotVisible',
      'CreatedTimestamp',
      'DelaySeconds',
      'LastModifiedTimestamp',
      'MaximumMessageSize',
      'MessageRetentionPeriod',
      'QueueArn',
      'ReceiveMessageWaitTimeSeconds',
      'SqsManagedSseEnabled',
      'VisibilityTimeout',
    ]);
    assert.equal(all.MaximumMessageSize, '1048576');
    assert.equal(all.MessageRetentionPeriod, '345600');
    assert.equal(all.VisibilityTimeout, '20');
    assert.equal(all.ReceiveMessageWaitTimeSeconds, '10');
    assert.equal(all.SqsManagedSseEnabled, 'true');
    assert.equal(all.QueueArn, `arn:aws:sqs:us-east-1:000000000000:${name}`);
    assert.ok(Number(all.CreatedTimestamp) >= before);

    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'visible' }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'visible too' }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'delayed', DelaySeconds: 60 }));
    await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 1 }));
    const counts = await attributes(sqs, QueueUrl, ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed']);
    assert.deepEqual(counts, { ApproximateNumberOfMessages: '1', ApproximateNumberOfMessagesDelayed: '1', ApproximateNumberOfMessagesNotVisible: '1' });
    env.fogbank.advanceClock(61_000);
    const later = await attributes(sqs, QueueUrl, ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed']);
    assert.deepEqual(later, { ApproximateNumberOfMessages: '3', ApproximateNumberOfMessagesDelayed: '0', ApproximateNumberOfMessagesNotVisible: '0' });

    assert.deepEqual(await attributes(sqs, QueueUrl, ['DelaySeconds']), { DelaySeconds: '0' });
    assert.equal((await sqs.send(new GetQueueAttributesCommand({ QueueUrl }))).Attributes, undefined);
    await rejectsWith(sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['Bogus' as never] })), { name: 'InvalidAttributeName', message: 'Unknown Attribute Bogus.' });
  });

  it('FIFO queues report their FIFO attributes', async () => {
    const sqs = sqsClient(env.endpoint);
    const QueueUrl = await createFifoQueue(sqs, { ContentBasedDeduplication: 'True', DeduplicationScope: 'messageGroup', FifoThroughputLimit: 'perMessageGroupId' });
    const all = await attributes(sqs, QueueUrl);
    assert.equal(all.FifoQueue, 'true');
    assert.equal(all.ContentBasedDeduplication, 'true');
    assert.equal(all.DeduplicationScope, 'messageGroup');
    assert.equal(all.FifoThroughputLimit, 'perMessageGroupId');
  });

  it('SetQueueAttributes changes attributes and LastModifiedTimestamp', async () => {
    const sqs = sqsClient(env.endpoint);
    const QueueUrl = await createQueue(sqs);
    const created = await attributes(sqs, QueueUrl);
    env.fogbank.advanceClock(5_000);
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { DelaySeconds: '420', MaximumMessageSize: '2048', VisibilityTimeout: '69' } }));
    const updated = await attributes(sqs, QueueUrl);
    assert.equal(updated.DelaySeconds, '420');
    assert.equal(updated.MaximumMessageSize, '2048');
    assert.equal(updated.VisibilityTimeout, '69');
    assert.equal(updated.CreatedTimestamp, created.CreatedTimestamp);
    assert.ok(Number(updated.LastModifiedTimestamp) >= Number(created.LastModifiedTimestamp) + 5);
  });

  it('server-side encryption: a KMS key turns SQS-managed SSE off; both at once are refused', async () => {
    const sqs = sqsClient(env.endpoint);
    const QueueUrl = await createQueue(sqs);
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { KmsMasterKeyId: 'testKeyId', KmsDataKeyReusePeriodSeconds: '6000' } }));
    let all = await attributes(sqs, QueueUrl);
    assert.equal(all.KmsMasterKeyId, 'testKeyId');
    assert.equal(all.KmsDataKeyReusePeriodSeconds, '6000');
    assert.equal(all.SqsManagedSseEnabled, 'false');
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { KmsMasterKeyId: '', KmsDataKeyReusePeriodSeconds: '300' } }));
    all = await attributes(sqs, QueueUrl);
    assert.equal(all.KmsMasterKeyId, undefined);
    assert.equal(all.KmsDataKeyReusePeriodSeconds, undefined);
    await rejectsWith(sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { KmsMasterKeyId: 'k', SqsManagedSseEnabled: 'true' } })), {
      name: 'InvalidAttributeName',
      message: 'You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE or SQS SSE.',
    });
  });
});
