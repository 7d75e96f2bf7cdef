// Shared bits for the Secrets Manager tests: a client, unique names, and an assertion that a
// call fails with AWS's error code and message.

import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { clientConfig } from '../support/fogbank.js';
import { expectAwsError } from '../support/errors.js';

export function secretsClient(endpoint: string, region = 'us-east-1'): SecretsManagerClient {
  return new SecretsManagerClient(clientConfig(endpoint, region));
}

let counter = 0;
/** A name no other test in the file uses. */
export function uniqueName(prefix = 'secret'): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}`;
}

export const NOT_FOUND = "Secrets Manager can't find the specified secret.";
export const MARKED_FOR_DELETION = "You can't perform this operation on the secret because it was marked for deletion.";

/** The call fails with HTTP 400, this error code, and (when given) this exact message or pattern. */
export async function rejectsWith(call: Promise<unknown>, code: string, message?: string | RegExp): Promise<void> {
  await expectAwsError(call, { name: code, status: 400, message });
}

/** A request as a raw HTTP client sends it: no SDK filling in ClientRequestToken. */
export async function rawCall(endpoint: string, operation: string, body: Record<string, unknown>): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `secretsmanager.${operation}`,
      authorization: 'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/secretsmanager/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}
