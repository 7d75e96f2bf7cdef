// Lambda's asynchronous invocation queue. Invoke with InvocationType Event (and every service that
// invokes asynchronously: S3, SNS, EventBridge, Scheduler, destinations) stores the event in the
// function's account and region and answers 202; the event then runs on a worker (waiting for one
// rather than being throttled). A function error is retried after 1 and then 2 minutes on
// Fogbank's clock (MaximumRetryAttempts, 2 by default); a throttle or system error backs off from
// 1 second to 5 minutes without counting as an attempt; an event older than
// MaximumEventAgeInSeconds (6 hours by default) is discarded. The outcome goes to the configured
// destinations and, for discarded events, the function's dead-letter queue. Every run carries the
// request id the 202 answer gave (the function's context shows it). Events stay in the
// store until their outcome is delivered, so a restart runs them again (at least once, as AWS).

import type { Timer } from '../../../clock.js';
import { ServiceError } from '../../../errors.js';
import type { Store } from '../../../store/store.js';
import type { Caller, RequestContext } from '../../types.js';
import { functionArn, functions, resolveQualifier } from '../state.js';
import { invokeQueued } from '../invoke.js';
import { DEFAULT_MAX_AGE_SECONDS, DEFAULT_RETRIES, invokeConfigFor } from './configs.js';
import { deadLetter, deliver, invocationRecord, type Condition } from './destinations.js';

/** What the last run of an event answered, as the invocation record's responseContext tells it. */
export interface AttemptOutcome {
  statusCode: number;
  executedVersion: string;
  functionError?: string;
  payload: string;
}

export interface AsyncEvent {
  /** The request id Invoke answered with, which the invocation record carries. */
  id: string;
  functionName: string;
  /** The version or alias invoked; undefined for $LATEST named without one. */
  qualifier?: string;
  /** The event, as JSON text. */
  payload: string;
  clientContext?: string;
  /** ms on Fogbank's clock. */
  enqueuedAt: number;
  dueAt: number;
  /** Runs of the function so far (approximateInvokeCount). */
  attempts: number;
  /** Throttles and system errors in a row, for the backoff. */
  throttles: number;
  last?: AttemptOutcome;
}

export const ASYNC_EVENTS = 'async-invocations';
const RETRY_DELAYS_MS = [60_000, 120_000];
const THROTTLE_BASE_MS = 1_000;
const THROTTLE_MAX_MS = 300_000;

function events(ctx: RequestContext) {
  return ctx.collection<AsyncEvent>(ASYNC_EVENTS);
}

// Timers per Fogbank (keyed by store: one process may run several), one per pending event.
const timersByStore = new WeakMap<Store, Map<string, Timer>>();

function timersOf(store: Store): Map<string, Timer> {
  let timers = timersByStore.get(store);
  if (!timers) timersByStore.set(store, (timers = new Map()));
  return timers;
}

function schedule(ctx: RequestContext, key: string, dueAt: number): void {
  const timers = timersOf(ctx.store);
  timers.get(key)?.cancel();
  timers.set(
    key,
    ctx.clock.at(dueAt, () => {
      timers.delete(key);
      void attempt(ctx, key).catch(() => undefined);
    }),
  );
}

/** Stores an Event invocation and answers as AWS does once it is queued. */
export function enqueueEvent(ctx: RequestContext, event: { functionName: string; qualifier?: string; payload: Buffer; clientContext?: string }): { StatusCode: number } {
  const now = ctx.clock.now();
  const record: AsyncEvent = {
    id: ctx.requestId,
    functionName: event.functionName,
    qualifier: event.qualifier,
    payload: event.payload.length ? event.payload.toString('utf8') : '{}',
    clientContext: event.clientContext,
    enqueuedAt: now,
    dueAt: now,
    attempts: 0,
    throttles: 0,
  };
  // Keys sort by arrival, so a restart resumes the oldest first.
  const key = `${now.toString(36).padStart(10, '0')}:${record.id}`;
  events(ctx).put(key, record);
  schedule(ctx, key, now);
  return { StatusCode: 202 };
}

/** Runs one pending event once and decides what becomes of it. */
async function attempt(ctx: RequestContext, key: string): Promise<void> {
  const event = events(ctx).get(key);
  if (!event) return;
  const config = invokeConfigFor(ctx, event.functionName, event.qualifier);
  const maxAgeMs = (config?.maximumEventAgeInSeconds ?? DEFAULT_MAX_AGE_SECONDS) * 1000;
  if (ctx.clock.now() - event.enqueuedAt > maxAgeMs) return finish(ctx, key, event, 'EventAgeExceeded');
  let out: { StatusCode?: number; FunctionError?: string; Payload?: Uint8Array; ExecutedVersion?: string };
  try {
    out = await invokeQueued(
      { FunctionName: event.functionName, Qualifier: event.qualifier, InvocationType: 'RequestResponse', Payload: Buffer.from(event.payload), ClientContext: event.clientContext },
      ctx,
      event.id,
    );
  } catch (error) {
    // The function (or its version or alias) is gone: nothing is left to run the event or to say where it goes.
    if (error instanceof ServiceError && error.code === 'ResourceNotFoundException') {
      events(ctx).delete(key);
      return;
    }
    // Reserved concurrency 0 stops the function: AWS sends new events straight to the on-failure
    // destination or dead-letter queue, without retries (the record's condition is not documented).
    if (functions(ctx).get(event.functionName)?.reservedConcurrency === 0) return finish(ctx, key, event, 'RetriesExhausted');
    // Throttled, or the invocation could not start: back off, without counting an attempt.
    event.throttles += 1;
    event.dueAt = ctx.clock.now() + Math.min(THROTTLE_BASE_MS * 2 ** (event.throttles - 1), THROTTLE_MAX_MS);
    events(ctx).put(key, event);
    schedule(ctx, key, event.dueAt);
    return;
  }
  event.attempts += 1;
  event.throttles = 0;
  event.last = {
    statusCode: out.StatusCode ?? 200,
    executedVersion: out.ExecutedVersion ?? '$LATEST',
    functionError: out.FunctionError,
    payload: out.Payload ? Buffer.from(out.Payload).toString('utf8') : '',
  };
  if (!out.FunctionError) return finish(ctx, key, event, 'Success');
  const retries = config?.maximumRetryAttempts ?? DEFAULT_RETRIES;
  if (event.attempts > retries) return finish(ctx, key, event, 'RetriesExhausted');
  event.dueAt = ctx.clock.now() + RETRY_DELAYS_MS[Math.min(event.attempts, RETRY_DELAYS_MS.length) - 1]!;
  events(ctx).put(key, event);
  schedule(ctx, key, event.dueAt);
}

/** The function's dead-letter target for the version or alias invoked. */
function deadLetterTargetOf(ctx: RequestContext, event: AsyncEvent): string | undefined {
  const record = functions(ctx).get(event.functionName);
  if (!record) return undefined;
  try {
    return resolveQualifier(ctx, record, event.qualifier).config.deadLetterTarget;
  } catch {
    return undefined;
  }
}

/** Sends the outcome where the configuration says, then forgets the event. */
async function finish(ctx: RequestContext, key: string, event: AsyncEvent, condition: Condition): Promise<void> {
  // The config is read again: it may have changed while the event waited.
  const config = invokeConfigFor(ctx, event.functionName, event.qualifier);
  const fnArn = functionArn(ctx, event.functionName, event.qualifier ?? '$LATEST');
  const record = invocationRecord(event, fnArn, condition, ctx.clock.now());
  if (condition === 'Success') {
    if (config?.onSuccess) await deliver(ctx, config.onSuccess, record, fnArn);
  } else {
    if (config?.onFailure) await deliver(ctx, config.onFailure, record, fnArn);
    const dlq = deadLetterTargetOf(ctx, event);
    if (dlq) await deadLetter(ctx, dlq, event, condition);
  }
  events(ctx).delete(key);
}

/** Schedules every event kept in the store again (Fogbank's start). */
export function resumeAsyncEvents(contextFor: (scope: Caller) => RequestContext, scopes: Caller[]): void {
  for (const scope of scopes) {
    const ctx = contextFor(scope);
    for (const [key, event] of events(ctx).list()) schedule(ctx, key, event.dueAt);
  }
}

/** Forgets this Fogbank's timers when it stops (the events stay in the store). */
export function stopAsyncEvents(store: Store): void {
  const timers = timersOf(store);
  for (const timer of timers.values()) timer.cancel();
  timers.clear();
}
