// Executions: start (Standard in the background, Express synchronously too), describe, list, stop.

import type * as SFN from '@aws-sdk/client-sfn';
import { randomUUID } from 'node:crypto';
import { ServiceError } from '../../errors.js';
import { paginate } from '../common/pagination.js';
import type { Handler, RequestContext } from '../types.js';
import { checkTestCase } from './mocks.js';
import { aliasByArn, qualifiedArn, routeAlias, versionByArn } from './versions.js';
import { invalidToken } from './machines.js';
import { abortRun, startRun } from './runs.js';
import { checkName, executionArn, flushWrites, executionByArn, executions, machineByArn, type ExecutionRecord, type MachineRecord } from './state.js';

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

/** What an execution runs: the machine, or a version of it (named directly or routed by an alias). */
interface Target {
  machine: MachineRecord;
  /** The definition and settings it runs with. */
  run: Pick<MachineRecord, 'arn' | 'name' | 'roleArn' | 'definition' | 'revisionId' | 'type'>;
  versionArn?: string;
  aliasArn?: string;
  testCase?: string;
}

function resolveTarget(ctx: RequestContext, arn: string): Target {
  if (arn.includes('#')) {
    // Step Functions Local's test cases: <state machine ARN>#<test case name>.
    const [machineArn, testCase] = [arn.slice(0, arn.indexOf('#')), arn.slice(arn.indexOf('#') + 1)];
    const target = resolveTarget(ctx, machineArn);
    checkTestCase(target.machine.name, testCase);
    return { ...target, testCase };
  }
  if (arn.split(':').length <= 7) {
    const machine = machineByArn(ctx, arn);
    return { machine, run: machine };
  }
  const { qualifier, machineArn } = qualifiedArn(arn);
  const alias = /^\d+$/.test(qualifier) ? undefined : aliasByArn(ctx, arn);
  const version = alias ? routeAlias(ctx, alias) : versionByArn(ctx, arn);
  const machine = machineByArn(ctx, machineArn);
  return { machine, run: { arn: machine.arn, name: machine.name, roleArn: version.roleArn, definition: version.definition, revisionId: version.revisionId, type: version.type }, versionArn: version.arn, aliasArn: alias?.arn };
}

export const startExecution: Handler<SFN.StartExecutionInput, SFN.StartExecutionOutput> = (input, ctx) => {
  const target = resolveTarget(ctx, input.stateMachineArn!);
  const machine = target.run;
  const name = input.name ?? randomUUID();
  checkName(name);
  const text = parseInput(input.input);
  if (machine.type === 'EXPRESS') {
    // Express executions keep no history here (AWS sends it to CloudWatch Logs only).
    const arn = executionArn(ctx, machine.name, `${name}:${randomUUID()}`, true);
    const now = ctx.clock.now();
    void startRun(ctx, machine, { ...newRecord(arn, name, machine.arn, machine.name, text, now), versionArn: target.versionArn, aliasArn: target.aliasArn, testCase: target.testCase }, false);
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
  const record: ExecutionRecord = { ...newRecord(executionArn(ctx, machine.name, name), name, machine.arn, machine.name, text, ctx.clock.now()), versionArn: target.versionArn, aliasArn: target.aliasArn, testCase: target.testCase };
  executions(ctx).put(key, record);
  void startRun(ctx, machine, record, true);
  return { executionArn: record.arn, startDate: new Date(record.startDate) };
};

export const startSyncExecution: Handler<SFN.StartSyncExecutionInput, SFN.StartSyncExecutionOutput> = async (input, ctx) => {
  const target = resolveTarget(ctx, input.stateMachineArn!);
  const machine = target.run;
  if (machine.type !== 'EXPRESS') throw new ServiceError('StateMachineTypeNotSupported', 'This operation is not supported by this type of state machine');
  const name = input.name ?? randomUUID();
  checkName(name);
  const text = parseInput(input.input);
  const arn = executionArn(ctx, machine.name, `${name}:${randomUUID()}`, true);
  const start = ctx.clock.now();
  const outcome = await startRun(ctx, machine, { ...newRecord(arn, name, machine.arn, machine.name, text, start), testCase: target.testCase }, false);
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
    stateMachineVersionArn: record.versionArn,
    stateMachineAliasArn: record.aliasArn,
    redriveCount: record.redriveCount ?? 0,
    redriveDate: record.redriveDate === undefined ? undefined : new Date(record.redriveDate),
    ...redrivability(record, ctx.clock.now()),
  };
};

/** How long after it stopped an execution can be redriven. */
const REDRIVE_WINDOW_MS = 14 * 24 * 3600 * 1000;

function redrivability(record: ExecutionRecord, now: number): Pick<SFN.DescribeExecutionOutput, 'redriveStatus' | 'redriveStatusReason'> {
  if (record.status === 'RUNNING' || record.status === 'SUCCEEDED') return { redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: `Execution is ${record.status} and cannot be redriven` };
  if (!record.redrive) return { redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: 'Execution failed before entering a state and cannot be redriven' };
  if (now - (record.stopDate ?? now) > REDRIVE_WINDOW_MS) return { redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: 'Execution can no longer be redriven because the redrive period of 14 days has passed' };
  return { redriveStatus: 'REDRIVABLE' };
}

export const redriveExecution: Handler<SFN.RedriveExecutionInput, SFN.RedriveExecutionOutput> = (input, ctx) => {
  const record = executionByArn(ctx, input.executionArn!);
  const now = ctx.clock.now();
  const { redriveStatus, redriveStatusReason } = redrivability(record, now);
  if (redriveStatus !== 'REDRIVABLE') throw new ServiceError('ExecutionNotRedrivable', redriveStatusReason!);
  const point = record.redrive!;
  const redriveCount = (record.redriveCount ?? 0) + 1;
  const updated: ExecutionRecord = { ...record, status: 'RUNNING', stopDate: undefined, output: undefined, error: undefined, cause: undefined, redriveCount, redriveDate: now, redrive: undefined };
  executions(ctx).put(`${record.machineName}:${record.name}`, updated);
  // It goes on from the state it stopped in, with that state's input and variables, its history appended.
  const run = { arn: record.machineArn, name: record.machineName, roleArn: point.roleArn, definition: point.definition, revisionId: '' };
  void startRun(ctx, run, updated, true, { ...point, nextId: record.eventCount + 1, prev: record.eventCount, redriveCount });
  return { redriveDate: new Date(now) };
};

export const listExecutions: Handler<SFN.ListExecutionsInput, SFN.ListExecutionsOutput> = (input, ctx) => {
  if (input.mapRunArn) throw new ServiceError('ResourceNotFound', `Resource not found: '${input.mapRunArn}'`);
  if (!input.stateMachineArn) throw new ServiceError('ValidationException', 'Must provide a StateMachine ARN or MapRun ARN');
  // A version or alias ARN lists the executions started through it.
  const qualified = input.stateMachineArn.split(':').length > 7;
  if (qualified) {
    const { qualifier } = qualifiedArn(input.stateMachineArn);
    if (/^\d+$/.test(qualifier)) versionByArn(ctx, input.stateMachineArn);
    else aliasByArn(ctx, input.stateMachineArn);
  }
  const machine = machineByArn(ctx, qualified ? qualifiedArn(input.stateMachineArn).machineArn : input.stateMachineArn);
  if (machine.type === 'EXPRESS') throw new ServiceError('StateMachineTypeNotSupported', 'This operation is not supported by this type of state machine');
  flushWrites(ctx.store);
  // Newest first, as AWS lists them; the sort key makes the page token stable.
  const sortKey = (e: ExecutionRecord) => `${String(9e15 - e.startDate).padStart(16, '0')}:${e.name}`;
  const all = executions(ctx)
    .values({ prefix: `${machine.name}:` })
    .filter((e) => !input.statusFilter || e.status === input.statusFilter)
    .filter((e) => !qualified || e.versionArn === input.stateMachineArn || e.aliasArn === input.stateMachineArn)
    .filter((e) => !input.redriveFilter || (input.redriveFilter === 'REDRIVEN') === (e.redriveCount ?? 0) > 0)
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
      stateMachineVersionArn: e.versionArn,
      stateMachineAliasArn: e.aliasArn,
      redriveCount: e.redriveCount,
      redriveDate: e.redriveDate === undefined ? undefined : new Date(e.redriveDate),
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
