// A Scheduler retry waiting on the clock survives kill -9: after the restart it runs, and when
// its retries run out the invocation reaches the dead-letter queue with Scheduler's attributes.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PutFunctionConcurrencyCommand } from '@aws-sdk/client-lambda';
import { CreateScheduleCommand, GetScheduleCommand } from '@aws-sdk/client-scheduler';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createFunction, lambdaClient } from '../lambda/support.js';
import { clientConfig } from '../support/fogbank.js';
import { exited, spawnFogbank, type FogbankProcess } from '../support/process.js';
import { eventually } from '../events/helpers.js';
import { ACCOUNT, OFF, ROLE, atExpression, schedulerClient } from './helpers.js';

async function kill(fogbank: FogbankProcess) {
  fogbank.child.kill('SIGKILL');
  await exited(fogbank.child);
}

describe('Scheduler across kill -9', () => {
  it('keeps a retry waiting on the clock and runs it after the restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fogbank-scheduler-kill-'));
    const first = await spawnFogbank(['--port', '0', '--data-dir', dir]);
    let second: FogbankProcess | undefined;
    try {
      const lambda = lambdaClient(first.endpoint);
      const fn = await createFunction(lambda, {});
      // A function with no concurrency throttles every synchronous invoke: a retryable failure.
      await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: fn.FunctionName, ReservedConcurrentExecutions: 0 }));
      const sqs = new SQSClient(clientConfig(first.endpoint));
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'schedule-dlq' }));
      const sc = schedulerClient(first.endpoint);
      const clock = (await (await fetch(`${first.endpoint}/_fogbank/clock`)).json()) as { epochMillis: number };
      const when = clock.epochMillis + 60_000;
      const { ScheduleArn } = await sc.send(
        new CreateScheduleCommand({
          Name: 'nightly',
          ScheduleExpression: atExpression(when),
          FlexibleTimeWindow: OFF,
          ActionAfterCompletion: 'DELETE',
          Target: {
            Arn: 'arn:aws:scheduler:::aws-sdk:lambda:invoke',
            RoleArn: ROLE,
            Input: JSON.stringify({ FunctionName: fn.FunctionName }),
            RetryPolicy: { MaximumRetryAttempts: 1, MaximumEventAgeInSeconds: 3600 },
            DeadLetterConfig: { Arn: `arn:aws:sqs:us-east-1:${ACCOUNT}:schedule-dlq` },
          },
        }),
      );
      const advanced = await fetch(`${first.endpoint}/_fogbank/clock/advance`, { method: 'POST', body: JSON.stringify({ seconds: 60 }) });
      assert.equal(advanced.status, 200);
      // The one-time schedule fired and deleted itself; its first try was throttled, the retry waits.
      await assert.rejects(sc.send(new GetScheduleCommand({ Name: 'nightly' })), (e: Error) => e.name === 'ResourceNotFoundException');
      assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages, undefined, 'nothing is dead-lettered before the retry');
      await kill(first);

      second = await spawnFogbank(['--port', '0', '--data-dir', dir]);
      const sqs2 = new SQSClient(clientConfig(second.endpoint));
      const url = `${second.endpoint}${new URL(QueueUrl!).pathname}`;
      // The restarted clock starts from real time again, where the retry is still about a minute
      // ahead; moved past it, the retry runs, is throttled again, exhausts MaximumRetryAttempts and
      // goes to the dead-letter queue.
      assert.equal((await sqs2.send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages, undefined, 'the retry waits for its moment');
      await fetch(`${second.endpoint}/_fogbank/clock/advance`, { method: 'POST', body: JSON.stringify({ seconds: 120 }) });
      const message = await eventually(async () => (await sqs2.send(new ReceiveMessageCommand({ QueueUrl: url, MessageAttributeNames: ['All'] }))).Messages?.[0], 'the dead letter');
      const attrs = Object.fromEntries(Object.entries(message.MessageAttributes ?? {}).map(([k, v]) => [k, v.StringValue]));
      assert.equal(attrs.SCHEDULE_ARN, ScheduleArn);
      assert.equal(attrs.RETRY_ATTEMPTS, '1');
      assert.equal(attrs.EXHAUSTED_RETRY_CONDITION, 'MaximumRetryAttempts');
      assert.equal(attrs.ERROR_CODE, 'TooManyRequestsException');
      assert.deepEqual(JSON.parse(message.Body!), { FunctionName: fn.FunctionName });
    } finally {
      await kill(first);
      if (second) await kill(second);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
