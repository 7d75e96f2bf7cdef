import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { useFogbank } from '../support/fogbank.js';
import { createFifoQueue, rejectsWith, sqsClient, stillServes } from './support.js';

const env = useFogbank();

async function bodies(sqs: SQSClient, QueueUrl: string, MaxNumberOfMessages = 10, VisibilityTimeout?: number) {
  const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages, VisibilityTimeout }));
  return { bodies: (Messages ?? []).map((m) => m.Body), messages: Messages ?? [] };
}

async function send(sqs: SQSClient, QueueUrl: string, ...messages: Array<[body: string, group: string]>) {
  for (const [MessageBody, MessageGroupId] of messages) await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody, MessageGroupId }));
}

describe('SQS FIFO queues', () => {
  it('need a message group id and a deduplication id or content-based deduplication', async () => {
    const sqs = sqsClient(env.endpoint);
    const QueueUrl = await createFifoQueue(sqs);
    await rejectsWith(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', MessageDeduplicationId: 'd' })), {
      name: 'MissingParameter',
      code: 'MissingParameter',
      message: 'The request must contain the parameter MessageGroupId.',
    });
    await rejectsWith(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', MessageGroupId: 'g' })), {
      name: 'InvalidParameterValue',
      message: 'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
    });
    await rejectsWith(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', MessageGroupId: 'g', MessageDeduplicationId: 'd', DelaySeconds: 2 })), {
      name: 'InvalidParameterValue',
      message: 'Value 2 for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.',
    });
    await rejectsWith(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', MessageGroupId: 'g', MessageDeduplicationId: '' })), {
      name: 'InvalidParameterValue',
      message: 'Value  for parameter MessageDeduplicationId is invalid. Reason: MessageDeduplicationId can only include alphanumeric and punctuation characters. 1 to 128 in length.',
    });
    await rejectsWith(sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: [{ Id: 'a', MessageBody: 'x', MessageDeduplicationId: 'd' }] })), {
      name: 'InvalidParameterValue',
      message: 'The request must contain the parameter MessageGroupId.',
    });
    await rejectsWith(sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: [{ Id: 'a', MessageBody: 'x', MessageGroupId: 'g' }] })), {
      name: 'InvalidParameterValue',
      message: 'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
    });
    const sent = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', MessageGroupId: 'g', MessageDeduplicationId: 'd', DelaySeconds: 0 }));
    assert.match(sent.SequenceNumber!, /^\d{20}$/);
    await stillServes(sqs);
  });

  it('sequence numbers grow; received messages carry group, deduplication id and sequence number', async () => {
    const sqs = sqsClient(env.endpoint);
    const QueueUrl = await createFifoQueue(sqs);
    const a = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'a', MessageGroupId: 'group-1', MessageDeduplicationId: 'dedup-1' }));
    const b = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'b', MessageGroupId: 'group-1', MessageDeduplicationId: 'dedup-2' }));
    assert.ok(BigInt(b.SequenceNumber!) > BigInt(a.SequenceNumber!));
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, AttributeNames: ['All'] }));
    assert.deepEqual(Object.keys(Messages![0]!.Attributes!).sort(), [
      'ApproximateFirstReceiveTimestamp',
      'ApproximateReceiveCount',
      'MessageDeduplicationId',
      'MessageGroupId',
      'SenderId',
      'SentTimestamp',
      'SequenceNumber',
    ]);
    assert.equal(Messages![0]!.Attributes!.MessageGroupId, 'group-1');
    assert.equal(Messages![0]!.Attributes!.MessageDeduplicationId, 'dedup-1');
    assert.equal(Messages![0]!.Attributes!.SequenceNumber, a.SequenceNumber);
  });

  it('keeps order per group and gives a group’s messages together; a group in flight waits', async () => {
    const sqs = sqsClient(env.endpoint);
    const QueueUrl = await createFifoQueue(sqs, { ContentBasedDeduplication: 'true' });
    await send(sqs, QueueUrl, ['g1-m1', 'group-1'], ['g2-m1', 'group-2'], ['g1-m2', 'group-1'], ['g2-m2', 'group-2'], ['g1-m3', 'group-1'], ['g3-m1', 'group-3']);
    assert.deepEqual((await bodies(sqs, QueueUrl, 2)).bodies, ['g1-m1', 'g1-m2']);
    // group-1 is in flight: its third message waits behind the first two.
    assert.deepEqual((await bodies(sqs, QueueUrl, 10)).bodies, ['g2-m1', 'g2-m2', 'g3-m1']);
    assert.deepEqual((await bodies(sqs, QueueUrl, 10)).bodies, []);
    env.fogbank.advanceClock(30_000);
    assert.deepEqual((await bodies(sqs, QueueUrl, 10)).bodies, ['g1-m1', 'g1-m2', 'g1-m3', 'g2-m1', 'g2-m2', 'g3-m1']);
  });

  it('a group becomes available again when its first message does; deleting part of it does not free the rest', async () => {
    const sqs = sqsClient(env.endpoint);
    const QueueUrl = await createFifoQueue(sqs, { ContentBasedDeduplication: 'true' });
    await send(sqs, QueueUrl, ['g1-m1', 'group-1'], ['g1-m2', 'group-1'], ['g2-m1', 'group-2']);
    const first = await bodies(sqs, QueueUrl, 2);
    assert.deepEqual(first.bodies, ['g1-m1', 'g1-m2']);
    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: first.messages[0]!.ReceiptHandle, VisibilityTimeout: 1 }));
    env.fogbank.advanceClock(2_000);
    // AWS: the group's visible head comes back; g1-m2 is still in flight and holds nothing else back.
    assert.deepEqual((await bodies(sqs, QueueUrl, 3)).bodies, ['g2-m1', 'g1-m1']);

    // The same sends on two queues: delete one of two received messages, or both.
    const sends: Array<[string, string]> = [['g1-m1', 'group-1'], ['g2-m1', 'group-2'], ['g1-m2', 'group-1'], ['g2-m2', 'group-2'], ['g1-m2', 'group-1'], ['g1-m3', 'group-1'], ['g1-m4', 'group-1'], ['g3-m1', 'group-3']];
    const partly = await createFifoQueue(sqs, { ContentBasedDeduplication: 'true' });
    await send(sqs, partly, ...sends);
    const received = await bodies(sqs, partly, 2);
    assert.deepEqual(received.bodies, ['g1-m1', 'g1-m2']);
    await sqs.send(new DeleteMessageCommand({ QueueUrl: partly, ReceiptHandle: received.messages[0]!.ReceiptHandle }));
    assert.deepEqual((await bodies(sqs, partly, 10)).bodies, ['g2-m1', 'g2-m2', 'g3-m1']);

    const fully = await createFifoQueue(sqs, { ContentBasedDeduplication: 'true' });
    await send(sqs, fully, ...sends);
    const both = await bodies(sqs, fully, 2);
    for (const message of both.messages) await sqs.send(new DeleteMessageCommand({ QueueUrl: fully, ReceiptHandle: message.ReceiptHandle }));
    // The duplicate g1-m2 was never delivered; as on AWS the freed group comes after group 2.
    assert.deepEqual((await bodies(sqs, fully, 10)).bodies, ['g2-m1', 'g2-m2', 'g1-m3', 'g1-m4', 'g3-m1']);
  });

  it('an invisible message holds back the rest of its group', async () => {
    const sqs = sqsClient(env.endpoint);
    const QueueUrl = await createFifoQueue(sqs, { ContentBasedDeduplication: 'true', VisibilityTimeout: '1' });
    await send(sqs, QueueUrl, ['foo', '1'], ['bar', '1'], ['baz', '1']);
    const all = await bodies(sqs, QueueUrl, 5);
    assert.deepEqual(all.bodies, ['foo', 'bar', 'baz']);
    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: all.messages[1]!.ReceiptHandle, VisibilityTimeout: 4 }));
    env.fogbank.advanceClock(2_500);
    assert.deepEqual((await bodies(sqs, QueueUrl, 5)).bodies, ['foo']);
  });

  it('deduplicates within five minutes, by id or by content, per queue or per group', async () => {
    const sqs = sqsClient(env.endpoint);
    const QueueUrl = await createFifoQueue(sqs);
    const first = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'one', MessageGroupId: 'g', MessageDeduplicationId: 'same' }));
    const dup = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'two', MessageGroupId: 'other', MessageDeduplicationId: 'same' }));
    assert.equal(dup.MessageId, first.MessageId);
    assert.equal(dup.SequenceNumber, first.SequenceNumber);
    const got = await bodies(sqs, QueueUrl);
    assert.deepEqual(got.bodies, ['one']);
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: got.messages[0]!.ReceiptHandle }));
    // Still a duplicate after the original is deleted, until five minutes have passed.
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'three', MessageGroupId: 'g', MessageDeduplicationId: 'same' }));
    assert.deepEqual((await bodies(sqs, QueueUrl)).bodies, []);
    env.fogbank.advanceClock(5 * 60_000);
    const fresh = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'four', MessageGroupId: 'g', MessageDeduplicationId: 'same' }));
    assert.notEqual(fresh.MessageId, first.MessageId);
    assert.deepEqual((await bodies(sqs, QueueUrl)).bodies, ['four']);

    const byContent = await createFifoQueue(sqs, { ContentBasedDeduplication: 'true' });
    await send(sqs, byContent, ['same body', 'g'], ['same body', 'g'], ['other body', 'g']);
    assert.deepEqual((await bodies(sqs, byContent)).bodies, ['same body', 'other body']);

    const perGroup = await createFifoQueue(sqs, { DeduplicationScope: 'messageGroup', FifoThroughputLimit: 'perMessageGroupId' });
    for (const group of ['a', 'b', 'a']) await sqs.send(new SendMessageCommand({ QueueUrl: perGroup, MessageBody: group, MessageGroupId: group, MessageDeduplicationId: 'd' }));
    assert.deepEqual((await bodies(sqs, perGroup)).bodies.sort(), ['a', 'b']);
  });

  it('deleting with a handle whose visibility timeout passed answers that it expired', async () => {
    const sqs = sqsClient(env.endpoint);
    const QueueUrl = await createFifoQueue(sqs, { ContentBasedDeduplication: 'true' });
    await send(sqs, QueueUrl, ['foobar', 'g']);
    const { messages } = await bodies(sqs, QueueUrl, 1, 1);
    env.fogbank.advanceClock(1_500);
    const handle = messages[0]!.ReceiptHandle!;
    await rejectsWith(sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: handle })), {
      name: 'InvalidParameterValue',
      message: `Value ${handle} for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.`,
    });
    // Extended in time, a handle deletes.
    const again = await bodies(sqs, QueueUrl, 1, 1);
    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: again.messages[0]!.ReceiptHandle, VisibilityTimeout: 10 }));
    env.fogbank.advanceClock(1_500);
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: again.messages[0]!.ReceiptHandle }));
    env.fogbank.advanceClock(10_000);
    assert.deepEqual((await bodies(sqs, QueueUrl)).bodies, []);
  });

  it('queue delay applies to FIFO messages', async () => {
    const sqs = sqsClient(env.endpoint);
    const QueueUrl = await createFifoQueue(sqs, { ContentBasedDeduplication: 'true', DelaySeconds: '2' });
    await send(sqs, QueueUrl, ['late', 'g']);
    assert.deepEqual((await bodies(sqs, QueueUrl)).bodies, []);
    env.fogbank.advanceClock(2_000);
    assert.deepEqual((await bodies(sqs, QueueUrl)).bodies, ['late']);
  });

  it('a receive repeating its ReceiveRequestAttemptId gets the same messages and handles, with visibility restarted', async () => {
    const sqs = sqsClient(env.endpoint);
    const QueueUrl = await createFifoQueue(sqs, { ContentBasedDeduplication: 'true' });
    await send(sqs, QueueUrl, ['one', 'g'], ['two', 'g'], ['three', 'g']);
    const receive = (ReceiveRequestAttemptId?: string) =>
      sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 2, VisibilityTimeout: 30, ReceiveRequestAttemptId })).then((r) => r.Messages ?? []);
    const first = await receive('attempt-1');
    assert.deepEqual(first.map((m) => m.Body), ['one', 'two']);
    const handles = first.map((m) => m.ReceiptHandle);
    assert.deepEqual((await receive('attempt-1')).map((m) => m.ReceiptHandle), handles);
    env.fogbank.advanceClock(20_000);
    assert.deepEqual((await receive('attempt-1')).map((m) => m.ReceiptHandle), handles, 'still the same after 20 s');
    // The repeat restarted the 30 s timeout: at 40 s the group is still blocked, at 55 s it is not.
    env.fogbank.advanceClock(20_000);
    assert.deepEqual(await receive(), []);
    env.fogbank.advanceClock(15_000);
    const again = await receive('attempt-2');
    assert.deepEqual(again.map((m) => m.Body), ['one', 'two']);
    assert.notDeepEqual(again.map((m) => m.ReceiptHandle), handles);
    // Once one of its messages is deleted, the attempt cannot be repeated: the id starts a new receive.
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: again[0]!.ReceiptHandle }));
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: again[1]!.ReceiptHandle }));
    assert.deepEqual((await receive('attempt-2')).map((m) => m.Body), ['three']);
  });
});

