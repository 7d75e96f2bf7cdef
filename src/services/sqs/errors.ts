// SQS's errors as AWS answers them. SQS is query-compatible: the JSON protocol's __type names the
// Smithy shape (QueueDoesNotExist), while x-amzn-query-error and the query protocol carry the
// older code (AWS.SimpleQueueService.NonExistentQueue). The HTTP status is the one AWS models
// for the query code; see withJsonStatus for the JSON protocol's habit.

import { ServiceError } from '../../errors.js';

function sqsError(code: string, queryCode: string, message: string, status = 400): ServiceError {
  return new ServiceError(code, message, { status, queryCode, senderFault: true });
}

/** The query protocol words this one message differently. */
export function queueDoesNotExist(query = false): ServiceError {
  const message = query ? 'The specified queue does not exist for this wsdl version.' : 'The specified queue does not exist.';
  return sqsError('QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue', message);
}

export function queueNameExists(attribute: string): ServiceError {
  return sqsError('QueueNameExists', 'QueueAlreadyExists', `A queue already exists with the same name and a different value for attribute ${attribute}`);
}

export function queueDeletedRecently(): ServiceError {
  return sqsError(
    'QueueDeletedRecently',
    'AWS.SimpleQueueService.QueueDeletedRecently',
    'You must wait 60 seconds after deleting a queue before you can create another with the same name.',
  );
}

export function invalidParameterValue(message: string): ServiceError {
  return sqsError('InvalidParameterValueException', 'InvalidParameterValue', message);
}

/** "Value X for parameter P is invalid. Reason: R" — the form most SQS parameter errors take. */
export function invalidValue(value: unknown, parameter: string, reason: string): ServiceError {
  return invalidParameterValue(`Value ${String(value)} for parameter ${parameter} is invalid. Reason: ${reason}`);
}

export function missingParameter(name: string): ServiceError {
  return sqsError('MissingRequiredParameterException', 'MissingParameter', `The request must contain the parameter ${name}.`);
}

export function invalidAttributeName(message: string): ServiceError {
  return sqsError('InvalidAttributeName', 'InvalidAttributeName', message);
}

export function unknownAttribute(name: string): ServiceError {
  return invalidAttributeName(`Unknown Attribute ${name}.`);
}

export function invalidAttributeValue(name: string, reason?: string): ServiceError {
  return sqsError('InvalidAttributeValue', 'InvalidAttributeValue', `Invalid value for the parameter ${name}.${reason ? ` Reason: ${reason}` : ''}`);
}

export function invalidMessageContents(): ServiceError {
  return sqsError(
    'InvalidMessageContents',
    'InvalidMessageContents',
    'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF',
  );
}

export function receiptHandleIsInvalid(handle: string): ServiceError {
  return sqsError('ReceiptHandleIsInvalid', 'ReceiptHandleIsInvalid', `The input receipt handle "${handle}" is not a valid receipt handle.`, 404);
}

export function receiptHandleExpired(handle: string): ServiceError {
  return invalidValue(handle, 'ReceiptHandle', 'The receipt handle has expired.');
}

export function purgeQueueInProgress(queueName: string): ServiceError {
  return sqsError(
    'PurgeQueueInProgress',
    'AWS.SimpleQueueService.PurgeQueueInProgress',
    `Only one PurgeQueue operation on ${queueName} is allowed every 60 seconds.`,
    403,
  );
}

export function emptyBatchRequest(entryShape: string): ServiceError {
  return sqsError('EmptyBatchRequest', 'AWS.SimpleQueueService.EmptyBatchRequest', `There should be at least one ${entryShape} in the request.`);
}

export function tooManyEntriesInBatchRequest(count: number): ServiceError {
  return sqsError(
    'TooManyEntriesInBatchRequest',
    'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
    `Maximum number of entries per request are 10. You have sent ${count}.`,
  );
}

export function invalidBatchEntryId(): ServiceError {
  return sqsError(
    'InvalidBatchEntryId',
    'AWS.SimpleQueueService.InvalidBatchEntryId',
    'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
  );
}

export function batchEntryIdsNotDistinct(id: string): ServiceError {
  return sqsError('BatchEntryIdsNotDistinct', 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct', `Id ${id} repeated.`);
}

export function batchRequestTooLong(limit: number, sent: number): ServiceError {
  return sqsError(
    'BatchRequestTooLong',
    'AWS.SimpleQueueService.BatchRequestTooLong',
    `Batch requests cannot be longer than ${limit} bytes. You have sent ${sent} bytes.`,
  );
}

export function resourceNotFound(message: string): ServiceError {
  return sqsError('ResourceNotFoundException', 'ResourceNotFoundException', message, 404);
}

export function overLimit(message: string): ServiceError {
  return sqsError('OverLimit', 'OverLimit', message, 403);
}

/**
 * AWS answers 403/404-modelled errors with 400 on the JSON protocol unless the client asks for
 * query-compatible behaviour with x-amzn-query-mode (current SDKs, boto3 and the CLI all do).
 */
export function withJsonStatus(error: unknown, headers: Record<string, string>): unknown {
  if (!(error instanceof ServiceError) || error.status === 400 || error.status >= 500) return error;
  if (!headers['x-amz-target'] || headers['x-amzn-query-mode'] === 'true') return error;
  return new ServiceError(error.code, error.message, { status: 400, queryCode: error.queryCode, senderFault: error.senderFault, headers: error.headers, fields: error.fields });
}

/** The code a batch result entry reports for a failure: the query-protocol one, as AWS writes it. */
export function batchEntryCode(error: ServiceError): string {
  return error.queryCode ?? error.code;
}
