// Reading one page of a Query or Scan: store keys in order within a range, stopping at Limit
// (items evaluated, before any filter) or at 1 MB, then filtering, projecting and counting as
// DynamoDB does, with LastEvaluatedKey naming the last item evaluated.

import type * as DDB from '@aws-sdk/client-dynamodb';
import { RawJsonText } from '../../../protocols/json-raw.js';
import type { Collection } from '../../../store/store.js';
import type { RequestContext } from '../../types.js';
import { invalidParameter, validation } from '../errors.js';
import { matches } from '../expressions/evaluate.js';
import { projectItem } from '../expressions/paths.js';
import type { Condition, Path } from '../expressions/resolved.js';
import { checkKey, keyOf, storeKey, type KeyShape } from '../keys.js';
import { consumedCapacity, readUnits, wantsCapacity } from '../items/common.js';
import { indexEntryKey } from '../items/writes.js';
import { findIndex, indexItemsOf, itemsOf, type IndexRecord, type TableRecord } from '../tables/state.js';
import { checkMap, itemSize, type AttributeMap } from '../values.js';

const PAGE_BYTES = 1024 * 1024;

/** Where a Query or Scan reads: the table or one of its indexes. */
export interface Source {
  table: TableRecord;
  index?: IndexRecord;
  collection: Collection<AttributeMap>;
  shape: KeyShape;
  /** Whether items must be fetched from the table (a local index asked for more than it projects). */
  fetchFromTable: boolean;
}

export interface ReadRequest {
  TableName?: string;
  IndexName?: string;
  Select?: string;
  ConsistentRead?: boolean;
  Limit?: number;
  ExclusiveStartKey?: Record<string, unknown>;
  ReturnConsumedCapacity?: string;
  AttributesToGet?: string[];
  ProjectionExpression?: string;
}

/** ExclusiveStartKey's values, with AWS's "The provided starting key is invalid: " where AWS adds it. */
export function checkStartKey(raw: Record<string, unknown> | undefined): AttributeMap | undefined {
  if (!raw) return undefined;
  try {
    return checkMap(raw);
  } catch (error) {
    const message = (error as Error).message;
    if (/contains duplicates|number set|numeric value|significant digits|number with magnitude/.test(message)) throw error;
    throw validation(`The provided starting key is invalid: ${message}`);
  }
}

/** Finds the table or index, with the Select and consistency checks that depend on it. */
export function openSource(ctx: RequestContext, table: TableRecord, input: ReadRequest, projection: Path[] | undefined, operation: 'Query' | 'Scan'): Source {
  if (input.Select === 'SPECIFIC_ATTRIBUTES' && !projection) {
    throw validation('1 validation error detected: Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES');
  }
  if (projection && input.Select && input.Select !== 'SPECIFIC_ATTRIBUTES') {
    throw validation(`Cannot specify the ${input.ProjectionExpression !== undefined ? 'ProjectionExpression' : 'AttributesToGet'} when choosing to get ${input.Select}`);
  }
  if (!input.IndexName) {
    if (input.Select === 'ALL_PROJECTED_ATTRIBUTES') {
      throw validation(`ALL_PROJECTED_ATTRIBUTES can be used only when ${operation === 'Query' ? 'Querying' : 'Scanning'} using an IndexName`);
    }
    return { table, collection: itemsOf(ctx, table), shape: table.shape, fetchFromTable: false };
  }
  const index = findIndex(table, input.IndexName);
  if (!index) throw validation(`The table does not have the specified index: ${input.IndexName}`);
  if (index.kind === 'global' && input.ConsistentRead) throw validation('Consistent reads are not supported on global secondary indexes');
  const partial = index.projection.ProjectionType !== 'ALL';
  if (partial && input.Select === 'ALL_ATTRIBUTES' && index.kind === 'global') {
    throw invalidParameter(`Select type ALL_ATTRIBUTES is not supported for global secondary index ${index.name} because its projection type is not ALL`);
  }
  const fetchFromTable = partial && index.kind === 'local' && (input.Select === 'ALL_ATTRIBUTES' || projection !== undefined);
  return { table, index, collection: indexItemsOf(ctx, table, index.name), shape: index.shape, fetchFromTable };
}

/** The store key to continue after, from ExclusiveStartKey (which names table and index keys). */
export function startAfter(source: Source, start: AttributeMap | undefined): string | undefined {
  if (!start) return undefined;
  const { table, index } = source;
  const names = new Set([table.shape.hash.name, table.shape.range?.name, index?.shape.hash.name, index?.shape.range?.name].filter(Boolean));
  if (Object.keys(start).length !== names.size) throw validation('The provided starting key is invalid: The provided key element does not match the schema');
  try {
    checkKey(table.shape, keyOf(table.shape, start));
    if (index) checkKey(index.shape, keyOf(index.shape, start));
  } catch (error) {
    throw validation(`The provided starting key is invalid: ${(error as Error).message}`);
  }
  return index ? indexEntryKey(table, index, start) : storeKey(table.shape, start);
}

export interface PageOptions {
  from?: string;
  to?: string;
  exclude?: string;
  after?: string;
  reverse?: boolean;
  limit?: number;
  filter?: Condition;
  projection?: Path[];
  select?: string;
  consistent: boolean;
  capacityMode?: string;
  /** Scans skip items outside their segment's buckets by bounds alone; nothing else to do here. */
}

export interface Page {
  Items?: AttributeMap[];
  Count: number;
  ScannedCount: number;
  LastEvaluatedKey?: AttributeMap;
  ConsumedCapacity?: DDB.ConsumedCapacity;
}

function lastKey(source: Source, item: AttributeMap): AttributeMap {
  const key = keyOf(source.table.shape, item);
  if (source.index) Object.assign(key, keyOf(source.index.shape, item));
  return key;
}

export function readPage(ctx: RequestContext, source: Source, options: PageOptions): Page {
  const items: AttributeMap[] = [];
  let scanned = 0;
  let bytes = 0;
  let last: AttributeMap | undefined;
  let truncated = false;
  const tableItems = source.fetchFromTable ? itemsOf(ctx, source.table) : undefined;
  const iterator = source.collection.iterate({ from: options.from, to: options.to, after: options.after, reverse: options.reverse });
  for (const [key, entry] of iterator) {
    if (options.exclude !== undefined && key.startsWith(options.exclude)) continue;
    const item = tableItems ? (tableItems.get(storeKey(source.table.shape, entry)) ?? entry) : entry;
    scanned++;
    bytes += itemSize(item);
    last = item;
    if (!options.filter || matches(options.filter, item)) items.push(item);
    if ((options.limit !== undefined && scanned >= options.limit) || bytes >= PAGE_BYTES) {
      truncated = true;
      iterator.return?.();
      break;
    }
  }
  const page: Page = { Count: items.length, ScannedCount: scanned };
  if (options.select !== 'COUNT') page.Items = options.projection ? items.map((item) => projectItem(item, options.projection!)) : items;
  if (truncated && last) page.LastEvaluatedKey = lastKey(source, last);
  const units = readUnits(bytes, options.consistent);
  const capacity = source.index
    ? consumedCapacity(options.capacityMode, source.table, 0, [{ index: source.index, units }])
    : consumedCapacity(options.capacityMode, source.table, units);
  if (capacity) page.ConsumedCapacity = capacity;
  return page;
}

/**
 * readPage for answers to clients, when nothing needs the items parsed (no filter, projection,
 * capacity or fetch from the table): the stored texts are spliced into the answer. The 1 MB page
 * limit still holds exactly: an item's JSON text is never smaller in UTF-8 bytes than its
 * DynamoDB size, nor than a third of its length, so items are parsed for their size only once
 * the page could reach 1 MB. Undefined when this page must be read the parsed way.
 */
export function readPageText(source: Source, options: PageOptions): RawJsonText | undefined {
  if (options.filter || options.projection || source.fetchFromTable || wantsCapacity(options.capacityMode)) return undefined;
  const texts: string[] = [];
  let exact = 0; // the sizes of texts[0, sized)
  let sized = 0;
  let bound = 0; // at least the sizes of texts[sized, length)
  let truncated = false;
  const iterator = source.collection.iterateText({ from: options.from, to: options.to, after: options.after, reverse: options.reverse });
  for (const [key, text] of iterator) {
    if (options.exclude !== undefined && key.startsWith(options.exclude)) continue;
    texts.push(text);
    bound += text.length * 3;
    if (exact + bound >= PAGE_BYTES) {
      for (; sized < texts.length; sized++) exact += itemSize(JSON.parse(texts[sized]!) as AttributeMap);
      bound = 0;
    }
    if ((options.limit !== undefined && texts.length >= options.limit) || exact >= PAGE_BYTES) {
      truncated = true;
      iterator.return?.();
      break;
    }
  }
  let out = `{"Count":${texts.length},"ScannedCount":${texts.length}`;
  if (options.select !== 'COUNT') out += `,"Items":[${texts.join(',')}]`;
  if (truncated && texts.length) out += `,"LastEvaluatedKey":${JSON.stringify(lastKey(source, JSON.parse(texts[texts.length - 1]!) as AttributeMap))}`;
  return new RawJsonText(`${out}}`);
}
