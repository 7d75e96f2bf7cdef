// Test support: a Fogbank per test file, SDK client settings for it, and the external clients
// (AWS CLI, boto3) when the machine has them.

import { execFile, execFileSync } from 'node:child_process';
import { after, before } from 'node:test';
import { promisify } from 'node:util';
import { startFogbank, type Fogbank } from '../../src/index.js';

const run = promisify(execFile);

/** Starts one in-memory Fogbank for the enclosing test file and stops it afterwards. */
export function useFogbank(): { readonly fogbank: Fogbank; readonly endpoint: string } {
  let fogbank: Fogbank | undefined;
  before(async () => {
    fogbank = await startFogbank();
  });
  after(async () => {
    await fogbank?.stop();
  });
  return {
    get fogbank() {
      return fogbank!;
    },
    get endpoint() {
      return fogbank!.endpoint;
    },
  };
}

export const TEST_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

/** Settings for any AWS SDK v3 client. */
export function clientConfig(endpoint: string, region = 'us-east-1', credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } = TEST_CREDENTIALS) {
  return { endpoint, region, credentials, maxAttempts: 1 };
}

function available(command: string, args: string[]): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Whether boto3 can be imported by python3 (tests that need it skip otherwise). */
export const hasBoto3 = available('python3', ['-c', 'import boto3']);
/** Whether the AWS CLI is installed (tests that need it skip otherwise). */
export const hasAwsCli = available('aws', ['--version']);

const CLIENT_ENV = {
  ...process.env,
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_REGION: 'us-east-1',
  AWS_PAGER: '',
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
};

/** Runs the AWS CLI against Fogbank; returns parsed JSON output (or the text when not JSON). */
export async function awsCli(endpoint: string, args: string[], env: Record<string, string> = {}): Promise<{ json: unknown; stdout: string; stderr: string }> {
  const { stdout, stderr } = await run('aws', ['--endpoint-url', endpoint, '--output', 'json', ...args], { env: { ...CLIENT_ENV, ...env } });
  let json: unknown;
  try {
    json = stdout.trim() ? JSON.parse(stdout) : undefined;
  } catch {
    json = undefined;
  }
  return { json, stdout, stderr };
}

/** Runs the AWS CLI expecting failure; returns its exit code and stderr. */
export async function awsCliFails(endpoint: string, args: string[]): Promise<{ code: number; stderr: string }> {
  try {
    await run('aws', ['--endpoint-url', endpoint, ...args], { env: CLIENT_ENV });
  } catch (error) {
    const e = error as { code: number; stderr: string };
    return { code: e.code, stderr: e.stderr };
  }
  throw new Error(`aws ${args.join(' ')} succeeded but was expected to fail`);
}

/** Runs a Python script with boto3 pointed at Fogbank (AWS_ENDPOINT_URL); returns its stdout parsed as JSON. */
export async function boto3(endpoint: string, script: string): Promise<unknown> {
  const { stdout } = await run('python3', ['-c', script], { env: { ...CLIENT_ENV, AWS_ENDPOINT_URL: endpoint } });
  return JSON.parse(stdout);
}
