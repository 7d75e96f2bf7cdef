// SQS over its older query protocol: form posts (to the endpoint or to a queue's URL, or an Action
// in the URL) answered in the XML SQS sent before JSON, with the old model's flattened lists, and
// errors as <ErrorResponse>. Raw signed requests pin the bytes; a botocore from before the JSON
// switch proves a real query client reads them (and checks the MD5 digests).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useFogbank } from '../support/fogbank.js';
import { jsonCall, rawRequest, SIGNED, type RawResponse } from '../support/http.js';
import { hasQueryBotocore, queryBotocore, uniqueName } from './support.js';

const env = useFogbank();
const NS = 'http://queue.amazonaws.com/doc/2012-11-05/';
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/** A signed form post, as query clients send it. */
function form(params: Record<string, string>, path = '/'): Promise<RawResponse> {
  return rawRequest(env.endpoint, {
    method: 'POST',
    path,
    headers: {
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      authorization: SIGNED('sqs'),
      'x-amz-date': '20261127T000000Z',
    },
    body: new URLSearchParams({ Version: '2012-11-05', ...params }).toString(),
  });
}

async function ok(params: Record<string, string>, path?: string): Promise<string> {
  const response = await form(params, path);
  assert.equal(response.status, 200, response.body);
  assert.match(String(response.headers['content-type']), /^text\/xml/);
  return response.body;
}

async function createQueue(extra: Record<string, string> = {}): Promise<{ url: string; path: string }> {
  const body = await ok({ Action: 'CreateQueue', QueueName: uniqueName('query'), ...extra });
  const url = /<QueueUrl>([^<]+)<\/QueueUrl>/.exec(body)![1]!;
  return { url, path: new URL(url).pathname };
}

function envelope(action: string, result: string): RegExp {
  return new RegExp(
    `^<${action}Response xmlns="${NS.replace(/\./g, '\\.')}">${result}<ResponseMetadata><RequestId>${UUID}</RequestId></ResponseMetadata></${action}Response>$`,
  );
}

function queryError(response: RawResponse, status: number, code: string, message: string): void {
  assert.equal(response.status, status, response.body);
  const escaped = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  assert.match(
    response.body,
    new RegExp(
      `^<ErrorResponse xmlns="${escaped(NS)}"><Error><Type>Sender</Type><Code>${escaped(code)}</Code><Message>${escaped(message)}</Message><Detail></Detail></Error><RequestId>${UUID}</RequestId></ErrorResponse>$`,
    ),
  );
}

describe('SQS query protocol', () => {
  it('CreateQueue, SendMessage and ReceiveMessage answer the old XML, lists flattened', async () => {
    const { url } = await createQueue({ 'Attribute.1.Name': 'VisibilityTimeout', 'Attribute.1.Value': '45', 'Tag.1.Key': 'team', 'Tag.1.Value': 'a' });
    const sent = await ok({
      Action: 'SendMessage',
      QueueUrl: url,
      MessageBody: 'hello',
      'MessageAttribute.1.Name': 'color',
      'MessageAttribute.1.Value.DataType': 'String',
      'MessageAttribute.1.Value.StringValue': 'blue',
      'MessageAttribute.2.Name': 'raw',
      'MessageAttribute.2.Value.DataType': 'Binary',
      'MessageAttribute.2.Value.BinaryValue': Buffer.from([0, 1, 2]).toString('base64'),
    });
    // MD5 of "hello", and of the attributes as AWS digests them.
    assert.match(
      sent,
      envelope(
        'SendMessage',
        `<SendMessageResult><MD5OfMessageBody>5d41402abc4b2a76b9719d911017c592</MD5OfMessageBody><MD5OfMessageAttributes>[0-9a-f]{32}</MD5OfMessageAttributes><MessageId>${UUID}</MessageId></SendMessageResult>`,
      ),
    );
    const messageId = /<MessageId>([^<]+)</.exec(sent)![1];

    const received = await ok({
      Action: 'ReceiveMessage',
      QueueUrl: url,
      'AttributeName.1': 'ApproximateReceiveCount',
      'MessageAttributeName.1': 'All',
      MaxNumberOfMessages: '10',
    });
    assert.match(
      received,
      envelope(
        'ReceiveMessage',
        `<ReceiveMessageResult><Message><MessageId>${messageId}</MessageId><ReceiptHandle>[^<]+</ReceiptHandle>` +
          '<MD5OfBody>5d41402abc4b2a76b9719d911017c592</MD5OfBody><Body>hello</Body>' +
          '<Attribute><Name>ApproximateReceiveCount</Name><Value>1</Value></Attribute>' +
          '<MD5OfMessageAttributes>[0-9a-f]{32}</MD5OfMessageAttributes>' +
          '<MessageAttribute><Name>color</Name><Value><StringValue>blue</StringValue><DataType>String</DataType></Value></MessageAttribute>' +
          '<MessageAttribute><Name>raw</Name><Value><BinaryValue>AAEC</BinaryValue><DataType>Binary</DataType></Value></MessageAttribute>' +
          '</Message></ReceiveMessageResult>',
      ),
    );

    const attributes = await ok({ Action: 'GetQueueAttributes', QueueUrl: url, 'AttributeName.1': 'VisibilityTimeout', 'AttributeName.2': 'QueueArn' });
    assert.match(
      attributes,
      envelope(
        'GetQueueAttributes',
        '<GetQueueAttributesResult><Attribute><Name>QueueArn</Name><Value>arn:aws:sqs:us-east-1:000000000000:[^<]+</Value></Attribute>' +
          '<Attribute><Name>VisibilityTimeout</Name><Value>45</Value></Attribute></GetQueueAttributesResult>',
      ),
    );
    const tags = await ok({ Action: 'ListQueueTags', QueueUrl: url });
    assert.match(tags, envelope('ListQueueTags', '<ListQueueTagsResult><Tag><Key>team</Key><Value>a</Value></Tag></ListQueueTagsResult>'));
  });

  it('ListQueues lists each QueueUrl as its own element; operations without output answer only metadata', async () => {
    const prefix = uniqueName('listing');
    const a = await ok({ Action: 'CreateQueue', QueueName: `${prefix}-a` });
    const b = await ok({ Action: 'CreateQueue', QueueName: `${prefix}-b` });
    const urls = [a, b].map((body) => /<QueueUrl>([^<]+)</.exec(body)![1]);
    const listed = await ok({ Action: 'ListQueues', QueueNamePrefix: prefix });
    assert.match(listed, envelope('ListQueues', `<ListQueuesResult><QueueUrl>${urls[0]}</QueueUrl><QueueUrl>${urls[1]}</QueueUrl></ListQueuesResult>`));
    const set = await ok({ Action: 'SetQueueAttributes', QueueUrl: urls[0]!, 'Attribute.1.Name': 'DelaySeconds', 'Attribute.1.Value': '5' });
    assert.match(set, envelope('SetQueueAttributes', ''));
  });

  it('batches: entries by their old wire names, failures as BatchResultErrorEntry', async () => {
    const { url } = await createQueue();
    const sent = await ok({
      Action: 'SendMessageBatch',
      QueueUrl: url,
      'SendMessageBatchRequestEntry.1.Id': 'one',
      'SendMessageBatchRequestEntry.1.MessageBody': 'first',
      'SendMessageBatchRequestEntry.2.Id': 'two',
      'SendMessageBatchRequestEntry.2.MessageBody': 'second',
      'SendMessageBatchRequestEntry.2.DelaySeconds': '901',
    });
    assert.match(
      sent,
      envelope(
        'SendMessageBatch',
        `<SendMessageBatchResult><SendMessageBatchResultEntry><Id>one</Id><MessageId>${UUID}</MessageId><MD5OfMessageBody>[0-9a-f]{32}</MD5OfMessageBody></SendMessageBatchResultEntry>` +
          '<BatchResultErrorEntry><Id>two</Id><SenderFault>true</SenderFault><Code>InvalidParameterValue</Code><Message>[^<]+</Message></BatchResultErrorEntry>' +
          '</SendMessageBatchResult>',
      ),
    );
    const received = await ok({ Action: 'ReceiveMessage', QueueUrl: url });
    const handle = /<ReceiptHandle>([^<]+)</.exec(received)![1]!;
    const deleted = await ok({
      Action: 'DeleteMessageBatch',
      QueueUrl: url,
      'DeleteMessageBatchRequestEntry.1.Id': 'a',
      'DeleteMessageBatchRequestEntry.1.ReceiptHandle': handle,
      'DeleteMessageBatchRequestEntry.2.Id': 'b',
      'DeleteMessageBatchRequestEntry.2.ReceiptHandle': 'not-a-handle',
    });
    assert.match(
      deleted,
      envelope(
        'DeleteMessageBatch',
        '<DeleteMessageBatchResult><DeleteMessageBatchResultEntry><Id>a</Id></DeleteMessageBatchResultEntry>' +
          '<BatchResultErrorEntry><Id>b</Id><SenderFault>true</SenderFault><Code>ReceiptHandleIsInvalid</Code>' +
          '<Message>The input receipt handle "not-a-handle" is not a valid receipt handle.</Message></BatchResultErrorEntry></DeleteMessageBatchResult>',
      ),
    );
  });

  it('a post to the queue URL, or an Action in the URL, names the queue without QueueUrl', async () => {
    const { path } = await createQueue();
    assert.match(await ok({ Action: 'SendMessage', MessageBody: 'by path' }, path), /<MD5OfMessageBody>/);
    const response = await rawRequest(env.endpoint, { path: `${path}?Action=ReceiveMessage&AttributeName.1=All` });
    assert.equal(response.status, 200, response.body);
    assert.match(response.body, /<Body>by path<\/Body>/);
    assert.match(response.body, /<Attribute><Name>SentTimestamp<\/Name><Value>\d+<\/Value><\/Attribute>/);
  });

  it('errors are <ErrorResponse> with the query code, and the server keeps answering', async () => {
    const { url, path } = await createQueue();
    queryError(await form({ Action: 'GetQueueUrl', QueueName: 'no-such-queue-here' }), 400, 'AWS.SimpleQueueService.NonExistentQueue', 'The specified queue does not exist for this wsdl version.');
    queryError(await form({ Action: 'SendMessage', QueueUrl: `${url}-gone`, MessageBody: 'x' }), 400, 'AWS.SimpleQueueService.NonExistentQueue', 'The specified queue does not exist for this wsdl version.');
    queryError(await form({ Action: 'SendMessage', QueueUrl: url }), 400, 'MissingParameter', 'The request must contain the parameter MessageBody.');
    queryError(await form({ Action: 'SendMessage', MessageBody: 'x' }), 400, 'MissingParameter', 'The request must contain the parameter QueueUrl.');
    queryError(await form({ Action: 'SetQueueAttributes', QueueUrl: url }), 400, 'MissingParameter', 'The request must contain the parameter Attribute.Name.');
    queryError(await form({ Action: 'SendMessageBatch', QueueUrl: url }), 400, 'AWS.SimpleQueueService.EmptyBatchRequest', 'There should be at least one SendMessageBatchRequestEntry in the request.');
    queryError(
      await form({ Action: 'DeleteMessage', ReceiptHandle: 'garbage' }, path),
      404,
      'ReceiptHandleIsInvalid',
      'The input receipt handle "garbage" is not a valid receipt handle.',
    );
    queryError(
      await form({ Action: 'SendMessage', QueueUrl: url, MessageBody: 'bad \u0001 char' }),
      400,
      'InvalidMessageContents',
      'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF',
    );
    assert.match(await ok({ Action: 'ListQueues' }), /<ListQueuesResponse/);
  });

  it('the JSON protocol answers a missing required member with MissingParameter too', async () => {
    const response = await jsonCall(env.endpoint, 'AmazonSQS.SendMessage', JSON.stringify({ MessageBody: 'x' }), {
      'content-type': 'application/x-amz-json-1.0',
      'x-amzn-query-mode': 'true',
    });
    assert.equal(response.status, 400);
    assert.equal(response.headers['x-amzn-query-error'], 'MissingParameter;Sender');
    const body = JSON.parse(response.body) as { __type: string; message: string };
    assert.match(body.__type, /MissingRequiredParameterException$/);
    assert.equal(body.message, 'The request must contain the parameter QueueUrl.');
    const missingName = await jsonCall(env.endpoint, 'AmazonSQS.GetQueueUrl', '{}', { 'content-type': 'application/x-amz-json-1.0' });
    assert.equal(missingName.status, 400);
    assert.equal((JSON.parse(missingName.body) as { message: string }).message, 'The request must contain the parameter QueueName.');
  });

  it('a query-protocol botocore (pre-JSON) round-trips messages, checks digests, and reads errors', { skip: !hasQueryBotocore && 'no query-protocol botocore here' }, async () => {
    const name = uniqueName('botoq');
    const result = (await queryBotocore(
      env.endpoint,
      `
url = sqs.create_queue(QueueName='${name}', Attributes={'VisibilityTimeout': '30'}, tags={'k': 'v'})['QueueUrl']
sqs.send_message(QueueUrl=url, MessageBody='one', MessageAttributes={'n': {'DataType': 'Number', 'StringValue': '42'}, 'b': {'DataType': 'Binary', 'BinaryValue': b'\\x00\\xff'}})
batch = sqs.send_message_batch(QueueUrl=url, Entries=[{'Id': str(i), 'MessageBody': 'm%d' % i} for i in range(10)])
got = []
while True:
    r = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, AttributeNames=['All'], MessageAttributeNames=['All'])
    msgs = r.get('Messages', [])
    if not msgs: break
    got += msgs
    d = sqs.delete_message_batch(QueueUrl=url, Entries=[{'Id': str(i), 'ReceiptHandle': m['ReceiptHandle']} for i, m in enumerate(msgs)])
    assert not d.get('Failed'), d
first = [m for m in got if m['Body'] == 'one'][0]
try:
    sqs.get_queue_url(QueueName='${name}-missing')
    err = None
except sqs.exceptions.QueueDoesNotExist as e:
    err = e.response['Error']
print(json.dumps({
  'sent': len(batch['Successful']),
  'bodies': sorted(m['Body'] for m in got),
  'attrs': {k: (v.get('StringValue') or list(v['BinaryValue'])) for k, v in first['MessageAttributes'].items()},
  'count': first['Attributes']['ApproximateReceiveCount'],
  'tags': sqs.list_queue_tags(QueueUrl=url)['Tags'],
  'listed': url in sqs.list_queues(QueueNamePrefix='${name}')['QueueUrls'],
  'error': err,
}))
`,
    )) as Record<string, unknown>;
    assert.equal(result.sent, 10);
    assert.deepEqual(result.bodies, ['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9', 'one']);
    assert.deepEqual(result.attrs, { n: '42', b: [0, 255] });
    assert.equal(result.count, '1');
    assert.deepEqual(result.tags, { k: 'v' });
    assert.equal(result.listed, true);
    assert.deepEqual(result.error, { Type: 'Sender', Code: 'AWS.SimpleQueueService.NonExistentQueue', Message: 'The specified queue does not exist for this wsdl version.', Detail: null });
  });

  it('every other operation works from the query-protocol botocore', { skip: !hasQueryBotocore && 'no query-protocol botocore here' }, async () => {
    const name = uniqueName('botoall');
    const result = (await queryBotocore(
      env.endpoint,
      `
def clean(r):
    r.pop('ResponseMetadata', None)
    return r
dlq = sqs.create_queue(QueueName='${name}-dlq')['QueueUrl']
dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=['QueueArn'])['Attributes']['QueueArn']
url = sqs.create_queue(QueueName='${name}', Attributes={'RedrivePolicy': json.dumps({'deadLetterTargetArn': dlq_arn, 'maxReceiveCount': 1})})['QueueUrl']
out = {}
sqs.add_permission(QueueUrl=url, Label='p', AWSAccountIds=['111111111111'], Actions=['SendMessage', 'ReceiveMessage'])
out['policy'] = json.loads(sqs.get_queue_attributes(QueueUrl=url, AttributeNames=['Policy'])['Attributes']['Policy'])['Statement'][0]['Action']
sqs.remove_permission(QueueUrl=url, Label='p')
sqs.tag_queue(QueueUrl=url, Tags={'a': '1', 'b': '2'})
sqs.untag_queue(QueueUrl=url, TagKeys=['a'])
out['tags'] = sqs.list_queue_tags(QueueUrl=url)['Tags']
sqs.send_message(QueueUrl=url, MessageBody='to move')
sqs.receive_message(QueueUrl=url, VisibilityTimeout=0)
sqs.receive_message(QueueUrl=url)
out['sources'] = sqs.list_dead_letter_source_queues(QueueUrl=dlq)['queueUrls'] == [url]
out['task'] = 'TaskHandle' in sqs.start_message_move_task(SourceArn=dlq_arn)
# The task moves messages in the background: wait (briefly) for it to finish, as a client would.
for _ in range(100):
    out['tasks'] = [t['Status'] for t in sqs.list_message_move_tasks(SourceArn=dlq_arn)['Results']]
    if out['tasks'] != ['RUNNING']: break
    time.sleep(0.02)
handle = sqs.receive_message(QueueUrl=url, VisibilityTimeout=30)['Messages'][0]['ReceiptHandle']
sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=handle, VisibilityTimeout=60)
out['visibility'] = clean(sqs.change_message_visibility_batch(QueueUrl=url, Entries=[{'Id': 'a', 'ReceiptHandle': handle, 'VisibilityTimeout': 10}, {'Id': 'b', 'ReceiptHandle': 'zz'}]))
sqs.delete_message(QueueUrl=url, ReceiptHandle=handle)
sqs.purge_queue(QueueUrl=url)
fifo = sqs.create_queue(QueueName='${name}.fifo', Attributes={'FifoQueue': 'true', 'ContentBasedDeduplication': 'true'})['QueueUrl']
out['sequence'] = sqs.send_message(QueueUrl=fifo, MessageBody='z', MessageGroupId='g')['SequenceNumber']
attrs = sqs.receive_message(QueueUrl=fifo, AttributeNames=['All'])['Messages'][0]['Attributes']
out['group'] = attrs['MessageGroupId']
page = sqs.list_queues(QueueNamePrefix='${name}', MaxResults=1)
out['page'] = [len(page['QueueUrls']), 'NextToken' in page]
try:
    sqs.cancel_message_move_task(TaskHandle='bad')
except Exception as e:
    out['cancel'] = e.response['Error']['Code']
sqs.delete_queue(QueueUrl=fifo)
print(json.dumps(out))
`,
    )) as Record<string, unknown>;
    assert.deepEqual(result.policy, ['SQS:SendMessage', 'SQS:ReceiveMessage']);
    assert.deepEqual(result.tags, { b: '2' });
    assert.equal(result.sources, true);
    assert.equal(result.task, true);
    assert.deepEqual(result.tasks, ['COMPLETED']);
    assert.deepEqual(result.visibility, {
      Successful: [{ Id: 'a' }],
      Failed: [{ Id: 'b', SenderFault: true, Code: 'ReceiptHandleIsInvalid', Message: 'The input receipt handle "zz" is not a valid receipt handle.' }],
    });
    assert.equal(result.sequence, '10000000000000000001');
    assert.equal(result.group, 'g');
    assert.deepEqual(result.page, [1, true]);
    assert.equal(result.cancel, 'InvalidParameterValue');
  });
});
