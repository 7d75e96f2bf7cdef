// Running PartiQL statements through DynamoDB's own operations: SELECT becomes a Query when the
// WHERE clause fixes the partition key (a Scan otherwise, as in AWS), INSERT a PutItem that
// refuses an existing key, UPDATE an UpdateItem of an existing item, DELETE a DeleteItem. The
// WHERE clause of UPDATE and DELETE must fix the whole primary key; RETURNING becomes their
// ReturnValues. EXISTS(SELECT ...) becomes a transaction's ConditionCheck on the item it names.

import type * as DDB from '@aws-sdk/client-dynamodb';
import { ServiceError } from '../../../errors.js';
import type { RequestContext } from '../../types.js';
import { validation } from '../errors.js';
import { deleteItem, putItem, updateItem } from '../items/item-operations.js';
import { query, scan } from '../reads/query-and-scan.js';
import { findIndex, requireTable } from '../tables/state.js';
import type { KeyShape } from '../keys.js';
import type { KeyEquality, Statement, Translated, Where } from './parse.js';
import { parseStatement } from './statement.js';

type Expressions = { ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues?: Record<string, unknown> };

function merge(parts: Translated[], joiner = ' AND '): Translated | undefined {
  if (!parts.length) return undefined;
  const out: Translated = { text: parts.map((p) => (parts.length > 1 ? `(${p.text})` : p.text)).join(joiner), names: {}, values: {} };
  for (const p of parts) {
    Object.assign(out.names, p.names);
    Object.assign(out.values, p.values);
  }
  return out;
}

function expressionParameters(...parts: Array<Translated | undefined>): Expressions {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  for (const p of parts) {
    if (!p) continue;
    Object.assign(names, p.names);
    Object.assign(values, p.values);
  }
  const out: Expressions = {};
  if (Object.keys(names).length) out.ExpressionAttributeNames = names;
  if (Object.keys(values).length) out.ExpressionAttributeValues = values;
  return out;
}

function namesOf(t: Translated): Set<string> {
  return new Set(Object.values(t.names));
}

/** The primary key a WHERE clause fixes with equalities, and the rest of the clause as a condition. */
export function keyAndCondition(shape: KeyShape, where: Where | undefined): { key: Record<string, unknown>; condition?: Translated } {
  const wanted = [shape.hash.name, shape.range?.name].filter((n): n is string => n !== undefined);
  const key: Record<string, unknown> = {};
  const rest: Translated[] = [];
  for (const term of where?.terms ?? []) {
    const eq: KeyEquality | undefined = term.equality;
    if (eq && wanted.includes(eq.name) && key[eq.name] === undefined) key[eq.name] = eq.value;
    else rest.push(term.translated);
  }
  if (wanted.some((n) => key[n] === undefined)) throw validation('Where clause does not contain a mandatory equality on all key attributes');
  return { key, condition: merge(rest) };
}

function attributeExists(name: string): Translated {
  return { text: 'attribute_exists(#pk_exists)', names: { '#pk_exists': name }, values: {} };
}

function attributeMissing(name: string): Translated {
  return { text: 'attribute_not_exists(#pk_missing)', names: { '#pk_missing': name }, values: {} };
}

export function encodeToken(key: Record<string, unknown> | undefined): string | undefined {
  if (!key) return undefined;
  return Buffer.from(JSON.stringify(key, (_k, v: unknown) => (v instanceof Uint8Array ? { B64: Buffer.from(v).toString('base64') } : v))).toString('base64');
}

function decodeToken(token: string | undefined): Record<string, unknown> | undefined {
  if (token === undefined) return undefined;
  try {
    return JSON.parse(Buffer.from(token, 'base64').toString('utf8'), (_k, v: unknown) => {
      const b64 = (v as { B64?: unknown } | null)?.B64;
      return typeof b64 === 'string' ? b64 : v;
    }) as Record<string, unknown>;
  } catch {
    throw validation('Invalid NextToken');
  }
}

export interface RunOptions {
  ConsistentRead?: boolean;
  ReturnConsumedCapacity?: string;
  Limit?: number;
  NextToken?: string;
  ReturnValuesOnConditionCheckFailure?: string;
}

async function select(ctx: RequestContext, s: Extract<Statement, { kind: 'select' }>, options: RunOptions): Promise<DDB.ExecuteStatementOutput> {
  const table = requireTable(ctx, s.table);
  const index = s.index !== undefined ? findIndex(table, s.index) : undefined;
  if (s.index !== undefined && !index) throw validation(`The table does not have the specified index: ${s.index}`);
  const shape = index?.shape ?? table.shape;
  const keyNames = new Set([shape.hash.name, shape.range?.name]);
  const terms = s.where?.terms ?? [];
  const hashTerm = terms.find((t) => t.equality?.name === shape.hash.name);
  const common = {
    TableName: s.table,
    IndexName: s.index,
    ConsistentRead: options.ConsistentRead,
    ReturnConsumedCapacity: options.ReturnConsumedCapacity,
    Limit: options.Limit,
    ExclusiveStartKey: decodeToken(options.NextToken),
    ProjectionExpression: s.projection?.text,
  };
  let out: DDB.QueryOutput;
  const rest = terms.filter((t) => t !== hashTerm);
  const rangeTerms = rest.filter((t) => [...namesOf(t.translated)].some((n) => keyNames.has(n)));
  const simpleRange = rangeTerms.length === 1 && namesOf(rangeTerms[0]!.translated).size === 1 && !/ OR |NOT |attribute_| IN /.test(rangeTerms[0]!.translated.text);
  if (hashTerm && (rangeTerms.length === 0 || simpleRange)) {
    const keyCondition = merge([hashTerm.translated, ...rangeTerms.map((t) => t.translated)])!;
    const filter = merge(rest.filter((t) => !rangeTerms.includes(t)).map((t) => t.translated));
    out = await query({ ...common, KeyConditionExpression: keyCondition.text, FilterExpression: filter?.text, ...expressionParameters(keyCondition, filter, s.projection) } as DDB.QueryInput, ctx);
  } else {
    const filter = merge(terms.map((t) => t.translated));
    out = await scan({ ...common, FilterExpression: filter?.text, ...expressionParameters(filter, s.projection) } as DDB.ScanInput, ctx);
  }
  const result: DDB.ExecuteStatementOutput = { Items: out.Items ?? [] };
  const token = encodeToken(out.LastEvaluatedKey as Record<string, unknown> | undefined);
  if (token) {
    result.NextToken = token;
    result.LastEvaluatedKey = out.LastEvaluatedKey;
  }
  if (out.ConsumedCapacity) result.ConsumedCapacity = out.ConsumedCapacity;
  return result;
}

/** The input of the item operation (or transaction condition check) a write statement becomes. */
export function writeInput(ctx: RequestContext, s: Exclude<Statement, { kind: 'select' }>): { operation: 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'ConditionCheck'; input: Record<string, unknown> } {
  const table = requireTable(ctx, s.table);
  if (s.kind === 'insert') {
    const missing = attributeMissing(table.shape.hash.name);
    return { operation: 'PutItem', input: { TableName: s.table, Item: s.item, ConditionExpression: missing.text, ExpressionAttributeNames: missing.names } };
  }
  const { key, condition } = keyAndCondition(table.shape, s.where);
  if (s.kind === 'exists') {
    const full = merge([attributeExists(table.shape.hash.name), ...(condition ? [condition] : [])])!;
    return { operation: 'ConditionCheck', input: { TableName: s.table, Key: key, ConditionExpression: full.text, ...expressionParameters(full) } };
  }
  if (s.kind === 'update') {
    const full = merge([attributeExists(table.shape.hash.name), ...(condition ? [condition] : [])])!;
    return { operation: 'UpdateItem', input: { TableName: s.table, Key: key, UpdateExpression: s.update.text, ConditionExpression: full.text, ...expressionParameters(s.update, full) } };
  }
  const input: Record<string, unknown> = { TableName: s.table, Key: key };
  if (condition) Object.assign(input, { ConditionExpression: condition.text, ...expressionParameters(condition) });
  return { operation: 'DeleteItem', input };
}

export function duplicateItem(): ServiceError {
  return new ServiceError('DuplicateItemException', 'Duplicate primary key exists in table');
}

/** EXISTS is a condition check, which only a transaction has. */
export function existsOutsideTransaction(): ServiceError {
  return validation('EXISTS function can only be used in transactions');
}

export async function runStatement(ctx: RequestContext, text: string, parameters: unknown[] | undefined, options: RunOptions): Promise<DDB.ExecuteStatementOutput> {
  const statement = parseStatement(text, parameters ?? []);
  if (statement.kind === 'select') return select(ctx, statement, options);
  if (statement.kind === 'exists') throw existsOutsideTransaction();
  const { operation, input } = writeInput(ctx, statement);
  const extra = { ReturnConsumedCapacity: options.ReturnConsumedCapacity, ReturnValuesOnConditionCheckFailure: options.ReturnValuesOnConditionCheckFailure };
  const returnValues = statement.kind === 'insert' ? undefined : statement.returning;
  let out: { ConsumedCapacity?: DDB.ConsumedCapacity; Attributes?: Record<string, unknown> };
  try {
    if (operation === 'PutItem') out = await putItem({ ...input, ReturnConsumedCapacity: extra.ReturnConsumedCapacity } as DDB.PutItemInput, ctx);
    else if (operation === 'UpdateItem') out = await updateItem({ ...input, ...extra, ReturnValues: returnValues } as DDB.UpdateItemInput, ctx);
    else out = await deleteItem({ ...input, ...extra, ReturnValues: returnValues } as DDB.DeleteItemInput, ctx);
  } catch (error) {
    if (statement.kind === 'insert' && error instanceof ServiceError && error.code === 'ConditionalCheckFailedException') throw duplicateItem();
    throw error;
  }
  // RETURNING answers the attributes as the statement's one item.
  const result: DDB.ExecuteStatementOutput = { Items: returnValues && out.Attributes ? [out.Attributes as NonNullable<DDB.ExecuteStatementOutput['Items']>[number]] : [] };
  if (out.ConsumedCapacity) result.ConsumedCapacity = out.ConsumedCapacity;
  return result;
}
