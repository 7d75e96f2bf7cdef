// EventBridge test helpers: clients for the shared Fogbank, and a queue to watch deliveries in.

import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { clientConfig } from '../support/fogbank.js';

export const ACCOUNT = '000000000000';

export function eventsClient(endpoint: string, region = 'us-east-1'): EventBridgeClient {
  return new EventBridgeClient(clientConfig(endpoint, region));
}

let counter = 0;
export function unique(prefix: string): string {
  return `${prefix}-${process.pid}-${++counter}`;
}

/** A new queue and its ARN. */
export async function newQueue(endpoint: string, name = unique('q'), attributes: Record<string, string> = {}) {
  const sqs = new SQSClient(clientConfig(endpoint));
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  return { sqs, url: QueueUrl!, arn: Attributes!.QueueArn! };
}

/** Every message now in the queue (up to 10), bodies as text. */
export async function receive(sqs: SQSClient, url: string, wait = 0) {
  const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: wait, AttributeNames: ['All'] }));
  return Messages ?? [];
}
