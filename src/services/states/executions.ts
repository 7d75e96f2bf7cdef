// Executions: start (Standard in the background, Express synchronously too), describe, list, stop.

import type * as SFN from '@aws-sdk/client-sfn';
import { randomUUID } from 'node:crypto';
import { ServiceError } from '../../errors.js';
import { paginate } from '../common/pagination.js';
import type { Handler } from '../types.js';
import { invalidToken } from './machines.js';
import { abortRun, startRun } from './runs.js';
import { checkName, executionArn, flushWrites, executionByArn, executions, machineByArn, type ExecutionRecord } from './state.js';

function parseInput(input: string | undefined): string {
  const text = input ?? '{}';
  try {
    JSON.parse(text);
  } catch {
    throw new ServiceError('InvalidExecutionInput', `Invalid State Machine Execution Input: 'Unexpected character: ${text.slice(0, 1)}'`);
  }
  return text;
}

function newRecord(arn: string, name: string, machineArn: string, machineName: string, input: string, now: number): ExecutionRecord {
  return { arn, name, machineArn, machineName, status: 'RUNNING', input, startDate: now, eventCount: 0 };
}

export const startExecution: Handler<SFN.StartExecutionInput, SFN.StartExecutionOutput> = (input, ctx) => {
  const machine = machineByArn(ctx, input.stateMachineArn!);
  const name = input.name ?? randomUUID();
  checkName(name);
  const text = parseInput(input.input);
  if (machine.type === 'EXPRESS') {
    // Express executions keep no history here (AWS sends it to CloudWatch Logs only).
    const arn = executionArn(ctx, machine.name, `${name}:${randomUUID()}`, true);
    const now = ctx.clock.now();
    void startRun(ctx, machine, newRecord(arn, name, machine.arn, machine.name, text, now), false);
    return { executionArn: arn, startDate: new Date(now) };
  }
  const key = `${machine.name}:${name}`;
  flushWrites(ctx.store);
  const existing = executions(ctx).get(key);
  if (existing) {
    // Same name and input while it runs: AWS answers with the running execution (idempotency).
    if (existing.status === 'RUNNING' && existing.input === text) return { executionArn: existing.arn, startDate: new Date(existing.startDate) };
    throw new ServiceError('ExecutionAlreadyExists', `Execution Already Exists: '${existing.arn}'`);
  }
  const record = newRecord(executionArn(ctx, machine.name, name), name, machine.arn, machine.name, text, ctx.clock.now());
  executions(ctx).put(key, record);
  void startRun(ctx, machine, record, true);
  return { executionArn: record.arn, startDate: new Date(record.startDate) };
};

export const startSyncExecution: Handler<SFN.StartSyncExecutionInput, SFN.StartSyncExecutionOutput> = async (input, ctx) => {
  const machine = machineByArn(ctx, input.stateMachineArn!);
  if (machine.type !== 'EXPRESS') throw new ServiceError('StateMachineTypeNotSupported', 'This operation is not supported by this type of state machine');
  const name = input.name ?? randomUUID();
  checkName(name);
  const text = parseInput(input.input);
  const arn = executionArn(ctx, machine.name, `${name}:${randomUUID()}`, true);
  const start = ctx.clock.now();
  const outcome = await startRun(ctx, machine, newRecord(arn, name, machine.arn, machine.name, text, start), false);
  const stop = ctx.clock.now();
  return {
    executionArn: arn,
    stateMachineArn: machine.arn,
    name,
    startDate: new Date(start),
    stopDate: new Date(stop),
    status: outcome.status === 'ABORTED' ? 'FAILED' : outcome.status,
    error: outcome.error,
    cause: outcome.cause,
    input: text,
    inputDetails: { included: true },
    output: outcome.output,
    outputDetails: outcome.output === undefined ? undefined : { included: true },
    billingDetails: { billedMemoryUsedInMB: 64, billedDurationInMilliseconds: Math.max(100, Math.ceil((stop - start) / 100) * 100) },
  };
};

export const describeExecution: Handler<SFN.DescribeExecutionInput, SFN.DescribeExecutionOutput> = (input, ctx) => {
  const record = executionByArn(ctx, input.executionArn!);
  return {
    executionArn: record.arn,
    stateMachineArn: record.machineArn,
    name: record.name,
    status: record.status,
    startDate: new Date(record.startDate),
    stopDate: record.stopDate === undefined ? undefined : new Date(record.stopDate),
    input: record.input,
    inputDetails: { included: true },
    output: record.output,
    outputDetails: record.output === undefined ? undefined : { included: true },
    error: record.error,
    cause: record.cause,
    redriveCount: 0,
    redriveStatus: 'NOT_REDRIVABLE',
    redriveStatusReason: record.status === 'RUNNING' ? 'Execution is RUNNING and cannot be redriven' : record.status === 'SUCCEEDED' ? 'Execution is SUCCEEDED and cannot be redriven' : 'Redrive is not supported by Fogbank yet',
  };
};

export const listExecutions: Handler<SFN.ListExecutionsInput, SFN.ListExecutionsOutput> = (input, ctx) => {
  if (!input.stateMachineArn) throw new ServiceError('ValidationException', 'Must provide a StateMachine ARN or MapRun ARN');
  const machine = machineByArn(ctx, input.stateMachineArn);
  if (machine.type === 'EXPRESS') throw new ServiceError('StateMachineTypeNotSupported', 'This operation is not supported by this type of state machine');
  flushWrites(ctx.store);
  // Newest first, as AWS lists them; the sort key makes the page token stable.
  const sortKey = (e: ExecutionRecord) => `${String(9e15 - e.startDate).padStart(16, '0')}:${e.name}`;
  const all = executions(ctx)
    .values({ prefix: `${machine.name}:` })
    .filter((e) => !input.statusFilter || e.status === input.statusFilter)
    .sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1));
  const page = paginate(all, sortKey, input.maxResults || 100, input.nextToken, invalidToken);
  return {
    executions: page.items.map((e) => ({
      executionArn: e.arn,
      stateMachineArn: e.machineArn,
      name: e.name,
      status: e.status,
      startDate: new Date(e.startDate),
      stopDate: e.stopDate === undefined ? undefined : new Date(e.stopDate),
    })),
    nextToken: page.nextToken,
  };
};

export const stopExecution: Handler<SFN.StopExecutionInput, SFN.StopExecutionOutput> = (input, ctx) => {
  const record = executionByArn(ctx, input.executionArn!);
  // Stopping a finished execution changes nothing.
  if (record.status !== 'RUNNING') return { stopDate: new Date(record.stopDate ?? ctx.clock.now()) };
  abortRun(ctx.store, record.arn, input.error, input.cause);
  const now = ctx.clock.now();
  executions(ctx).put(`${record.machineName}:${record.name}`, { ...record, status: 'ABORTED', stopDate: now, error: input.error, cause: input.cause });
  return { stopDate: new Date(now) };
};

export const describeStateMachineForExecution: Handler<SFN.DescribeStateMachineForExecutionInput, SFN.DescribeStateMachineForExecutionOutput> = (input, ctx) => {
  const record = executionByArn(ctx, input.executionArn!);
  const machine = machineByArn(ctx, record.machineArn);
  return {
    stateMachineArn: machine.arn,
    name: machine.name,
    definition: machine.definition,
    roleArn: machine.roleArn,
    updateDate: new Date(machine.updateDate ?? machine.creationDate),
    loggingConfiguration: machine.loggingConfiguration,
    tracingConfiguration: machine.tracingConfiguration,
    revisionId: machine.revisionId,
  };
};
