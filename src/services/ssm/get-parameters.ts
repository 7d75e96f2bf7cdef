// GetParameter and GetParameters: the latest version, or the one a ":version" / ":label"
// selector names, by name or ARN; SecureString values decrypted only on request.

import type * as SSM from '@aws-sdk/client-ssm';
import { ServiceError } from '../../errors.js';
import type { Handler } from '../types.js';
import { findParameterVersion } from './lookup.js';
import { isSecretReference, requireDecryption, secretParameter } from './secret-reference.js';
import { parameterView } from './views.js';

const NOT_FOUND = new Set(['ParameterNotFound', 'ParameterVersionNotFound']);

export const getParameter: Handler<SSM.GetParameterRequest, SSM.GetParameterResult> = async (input, ctx) => {
  if (isSecretReference(input.Name!)) {
    requireDecryption(input.WithDecryption);
    return { Parameter: await secretParameter(ctx, input.Name!) };
  }
  const { version, reference } = findParameterVersion(ctx, input.Name!);
  return { Parameter: parameterView(version, ctx, input.WithDecryption, reference.selector) };
};

export const getParameters: Handler<SSM.GetParametersRequest, SSM.GetParametersResult> = async (input, ctx) => {
  const names = [...new Set(input.Names!)];
  if (names.some(isSecretReference)) requireDecryption(input.WithDecryption);
  const found: SSM.Parameter[] = [];
  const invalid: string[] = [];
  for (const name of names) {
    try {
      if (isSecretReference(name)) {
        found.push(await secretParameter(ctx, name));
      } else {
        const { version, reference } = findParameterVersion(ctx, name);
        found.push(parameterView(version, ctx, input.WithDecryption, reference.selector));
      }
    } catch (error) {
      if (!(error instanceof ServiceError) || !NOT_FOUND.has(error.code)) throw error;
      invalid.push(name);
    }
  }
  return { Parameters: found, InvalidParameters: invalid };
};
