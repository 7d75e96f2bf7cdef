// What the single-item operations share: capacity in AWS's units, item collection metrics,
// the old-item check of a condition, and the item size limit.

import type * as DDB from '@aws-sdk/client-dynamodb';
import { conditionalCheckFailed, validation } from '../errors.js';
import { matches } from '../expressions/evaluate.js';
import type { Condition } from '../expressions/resolved.js';
import { keyOf } from '../keys.js';
import { inIndex, project } from './writes.js';
import type { IndexRecord, TableRecord } from '../tables/state.js';
import { itemSize, MAX_ITEM_SIZE, type AttributeMap } from '../values.js';

/** Read units: 4 KB each, halved for eventually consistent reads; at least one unit's worth. */
export function readUnits(bytes: number, consistent: boolean): number {
  return Math.ceil(Math.max(bytes, 1) / 4096) * (consistent ? 1 : 0.5);
}

/** Write units: 1 KB each, at least one. */
export function writeUnits(bytes: number): number {
  return Math.ceil(Math.max(bytes, 1) / 1024);
}

export interface IndexUnits {
  index: IndexRecord;
  units: number;
}

/** Whether ReturnConsumedCapacity asks for a figure. */
export function wantsCapacity(mode: string | undefined): boolean {
  return mode === 'TOTAL' || mode === 'INDEXES';
}

export function consumedCapacity(mode: string | undefined, table: TableRecord, tableUnits: number, indexUnits: IndexUnits[] = [], kind?: 'read' | 'write'): DDB.ConsumedCapacity | undefined {
  if (!wantsCapacity(mode)) return undefined;
  const total = indexUnits.reduce((sum, i) => sum + i.units, tableUnits);
  const out: DDB.ConsumedCapacity = { TableName: table.name, CapacityUnits: total };
  if (kind === 'read') out.ReadCapacityUnits = total;
  if (kind === 'write') out.WriteCapacityUnits = total;
  if (mode === 'INDEXES') {
    out.Table = { CapacityUnits: tableUnits };
    for (const { index, units } of indexUnits) {
      const group = index.kind === 'global' ? (out.GlobalSecondaryIndexes ??= {}) : (out.LocalSecondaryIndexes ??= {});
      group[index.name] = { CapacityUnits: (group[index.name]?.CapacityUnits ?? 0) + units };
    }
  }
  return out;
}

/** Capacity of a write: the larger of the old and new item, plus each index entry written. */
export function writeCapacity(mode: string | undefined, table: TableRecord, before: AttributeMap | undefined, after: AttributeMap | undefined): DDB.ConsumedCapacity | undefined {
  if (mode !== 'TOTAL' && mode !== 'INDEXES') return undefined;
  const tableUnits = Math.max(writeUnits(before ? itemSize(before) : 0), writeUnits(after ? itemSize(after) : 0));
  const indexUnits: IndexUnits[] = [];
  for (const index of [...table.localIndexes, ...table.globalIndexes]) {
    const old = before && inIndex(index, before) ? project(table, index, before) : undefined;
    const now = after && inIndex(index, after) ? project(table, index, after) : undefined;
    if (!old && !now) continue;
    indexUnits.push({ index, units: (old ? writeUnits(itemSize(old)) : 0) + (now ? writeUnits(itemSize(now)) : 0) });
  }
  return consumedCapacity(mode, table, tableUnits, indexUnits);
}

/** SIZE metrics, which AWS reports only for tables with local secondary indexes. */
export function itemCollectionMetrics(mode: string | undefined, table: TableRecord, item: AttributeMap): DDB.ItemCollectionMetrics | undefined {
  if (mode !== 'SIZE' || table.localIndexes.length === 0) return undefined;
  return { ItemCollectionKey: { [table.shape.hash.name]: item[table.shape.hash.name]! } as DDB.ItemCollectionMetrics['ItemCollectionKey'], SizeEstimateRangeGB: [0, 1] };
}

/** Throws ConditionalCheckFailedException when the condition does not hold for the stored item. */
export function checkCondition(condition: Condition | undefined, before: AttributeMap | undefined, onFailure: string | undefined): void {
  if (!condition) return;
  if (matches(condition, before ?? {})) return;
  // Error fields skip the codec, so the item goes out in its stored (wire JSON) form.
  throw conditionalCheckFailed(onFailure === 'ALL_OLD' && before ? before : undefined);
}

export function checkItemSize(item: AttributeMap, update = false): void {
  if (itemSize(item) > MAX_ITEM_SIZE) throw validation(update ? 'Item size to update has exceeded the maximum allowed size' : 'Item size has exceeded the maximum allowed size');
}

export function keyAttributes(table: TableRecord, item: AttributeMap): AttributeMap {
  return keyOf(table.shape, item);
}
