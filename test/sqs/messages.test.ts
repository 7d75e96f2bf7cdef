import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { useFogbank } from '../support/fogbank.js';
import { createQueue, rejectsWith, sqsClient, stillServes } from './support.js';

const env = useFogbank();

async function receiveOne(sqs: SQSClient, QueueUrl: string, extra: Record<string, unknown> = {}) {
  const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, ...extra }));
  return Messages?.[0];
}

describe('SQS messages', () => {
  it('send, receive and delete, with the MD5 digests AWS computes', async () => {
    const sqs = sqsClient(env.endpoint);
    const QueueUrl = await createQueue(sqs);
    const sent = await sqs.send(
      new SendMessageCommand({
        QueueUrl,
        MessageBody: 'msg',
        MessageAttributes: {
          'Help.Me': { DataType: 'String', StringValue: 'Me' },
          Hello: { DataType: 'String', StringValue: 'There' },
          General: { DataType: 'String', StringValue: 'Kenobi' },
        },
      }),
    );
    // Digests as AWS returns them for this body and these attributes.
    assert.equal(sent.MD5OfMessageBody, '6e2baaf3b97dbeef01c0043275f9a0e7');
    assert.equal(sent.MD5OfMessageAttributes, '4c360f3fdafd970e05fae2f149d997f5');
    assert.match(sent.MessageId!, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(sent.SequenceNumber, undefined);
    const message = await receiveOne(sqs, QueueUrl, { MessageAttributeNames: ['All'] });
    assert.equal(message!.MessageId, sent.MessageId);
    assert.equal(message!.Body, 'msg');
    assert.equal(message!.MD5OfBody, sent.MD5OfMessageBody);
    assert.equal(message!.MD5OfMessageAttributes, sent.MD5OfMessageAttributes);
    assert.deepEqual(message!.MessageAttributes!.Hello, { DataType: 'String', StringValue: 'There' });
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: message!.ReceiptHandle }));
    env.fogbank.advanceClock(31_000);
    assert.equal(await receiveOne(sqs, QueueUrl), undefined);
  });

  it('MessageAttributeNames selects by name, prefix and All, and the digest covers what is returned', async () => {
    const sqs = sqsClient(env.endpoint);
    const QueueUrl = await createQueue(sqs, { Attributes: { VisibilityTimeout: '0' } });
    await sqs.send(
      new SendMessageCommand({
        QueueUrl,
        MessageBody: 'msg',
        MessageAttributes: {
          'Help.Me': { DataType: 'String', StringValue: 'Me' },
          Hello: { DataType: 'String', StringValue: 'There' },
          General: { DataType: 'String', StringValue: 'Kenobi' },
        },
      }),
    );
    const cases: Array<[string[] | undefined, string[], string | undefined]> = [
      [undefined, [], undefined],
      [['All'], ['General', 'Hello', 'Help.Me'], '4c360f3fdafd970e05fae2f149d997f5'],
      [['*'], ['General', 'Hello', 'Help.Me'], '4c360f3fdafd970e05fae2f149d997f5'],
      [['.*'], ['General', 'Hello', 'Help.Me'], '4c360f3fdafd970e05fae2f149d997f5'],
      [['Foo', 'Help'], [], undefined],
      [['Hello', 'General'], ['General', 'Hello'], 'fca026605781cb4126a1e9044df24232'],
      [['Foo', 'Hello'], ['Hello'], 'a311262e065454b75da111d535b8dacd'],
      [['Hel.*'], ['Hello', 'Help.Me'], '83fee93c1bcd8b9a5a923ffacdc636c7'],
    ];
    for (const [names, expected, md5] of cases) {
      const message = await receiveOne(sqs, QueueUrl, { MessageAttributeNames: names });
      assert.deepEqual(Object.keys(message!.MessageAttributes ?? {}).sort(), expected, JSON.stringify(names));
      assert.equal(message!.MD5OfMessageAttributes, md5, JSON.stringify(names));
    }
  });

  it('binary attributes round-trip and count in the digest', async () => {
    const sqs = sqsClient(env.endpoint);
    const QueueUrl = await createQueue(sqs);
    const bytes = Buffer.from('traceparent\x1e00-774062d6c37081a5a0b9b5b88e30627c-2d2482211f6489da-01', 'latin1');
    const sent = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'test', MessageAttributes: { attr1: { DataType: 'Binary', BinaryValue: bytes } } }));
    assert.equal(sent.MD5OfMessageAttributes, '8cbe4db156db8a94db8b801b7addb984');
    const message = await receiveOne(sqs, QueueUrl, { MessageAttributeNames: ['All'] });
    assert.deepEqual(Buffer.from(message!.MessageAttributes!.attr1!.BinaryValue!), bytes);
    assert.equal(message!.MD5OfMessageAttributes, '8cbe4db156db8a94db8b801b7addb984');
  });

  it('system attributes: All, a selection, MessageSystemAttributeNames over AttributeNames, AWSTraceHeader', async () => {
    const sqs = sqsClient(env.endpoint);
    const QueueUrl = await createQueue(sqs, { Attributes: { VisibilityTimeout: '0' } });
    const trace = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
    const sentAt = env.fogbank.clock.now();
    const sent = await sqs.send(
      new SendMessageCommand({ QueueUrl, MessageBody: 'msg', MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: trace } } }),
    );
    assert.match(sent.MD5OfMessageSystemAttributes!, /^[0-9a-f]{32}$/);
    const first = await receiveOne(sqs, QueueUrl, { AttributeNames: ['All'] });
    assert.deepEqual(Object.keys(first!.Attributes!).sort(), ['AWSTraceHeader', 'ApproximateFirstReceiveTimestamp', 'ApproximateReceiveCount', 'SenderId', 'SentTimestamp']);
    assert.equal(first!.Attributes!.AWSTraceHeader, trace);
    assert.equal(first!.Attributes!.ApproximateReceiveCount, '1');
    assert.equal(first!.Attributes!.SenderId, '000000000000');
    assert.ok(Number(first!.Attributes!.SentTimestamp) >= sentAt);
    const firstReceive = first!.Attributes!.ApproximateFirstReceiveTimestamp;
    env.fogbank.advanceClock(1000);
    const second = await receiveOne(sqs, QueueUrl, { MessageSystemAttributeNames: ['ApproximateReceiveCount', 'ApproximateFirstReceiveTimestamp'], AttributeNames: ['SenderId'] });
    assert.deepEqual(second!.Attributes, { ApproximateReceiveCount: '2', ApproximateFirstReceiveTimestamp: firstReceive });
    assert.equal((await receiveOne(sqs, QueueUrl))!.Attributes, undefined);
  });

  it('a received message stays invisible for the visibility timeout, on Fogbank’s clock', async () => {
    const sqs = sqsClient(env.endpoint);
    const QueueUrl = await createQueue(sqs, { Attributes: { VisibilityTimeout: '30' } });
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'once' }));
    assert.ok(await receiveOne(sqs, QueueUrl));
    assert.equal(await receiveOne(sqs, QueueUrl), undefined);
    env.fogbank.advanceClock(29_000);
    assert.equal(await receiveOne(sqs, QueueUrl), undefined);
    env.fogbank.advanceClock(1_000);
    const again = await receiveOne(sqs, QueueUrl, { VisibilityTimeout: 5, AttributeNames: ['ApproximateReceiveCount'] });
    assert.equal(again!.Attributes!.ApproximateReceiveCount, '2');
    env.fogbank.advanceClock(5_000);
    assert.ok(await receiveOne(sqs, QueueUrl, { VisibilityTimeout: 0 }));
    assert.ok(await receiveOne(sqs, QueueUrl), 'visibility timeout 0 leaves it visible');
  });

  it('DelaySeconds per message and per queue hold messages back', async () => {
    const sqs = sqsClient(env.endpoint);
    const QueueUrl = await createQueue(sqs, { Attributes: { DelaySeconds: '10' } });
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'queue delay' }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'no delay', DelaySeconds: 0 }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'long delay', DelaySeconds: 100 }));
    const take = async () => {
      const message = await receiveOne(sqs, QueueUrl);
      if (message) await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: message.ReceiptHandle }));
      return message?.Body;
    };
    assert.equal(await take(), 'no delay');
    assert.equal(await take(), undefined);
    env.fogbank.advanceClock(10_000);
    assert.equal(await take(), 'queue delay');
    env.fogbank.advanceClock(89_000);
    assert.equal(await take(), undefined);
    env.fogbank.advanceClock(1_000);
    assert.equal(await take(), 'long delay');
  });

  it('messages past MessageRetentionPeriod are gone', async () => {
    const sqs = sqsClient(env.endpoint);
    const QueueUrl = await createQueue(sqs, { Attributes: { MessageRetentionPeriod: '60' } });
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'old' }));
    env.fogbank.advanceClock(30_000);
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'young' }));
    env.fogbank.advanceClock(31_000);
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    assert.deepEqual(Messages!.map((m) => m.Body), ['young']);
  });

  it('ChangeMessageVisibility extends, ends, and is bounded by 12 hours from the receive', async () => {
    const sqs = sqsClient(env.endpoint);
    const QueueUrl = await createQueue(sqs);
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'm' }));
    const message = await receiveOne(sqs, QueueUrl);
    const ReceiptHandle = message!.ReceiptHandle!;
    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle, VisibilityTimeout: 120 }));
    env.fogbank.advanceClock(60_000);
    assert.equal(await receiveOne(sqs, QueueUrl), undefined, 'still in flight after the original 30 s');
    await rejectsWith(sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle, VisibilityTimeout: 43200 })), {
      name: 'InvalidParameterValue',
      message: 'Value 43200 for parameter VisibilityTimeout is invalid. Reason: Total VisibilityTimeout for the message is beyond the limit [43200 seconds]',
    });
    await rejectsWith(sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle, VisibilityTimeout: 43201 })), { name: 'InvalidParameterValue' });
    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle, VisibilityTimeout: 0 }));
    const again = await receiveOne(sqs, QueueUrl, { VisibilityTimeout: 1 });
    assert.equal(again!.MessageId, message!.MessageId);
    env.fogbank.advanceClock(2_000);
    // Its timeout passed: AWS answers success and changes nothing.
    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: again!.ReceiptHandle, VisibilityTimeout: 100 }));
    const third = await receiveOne(sqs, QueueUrl);
    assert.equal(third!.MessageId, message!.MessageId);
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: third!.ReceiptHandle }));
    await rejectsWith(sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: third!.ReceiptHandle, VisibilityTimeout: 10 })), {
      name: 'InvalidParameterValue',
      message: `Value ${third!.ReceiptHandle} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`,
    });
    await rejectsWith(sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: 'INVALID', VisibilityTimeout: 60 })), {
      name: 'ReceiptHandleIsInvalid',
      code: 'ReceiptHandleIsInvalid',
      message: 'The input receipt handle "INVALID" is not a valid receipt handle.',
      status: 404,
    });
    await stillServes(sqs);
  });

  it('DeleteMessage: unknown handles are refused, a deleted message’s handle is accepted, an older handle keeps the message', async () => {
    const sqs = sqsClient(env.endpoint);
    const QueueUrl = await createQueue(sqs, { Attributes: { VisibilityTimeout: '1' } });
    const other = await createQueue(sqs);
    await rejectsWith(sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: 'garbage' })), {
      name: 'ReceiptHandleIsInvalid',
      message: 'The input receipt handle "garbage" is not a valid receipt handle.',
      status: 404,
    });
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'm' }));
    const first = await receiveOne(sqs, QueueUrl);
    await rejectsWith(sqs.send(new DeleteMessageCommand({ QueueUrl: other, ReceiptHandle: first!.ReceiptHandle })), { name: 'ReceiptHandleIsInvalid', status: 404 });
    env.fogbank.advanceClock(1_000);
    const second = await receiveOne(sqs, QueueUrl);
    assert.notEqual(second!.ReceiptHandle, first!.ReceiptHandle);
    // The first receive's handle is out of date: the request succeeds, the message stays.
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: first!.ReceiptHandle }));
    env.fogbank.advanceClock(1_000);
    const third = await receiveOne(sqs, QueueUrl);
    assert.equal(third!.MessageId, first!.MessageId);
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: third!.ReceiptHandle }));
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: third!.ReceiptHandle }));
    env.fogbank.advanceClock(1_000);
    assert.equal(await receiveOne(sqs, QueueUrl), undefined);
  });

});
