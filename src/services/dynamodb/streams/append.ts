// Appending change records: called by commitWrite inside the store transaction that changes the
// item, so a record exists exactly when the change does. No record when nothing changed (a PutItem
// of an identical item, a DeleteItem of a missing one).

import { randomBytes } from 'node:crypto';
import type { Scope, Store } from '../../../store/store.js';
import { keyOf } from '../keys.js';
import type { TableRecord } from '../tables/state.js';
import { itemSize, valuesEqual, type AttributeMap } from '../values.js';
import { changeRecords, nextSequence, recordsName, type ChangeRecord } from './state.js';
import { trimStream } from './trim.js';

/** Trim old records every this many appends to a stream (reads trim too). */
const TRIM_EVERY = 512;
const appendsSinceTrim = new WeakMap<Store, Map<string, number>>();

/** Readers told when a stream gets a record (Lambda's stream pollers), per Fogbank. */
const appendListeners = new WeakMap<Store, Set<(streamArn: string) => void>>();

/** Calls `listener` with the stream's ARN after each write that appends to it commits. */
export function onStreamAppend(store: Store, listener: (streamArn: string) => void): void {
  let listeners = appendListeners.get(store);
  if (!listeners) appendListeners.set(store, (listeners = new Set()));
  listeners.add(listener);
}

function sameItem(a: AttributeMap, b: AttributeMap): boolean {
  return valuesEqual({ M: a }, { M: b });
}

export function appendChange(store: Store, scope: Scope, now: number, table: TableRecord, before: AttributeMap | undefined, after: AttributeMap | undefined, byTtl = false): void {
  const stream = table.stream;
  if (!stream.enabled || !stream.label || !stream.viewType) return;
  if (!before && !after) return;
  if (before && after && sameItem(before, after)) return;
  const records = changeRecords(store, scope, table.id, stream.label);
  const id = recordsName(table.id, stream.label);
  const seq = nextSequence(store, id, records, now);
  const keys = keyOf(table.shape, (after ?? before)!);
  const record: ChangeRecord = {
    seq,
    at: now,
    eventID: randomBytes(16).toString('hex'),
    eventName: !before ? 'INSERT' : !after ? 'REMOVE' : 'MODIFY',
    keys,
    sizeBytes: itemSize(keys),
  };
  const view = stream.viewType;
  if (after && (view === 'NEW_IMAGE' || view === 'NEW_AND_OLD_IMAGES')) {
    record.newImage = after;
    record.sizeBytes += itemSize(after);
  }
  if (before && (view === 'OLD_IMAGE' || view === 'NEW_AND_OLD_IMAGES')) {
    record.oldImage = before;
    record.sizeBytes += itemSize(before);
  }
  if (byTtl) record.ttl = true;
  records.put(seq, record);
  const listeners = appendListeners.get(store);
  // The append runs inside the write's transaction: listeners hear of it once that has committed.
  if (listeners?.size) queueMicrotask(() => listeners.forEach((listener) => listener(stream.arn!)));
  let perStore = appendsSinceTrim.get(store);
  if (!perStore) appendsSinceTrim.set(store, (perStore = new Map()));
  const count = (perStore.get(id) ?? 0) + 1;
  perStore.set(id, count % TRIM_EVERY);
  if (count >= TRIM_EVERY) trimStream(store, scope, table.id, stream.label, stream.arn!, now);
}
