// BatchGetItem (up to 100 keys, 16 MB of answers; the rest comes back as UnprocessedKeys) and
// BatchWriteItem (up to 25 puts and deletes, applied in one store transaction). Every request
// is checked before any item is read or written.

import type * as DDB from '@aws-sdk/client-dynamodb';
import type { Handler } from '../../types.js';
import { validation } from '../errors.js';
import { attributesToGet } from '../expressions/legacy.js';
import { projectItem } from '../expressions/paths.js';
import type { Path } from '../expressions/resolved.js';
import { checkExpressionParameters, resolveExpressions, type ExpressionInput } from '../expressions/request.js';
import { checkItemKey, checkKey, storeKey } from '../keys.js';
import { consumedCapacity, readUnits, writeCapacity, checkItemSize } from '../items/common.js';
import { checkIndexKeys, commitWrite } from '../items/writes.js';
import { itemsOf, requireTable, type TableRecord } from '../tables/state.js';
import { checkMap, itemSize, type AttributeMap } from '../values.js';

const RESPONSE_LIMIT = 16 * 1024 * 1024;

export const batchGetItem: Handler<DDB.BatchGetItemInput, DDB.BatchGetItemOutput> = (input, ctx) => {
  const requests = Object.entries(input.RequestItems ?? {});
  if (requests.length === 0) throw validation('The requestItems parameter is required for BatchGetItem');
  let total = 0;
  for (const [name, request] of requests) {
    const count = request.Keys?.length ?? 0;
    if (count > 100) throw validation(`1 validation error detected: Value at 'RequestItems.${name}.member.Keys' failed to satisfy constraint: Member must have length less than or equal to 100`);
    total += count;
  }
  if (total > 100) throw validation('Too many items requested for the BatchGetItem call');
  const plans: Array<{ table: TableRecord; keys: AttributeMap[]; projection?: Path[]; consistent: boolean }> = [];
  for (const [name, request] of requests) {
    const raw = request as unknown as ExpressionInput;
    checkExpressionParameters(raw, ['ProjectionExpression'], ['AttributesToGet']);
    const keys = (request.Keys ?? []).map((k) => checkMap(k as Record<string, unknown>));
    const legacy = attributesToGet(request.AttributesToGet);
    const projection = resolveExpressions(raw).projection ?? legacy;
    const table = requireTable(ctx, name);
    const seen = new Set<string>();
    for (const key of keys) {
      checkKey(table.shape, key);
      const id = storeKey(table.shape, key);
      if (seen.has(id)) throw validation('Provided list of item keys contains duplicates');
      seen.add(id);
    }
    plans.push({ table, keys, projection, consistent: request.ConsistentRead === true });
  }
  const responses: Record<string, AttributeMap[]> = {};
  const unprocessed: Record<string, DDB.KeysAndAttributes> = {};
  const capacity: DDB.ConsumedCapacity[] = [];
  let bytes = 0;
  for (const [i, plan] of plans.entries()) {
    const name = requests[i]![0];
    const found: AttributeMap[] = (responses[name] = []);
    let units = 0;
    for (const key of plan.keys) {
      if (bytes >= RESPONSE_LIMIT) {
        const rest = (unprocessed[name] ??= { ...requests[i]![1], Keys: [] });
        rest.Keys!.push(key as never);
        continue;
      }
      const item = itemsOf(ctx, plan.table).get(storeKey(plan.table.shape, key));
      const size = item ? itemSize(item) : 0;
      units += readUnits(size, plan.consistent);
      bytes += size;
      if (item) found.push(plan.projection ? projectItem(item, plan.projection) : item);
    }
    const c = consumedCapacity(input.ReturnConsumedCapacity, plan.table, units);
    if (c) capacity.push(c);
  }
  const out: DDB.BatchGetItemOutput = { Responses: responses as DDB.BatchGetItemOutput['Responses'], UnprocessedKeys: unprocessed };
  if (input.ReturnConsumedCapacity === 'TOTAL' || input.ReturnConsumedCapacity === 'INDEXES') out.ConsumedCapacity = capacity;
  return out;
};

interface PlannedWrite {
  table: TableRecord;
  key: string;
  item?: AttributeMap;
}

/** Java's toString of the request map, as AWS quotes it in the too-many-requests message. */
function requestMapText(name: string, requests: DDB.WriteRequest[]): string {
  return `{${name}=[${requests.map((r) => (r.PutRequest ? 'WriteRequest(PutRequest=PutRequest(Item=...))' : 'WriteRequest(DeleteRequest=DeleteRequest(Key=...))')).join(', ')}]}`;
}

export const batchWriteItem: Handler<DDB.BatchWriteItemInput, DDB.BatchWriteItemOutput> = (input, ctx) => {
  const requests = Object.entries(input.RequestItems ?? {});
  if (requests.length === 0) throw validation('The requestItems parameter is required for BatchWriteItem');
  let total = 0;
  for (const [name, list] of requests) {
    if (list.length > 25 || list.length < 1) {
      throw validation(`1 validation error detected: Value '${requestMapText(name, list)}' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 25, Member must have length greater than or equal to 1]`);
    }
    total += list.length;
  }
  if (total > 25) throw validation('Too many items requested for the BatchWriteItem call');
  const planned: PlannedWrite[] = [];
  for (const [name, list] of requests) {
    const parsed = list.map((r) => {
      if (r.PutRequest) {
        const item = checkMap(r.PutRequest.Item as Record<string, unknown>);
        checkItemSize(item);
        return { item };
      }
      if (r.DeleteRequest) return { key: checkMap(r.DeleteRequest.Key as Record<string, unknown>) };
      throw validation('Supplied AttributeValue is empty, must contain exactly one of the supported datatypes');
    });
    const table = requireTable(ctx, name);
    const seen = new Set<string>();
    for (const p of parsed) {
      if (p.item) {
        checkItemKey(table.shape, p.item);
        checkIndexKeys(table, p.item);
      } else checkKey(table.shape, p.key!);
      const key = storeKey(table.shape, p.item ?? p.key!);
      if (seen.has(key)) throw validation('Provided list of item keys contains duplicates');
      seen.add(key);
      planned.push({ table, key, item: p.item });
    }
  }
  const capacity = new Map<string, DDB.ConsumedCapacity>();
  ctx.store.transaction(() => {
    for (const write of planned) {
      const items = itemsOf(ctx, write.table);
      const before = items.get(write.key);
      if (write.item || before) commitWrite(ctx, write.table, write.key, before, write.item);
      const c = writeCapacity(input.ReturnConsumedCapacity, write.table, before, write.item);
      if (c) {
        const sum = capacity.get(write.table.name);
        if (sum) sum.CapacityUnits! += c.CapacityUnits!;
        else capacity.set(write.table.name, c);
      }
    }
  });
  const out: DDB.BatchWriteItemOutput = { UnprocessedItems: {} };
  if (capacity.size) out.ConsumedCapacity = [...capacity.values()];
  return out;
};
