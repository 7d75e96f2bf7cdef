// UpdateTable: throughput, billing mode, stream specification, and global secondary indexes
// created (backfilled from the table's items) or deleted. Changes take effect at once; the
// response shows UPDATING as AWS's does.

import type * as DDB from '@aws-sdk/client-dynamodb';
import type { Handler, RequestContext } from '../../types.js';
import { invalidParameter, limitExceeded, resourceNotFound, validation } from '../errors.js';
import { backfillIndex } from '../items/writes.js';
import { checkKeySchema, checkProjection, checkThroughputBounds, indexRecord, newThroughput, requireViewType, streamFor, CREATE_DELAY_MS } from './create-table.js';
import { closeStream, openStream } from '../streams/lifecycle.js';
import { describeTable } from './describe.js';
import { indexItemsOf, tables, type TableRecord, type Throughput } from './state.js';
import { requireTableForControl } from './table-operations.js';

function checkRequest(input: DDB.UpdateTableInput): void {
  const hasIndexUpdates = (input.GlobalSecondaryIndexUpdates?.length ?? 0) > 0;
  if (!input.ProvisionedThroughput && !input.BillingMode && !input.StreamSpecification && !hasIndexUpdates && !input.SSESpecification &&
      !input.ReplicaUpdates && input.DeletionProtectionEnabled === undefined && !input.TableClass && !input.OnDemandThroughput && !input.WarmThroughput) {
    throw validation('At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required');
  }
  if (input.BillingMode === 'PROVISIONED' && !input.ProvisionedThroughput) throw invalidParameter('ProvisionedThroughput must be specified when BillingMode is PROVISIONED');
  checkThroughputBounds(input.ProvisionedThroughput);
  const names = new Set<string>();
  for (const update of input.GlobalSecondaryIndexUpdates ?? []) {
    if (!update.Update && !update.Create && !update.Delete) {
      throw invalidParameter('One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Delete must not be null');
    }
    const name = (update.Update ?? update.Create ?? update.Delete)!.IndexName!;
    if (names.has(name)) throw invalidParameter(`Only one global secondary index update per index is allowed simultaneously. Index: ${name}`);
    names.add(name);
  }
}

function changeThroughput(current: Throughput, requested: DDB.ProvisionedThroughput, now: number, what: string): void {
  const read = requested.ReadCapacityUnits!;
  const write = requested.WriteCapacityUnits!;
  if (read === current.read && write === current.write) {
    throw validation(
      `The provisioned throughput for the ${what} will not change. The requested value equals the current value. Current ReadCapacityUnits provisioned for the ${what}: ${current.read}. Requested ReadCapacityUnits: ${read}. Current WriteCapacityUnits provisioned for the ${what}: ${current.write}. Requested WriteCapacityUnits: ${write}. Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.`,
    );
  }
  if (read > current.read || write > current.write) current.lastIncrease = now;
  if (read < current.read || write < current.write) {
    current.lastDecrease = now;
    current.decreasesToday++;
  }
  current.read = read;
  current.write = write;
}

function applyIndexUpdates(ctx: RequestContext, table: TableRecord, input: DDB.UpdateTableInput, now: number): void {
  const updates = input.GlobalSecondaryIndexUpdates ?? [];
  const structural = updates.filter((u) => u.Create || u.Delete);
  if (structural.length > 1) throw limitExceeded('Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table');
  for (const update of updates) {
    if (update.Create) {
      const create = update.Create;
      if (table.globalIndexes.some((i) => i.name === create.IndexName) || table.localIndexes.some((i) => i.name === create.IndexName)) {
        throw invalidParameter(`Index already exists: ${create.IndexName}`);
      }
      const definitions = (input.AttributeDefinitions ?? table.attributeDefinitions).map((d) => d.AttributeName!);
      checkKeySchema(create.KeySchema!, definitions);
      checkProjection(create.Projection!);
      if (table.billingMode === 'PAY_PER_REQUEST' && create.ProvisionedThroughput) {
        throw invalidParameter(`ProvisionedThroughput should not be specified for index: ${create.IndexName} when BillingMode is PAY_PER_REQUEST`);
      }
      if (table.billingMode === 'PROVISIONED' && !create.ProvisionedThroughput) {
        throw invalidParameter(`ProvisionedThroughput must be specified for index: ${create.IndexName}`);
      }
      if (table.globalIndexes.length >= 20) throw invalidParameter('GlobalSecondaryIndex count exceeds the per-table limit of 20');
      // New key attributes join the table's definitions.
      for (const d of input.AttributeDefinitions ?? []) {
        const existing = table.attributeDefinitions.find((x) => x.AttributeName === d.AttributeName);
        if (!existing) table.attributeDefinitions.push(d);
        else if (existing.AttributeType !== d.AttributeType) {
          throw invalidParameter(`Cannot change the type of attribute ${d.AttributeName} from ${existing.AttributeType} to ${d.AttributeType}`);
        }
      }
      const index = indexRecord(ctx, table, create, 'global');
      index.readyAt = now + CREATE_DELAY_MS;
      table.globalIndexes.push(index);
      backfillIndex(ctx, table, index);
    } else if (update.Delete) {
      const at = table.globalIndexes.findIndex((i) => i.name === update.Delete!.IndexName);
      if (at < 0) throw resourceNotFound(`Requested resource not found: Index: ${update.Delete.IndexName} not found`);
      indexItemsOf(ctx, table, table.globalIndexes[at]!.name).deletePrefix('');
      table.globalIndexes.splice(at, 1);
    } else if (update.Update) {
      const index = table.globalIndexes.find((i) => i.name === update.Update!.IndexName);
      if (!index) throw resourceNotFound(`Requested resource not found: Index: ${update.Update.IndexName} not found`);
      if (update.Update.ProvisionedThroughput) changeThroughput(index.throughput!, update.Update.ProvisionedThroughput, now, 'index');
    }
  }
}

function applyBillingMode(table: TableRecord, input: DDB.UpdateTableInput, now: number): void {
  const mode = input.BillingMode ?? table.billingMode;
  if (input.ProvisionedThroughput && mode === 'PAY_PER_REQUEST') {
    throw invalidParameter('Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST');
  }
  if (input.BillingMode && input.BillingMode !== table.billingMode) {
    table.billingModeExplicit = true;
    if (input.BillingMode === 'PAY_PER_REQUEST') {
      table.billingMode = 'PAY_PER_REQUEST';
      table.billingModeChangedAt = now;
      table.throughput = { read: 0, write: 0, decreasesToday: table.throughput.decreasesToday };
      for (const index of table.globalIndexes) index.throughput = { read: 0, write: 0, decreasesToday: 0 };
    } else {
      table.billingMode = 'PROVISIONED';
      table.throughput = newThroughput(input.ProvisionedThroughput);
      const updated = new Set((input.GlobalSecondaryIndexUpdates ?? []).filter((u) => u.Update?.ProvisionedThroughput).map((u) => u.Update!.IndexName));
      const missing = table.globalIndexes.filter((i) => !updated.has(i.name)).map((i) => i.name);
      if (missing.length) throw invalidParameter(`ProvisionedThroughput must be specified for index: ${missing.join(',')}`);
    }
    return;
  }
  if (input.BillingMode === 'PAY_PER_REQUEST') table.billingModeExplicit = true;
  if (input.ProvisionedThroughput) changeThroughput(table.throughput, input.ProvisionedThroughput, now, 'table');
}

function applyStream(ctx: RequestContext, table: TableRecord, spec: DDB.StreamSpecification): void {
  if (spec.StreamEnabled) {
    requireViewType(spec);
    if (table.stream.enabled) throw validation(`Table already has an enabled stream: TableName: ${table.name}`);
    table.stream = streamFor(ctx, table.name, spec);
    openStream(ctx, table);
  } else if (table.stream.enabled) {
    closeStream(ctx, table.stream.arn);
    table.stream = { ...table.stream, enabled: false, viewType: undefined };
  }
}

export const updateTable: Handler<DDB.UpdateTableInput, DDB.UpdateTableOutput> = (input, ctx) => {
  checkRequest(input);
  const table = requireTableForControl(ctx, input.TableName!);
  const now = ctx.clock.now();
  ctx.store.transaction(() => {
    applyBillingMode(table, input, now);
    applyIndexUpdates(ctx, table, input, now);
    if (input.StreamSpecification) applyStream(ctx, table, input.StreamSpecification);
    if (input.DeletionProtectionEnabled !== undefined) table.deletionProtection = input.DeletionProtectionEnabled;
    if (input.TableClass) table.tableClass = input.TableClass;
    if (input.SSESpecification) table.sse = input.SSESpecification;
    tables(ctx).put(table.name, table);
  });
  return { TableDescription: describeTable(ctx, table, { status: 'UPDATING' }) };
};
