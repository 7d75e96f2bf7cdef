// Secrets Manager's errors, with the messages AWS sends. Every client error is HTTP 400.

import { ServiceError } from '../../errors.js';

export function secretNotFound(): ServiceError {
  return new ServiceError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
}

export function versionNotFound(selector: { versionId?: string; stage?: string }): ServiceError {
  const what = selector.versionId !== undefined ? `VersionId: ${selector.versionId}` : `staging label: ${selector.stage}`;
  return new ServiceError('ResourceNotFoundException', `Secrets Manager can't find the specified secret value for ${what}`);
}

/** Most operations on a secret that is scheduled for deletion. */
export function markedForDeletion(): ServiceError {
  return invalidRequest("You can't perform this operation on the secret because it was marked for deletion.");
}

/** DeleteSecret (without force) on a secret already scheduled for deletion. */
export function alreadyMarkedDeleted(): ServiceError {
  return invalidRequest("You tried to perform the operation on a secret that's currently marked deleted.");
}

export function invalidRequest(message: string): ServiceError {
  return new ServiceError('InvalidRequestException', message);
}

export function invalidParameter(message: string): ServiceError {
  return new ServiceError('InvalidParameterException', message);
}

export function resourceExists(message: string): ServiceError {
  return new ServiceError('ResourceExistsException', message);
}

export function invalidName(): ServiceError {
  return new ServiceError('ValidationException', 'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!');
}

export function missingClientRequestToken(): ServiceError {
  return invalidRequest('You must provide a ClientRequestToken value. We recommend a UUID-type value.');
}

export function tokenInUse(token: string, arn: string): ServiceError {
  return resourceExists(`You can't use ClientRequestToken ${token} because that value is already in use for a version of secret ${arn}.`);
}

export function invalidNextToken(): ServiceError {
  return new ServiceError('InvalidNextTokenException', 'The NextToken value is invalid.');
}

export function malformedPolicy(): ServiceError {
  return new ServiceError('MalformedPolicyDocumentException', 'This policy has invalid syntax.');
}
