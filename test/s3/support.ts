// Helpers for the S3 tests: a path-style client, unique bucket names, and an assertion for S3's
// XML errors (code, message, status and the extra elements S3 sends).

import { CreateBucketCommand, S3Client, type CreateBucketCommandInput } from '@aws-sdk/client-s3';
import { clientConfig } from '../support/fogbank.js';
import { expectAwsError } from '../support/errors.js';

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
  await expectAwsError(promise, { name: expected.code, status: expected.status, message: expected.message, fields: expected.fields });
}
