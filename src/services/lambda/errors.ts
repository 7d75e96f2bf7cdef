// Lambda's errors, with the status codes and messages AWS answers.

import { ServiceError } from '../../errors.js';

/** Lambda's error bodies carry Type (User or Service) beside the message. */
function lambdaError(code: string, message: string, status: number, type = 'User'): ServiceError {
  return new ServiceError(code, message, { status, fields: { Type: type } });
}

export function invalidParameter(message: string): ServiceError {
  return lambdaError('InvalidParameterValueException', message, 400);
}

export function functionNotFound(arn: string): ServiceError {
  return lambdaError('ResourceNotFoundException', `Function not found: ${arn}`, 404);
}

export function resourceNotFound(message: string): ServiceError {
  return lambdaError('ResourceNotFoundException', message, 404);
}

export function resourceConflict(message: string): ServiceError {
  return lambdaError('ResourceConflictException', message, 409);
}

export function requestTooLarge(limit: number, operation: string): ServiceError {
  return lambdaError('RequestTooLargeException', `Request must be smaller than ${limit} bytes for the ${operation} operation`, 413);
}

export function invalidRequestContent(message: string): ServiceError {
  return lambdaError('InvalidRequestContentException', message, 400);
}

export function tooManyRequests(reason: string): ServiceError {
  return new ServiceError('TooManyRequestsException', 'Rate Exceeded.', { status: 429, fields: { Type: 'User', Reason: reason } });
}

export function preconditionFailed(): ServiceError {
  return lambdaError('PreconditionFailedException', 'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id', 412);
}

/** IAM's refusal of a cross-account call that the function's resource policy does not allow. */
export function invokeDenied(callerArn: string, resource: string): ServiceError {
  return new ServiceError(
    'AccessDeniedException',
    `User: ${callerArn} is not authorized to perform: lambda:InvokeFunction on resource: ${resource} because no resource-based policy allows the lambda:InvokeFunction action`,
    { status: 403 },
  );
}
