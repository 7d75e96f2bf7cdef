// Clock timers a service keeps for one Fogbank, one live timer per key (a scheduled rule, a
// schedule). Implementations are shared by every Fogbank in a process, so timers are kept per store.

import type { Timer } from '../../clock.js';
import type { Store } from '../../store/store.js';

export class KeyedTimers {
  private readonly timers = new Map<string, Timer>();

  /** Replaces the key's timer. */
  set(key: string, timer: Timer): void {
    this.cancel(key);
    this.timers.set(key, timer);
  }

  cancel(key: string): void {
    this.timers.get(key)?.cancel();
    this.timers.delete(key);
  }

  /** Forgets a timer that has fired. */
  fired(key: string): void {
    this.timers.delete(key);
  }
}

const byStore = new WeakMap<Store, Map<string, KeyedTimers>>();

/** The service's timers for this store. */
export function keyedTimers(store: Store, service: string): KeyedTimers {
  let services = byStore.get(store);
  if (!services) byStore.set(store, (services = new Map()));
  let timers = services.get(service);
  if (!timers) services.set(service, (timers = new KeyedTimers()));
  return timers;
}
