// Nothing waiting in EventBridge is lost at a restart: a target retry pending on the clock runs
// after kill -9 and a new start, and a replay under way when Fogbank died finishes afterwards.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  CreateApiDestinationCommand,
  CreateArchiveCommand,
  CreateConnectionCommand,
  DescribeReplayCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  StartReplayCommand,
} from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { clientConfig } from '../support/fogbank.js';
import { exited, spawnFogbank, type FogbankProcess } from '../support/process.js';
import { ACCOUNT, eventsClient, eventually, httpEndpoint } from './helpers.js';

const advance = (fogbank: FogbankProcess, seconds: number) => fetch(`${fogbank.endpoint}/_fogbank/clock/advance`, { method: 'POST', body: JSON.stringify({ seconds }) });

async function kill(fogbank: FogbankProcess) {
  fogbank.child.kill('SIGKILL');
  await exited(fogbank.child);
}

describe('EventBridge across kill -9', () => {
  let healthy = false;
  const endpoint = httpEndpoint(() => ({ status: healthy ? 200 : 503 }));
  const dir = mkdtempSync(join(tmpdir(), 'fogbank-events-kill-'));
  after(async () => {
    await (await endpoint).close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps a target retry waiting on the clock, and a replay under way finishes', async () => {
    const server = await endpoint;
    const first = await spawnFogbank(['--port', '0', '--data-dir', dir]);
    let second: FogbankProcess | undefined;
    try {
      const eb = eventsClient(first.endpoint);
      // A retry: an API destination answering 503 is tried again one second later.
      const { ConnectionArn } = await eb.send(
        new CreateConnectionCommand({ Name: 'conn', AuthorizationType: 'API_KEY', AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: 'k' } } }),
      );
      const { ApiDestinationArn } = await eb.send(new CreateApiDestinationCommand({ Name: 'hook', ConnectionArn, InvocationEndpoint: `${server.url}/hook`, HttpMethod: 'POST' }));
      await eb.send(new PutRuleCommand({ Name: 'retried', EventPattern: JSON.stringify({ source: ['restart.retry'] }) }));
      await eb.send(new PutTargetsCommand({ Rule: 'retried', Targets: [{ Id: 'api', Arn: ApiDestinationArn, RoleArn: `arn:aws:iam::${ACCOUNT}:role/eb`, RetryPolicy: { MaximumRetryAttempts: 10 } }] }));
      const put = await eb.send(new PutEventsCommand({ Entries: [{ Source: 'restart.retry', DetailType: 't', Detail: '{"n":1}' }] }));
      assert.equal(server.requests.length, 1, 'the first attempt failed before PutEvents answered');

      // A replay of 60 archived events, started just before the kill.
      const busArn = `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/default`;
      const { ArchiveArn } = await eb.send(new CreateArchiveCommand({ ArchiveName: 'kept', EventSourceArn: busArn, EventPattern: JSON.stringify({ source: ['restart.replay'] }) }));
      const from = new Date(Date.now() - 60_000);
      for (let batch = 0; batch < 6; batch++) {
        const Entries = Array.from({ length: 10 }, (_, i) => ({ Source: 'restart.replay', DetailType: 't', Detail: JSON.stringify({ n: batch * 10 + i }) }));
        await eb.send(new PutEventsCommand({ Entries }));
      }
      const sqs = new SQSClient(clientConfig(first.endpoint));
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'replayed' }));
      await eb.send(new PutRuleCommand({ Name: 'replay-to-queue', EventPattern: JSON.stringify({ source: ['restart.replay'] }) }));
      await eb.send(new PutTargetsCommand({ Rule: 'replay-to-queue', Targets: [{ Id: 'q', Arn: `arn:aws:sqs:us-east-1:${ACCOUNT}:replayed` }] }));
      await eb.send(new StartReplayCommand({ ReplayName: 'again', EventSourceArn: ArchiveArn, EventStartTime: from, EventEndTime: new Date(Date.now() + 60_000), Destination: { Arn: busArn } }));
      // Retries 1 to 5 (after 1, 2, 4, 8 and 16 seconds) fail too; the sixth waits 32 seconds.
      // Fogbank stores the next retry only after the endpoint's answer reaches it, which the test
      // cannot observe: it gives each failure a moment to be recorded before moving the clock on
      // (or killing the process).
      const recorded = () => new Promise((resolve) => setTimeout(resolve, 150));
      for (const [step, seconds] of [1, 2, 4, 8, 16].entries()) {
        await recorded();
        await advance(first, seconds);
        assert.equal((await server.received(step + 2)).length, step + 2);
      }
      await recorded();
      await kill(first);

      healthy = true;
      second = await spawnFogbank(['--port', '0', '--data-dir', dir]);
      const eb2 = eventsClient(second.endpoint);
      const replay = await eventually(async () => {
        const r = await eb2.send(new DescribeReplayCommand({ ReplayName: 'again' }));
        return r.State === 'COMPLETED' ? r : undefined;
      }, 'a completed replay');
      assert.ok(replay.ReplayEndTime);
      const sqs2 = new SQSClient(clientConfig(second.endpoint));
      const url = `${second.endpoint}${new URL(QueueUrl!).pathname}`;
      const replayed = new Set<number>();
      for (;;) {
        const { Messages } = await sqs2.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
        if (!Messages) break;
        for (const m of Messages) {
          const event = JSON.parse(m.Body!);
          assert.equal(event['replay-name'], 'again');
          replayed.add(event.detail.n);
          await sqs2.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }));
        }
      }
      assert.equal(replayed.size, 60, 'every archived event was replayed');

      assert.equal(server.requests.length, 6, 'the sixth retry waits for its moment');
      // The new process's clock starts again from real time, without the 31 s the first one was
      // moved, so reaching the retry's stored moment takes 31 + 32 seconds.
      assert.equal((await advance(second, 64)).status, 200);
      const requests = await server.received(7);
      assert.equal(requests.length, 7, 'the stored retry ran after the restart');
      assert.equal(JSON.parse(requests[6]!.body).id, put.Entries![0]!.EventId);
      await advance(second, 600);
      assert.equal((await eb2.send(new DescribeReplayCommand({ ReplayName: 'again' }))).State, 'COMPLETED');
      assert.equal(server.requests.length, 7, 'a retry that succeeded is not tried again');
    } finally {
      await kill(first);
      if (second) await kill(second);
    }
  });
});
