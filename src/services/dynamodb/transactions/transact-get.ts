// TransactGetItems: up to 100 reads answered from one consistent snapshot (Node runs one handler
// at a time, so no write can land between them). A bad key is a ValidationError reason in
// TransactionCanceledException, as AWS reports it.

import type * as DDB from '@aws-sdk/client-dynamodb';
import { ServiceError } from '../../../errors.js';
import type { Handler } from '../../types.js';
import { transactionCanceled, validation, type CancellationReason } from '../errors.js';
import { projectItem } from '../expressions/paths.js';
import { checkExpressionParameters, resolveExpressions, type ExpressionInput } from '../expressions/request.js';
import { checkKey, storeKey } from '../keys.js';
import { consumedCapacity, readUnits } from '../items/common.js';
import { itemsOf, requireTable } from '../tables/state.js';
import { checkMap, itemSize, type AttributeMap } from '../values.js';

export const transactGetItems: Handler<DDB.TransactGetItemsInput, DDB.TransactGetItemsOutput> = (input, ctx) => {
  const plans = (input.TransactItems ?? []).map((entry) => {
    const get = entry.Get!;
    const raw = get as unknown as ExpressionInput;
    checkExpressionParameters(raw, ['ProjectionExpression'], []);
    const key = checkMap(get.Key as Record<string, unknown>);
    const projection = resolveExpressions(raw).projection;
    const table = requireTable(ctx, get.TableName!);
    let problem: string | undefined;
    try {
      checkKey(table.shape, key);
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      problem = error.message;
    }
    return { table, key, projection, problem };
  });
  const targets = new Set<string>();
  for (const p of plans) {
    if (p.problem) continue;
    const id = `${p.table.id}\u0000${storeKey(p.table.shape, p.key)}`;
    if (targets.has(id)) throw validation('Transaction request cannot include multiple operations on one item');
    targets.add(id);
  }
  if (plans.some((p) => p.problem)) {
    throw transactionCanceled(plans.map((p): CancellationReason => (p.problem ? { Code: 'ValidationError', Message: p.problem } : { Code: 'None' })));
  }
  const capacity = new Map<string, DDB.ConsumedCapacity>();
  const responses = plans.map(({ table, key, projection }) => {
    const item: AttributeMap | undefined = itemsOf(ctx, table).get(storeKey(table.shape, key));
    // Transactional reads cost two units per 4 KB.
    const c = consumedCapacity(input.ReturnConsumedCapacity, table, readUnits(item ? itemSize(item) : 0, true) * 2);
    if (c) {
      const sum = capacity.get(table.name);
      if (sum) sum.CapacityUnits! += c.CapacityUnits!;
      else capacity.set(table.name, c);
    }
    return item ? { Item: projection ? projectItem(item, projection) : item } : {};
  });
  const out: DDB.TransactGetItemsOutput = { Responses: responses as DDB.TransactGetItemsOutput['Responses'] };
  if (capacity.size) out.ConsumedCapacity = [...capacity.values()];
  return out;
};
