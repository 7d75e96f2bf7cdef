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
}

export async function runMap(host: Host, thread: Thread, run: MapRun, runBranch: RunBranch): Promise<unknown[]> {
  const { name, items, processor } = run;
  const limit = run.limit > 0 ? run.limit : Infinity;
  host.emit(thread, 'MapStateStarted', { mapStateStartedEventDetails: { length: items.length } });
  const results: unknown[] = new Array(items.length);
  const scope = scoped(host);
  let nextIndex = 0;
  let failed: unknown;
  const worker = async () => {
    while (failed === undefined && nextIndex < items.length) {
      const index = nextIndex++;
      const mapContext = { Map: { Item: { Index: index, Value: items[index] } } };
      const line: Thread = { prev: thread.prev };
      scope.host.emit(line, 'MapIterationStarted', { mapIterationStartedEventDetails: { name, index } });
      try {
        const itemInput = await run.itemInput(index, mapContext);
        results[index] = await runBranch(scope.host, processor, itemInput, line, mapContext);
        scope.host.emit(line, 'MapIterationSucceeded', { mapIterationSucceededEventDetails: { name, index } });
      } catch (error) {
        if (!(error instanceof Aborted)) scope.host.emit(line, 'MapIterationFailed', { mapIterationFailedEventDetails: { name, index } });
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
    host.emit(thread, 'MapStateFailed');
    throw failed;
  }
  host.emit(thread, 'MapStateSucceeded');
  return results;
}
