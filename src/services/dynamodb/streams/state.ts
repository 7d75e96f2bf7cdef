// What Fogbank keeps about DynamoDB streams: one record per stream in DynamoDB's 'streams'
// collection (by stream ARN, so a table's streams sort together and ListStreams can page by ARN),
// and each stream's change records in 'stream:<table id>:<label>' keyed by sequence number. Both
// live in DynamoDB's state, not the streams service's, because writes append to them in the same
// store transaction as the item change; the DynamoDB Streams API reads them from there.

import type * as DDB from '@aws-sdk/client-dynamodb';
import type { Collection, Scope, Store } from '../../../store/store.js';
import type { AttributeMap } from '../values.js';

/** How long records stay readable, and how long a disabled stream stays listed and readable. */
export const RETENTION_MS = 24 * 60 * 60 * 1000;

export interface StreamMeta {
  arn: string;
  label: string;
  tableName: string;
  tableId: string;
  viewType: DDB.StreamViewType;
  keySchema: DDB.KeySchemaElement[];
  createdAt: number;
  /** The one shard's id, in AWS's form (shardId-<20 digits>-<8 hex>). */
  shardId: string;
  /** Set when the stream was disabled (or its table deleted); its shard is then closed. */
  disabledAt?: number;
  /** The newest sequence number trimmed away (positions at or before it are gone). */
  trimmedThrough?: string;
}

/** One change as stored. Images are kept only as the stream's view type asks. */
export interface ChangeRecord {
  seq: string;
  /** Fogbank's clock, ms. */
  at: number;
  eventID: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  keys: AttributeMap;
  newImage?: AttributeMap;
  oldImage?: AttributeMap;
  sizeBytes: number;
  /** Set for deletions made by TTL, which AWS attributes to the DynamoDB service. */
  ttl?: true;
}

export function streamMetas(store: Store, scope: Scope): Collection<StreamMeta> {
  return store.collection<StreamMeta>('dynamodb', 'streams', scope);
}

export function recordsName(tableId: string, label: string): string {
  return `stream:${tableId}:${label}`;
}

export function changeRecords(store: Store, scope: Scope, tableId: string, label: string): Collection<ChangeRecord> {
  return store.collection<ChangeRecord>('dynamodb', recordsName(tableId, label), scope);
}

/** Whether a stream can still be seen: enabled, or disabled less than 24 hours ago. */
export function streamVisible(meta: StreamMeta, now: number): boolean {
  return meta.disabledAt === undefined || now - meta.disabledAt < RETENTION_MS;
}

// ---- Sequence numbers --------------------------------------------------------------------------
// 21 digits like AWS's, fixed width so store key order is numeric order. They grow with the clock
// (ms * 1000 plus a counter), so they stay increasing across restarts, and each stream remembers
// its last one in memory (read back from the store the first time).

const SEQUENCE_DIGITS = 21;
const lastSequences = new WeakMap<Store, Map<string, number>>();

export function formatSequence(n: number): string {
  return '1' + String(n).padStart(SEQUENCE_DIGITS - 1, '0');
}

export function parseSequence(text: string): number | undefined {
  if (!/^1\d{20}$/.test(text)) return undefined;
  return Number(text.slice(1));
}

export function nextSequence(store: Store, collectionId: string, records: Collection<ChangeRecord>, now: number): string {
  let perStore = lastSequences.get(store);
  if (!perStore) lastSequences.set(store, (perStore = new Map()));
  let last = perStore.get(collectionId);
  if (last === undefined) {
    const newest = records.list({ reverse: true, limit: 1 })[0];
    last = newest ? parseSequence(newest[0]) ?? 0 : 0;
  }
  const next = Math.max(last + 1, now * 1000);
  perStore.set(collectionId, next);
  return formatSequence(next);
}
