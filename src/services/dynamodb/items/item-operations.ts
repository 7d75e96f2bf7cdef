// PutItem, GetItem, UpdateItem and DeleteItem. Each checks its input in DynamoDB's order
// (expression parameters, attribute values, return options, sizes, expressions), then finds the
// table, checks the key, reads the stored item, checks the condition and writes. Node runs one
// handler at a time, so read, check and write need no lock.

import type * as DDB from '@aws-sdk/client-dynamodb';
import { RawJsonText } from '../../../protocols/json-raw.js';
import type { Handler, RequestContext } from '../../types.js';
import { invalidParameter, validation } from '../errors.js';
import { projectItem } from '../expressions/paths.js';
import { attributesToGet, attributeUpdates, expectedCondition } from '../expressions/legacy.js';
import { checkExpressionParameters, resolveExpressions, type ExpressionInput } from '../expressions/request.js';
import { applyUpdates } from '../expressions/update.js';
import { checkItemKey, checkKey, keyOf, storeKey } from '../keys.js';
import { itemsOf, requireTable } from '../tables/state.js';
import { checkMap, itemSize } from '../values.js';
import { checkCondition, checkItemSize, consumedCapacity, itemCollectionMetrics, readUnits, wantsCapacity, writeCapacity } from './common.js';
import { checkIndexKeys, commitWrite } from './writes.js';

function onlyAllOldOrNone(returnValues: string | undefined): void {
  if (returnValues && returnValues !== 'ALL_OLD' && returnValues !== 'NONE') throw validation('ReturnValues can only be ALL_OLD or NONE');
}

export const putItem: Handler<DDB.PutItemInput, DDB.PutItemOutput> = (input, ctx) => {
  const raw = input as unknown as ExpressionInput;
  checkExpressionParameters(raw, ['ConditionExpression'], ['Expected']);
  const item = checkMap(input.Item as Record<string, unknown>);
  onlyAllOldOrNone(input.ReturnValues);
  checkItemSize(item);
  const legacy = expectedCondition(input.Expected as never, input.ConditionalOperator);
  const condition = resolveExpressions(raw).condition ?? legacy;
  const table = requireTable(ctx, input.TableName!);
  checkItemKey(table.shape, item);
  checkIndexKeys(table, item);
  const key = storeKey(table.shape, item);
  const needsOld = condition !== undefined || input.ReturnValues === 'ALL_OLD' || input.ReturnConsumedCapacity !== undefined ||
    table.globalIndexes.length > 0 || table.localIndexes.length > 0 || table.stream.enabled || table.ttl?.enabled === true;
  const before = needsOld ? itemsOf(ctx, table).get(key) : undefined;
  checkCondition(condition, before, input.ReturnValuesOnConditionCheckFailure);
  commitWrite(ctx, table, key, before, item);
  const out: DDB.PutItemOutput = {};
  if (input.ReturnValues === 'ALL_OLD' && before) out.Attributes = before as DDB.PutItemOutput['Attributes'];
  const capacity = writeCapacity(input.ReturnConsumedCapacity, table, before, item);
  if (capacity) out.ConsumedCapacity = capacity;
  const metrics = itemCollectionMetrics(input.ReturnItemCollectionMetrics, table, item);
  if (metrics) out.ItemCollectionMetrics = metrics;
  return out;
};

export const getItem: Handler<DDB.GetItemInput, DDB.GetItemOutput> = (input, ctx) => readItem(input, ctx, false) as DDB.GetItemOutput;

/** GetItem for clients: the stored item's text goes out unparsed when nothing needs it parsed. */
export const getItemAnswer: Handler<DDB.GetItemInput, DDB.GetItemOutput | RawJsonText> = (input, ctx) => readItem(input, ctx, true);

function readItem(input: DDB.GetItemInput, ctx: RequestContext, asText: boolean): DDB.GetItemOutput | RawJsonText {
  const raw = input as unknown as ExpressionInput;
  checkExpressionParameters(raw, ['ProjectionExpression'], ['AttributesToGet']);
  const key = checkMap(input.Key as Record<string, unknown>);
  const legacy = attributesToGet(input.AttributesToGet);
  const projection = resolveExpressions(raw).projection ?? legacy;
  const table = requireTable(ctx, input.TableName!);
  checkKey(table.shape, key);
  const items = itemsOf(ctx, table);
  const id = storeKey(table.shape, key);
  if (asText && !projection && !wantsCapacity(input.ReturnConsumedCapacity)) {
    const text = items.getText(id);
    return new RawJsonText(text === undefined ? '{}' : `{"Item":${text}}`);
  }
  const item = items.get(id);
  const out: DDB.GetItemOutput = {};
  if (item) out.Item = (projection ? projectItem(item, projection) : item) as DDB.GetItemOutput['Item'];
  const capacity = consumedCapacity(input.ReturnConsumedCapacity, table, readUnits(item ? itemSize(item) : 0, input.ConsistentRead === true));
  if (capacity) out.ConsumedCapacity = capacity;
  return out;
}

export const updateItem: Handler<DDB.UpdateItemInput, DDB.UpdateItemOutput> = (input, ctx) => {
  const raw = input as unknown as ExpressionInput;
  checkExpressionParameters(raw, ['UpdateExpression', 'ConditionExpression'], ['AttributeUpdates', 'Expected']);
  const key = checkMap(input.Key as Record<string, unknown>);
  const legacyUpdates = attributeUpdates(input.AttributeUpdates);
  const legacyCondition = expectedCondition(input.Expected as never, input.ConditionalOperator);
  const expressions = resolveExpressions(raw);
  const updates = expressions.update ?? legacyUpdates ?? [];
  const condition = expressions.condition ?? legacyCondition;
  const table = requireTable(ctx, input.TableName!);
  checkKey(table.shape, key);
  for (const part of [table.shape.hash, table.shape.range]) {
    if (part && updates.some((u) => u.path[0] === part.name)) throw invalidParameter(`Cannot update attribute ${part.name}. This attribute is part of the key`);
  }
  const storeId = storeKey(table.shape, key);
  const before = itemsOf(ctx, table).get(storeId);
  checkCondition(condition, before, input.ReturnValuesOnConditionCheckFailure);
  const after = applyUpdates(before ?? keyOf(table.shape, key), updates);
  checkItemSize(after, true);
  checkIndexKeys(table, after);
  commitWrite(ctx, table, storeId, before, after);
  const out: DDB.UpdateItemOutput = {};
  const paths = updates.map((u) => u.path);
  let attributes;
  switch (input.ReturnValues) {
    case 'ALL_OLD':
      attributes = before;
      break;
    case 'ALL_NEW':
      attributes = after;
      break;
    case 'UPDATED_OLD':
      attributes = before ? projectItem(before, paths) : undefined;
      break;
    case 'UPDATED_NEW':
      attributes = projectItem(after, paths);
      break;
  }
  if (attributes && Object.keys(attributes).length) out.Attributes = attributes as DDB.UpdateItemOutput['Attributes'];
  const capacity = writeCapacity(input.ReturnConsumedCapacity, table, before, after);
  if (capacity) out.ConsumedCapacity = capacity;
  const metrics = itemCollectionMetrics(input.ReturnItemCollectionMetrics, table, after);
  if (metrics) out.ItemCollectionMetrics = metrics;
  return out;
};

export const deleteItem: Handler<DDB.DeleteItemInput, DDB.DeleteItemOutput> = (input, ctx) => {
  const raw = input as unknown as ExpressionInput;
  checkExpressionParameters(raw, ['ConditionExpression'], ['Expected']);
  const key = checkMap(input.Key as Record<string, unknown>);
  onlyAllOldOrNone(input.ReturnValues);
  const legacy = expectedCondition(input.Expected as never, input.ConditionalOperator);
  const condition = resolveExpressions(raw).condition ?? legacy;
  const table = requireTable(ctx, input.TableName!);
  checkKey(table.shape, key);
  const storeId = storeKey(table.shape, key);
  const before = itemsOf(ctx, table).get(storeId);
  checkCondition(condition, before, input.ReturnValuesOnConditionCheckFailure);
  if (before) commitWrite(ctx, table, storeId, before, undefined);
  const out: DDB.DeleteItemOutput = {};
  if (input.ReturnValues === 'ALL_OLD' && before) out.Attributes = before as DDB.DeleteItemOutput['Attributes'];
  const capacity = writeCapacity(input.ReturnConsumedCapacity, table, before, undefined);
  if (capacity) out.ConsumedCapacity = capacity;
  const metrics = itemCollectionMetrics(input.ReturnItemCollectionMetrics, table, before ?? key);
  if (metrics) out.ItemCollectionMetrics = metrics;
  return out;
};
