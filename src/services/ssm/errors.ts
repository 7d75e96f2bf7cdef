// Parameter Store's errors, with the codes and messages AWS answers.

import { ServiceError } from '../../errors.js';

export function validation(message: string): ServiceError {
  return new ServiceError('ValidationException', message);
}

export function parameterNotFound(name: string): ServiceError {
  return new ServiceError('ParameterNotFound', `Parameter ${name} not found.`);
}

export function versionNotFound(name: string, version: number | string): ServiceError {
  return new ServiceError('ParameterVersionNotFound', `Systems Manager could not find version ${version} of ${name}. Verify the version and try again.`);
}

export function alreadyExists(): ServiceError {
  return new ServiceError('ParameterAlreadyExists', 'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.');
}

/** AWS's answer for a name with characters or slashes it does not allow (the text is AWS's, odd as it reads). */
export function invalidName(): ServiceError {
  return validation(
    'Parameter name: can\'t be prefixed with "ssm" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_',
  );
}

export function invalidPath(): ServiceError {
  return validation(
    'Parameter path: can\'t be prefixed with "aws" or "ssm" (case-insensitive) except global parameter name path prefixed with "aws" (case-sensitive). It should always begin with / symbol.It consists of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_',
  );
}

export function hierarchyTooDeep(): ServiceError {
  return new ServiceError(
    'HierarchyLevelLimitExceededException',
    'A hierarchy can have a maximum of 15 levels. For more information, see Requirements and constraints for parameter names in the AWS Systems Manager User Guide.',
  );
}

export function invalidNextToken(): ServiceError {
  return new ServiceError('InvalidNextToken', 'The specified token is not valid.');
}

export function invalidResourceId(): ServiceError {
  return new ServiceError('InvalidResourceId', 'Invalid Resource Id');
}

export function invalidFilterKey(message: string): ServiceError {
  return new ServiceError('InvalidFilterKey', message);
}

export function invalidFilterOption(message: string): ServiceError {
  return new ServiceError('InvalidFilterOption', message);
}

export function invalidFilterValue(message: string): ServiceError {
  return new ServiceError('InvalidFilterValue', message);
}
