// Lambda subscribers: SNS invokes the function asynchronously with AWS's SNS event.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateTopicCommand, PublishCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { AddPermissionCommand } from '@aws-sdk/client-lambda';
import { clientConfig } from '../support/fogbank.js';
import { createFunction, lambdaClient, useLambdaFogbank } from '../lambda/support.js';
import { clients, drain, queue } from './support.js';

const env = useLambdaFogbank();

/** As on AWS, the function's resource policy must let SNS invoke it for the topic. */
async function allowSns(functionName: string, sourceArn: string, StatementId = 'sns'): Promise<void> {
  await lambdaClient(env.endpoint).send(new AddPermissionCommand({ FunctionName: functionName, StatementId, Action: 'lambda:InvokeFunction', Principal: 'sns.amazonaws.com', SourceArn: sourceArn }));
}

async function loggedEvent(functionName: string): Promise<Record<string, unknown> | undefined> {
  const logs = new CloudWatchLogsClient(clientConfig(env.endpoint));
  for (let i = 0; i < 200; i++) {
    const { events } = await logs.send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${functionName}` })).catch(() => ({ events: [] }));
    const line = (events ?? []).map((e) => e.message!).find((m) => m.includes('SNS-EVENT '));
    if (line) return JSON.parse(line.slice(line.indexOf('SNS-EVENT ') + 10)) as Record<string, unknown>;
    await new Promise((r) => setTimeout(r, 50));
  }
  return undefined;
}

describe('SNS to Lambda', () => {
  it('invokes a subscribed function with the SNS event record', async () => {
    const fn = await createFunction(lambdaClient(env.endpoint), { files: { 'index.mjs': 'export const handler = async (e) => { console.log("SNS-EVENT " + JSON.stringify(e)); };' } });
    const { sns } = clients(env.endpoint);
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'to-lambda' }));
    await allowSns(fn.FunctionName!, TopicArn!);
    const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'lambda', Endpoint: fn.FunctionArn }));
    const { MessageId } = await sns.send(new PublishCommand({ TopicArn, Message: 'to the function', Subject: 'S', MessageAttributes: { a: { DataType: 'String', StringValue: 'b' } } }));
    const event = (await loggedEvent(fn.FunctionName!)) as { Records: Array<Record<string, any>> };
    assert.ok(event, 'the function ran');
    const [record] = event.Records;
    assert.equal(record!.EventSource, 'aws:sns');
    assert.equal(record!.EventVersion, '1.0');
    assert.equal(record!.EventSubscriptionArn, SubscriptionArn);
    const sns_ = record!.Sns;
    assert.equal(sns_.Type, 'Notification');
    assert.equal(sns_.MessageId, MessageId);
    assert.equal(sns_.TopicArn, TopicArn);
    assert.equal(sns_.Subject, 'S');
    assert.equal(sns_.Message, 'to the function');
    assert.equal(sns_.SignatureVersion, '1');
    assert.ok(sns_.Signature);
    assert.ok(sns_.SigningCertUrl);
    assert.ok(sns_.UnsubscribeUrl.includes('Action=Unsubscribe'));
    assert.deepEqual(sns_.MessageAttributes, { a: { Type: 'String', Value: 'b' } });
  });

  it('a function that does not exist sends the message to the subscription dead-letter queue', async () => {
    const { sns, sqs } = clients(env.endpoint);
    const dlq = await queue(sqs, 'lambda-dlq');
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'to-missing-lambda' }));
    await sns.send(new SubscribeCommand({
      TopicArn, Protocol: 'lambda', Endpoint: 'arn:aws:lambda:us-east-1:000000000000:function:nope',
      Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }) },
    }));
    await sns.send(new PublishCommand({ TopicArn, Message: 'undeliverable' }));
    const [message] = await drain(sqs, dlq.url);
    assert.equal(JSON.parse(message!.Body!).Message, 'undeliverable');
  });

  it("a function whose policy does not allow SNS for the topic is not invoked; the message is dead-lettered", async () => {
    const handler = 'export const handler = async (e) => { console.log("SNS-EVENT " + JSON.stringify(e)); };';
    const fn = await createFunction(lambdaClient(env.endpoint), { files: { 'index.mjs': handler } });
    const { sns, sqs } = clients(env.endpoint);
    const dlq = await queue(sqs, 'unauthorized-lambda-dlq');
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'to-unauthorized-lambda' }));
    // A permission for another topic does not do; Subscribe itself succeeds regardless.
    await allowSns(fn.FunctionName!, 'arn:aws:sns:us-east-1:000000000000:some-other-topic');
    await sns.send(new SubscribeCommand({
      TopicArn, Protocol: 'lambda', Endpoint: fn.FunctionArn,
      Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }) },
    }));
    await sns.send(new PublishCommand({ TopicArn, Message: 'not allowed' }));
    const [message] = await drain(sqs, dlq.url);
    assert.equal(JSON.parse(message!.Body!).Message, 'not allowed');
    const logs = new CloudWatchLogsClient(clientConfig(env.endpoint));
    const { events } = await logs.send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${fn.FunctionName}` })).catch(() => ({ events: [] }));
    assert.equal((events ?? []).some((e) => e.message!.includes('SNS-EVENT ')), false, 'the function must not run');

    // Once the policy allows SNS for this topic, the next message is delivered.
    await allowSns(fn.FunctionName!, TopicArn!, 'this-topic');
    await sns.send(new PublishCommand({ TopicArn, Message: 'allowed now' }));
    const event = (await loggedEvent(fn.FunctionName!)) as { Records: Array<Record<string, any>> };
    assert.ok(event, 'the function ran');
    assert.equal(event.Records[0]!.Sns.Message, 'allowed now');
  });
});
