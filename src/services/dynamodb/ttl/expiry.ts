// Time to live. AWS deletes expired items "within a few days"; Fogbank deletes them promptly, as
// soon as its clock passes the expiry (a clock timer per table, armed for the earliest expiry,
// fires on real time and on clock advances; any access to the table also sweeps what is due), so
// tests can move the clock and see the item and its stream record gone. Each table with TTL
// enabled keeps a schedule in 'ttl:<table id>', keyed by expiry second then item key, so a sweep
// reads only the expired entries. A process that restarts re-arms on the table's first access.
//
// As in AWS: only a Number attribute holding epoch seconds counts; expiries more than five years
// in the past are ignored; a TTL deletion's stream record names the DynamoDB service as its user.

import type { Timer } from '../../../clock.js';
import type { Collection, Store } from '../../../store/store.js';
import type { RequestContext } from '../../types.js';
import { commitWrite } from '../items/writes.js';
import { itemsOf, tables, type TableRecord } from '../tables/state.js';
import type { AttributeMap } from '../values.js';

const FIVE_YEARS_S = 5 * 365 * 24 * 60 * 60;
const SWEEP_PAGE = 100;

interface Armed {
  dueAt: number;
  timer?: Timer;
}

/** Per store, per table id: the timer armed for the table's earliest expiry (dueAt Infinity: none). */
const armed = new WeakMap<Store, Map<string, Armed>>();

function armedOf(store: Store): Map<string, Armed> {
  let map = armed.get(store);
  if (!map) armed.set(store, (map = new Map()));
  return map;
}

export function scheduleOf(ctx: RequestContext, tableId: string): Collection<string> {
  return ctx.collection<string>(`ttl:${tableId}`);
}

/** The expiry (epoch seconds) an item carries under the TTL attribute, if any. */
function expiryOf(item: AttributeMap | undefined, attribute: string): number | undefined {
  const value = item?.[attribute]?.N;
  if (value === undefined) return undefined;
  const seconds = Math.floor(Number(value));
  return Number.isFinite(seconds) && seconds >= 0 && seconds < 1e15 ? seconds : undefined;
}

function entryKey(seconds: number, itemKey: string): string {
  return `${String(seconds).padStart(15, '0')}\u0000${itemKey}`;
}

/** An item expires once the clock is past its expiry second, so its sweep is due a second later. */
function dueAtOf(seconds: number): number {
  return (seconds + 1) * 1000;
}

function secondsOfEntry(key: string): number {
  return Number(key.slice(0, 15));
}

/** Keeps the schedule in step with one item write (called by commitWrite, inside its transaction). */
export function trackExpiry(ctx: RequestContext, table: TableRecord, itemKey: string, before: AttributeMap | undefined, after: AttributeMap | undefined): void {
  const attribute = table.ttl!.attribute;
  const old = expiryOf(before, attribute);
  const now = expiryOf(after, attribute);
  if (old === now) return;
  const schedule = scheduleOf(ctx, table.id);
  if (old !== undefined) schedule.delete(entryKey(old, itemKey));
  if (now !== undefined) {
    schedule.put(entryKey(now, itemKey), itemKey);
    arm(ctx, table, dueAtOf(now));
  }
}

/**
 * Called on every access to a table with TTL (requireTable): arms the timer after a restart, and
 * sweeps at once when an expiry is already due, so no read sees an item past its expiry.
 */
export function armExpiry(ctx: RequestContext, table: TableRecord): void {
  if (!table.ttl?.enabled) return;
  const map = armedOf(ctx.store);
  let entry = map.get(table.id);
  if (!entry) {
    const first = scheduleOf(ctx, table.id).list({ limit: 1 })[0];
    map.set(table.id, { dueAt: Infinity });
    if (first) arm(ctx, table, dueAtOf(secondsOfEntry(first[0])));
    entry = map.get(table.id)!;
  }
  if (entry.dueAt <= ctx.clock.now()) sweep(ctx, table.name, table.id);
}

function arm(ctx: RequestContext, table: TableRecord, dueAt: number): void {
  const map = armedOf(ctx.store);
  const current = map.get(table.id);
  if (current && current.dueAt <= dueAt) return;
  current?.timer?.cancel();
  const entry: Armed = { dueAt };
  map.set(table.id, entry);
  // The timer may fire during this very write (an expiry already past): let the write finish first.
  entry.timer = ctx.clock.at(dueAt, () => queueMicrotask(() => sweepQuietly(ctx, table.name, table.id)));
}

/** A sweep from a timer has no request to fail: report the error and keep serving. */
function sweepQuietly(ctx: RequestContext, tableName: string, tableId: string): void {
  try {
    sweep(ctx, tableName, tableId);
  } catch (error) {
    console.error(`fogbank: expiring items of DynamoDB table ${tableName} failed:`, error);
  }
}

/** Forgets a table's timer (TTL disabled or table deleted). */
export function disarmExpiry(ctx: RequestContext, tableId: string): void {
  const map = armedOf(ctx.store);
  map.get(tableId)?.timer?.cancel();
  map.delete(tableId);
}

/** Deletes every item whose expiry has passed, then arms the timer for the next one. */
export function sweep(ctx: RequestContext, tableName: string, tableId: string): void {
  const map = armedOf(ctx.store);
  map.get(tableId)?.timer?.cancel();
  map.delete(tableId);
  const table = tables(ctx).get(tableName);
  if (!table || table.id !== tableId || !table.ttl?.enabled) return;
  const schedule = scheduleOf(ctx, tableId);
  const items = itemsOf(ctx, table);
  const nowSeconds = Math.floor(ctx.clock.now() / 1000);
  const through = `${String(nowSeconds - 1).padStart(15, '0')}\u0000\u{10FFFF}`;
  for (;;) {
    const due = schedule.list({ to: through, limit: SWEEP_PAGE });
    ctx.store.transaction(() => {
      for (const [entry, itemKey] of due) {
        const item = items.get(itemKey);
        const expiry = expiryOf(item, table.ttl!.attribute);
        if (!item || expiry === undefined || expiry !== secondsOfEntry(entry) || expiry < nowSeconds - FIVE_YEARS_S) {
          schedule.delete(entry);
          continue;
        }
        commitWrite(ctx, table, itemKey, item, undefined, true);
      }
    });
    if (due.length < SWEEP_PAGE) break;
  }
  const next = schedule.list({ limit: 1 })[0];
  map.set(tableId, { dueAt: Infinity });
  if (next) arm(ctx, table, dueAtOf(secondsOfEntry(next[0])));
}

/** Fills the schedule from the table's items (TTL just enabled). */
export function backfillExpiry(ctx: RequestContext, table: TableRecord): void {
  const schedule = scheduleOf(ctx, table.id);
  const items = itemsOf(ctx, table);
  const attribute = table.ttl!.attribute;
  let after: string | undefined;
  let earliest = Infinity;
  ctx.store.transaction(() => {
    for (;;) {
      const page = items.list({ after, limit: 1000 });
      for (const [key, item] of page) {
        const seconds = expiryOf(item, attribute);
        if (seconds === undefined) continue;
        schedule.put(entryKey(seconds, key), key);
        earliest = Math.min(earliest, dueAtOf(seconds));
      }
      if (page.length < 1000) break;
      after = page[page.length - 1]![0];
    }
  });
  disarmExpiry(ctx, table.id);
  armedOf(ctx.store).set(table.id, { dueAt: Infinity });
  if (earliest < Infinity) arm(ctx, table, earliest);
}
