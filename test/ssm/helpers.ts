// Shared bits for the Parameter Store tests: a client for the file's Fogbank and an assertion
// that a call fails with AWS's error code (and message, where AWS's is known).

import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { clientConfig } from '../support/fogbank.js';
import { expectAwsError } from '../support/errors.js';

export function ssmClient(endpoint: string, region = 'us-east-1', credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }): SSMClient {
  return new SSMClient(clientConfig(endpoint, region, credentials));
}

export async function rejectsWith(call: Promise<unknown>, code: string, message?: string | RegExp): Promise<void> {
  await expectAwsError(call, { name: code, message });
}

/** After an error, the server still answers: a read of a missing parameter gives ParameterNotFound. */
export async function stillServes(ssm: SSMClient): Promise<void> {
  await rejectsWith(ssm.send(new GetParameterCommand({ Name: '/fogbank/still/serving' })), 'ParameterNotFound');
}

export const INVALID_NAME =
  'Parameter name: can\'t be prefixed with "ssm" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_';
