// The seed's SQS code under boto3, unchanged, and the AWS CLI.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { awsCli, awsCliFails, boto3, hasAwsCli, hasBoto3, useFogbank } from '../support/fogbank.js';
import { uniqueName } from './support.js';

const env = useFogbank();

describe('SQS from boto3 and the AWS CLI', () => {
  it('runs the seed’s queue processing code with boto3', { skip: !hasBoto3 && 'needs python3 with boto3' }, async () => {
    const out = (await boto3(
      env.endpoint,
      `
import boto3, json, os
sqs = boto3.client('sqs')
dlq_url = sqs.create_queue(QueueName='${uniqueName('seed-dlq')}')['QueueUrl']
dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=['QueueArn'])['Attributes']['QueueArn']
QUEUE_URL = sqs.create_queue(QueueName='${uniqueName('seed')}', Attributes={
    'RedrivePolicy': json.dumps({'deadLetterTargetArn': dlq_arn, 'maxReceiveCount': '3'}),
    'VisibilityTimeout': '0',
})['QueueUrl']

# Send to SQS (from the seed)
def send_to_queue(message):
    response = sqs.send_message(
        QueueUrl=QUEUE_URL,
        MessageBody=json.dumps(message),
        MessageAttributes={
            'Priority': {
                'StringValue': 'high',
                'DataType': 'String'
            }
        }
    )
    return response['MessageId']

def process_message(message):
    if message.get('poison'):
        raise ValueError('cannot process')
    return {'status': 'processed', 'id': message['id']}

processed = []
def lambda_handler(event, context):
    for record in event['Records']:
        message_body = json.loads(record['body'])
        receipt_handle = record['receiptHandle']
        try:
            result = process_message(message_body)
            sqs.delete_message(QueueUrl=QUEUE_URL, ReceiptHandle=receipt_handle)
            processed.append(result['id'])
        except Exception as e:
            pass  # returns to the queue for retry; the DLQ takes it after max receives

first_id = send_to_queue({'id': 'single'})
send_to_queue({'id': 'bad', 'poison': True})

# Fan out in batches of ten (from the seed)
items = [{'id': f'item-{i}'} for i in range(25)]
entries = [{'Id': str(i), 'MessageBody': json.dumps(item)} for i, item in enumerate(items)]
failed = 0
for i in range(0, len(entries), 10):
    failed += len(sqs.send_message_batch(QueueUrl=QUEUE_URL, Entries=entries[i:i+10]).get('Failed', []))

attributes_seen = set()
for _ in range(20):
    resp = sqs.receive_message(QueueUrl=QUEUE_URL, MaxNumberOfMessages=10, MessageAttributeNames=['All'], AttributeNames=['All'])
    messages = resp.get('Messages', [])
    for m in messages:
        if 'MessageAttributes' in m:
            attributes_seen.add(m['MessageAttributes']['Priority']['StringValue'])
    lambda_handler({'Records': [{'body': m['Body'], 'receiptHandle': m['ReceiptHandle']} for m in messages]}, None)

dead = sqs.receive_message(QueueUrl=dlq_url, MaxNumberOfMessages=10, AttributeNames=['All'])['Messages']
sources = sqs.list_dead_letter_source_queues(QueueUrl=dlq_url)['queueUrls']
print(json.dumps({
    'processed': sorted(processed),
    'failed': failed,
    'priorities': sorted(attributes_seen),
    'dead': [json.loads(m['Body']) for m in dead],
    'dead_receives': dead[0]['Attributes']['ApproximateReceiveCount'],
    'sources_ok': sources == [QUEUE_URL],
    'first_id_is_uuid': len(first_id) == 36,
}))
`,
    )) as Record<string, unknown>;
    assert.deepEqual(out.processed, [...Array.from({ length: 25 }, (_, i) => `item-${i}`), 'single'].sort());
    assert.equal(out.failed, 0);
    assert.deepEqual(out.priorities, ['high']);
    assert.deepEqual(out.dead, [{ id: 'bad', poison: true }]);
    assert.equal(out.dead_receives, '4');
    assert.equal(out.sources_ok, true);
    assert.equal(out.first_id_is_uuid, true);
  });

  it('boto3 gets AWS’s error codes', { skip: !hasBoto3 && 'needs python3 with boto3' }, async () => {
    const out = (await boto3(
      env.endpoint,
      `
import boto3, json
from botocore.exceptions import ClientError
sqs = boto3.client('sqs')
errors = {}
try:
    sqs.get_queue_url(QueueName='missing-queue')
except sqs.exceptions.QueueDoesNotExist as e:
    errors['missing'] = [e.response['Error']['Code'], e.response['Error'].get('QueryErrorCode'), e.response['Error']['Message']]
url = sqs.create_queue(QueueName='${uniqueName('boto-errors')}')['QueueUrl']
try:
    sqs.send_message_batch(QueueUrl=url, Entries=[{'Id': 'a', 'MessageBody': 'x'}, {'Id': 'a', 'MessageBody': 'y'}])
except ClientError as e:
    errors['dup'] = [e.response['Error']['Code'], e.response['Error'].get('QueryErrorCode')]
try:
    sqs.delete_message(QueueUrl=url, ReceiptHandle='garbage')
except ClientError as e:
    errors['handle'] = [e.response['Error']['Code'], e.response['ResponseMetadata']['HTTPStatusCode']]
print(json.dumps(errors))
`,
    )) as Record<string, unknown[]>;
    assert.deepEqual(out.missing, ['AWS.SimpleQueueService.NonExistentQueue', 'QueueDoesNotExist', 'The specified queue does not exist.']);
    assert.deepEqual(out.dup, ['AWS.SimpleQueueService.BatchEntryIdsNotDistinct', 'BatchEntryIdsNotDistinct']);
    assert.deepEqual(out.handle, ['ReceiptHandleIsInvalid', 404]);
  });

  it('works from the AWS CLI', { skip: !hasAwsCli && 'needs the AWS CLI' }, async () => {
    const name = uniqueName('cli');
    const created = (await awsCli(env.endpoint, ['sqs', 'create-queue', '--queue-name', name, '--attributes', 'VisibilityTimeout=45'])).json as { QueueUrl: string };
    assert.equal(created.QueueUrl, `${env.endpoint}/000000000000/${name}`);
    const sent = (await awsCli(env.endpoint, ['sqs', 'send-message', '--queue-url', created.QueueUrl, '--message-body', 'from the cli'])).json as { MD5OfMessageBody: string };
    assert.equal(sent.MD5OfMessageBody, createHash('md5').update('from the cli').digest('hex'));
    const received = (await awsCli(env.endpoint, ['sqs', 'receive-message', '--queue-url', created.QueueUrl, '--attribute-names', 'All'])).json as {
      Messages: Array<{ Body: string; Attributes: Record<string, string> }>;
    };
    assert.equal(received.Messages[0]!.Body, 'from the cli');
    assert.equal(received.Messages[0]!.Attributes.ApproximateReceiveCount, '1');
    const attributes = (await awsCli(env.endpoint, ['sqs', 'get-queue-attributes', '--queue-url', created.QueueUrl, '--attribute-names', 'VisibilityTimeout'])).json;
    assert.deepEqual(attributes, { Attributes: { VisibilityTimeout: '45' } });
    const failure = await awsCliFails(env.endpoint, ['sqs', 'get-queue-url', '--queue-name', 'no-such-queue']);
    assert.match(failure.stderr, /AWS\.SimpleQueueService\.NonExistentQueue/);
  });
});
