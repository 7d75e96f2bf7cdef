// EventBridge test helpers: clients for the shared Fogbank, and a queue to watch deliveries in.

import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { clientConfig } from '../support/fogbank.js';

export const ACCOUNT = '000000000000';

export function eventsClient(endpoint: string, region = 'us-east-1'): EventBridgeClient {
  return new EventBridgeClient(clientConfig(endpoint, region));
}

export { newQueue, unique } from '../support/queues.js';

/** Every message now in the queue (up to 10), bodies as text. */
export async function receive(sqs: SQSClient, url: string, wait = 0) {
  const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: wait, AttributeNames: ['All'] }));
  return Messages ?? [];
}
