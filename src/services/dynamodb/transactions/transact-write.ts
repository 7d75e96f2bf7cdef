// TransactWriteItems: every action is checked and every condition evaluated before anything is
// written; then all writes land in one store transaction, or none do and the caller gets
// TransactionCanceledException with one reason per action, in order. A ClientRequestToken
// makes the call idempotent for ten minutes on Fogbank's clock.

import type * as DDB from '@aws-sdk/client-dynamodb';
import { createHash } from 'node:crypto';
import { ServiceError } from '../../../errors.js';
import type { Handler, RequestContext } from '../../types.js';
import { idempotentParameterMismatch, transactionCanceled, validation, type CancellationReason } from '../errors.js';
import { matches } from '../expressions/evaluate.js';
import type { Condition, Update } from '../expressions/resolved.js';
import { checkExpressionParameters, resolveExpressions, type ExpressionInput } from '../expressions/request.js';
import { applyUpdates } from '../expressions/update.js';
import { checkItemKey, checkKey, keyOf, storeKey } from '../keys.js';
import { checkItemSize, writeCapacity } from '../items/common.js';
import { checkIndexKeys, commitWrite } from '../items/writes.js';
import { itemsOf, requireTable, type TableRecord } from '../tables/state.js';
import { checkMap, itemSize, type AttributeMap } from '../values.js';

const TOKEN_LIFETIME_MS = 10 * 60 * 1000;
const MAX_TRANSACTION_BYTES = 4 * 1024 * 1024;

interface Action {
  kind: 'Put' | 'Update' | 'Delete' | 'ConditionCheck';
  table: TableRecord;
  key: AttributeMap;
  storeId: string;
  item?: AttributeMap;
  updates?: Update[];
  condition?: Condition;
  returnOnFailure?: string;
  /** A problem with this action's key or item, reported as its ValidationError reason. */
  problem?: string;
}

interface TokenRecord {
  hash: string;
  expiresAt: number;
}

function plan(ctx: RequestContext, entry: DDB.TransactWriteItem): Action {
  const kind = (['Put', 'Update', 'Delete', 'ConditionCheck'] as const).find((k) => entry[k] !== undefined);
  if (!kind) throw validation('TransactItems can only contain one of Check, Put, Update or Delete');
  const body = entry[kind] as DDB.Put & DDB.Update & DDB.Delete & DDB.ConditionCheck;
  const raw = body as unknown as ExpressionInput;
  checkExpressionParameters(raw, kind === 'Update' ? ['UpdateExpression', 'ConditionExpression'] : ['ConditionExpression'], []);
  const item = kind === 'Put' ? checkMap(body.Item as Record<string, unknown>) : undefined;
  const key = item ?? checkMap(body.Key as Record<string, unknown>);
  const expressions = resolveExpressions(raw);
  if (kind === 'ConditionCheck' && !expressions.condition) throw validation('The ConditionExpression parameter is required for ConditionCheck');
  const table = requireTable(ctx, body.TableName!);
  const action: Action = { kind, table, key, storeId: '', item, updates: expressions.update, condition: expressions.condition, returnOnFailure: body.ReturnValuesOnConditionCheckFailure };
  try {
    if (item) {
      checkItemKey(table.shape, item);
      checkItemSize(item);
      checkIndexKeys(table, item);
    } else checkKey(table.shape, key);
    action.storeId = storeKey(table.shape, key);
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    action.problem = error.message;
  }
  return action;
}

function requestHash(input: DDB.TransactWriteItemsInput): string {
  return createHash('sha256').update(JSON.stringify(input.TransactItems, (_k, v) => (Buffer.isBuffer(v) ? v.toString('base64') : v))).digest('hex');
}

export const transactWriteItems: Handler<DDB.TransactWriteItemsInput, DDB.TransactWriteItemsOutput> = (input, ctx) => {
  const entries = input.TransactItems ?? [];
  const actions = entries.map((e) => plan(ctx, e));
  const targets = new Set<string>();
  for (const a of actions) {
    if (a.problem) continue;
    const id = `${a.table.id}\u0000${a.storeId}`;
    if (targets.has(id)) throw validation('Transaction request cannot include multiple operations on one item');
    targets.add(id);
  }
  const tokens = ctx.collection<TokenRecord>('transaction-tokens');
  const now = ctx.clock.now();
  if (input.ClientRequestToken) {
    const known = tokens.get(input.ClientRequestToken);
    if (known && known.expiresAt > now) {
      if (known.hash !== requestHash(input)) throw idempotentParameterMismatch();
      return {};
    }
  }
  let bytes = 0;
  const reasons: CancellationReason[] = [];
  const writes: Array<{ action: Action; before?: AttributeMap; after?: AttributeMap }> = [];
  for (const action of actions) {
    if (action.problem) {
      reasons.push({ Code: 'ValidationError', Message: action.problem });
      continue;
    }
    const before = itemsOf(ctx, action.table).get(action.storeId);
    if (action.condition && !matches(action.condition, before ?? {})) {
      const reason: CancellationReason = { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' };
      if (action.returnOnFailure === 'ALL_OLD' && before) reason.Item = before;
      reasons.push(reason);
      continue;
    }
    try {
      let after: AttributeMap | undefined;
      if (action.kind === 'Put') after = action.item;
      else if (action.kind === 'Update') {
        after = applyUpdates(before ?? keyOf(action.table.shape, action.key), action.updates ?? []);
        for (const part of [action.table.shape.hash, action.table.shape.range]) {
          if (part && (action.updates ?? []).some((u) => u.path[0] === part.name)) {
            throw validation(`One or more parameter values were invalid: Cannot update attribute ${part.name}. This attribute is part of the key`);
          }
        }
        checkItemSize(after, true);
        checkIndexKeys(action.table, after);
      }
      if (after) bytes += itemSize(after);
      if (action.kind !== 'ConditionCheck') writes.push({ action, before, after });
      reasons.push({ Code: 'None' });
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      reasons.push({ Code: 'ValidationError', Message: error.message });
    }
  }
  if (reasons.some((r) => r.Code !== 'None')) throw transactionCanceled(reasons);
  if (bytes > MAX_TRANSACTION_BYTES) {
    throw validation('Collection size of items exceeded, which can also be caused by the aggregate size of the items in the transaction exceeding the 4MB limit');
  }
  const capacity = new Map<string, DDB.ConsumedCapacity>();
  ctx.store.transaction(() => {
    for (const { action, before, after } of writes) {
      if (after || before) commitWrite(ctx, action.table, action.storeId, before, after);
      const c = writeCapacity(input.ReturnConsumedCapacity, action.table, before, after);
      if (c) {
        // Transactional writes cost two units per unit of item size.
        c.CapacityUnits! *= 2;
        const sum = capacity.get(action.table.name);
        if (sum) sum.CapacityUnits! += c.CapacityUnits!;
        else capacity.set(action.table.name, c);
      }
    }
    if (input.ClientRequestToken) tokens.put(input.ClientRequestToken, { hash: requestHash(input), expiresAt: now + TOKEN_LIFETIME_MS });
  });
  const out: DDB.TransactWriteItemsOutput = {};
  if (capacity.size) out.ConsumedCapacity = [...capacity.values()];
  return out;
};
