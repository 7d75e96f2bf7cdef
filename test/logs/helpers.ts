// Shared by the CloudWatch Logs tests: a client, a group with streams, error assertions, and the
// AWS CLI v2 (whose `logs tail` the v1 CLI lacks) when the machine has one.

import { execFileSync } from 'node:child_process';
import { dirname } from 'node:path';
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand, type InputLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import { clientConfig } from '../support/fogbank.js';
import { expectAwsError } from '../support/errors.js';

export function logsClient(endpoint: string, region = 'us-east-1'): CloudWatchLogsClient {
  return new CloudWatchLogsClient(clientConfig(endpoint, region));
}

let counter = 0;
/** A fresh name, so tests in one file never share a group. */
export function unique(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}

export async function createGroupWithStreams(client: CloudWatchLogsClient, group: string, streams: string[]): Promise<void> {
  await client.send(new CreateLogGroupCommand({ logGroupName: group }));
  for (const stream of streams) await client.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
}

export async function put(client: CloudWatchLogsClient, group: string, stream: string, logEvents: InputLogEvent[]) {
  return client.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents }));
}

/** Asserts that the promise fails with the AWS error code and (when given) message. */
export async function rejectsWith(promise: Promise<unknown>, code: string, message?: string | RegExp): Promise<void> {
  await expectAwsError(promise, { name: code, message });
}

function cliV2Dir(): string | undefined {
  for (const candidate of ['aws', '/usr/bin/aws', '/usr/local/bin/aws']) {
    try {
      const version = execFileSync(candidate, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      if (!version.startsWith('aws-cli/2')) continue;
      if (candidate.startsWith('/')) return dirname(candidate);
      return dirname(execFileSync('which', ['aws'], { encoding: 'utf8' }).trim());
    } catch {
      // not there
    }
  }
  return undefined;
}

/** The folder of an AWS CLI v2, put first on PATH so awsCli() runs it; undefined when none is installed. */
export const awsCliV2Dir = cliV2Dir();

export function cliV2Env(): Record<string, string> {
  return { PATH: `${awsCliV2Dir}:${process.env.PATH ?? ''}` };
}
