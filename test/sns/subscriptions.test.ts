import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ConfirmSubscriptionCommand, CreateTopicCommand, DeleteTopicCommand, GetSubscriptionAttributesCommand, GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand, ListSubscriptionsCommand, SetSubscriptionAttributesCommand, SubscribeCommand, UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import { useFogbank } from '../support/fogbank.js';
import { clients, rejects } from './support.js';

const env = useFogbank();
const QUEUE = 'arn:aws:sqs:us-east-1:000000000000:q1';

describe('SNS subscriptions', () => {
  it('Subscribe an SQS queue: confirmed at once, idempotent, with attributes', async () => {
    const { sns } = clients(env.endpoint);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'subs' }));
    const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: QUEUE }));
    assert.match(SubscriptionArn!, new RegExp(`^${TopicArn}:[0-9a-f-]{36}$`));
    assert.equal((await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: QUEUE }))).SubscriptionArn, SubscriptionArn);
    const { Attributes } = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }));
    assert.equal(Attributes!.Protocol, 'sqs');
    assert.equal(Attributes!.Endpoint, QUEUE);
    assert.equal(Attributes!.TopicArn, TopicArn);
    assert.equal(Attributes!.PendingConfirmation, 'false');
    assert.equal(Attributes!.RawMessageDelivery, 'false');
    assert.equal(Attributes!.Owner, '000000000000');
    assert.equal((await sns.send(new GetTopicAttributesCommand({ TopicArn }))).Attributes!.SubscriptionsConfirmed, '1');
    await rejects(sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: QUEUE, Attributes: { RawMessageDelivery: 'true' } })), 'InvalidParameterException', 'Invalid parameter: Attributes Reason: Subscription already exists with different attributes');
  });

  it('HTTP, email and Lambda subscriptions are stored; HTTP and email wait for confirmation', async () => {
    const { sns } = clients(env.endpoint);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'pending' }));
    assert.equal((await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'https', Endpoint: 'https://example.com/hook' }))).SubscriptionArn, 'pending confirmation');
    const email = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'email', Endpoint: 'a@example.com', ReturnSubscriptionArn: true }));
    assert.match(email.SubscriptionArn!, /^arn:aws:sns:/);
    assert.equal((await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: email.SubscriptionArn }))).Attributes!.PendingConfirmation, 'true');
    const lambda = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'lambda', Endpoint: 'arn:aws:lambda:us-east-1:000000000000:function:f' }));
    assert.match(lambda.SubscriptionArn!, /^arn:aws:sns:/);
    const { Subscriptions } = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
    assert.deepEqual(Subscriptions!.map((s) => [s.Protocol, s.SubscriptionArn === 'PendingConfirmation']).sort(), [['email', true], ['https', true], ['lambda', false]]);
    const attrs = (await sns.send(new GetTopicAttributesCommand({ TopicArn }))).Attributes!;
    assert.equal(attrs.SubscriptionsPending, '2');
    assert.equal(attrs.SubscriptionsConfirmed, '1');
    await rejects(sns.send(new ConfirmSubscriptionCommand({ TopicArn, Token: 'not-a-token' })), 'InvalidParameterException', 'Invalid parameter: Token');
  });

  it('rejects bad protocols and endpoints with AWS errors', async () => {
    const { sns } = clients(env.endpoint);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'bad-subs' }));
    await rejects(sns.send(new SubscribeCommand({ TopicArn, Protocol: 'carrier-pigeon', Endpoint: 'x' })), 'InvalidParameterException', 'Invalid parameter: Amazon SNS does not support this protocol string: carrier-pigeon');
    await rejects(sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: 'https://sqs.us-east-1.amazonaws.com/000000000000/q' })), 'InvalidParameterException', 'Invalid parameter: SQS endpoint ARN');
    await rejects(sns.send(new SubscribeCommand({ TopicArn, Protocol: 'lambda', Endpoint: 'f' })), 'InvalidParameterException', 'Invalid parameter: Lambda endpoint ARN');
    await rejects(sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: 'https://x' })), 'InvalidParameterException', 'Invalid parameter: Endpoint must match the specified protocol');
    await rejects(sns.send(new SubscribeCommand({ TopicArn, Protocol: 'email', Endpoint: 'nobody' })), 'InvalidParameterException', 'Invalid parameter: Email address');
    await rejects(sns.send(new SubscribeCommand({ TopicArn: 'arn:aws:sns:us-east-1:000000000000:none', Protocol: 'sqs', Endpoint: QUEUE })), 'NotFoundException', 'Topic does not exist');
    const { TopicArn: fifo } = await sns.send(new CreateTopicCommand({ Name: 'bad-subs.fifo', Attributes: { FifoTopic: 'true' } }));
    await rejects(sns.send(new SubscribeCommand({ TopicArn: fifo, Protocol: 'email', Endpoint: 'a@example.com' })), 'InvalidParameterException', 'Invalid parameter: Invalid protocol type: email');
    await rejects(sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: QUEUE, Attributes: { Colour: 'blue' } })), 'InvalidParameterException', 'Invalid parameter: Attributes Reason: Invalid attribute name: Colour');
    await rejects(sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: QUEUE, Attributes: { RawMessageDelivery: 'yes' } })), 'InvalidParameterException', 'Invalid parameter: Attributes Reason: RawMessageDelivery: Invalid value [yes]. Must be true or false.');
  });

  it('filter policy validation in SNS wording, on Subscribe and on SetSubscriptionAttributes', async () => {
    const { sns } = clients(env.endpoint);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'policy-checks' }));
    const sub = (FilterPolicy: unknown, extra: Record<string, string> = {}) =>
      sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: QUEUE, Attributes: { FilterPolicy: JSON.stringify(FilterPolicy), ...extra } }));
    await rejects(sub({ a: [{ numeric: ['<', 'x'] }] }), 'InvalidParameterException', 'Invalid parameter: Attributes Reason: FilterPolicy: Value of < must be numeric');
    await rejects(sub({ a: 'x' }), 'InvalidParameterException', 'Invalid parameter: Attributes Reason: FilterPolicy: "a" must be an object or an array');
    await rejects(sub({ a: [1], b: [1], c: [1], d: [1], e: [1], f: [1] }), 'InvalidParameterException', 'Invalid parameter: Attributes Reason: FilterPolicy: Filter policy can not have more than 5 keys');
    await rejects(sub({ a: Array.from({ length: 151 }, (_, i) => i) }), 'InvalidParameterException', 'Invalid parameter: Attributes Reason: FilterPolicy: Filter policy is too complex');
    await rejects(sub({ a: { b: ['x'] } }), 'InvalidParameterException', 'Invalid parameter: Attributes Reason: Filter policy scope MessageAttributes does not support nested filter policy');
    await rejects(sub({ a: ['x'] }, { FilterPolicyScope: 'Everything' }), 'InvalidParameterException', 'Invalid parameter: Attributes Reason: FilterPolicyScope: Invalid value [Everything]. Please use either MessageBody or MessageAttributes');
    await rejects(sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: QUEUE, Attributes: { FilterPolicy: '{oops' } })), 'InvalidParameterException', 'Invalid parameter: Attributes Reason: FilterPolicy: failed to parse JSON.');

    const { SubscriptionArn } = await sub({ a: { b: ['x'] } }, { FilterPolicyScope: 'MessageBody' });
    const attrs = (await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }))).Attributes!;
    assert.equal(attrs.FilterPolicyScope, 'MessageBody');
    await rejects(sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: 'FilterPolicy', AttributeValue: '{"a":[{"prefix":5}]}' })), 'InvalidParameterException', 'Invalid parameter: FilterPolicy: prefix match pattern must be a string');
    await rejects(sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: 'FilterPolicyScope', AttributeValue: 'MessageAttributes' })), 'InvalidParameterException', 'Invalid parameter: Filter policy scope MessageAttributes does not support nested filter policy');
    await rejects(sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: 'Bogus', AttributeValue: 'x' })), 'InvalidParameterException', 'Invalid parameter: AttributeName');
    await sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: 'FilterPolicy', AttributeValue: '{"a":["y"]}' }));
    assert.equal((await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }))).Attributes!.FilterPolicy, '{"a":["y"]}');
  });

  it('SetSubscriptionAttributes: RawMessageDelivery and RedrivePolicy', async () => {
    const { sns } = clients(env.endpoint);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'set-sub' }));
    const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: QUEUE }));
    await sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: 'RawMessageDelivery', AttributeValue: 'true' }));
    await sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: 'RedrivePolicy', AttributeValue: JSON.stringify({ deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:dlq' }) }));
    const attrs = (await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }))).Attributes!;
    assert.equal(attrs.RawMessageDelivery, 'true');
    assert.equal(JSON.parse(attrs.RedrivePolicy!).deadLetterTargetArn, 'arn:aws:sqs:us-east-1:000000000000:dlq');
    await rejects(sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: 'RedrivePolicy', AttributeValue: '{"deadLetterTargetArn":"nope"}' })), 'InvalidParameterException', 'Invalid parameter: RedrivePolicy: deadLetterTargetArn is an invalid arn');
    await rejects(sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName: 'RawMessageDelivery', AttributeValue: 'maybe' })), 'InvalidParameterException', 'Invalid parameter: RawMessageDelivery: Invalid value [maybe]. Must be true or false.');
  });

  it('Unsubscribe, ListSubscriptions, and missing subscriptions', async () => {
    const { sns } = clients(env.endpoint);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'unsub' }));
    const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: 'arn:aws:sqs:us-east-1:000000000000:unsub-q' }));
    assert.ok((await sns.send(new ListSubscriptionsCommand({}))).Subscriptions!.some((s) => s.SubscriptionArn === SubscriptionArn));
    await sns.send(new UnsubscribeCommand({ SubscriptionArn }));
    assert.ok(!(await sns.send(new ListSubscriptionsCommand({}))).Subscriptions!.some((s) => s.SubscriptionArn === SubscriptionArn));
    await rejects(sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn })), 'NotFoundException', 'Subscription does not exist');
    await rejects(sns.send(new UnsubscribeCommand({ SubscriptionArn: 'garbage' })), 'InvalidParameterException', 'Invalid parameter: SubscriptionArn');
    // Deleting a topic removes its subscriptions.
    const again = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: QUEUE }));
    await sns.send(new DeleteTopicCommand({ TopicArn }));
    await rejects(sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: again.SubscriptionArn })), 'NotFoundException');
  });

  it('ListSubscriptionsByTopic pages by 100', async () => {
    const { sns } = clients(env.endpoint);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'many-subs' }));
    for (let i = 0; i < 101; i++) await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: `arn:aws:sqs:us-east-1:000000000000:q${i}` }));
    const first = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
    assert.equal(first.Subscriptions!.length, 100);
    const second = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn, NextToken: first.NextToken }));
    assert.equal(second.Subscriptions!.length, 1);
    assert.equal(second.NextToken, undefined);
  });
});
