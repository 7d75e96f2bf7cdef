// Helpers for the S3 tests: a path-style client, unique bucket names, and an assertion for S3's
// XML errors (code, message, status and the extra elements S3 sends).

import assert from 'node:assert/strict';
import { CreateBucketCommand, S3Client, type CreateBucketCommandInput } from '@aws-sdk/client-s3';
import { clientConfig } from '../support/fogbank.js';

export function s3Client(endpoint: string, region = 'us-east-1', credentials?: { accessKeyId: string; secretAccessKey: string }): S3Client {
  return new S3Client({ ...clientConfig(endpoint, region, credentials), forcePathStyle: true });
}

let counter = 0;

export function uniqueBucket(prefix = 'bkt'): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}`;
}

export async function createBucket(s3: S3Client, input: Partial<CreateBucketCommandInput> = {}): Promise<string> {
  const Bucket = input.Bucket ?? uniqueBucket();
  await s3.send(new CreateBucketCommand({ ...input, Bucket }));
  return Bucket;
}

export interface ExpectedS3Error {
  code: string;
  status: number;
  message?: string | RegExp;
  /** Extra elements of the error document (the SDK exposes them on the error). */
  fields?: Record<string, unknown>;
}

export async function rejectsWith(promise: Promise<unknown>, expected: ExpectedS3Error): Promise<void> {
  await assert.rejects(promise, (error: Error & { $metadata?: { httpStatusCode?: number }; Code?: string } & Record<string, unknown>) => {
    assert.equal(error.name, expected.code, `${error.name}: ${error.message}`);
    assert.equal(error.$metadata?.httpStatusCode, expected.status);
    if (typeof expected.message === 'string') assert.equal(error.message, expected.message);
    else if (expected.message) assert.match(error.message, expected.message);
    for (const [k, v] of Object.entries(expected.fields ?? {})) assert.equal(String(error[k]), String(v), `field ${k}`);
    return true;
  });
}
