import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { DeleteMessageCommand, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { useFogbank } from '../support/fogbank.js';
import { createFifoQueue, createQueue, sqsClient } from './support.js';

const env = useFogbank();

/** Lets a request reach the server and park there. */
const parked = () => sleep(50);

function receive(sqs: SQSClient, QueueUrl: string, extra: Record<string, unknown> = {}) {
  return sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 20, ...extra }));
}

describe('SQS long polling', () => {
  it('a parked receive returns as soon as a message is sent', async () => {
    const sqs = sqsClient(env.endpoint);
    const QueueUrl = await createQueue(sqs);
    const started = Date.now();
    const pending = receive(sqs, QueueUrl);
    await parked();
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'wake up' }));
    const { Messages } = await pending;
    assert.equal(Messages![0]!.Body, 'wake up');
    assert.ok(Date.now() - started < 2_000, `returned after ${Date.now() - started} ms, not at the end of the wait`);
  });

  it('waits without using the CPU, and ends empty when the wait time passes on Fogbank’s clock', async () => {
    const sqs = sqsClient(env.endpoint);
    const QueueUrl = await createQueue(sqs);
    const pending = receive(sqs, QueueUrl);
    await parked();
    const cpu = process.cpuUsage();
    await sleep(300);
    const used = process.cpuUsage(cpu);
    assert.ok((used.user + used.system) / 1000 < 100, `${(used.user + used.system) / 1000} ms of CPU while parked for 300 ms`);
    env.fogbank.advanceClock(20_000);
    const result = await pending;
    assert.equal(result.Messages, undefined);
  });

  it('wakes when a delayed message or an expired visibility timeout makes a message visible', async () => {
    const sqs = sqsClient(env.endpoint);
    const QueueUrl = await createQueue(sqs);
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'delayed', DelaySeconds: 5 }));
    const pending = receive(sqs, QueueUrl, { VisibilityTimeout: 10 });
    await parked();
    env.fogbank.advanceClock(5_000);
    assert.equal((await pending).Messages![0]!.Body, 'delayed');
    const again = receive(sqs, QueueUrl);
    await parked();
    env.fogbank.advanceClock(10_000);
    assert.equal((await again).Messages![0]!.Body, 'delayed');
  });

  it('ReceiveMessageWaitTimeSeconds makes every receive a long poll', async () => {
    const sqs = sqsClient(env.endpoint);
    const QueueUrl = await createQueue(sqs, { Attributes: { ReceiveMessageWaitTimeSeconds: '20' } });
    const pending = sqs.send(new ReceiveMessageCommand({ QueueUrl }));
    await parked();
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'by queue default' }));
    assert.equal((await pending).Messages![0]!.Body, 'by queue default');
    // WaitTimeSeconds 0 overrides it: an empty queue answers at once.
    assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 0 }))).Messages, undefined);
  });

  it('one message wakes one of many parked receives; the rest wait on', async () => {
    const sqs = sqsClient(env.endpoint);
    const QueueUrl = await createQueue(sqs);
    const waiting = Array.from({ length: 5 }, () => receive(sqs, QueueUrl));
    await parked();
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'only one' }));
    const first = await Promise.race(waiting.map((p, i) => p.then((r) => ({ i, r }))));
    assert.equal(first.r.Messages![0]!.Body, 'only one');
    await sleep(50);
    env.fogbank.advanceClock(20_000);
    const results = await Promise.all(waiting);
    assert.equal(results.filter((r) => r.Messages?.length).length, 1);
  });

  it('a parked FIFO receive wakes when the group’s in-flight message is deleted', async () => {
    const sqs = sqsClient(env.endpoint);
    const QueueUrl = await createFifoQueue(sqs, { ContentBasedDeduplication: 'true' });
    for (const body of ['first', 'second']) await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body, MessageGroupId: 'g' }));
    const first = (await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages![0]!;
    const pending = receive(sqs, QueueUrl);
    await parked();
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: first.ReceiptHandle }));
    assert.equal((await pending).Messages![0]!.Body, 'second');
  });

  it('sixteen concurrent receivers never get the same message twice within its visibility timeout', async () => {
    const sqs = sqsClient(env.endpoint);
    const QueueUrl = await createQueue(sqs);
    const total = 300;
    for (let i = 0; i < total; i += 10) {
      await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: Array.from({ length: 10 }, (_, j) => ({ Id: `e${j}`, MessageBody: `m${i + j}` })) }));
    }
    const seen: string[] = [];
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        for (;;) {
          const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
          if (!Messages) return;
          seen.push(...Messages.map((m) => m.MessageId!));
        }
      }),
    );
    assert.equal(seen.length, total);
    assert.equal(new Set(seen).size, total);
  });
});
