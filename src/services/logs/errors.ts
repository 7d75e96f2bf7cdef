// CloudWatch Logs' errors, with the codes and messages AWS answers.

import { ServiceError } from '../../errors.js';

export function invalidParameter(message: string): ServiceError {
  return new ServiceError('InvalidParameterException', message);
}

export function groupNotFound(): ServiceError {
  return new ServiceError('ResourceNotFoundException', 'The specified log group does not exist.');
}

export function streamNotFound(): ServiceError {
  return new ServiceError('ResourceNotFoundException', 'The specified log stream does not exist.');
}

export function resourceNotFound(message: string): ServiceError {
  return new ServiceError('ResourceNotFoundException', message);
}

export function alreadyExists(what: 'log group' | 'log stream'): ServiceError {
  // AWS writes these two without a closing period, unlike the not-found messages.
  return new ServiceError('ResourceAlreadyExistsException', `The specified ${what} already exists`);
}

export function limitExceeded(): ServiceError {
  return new ServiceError('LimitExceededException', 'Resource limit exceeded.');
}

export function invalidToken(): ServiceError {
  return invalidParameter('The specified nextToken is invalid.');
}
