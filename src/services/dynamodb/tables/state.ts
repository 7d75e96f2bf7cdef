// What Fogbank keeps about a table, and where: one record per table in 'tables' (by name), its
// items in 'items:<table id>' and each secondary index in 'index:<table id>:<index name>', all
// in the caller's account and region. Ids, not names, name the item collections, so a table
// deleted and created again starts empty.

import type * as DDB from '@aws-sdk/client-dynamodb';
import type { Collection, Scope, Store } from '../../../store/store.js';
import type { RequestContext } from '../../types.js';
import type { Tag } from '../../common/tags.js';
import { resourceNotFound } from '../errors.js';
import type { KeyShape, ScalarType } from '../keys.js';
import type { AttributeMap } from '../values.js';
import { armExpiry } from '../ttl/expiry.js';

export type TableStatus = 'CREATING' | 'ACTIVE' | 'UPDATING' | 'DELETING';

export interface Throughput {
  read: number;
  write: number;
  lastIncrease?: number;
  lastDecrease?: number;
  decreasesToday: number;
}

export interface IndexRecord {
  name: string;
  kind: 'global' | 'local';
  keySchema: DDB.KeySchemaElement[];
  shape: KeyShape;
  projection: DDB.Projection;
  /** Non-key attributes an INCLUDE projection copies (ALL copies everything). */
  throughput?: Throughput;
  /** A global index added by UpdateTable is CREATING until this time on Fogbank's clock. */
  readyAt?: number;
  arn: string;
}

export interface StreamRecord {
  enabled: boolean;
  viewType?: DDB.StreamViewType;
  label?: string;
  arn?: string;
}

export interface TableRecord {
  name: string;
  id: string;
  arn: string;
  createdAt: number;
  /** The table is CREATING (or UPDATING) until then; ACTIVE after. */
  readyAt: number;
  pendingStatus?: 'CREATING' | 'UPDATING';
  attributeDefinitions: DDB.AttributeDefinition[];
  keySchema: DDB.KeySchemaElement[];
  shape: KeyShape;
  billingMode: DDB.BillingMode;
  /** Whether the caller named the billing mode (AWS then reports BillingModeSummary). */
  billingModeExplicit: boolean;
  billingModeChangedAt?: number;
  throughput: Throughput;
  globalIndexes: IndexRecord[];
  localIndexes: IndexRecord[];
  stream: StreamRecord;
  tags: Tag[];
  ttl?: { attribute: string; enabled: boolean };
  deletionProtection: boolean;
  tableClass?: string;
  sse?: DDB.SSESpecification;
}

// ---- The table records, with an in-memory cache for the data plane ---------------------------
// Every item operation needs its table's record; reading and parsing it from the store was about
// 6% of a GetItem. requireTable serves it from memory instead. Any write of a table record through
// tables() or tablesIn() drops the cached copy first (so a rolled-back transaction leaves nothing
// stale), and the cache of a store is dropped when the store is reset. Cached records are shared
// between requests: the data plane only reads them; control-plane handlers read fresh copies
// with tables(ctx).get and may change those.

const cached = new WeakMap<Store, Map<string, TableRecord>>();
const wrapped = new WeakMap<Collection<TableRecord>, Collection<TableRecord>>();

function cacheOf(store: Store): Map<string, TableRecord> {
  let cache = cached.get(store);
  if (!cache) {
    const map = new Map<string, TableRecord>();
    cached.set(store, (cache = map));
    store.onReset(() => map.clear());
  }
  return cache;
}

function cacheKey(scope: Scope, name: string): string {
  return `${scope.account}\u0000${scope.region}\u0000${name}`;
}

/** The 'tables' collection of a scope, dropping cached copies of whatever it writes. */
export function tablesIn(store: Store, { account, region }: Scope): Collection<TableRecord> {
  const scope = { account, region };
  const inner = store.collection<TableRecord>('dynamodb', 'tables', scope);
  let outer = wrapped.get(inner);
  if (!outer) {
    const cache = cacheOf(store);
    outer = {
      ...inner,
      put: (key, value) => {
        cache.delete(cacheKey(scope, key));
        inner.put(key, value);
      },
      delete: (key) => {
        cache.delete(cacheKey(scope, key));
        return inner.delete(key);
      },
      deletePrefix: (prefix) => {
        cache.clear();
        return inner.deletePrefix(prefix);
      },
    };
    wrapped.set(inner, outer);
  }
  return outer;
}

export function tables(ctx: RequestContext): Collection<TableRecord> {
  return tablesIn(ctx.store, ctx);
}

/** A table record for reading only, from memory when it was read before. */
function cachedTable(ctx: RequestContext, name: string): TableRecord | undefined {
  const cache = cacheOf(ctx.store);
  const key = cacheKey(ctx, name);
  let table = cache.get(key);
  if (!table) {
    table = tables(ctx).get(name);
    if (table) cache.set(key, table);
  }
  return table;
}

export function itemsOf(ctx: RequestContext, table: TableRecord): Collection<AttributeMap> {
  return ctx.collection<AttributeMap>(`items:${table.id}`);
}

export function indexItemsOf(ctx: RequestContext, table: TableRecord, index: string): Collection<AttributeMap> {
  return ctx.collection<AttributeMap>(`index:${table.id}:${index}`);
}

export function tableStatus(table: TableRecord, now: number): TableStatus {
  if (table.pendingStatus && now < table.readyAt) return table.pendingStatus;
  return 'ACTIVE';
}

export function indexStatus(index: IndexRecord, now: number): 'CREATING' | 'ACTIVE' {
  return index.readyAt !== undefined && now < index.readyAt ? 'CREATING' : 'ACTIVE';
}

/** The table a data-plane call names (read only: it may be shared), or AWS's "Requested resource not found". */
export function requireTable(ctx: RequestContext, name: string): TableRecord {
  const table = cachedTable(ctx, name);
  if (!table || tableStatus(table, ctx.clock.now()) === 'CREATING') throw resourceNotFound();
  if (table.ttl?.enabled) armExpiry(ctx, table);
  return table;
}

export function attributeType(table: Pick<TableRecord, 'attributeDefinitions'>, name: string): ScalarType {
  return table.attributeDefinitions.find((d) => d.AttributeName === name)!.AttributeType as ScalarType;
}

export function shapeOf(table: Pick<TableRecord, 'attributeDefinitions'>, keySchema: readonly DDB.KeySchemaElement[]): KeyShape {
  const hash = keySchema.find((k) => k.KeyType === 'HASH')!.AttributeName!;
  const range = keySchema.find((k) => k.KeyType === 'RANGE')?.AttributeName;
  const shape: KeyShape = { hash: { name: hash, type: attributeType(table, hash) } };
  if (range) shape.range = { name: range, type: attributeType(table, range) };
  return shape;
}

export function findIndex(table: TableRecord, name: string): IndexRecord | undefined {
  return table.globalIndexes.find((i) => i.name === name) ?? table.localIndexes.find((i) => i.name === name);
}

export function allIndexes(table: TableRecord): IndexRecord[] {
  return table.globalIndexes.length === 0 ? table.localIndexes : table.localIndexes.length === 0 ? table.globalIndexes : [...table.localIndexes, ...table.globalIndexes];
}
