// Amazon SNS: standard and FIFO topics with attributes and tags; subscriptions with filter
// policies (the shared pattern engine, on message attributes or the JSON body); Publish and
// PublishBatch with AWS's checks; fan-out to SQS (through SQS's own SendMessage, enveloped or raw,
// FIFO group and deduplication ids carried to FIFO queues), to Lambda (Invoke, Event) and to
// HTTP/S endpoints (SubscriptionConfirmation POST, SubscribeURL/UnsubscribeURL, notifications).
// Not yet:
// - Delivery to email, email-json, SMS, Firehose and mobile push (subscriptions are stored;
//   email subscriptions stay pending, since no mail carries their token).
// - HTTP/S retries follow the delivery policy's phases on Fogbank's clock, without AWS's jitter;
//   only the linear backoff is AWS's curve (arithmetic, geometric and exponential are
//   approximations). Pending retries do not survive a restart. throttlePolicy is not applied.
// - A failed SQS or Lambda delivery (the queue or function is gone) goes to the subscription's
//   dead-letter queue at once, as AWS does for client-side errors; Fogbank has no server-side
//   failures to retry.
// - The signing certificate at SigningCertURL is not served (signatures are real RSA signatures
//   by a key Fogbank makes at start). SubscribeURL and UnsubscribeURL carry Version=2010-03-31 so
//   Fogbank's edge routes an unsigned GET to SNS.
// - Platform applications and endpoints, SMS settings and sandbox, data protection policies,
//   AddPermission/RemovePermission, message archiving and replay (ArchivePolicy is stored).
// - Policies and KMS keys are stored, not enforced; filter-policy quotas per topic and account
//   (200 / 10,000) are not counted.

import type { Handler, ServiceImplementation } from '../types.js';
import { publish, publishBatch } from './publish.js';
import {
  confirmSubscription,
  getSubscriptionAttributes,
  listSubscriptions,
  listSubscriptionsByTopic,
  setSubscriptionAttributes,
  subscribe,
  unsubscribe,
} from './subscriptions.js';
import { listTagsForResource, tagResource, untagResource } from './tags.js';
import { createTopic, deleteTopic, getTopicAttributes, listTopics, setTopicAttributes } from './topics.js';

type Operation =
  | 'ConfirmSubscription'
  | 'CreateTopic'
  | 'DeleteTopic'
  | 'GetSubscriptionAttributes'
  | 'GetTopicAttributes'
  | 'ListSubscriptions'
  | 'ListSubscriptionsByTopic'
  | 'ListTagsForResource'
  | 'ListTopics'
  | 'Publish'
  | 'PublishBatch'
  | 'SetSubscriptionAttributes'
  | 'SetTopicAttributes'
  | 'Subscribe'
  | 'TagResource'
  | 'Unsubscribe'
  | 'UntagResource';

const handlers: Record<Operation, Handler> = {
  ConfirmSubscription: confirmSubscription,
  CreateTopic: createTopic,
  DeleteTopic: deleteTopic,
  GetSubscriptionAttributes: getSubscriptionAttributes,
  GetTopicAttributes: getTopicAttributes,
  ListSubscriptions: listSubscriptions,
  ListSubscriptionsByTopic: listSubscriptionsByTopic,
  ListTagsForResource: listTagsForResource,
  ListTopics: listTopics,
  Publish: publish,
  PublishBatch: publishBatch,
  SetSubscriptionAttributes: setSubscriptionAttributes,
  SetTopicAttributes: setTopicAttributes,
  Subscribe: subscribe,
  TagResource: tagResource,
  Unsubscribe: unsubscribe,
  UntagResource: untagResource,
};

export const sns: ServiceImplementation = { operations: handlers };
