// Runs executions in the background: history events are written to the store as they happen,
// and the execution record is updated when it ends. A Standard execution also keeps a checkpoint
// before each top-level state (its input, variables and history position, a Wait's end), so
// when Fogbank starts again it goes on from there (resumeRuns).

import type { Timer } from '../../clock.js';
import type { Store } from '../../store/store.js';
import type { RequestContext } from '../types.js';
import { Aborted, StatesError } from './asl/errors.js';
import type { ExecutionInfo, Host, Thread } from './asl/host.js';
import { json } from './asl/host.js';
import { runMachine } from './asl/interpreter.js';
import type { Definition } from './asl/validate.js';
import { Scope } from './asl/variables.js';
import { mockedStates, type MockResponse } from './mocks.js';
import { deferWrite, eventKey, events, executions, runningRecords, type EventRecord, type ExecutionRecord, type MachineRecord, type RunningRecord } from './state.js';

interface Running {
  /** Settles when the execution has its outcome. */
  ended: Promise<void>;
  abort(error?: string, cause?: string): void;
  /** Fogbank is stopping: end without writing anything more. */
  detach(): void;
}

/** Executions running per Fogbank (keyed by its store), so StopExecution can reach them. */
const running = new WeakMap<Store, Map<string, Running>>();

function runningIn(store: Store): Map<string, Running> {
  let map = running.get(store);
  if (!map) running.set(store, (map = new Map()));
  return map;
}

export interface Outcome {
  status: 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED_OUT';
  output?: string;
  error?: string;
  cause?: string;
}

/**
 * Starts an execution; returns a promise of its outcome. With `persist` (Standard) every event and
 * the final record go to the store; without it (Express) history is kept in memory only.
 */
export function startRun(ctx: RequestContext, machine: Pick<MachineRecord, 'arn' | 'name' | 'roleArn' | 'definition' | 'revisionId'>, record: ExecutionRecord, persist: boolean, resume?: RunningRecord): Promise<Outcome> {
  const key = `${record.machineName}:${record.name}`;
  const pending = new Set<{ timer: Timer; reject: (e: Error) => void }>();
  let aborted = false;
  let detached = false;
  /** Set once the execution has its outcome: late events from cancelled work are dropped. */
  let isOver = false;
  let timedOut = false;
  let nextId = resume?.nextId ?? 1;
  /** A resumed Wait state sleeps to the end it had before the restart. */
  let resumeWaitUntil = resume?.waitUntil;
  const emit = (thread: Thread, type: string, details?: Record<string, unknown>): number => {
    if (isOver) return thread.prev;
    const event: EventRecord = { id: nextId++, previousEventId: thread.prev, timestamp: ctx.clock.now(), type, details };
    thread.prev = event.id;
    if (persist && !aborted && !detached) deferWrite(ctx.store, () => events(ctx).put(eventKey(key, event.id), event));
    return event.id;
  };
  const execution: ExecutionInfo = { Id: record.arn, Input: JSON.parse(record.input), Name: record.name, RoleArn: machine.roleArn, StartTime: new Date(record.startDate).toISOString(), RedriveCount: record.redriveCount ?? 0 };
  let rejectAborted: (error: Error) => void = () => undefined;
  const abortedSignal = new Promise<never>((_, reject) => (rejectAborted = reject));
  abortedSignal.catch(() => undefined);
  const host: Host = {
    ctx,
    execution,
    aborted: () => abortedSignal,
    stateMachine: { Id: machine.arn, Name: machine.name },
    emit,
    checkAborted: () => {
      if (aborted) throw new Aborted();
    },
    mockFor: record.testCase ? mockCaller(record.machineName, record.testCase) : undefined,
    waitForExecution: (executionArn) => runningIn(ctx.store).get(executionArn)?.ended ?? Promise.resolve(),
    noteWait: (at) => {
      if (checkpoint && definition.States[checkpoint.state]?.Type === 'Wait') {
        checkpoint.waitUntil = at;
        saveCheckpoint();
      }
    },
    sleepUntil: (requested) =>
      new Promise<void>((resolve, reject) => {
        if (aborted) return reject(new Aborted());
        const at = resumeWaitUntil ?? requested;
        resumeWaitUntil = undefined;
        const entry = {
          timer: ctx.clock.at(at, () => {
            pending.delete(entry);
            resolve();
          }),
          reject,
        };
        pending.add(entry);
      }),
  };
  const thread: Thread = { prev: resume?.prev ?? 0 };
  if (resume?.redriveCount) emit(thread, 'ExecutionRedriven', { executionRedrivenEventDetails: { redriveCount: resume.redriveCount } });
  if (!resume) emit(thread, 'ExecutionStarted', { executionStartedEventDetails: { input: record.input, inputDetails: { truncated: false }, roleArn: machine.roleArn } });
  // Standard executions keep a checkpoint before each top-level state (written with the events).
  let checkpoint: RunningRecord | undefined;
  let checkpointScheduled = false;
  let checkpointed = false;
  /** An execution that ends within the turn it started in never writes a checkpoint at all. */
  let checkpointWritten = Boolean(resume);
  const saveCheckpoint = () => {
    if (!persist || checkpointScheduled) return;
    checkpointScheduled = checkpointed = true;
    deferWrite(ctx.store, () => {
      checkpointScheduled = false;
      if (checkpoint && !detached) {
        runningRecords(ctx).put(key, checkpoint);
        checkpointWritten = true;
      }
    });
  };
  const beforeState = (state: string, input: unknown, scope: Scope) => {
    checkpoint = { definition: machine.definition, roleArn: machine.roleArn, state, input, variables: scope.own(), nextId, prev: thread.prev };
    saveCheckpoint();
  };
  const table = runningIn(ctx.store);
  /** Stops the interpreter: pending waits reject, later events are not recorded. */
  const halt = () => {
    aborted = true;
    rejectAborted(new Aborted());
    for (const entry of pending) {
      entry.timer.cancel();
      entry.reject(new Aborted());
    }
    pending.clear();
  };
  let markEnded = () => undefined as void;
  const ended = new Promise<void>((resolve) => (markEnded = resolve));
  table.set(record.arn, {
    ended,
    abort: (error, cause) => {
      if (aborted) return;
      emit(thread, 'ExecutionAborted', { executionAbortedEventDetails: { error, cause } });
      halt();
    },
    detach: () => {
      detached = true;
      halt();
    },
  });
  const finish = (outcome: Outcome): Outcome => {
    isOver = true;
    // Whoever waits (a parent's .sync task) reads the record after this turn's writes.
    setImmediate(markEnded);
    deadline?.cancel();
    table.delete(record.arn);
    const lastCheckpoint = checkpoint && { ...checkpoint, waitUntil: undefined };
    checkpoint = undefined;
    if (persist && !detached && checkpointed) deferWrite(ctx.store, () => checkpointWritten && runningRecords(ctx).delete(key));
    if (persist && !detached) {
      const stopDate = ctx.clock.now();
      const eventCount = nextId - 1;
      const redrive = outcome.status === 'SUCCEEDED' ? undefined : lastCheckpoint;
      deferWrite(ctx.store, () => {
        const latest = executions(ctx).get(key) ?? record;
        // StopExecution or the timeout already wrote the final record; keep its date, error and cause.
        if (latest.status === 'RUNNING') executions(ctx).put(key, { ...latest, ...outcome, stopDate, eventCount, redrive });
        else executions(ctx).put(key, { ...latest, eventCount, redrive });
      });
    }
    return outcome;
  };
  const definition = resume ? (JSON.parse(resume.definition) as Definition) : parsedDefinition(machine);
  const scope = new Scope();
  if (resume) scope.assign(resume.variables);
  // The machine's own TimeoutSeconds ends the execution as TIMED_OUT, at once.
  const deadline = definition.TimeoutSeconds
    ? ctx.clock.at((record.redriveDate ?? record.startDate) + definition.TimeoutSeconds * 1000, () => {
        if (aborted) return;
        emit(thread, 'ExecutionTimedOut', { executionTimedOutEventDetails: { error: 'States.Timeout' } });
        timedOut = true;
        halt();
        if (persist && !detached) executions(ctx).put(key, { ...(executions(ctx).get(key) ?? record), status: 'TIMED_OUT', error: 'States.Timeout', stopDate: ctx.clock.now(), eventCount: nextId - 1 });
      })
    : undefined;
  // Run after the caller has its answer, like AWS.
  return Promise.resolve()
    .then(() => runMachine(host, definition, resume ? resume.input : execution.Input, thread, {}, scope, 'JSONPath', { startAt: resume?.state, beforeState }))
    .then(
      (output) => {
        if (timedOut) return finish({ status: 'TIMED_OUT', error: 'States.Timeout' });
        if (aborted) return finish({ status: 'ABORTED' });
        const text = json(output);
        emit(thread, 'ExecutionSucceeded', { executionSucceededEventDetails: { output: text, outputDetails: { truncated: false } } });
        return finish({ status: 'SUCCEEDED', output: text });
      },
      (error: unknown) => {
        if (timedOut) return finish({ status: 'TIMED_OUT', error: 'States.Timeout' });
        if (aborted || error instanceof Aborted) return finish({ status: 'ABORTED' });
        const failure = error instanceof StatesError ? error : new StatesError('States.Runtime', error instanceof Error ? error.message : String(error));
        emit(thread, 'ExecutionFailed', { executionFailedEventDetails: { error: failure.error, cause: failure.cause } });
        return finish({ status: 'FAILED', error: failure.error, cause: failure.cause });
      },
    )
    .catch((error: unknown) => {
      // Only a store that went away under us gets here; the execution ends with it.
      table.delete(record.arn);
      return { status: 'FAILED', error: 'States.Runtime', cause: error instanceof Error ? error.message : String(error) } as Outcome;
    });
}

/** Each mocked state's responses in turn, counted per state over the execution. */
function mockCaller(machineName: string, testCase: string): (stateName: string) => MockResponse | undefined {
  const responses = mockedStates(machineName, testCase);
  const calls = new Map<string, number>();
  return (stateName) => {
    const call = calls.get(stateName) ?? 0;
    calls.set(stateName, call + 1);
    return responses(stateName, call);
  };
}

/** Fogbank starting: every Standard execution that was running goes on from its last checkpoint. */
export function resumeRuns(ctx: RequestContext): void {
  for (const [key, running] of runningRecords(ctx).list({})) {
    const record = executions(ctx).get(key);
    if (!record || record.status !== 'RUNNING') {
      runningRecords(ctx).delete(key);
      continue;
    }
    void startRun(ctx, { arn: record.machineArn, name: record.machineName, roleArn: running.roleArn, definition: running.definition, revisionId: '' }, record, true, running);
  }
}

/** Definitions parsed once per revision (every execution of a machine reads the same one). */
const definitions = new Map<string, Definition>();

function parsedDefinition(machine: Pick<MachineRecord, 'arn' | 'definition' | 'revisionId'>): Definition {
  const key = `${machine.arn}#${machine.revisionId}`;
  let definition = definitions.get(key);
  if (!definition) {
    if (definitions.size > 1000) definitions.clear();
    definitions.set(key, (definition = JSON.parse(machine.definition) as Definition));
  }
  return definition;
}

/** Stops a running execution; returns whether it was running here. */
export function abortRun(store: Store, executionArn: string, error?: string, cause?: string): boolean {
  const run = runningIn(store).get(executionArn);
  run?.abort(error, cause);
  return !!run;
}

/** Stops every execution of a store (Fogbank stopping). */
export function detachAll(store: Store): void {
  for (const run of [...runningIn(store).values()]) run.detach();
  running.delete(store);
}
