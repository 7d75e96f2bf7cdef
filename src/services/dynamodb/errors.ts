// DynamoDB's errors, with the codes and messages the real service sends. Most answer with
// __type "com.amazonaws.dynamodb.v20120810#<Code>" (the service's errorStyle); validation and
// serialization errors come from AWS's Coral framework and name it in their __type instead.

import { ServiceError } from '../../errors.js';
import type { AttributeMap } from './values.js';

const CORAL_VALIDATION = 'com.amazon.coral.validate#ValidationException';

export function validation(message: string): ServiceError {
  return new ServiceError('ValidationException', message, { fields: { __type: CORAL_VALIDATION } });
}

/** "One or more parameter values were invalid: ..." is how most of DynamoDB's semantic checks read. */
export function invalidParameter(detail: string): ServiceError {
  return validation(`One or more parameter values were invalid: ${detail}`);
}

export function resourceNotFound(message = 'Requested resource not found'): ServiceError {
  return new ServiceError('ResourceNotFoundException', message);
}

export function tableNotFound(name: string): ServiceError {
  return resourceNotFound(`Requested resource not found: Table: ${name} not found`);
}

export function resourceInUse(message: string): ServiceError {
  return new ServiceError('ResourceInUseException', message);
}

export function limitExceeded(message: string): ServiceError {
  return new ServiceError('LimitExceededException', message);
}

/** A failed condition; `item` is the old item when ReturnValuesOnConditionCheckFailure is ALL_OLD. */
export function conditionalCheckFailed(item?: AttributeMap): ServiceError {
  return new ServiceError('ConditionalCheckFailedException', 'The conditional request failed', { fields: item ? { Item: item } : {} });
}

export interface CancellationReason {
  Code: string;
  Message?: string;
  Item?: AttributeMap;
}

export function transactionCanceled(reasons: CancellationReason[]): ServiceError {
  const codes = reasons.map((r) => r.Code).join(', ');
  return new ServiceError('TransactionCanceledException', `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes}]`, {
    fields: { CancellationReasons: reasons },
  });
}

export function idempotentParameterMismatch(): ServiceError {
  return new ServiceError('IdempotentParameterMismatchException', 'Request has the same client token as a previous request, but different parameters.');
}
