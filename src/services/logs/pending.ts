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

/** How long pending items wait in memory before they are stored together, and how many may wait. */
const FLUSH_MS = 25;
const FLUSH_ITEMS = 500;

/**
 * Log writes held in memory and stored together in one transaction of the store: FLUSH_MS after
 * the first, sooner past FLUSH_ITEMS, before every CloudWatch Logs operation (registerPendingLogs)
 * and on close(). A commit per write was the largest cost of the requests that log (a warm
 * invoke); only writes of the last few milliseconds are lost if the process is killed (kill -9)
 * rather than stopped, as AWS delivers these logs asynchronously too. A reset forgets what is
 * pending: it belongs to the state the reset cleared.
 */
export class PendingLogs<T> {
  private items: T[] = [];
  private timer?: NodeJS.Timeout;
  private readonly unregister: () => void;

  constructor(
    private readonly store: Store,
    /** Stores the items, inside the transaction flush() opens. */
    private readonly storeAll: (items: T[]) => void,
  ) {
    this.unregister = registerPendingLogs(store, () => this.flush());
    store.onReset(() => {
      this.items = [];
    });
  }

  add(item: T): void {
    const pending = this.items.push(item);
    if (pending === FLUSH_ITEMS) {
      setImmediate(() => this.flush());
    } else if (pending === 1) {
      // Real time: a scheduling matter no reader observes (Logs operations flush first).
      this.timer = setTimeout(() => this.flush(), FLUSH_MS);
      this.timer.unref();
    }
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const items = this.items.splice(0);
    if (items.length === 0) return;
    try {
      this.store.transaction(() => this.storeAll(items));
    } catch {
      // The store closed under us (Fogbank stopping): the lines are lost with it.
    }
  }

  /** Stores what is pending and stops answering Logs operations' flushes: when Fogbank stops. */
  close(): void {
    this.flush();
    this.unregister();
  }
}
