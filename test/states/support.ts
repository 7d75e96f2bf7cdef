// Step Functions test helpers: a client, machine creation, and waiting for an execution to end
// (executions run in the background; Lambda tasks take real time to start their workers).

import { CreateStateMachineCommand, DescribeExecutionCommand, GetExecutionHistoryCommand, SFNClient, StartExecutionCommand, type DescribeExecutionCommandOutput, type HistoryEvent } from '@aws-sdk/client-sfn';
import { clientConfig } from '../support/fogbank.js';

export const ROLE = 'arn:aws:iam::000000000000:role/sfn-role';

export function sfnClient(endpoint: string): SFNClient {
  // StartSyncExecution carries the endpoint trait "sync-": offline, clients turn host prefixes off.
  return new SFNClient({ ...clientConfig(endpoint), disableHostPrefix: true });
}

let counter = 0;
export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid}-${++counter}`;
}

export async function createMachine(client: SFNClient, definition: unknown, type: 'STANDARD' | 'EXPRESS' = 'STANDARD', name = uniqueName('sm')): Promise<string> {
  const out = await client.send(new CreateStateMachineCommand({ name, definition: JSON.stringify(definition), roleArn: ROLE, type }));
  return out.stateMachineArn!;
}

/** Polls until the execution leaves RUNNING (or the deadline passes). */
export async function waitForEnd(client: SFNClient, executionArn: string, timeoutMs = 30000): Promise<DescribeExecutionCommandOutput> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const described = await client.send(new DescribeExecutionCommand({ executionArn }));
    if (described.status !== 'RUNNING' || Date.now() > deadline) return described;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Polls until the execution's history has an event of the given type. */
export async function waitForEvent(client: SFNClient, executionArn: string, type: string, timeoutMs = 30000): Promise<HistoryEvent[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const events = await history(client, executionArn);
    if (events.some((e) => e.type === type) || Date.now() > deadline) return events;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export async function history(client: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  const out = await client.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
  return out.events ?? [];
}

export async function run(client: SFNClient, stateMachineArn: string, input: unknown, name?: string): Promise<DescribeExecutionCommandOutput> {
  const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input), name }));
  return waitForEnd(client, executionArn!);
}
