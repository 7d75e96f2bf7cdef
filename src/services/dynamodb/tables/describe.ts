// TableDescription as DescribeTable, CreateTable, UpdateTable and DeleteTable return it.

import type * as DDB from '@aws-sdk/client-dynamodb';
import type { Collection } from '../../../store/store.js';
import type { RequestContext } from '../../types.js';
import { itemSize, type AttributeMap } from '../values.js';
import { indexItemsOf, indexStatus, itemsOf, tableStatus, type IndexRecord, type TableRecord, type TableStatus, type Throughput } from './state.js';

/** Tables bigger than this report a size extrapolated from a sample (AWS itself refreshes these figures only every six hours). */
const EXACT_SIZE_LIMIT = 10_000;

function sizeAndCount(collection: Collection<AttributeMap>): { count: number; bytes: number } {
  const count = collection.count();
  if (count === 0) return { count, bytes: 0 };
  let bytes = 0;
  let seen = 0;
  for (const [, item] of collection.iterate({ limit: Math.min(count, EXACT_SIZE_LIMIT) })) {
    bytes += itemSize(item);
    seen++;
  }
  return { count, bytes: seen === count ? bytes : Math.round((bytes / seen) * count) };
}

/** A timestamp as the wire carries it (the service answers in raw JSON): epoch seconds, typed as the SDK's Date. */
function epochSeconds(ms: number): Date {
  return (ms / 1000) as unknown as Date;
}

function throughputDescription(t: Throughput, payPerRequest: boolean): DDB.ProvisionedThroughputDescription {
  const out: DDB.ProvisionedThroughputDescription = {
    NumberOfDecreasesToday: t.decreasesToday,
    ReadCapacityUnits: payPerRequest ? 0 : t.read,
    WriteCapacityUnits: payPerRequest ? 0 : t.write,
  };
  if (t.lastIncrease) out.LastIncreaseDateTime = epochSeconds(t.lastIncrease);
  if (t.lastDecrease) out.LastDecreaseDateTime = epochSeconds(t.lastDecrease);
  return out;
}

function indexDescription(ctx: RequestContext, table: TableRecord, index: IndexRecord, withStats: boolean): DDB.GlobalSecondaryIndexDescription {
  const stats = withStats ? sizeAndCount(indexItemsOf(ctx, table, index.name)) : { count: 0, bytes: 0 };
  const out: DDB.GlobalSecondaryIndexDescription = {
    IndexName: index.name,
    KeySchema: index.keySchema,
    Projection: index.projection,
    IndexSizeBytes: stats.bytes,
    ItemCount: stats.count,
    IndexArn: index.arn,
  };
  if (index.kind === 'global') {
    const status = indexStatus(index, ctx.clock.now());
    out.IndexStatus = status;
    if (status === 'CREATING') out.Backfilling = false;
    out.ProvisionedThroughput = throughputDescription(index.throughput ?? { read: 0, write: 0, decreasesToday: 0 }, table.billingMode === 'PAY_PER_REQUEST');
  }
  return out;
}

export function describeTable(ctx: RequestContext, table: TableRecord, options: { status?: TableStatus; withStats?: boolean } = {}): DDB.TableDescription {
  const withStats = options.withStats ?? true;
  const stats = withStats ? sizeAndCount(itemsOf(ctx, table)) : { count: 0, bytes: 0 };
  const payPerRequest = table.billingMode === 'PAY_PER_REQUEST';
  const out: DDB.TableDescription = {
    AttributeDefinitions: table.attributeDefinitions,
    TableName: table.name,
    KeySchema: table.keySchema,
    TableStatus: options.status ?? tableStatus(table, ctx.clock.now()),
    CreationDateTime: epochSeconds(table.createdAt),
    ProvisionedThroughput: throughputDescription(table.throughput, payPerRequest),
    TableSizeBytes: stats.bytes,
    ItemCount: stats.count,
    TableArn: table.arn,
    TableId: table.id,
  };
  if (payPerRequest || table.billingModeExplicit) {
    out.BillingModeSummary = { BillingMode: table.billingMode };
    if (payPerRequest) out.BillingModeSummary.LastUpdateToPayPerRequestDateTime = epochSeconds(table.billingModeChangedAt ?? table.createdAt);
  }
  if (table.localIndexes.length) out.LocalSecondaryIndexes = table.localIndexes.map((i) => indexDescription(ctx, table, i, withStats) as DDB.LocalSecondaryIndexDescription);
  if (table.globalIndexes.length) out.GlobalSecondaryIndexes = table.globalIndexes.map((i) => indexDescription(ctx, table, i, withStats));
  if (table.stream.enabled) out.StreamSpecification = { StreamEnabled: true, StreamViewType: table.stream.viewType };
  if (table.stream.arn) {
    out.LatestStreamLabel = table.stream.label;
    out.LatestStreamArn = table.stream.arn;
  }
  if (table.tableClass) out.TableClassSummary = { TableClass: table.tableClass as DDB.TableClass };
  if (table.sse?.Enabled) out.SSEDescription = { Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: table.sse.KMSMasterKeyId ?? `arn:aws:kms:${ctx.region}:${ctx.account}:key/aws/dynamodb` };
  out.DeletionProtectionEnabled = table.deletionProtection;
  return out;
}
