import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateTopicCommand, DeleteTopicCommand, GetTopicAttributesCommand, ListTagsForResourceCommand, ListTopicsCommand,
  SetTopicAttributesCommand, SNSClient, TagResourceCommand, UntagResourceCommand,
} from '@aws-sdk/client-sns';
import { clientConfig, useFogbank } from '../support/fogbank.js';

const env = useFogbank();
const client = () => new SNSClient(clientConfig(env.endpoint));

async function rejects(promise: Promise<unknown>, name: string, message?: string | RegExp): Promise<void> {
  await assert.rejects(promise, (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(e.name, name);
    if (typeof message === 'string') assert.equal(e.message, message);
    else if (message) assert.match(e.message, message);
    return true;
  });
}

describe('SNS topics', () => {
  it('CreateTopic returns the ARN, is idempotent, and GetTopicAttributes reports the defaults', async () => {
    const sns = client();
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'orders', Attributes: { DisplayName: 'Orders' } }));
    assert.equal(TopicArn, 'arn:aws:sns:us-east-1:000000000000:orders');
    assert.equal((await sns.send(new CreateTopicCommand({ Name: 'orders', Attributes: { DisplayName: 'Orders' } }))).TopicArn, TopicArn);
    assert.equal((await sns.send(new CreateTopicCommand({ Name: 'orders' }))).TopicArn, TopicArn);
    const { Attributes } = await sns.send(new GetTopicAttributesCommand({ TopicArn }));
    assert.equal(Attributes!.DisplayName, 'Orders');
    assert.equal(Attributes!.Owner, '000000000000');
    assert.equal(Attributes!.TopicArn, TopicArn);
    assert.equal(Attributes!.SubscriptionsConfirmed, '0');
    assert.equal(Attributes!.SubscriptionsPending, '0');
    assert.equal(JSON.parse(Attributes!.Policy!).Statement[0].Resource, TopicArn);
    assert.ok(JSON.parse(Attributes!.EffectiveDeliveryPolicy!).http);
    assert.equal(Attributes!.FifoTopic, undefined);
  });

  it('CreateTopic with different attributes or tags for an existing name fails', async () => {
    const sns = client();
    await sns.send(new CreateTopicCommand({ Name: 'idem', Attributes: { DisplayName: 'A' }, Tags: [{ Key: 'k', Value: 'v' }] }));
    await rejects(sns.send(new CreateTopicCommand({ Name: 'idem', Attributes: { DisplayName: 'B' } })), 'InvalidParameterException', 'Invalid parameter: Attributes Reason: Topic already exists with different attributes');
    await rejects(sns.send(new CreateTopicCommand({ Name: 'idem', Tags: [{ Key: 'k', Value: 'other' }] })), 'InvalidParameterException', 'Invalid parameter: Tags Reason: Topic already exists with different tags');
  });

  it('FIFO topics need the .fifo suffix and report FifoTopic and ContentBasedDeduplication', async () => {
    const sns = client();
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'jobs.fifo', Attributes: { FifoTopic: 'true', ContentBasedDeduplication: 'true' } }));
    const { Attributes } = await sns.send(new GetTopicAttributesCommand({ TopicArn }));
    assert.equal(Attributes!.FifoTopic, 'true');
    assert.equal(Attributes!.ContentBasedDeduplication, 'true');
    await rejects(sns.send(new CreateTopicCommand({ Name: 'jobs', Attributes: { FifoTopic: 'true' } })), 'InvalidParameterException', /Fifo Topic names must end with .fifo/);
    await rejects(sns.send(new CreateTopicCommand({ Name: 'plain.fifo' })), 'InvalidParameterException', 'Invalid parameter: Topic Name');
    await rejects(
      sns.send(new CreateTopicCommand({ Name: 'std', Attributes: { ContentBasedDeduplication: 'true' } })),
      'InvalidParameterException',
      'Invalid parameter: ContentBasedDeduplication Reason: Content based deduplication can only be set for FIFO topics',
    );
  });

  it('rejects bad names and attribute names, and a missing topic is NotFound', async () => {
    const sns = client();
    await rejects(sns.send(new CreateTopicCommand({ Name: 'bad name!' })), 'InvalidParameterException', 'Invalid parameter: Topic Name');
    await rejects(sns.send(new CreateTopicCommand({ Name: 'x'.repeat(257) })), 'InvalidParameterException', 'Invalid parameter: Topic Name');
    await rejects(sns.send(new CreateTopicCommand({ Name: 'ok', Attributes: { Bogus: '1' } })), 'InvalidParameterException', 'Invalid parameter: AttributeName');
    await rejects(sns.send(new GetTopicAttributesCommand({ TopicArn: 'arn:aws:sns:us-east-1:000000000000:missing' })), 'NotFoundException', 'Topic does not exist');
    await rejects(sns.send(new GetTopicAttributesCommand({ TopicArn: 'not-an-arn' })), 'InvalidParameterException', 'Invalid parameter: TopicArn');
    assert.ok((await sns.send(new ListTopicsCommand({}))).Topics);
  });

  it('SetTopicAttributes changes a topic; FifoTopic cannot be changed', async () => {
    const sns = client();
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'settable' }));
    await sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'DisplayName', AttributeValue: 'New' }));
    assert.equal((await sns.send(new GetTopicAttributesCommand({ TopicArn }))).Attributes!.DisplayName, 'New');
    await rejects(sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'FifoTopic', AttributeValue: 'true' })), 'InvalidParameterException', 'Invalid parameter: AttributeName');
    await rejects(sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'Policy', AttributeValue: '{nope' })), 'InvalidParameterException');
    await rejects(sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'TracingConfig', AttributeValue: 'Sometimes' })), 'InvalidParameterException', 'Invalid parameter: Attributes Reason: Invalid tracing config value: Sometimes');
    await sns.send(new SetTopicAttributesCommand({ TopicArn, AttributeName: 'TracingConfig', AttributeValue: 'Active' }));
    assert.equal((await sns.send(new GetTopicAttributesCommand({ TopicArn }))).Attributes!.TracingConfig, 'Active');
  });

  it('ListTopics pages by 100 with NextToken; DeleteTopic removes (and is idempotent)', async () => {
    const sns = new SNSClient(clientConfig(env.endpoint, 'eu-west-2'));
    for (let i = 0; i < 105; i++) await sns.send(new CreateTopicCommand({ Name: `t-${String(i).padStart(3, '0')}` }));
    const first = await sns.send(new ListTopicsCommand({}));
    assert.equal(first.Topics!.length, 100);
    assert.ok(first.NextToken);
    const second = await sns.send(new ListTopicsCommand({ NextToken: first.NextToken }));
    assert.equal(second.Topics!.length, 5);
    assert.equal(second.NextToken, undefined);
    await rejects(sns.send(new ListTopicsCommand({ NextToken: 'garbage' })), 'InvalidParameterException');
    const arn = first.Topics![0]!.TopicArn!;
    await sns.send(new DeleteTopicCommand({ TopicArn: arn }));
    await sns.send(new DeleteTopicCommand({ TopicArn: arn }));
    await rejects(sns.send(new GetTopicAttributesCommand({ TopicArn: arn })), 'NotFoundException');
  });

  it('tags: TagResource, UntagResource, ListTagsForResource, and their errors', async () => {
    const sns = client();
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'tagged', Tags: [{ Key: 'team', Value: 'a' }] }));
    await sns.send(new TagResourceCommand({ ResourceArn: TopicArn, Tags: [{ Key: 'env', Value: 'dev' }, { Key: 'team', Value: 'b' }] }));
    assert.deepEqual((await sns.send(new ListTagsForResourceCommand({ ResourceArn: TopicArn }))).Tags, [{ Key: 'team', Value: 'b' }, { Key: 'env', Value: 'dev' }]);
    await sns.send(new UntagResourceCommand({ ResourceArn: TopicArn, TagKeys: ['team'] }));
    assert.deepEqual((await sns.send(new ListTagsForResourceCommand({ ResourceArn: TopicArn }))).Tags, [{ Key: 'env', Value: 'dev' }]);
    await rejects(sns.send(new ListTagsForResourceCommand({ ResourceArn: 'arn:aws:sns:us-east-1:000000000000:nope' })), 'ResourceNotFoundException', 'Resource does not exist');
    const many = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    await rejects(sns.send(new TagResourceCommand({ ResourceArn: TopicArn, Tags: many })), 'TagLimitExceededException');
    assert.equal((await sns.send(new ListTagsForResourceCommand({ ResourceArn: TopicArn }))).Tags!.length, 1);
  });
});
