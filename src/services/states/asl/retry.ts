// Retry and Catch around a Task, Parallel or Map state: retriers wait on Fogbank's clock, and a
// matching catcher turns the error into {Error, Cause} at its ResultPath and moves on.

import { Aborted, StatesError, errorMatches } from './errors.js';
import type { Host } from './host.js';

export interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: 'FULL' | 'NONE';
}

export interface Catcher {
  ErrorEquals: string[];
  Next: string;
  ResultPath?: string | null;
  Output?: unknown;
  Assign?: Record<string, unknown>;
}

export function asStatesError(error: unknown): StatesError {
  if (error instanceof StatesError) return error;
  return new StatesError('States.Runtime', error instanceof Error ? error.message : String(error));
}

/** Runs attempt(retryCount) until it succeeds, retries run out, or the error is not retried. */
export async function withRetries<T>(host: Host, retriers: Retrier[] | undefined, attempt: (retryCount: number) => Promise<T>): Promise<T> {
  const used = new Map<Retrier, number>();
  let retryCount = 0;
  for (;;) {
    try {
      return await attempt(retryCount);
    } catch (error) {
      if (error instanceof Aborted) throw error;
      const failure = asStatesError(error);
      const retrier = (retriers ?? []).find((r) => errorMatches(r.ErrorEquals, failure.error));
      if (!retrier) throw failure;
      const done = used.get(retrier) ?? 0;
      if (done >= (retrier.MaxAttempts ?? 3)) throw failure;
      used.set(retrier, done + 1);
      let delay = (retrier.IntervalSeconds ?? 1) * Math.pow(retrier.BackoffRate ?? 2, done);
      if (retrier.MaxDelaySeconds !== undefined) delay = Math.min(delay, retrier.MaxDelaySeconds);
      // FULL jitter: a random wait between none and the computed one.
      if (retrier.JitterStrategy === 'FULL') delay = Math.random() * delay;
      await host.sleepUntil(host.ctx.clock.now() + delay * 1000);
      retryCount++;
    }
  }
}

/** The catcher for an error and the error output it receives; undefined when none matches. */
export function findCatcher(catchers: Catcher[] | undefined, failure: StatesError): { catcher: Catcher; errorOutput: Record<string, string> } | undefined {
  const catcher = (catchers ?? []).find((c) => errorMatches(c.ErrorEquals, failure.error));
  if (!catcher) return undefined;
  return { catcher, errorOutput: failure.cause === undefined ? { Error: failure.error } : { Error: failure.error, Cause: failure.cause } };
}
