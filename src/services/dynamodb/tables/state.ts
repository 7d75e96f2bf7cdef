// What Fogbank keeps about a table, and where: one record per table in 'tables' (by name), its
// items in 'items:<table id>' and each secondary index in 'index:<table id>:<index name>', all
// in the caller's account and region. Ids, not names, name the item collections, so a table
// deleted and created again starts empty.

import type * as DDB from '@aws-sdk/client-dynamodb';
import type { Collection } from '../../../store/store.js';
import type { RequestContext } from '../../types.js';
import type { Tag } from '../../common/tags.js';
import { resourceNotFound } from '../errors.js';
import type { KeyShape, ScalarType } from '../keys.js';
import type { AttributeMap } from '../values.js';

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

export function tables(ctx: RequestContext): Collection<TableRecord> {
  return ctx.collection<TableRecord>('tables');
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

/** The table a data-plane call names, or AWS's "Requested resource not found". */
export function requireTable(ctx: RequestContext, name: string): TableRecord {
  const table = tables(ctx).get(name);
  if (!table || tableStatus(table, ctx.clock.now()) === 'CREATING') throw resourceNotFound();
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
