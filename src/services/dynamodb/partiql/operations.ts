// ExecuteStatement, BatchExecuteStatement and ExecuteTransaction: PartiQL statements run as the
// item operations, transactions and reads they stand for (see execute.ts).

import type * as DDB from '@aws-sdk/client-dynamodb';
import { ServiceError } from '../../../errors.js';
import type { Handler, RequestContext } from '../../types.js';
import { validation } from '../errors.js';
import { getItem } from '../items/item-operations.js';
import { requireTable } from '../tables/state.js';
import { transactGetItems } from '../transactions/transact-get.js';
import { transactWriteItems } from '../transactions/transact-write.js';
import { duplicateItem, keyAndCondition, runStatement, writeInput } from './execute.js';
import type { Statement } from './parse.js';
import { parseStatement } from './statement.js';

export const executeStatement: Handler<DDB.ExecuteStatementInput, DDB.ExecuteStatementOutput> = (input, ctx) =>
  runStatement(ctx, input.Statement!, input.Parameters as unknown[] | undefined, input);

/** A SELECT in a batch or transaction reads one item: its WHERE clause must fix the whole key. */
function singleRead(ctx: RequestContext, s: Extract<Statement, { kind: 'select' }>): { TableName: string; Key: Record<string, unknown>; ProjectionExpression?: string; ExpressionAttributeNames?: Record<string, string> } {
  const table = requireTable(ctx, s.table);
  if (s.index !== undefined) throw validation('Index is not supported in this operation');
  const { key, condition } = keyAndCondition(table.shape, s.where);
  if (condition) throw validation('Where clause does not contain a mandatory equality on all key attributes');
  const out: ReturnType<typeof singleRead> = { TableName: s.table, Key: key };
  if (s.projection) Object.assign(out, { ProjectionExpression: s.projection.text, ExpressionAttributeNames: s.projection.names });
  return out;
}

function checkOneKind(statements: Statement[]): boolean {
  const reads = statements.filter((s) => s.kind === 'select').length;
  if (reads && reads !== statements.length) throw validation('Mixing read and write statements is not supported in this operation');
  return reads > 0;
}

/** A batch reports each statement's failure as a code like AWS's BatchStatementErrorCodeEnum. */
function batchErrorCode(code: string): string {
  const known: Record<string, string> = {
    ConditionalCheckFailedException: 'ConditionalCheckFailed',
    DuplicateItemException: 'DuplicateItem',
    ResourceNotFoundException: 'ResourceNotFound',
    ValidationException: 'ValidationError',
    TransactionConflictException: 'TransactionConflict',
  };
  return known[code] ?? 'InternalServerError';
}

export const batchExecuteStatement: Handler<DDB.BatchExecuteStatementInput, DDB.BatchExecuteStatementOutput> = async (input, ctx) => {
  const parsed = input.Statements!.map((s) => {
    try {
      return parseStatement(s.Statement!, (s.Parameters as unknown[] | undefined) ?? []);
    } catch (error) {
      return error as ServiceError;
    }
  });
  checkOneKind(parsed.filter((p): p is Statement => !(p instanceof ServiceError)));
  const responses: DDB.BatchStatementResponse[] = [];
  for (const [i, statement] of parsed.entries()) {
    const request = input.Statements![i]!;
    try {
      if (statement instanceof ServiceError) throw statement;
      if (statement.kind === 'select') {
        const read = singleRead(ctx, statement);
        const out = await getItem({ ...read, ConsistentRead: request.ConsistentRead } as DDB.GetItemInput, ctx);
        responses.push(out.Item ? { TableName: read.TableName, Item: out.Item } : { TableName: read.TableName });
      } else {
        if ((statement.kind === 'update' || statement.kind === 'delete') && statement.returning) throw validation('RETURNING is not supported in batch operations');
        await runStatement(ctx, request.Statement!, request.Parameters as unknown[] | undefined, { ReturnValuesOnConditionCheckFailure: request.ReturnValuesOnConditionCheckFailure });
        responses.push({ TableName: statement.table });
      }
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      const failure: DDB.BatchStatementResponse = { Error: { Code: batchErrorCode(error.code) as DDB.BatchStatementErrorCodeEnum, Message: error.message } };
      if (error.fields?.Item) failure.Error!.Item = error.fields.Item as DDB.BatchStatementError['Item'];
      if (!(statement instanceof ServiceError)) failure.TableName = statement.table;
      responses.push(failure);
    }
  }
  return { Responses: responses };
};

export const executeTransaction: Handler<DDB.ExecuteTransactionInput, DDB.ExecuteTransactionOutput> = async (input, ctx) => {
  const statements = input.TransactStatements!.map((s) => parseStatement(s.Statement!, (s.Parameters as unknown[] | undefined) ?? []));
  if (checkOneKind(statements)) {
    const reads = statements.map((s) => ({ Get: singleRead(ctx, s as Extract<Statement, { kind: 'select' }>) }));
    const out = await transactGetItems({ TransactItems: reads, ReturnConsumedCapacity: input.ReturnConsumedCapacity } as DDB.TransactGetItemsInput, ctx);
    const result: DDB.ExecuteTransactionOutput = { Responses: (out.Responses ?? []).map((r) => (r.Item ? { Item: r.Item } : {})) };
    if (out.ConsumedCapacity) result.ConsumedCapacity = out.ConsumedCapacity;
    return result;
  }
  const items = statements.map((s, i) => {
    if ((s.kind === 'update' || s.kind === 'delete') && s.returning) throw validation('RETURNING is not supported in transactions');
    const { operation, input: write } = writeInput(ctx, s as Exclude<Statement, { kind: 'select' }>);
    const onFailure = input.TransactStatements![i]!.ReturnValuesOnConditionCheckFailure;
    const entry = onFailure ? { ...write, ReturnValuesOnConditionCheckFailure: onFailure } : write;
    const kind = { PutItem: 'Put', UpdateItem: 'Update', DeleteItem: 'Delete', ConditionCheck: 'ConditionCheck' }[operation];
    return { [kind]: entry };
  });
  try {
    const out = await transactWriteItems({ TransactItems: items, ClientRequestToken: input.ClientRequestToken, ReturnConsumedCapacity: input.ReturnConsumedCapacity } as unknown as DDB.TransactWriteItemsInput, ctx);
    return out.ConsumedCapacity ? { ConsumedCapacity: out.ConsumedCapacity } : {};
  } catch (error) {
    // An INSERT whose key exists cancels the transaction with DuplicateItem as its reason.
    if (error instanceof ServiceError && error.code === 'TransactionCanceledException') {
      const reasons = (error.fields?.CancellationReasons ?? []) as Array<{ Code: string; Message?: string }>;
      for (const [i, reason] of reasons.entries()) {
        if (reason.Code === 'ConditionalCheckFailed' && statements[i]!.kind === 'insert') {
          reasons[i] = { Code: 'DuplicateItem', Message: duplicateItem().message };
        }
      }
    }
    throw error;
  }
};
