// An SQS queue to watch deliveries arrive in (EventBridge, Scheduler, S3 and SNS tests).

import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { clientConfig } from './fogbank.js';

let counter = 0;

/** A name no other test in this process uses. */
export function unique(prefix: string): string {
  return `${prefix}-${process.pid}-${++counter}`;
}

/** A new queue, its URL and its ARN. */
export async function newQueue(endpoint: string, name = unique('q'), attributes: Record<string, string> = {}) {
  const sqs = new SQSClient(clientConfig(endpoint));
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  return { sqs, url: QueueUrl!, arn: Attributes!.QueueArn! };
}
