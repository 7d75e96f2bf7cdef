// Parallel (every branch on the same input, results in branch order) and Map (the item
// processor once per item, at most MaxConcurrency at a time, results in item order).

import { Aborted, StatesError } from './errors.js';
import { scoped, type Host, type Thread } from './host.js';
import type { Definition } from './validate.js';

/** Runs one branch or iteration (its own variable scope, the machine's query language). */
export type RunBranch = (host: Host, machine: Definition, input: unknown, thread: Thread, extraContext?: Record<string, unknown>) => Promise<unknown>;

export async function runParallel(host: Host, thread: Thread, branches: Definition[], input: unknown, runBranch: RunBranch): Promise<unknown[]> {
  const started = host.emit(thread, 'ParallelStateStarted');
  const scope = scoped(host);
  try {
    const results = await Promise.all(branches.map((branch) => runBranch(scope.host, branch, input, { prev: started })));
    thread.prev = Math.max(thread.prev, started);
    host.emit(thread, 'ParallelStateSucceeded');
    return results;
  } catch (error) {
    scope.cancel();
    if (error instanceof Aborted) throw error;
    const failure = error instanceof StatesError ? error : new StatesError('States.Runtime', String(error));
    host.emit(thread, 'ParallelStateFailed');
    throw failure;
  }
}

export interface MapRun {
  name: string;
  items: unknown[];
  processor: Definition;
  /** MaxConcurrency; 0 means no limit. */
  limit: number;
  /** The input of iteration `index` (ItemSelector applied), given its context's Map field. */
  itemInput(index: number, mapContext: Record<string, unknown>): Promise<unknown> | unknown;
  /** ToleratedFailureCount / ToleratedFailurePercentage: failed items the Map still succeeds with. */
  tolerance?: { count?: number; percentage?: number };
  /** Distributed mode: a map run (MapRun* events) instead of MapIteration* events. */
  mapRunArn?: string;
  /** Each item's end: its input and its result or error (ResultWriter's files). */
  onItem?(index: number, input: unknown, outcome: { output: unknown } | { error: StatesError }): void;
}

const toleranceExceeded = () => new StatesError('States.ExceedToleratedFailureThreshold', 'The specified tolerated failure threshold was exceeded');

export async function runMap(host: Host, thread: Thread, run: MapRun, runBranch: RunBranch): Promise<unknown[]> {
  const { name, items, processor, tolerance, mapRunArn } = run;
  const limit = run.limit > 0 ? run.limit : Infinity;
  host.emit(thread, 'MapStateStarted', { mapStateStartedEventDetails: { length: items.length } });
  if (mapRunArn) host.emit(thread, 'MapRunStarted', { mapRunStartedEventDetails: { mapRunArn } });
  const results: unknown[] = new Array(items.length);
  const scope = scoped(host);
  let nextIndex = 0;
  let failed: unknown;
  let failures = 0;
  const tolerated = () => {
    if (!tolerance) return false;
    if (tolerance.count !== undefined && failures > tolerance.count) return false;
    if (tolerance.percentage !== undefined && (failures * 100) / items.length > tolerance.percentage) return false;
    return tolerance.count !== undefined || tolerance.percentage !== undefined;
  };
  const iterationEvent = (line: Thread, type: string, index: number) => {
    if (!mapRunArn) scope.host.emit(line, `MapIteration${type}`, { [`mapIteration${type}EventDetails`]: { name, index } });
  };
  const worker = async () => {
    while (failed === undefined && nextIndex < items.length) {
      const index = nextIndex++;
      const mapContext = { Map: { Item: { Index: index, Value: items[index] } } };
      const line: Thread = { prev: thread.prev };
      iterationEvent(line, 'Started', index);
      let itemInput: unknown;
      try {
        itemInput = await run.itemInput(index, mapContext);
        results[index] = await runBranch(scope.host, processor, itemInput, line, mapContext);
        iterationEvent(line, 'Succeeded', index);
        run.onItem?.(index, itemInput, { output: results[index] });
      } catch (error) {
        if (!(error instanceof Aborted)) iterationEvent(line, 'Failed', index);
        if (error instanceof StatesError && !(error instanceof Aborted)) {
          failures++;
          run.onItem?.(index, itemInput, { error });
          if (tolerated()) {
            results[index] = error.cause === undefined ? { Error: error.error } : { Error: error.error, Cause: error.cause };
            continue;
          }
          if (tolerance && (tolerance.count !== undefined || tolerance.percentage !== undefined)) error = toleranceExceeded();
        }
        if (failed === undefined) {
          failed = error;
          scope.cancel();
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, Math.max(items.length, 1)) }, worker));
  if (failed !== undefined) {
    if (failed instanceof Aborted) throw failed;
    const failure = failed instanceof StatesError ? failed : new StatesError('States.Runtime', String(failed));
    if (mapRunArn) host.emit(thread, 'MapRunFailed', { mapRunFailedEventDetails: { error: failure.error, cause: failure.cause } });
    host.emit(thread, 'MapStateFailed');
    throw failed;
  }
  if (mapRunArn) host.emit(thread, 'MapRunSucceeded');
  host.emit(thread, 'MapStateSucceeded');
  return results;
}
