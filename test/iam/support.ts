// Shared pieces of the IAM tests: documents, an IAM client for the test's Fogbank, and an
// assertion that a call fails with IAM's error code, HTTP status and message.

import { IAMClient } from '@aws-sdk/client-iam';
import { clientConfig } from '../support/fogbank.js';
import { expectAwsError } from '../support/errors.js';

export const LAMBDA_TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

export function permissions(actions: string | string[], resource: string | string[] = '*'): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: resource }] });
}

export function iamClient(endpoint: string, credentials?: { accessKeyId: string; secretAccessKey: string }): IAMClient {
  return new IAMClient(clientConfig(endpoint, 'us-east-1', credentials));
}

/** IAM returns documents URL-encoded; the SDK v3 hands them over as they came. */
export function decoded(document: string | undefined): unknown {
  return JSON.parse(decodeURIComponent(document!));
}

/** Asserts the call fails with IAM's error code, HTTP status and (exact or matching) message. */
export async function rejectsWith(call: Promise<unknown>, code: string, status: number, message?: string | RegExp): Promise<void> {
  await expectAwsError(call, { code, status, message });
}
