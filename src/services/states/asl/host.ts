// What the interpreter needs from the execution running it: a way to record history events,
// Fogbank's clock, internal dispatch, and the context object's execution fields.

import type { RequestContext } from '../../types.js';
import type { MockResponse } from '../mocks.js';
import { Aborted } from './errors.js';
import { VARIABLES, type Scope } from './variables.js';

/** A line of history: events on it point back to the one recorded before them on the same line. */
export interface Thread {
  prev: number;
}

export interface ExecutionInfo {
  Id: string;
  Input: unknown;
  Name: string;
  RoleArn: string;
  StartTime: string;
  RedriveCount: number;
}

export interface Host {
  ctx: RequestContext;
  execution: ExecutionInfo;
  stateMachine: { Id: string; Name: string };
  /** Records an event (details under AWS's member name, e.g. stateEnteredEventDetails); returns its id. */
  emit(thread: Thread, type: string, details?: Record<string, unknown>): number;
  /** Resolves when Fogbank's clock reaches `at`; rejects with Aborted if the execution is stopped. */
  sleepUntil(at: number): Promise<void>;
  /** Throws Aborted if the execution was stopped meanwhile. */
  checkAborted(): void;
  /** Rejects with Aborted when the execution (or this branch of it) is stopped; never resolves. */
  aborted(): Promise<never>;
  /** A Wait state is about to sleep until `at` (kept so a restart resumes the same wait). */
  noteWait?(at: number): void;
  /** A mocked answer for this call of a Task state (a mock configuration's test case), if any. */
  mockFor?(stateName: string): MockResponse | undefined;
  /** Resolves when another execution (a nested .sync one) has ended. */
  waitForExecution(executionArn: string): Promise<void>;
}

export function json(value: unknown): string {
  return JSON.stringify(value ?? null);
}

/** The context object ($$) a state sees; it carries the state's variable scope under a symbol. */
export function contextObject(host: Host, stateName: string, enteredAt: number, retryCount: number, extra: Record<string, unknown>, scope: Scope): Record<string, unknown> {
  return {
    Execution: host.execution,
    StateMachine: host.stateMachine,
    State: { Name: stateName, EnteredTime: new Date(enteredAt).toISOString(), RetryCount: retryCount },
    ...extra,
    [VARIABLES]: scope,
  };
}

/**
 * A host for one part of an execution (a Parallel's branches, a Map's iterations) that can be
 * cancelled on its own: when one branch fails, its siblings stop waiting and record nothing more.
 */
export function scoped(host: Host): { host: Host; cancel(): void } {
  let cancelled = false;
  const waiting = new Set<(error: Error) => void>();
  let rejectCancelled: (error: Error) => void = () => undefined;
  const cancelledSignal = new Promise<never>((_, reject) => (rejectCancelled = reject));
  cancelledSignal.catch(() => undefined);
  const child: Host = {
    ...host,
    aborted: () => Promise.race([host.aborted(), cancelledSignal]),
    emit: (thread, type, details) => (cancelled ? thread.prev : host.emit(thread, type, details)),
    checkAborted: () => {
      if (cancelled) throw new Aborted();
      host.checkAborted();
    },
    sleepUntil: (at) =>
      new Promise<void>((resolve, reject) => {
        if (cancelled) return reject(new Aborted());
        waiting.add(reject);
        host.sleepUntil(at).then(
          () => {
            waiting.delete(reject);
            if (cancelled) reject(new Aborted());
            else resolve();
          },
          (error: Error) => {
            waiting.delete(reject);
            reject(error);
          },
        );
      }),
  };
  return {
    host: child,
    cancel: () => {
      cancelled = true;
      rejectCancelled(new Aborted());
      for (const reject of waiting) reject(new Aborted());
      waiting.clear();
    },
  };
}
