import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SetQueueAttributesCommand,
} from '@aws-sdk/client-sqs';
import { useFogbank } from '../support/fogbank.js';
import { createQueue, rejectsWith, sqsClient, stillServes } from './support.js';

const env = useFogbank();

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

describe('SQS batches', () => {
  it('SendMessageBatch stores ten messages and answers each with its id and digests', async () => {
    const sqs = sqsClient(env.endpoint);
    const QueueUrl = await createQueue(sqs);
    const Entries = Array.from({ length: 10 }, (_, i) => ({
      Id: `m-${i}`,
      MessageBody: JSON.stringify({ id: i }),
      MessageAttributes: { n: { DataType: 'Number', StringValue: String(i) } },
    }));
    const result = await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries }));
    assert.deepEqual(result.Failed, []);
    assert.deepEqual(result.Successful!.map((s) => s.Id), Entries.map((e) => e.Id));
    for (const [i, entry] of result.Successful!.entries()) assert.equal(entry.MD5OfMessageBody, md5(Entries[i]!.MessageBody));
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] }));
    assert.equal(Messages!.length, 10);
    assert.deepEqual(new Set(Messages!.map((m) => m.MessageId)), new Set(result.Successful!.map((s) => s.MessageId)));
    const deleted = await sqs.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: Messages!.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle })) }));
    assert.equal(deleted.Successful!.length, 10);
    assert.deepEqual(deleted.Failed, []);
  });

  it('batch requests are checked as a whole first: empty, too many, bad ids, repeated ids, too long', async () => {
    const sqs = sqsClient(env.endpoint);
    const QueueUrl = await createQueue(sqs);
    const entry = (Id: string, MessageBody = 'x') => ({ Id, MessageBody });
    await rejectsWith(sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: [] })), {
      name: 'EmptyBatchRequest',
      code: 'AWS.SimpleQueueService.EmptyBatchRequest',
      message: 'There should be at least one SendMessageBatchRequestEntry in the request.',
    });
    await rejectsWith(sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: Array.from({ length: 20 }, (_, i) => entry(`e${i}`)) })), {
      name: 'TooManyEntriesInBatchRequest',
      code: 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
      message: 'Maximum number of entries per request are 10. You have sent 20.',
    });
    for (const Id of ['', 'invalid:id', 'x'.repeat(81)]) {
      await rejectsWith(sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: [entry(Id)] })), {
        name: 'InvalidBatchEntryId',
        code: 'AWS.SimpleQueueService.InvalidBatchEntryId',
        message: 'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
      });
    }
    await rejectsWith(sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: [entry('a'), entry('b'), entry('a')] })), {
      name: 'BatchEntryIdsNotDistinct',
      code: 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct',
      message: 'Id a repeated.',
    });
    const half = 'a'.repeat(524288);
    await rejectsWith(sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: [entry('a', half), entry('b', half + 'a')] })), {
      name: 'BatchRequestTooLong',
      code: 'AWS.SimpleQueueService.BatchRequestTooLong',
      message: 'Batch requests cannot be longer than 1048576 bytes. You have sent 1048577 bytes.',
    });
    // None of those stored anything.
    assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }))).Messages, undefined);
    const fits = await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: [entry('a', half), entry('b', half)] }));
    assert.equal(fits.Successful!.length, 2);
    await stillServes(sqs);
  });

  it('an entry that fails is reported in Failed while the others are sent', async () => {
    const sqs = sqsClient(env.endpoint);
    const QueueUrl = await createQueue(sqs, { Attributes: { MaximumMessageSize: '1024' } });
    const result = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl,
        Entries: [
          { Id: 'fits', MessageBody: 'a'.repeat(1024) },
          { Id: 'too-big', MessageBody: 'a'.repeat(1025) },
          { Id: 'bad-chars', MessageBody: 'bad\u0000' },
          { Id: 'bad-delay', MessageBody: 'x', DelaySeconds: 1000 },
        ],
      }),
    );
    assert.deepEqual(result.Successful!.map((s) => s.Id), ['fits']);
    assert.deepEqual(result.Failed, [
      { Id: 'too-big', SenderFault: true, Code: 'InvalidParameterValue', Message: 'One or more parameters cannot be validated. Reason: Message must be shorter than 1024 bytes.' },
      {
        Id: 'bad-chars',
        SenderFault: true,
        Code: 'InvalidMessageContents',
        Message: 'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF',
      },
      { Id: 'bad-delay', SenderFault: true, Code: 'InvalidParameterValue', Message: 'Value 1000 for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.' },
    ]);
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { MaximumMessageSize: '1048576' } }));
  });

  it('DeleteMessageBatch and ChangeMessageVisibilityBatch report bad handles per entry', async () => {
    const sqs = sqsClient(env.endpoint);
    const QueueUrl = await createQueue(sqs);
    await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: [{ Id: 'a', MessageBody: 'a' }, { Id: 'b', MessageBody: 'b' }] }));
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    assert.equal(Messages!.length, 2);
    const changed = await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl,
        Entries: [
          { Id: 'ok', ReceiptHandle: Messages![0]!.ReceiptHandle, VisibilityTimeout: 0 },
          { Id: 'bad', ReceiptHandle: 'garbage', VisibilityTimeout: 0 },
        ],
      }),
    );
    assert.deepEqual(changed.Successful, [{ Id: 'ok' }]);
    assert.deepEqual(changed.Failed, [{ Id: 'bad', SenderFault: true, Code: 'ReceiptHandleIsInvalid', Message: 'The input receipt handle "garbage" is not a valid receipt handle.' }]);
    const again = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    assert.equal(again.Messages!.length, 1, 'the message whose visibility ended is back');
    const deleted = await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl,
        Entries: [
          { Id: 'one', ReceiptHandle: again.Messages![0]!.ReceiptHandle },
          { Id: 'two', ReceiptHandle: Messages![1]!.ReceiptHandle },
          { Id: 'three', ReceiptHandle: 'garbage' },
        ],
      }),
    );
    assert.deepEqual(deleted.Successful, [{ Id: 'one' }, { Id: 'two' }]);
    assert.deepEqual(deleted.Failed!.map((f) => [f.Id, f.Code]), [['three', 'ReceiptHandleIsInvalid']]);
    await rejectsWith(sqs.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: [] })), {
      name: 'EmptyBatchRequest',
      message: 'There should be at least one DeleteMessageBatchRequestEntry in the request.',
    });
    await rejectsWith(sqs.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: Array.from({ length: 11 }, (_, i) => ({ Id: `e${i}`, ReceiptHandle: 'h' })) })), {
      name: 'TooManyEntriesInBatchRequest',
      message: 'Maximum number of entries per request are 10. You have sent 11.',
    });
    await rejectsWith(sqs.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl, Entries: [{ Id: 'x', ReceiptHandle: 'h', VisibilityTimeout: 1 }, { Id: 'x', ReceiptHandle: 'h', VisibilityTimeout: 1 }] })), {
      name: 'BatchEntryIdsNotDistinct',
      message: 'Id x repeated.',
    });
    await rejectsWith(sqs.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl, Entries: [] })), {
      name: 'EmptyBatchRequest',
      message: 'There should be at least one ChangeMessageVisibilityBatchRequestEntry in the request.',
    });
    await stillServes(sqs);
  });
});
