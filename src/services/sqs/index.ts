// Amazon SQS: standard and FIFO queues with AWS's delivery semantics on Fogbank's clock —
// visibility timeouts, delays, retention, long polling without busy waiting, FIFO ordering per
// message group with five-minute deduplication, dead-letter queues and message move tasks —
// over the JSON protocol with query-compatible error codes, and over the older query protocol
// (form posts, to the endpoint or to a queue's URL, answered in XML) with the pre-JSON model's wire
// names (query-model.ts). State is in the store (state.ts); a receive reads only the messages it
// returns, at any queue depth.
// Not yet:
// - MissingParameter names the parameter as the client wrote it; for lists and maps on the query
//   protocol ("Attribute.Name") only SetQueueAttributes' form is confirmed.
// - InvalidAction on the query protocol says "not valid for this web service"; SQS says "for this
//   endpoint". A malformed number or base64 value in a form answers the codec's
//   SerializationException, and a message attribute sent without its Name is dropped; SQS's own
//   answers for those are unconfirmed.
// - ReceiveRequestAttemptId's form (up to 128 alphanumeric or punctuation characters) is not
//   checked; standard queues ignore it, as AWS documents.
// - SenderId is always the account id; AWS reports the IAM user or role id for non-root callers.
// - Policies, RedriveAllowPolicy across accounts and KMS settings are stored, not enforced;
//   messages are not encrypted. Cross-account access needs no permission.
// - Limits on in-flight messages (OverLimit) and throughput quotas are not enforced; a short poll
//   returns every visible message up to the maximum (AWS samples servers and may return fewer).
// - Changing a FIFO queue's DelaySeconds does not move messages already delayed.
// - MessageNotInflight is never answered: for a handle whose visibility timeout has passed AWS
//   answers success and changes nothing, and so does Fogbank.

import { ServiceError } from '../../errors.js';
import { queryParams } from '../../protocols/query.js';
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
import { SQS_QUERY_MODEL } from './query-model.js';
import { isQueryProtocol } from './queues.js';
import { receiveMessage } from './receive.js';
import { withRequiredParameters } from './required.js';
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

/**
 * Every handler answers 403/404-modelled errors as the JSON protocol does (see withJsonStatus);
 * on the query protocol SQS's <Error> ends with an empty <Detail/>.
 */
function withStatusRules(handler: Handler): Handler {
  return async (input, ctx) => {
    try {
      return await handler(input, ctx);
    } catch (error) {
      if (error instanceof ServiceError && isQueryProtocol(ctx)) {
        throw new ServiceError(error.code, error.message, { status: error.status, queryCode: error.queryCode, senderFault: error.senderFault, headers: error.headers, fields: { ...error.fields, Detail: '' } });
      }
      throw withJsonStatus(error, ctx.headers);
    }
  };
}

/** A queue's URL path: query clients may post there instead of naming the queue in QueueUrl. */
const QUEUE_PATH = /^\/\d{12}\/[^/]+\/?$/;

export const sqs: ServiceImplementation = {
  operations: Object.fromEntries(
    Object.entries(handlers).map(([name, handler]) => [name, withStatusRules(withRequiredParameters(name, handler))]),
  ),
  queryModel: SQS_QUERY_MODEL,
  validatesOwnInput: true,
  rewriteRequest(req) {
    if (req.headers['x-amz-target'] || !QUEUE_PATH.test(req.path)) return;
    const params = queryParams(req);
    if (!params.has('QueueUrl')) {
      const scheme = req.headers['x-forwarded-proto'] === 'https' ? 'https' : 'http';
      params.set('QueueUrl', `${scheme}://${req.headers['host'] || 'localhost:4566'}${req.path.replace(/\/$/, '')}`);
    }
  },
};
