import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CreateTopicCommand, PublishBatchCommand, PublishCommand, SetTopicAttributesCommand } from '@aws-sdk/client-sns';
import { useFogbank } from '../support/fogbank.js';
import { clients, drain, rejects, subscribeQueue } from './support.js';

const env = useFogbank();

describe('SNS fan-out to SQS', () => {
  it('delivers the envelope exactly as AWS does, field by field', async () => {
    const { sns, sqs } = clients(env.endpoint);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'envelope' }));
    const a = await subscribeQueue(sns, sqs, TopicArn!, 'env-a');
    const b = await subscribeQueue(sns, sqs, TopicArn!, 'env-b');
    const { MessageId } = await sns.send(new PublishCommand({
      TopicArn, Message: 'hello', Subject: 'Greeting',
      MessageAttributes: { color: { DataType: 'String', StringValue: 'blue' }, size: { DataType: 'Number', StringValue: '3' }, blob: { DataType: 'Binary', BinaryValue: Buffer.from([1, 2, 3]) } },
    }));
    assert.match(MessageId!, /^[0-9a-f-]{36}$/);
    for (const q of [a, b]) {
      const messages = await drain(sqs, q.url);
      assert.equal(messages.length, 1);
      const body = JSON.parse(messages[0]!.Body!);
      assert.deepEqual(Object.keys(body), ['Type', 'MessageId', 'TopicArn', 'Subject', 'Message', 'Timestamp', 'SignatureVersion', 'Signature', 'SigningCertURL', 'UnsubscribeURL', 'MessageAttributes']);
      assert.equal(body.Type, 'Notification');
      assert.equal(body.MessageId, MessageId);
      assert.equal(body.TopicArn, TopicArn);
      assert.equal(body.Subject, 'Greeting');
      assert.equal(body.Message, 'hello');
      assert.match(body.Timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.equal(body.SignatureVersion, '1');
      assert.match(body.Signature, /^[A-Za-z0-9+/]+=*$/);
      assert.match(body.SigningCertURL, /^https:\/\/sns\.us-east-1\.amazonaws\.com\/SimpleNotificationService-.+\.pem$/);
      assert.ok(body.UnsubscribeURL.startsWith(`${env.endpoint}/?Action=Unsubscribe&SubscriptionArn=${q.subscriptionArn}`));
      assert.deepEqual(body.MessageAttributes, { color: { Type: 'String', Value: 'blue' }, size: { Type: 'Number', Value: '3' }, blob: { Type: 'Binary', Value: 'AQID' } });
      assert.equal(messages[0]!.MessageAttributes, undefined, 'enveloped delivery carries attributes in the body only');
    }
  });

  it('leaves Subject and MessageAttributes out when not given', async () => {
    const { sns, sqs } = clients(env.endpoint);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'bare' }));
    const q = await subscribeQueue(sns, sqs, TopicArn!, 'bare-q');
    await sns.send(new PublishCommand({ TopicArn, Message: 'x' }));
    const body = JSON.parse((await drain(sqs, q.url))[0]!.Body!);
    assert.equal('Subject' in body, false);
    assert.equal('MessageAttributes' in body, false);
  });

  it('raw message delivery sends the message and its attributes as SQS attributes', async () => {
    const { sns, sqs } = clients(env.endpoint);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'raw' }));
    const q = await subscribeQueue(sns, sqs, TopicArn!, 'raw-q', { RawMessageDelivery: 'true' });
    await sns.send(new PublishCommand({ TopicArn, Message: '{"k":1}', MessageAttributes: { a: { DataType: 'String', StringValue: 'x' }, b: { DataType: 'Binary', BinaryValue: Buffer.from('hi') } } }));
    const [message] = await drain(sqs, q.url);
    assert.equal(message!.Body, '{"k":1}');
    assert.deepEqual(message!.MessageAttributes!.a, { DataType: 'String', StringValue: 'x' });
    assert.equal(Buffer.from(message!.MessageAttributes!.b!.BinaryValue!).toString(), 'hi');
  });

  it('MessageStructure json sends the sqs key, else default', async () => {
    const { sns, sqs } = clients(env.endpoint);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'structured' }));
    const q = await subscribeQueue(sns, sqs, TopicArn!, 'structured-q', { RawMessageDelivery: 'true' });
    await sns.send(new PublishCommand({ TopicArn, MessageStructure: 'json', Message: JSON.stringify({ default: 'd', sqs: 'for sqs' }) }));
    await sns.send(new PublishCommand({ TopicArn, MessageStructure: 'json', Message: JSON.stringify({ default: 'only default', email: 'e' }) }));
    assert.deepEqual((await drain(sqs, q.url)).map((m) => m.Body).sort(), ['for sqs', 'only default']);
  });

  it('filter policies on message attributes: String, Number and String.Array', async () => {
    const { sns, sqs } = clients(env.endpoint);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'filtered' }));
    const policy = { store: ['example_corp'], event: [{ 'anything-but': 'order_cancelled' }], customer_interests: ['rugby', 'football', 'baseball'], price_usd: [{ numeric: ['>=', 100] }] };
    const q = await subscribeQueue(sns, sqs, TopicArn!, 'filtered-q', { FilterPolicy: JSON.stringify(policy), RawMessageDelivery: 'true' });
    const attrs = (over: Record<string, [string, string] | undefined>) => {
      const base: Record<string, [string, string] | undefined> = { store: ['String', 'example_corp'], event: ['String', 'order_placed'], customer_interests: ['String.Array', '["soccer", "rugby", "hockey"]'], price_usd: ['Number', '210.75'], ...over };
      return Object.fromEntries(Object.entries(base).filter(([, v]) => v).map(([k, v]) => [k, { DataType: v![0], StringValue: v![1] }]));
    };
    await sns.send(new PublishCommand({ TopicArn, Message: 'match', MessageAttributes: attrs({}) }));
    await sns.send(new PublishCommand({ TopicArn, Message: 'cancelled', MessageAttributes: attrs({ event: ['String', 'order_cancelled'] }) }));
    await sns.send(new PublishCommand({ TopicArn, Message: 'cheap', MessageAttributes: attrs({ price_usd: ['Number', '99'] }) }));
    await sns.send(new PublishCommand({ TopicArn, Message: 'no-store', MessageAttributes: attrs({ store: undefined }) }));
    await sns.send(new PublishCommand({ TopicArn, Message: 'chess', MessageAttributes: attrs({ customer_interests: ['String.Array', '["chess"]'] }) }));
    await sns.send(new PublishCommand({ TopicArn, Message: 'string-price', MessageAttributes: attrs({ price_usd: ['String', '210'] }) }));
    assert.deepEqual((await drain(sqs, q.url)).map((m) => m.Body), ['match']);
  });

  it('filter policies on the message body, nested, with FilterPolicyScope MessageBody', async () => {
    const { sns, sqs } = clients(env.endpoint);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'body-filtered' }));
    const policy = { patient: { age: [{ numeric: ['>', 60] }], name: [{ prefix: 'A' }] } };
    const q = await subscribeQueue(sns, sqs, TopicArn!, 'body-q', { FilterPolicy: JSON.stringify(policy), FilterPolicyScope: 'MessageBody', RawMessageDelivery: 'true' });
    await sns.send(new PublishCommand({ TopicArn, Message: JSON.stringify({ patient: { age: 70, name: 'Ada' } }) }));
    await sns.send(new PublishCommand({ TopicArn, Message: JSON.stringify({ patient: { age: 50, name: 'Ada' } }) }));
    await sns.send(new PublishCommand({ TopicArn, Message: 'not json' }));
    const bodies = (await drain(sqs, q.url)).map((m) => JSON.parse(m.Body!));
    assert.deepEqual(bodies, [{ patient: { age: 70, name: 'Ada' } }]);
  });

  it('a FIFO topic delivers to a FIFO queue in order with group ids, deduplicating within five minutes', async () => {
    const { sns, sqs } = clients(env.endpoint);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'orders.fifo', Attributes: { FifoTopic: 'true', ContentBasedDeduplication: 'true' } }));
    const q = await subscribeQueue(sns, sqs, TopicArn!, 'orders-q.fifo', {}, { FifoQueue: 'true' });
    const first = await sns.send(new PublishCommand({ TopicArn, Message: 'one', MessageGroupId: 'g1' }));
    const again = await sns.send(new PublishCommand({ TopicArn, Message: 'one', MessageGroupId: 'g1' }));
    assert.equal(again.MessageId, first.MessageId, 'a duplicate gets the first answer');
    assert.match(first.SequenceNumber!, /^\d{20}$/);
    const batch = await sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: [
      { Id: 'a', Message: 'two', MessageGroupId: 'g1' },
      { Id: 'b', Message: 'three', MessageGroupId: 'g1', MessageDeduplicationId: 'd3' },
    ] }));
    assert.equal(batch.Successful!.length, 2);
    assert.ok(BigInt(batch.Successful![0]!.SequenceNumber!) > BigInt(first.SequenceNumber!));
    const messages = await drain(sqs, q.url);
    const bodies = messages.map((m) => JSON.parse(m.Body!));
    assert.deepEqual(bodies.map((b) => b.Message), ['one', 'two', 'three']);
    assert.deepEqual(Object.keys(bodies[0]), ['Type', 'MessageId', 'SequenceNumber', 'TopicArn', 'Message', 'Timestamp', 'UnsubscribeURL']);
    assert.equal(bodies[0].SequenceNumber, first.SequenceNumber);
  });

  it('FIFO rules: group id required, dedup id or content-based, no dedup id on standard topics', async () => {
    const { sns } = clients(env.endpoint);
    const { TopicArn: fifo } = await sns.send(new CreateTopicCommand({ Name: 'strict.fifo', Attributes: { FifoTopic: 'true' } }));
    await rejects(sns.send(new PublishCommand({ TopicArn: fifo, Message: 'x', MessageDeduplicationId: 'd' })), 'InvalidParameterException', 'Invalid parameter: The MessageGroupId parameter is required for FIFO topics');
    await rejects(sns.send(new PublishCommand({ TopicArn: fifo, Message: 'x', MessageGroupId: 'g' })), 'InvalidParameterException', 'Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
    const { TopicArn: standard } = await sns.send(new CreateTopicCommand({ Name: 'loose' }));
    await rejects(sns.send(new PublishCommand({ TopicArn: standard, Message: 'x', MessageDeduplicationId: 'd' })), 'InvalidParameterException', /MessageDeduplicationId parameter that is not valid for this topic type/);
    assert.ok((await sns.send(new PublishCommand({ TopicArn: fifo, Message: 'x', MessageGroupId: 'g', MessageDeduplicationId: 'd' }))).SequenceNumber);
  });

  it('a failed delivery goes to the subscription dead-letter queue', async () => {
    const { sns, sqs } = clients(env.endpoint);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'to-dlq' }));
    const dlq = await subscribeQueue(sns, sqs, (await sns.send(new CreateTopicCommand({ Name: 'unused' }))).TopicArn!, 'sub-dlq');
    await sns.send(new (await import('@aws-sdk/client-sns')).SubscribeCommand({
      TopicArn, Protocol: 'sqs', Endpoint: 'arn:aws:sqs:us-east-1:000000000000:no-such-queue',
      Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }) },
    }));
    await sns.send(new PublishCommand({ TopicArn, Message: 'lost' }));
    const [message] = await drain(sqs, dlq.url);
    assert.equal(JSON.parse(message!.Body!).Message, 'lost');
  });

  it('the signature is a 2048-bit RSA signature, and SignatureVersion 2 is honoured', async () => {
    const { sns, sqs } = clients(env.endpoint);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'signed' }));
    const q = await subscribeQueue(sns, sqs, TopicArn!, 'signed-q');
    await sns.send(new PublishCommand({ TopicArn, Message: 'm', Subject: 's' }));
    const body = JSON.parse((await drain(sqs, q.url))[0]!.Body!);
    assert.equal(Buffer.from(body.Signature, 'base64').length, 256);
    await sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'SignatureVersion', AttributeValue: '2' }));
    await sns.send(new PublishCommand({ TopicArn, Message: 'm2' }));
    assert.equal(JSON.parse((await drain(sqs, q.url))[0]!.Body!).SignatureVersion, '2');
  });
});
