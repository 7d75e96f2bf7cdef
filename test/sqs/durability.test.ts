// An acknowledged SendMessage survives kill -9, and a message that was in flight becomes visible
// again after its visibility timeout once Fogbank is back.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CreateQueueCommand, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { exited, spawnFogbank } from '../support/process.js';
import { sqsClient } from './support.js';

async function drainBodies(sqs: SQSClient, QueueUrl: string): Promise<string[]> {
  const bodies: string[] = [];
  for (;;) {
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 300 }));
    if (!Messages) return bodies;
    bodies.push(...Messages.map((m) => m.Body!));
  }
}

describe('SQS durability', () => {
  it('keeps acknowledged messages and in-flight state across kill -9', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fogbank-sqs-kill-'));
    try {
      const first = await spawnFogbank(['--port', '0', '--data-dir', dir]);
      const before = sqsClient(first.endpoint);
      const { QueueUrl } = await before.send(new CreateQueueCommand({ QueueName: 'durable' }));
      const path = new URL(QueueUrl!).pathname;
      await Promise.all(Array.from({ length: 10 }, (_, i) => before.send(new SendMessageCommand({ QueueUrl, MessageBody: `single-${i}` }))));
      await before.send(new SendMessageBatchCommand({ QueueUrl, Entries: Array.from({ length: 10 }, (_, i) => ({ Id: `b${i}`, MessageBody: `batch-${i}` })) }));
      const inFlight = (await before.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 5, VisibilityTimeout: 30 }))).Messages!;
      assert.equal(inFlight.length, 5);
      first.child.kill('SIGKILL');
      assert.equal((await exited(first.child)).signal, 'SIGKILL');

      const second = await spawnFogbank(['--port', '0', '--data-dir', dir]);
      try {
        const after = sqsClient(second.endpoint);
        const url = `${second.endpoint}${path}`;
        const visible = await drainBodies(after, url);
        assert.equal(visible.length, 15, 'the messages in flight stay hidden');
        assert.ok(inFlight.every((m) => !visible.includes(m.Body!)));
        const advanced = await fetch(`${second.endpoint}/_fogbank/clock/advance`, { method: 'POST', body: JSON.stringify({ seconds: 30 }) });
        assert.equal(advanced.status, 200);
        const returned = await drainBodies(after, url);
        assert.deepEqual(returned.sort(), inFlight.map((m) => m.Body!).sort());
        const expected = [...Array.from({ length: 10 }, (_, i) => `single-${i}`), ...Array.from({ length: 10 }, (_, i) => `batch-${i}`)].sort();
        assert.deepEqual([...visible, ...returned].sort(), expected);
      } finally {
        second.child.kill('SIGKILL');
        await exited(second.child);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
