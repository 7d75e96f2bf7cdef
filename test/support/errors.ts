// The one assertion for "this call fails with AWS's error": name (the SDK's error class), wire
// code, HTTP status, message and extra fields, each checked only when given.

import assert from 'node:assert/strict';

export interface ExpectedAwsError {
  /** The SDK's error name (its modelled class, or the wire code for unmodelled errors). */
  name?: string;
  /** The wire code, where the SDK names the error differently (IAM, SQS's query codes). */
  code?: string;
  status?: number;
  message?: string | RegExp;
  /** Members AWS sends beside the message (S3's BucketName, Key ...). */
  fields?: Record<string, unknown>;
}

type AwsError = Error & { Code?: string; $metadata?: { httpStatusCode?: number } } & Record<string, unknown>;

export async function expectAwsError(call: Promise<unknown>, expected: ExpectedAwsError): Promise<AwsError> {
  let error: AwsError;
  try {
    await call;
  } catch (caught) {
    error = caught as AwsError;
    const seen = `${error.name}: ${error.message}`;
    if (expected.name !== undefined) assert.equal(error.name, expected.name, `expected ${expected.name}, got ${seen}`);
    if (expected.code !== undefined) assert.equal(error.Code, expected.code, `wire code (${seen})`);
    if (expected.status !== undefined) assert.equal(error.$metadata?.httpStatusCode, expected.status, `HTTP status (${seen})`);
    if (typeof expected.message === 'string') assert.equal(error.message, expected.message);
    else if (expected.message) assert.match(error.message, expected.message);
    for (const [k, v] of Object.entries(expected.fields ?? {})) assert.equal(String(error[k]), String(v), `field ${k}`);
    return error;
  }
  assert.fail(`expected ${expected.name ?? expected.code}, but the call succeeded`);
}
