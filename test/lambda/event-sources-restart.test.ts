import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CreateEventSourceMappingCommand, GetEventSourceMappingCommand } from '@aws-sdk/client-lambda';
import { CreateQueueCommand, GetQueueAttributesCommand, GetQueueUrlCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startFogbank } from '../../src/index.js';
import { clientConfig } from '../support/fogbank.js';
import { createFunction, lambdaClient } from './support.js';

describe('event source mappings: restart', () => {
  it('a mapping stored on disk polls again after a restart, with no Lambda call needed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fogbank-esm-'));
    try {
      const first = await startFogbank({ dataDir: dir });
      const fn = await createFunction(lambdaClient(first.endpoint), {});
      const sqs1 = new SQSClient(clientConfig(first.endpoint));
      const { QueueUrl } = await sqs1.send(new CreateQueueCommand({ QueueName: 'esm-restart' }));
      const { Attributes } = await sqs1.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
      const mapping = await lambdaClient(first.endpoint).send(new CreateEventSourceMappingCommand({ FunctionName: fn.FunctionName, EventSourceArn: Attributes!.QueueArn }));
      await first.stop();
      const second = await startFogbank({ dataDir: dir });
      try {
        const sqs = new SQSClient(clientConfig(second.endpoint));
        const url = (await sqs.send(new GetQueueUrlCommand({ QueueName: 'esm-restart' }))).QueueUrl!;
        await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'after restart' }));
        const deadline = Date.now() + 20_000;
        for (;;) {
          const { Attributes: a } = await sqs.send(
            new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
          );
          if (a!.ApproximateNumberOfMessages === '0' && a!.ApproximateNumberOfMessagesNotVisible === '0') break;
          assert.ok(Date.now() < deadline, 'the resumed mapping consumed the message');
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        assert.equal((await lambdaClient(second.endpoint).send(new GetEventSourceMappingCommand({ UUID: mapping.UUID }))).State, 'Enabled');
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
