// One poller per enabled mapping, per Fogbank (keyed by store, as one process may run several).
// A poller keeps the context of the request that started it (or of Fogbank's start, on resume), so
// it reads the source and invokes the function as the mapping's account and region, through the
// same internal dispatch a client uses. It re-reads its mapping each round and ends when the
// mapping is gone or disabled, or when Fogbank stops.

import type { Store } from '../../../store/store.js';
import type { Caller, RequestContext } from '../../types.js';
import { pollQueue } from './sqs-poller.js';
import { pollStream } from './stream-poller.js';
import { mappings } from './state.js';

export interface Poller {
  uuid: string;
  stopped: boolean;
}

const byStore = new WeakMap<Store, Map<string, Poller>>();

function pollersOf(store: Store): Map<string, Poller> {
  let entry = byStore.get(store);
  if (!entry) byStore.set(store, (entry = new Map()));
  return entry;
}

/** Whether the poller should go on: not stopped, and its mapping still there and enabled. */
export function active(ctx: RequestContext, poller: Poller): boolean {
  if (poller.stopped) return false;
  const record = mappings(ctx).get(poller.uuid);
  if (record?.enabled) return true;
  poller.stopped = true;
  if (pollersOf(ctx.store).get(poller.uuid) === poller) pollersOf(ctx.store).delete(poller.uuid);
  return false;
}

export function startPoller(ctx: RequestContext, uuid: string): void {
  const all = pollersOf(ctx.store);
  if (all.has(uuid)) return;
  const record = mappings(ctx).get(uuid);
  if (!record?.enabled) return;
  const poller: Poller = { uuid, stopped: false };
  all.set(uuid, poller);
  const run = record.kind === 'sqs' ? pollQueue(ctx, poller) : pollStream(ctx, poller);
  void run.catch(() => undefined).finally(() => {
    if (all.get(uuid) === poller) all.delete(uuid);
  });
}

export function stopPoller(store: Store, uuid: string): void {
  const all = pollersOf(store);
  const poller = all.get(uuid);
  if (!poller) return;
  poller.stopped = true;
  all.delete(uuid);
}

export function stopAllPollers(store: Store): void {
  const all = pollersOf(store);
  for (const poller of all.values()) poller.stopped = true;
  all.clear();
}

/** Restarts the pollers of every enabled mapping kept in the store (Fogbank's start). */
export function resumePollers(contextFor: (scope: Caller) => RequestContext, scopes: Caller[]): void {
  for (const scope of scopes) {
    const ctx = contextFor(scope);
    for (const record of mappings(ctx).values()) if (record.enabled) startPoller(ctx, record.uuid);
  }
}

/** Waits `ms` of real time without holding the process open. */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
