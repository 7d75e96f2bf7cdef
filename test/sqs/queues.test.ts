import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AddPermissionCommand,
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  ListQueueTagsCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  RemovePermissionCommand,
  SendMessageCommand,
  TagQueueCommand,
  UntagQueueCommand,
} from '@aws-sdk/client-sqs';
import { useFogbank } from '../support/fogbank.js';
import { createQueue, rejectsWith, sqsClient, stillServes, uniqueName } from './support.js';

const env = useFogbank();

async function attributes(sqs: ReturnType<typeof sqsClient>, QueueUrl: string, names: string[] = ['All']): Promise<Record<string, string>> {
  return (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: names as never }))).Attributes ?? {};
}

describe('SQS queues', () => {
  it('CreateQueue answers a path-form URL on the host the client used, and GetQueueUrl finds it', async () => {
    const sqs = sqsClient(env.endpoint);
    const name = uniqueName();
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
    assert.equal(QueueUrl, `${env.endpoint}/000000000000/${name}`);
    assert.equal((await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl, QueueUrl);
    await rejectsWith(sqs.send(new GetQueueUrlCommand({ QueueName: 'no-such-queue' })), {
      name: 'QueueDoesNotExist',
      code: 'AWS.SimpleQueueService.NonExistentQueue',
      message: 'The specified queue does not exist.',
    });
  });

  it('GetQueueUrl looks in another account with QueueOwnerAWSAccountId', async () => {
    const owner = sqsClient(env.endpoint, 'us-east-1', { accessKeyId: '111122223333', secretAccessKey: 'x' });
    const name = uniqueName();
    await owner.send(new CreateQueueCommand({ QueueName: name }));
    const other = sqsClient(env.endpoint);
    await rejectsWith(other.send(new GetQueueUrlCommand({ QueueName: name })), { name: 'QueueDoesNotExist' });
    const { QueueUrl } = await other.send(new GetQueueUrlCommand({ QueueName: name, QueueOwnerAWSAccountId: '111122223333' }));
    assert.equal(QueueUrl, `${env.endpoint}/111122223333/${name}`);
    // The URL names the owner's queue for any caller.
    assert.equal((await attributes(other, QueueUrl!, ['QueueArn'])).QueueArn, `arn:aws:sqs:us-east-1:111122223333:${name}`);
  });

  it('accepts the host form, any host and a bare name as QueueUrl', async () => {
    const sqs = sqsClient(env.endpoint);
    const name = uniqueName();
    await sqs.send(new CreateQueueCommand({ QueueName: name }));
    for (const url of [
      `http://sqs.us-east-1.localhost.localstack.cloud:4566/000000000000/${name}`,
      `https://queue.amazonaws.com/000000000000/${name}`,
      `http://localhost:4566/queue/us-east-1/000000000000/${name}`,
      name,
    ]) {
      assert.equal((await attributes(sqs, url, ['QueueArn'])).QueueArn, `arn:aws:sqs:us-east-1:000000000000:${name}`, url);
    }
    // The host form carries the region.
    const west = sqsClient(env.endpoint, 'eu-west-1');
    const westName = uniqueName();
    await west.send(new CreateQueueCommand({ QueueName: westName }));
    const viaHost = `http://sqs.eu-west-1.localhost.localstack.cloud:4566/000000000000/${westName}`;
    assert.equal((await attributes(sqs, viaHost, ['QueueArn'])).QueueArn, `arn:aws:sqs:eu-west-1:000000000000:${westName}`);
    await rejectsWith(sqs.send(new GetQueueAttributesCommand({ QueueUrl: 'http://localhost:4566/not-a-queue-url', AttributeNames: ['All'] })), { name: 'QueueDoesNotExist' });
  });

  it('CreateQueue is idempotent with the same attributes and refuses different ones', async () => {
    const sqs = sqsClient(env.endpoint);
    const name = uniqueName();
    const first = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: { VisibilityTimeout: '45' } }));
    const again = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: { VisibilityTimeout: '45', DelaySeconds: '0' } }));
    assert.equal(again.QueueUrl, first.QueueUrl);
    assert.equal((await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl, first.QueueUrl);
    await rejectsWith(sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: { VisibilityTimeout: '46' } })), {
      name: 'QueueNameExists',
      code: 'QueueAlreadyExists',
      message: 'A queue already exists with the same name and a different value for attribute VisibilityTimeout',
    });
    await stillServes(sqs);
  });

  it('CreateQueue checks names and the FIFO rules as AWS does', async () => {
    const sqs = sqsClient(env.endpoint);
    const invalidName = 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length';
    await rejectsWith(sqs.send(new CreateQueueCommand({ QueueName: 'bad name' })), { name: 'InvalidParameterValue', code: 'InvalidParameterValue', message: invalidName });
    await rejectsWith(sqs.send(new CreateQueueCommand({ QueueName: 'x'.repeat(81) })), { name: 'InvalidParameterValue', message: invalidName });
    await rejectsWith(sqs.send(new CreateQueueCommand({ QueueName: uniqueName('f', true) })), { name: 'InvalidParameterValue', message: invalidName });
    await rejectsWith(sqs.send(new CreateQueueCommand({ QueueName: uniqueName(), Attributes: { FifoQueue: 'true' } })), {
      name: 'InvalidParameterValue',
      message: 'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length',
    });
    await rejectsWith(sqs.send(new CreateQueueCommand({ QueueName: uniqueName(), Attributes: { FifoQueue: 'false' } })), {
      name: 'InvalidAttributeName',
      message: 'Unknown Attribute FifoQueue.',
    });
    await rejectsWith(sqs.send(new CreateQueueCommand({ QueueName: uniqueName(), Attributes: { ContentBasedDeduplication: 'false' } })), {
      name: 'InvalidAttributeName',
      message: 'Unknown Attribute ContentBasedDeduplication.',
    });
    await rejectsWith(sqs.send(new CreateQueueCommand({ QueueName: uniqueName(), Attributes: { DeduplicationScope: 'queue' } })), {
      name: 'InvalidAttributeName',
      message: 'You can specify the DeduplicationScope only when FifoQueue is set to true.',
    });
    await rejectsWith(sqs.send(new CreateQueueCommand({ QueueName: uniqueName(), Attributes: { FifoThroughputLimit: 'perQueue' } })), {
      name: 'InvalidAttributeName',
      message: 'You can specify the FifoThroughputLimit only when FifoQueue is set to true.',
    });
    await stillServes(sqs);
  });

  it('ListQueues filters by prefix and pages with MaxResults and NextToken', async () => {
    const sqs = sqsClient(env.endpoint);
    const prefix = uniqueName('list');
    const urls: string[] = [];
    for (let i = 0; i < 5; i++) urls.push((await sqs.send(new CreateQueueCommand({ QueueName: `${prefix}-${i}` }))).QueueUrl!);
    assert.deepEqual((await sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix }))).QueueUrls, urls);
    const first = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix, MaxResults: 2 }));
    assert.deepEqual(first.QueueUrls, urls.slice(0, 2));
    assert.ok(first.NextToken);
    const second = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix, MaxResults: 2, NextToken: first.NextToken }));
    assert.deepEqual(second.QueueUrls, urls.slice(2, 4));
    const last = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix, MaxResults: 2, NextToken: second.NextToken }));
    assert.deepEqual(last.QueueUrls, urls.slice(4));
    assert.equal(last.NextToken, undefined);
    // No MaxResults, no NextToken; nothing found, no QueueUrls.
    assert.equal((await sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix }))).NextToken, undefined);
    assert.equal((await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'nothing-has-this-prefix' }))).QueueUrls, undefined);
    await rejectsWith(sqs.send(new ListQueuesCommand({ MaxResults: 0 })), { name: 'InvalidParameterValue' });
    await rejectsWith(sqs.send(new ListQueuesCommand({ MaxResults: 1001 })), { name: 'InvalidParameterValue' });
    await rejectsWith(sqs.send(new ListQueuesCommand({ MaxResults: 1, NextToken: 'garbage!' })), { name: 'InvalidParameterValue' });
    await stillServes(sqs);
  });

  it('DeleteQueue removes the queue; its name is free again after 60 seconds', async () => {
    const sqs = sqsClient(env.endpoint);
    const name = uniqueName();
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'bye' }));
    await sqs.send(new DeleteQueueCommand({ QueueUrl }));
    await rejectsWith(sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x' })), { name: 'QueueDoesNotExist' });
    await rejectsWith(sqs.send(new DeleteQueueCommand({ QueueUrl })), { name: 'QueueDoesNotExist' });
    await rejectsWith(sqs.send(new CreateQueueCommand({ QueueName: name })), {
      name: 'QueueDeletedRecently',
      code: 'AWS.SimpleQueueService.QueueDeletedRecently',
      message: 'You must wait 60 seconds after deleting a queue before you can create another with the same name.',
    });
    env.fogbank.advanceClock(60_000);
    await sqs.send(new CreateQueueCommand({ QueueName: name }));
    // The new queue does not inherit the old one's messages.
    assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages, undefined);
  });

  it('PurgeQueue empties the queue, once per 60 seconds', async () => {
    const sqs = sqsClient(env.endpoint);
    const QueueUrl = await createQueue(sqs);
    for (let i = 0; i < 3; i++) await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: `m${i}` }));
    await sqs.send(new PurgeQueueCommand({ QueueUrl }));
    assert.equal((await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }))).Messages, undefined);
    const name = QueueUrl.split('/').pop();
    await rejectsWith(sqs.send(new PurgeQueueCommand({ QueueUrl })), {
      name: 'PurgeQueueInProgress',
      code: 'AWS.SimpleQueueService.PurgeQueueInProgress',
      message: `Only one PurgeQueue operation on ${name} is allowed every 60 seconds.`,
      status: 403,
    });
    env.fogbank.advanceClock(60_000);
    await sqs.send(new PurgeQueueCommand({ QueueUrl }));
  });

  it('tags: on create, TagQueue, UntagQueue, ListQueueTags, and the limit of 50', async () => {
    const sqs = sqsClient(env.endpoint);
    const QueueUrl = await createQueue(sqs, { tags: { team: 'a', env: 'dev' } });
    assert.deepEqual((await sqs.send(new ListQueueTagsCommand({ QueueUrl }))).Tags, { team: 'a', env: 'dev' });
    await sqs.send(new TagQueueCommand({ QueueUrl, Tags: { team: 'b', cost: '1' } }));
    await sqs.send(new UntagQueueCommand({ QueueUrl, TagKeys: ['env', 'missing'] }));
    assert.deepEqual((await sqs.send(new ListQueueTagsCommand({ QueueUrl }))).Tags, { team: 'b', cost: '1' });
    await sqs.send(new UntagQueueCommand({ QueueUrl, TagKeys: ['team', 'cost'] }));
    assert.equal((await sqs.send(new ListQueueTagsCommand({ QueueUrl }))).Tags, undefined);
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
    await rejectsWith(sqs.send(new TagQueueCommand({ QueueUrl, Tags: many })), { name: 'InvalidParameterValue', message: /Too many tags/ });
    await stillServes(sqs);
  });

  it('AddPermission and RemovePermission keep statements in the Policy attribute', async () => {
    const sqs = sqsClient(env.endpoint);
    const QueueUrl = await createQueue(sqs);
    const arn = (await attributes(sqs, QueueUrl, ['QueueArn'])).QueueArn!;
    await sqs.send(new AddPermissionCommand({ QueueUrl, Label: 'p1', AWSAccountIds: ['111111111111'], Actions: ['ReceiveMessage'] }));
    const policy = JSON.parse((await attributes(sqs, QueueUrl, ['Policy'])).Policy!);
    assert.deepEqual(policy, {
      Version: '2008-10-17',
      Id: `${arn}/SQSDefaultPolicy`,
      Statement: [{ Sid: 'p1', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'SQS:ReceiveMessage', Resource: arn }],
    });
    await rejectsWith(sqs.send(new AddPermissionCommand({ QueueUrl, Label: 'p1', AWSAccountIds: ['111111111111'], Actions: ['SendMessage'] })), {
      name: 'InvalidParameterValue',
      message: 'Value p1 for parameter Label is invalid. Reason: Already exists.',
    });
    await sqs.send(new RemovePermissionCommand({ QueueUrl, Label: 'p1' }));
    assert.equal((await attributes(sqs, QueueUrl, ['Policy'])).Policy, undefined);
    await rejectsWith(sqs.send(new RemovePermissionCommand({ QueueUrl, Label: 'p1' })), {
      name: 'InvalidParameterValue',
      message: "Value p1 for parameter Label is invalid. Reason: can't find label.",
    });
  });

  it('the older query protocol gets the query error code and wording', async () => {
    const response = await fetch(env.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=GetQueueUrl&Version=2012-11-05&QueueName=no-such-queue',
    });
    const text = await response.text();
    assert.equal(response.status, 400);
    assert.match(text, /<Code>AWS\.SimpleQueueService\.NonExistentQueue<\/Code>/);
    assert.match(text, /The specified queue does not exist for this wsdl version\./);
  });
});
