// The one place items are written: the item itself and every secondary index entry it implies,
// in one store transaction. Every write path (PutItem, UpdateItem, DeleteItem, batches,
// transactions, TTL expiry) goes through here, and so does the stream record of the change, in the
// same transaction.

import type { RequestContext } from '../../types.js';
import { invalidParameter, validation } from '../errors.js';
import { encodePart, storeKey } from '../keys.js';
import { allIndexes, indexItemsOf, itemsOf, type IndexRecord, type TableRecord } from '../tables/state.js';
import type { AttributeMap } from '../values.js';
import { appendChange } from '../streams/append.js';
import { trackExpiry } from '../ttl/expiry.js';

/** The store key of an item's entry in an index (index key, then the table key for uniqueness). */
export function indexEntryKey(table: TableRecord, index: IndexRecord, item: AttributeMap): string {
  let key = storeKey(index.shape, item);
  if (index.kind === 'global') key += encodePart(table.shape.hash.type, item[table.shape.hash.name]!);
  if (table.shape.range) key += encodePart(table.shape.range.type, item[table.shape.range.name]!);
  return key;
}

/** Whether an item appears in an index: only when it has every index key attribute (sparse indexes). */
export function inIndex(index: IndexRecord, item: AttributeMap): boolean {
  return item[index.shape.hash.name] !== undefined && (!index.shape.range || item[index.shape.range.name] !== undefined);
}

/** The attributes an index keeps of an item, by its projection. */
export function project(table: TableRecord, index: IndexRecord, item: AttributeMap): AttributeMap {
  const type = index.projection.ProjectionType;
  if (type === 'ALL') return item;
  const out: AttributeMap = {};
  const copy = (name: string) => {
    if (item[name] !== undefined) out[name] = item[name]!;
  };
  copy(table.shape.hash.name);
  if (table.shape.range) copy(table.shape.range.name);
  copy(index.shape.hash.name);
  if (index.shape.range) copy(index.shape.range.name);
  if (type === 'INCLUDE') for (const name of index.projection.NonKeyAttributes ?? []) copy(name);
  return out;
}

/** Index key attributes must have their declared types and must not be empty. */
export function checkIndexKeys(table: TableRecord, item: AttributeMap): void {
  for (const index of allIndexes(table)) {
    for (const part of [index.shape.hash, index.shape.range]) {
      if (!part || part.name === table.shape.hash.name || part.name === table.shape.range?.name) continue;
      const value = item[part.name];
      if (value === undefined) continue;
      if (value[part.type] === undefined) {
        throw invalidParameter(`Type mismatch for Index Key ${part.name} Expected: ${part.type} Actual: ${Object.keys(value)[0]} IndexName: ${index.name}`);
      }
      if ((part.type === 'S' && value.S === '') || (part.type === 'B' && value.B === '')) {
        throw validation(
          `One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty ${part.type === 'S' ? 'string' : 'binary'} value. IndexName: ${index.name}, IndexKey: ${part.name}`,
        );
      }
    }
  }
}

function updateIndex(ctx: RequestContext, table: TableRecord, index: IndexRecord, before: AttributeMap | undefined, after: AttributeMap | undefined): void {
  const oldKey = before && inIndex(index, before) ? indexEntryKey(table, index, before) : undefined;
  const newKey = after && inIndex(index, after) ? indexEntryKey(table, index, after) : undefined;
  if (oldKey === undefined && newKey === undefined) return;
  const entries = indexItemsOf(ctx, table, index.name);
  if (oldKey !== undefined && oldKey !== newKey) entries.delete(oldKey);
  if (newKey !== undefined) entries.put(newKey, project(table, index, after!));
}

/**
 * Replaces the item at `key` (store key) with `after` (or deletes it when undefined), keeping
 * every index, the TTL schedule and the stream in step. Runs inside a store transaction when more
 * than the item is written. `byTtl` marks deletions made by time to live.
 */
export function commitWrite(ctx: RequestContext, table: TableRecord, key: string, before: AttributeMap | undefined, after: AttributeMap | undefined, byTtl = false): void {
  const items = itemsOf(ctx, table);
  const indexes = allIndexes(table);
  const streaming = table.stream.enabled;
  const ttl = table.ttl?.enabled === true;
  const apply = () => {
    if (after) items.put(key, after);
    else if (before) items.delete(key);
    for (const index of indexes) updateIndex(ctx, table, index, before, after);
    if (ttl) trackExpiry(ctx, table, key, before, after);
    if (streaming) appendChange(ctx.store, ctx, ctx.clock.now(), table, before, after, byTtl);
  };
  if (indexes.length === 0 && !streaming && !ttl) apply();
  else ctx.store.transaction(apply);
}

/** Fills a new index from the table's items (UpdateTable adding a global secondary index). */
export function backfillIndex(ctx: RequestContext, table: TableRecord, index: IndexRecord): void {
  const entries = indexItemsOf(ctx, table, index.name);
  const items = itemsOf(ctx, table);
  ctx.store.transaction(() => {
    // In pages: the store cannot write while a read is still open.
    let after: string | undefined;
    for (;;) {
      const page = items.list({ after, limit: 1000 });
      for (const [, item] of page) if (inIndex(index, item)) entries.put(indexEntryKey(table, index, item), project(table, index, item));
      if (page.length < 1000) break;
      after = page[page.length - 1]![0];
    }
  });
}

/** The store key of an item under its table's schema. */
export function itemKey(table: TableRecord, item: AttributeMap): string {
  return storeKey(table.shape, item);
}
