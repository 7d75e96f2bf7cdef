// Step Functions' stored state: state machines by name, executions by "<machine>:<name>", and
// each execution's history events by "<machine>:<name>#<id>", all in the caller's account+region.

import type * as SFN from '@aws-sdk/client-sfn';
import { ServiceError } from '../../errors.js';
import { arn, parseArn } from '../common/arn.js';
import type { Store } from '../../store/store.js';
import type { RequestContext } from '../types.js';

export interface MachineRecord {
  name: string;
  arn: string;
  definition: string;
  roleArn: string;
  type: 'STANDARD' | 'EXPRESS';
  creationDate: number;
  updateDate?: number;
  description?: string;
  loggingConfiguration?: SFN.LoggingConfiguration;
  tracingConfiguration?: SFN.TracingConfiguration;
  revisionId: string;
  tags: SFN.Tag[];
}

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface ExecutionRecord {
  arn: string;
  name: string;
  machineArn: string;
  machineName: string;
  status: ExecutionStatus;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  startDate: number;
  stopDate?: number;
  eventCount: number;
  /** Started through a version or an alias (which routed it to versionArn). */
  versionArn?: string;
  aliasArn?: string;
  redriveCount?: number;
  redriveDate?: number;
  /** Step Functions Local's test case (started on `<machine ARN>#<test case>`): its Tasks answer mocks. */
  testCase?: string;
  /** Where a failed, timed-out or aborted execution stood: RedriveExecution goes on from there. */
  redrive?: RunningRecord;
}

/** Where a running Standard execution stands, so it can be resumed after a restart. */
export interface RunningRecord {
  /** The definition the execution started with (an update does not change running executions). */
  definition: string;
  roleArn: string;
  /** The top-level state it is in (entered again on resume), with that state's input and the variables. */
  state: string;
  input: unknown;
  variables: Record<string, unknown>;
  /** History numbering: the next event id and the event the next one follows. */
  nextId: number;
  prev: number;
  /** A Wait state's end, kept so a restart does not start the wait over. */
  waitUntil?: number;
  /** Set when RedriveExecution starts the execution again (its ExecutionRedriven event). */
  redriveCount?: number;
}

export interface EventRecord {
  id: number;
  previousEventId: number;
  timestamp: number;
  type: string;
  details?: Record<string, unknown>;
}

/**
 * History events and final records wait here and are written together, one transaction per turn
 * of the event loop for every execution that moved (a commit per event costs more than the run).
 * Handlers that read executions or history call flushWrites first.
 */
const pendingWrites = new WeakMap<Store, Array<() => void>>();

export function deferWrite(store: Store, write: () => void): void {
  let list = pendingWrites.get(store);
  if (!list) {
    pendingWrites.set(store, (list = []));
    setImmediate(() => flushWrites(store));
  }
  list.push(write);
}

export function flushWrites(store: Store): void {
  const list = pendingWrites.get(store);
  if (!list) return;
  pendingWrites.delete(store);
  store.transaction(() => {
    for (const write of list) write();
  });
}

export const machines = (ctx: RequestContext) => ctx.collection<MachineRecord>('machines');
export const executions = (ctx: RequestContext) => ctx.collection<ExecutionRecord>('executions');
export const events = (ctx: RequestContext) => ctx.collection<EventRecord>('events');
export const runningRecords = (ctx: RequestContext) => ctx.collection<RunningRecord>('running');

export function eventKey(executionKey: string, id: number): string {
  return `${executionKey}#${String(id).padStart(9, '0')}`;
}

export function machineArn(ctx: RequestContext, name: string): string {
  return arn({ service: 'states', region: ctx.region, account: ctx.account, resource: `stateMachine:${name}` });
}

export function executionArn(ctx: RequestContext, machineName: string, name: string, express = false): string {
  return arn({ service: 'states', region: ctx.region, account: ctx.account, resource: `${express ? 'express' : 'execution'}:${machineName}:${name}` });
}

export const invalidArn = (value: string, why = 'Resource type not valid in this context') => new ServiceError('InvalidArn', `Invalid Arn: '${why}: ${value}'`);

/** The machine an ARN names, or StateMachineDoesNotExist. */
export function machineByArn(ctx: RequestContext, value: string): MachineRecord {
  const parts = parseArn(value);
  if (!parts || parts.service !== 'states') throw invalidArn(value, 'Resource type not valid in this context');
  const [kind, name, qualifier] = parts.resource.split(':');
  if (kind !== 'stateMachine' || !name || qualifier !== undefined) throw invalidArn(value, 'Resource type not valid in this context');
  const record = parts.account === ctx.account && parts.region === ctx.region ? machines(ctx).get(name) : undefined;
  if (!record) throw new ServiceError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${value}'`);
  return record;
}

/** Splits an execution ARN into its store key; InvalidArn for anything else. */
export function executionKeyOf(ctx: RequestContext, value: string): string {
  const parts = parseArn(value);
  const pieces = parts?.resource.split(':') ?? [];
  if (!parts || parts.service !== 'states' || pieces[0] !== 'execution' || pieces.length !== 3) throw invalidArn(value);
  return parts.account === ctx.account && parts.region === ctx.region ? `${pieces[1]}:${pieces[2]}` : `//${value}`;
}

export function executionByArn(ctx: RequestContext, value: string): ExecutionRecord {
  flushWrites(ctx.store);
  const record = executions(ctx).get(executionKeyOf(ctx, value));
  if (!record) throw new ServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${value}'`);
  return record;
}

/** Names of machines and executions: 1-80 characters, none of AWS's forbidden ones. */
export function checkName(name: string): void {
  // eslint-disable-next-line no-control-regex
  if (!name || name.length > 80 || /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/.test(name)) {
    throw new ServiceError('InvalidName', `Invalid Name: '${name}'`);
  }
}
