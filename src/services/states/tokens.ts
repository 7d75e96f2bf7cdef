// Task tokens: a Task waiting for a callback (.waitForTaskToken) or for an activity worker holds
// its token here until SendTaskSuccess, SendTaskFailure or a timeout settles it; SendTaskHeartbeat
// resets its heartbeat. Activity tasks also queue here until a GetActivityTask long poll takes
// them. All of it lives in memory per Fogbank (keyed by its store), like the running executions.

import { randomBytes } from 'node:crypto';
import type { Store } from '../../store/store.js';
import { ServiceError } from '../../errors.js';
import type { StatesError } from './asl/errors.js';

export interface WaitingTask {
  executionArn: string;
  succeed(output: unknown): void;
  fail(error: StatesError): void;
  heartbeat(): void;
}

export interface ActivityTask {
  token: string;
  input: string;
  /** Called when a worker takes the task (ActivityStarted). */
  started(workerName?: string): void;
}

interface Poller {
  /** undefined: Fogbank is stopping. */
  take(task: ActivityTask | undefined): void;
}

interface TokenState {
  waiting: Map<string, WaitingTask>;
  queues: Map<string, { tasks: ActivityTask[]; pollers: Poller[] }>;
}

const states = new WeakMap<Store, TokenState>();

function stateOf(store: Store): TokenState {
  let state = states.get(store);
  if (!state) states.set(store, (state = { waiting: new Map(), queues: new Map() }));
  return state;
}

/** A new token in AWS's shape (opaque base64 text starting "AQ"). */
export function newToken(): string {
  return `AQ${randomBytes(96).toString('base64')}`;
}

export function registerToken(store: Store, token: string, task: WaitingTask): void {
  stateOf(store).waiting.set(token, task);
}

export function releaseToken(store: Store, token: string): void {
  stateOf(store).waiting.delete(token);
  for (const queue of stateOf(store).queues.values()) {
    const index = queue.tasks.findIndex((t) => t.token === token);
    if (index >= 0) queue.tasks.splice(index, 1);
  }
}

/** The task a token names: InvalidToken for text that is no token, TaskDoesNotExist for one no task waits on. */
export function waitingTask(store: Store, token: string): WaitingTask {
  if (!/^AQ[A-Za-z0-9+/=]+$/.test(token)) throw new ServiceError('InvalidToken', `Invalid Token: 'Invalid token'`);
  const task = stateOf(store).waiting.get(token);
  if (!task) throw new ServiceError('TaskDoesNotExist', 'Task Does Not Exist');
  return task;
}

function queueOf(store: Store, activityArn: string) {
  const queues = stateOf(store).queues;
  let queue = queues.get(activityArn);
  if (!queue) queues.set(activityArn, (queue = { tasks: [], pollers: [] }));
  return queue;
}

/** Hands an activity task to a waiting worker, or queues it for the next GetActivityTask. */
export function offerActivityTask(store: Store, activityArn: string, task: ActivityTask): void {
  const queue = queueOf(store, activityArn);
  const poller = queue.pollers.shift();
  if (poller) poller.take(task);
  else queue.tasks.push(task);
}

/** Takes a queued task at once, or parks the caller until one comes or `expireLater`'s timer ends the wait (undefined). */
export function takeActivityTask(store: Store, activityArn: string, expireLater: (expire: () => void) => { cancel(): void }): Promise<ActivityTask | undefined> {
  const queue = queueOf(store, activityArn);
  const ready = queue.tasks.shift();
  if (ready) return Promise.resolve(ready);
  return new Promise((resolve) => {
    const timer = expireLater(() => {
      const index = queue.pollers.indexOf(poller);
      if (index >= 0) queue.pollers.splice(index, 1);
      resolve(undefined);
    });
    const poller: Poller = {
      take: (task) => {
        timer.cancel();
        resolve(task);
      },
    };
    queue.pollers.push(poller);
  });
}

/** Fogbank stopping: pollers answer empty, waiting tasks are dropped with their executions. */
export function dropTokens(store: Store): void {
  const state = states.get(store);
  if (!state) return;
  for (const queue of state.queues.values()) for (const poller of queue.pollers.splice(0)) poller.take(undefined);
  states.delete(store);
}
