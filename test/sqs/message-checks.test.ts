import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { ReceiveMessageCommand, SendMessageCommand, SetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { useFogbank } from '../support/fogbank.js';
import { createQueue, rejectsWith, sqsClient, stillServes } from './support.js';

const env = useFogbank();

async function receiveOne(sqs: SQSClient, QueueUrl: string, extra: Record<string, unknown> = {}) {
  const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, ...extra }));
  return Messages?.[0];
}

describe('SQS message checks', () => {
  it('the message size limit is 1 MiB of body and attributes, or the queue’s MaximumMessageSize', async () => {
    const sqs = sqsClient(env.endpoint);
    const QueueUrl = await createQueue(sqs);
    const body = 'a'.repeat(1048576);
    const sent = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body }));
    assert.equal(sent.MD5OfMessageBody, createHash('md5').update(body).digest('hex'));
    await rejectsWith(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body + 'a' })), {
      name: 'InvalidParameterValue',
      code: 'InvalidParameterValue',
      message: 'One or more parameters are invalid. Reason: Message must be shorter than 1048576 bytes.',
    });
    await rejectsWith(
      sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body.slice(10), MessageAttributes: { attr: { DataType: 'String', StringValue: 'x'.repeat(10) } } })),
      { name: 'InvalidParameterValue', message: /shorter than 1048576 bytes/ },
    );
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { MaximumMessageSize: '1024' } }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'é'.repeat(512) }));
    await rejectsWith(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'é'.repeat(512) + 'a' })), {
      name: 'InvalidParameterValue',
      message: 'One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.',
    });
    await stillServes(sqs);
  });

  it('only the characters AWS allows may be sent', async () => {
    const sqs = sqsClient(env.endpoint);
    const QueueUrl = await createQueue(sqs);
    const allowed = 'tab\tnl\ncr\r space ~ \u00e9 \ud7ff \ue000 \ufffd \u{10000} \u{1f600} \u{10ffff}';
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: allowed }));
    assert.equal((await receiveOne(sqs, QueueUrl))!.Body, allowed);
    const invalid = {
      name: 'InvalidMessageContents',
      code: 'InvalidMessageContents',
      message: 'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF',
    };
    for (const bad of ['nul\u0000', 'bell\u0007', 'fffe\ufffe', 'ffff\uffff', 'lone\ud800surrogate', 'us\u001f']) {
      await rejectsWith(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: bad })), invalid);
    }
    await rejectsWith(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'ok', MessageAttributes: { a: { DataType: 'String', StringValue: 'bad\u0000' } } })), {
      name: 'InvalidParameterValue',
      message: invalid.message,
    });
    await stillServes(sqs);
  });

  it('bad send and receive parameters get AWS’s errors', async () => {
    const sqs = sqsClient(env.endpoint);
    const QueueUrl = await createQueue(sqs);
    const attr = (value: Record<string, unknown>) => new SendMessageCommand({ QueueUrl, MessageBody: 'x', MessageAttributes: { ErrorDetails: value as never } });
    await rejectsWith(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: '' })), {
      name: 'MissingParameter',
      code: 'MissingParameter',
      message: 'The request must contain the parameter MessageBody.',
    });
    await rejectsWith(sqs.send(attr({ DataType: 'String', StringValue: '' })), {
      name: 'InvalidParameterValue',
      message: "Message (user) attribute 'ErrorDetails' must contain a non-empty value of type 'String'.",
    });
    await rejectsWith(sqs.send(attr({ DataType: 'Number', StringValue: 'abc' })), { name: 'InvalidParameterValue', message: /to a number/ });
    await rejectsWith(sqs.send(attr({ DataType: 'Text', StringValue: 'abc' })), { name: 'InvalidParameterValue', message: /supported type prefixes: Binary, Number, String/ });
    await rejectsWith(sqs.send(attr({ DataType: 'Binary' })), { name: 'InvalidParameterValue', message: /non-empty value of type 'Binary'/ });
    await rejectsWith(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', MessageAttributes: { 'AWS.x': { DataType: 'String', StringValue: 'v' } } })), {
      name: 'InvalidParameterValue',
      message: /reserved for internal use/,
    });
    const eleven = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`a${i}`, { DataType: 'String', StringValue: 'v' }]));
    await rejectsWith(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', MessageAttributes: eleven })), {
      name: 'InvalidParameterValue',
      message: 'Number of message attributes [11] exceeds the allowed maximum [10].',
    });
    await rejectsWith(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', DelaySeconds: 901 })), {
      name: 'InvalidParameterValue',
      message: 'Value 901 for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.',
    });
    await rejectsWith(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', MessageDeduplicationId: 'd' })), {
      name: 'InvalidParameterValue',
      message: 'Value d for parameter MessageDeduplicationId is invalid. Reason: The request includes a parameter that is not valid for this queue type.',
    });
    await rejectsWith(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', MessageGroupId: 'group 123' })), {
      name: 'InvalidParameterValue',
      message: 'Value group 123 for parameter MessageGroupId is invalid. Reason: MessageGroupId can only include alphanumeric and punctuation characters. 1 to 128 in length.',
    });
    for (const MaxNumberOfMessages of [0, 11]) {
      await rejectsWith(sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages })), {
        name: 'InvalidParameterValue',
        message: `Value ${MaxNumberOfMessages} for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.`,
      });
    }
    for (const WaitTimeSeconds of [-1, 21]) {
      await rejectsWith(sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds })), {
        name: 'InvalidParameterValue',
        message: `Value ${WaitTimeSeconds} for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.`,
      });
    }
    await rejectsWith(sqs.send(new ReceiveMessageCommand({ QueueUrl, VisibilityTimeout: 43201 })), { name: 'InvalidParameterValue' });
    // A standard queue accepts a message group id (fair queues) and reports it back.
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'fair', MessageGroupId: 'tenant-1' }));
    const fair = await receiveOne(sqs, QueueUrl, { MessageSystemAttributeNames: ['MessageGroupId'] });
    assert.deepEqual(fair!.Attributes, { MessageGroupId: 'tenant-1' });
    await stillServes(sqs);
  });
});
