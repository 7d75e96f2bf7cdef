// S3 events through EventBridge: a bucket with EventBridgeConfiguration sends "Object Created" and
// "Object Deleted" events to the default bus, where a rule forwards them to an SQS queue.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CompleteMultipartUploadCommand, CopyObjectCommand, CreateMultipartUploadCommand, DeleteObjectCommand, PutBucketNotificationConfigurationCommand, PutBucketVersioningCommand, PutObjectCommand, UploadPartCommand } from '@aws-sdk/client-s3';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { DeleteMessageCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { clientConfig, useFogbank } from '../support/fogbank.js';
import { newQueue, unique } from '../support/queues.js';
import { createBucket, s3Client } from './support.js';

const env = useFogbank();

async function next(sqs: SQSClient, url: string): Promise<any> {
  const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 5, MaxNumberOfMessages: 1 }));
  assert.ok(Messages?.length, 'expected an event on the queue');
  await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: Messages[0]!.ReceiptHandle }));
  return JSON.parse(Messages[0]!.Body!);
}

/** A bucket sending to EventBridge, and a queue receiving its events through a rule on the default bus. */
async function bridgedBucket(detailTypes: string[]) {
  const s3 = s3Client(env.endpoint);
  const Bucket = await createBucket(s3);
  await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket, NotificationConfiguration: { EventBridgeConfiguration: {} } }));
  const queue = await newQueue(env.endpoint);
  const events = new EventBridgeClient(clientConfig(env.endpoint));
  const Name = unique('s3-rule');
  await events.send(new PutRuleCommand({ Name, EventPattern: JSON.stringify({ source: ['aws.s3'], 'detail-type': detailTypes, detail: { bucket: { name: [Bucket] } } }) }));
  await events.send(new PutTargetsCommand({ Rule: Name, Targets: [{ Id: 'queue', Arn: queue.arn }] }));
  return { s3, Bucket, queue };
}

describe('S3 events through EventBridge', () => {
  it('sends Object Created with S3\'s envelope and detail, for put, copy and multipart', async () => {
    const { s3, Bucket, queue } = await bridgedBucket(['Object Created']);
    const put = await s3.send(new PutObjectCommand({ Bucket, Key: 'photos/sun set.jpg', Body: 'jpeg bytes' }));
    const event = await next(queue.sqs, queue.url);
    assert.deepEqual(Object.keys(event).sort(), ['account', 'detail', 'detail-type', 'id', 'region', 'resources', 'source', 'time', 'version']);
    assert.equal(event.version, '0');
    assert.equal(event['detail-type'], 'Object Created');
    assert.equal(event.source, 'aws.s3');
    assert.equal(event.account, '000000000000');
    assert.equal(event.region, 'us-east-1');
    assert.match(event.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.deepEqual(event.resources, [`arn:aws:s3:::${Bucket}`]);
    const { detail } = event;
    assert.deepEqual(Object.keys(detail), ['version', 'bucket', 'object', 'request-id', 'requester', 'source-ip-address', 'reason']);
    assert.equal(detail.version, '0');
    assert.deepEqual(detail.bucket, { name: Bucket });
    assert.equal(detail.object.key, 'photos/sun set.jpg');
    assert.equal(detail.object.size, 10);
    assert.equal(detail.object.etag, put.ETag!.replace(/"/g, ''));
    assert.match(detail.object.sequencer, /^[0-9A-F]{18}$/);
    assert.equal(detail.object['version-id'], undefined);
    assert.equal(detail.requester, '000000000000');
    assert.equal(detail.reason, 'PutObject');
    assert.ok(detail['request-id']);

    await s3.send(new CopyObjectCommand({ Bucket, Key: 'copy.jpg', CopySource: `${Bucket}/photos/sun%20set.jpg` }));
    assert.equal((await next(queue.sqs, queue.url)).detail.reason, 'CopyObject');
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'big.bin' }));
    const part = await s3.send(new UploadPartCommand({ Bucket, Key: 'big.bin', UploadId, PartNumber: 1, Body: 'only part' }));
    await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: 'big.bin', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } }));
    const completed = await next(queue.sqs, queue.url);
    assert.equal(completed.detail.reason, 'CompleteMultipartUpload');
    assert.match(completed.detail.object.etag, /^[0-9a-f]{32}-1$/);
  });

  it('sends Object Deleted, permanently or as a delete marker', async () => {
    const { s3, Bucket, queue } = await bridgedBucket(['Object Deleted']);
    await s3.send(new PutObjectCommand({ Bucket, Key: 'gone.txt', Body: 'x' }));
    await s3.send(new DeleteObjectCommand({ Bucket, Key: 'gone.txt' }));
    const deleted = await next(queue.sqs, queue.url);
    assert.equal(deleted['detail-type'], 'Object Deleted');
    assert.equal(deleted.detail.reason, 'DeleteObject');
    assert.equal(deleted.detail['deletion-type'], 'Permanently Deleted');
    assert.equal(deleted.detail.object.key, 'gone.txt');

    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    await s3.send(new PutObjectCommand({ Bucket, Key: 'kept.txt', Body: 'x' }));
    const marker = await s3.send(new DeleteObjectCommand({ Bucket, Key: 'kept.txt' }));
    const event = await next(queue.sqs, queue.url);
    assert.equal(event.detail['deletion-type'], 'Delete Marker Created');
    assert.equal(event.detail.object['version-id'], marker.VersionId);
    assert.equal(event.detail.object.etag, 'd41d8cd98f00b204e9800998ecf8427e');
  });

  it('sends nothing once EventBridge is switched off', async () => {
    const { s3, Bucket, queue } = await bridgedBucket(['Object Created']);
    await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket, NotificationConfiguration: {} }));
    await s3.send(new PutObjectCommand({ Bucket, Key: 'quiet.txt', Body: 'x' }));
    // Switched on again, the next event is the next object's: nothing was sent for quiet.txt.
    await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket, NotificationConfiguration: { EventBridgeConfiguration: {} } }));
    await s3.send(new PutObjectCommand({ Bucket, Key: 'loud.txt', Body: 'x' }));
    assert.equal((await next(queue.sqs, queue.url)).detail.object.key, 'loud.txt');
  });
});
