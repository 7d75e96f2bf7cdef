// Amazon SQS: standard and FIFO queues with AWS's delivery semantics on Fogbank's clock —
// visibility timeouts, delays, retention, long polling without busy waiting, FIFO ordering per
// message group with five-minute deduplication, dead-letter queues and message move tasks —
// over the JSON protocol with query-compatible error codes. State is in the store (state.ts);
// a receive reads only the messages it returns, at any queue depth.
// Not yet:
// - The older query protocol's responses: the bundled SQS model is JSON-only, so form-encoded
//   requests decode without the query wire names (Attribute.N.Name, ...) and answer no result
//   element. Errors are right (code, wording).
// - A missing required member answers the generic ValidationException, not SQS's MissingParameter.
// - ReceiveRequestAttemptId (FIFO receive retries) is accepted and ignored.
// - SenderId is always the account id; AWS reports the IAM user or role id for non-root callers.
// - Policies, RedriveAllowPolicy across accounts and KMS settings are stored, not enforced;
//   messages are not encrypted. Cross-account access needs no permission.
// - Limits on in-flight messages (OverLimit) and throughput quotas are not enforced; a short poll
//   returns every visible message up to the maximum (AWS samples servers and may return fewer).
// - Changing a FIFO queue's DelaySeconds does not move messages already delayed.
// - MessageNotInflight is never answered: for a handle whose visibility timeout has passed AWS
//   answers success and changes nothing, and so does Fogbank.

import type { Handler, ServiceImplementation } from '../types.js';
import { createQueue } from './create-queue.js';
import { withJsonStatus } from './errors.js';
import { cancelMessageMoveTask, listMessageMoveTasks, startMessageMoveTask } from './move-tasks.js';
import {
  deleteQueue,
  getQueueAttributes,
  getQueueUrl,
  listDeadLetterSourceQueues,
  listQueues,
  purgeQueue,
  setQueueAttributes,
} from './queue-admin.js';
import { changeMessageVisibility, changeMessageVisibilityBatch, deleteMessage, deleteMessageBatch } from './receipts.js';
import { receiveMessage } from './receive.js';
import { sendMessage, sendMessageBatch } from './send.js';
import { addPermission, listQueueTags, removePermission, tagQueue, untagQueue } from './tags.js';

type Operation =
  | 'AddPermission'
  | 'CancelMessageMoveTask'
  | 'ChangeMessageVisibility'
  | 'ChangeMessageVisibilityBatch'
  | 'CreateQueue'
  | 'DeleteMessage'
  | 'DeleteMessageBatch'
  | 'DeleteQueue'
  | 'GetQueueAttributes'
  | 'GetQueueUrl'
  | 'ListDeadLetterSourceQueues'
  | 'ListMessageMoveTasks'
  | 'ListQueueTags'
  | 'ListQueues'
  | 'PurgeQueue'
  | 'ReceiveMessage'
  | 'RemovePermission'
  | 'SendMessage'
  | 'SendMessageBatch'
  | 'SetQueueAttributes'
  | 'StartMessageMoveTask'
  | 'TagQueue'
  | 'UntagQueue';

const handlers: Record<Operation, Handler> = {
  AddPermission: addPermission,
  CancelMessageMoveTask: cancelMessageMoveTask,
  ChangeMessageVisibility: changeMessageVisibility,
  ChangeMessageVisibilityBatch: changeMessageVisibilityBatch,
  CreateQueue: createQueue,
  DeleteMessage: deleteMessage,
  DeleteMessageBatch: deleteMessageBatch,
  DeleteQueue: deleteQueue,
  GetQueueAttributes: getQueueAttributes,
  GetQueueUrl: getQueueUrl,
  ListDeadLetterSourceQueues: listDeadLetterSourceQueues,
  ListMessageMoveTasks: listMessageMoveTasks,
  ListQueueTags: listQueueTags,
  ListQueues: listQueues,
  PurgeQueue: purgeQueue,
  ReceiveMessage: receiveMessage,
  RemovePermission: removePermission,
  SendMessage: sendMessage,
  SendMessageBatch: sendMessageBatch,
  SetQueueAttributes: setQueueAttributes,
  StartMessageMoveTask: startMessageMoveTask,
  TagQueue: tagQueue,
  UntagQueue: untagQueue,
};

/** Every handler answers 403/404-modelled errors as the JSON protocol does (see withJsonStatus). */
function withStatusRules(handler: Handler): Handler {
  return async (input, ctx) => {
    try {
      return await handler(input, ctx);
    } catch (error) {
      throw withJsonStatus(error, ctx.headers);
    }
  };
}

export const sqs: ServiceImplementation = {
  operations: Object.fromEntries(Object.entries(handlers).map(([name, handler]) => [name, withStatusRules(handler)])),
};
