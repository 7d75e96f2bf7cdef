// SNS's errors: the query protocol's codes with their HTTP statuses, and the "Invalid parameter"
// wording SNS puts in front of most validation messages.

import { ServiceError } from '../../errors.js';

export function invalidParameter(message: string): ServiceError {
  return new ServiceError('InvalidParameter', `Invalid parameter: ${message}`);
}

export function invalidParameterValue(message: string): ServiceError {
  return new ServiceError('ParameterValueInvalid', message);
}

export function topicNotFound(): ServiceError {
  return new ServiceError('NotFound', 'Topic does not exist', { status: 404 });
}

export function subscriptionNotFound(): ServiceError {
  return new ServiceError('NotFound', 'Subscription does not exist', { status: 404 });
}

export function resourceNotFound(): ServiceError {
  return new ServiceError('ResourceNotFound', 'Resource does not exist', { status: 404 });
}
