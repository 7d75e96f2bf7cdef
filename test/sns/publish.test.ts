import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CreateTopicCommand, PublishBatchCommand, PublishCommand } from '@aws-sdk/client-sns';
import { useFogbank } from '../support/fogbank.js';
import { clients, drain, rejects, subscribeQueue } from './support.js';

const env = useFogbank();

describe('SNS Publish checks', () => {
  it('rejects bad messages, subjects and structures with AWS errors', async () => {
    const { sns } = clients(env.endpoint);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'checks' }));
    await rejects(sns.send(new PublishCommand({ TopicArn, Message: '' })), 'InvalidParameterException', 'Invalid parameter: Empty message');
    await rejects(sns.send(new PublishCommand({ TopicArn, Message: 'x'.repeat(262_145) })), 'InvalidParameterException', 'Invalid parameter: Message too long');
    assert.ok((await sns.send(new PublishCommand({ TopicArn, Message: 'x'.repeat(262_144) }))).MessageId);
    await rejects(sns.send(new PublishCommand({ TopicArn, Message: 'm', Subject: 'line\nbreak' })), 'InvalidParameterException', 'Invalid parameter: Subject');
    await rejects(sns.send(new PublishCommand({ TopicArn, Message: 'm', Subject: 's'.repeat(101) })), 'InvalidParameterException', 'Invalid parameter: Subject');
    await rejects(sns.send(new PublishCommand({ TopicArn, Message: 'm', Subject: '' })), 'InvalidParameterException', 'Invalid parameter: Subject');
    await rejects(sns.send(new PublishCommand({ TopicArn, Message: 'not json', MessageStructure: 'json' })), 'InvalidParameterException', 'Invalid parameter: Message Structure - JSON message body failed to parse');
    await rejects(sns.send(new PublishCommand({ TopicArn, Message: '{"sqs":"x"}', MessageStructure: 'json' })), 'InvalidParameterException', 'Invalid parameter: Message Structure - No default entry in JSON message body');
    await rejects(sns.send(new PublishCommand({ Message: 'm' })), 'InvalidParameterException', 'Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter');
    await rejects(sns.send(new PublishCommand({ TopicArn: 'arn:aws:sns:us-east-1:000000000000:gone', Message: 'm' })), 'NotFoundException', 'Topic does not exist');
    assert.ok((await sns.send(new PublishCommand({ PhoneNumber: '+15555550100', Message: 'sms' }))).MessageId);
  });

  it('rejects bad message attributes with InvalidParameterValue', async () => {
    const { sns } = clients(env.endpoint);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'attr-checks' }));
    const publish = (MessageAttributes: Record<string, { DataType: string; StringValue?: string; BinaryValue?: Uint8Array }>) => sns.send(new PublishCommand({ TopicArn, Message: 'm', MessageAttributes }));
    await rejects(publish({ a: { DataType: 'Text', StringValue: 'x' } }), 'InvalidParameterValueException', "The message attribute 'a' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.");
    await rejects(publish({ a: { DataType: 'String', StringValue: '' } }), 'InvalidParameterValueException', "The message attribute 'a' must contain non-empty message attribute value for message attribute type 'String'.");
    await rejects(publish({ a: { DataType: 'Binary', StringValue: 'x' } }), 'InvalidParameterValueException', "The message attribute 'a' with type 'Binary' must use field 'Binary'.");
    await rejects(publish({ '.a': { DataType: 'String', StringValue: 'x' } }), 'InvalidParameterValueException', "Invalid message attribute name starting with character '.' was found.");
    await rejects(publish({ 'a..b': { DataType: 'String', StringValue: 'x' } }), 'InvalidParameterValueException', "Message attribute name can not have successive '.' character.");
    await rejects(publish({ 'a b': { DataType: 'String', StringValue: 'x' } }), 'InvalidParameterValueException', /Invalid non-alphanumeric character '#x20'/);
    await rejects(publish({ n: { DataType: 'Number', StringValue: 'ten' } }), 'InvalidParameterValueException');
    assert.ok((await publish({ 'custom': { DataType: 'String.custom', StringValue: 'x' }, n: { DataType: 'Number', StringValue: '-1.5e3' } })).MessageId);
  });

  it('PublishBatch: successes, per-entry failures, and batch errors', async () => {
    const { sns, sqs } = clients(env.endpoint);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'batch' }));
    const q = await subscribeQueue(sns, sqs, TopicArn!, 'batch-q', { RawMessageDelivery: 'true' });
    const result = await sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: [
      { Id: 'ok1', Message: 'first' },
      { Id: 'bad', Message: 'x', Subject: 'a\nb' },
      { Id: 'ok2', Message: 'second', MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } } },
    ] }));
    assert.deepEqual(result.Successful!.map((s) => s.Id), ['ok1', 'ok2']);
    assert.deepEqual(result.Failed, [{ Id: 'bad', Code: 'InvalidParameter', Message: 'Invalid parameter: Subject', SenderFault: true }]);
    assert.deepEqual((await drain(sqs, q.url)).map((m) => m.Body).sort(), ['first', 'second']);
    const entries = (n: number) => Array.from({ length: n }, (_, i) => ({ Id: `e${i}`, Message: 'm' }));
    await rejects(sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: entries(11) })), 'TooManyEntriesInBatchRequestException', 'The batch request contains more entries than permissible.');
    await rejects(sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: [] })), 'EmptyBatchRequestException');
    await rejects(sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: [{ Id: 'a', Message: 'm' }, { Id: 'a', Message: 'n' }] })), 'BatchEntryIdsNotDistinctException', 'Two or more batch entries in the request have the same Id.');
    await rejects(sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: [{ Id: 'bad id!', Message: 'm' }] })), 'InvalidBatchEntryIdException');
    await rejects(sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: [{ Id: 'a', Message: 'x'.repeat(200_000) }, { Id: 'b', Message: 'x'.repeat(100_000) }] })), 'BatchRequestTooLongException');
    assert.equal((await sns.send(new PublishBatchCommand({ TopicArn, PublishBatchRequestEntries: entries(10) }))).Successful!.length, 10);
  });
});
