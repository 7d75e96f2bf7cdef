// DescribeTable, ListTables, DeleteTable, DescribeLimits and DescribeEndpoints.

import type * as DDB from '@aws-sdk/client-dynamodb';
import type { Handler, RequestContext } from '../../types.js';
import { resourceInUse, tableNotFound, validation } from '../errors.js';
import { closeStream } from '../streams/lifecycle.js';
import { disarmExpiry, scheduleOf } from '../ttl/expiry.js';
import { describeTable } from './describe.js';
import { indexItemsOf, itemsOf, tables, tableStatus, type TableRecord } from './state.js';

/** The table a control-plane call names, or "Requested resource not found: Table: <name> not found". */
export function requireTableForControl(ctx: RequestContext, name: string): TableRecord {
  const table = tables(ctx).get(name);
  if (!table) throw tableNotFound(name);
  return table;
}

export const describeTableOperation: Handler<DDB.DescribeTableInput, DDB.DescribeTableOutput> = (input, ctx) => {
  const table = requireTableForControl(ctx, input.TableName!);
  return { Table: describeTable(ctx, table) };
};

export const listTables: Handler<DDB.ListTablesInput, DDB.ListTablesOutput> = (input, ctx) => {
  const limit = input.Limit ?? 100;
  const page = tables(ctx).list({ after: input.ExclusiveStartTableName, limit: limit + 1 });
  const names = page.slice(0, limit).map(([name]) => name);
  const out: DDB.ListTablesOutput = { TableNames: names };
  if (page.length > limit) out.LastEvaluatedTableName = names[names.length - 1];
  return out;
};

export const deleteTable: Handler<DDB.DeleteTableInput, DDB.DeleteTableOutput> = (input, ctx) => {
  const table = requireTableForControl(ctx, input.TableName!);
  const status = tableStatus(table, ctx.clock.now());
  if (status === 'CREATING') throw resourceInUse(`Attempt to change a resource which is still in use: Table is being created: ${table.name}`);
  if (status === 'UPDATING') throw resourceInUse(`Attempt to change a resource which is still in use: Table is being updated: ${table.name}`);
  if (table.deletionProtection) {
    throw validation('Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.');
  }
  const description = describeTable(ctx, table, { status: 'DELETING' });
  ctx.store.transaction(() => {
    tables(ctx).delete(table.name);
    itemsOf(ctx, table).deletePrefix('');
    for (const index of [...table.globalIndexes, ...table.localIndexes]) indexItemsOf(ctx, table, index.name).deletePrefix('');
    scheduleOf(ctx, table.id).deletePrefix('');
    // Deleting a table makes no stream records; its stream stays readable for 24 hours.
    if (table.stream.enabled) closeStream(ctx, table.stream.arn);
  });
  disarmExpiry(ctx, table.id);
  return { TableDescription: description };
};

/** AWS's default per-account and per-table quotas. */
export const describeLimits: Handler<DDB.DescribeLimitsInput, DDB.DescribeLimitsOutput> = () => ({
  AccountMaxReadCapacityUnits: 80000,
  AccountMaxWriteCapacityUnits: 80000,
  TableMaxReadCapacityUnits: 40000,
  TableMaxWriteCapacityUnits: 40000,
});

export const describeEndpoints: Handler<DDB.DescribeEndpointsRequest, DDB.DescribeEndpointsResponse> = (_input, ctx) => {
  const host = ctx.headers.host ?? `dynamodb.${ctx.region}.amazonaws.com`;
  return { Endpoints: [{ Address: host, CachePeriodInMinutes: 1440 }] };
};
