import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketNotificationConfigurationCommand,
  GetObjectCommand,
  ListBucketsCommand,
  PutBucketNotificationConfigurationCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { AddPermissionCommand, RemovePermissionCommand } from '@aws-sdk/client-lambda';
import { awsCli, boto3, clientConfig, hasAwsCli, hasBoto3, useFogbank } from '../support/fogbank.js';
import { createFunction, lambdaClient, uniqueName } from '../lambda/support.js';
import { createBucket, rejectsWith, s3Client } from './support.js';

const env = useFogbank();

async function newQueue(sqs: SQSClient): Promise<{ url: string; arn: string }> {
  const name = uniqueName('s3-events');
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  return { url: QueueUrl!, arn: `arn:aws:sqs:us-east-1:000000000000:${name}` };
}

/** The next message on the queue (long-polled), deleted once read. */
async function nextMessage(sqs: SQSClient, url: string): Promise<any> {
  const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 5, MaxNumberOfMessages: 1 }));
  assert.ok(Messages?.length, 'expected a message on the queue');
  await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: Messages[0]!.ReceiptHandle }));
  return JSON.parse(Messages[0]!.Body!);
}

async function queueBucket(s3: S3Client, sqs: SQSClient, events: string[] = ['s3:ObjectCreated:*', 's3:ObjectRemoved:*']) {
  const Bucket = await createBucket(s3);
  const queue = await newQueue(sqs);
  await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket, NotificationConfiguration: { QueueConfigurations: [{ Id: 'to-queue', QueueArn: queue.arn, Events: events as any }] } }));
  const test = await nextMessage(sqs, queue.url);
  assert.equal(test.Event, 's3:TestEvent');
  return { Bucket, queue };
}

describe('S3 event notifications', () => {
  it('stores and returns the configuration; an empty one removes it', async () => {
    const s3 = s3Client(env.endpoint);
    const sqs = new SQSClient(clientConfig(env.endpoint));
    const Bucket = await createBucket(s3);
    const queue = await newQueue(sqs);
    assert.deepEqual(await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket })).then(({ $metadata: _m, ...rest }) => rest), {});
    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket,
        NotificationConfiguration: {
          QueueConfigurations: [{ Id: 'images', QueueArn: queue.arn, Events: ['s3:ObjectCreated:Put'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'images/' }, { Name: 'suffix', Value: '.jpg' }] } } }],
          EventBridgeConfiguration: {},
        },
      }),
    );
    const got = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket }));
    assert.deepEqual(got.QueueConfigurations, [
      { Id: 'images', QueueArn: queue.arn, Events: ['s3:ObjectCreated:Put'], Filter: { Key: { FilterRules: [{ Name: 'Prefix', Value: 'images/' }, { Name: 'Suffix', Value: '.jpg' }] } } },
    ]);
    assert.deepEqual(got.EventBridgeConfiguration, {});
    await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket, NotificationConfiguration: {} }));
    const cleared = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket }));
    assert.equal(cleared.QueueConfigurations, undefined);
    assert.equal(cleared.EventBridgeConfiguration, undefined);
  });

  it('puts and gets a configuration with the AWS CLI', { skip: !hasAwsCli && 'needs the AWS CLI' }, async () => {
    const s3 = s3Client(env.endpoint);
    const sqs = new SQSClient(clientConfig(env.endpoint));
    const Bucket = await createBucket(s3);
    const queue = await newQueue(sqs);
    const config = { QueueConfigurations: [{ Id: 'cli', QueueArn: queue.arn, Events: ['s3:ObjectRemoved:*'] }] };
    await awsCli(env.endpoint, ['s3api', 'put-bucket-notification-configuration', '--bucket', Bucket, '--notification-configuration', JSON.stringify(config)]);
    const { json } = await awsCli(env.endpoint, ['s3api', 'get-bucket-notification-configuration', '--bucket', Bucket]);
    assert.deepEqual(json, config);
  });

  it('refuses missing destinations, unknown events, bad filter rules and overlapping rules', async () => {
    const s3 = s3Client(env.endpoint);
    const sqs = new SQSClient(clientConfig(env.endpoint));
    const Bucket = await createBucket(s3);
    const queue = await newQueue(sqs);
    const put = (NotificationConfiguration: any) => s3.send(new PutBucketNotificationConfigurationCommand({ Bucket, NotificationConfiguration }));
    const missing = 'arn:aws:sqs:us-east-1:000000000000:no-such-queue';
    await rejectsWith(put({ QueueConfigurations: [{ QueueArn: missing, Events: ['s3:ObjectCreated:*'] }] }), {
      code: 'InvalidArgument',
      status: 400,
      message: 'Unable to validate the following destination configurations',
      fields: { ArgumentName1: missing, ArgumentValue1: 'The destination queue does not exist' },
    });
    await rejectsWith(put({ LambdaFunctionConfigurations: [{ LambdaFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:nope', Events: ['s3:ObjectCreated:*'] }] }), {
      code: 'InvalidArgument',
      status: 400,
      message: 'Unable to validate the following destination configurations',
    });
    await rejectsWith(put({ TopicConfigurations: [{ TopicArn: 'arn:aws:sns:us-east-1:000000000000:nope', Events: ['s3:ObjectCreated:*'] }] }), { code: 'InvalidArgument', status: 400 });
    await rejectsWith(put({ QueueConfigurations: [{ QueueArn: queue.arn, Events: ['s3:ObjectExploded:*'] }] }), {
      code: 'InvalidArgument',
      status: 400,
      message: 'The event is not supported for notifications',
    });
    await rejectsWith(put({ QueueConfigurations: [{ QueueArn: queue.arn, Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'middle', Value: 'x' }] } } }] }), {
      code: 'InvalidArgument',
      status: 400,
      message: 'filter rule name must be either prefix or suffix',
    });
    await rejectsWith(
      put({ QueueConfigurations: [{ QueueArn: queue.arn, Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'a' }, { Name: 'prefix', Value: 'b' }] } } }] }),
      { code: 'InvalidArgument', status: 400, message: 'Cannot specify more than one prefix rule in a filter.' },
    );
    await rejectsWith(
      put({
        QueueConfigurations: [
          { QueueArn: queue.arn, Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'img/' }] } } },
          { QueueArn: queue.arn, Events: ['s3:ObjectCreated:Put'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'img/a' }] } } },
        ],
      }),
      { code: 'InvalidArgument', status: 400, message: /^Configuration is ambiguously defined/ },
    );
    // Different event types, or disjoint prefixes, do not overlap.
    await put({
      QueueConfigurations: [
        { QueueArn: queue.arn, Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'img/' }] } } },
        { QueueArn: queue.arn, Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'doc/' }] } } },
        { QueueArn: queue.arn, Events: ['s3:ObjectRemoved:*'] },
      ],
    });
    await rejectsWith(s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: 'no-such-bucket-here', NotificationConfiguration: {} })), { code: 'NoSuchBucket', status: 404 });
    assert.ok((await s3.send(new ListBucketsCommand({}))).Buckets);
  });

  it('delivers S3-shaped records to SQS for put, copy, multipart and deletes, filtered by prefix and suffix', async () => {
    const s3 = s3Client(env.endpoint);
    const sqs = new SQSClient(clientConfig(env.endpoint));
    const Bucket = await createBucket(s3);
    const queue = await newQueue(sqs);
    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket,
        NotificationConfiguration: {
          QueueConfigurations: [
            { Id: 'created', QueueArn: queue.arn, Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'in/' }, { Name: 'suffix', Value: '.txt' }] } } },
            { Id: 'removed', QueueArn: queue.arn, Events: ['s3:ObjectRemoved:Delete'] },
          ],
        },
      }),
    );
    const test = await nextMessage(sqs, queue.url);
    assert.deepEqual(Object.keys(test).sort(), ['Bucket', 'Event', 'HostId', 'RequestId', 'Service', 'Time']);
    assert.equal(test.Service, 'Amazon S3');
    assert.equal(test.Bucket, Bucket);

    await s3.send(new PutObjectCommand({ Bucket, Key: 'skipped.txt', Body: 'no' })); // outside the prefix
    await s3.send(new PutObjectCommand({ Bucket, Key: 'in/skipped.bin', Body: 'no' })); // wrong suffix
    const put = await s3.send(new PutObjectCommand({ Bucket, Key: 'in/my file+ü=1.txt', Body: 'hello' }));
    const message = await nextMessage(sqs, queue.url);
    assert.equal(message.Records.length, 1);
    const record = message.Records[0];
    assert.deepEqual(Object.keys(record), ['eventVersion', 'eventSource', 'awsRegion', 'eventTime', 'eventName', 'userIdentity', 'requestParameters', 'responseElements', 's3']);
    assert.equal(record.eventVersion, '2.1');
    assert.equal(record.eventSource, 'aws:s3');
    assert.equal(record.awsRegion, 'us-east-1');
    assert.match(record.eventTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(record.eventName, 'ObjectCreated:Put');
    assert.match(record.userIdentity.principalId, /^AWS:/);
    assert.equal(typeof record.requestParameters.sourceIPAddress, 'string');
    assert.match(record.responseElements['x-amz-request-id'], /\S/);
    assert.match(record.responseElements['x-amz-id-2'], /\S/);
    assert.equal(record.s3.s3SchemaVersion, '1.0');
    assert.equal(record.s3.configurationId, 'created');
    assert.equal(record.s3.bucket.name, Bucket);
    assert.equal(record.s3.bucket.arn, `arn:aws:s3:::${Bucket}`);
    assert.match(record.s3.bucket.ownerIdentity.principalId, /\S/);
    assert.equal(record.s3.object.key, 'in/my+file%2B%C3%BC%3D1.txt');
    assert.equal(decodeURIComponent(record.s3.object.key.replace(/\+/g, ' ')), 'in/my file+ü=1.txt');
    assert.equal(record.s3.object.size, 5);
    assert.equal(record.s3.object.eTag, put.ETag!.replace(/"/g, ''));
    assert.equal(record.s3.object.versionId, undefined);
    assert.match(record.s3.object.sequencer, /^[0-9A-F]+$/);

    await s3.send(new CopyObjectCommand({ Bucket, Key: 'in/copy.txt', CopySource: `${Bucket}/in/my%20file%2B%C3%BC%3D1.txt` }));
    const copied = (await nextMessage(sqs, queue.url)).Records[0];
    assert.equal(copied.eventName, 'ObjectCreated:Copy');
    assert.equal(copied.s3.object.key, 'in/copy.txt');

    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'in/big.txt' }));
    const part = await s3.send(new UploadPartCommand({ Bucket, Key: 'in/big.txt', UploadId, PartNumber: 1, Body: 'parts' }));
    const done = await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: 'in/big.txt', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } }));
    const completed = (await nextMessage(sqs, queue.url)).Records[0];
    assert.equal(completed.eventName, 'ObjectCreated:CompleteMultipartUpload');
    assert.equal(completed.s3.object.eTag, done.ETag!.replace(/"/g, ''));
    assert.equal(completed.s3.object.size, 5);

    await s3.send(new DeleteObjectCommand({ Bucket, Key: 'in/copy.txt' }));
    const removed = (await nextMessage(sqs, queue.url)).Records[0];
    assert.equal(removed.eventName, 'ObjectRemoved:Delete');
    assert.equal(removed.s3.configurationId, 'removed');
    assert.deepEqual(Object.keys(removed.s3.object), ['key', 'sequencer']);
    assert.ok(removed.s3.object.sequencer > record.s3.object.sequencer);

    await s3.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: [{ Key: 'in/big.txt' }] } }));
    assert.equal((await nextMessage(sqs, queue.url)).Records[0].s3.object.key, 'in/big.txt');
  });

  it('carries version ids in a versioned bucket; a delete without one announces ObjectRemoved:DeleteMarkerCreated', async () => {
    const s3 = s3Client(env.endpoint);
    const sqs = new SQSClient(clientConfig(env.endpoint));
    const { Bucket, queue } = await queueBucket(s3, sqs);
    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    const put = await s3.send(new PutObjectCommand({ Bucket, Key: 'v.txt', Body: 'v' }));
    const created = (await nextMessage(sqs, queue.url)).Records[0];
    assert.equal(created.s3.object.versionId, put.VersionId);
    const marker = await s3.send(new DeleteObjectCommand({ Bucket, Key: 'v.txt' }));
    const removed = (await nextMessage(sqs, queue.url)).Records[0];
    assert.equal(removed.eventName, 'ObjectRemoved:DeleteMarkerCreated');
    assert.equal(removed.s3.object.versionId, marker.VersionId);
    await s3.send(new DeleteObjectCommand({ Bucket, Key: 'v.txt', VersionId: put.VersionId }));
    const gone = (await nextMessage(sqs, queue.url)).Records[0];
    assert.equal(gone.eventName, 'ObjectRemoved:Delete');
    assert.equal(gone.s3.object.versionId, put.VersionId);
  });

  it('publishes to SNS with the subject S3 uses; delivery to a deleted queue does not fail the upload', async () => {
    const s3 = s3Client(env.endpoint);
    const sqs = new SQSClient(clientConfig(env.endpoint));
    const sns = new SNSClient(clientConfig(env.endpoint));
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: uniqueName('s3-topic') }));
    const queue = await newQueue(sqs);
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: queue.arn }));
    const Bucket = await createBucket(s3);
    await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket, NotificationConfiguration: { TopicConfigurations: [{ Id: 't', TopicArn, Events: ['s3:ObjectCreated:Put'] }] } }));
    const test = await nextMessage(sqs, queue.url);
    assert.equal(test.Subject, 'Amazon S3 Notification');
    assert.equal(JSON.parse(test.Message).Event, 's3:TestEvent');
    await s3.send(new PutObjectCommand({ Bucket, Key: 'a.txt', Body: 'x' }));
    const envelope = await nextMessage(sqs, queue.url);
    assert.equal(envelope.Subject, 'Amazon S3 Notification');
    assert.equal(JSON.parse(envelope.Message).Records[0].s3.object.key, 'a.txt');

    // A queue deleted after configuration: the upload still succeeds.
    const other = await queueBucket(s3, sqs);
    const { DeleteQueueCommand } = await import('@aws-sdk/client-sqs');
    await sqs.send(new DeleteQueueCommand({ QueueUrl: other.queue.url }));
    const written = await s3.send(new PutObjectCommand({ Bucket: other.Bucket, Key: 'still-works.txt', Body: 'ok' }));
    assert.match(written.ETag!, /^"/);
    assert.equal(await (await s3.send(new GetObjectCommand({ Bucket: other.Bucket, Key: 'still-works.txt' }))).Body!.transformToString(), 'ok');
  });
});

// The seed's section 4 handler, unchanged; process_file is the seed's placeholder, given here.
const SEED_S3_HANDLER = `import json
import urllib.parse
import boto3

s3 = boto3.client('s3')

def process_file(content):
    return content.upper()

def lambda_handler(event, context):
    """Process S3 upload events"""

    # Parse S3 event
    for record in event['Records']:
        bucket = record['s3']['bucket']['name']
        key = urllib.parse.unquote_plus(record['s3']['object']['key'])

        print(f"Processing {bucket}/{key}")

        try:
            # Download file
            response = s3.get_object(Bucket=bucket, Key=key)
            content = response['Body'].read()

            # Process content (e.g., resize image, parse CSV)
            processed = process_file(content)

            # Upload processed file
            output_key = f"processed/{key}"
            s3.put_object(
                Bucket=bucket,
                Key=output_key,
                Body=processed,
                ContentType=response['ContentType']
            )

            print(f"Uploaded to {output_key}")

        except Exception as e:
            print(f"Error processing {key}: {str(e)}")
            raise e

    return {
        'statusCode': 200,
        'body': json.dumps('Processing complete')
    }
`;

describe('S3 events to Lambda', { skip: !hasBoto3 && 'needs python3 with boto3' }, () => {
  it("runs the seed's S3 handler on a boto3 upload; it writes processed/<key> back", async () => {
    const s3 = s3Client(env.endpoint);
    const Bucket = await createBucket(s3);
    const fn = await createFunction(lambdaClient(env.endpoint), {
      Runtime: 'python3.12',
      Handler: 'lambda_function.lambda_handler',
      Timeout: 30,
      files: { 'lambda_function.py': SEED_S3_HANDLER },
    });
    // As on AWS, the function's resource policy must let S3 invoke it for this bucket.
    await lambdaClient(env.endpoint).send(new AddPermissionCommand({
      FunctionName: fn.FunctionName, StatementId: 's3', Action: 'lambda:InvokeFunction', Principal: 's3.amazonaws.com',
      SourceArn: `arn:aws:s3:::${Bucket}`, SourceAccount: '000000000000',
    }));
    // uploads/ only, so the handler's own processed/ writes do not trigger it again.
    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket,
        NotificationConfiguration: { LambdaFunctionConfigurations: [{ LambdaFunctionArn: fn.FunctionArn, Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'uploads/' }] } } }] },
      }),
    );
    await boto3(
      env.endpoint,
      `import boto3, json
boto3.client('s3').put_object(Bucket='${Bucket}', Key='uploads/my report.csv', Body=b'a,b\\n1,2\\n', ContentType='text/csv')
print(json.dumps(True))`,
    );
    const deadline = Date.now() + 20_000;
    let processed: { body: string; type?: string } | undefined;
    while (!processed && Date.now() < deadline) {
      try {
        const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'processed/uploads/my report.csv' }));
        processed = { body: await got.Body!.transformToString(), type: got.ContentType };
      } catch (error) {
        if ((error as Error).name !== 'NoSuchKey') throw error;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    assert.ok(processed, 'processed/uploads/my report.csv did not appear');
    assert.equal(processed.body, 'A,B\n1,2\n');
    assert.equal(processed.type, 'text/csv');
  });
});

describe("S3 checks the function's resource policy", () => {
  it('refuses a Lambda destination whose policy does not let S3 invoke it, and accepts it once allowed', async () => {
    const s3 = s3Client(env.endpoint);
    const lambda = lambdaClient(env.endpoint);
    const Bucket = await createBucket(s3);
    const fn = await createFunction(lambda, {});
    const arn = fn.FunctionArn!;
    const put = () => s3.send(new PutBucketNotificationConfigurationCommand({
      Bucket, NotificationConfiguration: { LambdaFunctionConfigurations: [{ LambdaFunctionArn: arn, Events: ['s3:ObjectCreated:*'] }] },
    }));
    const refused = {
      code: 'InvalidArgument',
      status: 400,
      message: 'Unable to validate the following destination configurations',
      fields: { ArgumentName1: arn, ArgumentValue1: `Not authorized to invoke function [${arn}]` },
    };
    const allow = (StatementId: string, extra: { Principal?: string; SourceArn?: string; SourceAccount?: string }) => lambda.send(new AddPermissionCommand({
      FunctionName: fn.FunctionName, StatementId, Action: 'lambda:InvokeFunction', Principal: 's3.amazonaws.com', ...extra,
    }));
    // No policy at all.
    await rejectsWith(put(), refused);
    // A policy for another service, another bucket or another account does not do.
    await allow('sns', { Principal: 'sns.amazonaws.com' });
    await allow('other-bucket', { SourceArn: 'arn:aws:s3:::some-other-bucket' });
    await allow('other-account', { SourceArn: `arn:aws:s3:::${Bucket}`, SourceAccount: '111122223333' });
    await rejectsWith(put(), refused);
    // Nothing was stored.
    const none = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket }));
    assert.equal(none.LambdaFunctionConfigurations, undefined);
    // S3 for this bucket (a wildcard SourceArn, as ArnLike allows) is accepted.
    await allow('s3', { SourceArn: `arn:aws:s3:::${Bucket.slice(0, 3)}*`, SourceAccount: '000000000000' });
    await put();
    const got = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket }));
    assert.equal(got.LambdaFunctionConfigurations?.[0]?.LambdaFunctionArn, arn);
    // Taking the permission away refuses the configuration again.
    await lambda.send(new RemovePermissionCommand({ FunctionName: fn.FunctionName, StatementId: 's3' }));
    await rejectsWith(put(), refused);
    // SkipDestinationValidation skips the check, as it skips the existence check.
    await s3.send(new PutBucketNotificationConfigurationCommand({
      Bucket, SkipDestinationValidation: true,
      NotificationConfiguration: { LambdaFunctionConfigurations: [{ LambdaFunctionArn: arn, Events: ['s3:ObjectCreated:*'] }] },
    }));
  });

  it('accepts an unconditioned s3.amazonaws.com permission', async () => {
    const s3 = s3Client(env.endpoint);
    const lambda = lambdaClient(env.endpoint);
    const Bucket = await createBucket(s3);
    const fn = await createFunction(lambda, {});
    await lambda.send(new AddPermissionCommand({ FunctionName: fn.FunctionName, StatementId: 's3', Action: 'lambda:InvokeFunction', Principal: 's3.amazonaws.com' }));
    await s3.send(new PutBucketNotificationConfigurationCommand({
      Bucket, NotificationConfiguration: { LambdaFunctionConfigurations: [{ LambdaFunctionArn: fn.FunctionArn, Events: ['s3:ObjectCreated:*'] }] },
    }));
    const got = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket }));
    assert.equal(got.LambdaFunctionConfigurations?.[0]?.LambdaFunctionArn, fn.FunctionArn);
  });
});
