import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CreateEventSourceMappingCommand, UpdateEventSourceMappingCommand } from '@aws-sdk/client-lambda';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { clientConfig, hasBoto3 } from '../support/fogbank.js';
import { createFunction, lambdaClient, uniqueName, useLambdaFogbank } from './support.js';

const env = useLambdaFogbank();
const sqs = () => new SQSClient(clientConfig(env.endpoint));

async function queue(attributes: Record<string, string> = {}): Promise<{ url: string; arn: string }> {
  const { QueueUrl } = await sqs().send(new CreateQueueCommand({ QueueName: uniqueName('q'), Attributes: attributes }));
  const { Attributes } = await sqs().send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  return { url: QueueUrl!, arn: Attributes!.QueueArn! };
}

/** A queue whose messages reappear after a second and go to a dead-letter queue on their second failure. */
async function queueWithDlq(): Promise<{ main: { url: string; arn: string }; dlq: { url: string; arn: string } }> {
  const dlq = await queue();
  const main = await queue({ VisibilityTimeout: '1', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 2 }) });
  return { main, dlq };
}

async function counts(url: string): Promise<{ visible: number; inFlight: number }> {
  const { Attributes } = await sqs().send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
  return { visible: Number(Attributes!.ApproximateNumberOfMessages), inFlight: Number(Attributes!.ApproximateNumberOfMessagesNotVisible) };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 25_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Receives bodies from a queue until `count` have arrived (bounded). */
async function drain(url: string, count: number): Promise<string[]> {
  const bodies: string[] = [];
  await until(`${count} messages`, async () => {
    const out = await sqs().send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    for (const m of out.Messages ?? []) bodies.push(m.Body!);
    return bodies.length >= count ? true : undefined;
  });
  return bodies;
}

// The seed's SQS handler; the seed omits `import os`, which it needs for QUEUE_URL.
const SEED_SQS_HANDLER = `import boto3
import json
import os

sqs = boto3.client('sqs')
QUEUE_URL = os.environ['QUEUE_URL']

def lambda_handler(event, context):
    """Process SQS messages in batch"""

    for record in event['Records']:
        message_body = json.loads(record['body'])
        receipt_handle = record['receiptHandle']

        try:
            # Process message
            result = process_message(message_body)

            # Delete message from queue after successful processing
            sqs.delete_message(
                QueueUrl=QUEUE_URL,
                ReceiptHandle=receipt_handle
            )

            print(f"Processed message: {result}")

        except Exception as e:
            # Message will return to queue for retry
            print(f"Error processing message: {str(e)}")
            # Optionally send to DLQ after max retries

def process_message(message):
    """Business logic for message processing"""
    # Your processing logic here
    return {'status': 'processed', 'id': message['id']}
`;

const CAPTURE_HANDLER = `import boto3, json, os
sqs = boto3.client('sqs')
def lambda_handler(event, context):
    sqs.send_message(QueueUrl=os.environ['CAPTURE_URL'], MessageBody=json.dumps(event))
`;

const python = (code: string, variables: Record<string, string>) => ({
  Runtime: 'python3.12' as const,
  Handler: 'lambda_function.lambda_handler',
  files: { 'lambda_function.py': code },
  Environment: { Variables: variables },
});

describe('event source mappings: SQS', () => {
  it('runs the seed handler on each message and empties the queue', { skip: !hasBoto3 && 'needs python3 with boto3' }, async () => {
    const q = await queue();
    const fn = await createFunction(lambdaClient(env.endpoint), python(SEED_SQS_HANDLER, { QUEUE_URL: q.url }));
    await lambdaClient(env.endpoint).send(new CreateEventSourceMappingCommand({ FunctionName: fn.FunctionName, EventSourceArn: q.arn }));
    for (const id of ['a1', 'a2', 'a3']) {
      await sqs().send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: JSON.stringify({ id }), MessageAttributes: { Priority: { StringValue: 'high', DataType: 'String' } } }));
    }
    const logs = new CloudWatchLogsClient(clientConfig(env.endpoint));
    const messages = await until('the function logs', async () => {
      const out = await logs.send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${fn.FunctionName}`, filterPattern: '"Processed message"' })).catch(() => undefined);
      const lines = (out?.events ?? []).map((e) => e.message!);
      return lines.length >= 3 ? lines : undefined;
    });
    for (const id of ['a1', 'a2', 'a3']) assert.ok(messages.some((m) => m.includes(`'id': '${id}'`)), `processed ${id}`);
    await until('an empty queue', async () => {
      const c = await counts(q.url);
      return c.visible === 0 && c.inFlight === 0 ? true : undefined;
    });
  });

  it("delivers AWS's SQS event shape", { skip: !hasBoto3 && 'needs python3 with boto3' }, async () => {
    const q = await queue();
    const capture = await queue();
    const fn = await createFunction(lambdaClient(env.endpoint), python(CAPTURE_HANDLER, { CAPTURE_URL: capture.url }));
    await lambdaClient(env.endpoint).send(new CreateEventSourceMappingCommand({ FunctionName: fn.FunctionName, EventSourceArn: q.arn, BatchSize: 1 }));
    const sent = await sqs().send(
      new SendMessageCommand({
        QueueUrl: q.url,
        MessageBody: 'hello',
        MessageAttributes: { Kind: { DataType: 'String', StringValue: 'greeting' }, Raw: { DataType: 'Binary', BinaryValue: Buffer.from([1, 2, 3]) } },
      }),
    );
    const [body] = await drain(capture.url, 1);
    const event = JSON.parse(body!) as { Records: Array<Record<string, any>> };
    assert.equal(event.Records.length, 1);
    const record = event.Records[0]!;
    assert.equal(record.messageId, sent.MessageId);
    assert.equal(record.body, 'hello');
    assert.equal(record.md5OfBody, sent.MD5OfMessageBody);
    assert.equal(typeof record.receiptHandle, 'string');
    assert.equal(record.eventSource, 'aws:sqs');
    assert.equal(record.eventSourceARN, q.arn);
    assert.equal(record.awsRegion, 'us-east-1');
    assert.equal(record.attributes.ApproximateReceiveCount, '1');
    assert.match(record.attributes.SentTimestamp, /^\d+$/);
    assert.match(record.attributes.ApproximateFirstReceiveTimestamp, /^\d+$/);
    assert.equal(typeof record.attributes.SenderId, 'string');
    assert.deepEqual(record.messageAttributes.Kind, { stringValue: 'greeting', stringListValues: [], binaryListValues: [], dataType: 'String' });
    assert.deepEqual(record.messageAttributes.Raw, { binaryValue: 'AQID', stringListValues: [], binaryListValues: [], dataType: 'Binary' });
    // Deleted after the function succeeded.
    await until('the message deleted', async () => {
      const c = await counts(q.url);
      return c.visible === 0 && c.inFlight === 0 ? true : undefined;
    });
  });

  it('leaves failed messages to reappear, and the queue redrives them to its DLQ', async () => {
    const { main, dlq } = await queueWithDlq();
    const fn = await createFunction(lambdaClient(env.endpoint), { Timeout: 1, files: { 'index.mjs': 'export const handler = async () => { throw new Error("nope"); };' } });
    await lambdaClient(env.endpoint).send(new CreateEventSourceMappingCommand({ FunctionName: fn.FunctionName, EventSourceArn: main.arn }));
    await sqs().send(new SendMessageCommand({ QueueUrl: main.url, MessageBody: 'doomed' }));
    assert.deepEqual(await drain(dlq.url, 1), ['doomed']);
    const c = await counts(main.url);
    assert.deepEqual(c, { visible: 0, inFlight: 0 });
  });

  it('keeps only the messages a ReportBatchItemFailures answer names', async () => {
    const { main, dlq } = await queueWithDlq();
    const code = `export const handler = async (event) => ({
      batchItemFailures: event.Records.filter((r) => r.body.startsWith('bad')).map((r) => ({ itemIdentifier: r.messageId })),
    });`;
    const fn = await createFunction(lambdaClient(env.endpoint), { Timeout: 1, files: { 'index.mjs': code } });
    await lambdaClient(env.endpoint).send(
      new CreateEventSourceMappingCommand({ FunctionName: fn.FunctionName, EventSourceArn: main.arn, FunctionResponseTypes: ['ReportBatchItemFailures'] }),
    );
    for (const body of ['good-1', 'bad-1', 'good-2', 'bad-2']) await sqs().send(new SendMessageCommand({ QueueUrl: main.url, MessageBody: body }));
    assert.deepEqual((await drain(dlq.url, 2)).sort(), ['bad-1', 'bad-2']);
    await until('an empty queue', async () => {
      const c = await counts(main.url);
      return c.visible === 0 && c.inFlight === 0 ? true : undefined;
    });
  });

  it('stops reading when the mapping is disabled', async () => {
    const q = await queue();
    const fn = await createFunction(lambdaClient(env.endpoint), {});
    const mapping = await lambdaClient(env.endpoint).send(new CreateEventSourceMappingCommand({ FunctionName: fn.FunctionName, EventSourceArn: q.arn }));
    await sqs().send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: 'first' }));
    await until('the first message consumed', async () => {
      const c = await counts(q.url);
      return c.visible === 0 && c.inFlight === 0 ? true : undefined;
    });
    await lambdaClient(env.endpoint).send(new UpdateEventSourceMappingCommand({ UUID: mapping.UUID, Enabled: false }));
    await sqs().send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: 'second' }));
    // The disabled mapping's last long poll hands back what it caught; the message stays for a client.
    const [body] = await drain(q.url, 1);
    assert.equal(body, 'second');
  });
});
