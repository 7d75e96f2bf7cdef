// IAM's errors with the codes, HTTP statuses and messages IAM itself answers.

import { ServiceError } from '../../errors.js';

export const noSuchEntity = (message: string) => new ServiceError('NoSuchEntity', message, { status: 404 });
export const entityAlreadyExists = (message: string) => new ServiceError('EntityAlreadyExists', message, { status: 409 });
export const deleteConflict = (message: string) => new ServiceError('DeleteConflict', message, { status: 409 });
export const limitExceeded = (message: string) => new ServiceError('LimitExceeded', message, { status: 409 });
export const malformedPolicy = (message: string) => new ServiceError('MalformedPolicyDocument', message);
export const invalidInput = (message: string) => new ServiceError('InvalidInput', message);
export const validationError = (message: string) => new ServiceError('ValidationError', message);
export const accessDenied = (message: string) => new ServiceError('AccessDenied', message, { status: 403 });

export const roleNotFound = (name: string) => noSuchEntity(`The role with name ${name} cannot be found.`);
export const userNotFound = (name: string) => noSuchEntity(`The user with name ${name} cannot be found.`);
export const groupNotFound = (name: string) => noSuchEntity(`The group with name ${name} cannot be found.`);
export const instanceProfileNotFound = (name: string) => noSuchEntity(`Instance Profile ${name} cannot be found.`);
export const policyNotFound = (arn: string) => noSuchEntity(`Policy ${arn} was not found.`);
export const policyNotAttachable = (arn: string) => noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
export const policyVersionNotFound = (arn: string, version: string) =>
  noSuchEntity(`Policy ${arn} version ${version} does not exist or is not attachable.`);
export const invalidArn = (arn: string) => validationError(`ARN ${arn} is not valid.`);
export const accessKeyNotFound = (id: string) => noSuchEntity(`The Access Key with id ${id} cannot be found.`);
export const nonUserCredentials = () => validationError('Must specify userName when calling with non-User credentials');
