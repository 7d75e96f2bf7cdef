// Shared helpers for the SNS tests: SDK clients, error assertions, and an SQS queue subscribed to a topic.

import { SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { clientConfig } from '../support/fogbank.js';
import { expectAwsError } from '../support/errors.js';

export function clients(endpoint: string): { sns: SNSClient; sqs: SQSClient } {
  return { sns: new SNSClient(clientConfig(endpoint)), sqs: new SQSClient(clientConfig(endpoint)) };
}

export async function rejects(promise: Promise<unknown>, name: string, message?: string | RegExp): Promise<void> {
  await expectAwsError(promise, { name, message });
}

export async function queue(sqs: SQSClient, name: string, attributes: Record<string, string> = {}): Promise<{ url: string; arn: string }> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  return { url: QueueUrl!, arn: Attributes!.QueueArn! };
}

export async function subscribeQueue(sns: SNSClient, sqs: SQSClient, topicArn: string, name: string, attributes: Record<string, string> = {}, queueAttributes: Record<string, string> = {}) {
  const q = await queue(sqs, name, queueAttributes);
  const { SubscriptionArn } = await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: q.arn, Attributes: attributes }));
  return { ...q, subscriptionArn: SubscriptionArn! };
}

export async function drain(sqs: SQSClient, url: string): Promise<Message[]> {
  const out: Message[] = [];
  for (;;) {
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'], VisibilityTimeout: 60 }));
    if (!Messages?.length) return out;
    out.push(...Messages);
  }
}
