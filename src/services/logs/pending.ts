// Log lines that another part of Fogbank holds in memory before storing them in batches (Lambda's
// function logs are committed every few milliseconds, off the invoke's critical path, as AWS's own
// log delivery is asynchronous). Every CloudWatch Logs operation flushes them first, so a reader
// sees every line already produced, and a write (DeleteLogGroup, PutRetentionPolicy) lands after
// the lines that came before it.

import type { Store } from '../../store/store.js';

const flushers = new WeakMap<Store, Set<() => void>>();

/** Registers a flusher of pending lines for this store; the returned function unregisters it. */
export function registerPendingLogs(store: Store, flush: () => void): () => void {
  let set = flushers.get(store);
  if (!set) flushers.set(store, (set = new Set()));
  set.add(flush);
  return () => set.delete(flush);
}

/** Stores every pending line of this store now. */
export function flushPendingLogs(store: Store): void {
  const set = flushers.get(store);
  if (!set) return;
  for (const flush of set) flush();
}
