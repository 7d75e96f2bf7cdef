import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { awsCli, awsCliFails, boto3, hasAwsCli, hasBoto3, useFogbank } from '../support/fogbank.js';
import { clients, drain } from './support.js';

const env = useFogbank();

describe('SNS from other clients', () => {
  it('boto3: the seed publish(TopicArn, Message, Subject) fans out to an SQS queue', { skip: !hasBoto3 && 'needs python3 with boto3' }, async () => {
    const out = (await boto3(env.endpoint, `
import boto3, json
sns = boto3.client('sns')
sqs = boto3.client('sqs')
topic = sns.create_topic(Name='seed-events')['TopicArn']
url = sqs.create_queue(QueueName='seed-q')['QueueUrl']
arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=['QueueArn'])['Attributes']['QueueArn']
sns.subscribe(TopicArn=topic, Protocol='sqs', Endpoint=arn)
res = sns.publish(TopicArn=topic, Message='user created', Subject='UserCreated')
body = json.loads(sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1)['Messages'][0]['Body'])
try:
    sns.publish(TopicArn=topic, Message='')
    err = None
except sns.exceptions.InvalidParameterException as e:
    err = e.response['Error']
print(json.dumps({'id': res['MessageId'], 'body': body, 'err': err, 'topics': len(sns.list_topics()['Topics'])}))
`)) as { id: string; body: Record<string, string>; err: { Code: string; Message: string; Type: string }; topics: number };
    assert.equal(out.body.MessageId, out.id);
    assert.equal(out.body.Subject, 'UserCreated');
    assert.equal(out.body.Message, 'user created');
    assert.deepEqual(out.err, { Type: 'Sender', Code: 'InvalidParameter', Message: 'Invalid parameter: Empty message' });
    assert.equal(out.topics, 1);
  });

  it('AWS CLI: create-topic, subscribe, publish with attributes, list, and an error', { skip: !hasAwsCli && 'needs the AWS CLI' }, async () => {
    const { sqs } = clients(env.endpoint);
    const topic = (await awsCli(env.endpoint, ['sns', 'create-topic', '--name', 'cli-topic'])).json as { TopicArn: string };
    assert.equal(topic.TopicArn, 'arn:aws:sns:us-east-1:000000000000:cli-topic');
    const queue = (await awsCli(env.endpoint, ['sqs', 'create-queue', '--queue-name', 'cli-q'])).json as { QueueUrl: string };
    await awsCli(env.endpoint, ['sns', 'subscribe', '--topic-arn', topic.TopicArn, '--protocol', 'sqs', '--notification-endpoint', 'arn:aws:sqs:us-east-1:000000000000:cli-q', '--attributes', 'RawMessageDelivery=true']);
    const published = (await awsCli(env.endpoint, ['sns', 'publish', '--topic-arn', topic.TopicArn, '--message', 'from cli', '--message-attributes', '{"k":{"DataType":"String","StringValue":"v"}}'])).json as { MessageId: string };
    assert.match(published.MessageId, /^[0-9a-f-]{36}$/);
    const [message] = await drain(sqs, queue.QueueUrl);
    assert.equal(message!.Body, 'from cli');
    assert.equal(message!.MessageAttributes!.k!.StringValue, 'v');
    const subs = (await awsCli(env.endpoint, ['sns', 'list-subscriptions-by-topic', '--topic-arn', topic.TopicArn])).json as { Subscriptions: Array<{ Protocol: string }> };
    assert.equal(subs.Subscriptions[0]!.Protocol, 'sqs');
    const failure = await awsCliFails(env.endpoint, ['sns', 'get-topic-attributes', '--topic-arn', 'arn:aws:sns:us-east-1:000000000000:missing']);
    assert.match(failure.stderr, /NotFound.*Topic does not exist/);
    const attrs = (await awsCli(env.endpoint, ['sns', 'get-topic-attributes', '--topic-arn', topic.TopicArn])).json as { Attributes: Record<string, string> };
    assert.equal(attrs.Attributes.SubscriptionsConfirmed, '1');
  });
});
