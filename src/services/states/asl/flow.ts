// Parallel (every branch on the same input, results in branch order) and Map (the item
// processor once per item, at most MaxConcurrency at a time, results in item order).

import { Aborted, StatesError, runtimeError } from './errors.js';
import { scoped, type Host, type Thread } from './host.js';
import { resolveTemplate } from './io.js';
import { selectPath } from './jsonpath.js';
import type { Definition, StateDefinition } from './validate.js';

type RunMachine = (host: Host, machine: Definition, input: unknown, thread: Thread, extraContext?: Record<string, unknown>) => Promise<unknown>;

export async function runParallel(host: Host, thread: Thread, state: StateDefinition, input: unknown, runMachine: RunMachine): Promise<unknown[]> {
  const started = host.emit(thread, 'ParallelStateStarted');
  const branches = state.Branches as Definition[];
  const scope = scoped(host);
  try {
    const results = await Promise.all(branches.map((branch) => runMachine(scope.host, branch, input, { prev: started })));
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

export async function runMap(host: Host, thread: Thread, name: string, state: StateDefinition, input: unknown, context: Record<string, unknown>, runMachine: RunMachine): Promise<unknown[]> {
  const items = Array.isArray(state.Items) ? state.Items : state.ItemsPath === undefined ? input : selectPath(String(state.ItemsPath), input, context);
  if (!Array.isArray(items)) throw runtimeError(`Map state '${name}': the items at ${String(state.ItemsPath ?? '$')} are not a JSON array`);
  const processor = (state.ItemProcessor ?? state.Iterator) as Definition;
  const selector = state.ItemSelector ?? state.Parameters;
  const limit = Number(state.MaxConcurrency ?? 0) > 0 ? Number(state.MaxConcurrency) : Infinity;
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
        const itemInput = selector === undefined ? items[index] : resolveTemplate(selector, input, { ...context, ...mapContext });
        results[index] = await runMachine(scope.host, processor, itemInput, line, mapContext);
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
