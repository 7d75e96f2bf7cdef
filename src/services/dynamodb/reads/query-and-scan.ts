// Query reads one partition's key range of the table or an index; Scan reads everything, or
// one segment's share of partition buckets for a parallel scan.

import type * as DDB from '@aws-sdk/client-dynamodb';
import type { RawJsonText } from '../../../protocols/json-raw.js';
import type { Handler, RequestContext } from '../../types.js';
import { validation } from '../errors.js';
import { attributesToGet, filterCondition } from '../expressions/legacy.js';
import type { Condition } from '../expressions/resolved.js';
import { checkExpressionParameters, resolveExpressions, type ExpressionInput } from '../expressions/request.js';
import { BUCKETS, bucketText } from '../keys.js';
import { requireTable } from '../tables/state.js';
import { checkValue } from '../values.js';
import { keyConditionsFromExpression, keyRange, type KeyPredicate } from './key-condition.js';
import { checkStartKey, openSource, readPage, readPageText, startAfter, type PageOptions, type Source } from './pages.js';

function heads(condition: Condition | undefined, out = new Set<string>()): Set<string> {
  if (!condition) return out;
  if (condition.kind === 'and' || condition.kind === 'or') condition.args.forEach((c) => heads(c, out));
  else if (condition.kind === 'not') heads(condition.arg, out);
  else {
    for (const arg of condition.args) {
      if (arg.kind === 'path') out.add(arg.path[0] as string);
      else if (arg.kind === 'size' && arg.arg.kind === 'path') out.add(arg.arg.path[0] as string);
    }
  }
  return out;
}

function checkFilterOnKeys(source: Source, filter: Condition | undefined, legacy: boolean): void {
  if (!filter) return;
  const used = heads(filter);
  for (const part of [source.shape.hash, source.shape.range]) {
    if (part && used.has(part.name)) {
      throw validation(`${legacy ? 'QueryFilter' : 'Filter Expression'} can only contain non-primary key attributes: Primary key attribute: ${part.name}`);
    }
  }
}

export const query: Handler<DDB.QueryInput, DDB.QueryOutput> = (input, ctx) => runQuery(input, ctx, false) as DDB.QueryOutput;

/** Query for clients: stored items go out unparsed when nothing needs them parsed. */
export const queryAnswer: Handler<DDB.QueryInput, DDB.QueryOutput | RawJsonText> = (input, ctx) => runQuery(input, ctx, true);

function runQuery(input: DDB.QueryInput, ctx: RequestContext, asText: boolean): DDB.QueryOutput | RawJsonText {
  const raw = input as unknown as ExpressionInput;
  checkExpressionParameters(raw, ['ProjectionExpression', 'FilterExpression', 'KeyConditionExpression'], ['AttributesToGet', 'QueryFilter', 'ConditionalOperator', 'KeyConditions']);
  const legacyFilter = filterCondition(input.QueryFilter, input.ConditionalOperator);
  const legacyProjection = attributesToGet(input.AttributesToGet);
  const start = checkStartKey(input.ExclusiveStartKey as Record<string, unknown> | undefined);
  if (input.KeyConditions === undefined && input.KeyConditionExpression === undefined) {
    throw validation('Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.');
  }
  const expressions = resolveExpressions(raw);
  let conditions: Map<string, KeyPredicate>;
  if (expressions.keyCondition) conditions = keyConditionsFromExpression(expressions.keyCondition);
  else {
    filterCondition(input.KeyConditions, undefined); // AWS's operator and argument checks
    conditions = new Map(Object.entries(input.KeyConditions!).map(([name, c]) => [name, { operator: c.ComparisonOperator as KeyPredicate['operator'], values: (c.AttributeValueList ?? []).map(checkValue) }]));
  }
  if (conditions.size !== 1 && conditions.size !== 2) throw validation('Conditions can be of length 1 or 2 only');
  const projection = expressions.projection ?? legacyProjection;
  const filter = expressions.filter ?? legacyFilter;
  const table = requireTable(ctx, input.TableName!);
  const source = openSource(ctx, table, input, projection, 'Query');
  const range = keyRange(source.shape, conditions);
  const after = startAfter(source, start);
  checkFilterOnKeys(source, filter, input.QueryFilter !== undefined);
  const options: PageOptions = {
    from: range.from,
    to: range.to,
    exclude: range.exclude,
    after,
    reverse: input.ScanIndexForward === false,
    limit: input.Limit,
    filter,
    projection,
    select: input.Select,
    consistent: input.ConsistentRead === true,
    capacityMode: input.ReturnConsumedCapacity,
  };
  return (asText && readPageText(source, options)) || (readPage(ctx, source, options) as DDB.QueryOutput);
};

export const scan: Handler<DDB.ScanInput, DDB.ScanOutput> = (input, ctx) => runScan(input, ctx, false) as DDB.ScanOutput;

/** Scan for clients: stored items go out unparsed when nothing needs them parsed. */
export const scanAnswer: Handler<DDB.ScanInput, DDB.ScanOutput | RawJsonText> = (input, ctx) => runScan(input, ctx, true);

function runScan(input: DDB.ScanInput, ctx: RequestContext, asText: boolean): DDB.ScanOutput | RawJsonText {
  const raw = input as unknown as ExpressionInput;
  checkExpressionParameters(raw, ['ProjectionExpression', 'FilterExpression'], ['AttributesToGet', 'ScanFilter', 'ConditionalOperator']);
  const legacyProjection = attributesToGet(input.AttributesToGet);
  const legacyFilter = filterCondition(input.ScanFilter, input.ConditionalOperator);
  const start = checkStartKey(input.ExclusiveStartKey as Record<string, unknown> | undefined);
  if (input.Segment !== undefined && input.TotalSegments === undefined) {
    throw validation('The TotalSegments parameter is required but was not present in the request when Segment parameter is present');
  }
  if (input.TotalSegments !== undefined) {
    if (input.Segment === undefined) throw validation('The Segment parameter is required but was not present in the request when parameter TotalSegments is present');
    if (input.Segment >= input.TotalSegments) {
      throw validation(`The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: ${input.Segment} is not less than TotalSegments: ${input.TotalSegments}`);
    }
  }
  const expressions = resolveExpressions(raw);
  const projection = expressions.projection ?? legacyProjection;
  const filter = expressions.filter ?? legacyFilter;
  const table = requireTable(ctx, input.TableName!);
  const source = openSource(ctx, table, input, projection, 'Scan');
  const after = startAfter(source, start);
  let from: string | undefined;
  let to: string | undefined;
  if (input.TotalSegments !== undefined) {
    const first = Math.floor((input.Segment! * BUCKETS) / input.TotalSegments);
    const end = Math.floor(((input.Segment! + 1) * BUCKETS) / input.TotalSegments);
    if (end <= first) return { Items: input.Select === 'COUNT' ? undefined : [], Count: 0, ScannedCount: 0 };
    from = bucketText(first);
    to = bucketText(end - 1) + '\u{10FFFF}';
  }
  const options: PageOptions = {
    from,
    to,
    after,
    limit: input.Limit,
    filter,
    projection,
    select: input.Select,
    consistent: input.ConsistentRead === true,
    capacityMode: input.ReturnConsumedCapacity,
  };
  return (asText && readPageText(source, options)) || (readPage(ctx, source, options) as DDB.ScanOutput);
};
