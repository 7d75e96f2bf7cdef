// CreateTable: DynamoDB's schema checks in the order the service applies them, then a table that
// is CREATING for a moment of Fogbank's clock (so SDK waiters see it become ACTIVE at once).

import type * as DDB from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';
import { arn } from '../../common/arn.js';
import { checkTagCount } from '../../common/tags.js';
import type { Handler, RequestContext } from '../../types.js';
import { invalidParameter, limitExceeded, resourceInUse, validation } from '../errors.js';
import { openStream } from '../streams/lifecycle.js';
import { describeTable } from './describe.js';
import { shapeOf, tables, type IndexRecord, type StreamRecord, type TableRecord, type Throughput } from './state.js';

/** How long a new table (or index) stays CREATING on Fogbank's clock. */
export const CREATE_DELAY_MS = 0;
const MAX_CAPACITY = 1_000_000_000_000;

export function tableArn(ctx: RequestContext, name: string): string {
  return arn({ service: 'dynamodb', region: ctx.region, account: ctx.account, resource: `table/${name}` });
}

export function checkThroughputBounds(t: DDB.ProvisionedThroughput | undefined): void {
  if (!t) return;
  if (t.ReadCapacityUnits! > MAX_CAPACITY) throw validation(`Given value ${t.ReadCapacityUnits} for ReadCapacityUnits is out of bounds`);
  if (t.WriteCapacityUnits! > MAX_CAPACITY) throw validation(`Given value ${t.WriteCapacityUnits} for WriteCapacityUnits is out of bounds`);
}

export function newThroughput(t: DDB.ProvisionedThroughput | undefined): Throughput {
  return { read: t?.ReadCapacityUnits ?? 0, write: t?.WriteCapacityUnits ?? 0, decreasesToday: 0 };
}

/** Key schema checks shared by tables and indexes. */
export function checkKeySchema(keySchema: readonly DDB.KeySchemaElement[], definitions: readonly string[], path = 'keySchema'): void {
  // The model's own length constraint, restated so no later check can meet an empty schema.
  if (keySchema.length < 1 || keySchema.length > 2) {
    const bound = keySchema.length < 1 ? 'greater than or equal to 1' : 'less than or equal to 2';
    throw validation(`1 validation error detected: Value '[${keySchema.map((k) => `KeySchemaElement(attributeName=${k.AttributeName}, keyType=${k.KeyType})`).join(', ')}]' at '${path}' failed to satisfy constraint: Member must have length ${bound}`);
  }
  const keys = keySchema.map((k) => k.AttributeName!);
  if (keys.some((k) => !definitions.includes(k))) {
    throw invalidParameter(`Some index key attributes are not defined in AttributeDefinitions. Keys: [${keys.join(', ')}], AttributeDefinitions: [${definitions.join(', ')}]`);
  }
  if (keys.length === 2 && keys[0] === keys[1]) throw validation('Both the Hash Key and the Range Key element in the KeySchema have the same name');
  if (keySchema[0]!.KeyType !== 'HASH') throw validation('Invalid KeySchema: The first KeySchemaElement is not a HASH key type');
  if (keySchema[1] && keySchema[1].KeyType !== 'RANGE') throw validation('Invalid KeySchema: The second KeySchemaElement is not a RANGE key type');
}

export function checkProjection(projection: DDB.Projection): void {
  if (projection.ProjectionType === undefined) throw invalidParameter('Unknown ProjectionType: null');
  if (projection.NonKeyAttributes && projection.ProjectionType !== 'INCLUDE') {
    throw invalidParameter(`ProjectionType is ${projection.ProjectionType}, but NonKeyAttributes is specified`);
  }
}

function checkLocalIndexes(input: DDB.CreateTableInput, definitions: string[], names: Set<string>): void {
  const lsis = input.LocalSecondaryIndexes!;
  if (lsis.length === 0) throw invalidParameter('List of LocalSecondaryIndexes is empty');
  if (input.KeySchema!.length !== 2) throw invalidParameter('Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex');
  const tableHash = input.KeySchema![0]!.AttributeName;
  for (const lsi of lsis) {
    checkKeySchema(lsi.KeySchema!, definitions);
    if (lsi.KeySchema!.length !== 2) throw invalidParameter(`Index KeySchema does not have a range key for index: ${lsi.IndexName}`);
    const indexHash = lsi.KeySchema![0]!.AttributeName;
    if (indexHash !== tableHash) {
      throw invalidParameter(`Index KeySchema does not have the same leading hash key as table KeySchema for index: ${lsi.IndexName}. index hash key: ${indexHash}, table hash key: ${tableHash}`);
    }
    checkProjection(lsi.Projection!);
    if (names.has(lsi.IndexName!)) throw invalidParameter(`Duplicate index name: ${lsi.IndexName}`);
    names.add(lsi.IndexName!);
  }
  if (lsis.length > 5) throw invalidParameter('Number of LocalSecondaryIndexes exceeds per-table limit of 5');
}

function checkGlobalIndexes(input: DDB.CreateTableInput, definitions: string[], names: Set<string>): void {
  const gsis = input.GlobalSecondaryIndexes!;
  if (gsis.length === 0) throw invalidParameter('List of GlobalSecondaryIndexes is empty');
  for (const gsi of gsis) {
    checkKeySchema(gsi.KeySchema!, definitions);
    checkProjection(gsi.Projection!);
    if (input.BillingMode === 'PAY_PER_REQUEST' && gsi.ProvisionedThroughput) {
      throw invalidParameter(`ProvisionedThroughput should not be specified for index: ${gsi.IndexName} when BillingMode is PAY_PER_REQUEST`);
    }
    if (input.BillingMode !== 'PAY_PER_REQUEST' && !gsi.ProvisionedThroughput) {
      throw invalidParameter(`ProvisionedThroughput must be specified for index: ${gsi.IndexName}`);
    }
    checkThroughputBounds(gsi.ProvisionedThroughput);
    if (names.has(gsi.IndexName!)) throw invalidParameter(`Duplicate index name: ${gsi.IndexName}`);
    names.add(gsi.IndexName!);
  }
  if (gsis.length > 20) throw invalidParameter('GlobalSecondaryIndex count exceeds the per-table limit of 20');
}

export function checkStreamSpecification(spec: DDB.StreamSpecification | undefined): void {
  if (spec && !spec.StreamEnabled && spec.StreamViewType) {
    throw invalidParameter('Table is being created with a stream disabled, UpdateViewType should not be specified');
  }
  requireViewType(spec);
}

/** An enabled stream needs a view type: without one no record would know which images to carry. */
export function requireViewType(spec: DDB.StreamSpecification | undefined): void {
  if (spec?.StreamEnabled && !spec.StreamViewType) throw invalidParameter('StreamViewType is required when StreamEnabled is true');
}

function checkCreateTable(input: DDB.CreateTableInput): void {
  if (input.BillingMode === 'PAY_PER_REQUEST') {
    if (input.ProvisionedThroughput) throw invalidParameter('Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST');
  } else {
    const t = input.ProvisionedThroughput;
    if (!t || !t.ReadCapacityUnits || !t.WriteCapacityUnits) throw invalidParameter('ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED');
    checkThroughputBounds(t);
  }
  const definitions = input.AttributeDefinitions!.map((d) => d.AttributeName!);
  const keys = input.KeySchema!.map((k) => k.AttributeName!);
  if (keys.length > definitions.length) throw validation('Invalid KeySchema: Some index key attribute have no definition');
  checkKeySchema(input.KeySchema!, definitions);
  const hasIndexes = input.LocalSecondaryIndexes !== undefined || input.GlobalSecondaryIndexes !== undefined;
  if (!hasIndexes && keys.length !== definitions.length) {
    throw invalidParameter('Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions');
  }
  const names = new Set<string>();
  if (input.LocalSecondaryIndexes) checkLocalIndexes(input, definitions, names);
  if (input.GlobalSecondaryIndexes) checkGlobalIndexes(input, definitions, names);
  if (hasIndexes) {
    const used = new Set([...keys]);
    for (const index of [...(input.LocalSecondaryIndexes ?? []), ...(input.GlobalSecondaryIndexes ?? [])]) for (const k of index.KeySchema!) used.add(k.AttributeName!);
    if (definitions.some((d) => !used.has(d))) {
      throw invalidParameter(`Some AttributeDefinitions are not used. AttributeDefinitions: [${definitions.join(', ')}], keys used: [${[...used].join(', ')}]`);
    }
  }
  checkStreamSpecification(input.StreamSpecification);
  if (input.Tags) checkTagCount(input.Tags as never, (m) => limitExceeded(m));
}

export function streamFor(ctx: RequestContext, name: string, spec: DDB.StreamSpecification | undefined): StreamRecord {
  if (!spec?.StreamEnabled) return { enabled: false };
  const label = new Date(ctx.clock.now()).toISOString().replace(/Z$/, '');
  return { enabled: true, viewType: spec.StreamViewType, label, arn: `${tableArn(ctx, name)}/stream/${label}` };
}

export function indexRecord(
  ctx: RequestContext,
  table: Pick<TableRecord, 'attributeDefinitions' | 'name'>,
  index: DDB.GlobalSecondaryIndex | DDB.LocalSecondaryIndex,
  kind: 'global' | 'local',
): IndexRecord {
  const record: IndexRecord = {
    name: index.IndexName!,
    kind,
    keySchema: index.KeySchema!,
    shape: shapeOf(table, index.KeySchema!),
    projection: index.Projection!,
    arn: `${tableArn(ctx, table.name)}/index/${index.IndexName}`,
  };
  if (kind === 'global') record.throughput = newThroughput((index as DDB.GlobalSecondaryIndex).ProvisionedThroughput);
  return record;
}

export const createTable: Handler<DDB.CreateTableInput, DDB.CreateTableOutput> = (input, ctx) => {
  checkCreateTable(input);
  const all = tables(ctx);
  if (all.has(input.TableName!)) throw resourceInUse(`Table already exists: ${input.TableName}`);
  const now = ctx.clock.now();
  const base = { attributeDefinitions: input.AttributeDefinitions!, name: input.TableName! };
  const table: TableRecord = {
    name: input.TableName!,
    id: randomUUID(),
    arn: tableArn(ctx, input.TableName!),
    createdAt: now,
    readyAt: now + CREATE_DELAY_MS,
    pendingStatus: 'CREATING',
    attributeDefinitions: input.AttributeDefinitions!,
    keySchema: input.KeySchema!,
    shape: shapeOf(base, input.KeySchema!),
    billingMode: input.BillingMode ?? 'PROVISIONED',
    billingModeExplicit: input.BillingMode !== undefined,
    throughput: newThroughput(input.ProvisionedThroughput),
    globalIndexes: (input.GlobalSecondaryIndexes ?? []).map((g) => indexRecord(ctx, base, g, 'global')),
    localIndexes: (input.LocalSecondaryIndexes ?? []).map((l) => indexRecord(ctx, base, l, 'local')),
    stream: streamFor(ctx, input.TableName!, input.StreamSpecification),
    tags: (input.Tags ?? []) as TableRecord['tags'],
    deletionProtection: input.DeletionProtectionEnabled ?? false,
  };
  if (input.TableClass) table.tableClass = input.TableClass;
  if (input.SSESpecification) table.sse = input.SSESpecification;
  ctx.store.transaction(() => {
    all.put(table.name, table);
    openStream(ctx, table);
  });
  return { TableDescription: describeTable(ctx, table, { status: 'CREATING', withStats: false }) };
};
