import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateTableCommand, DeleteTableCommand, DescribeEndpointsCommand, DescribeLimitsCommand, DescribeTableCommand, DescribeTimeToLiveCommand,
  ListTablesCommand, ListTagsOfResourceCommand, PutItemCommand, QueryCommand, TagResourceCommand, UntagResourceCommand, UpdateTableCommand,
  UpdateTimeToLiveCommand, waitUntilTableExists, waitUntilTableNotExists,
} from '@aws-sdk/client-dynamodb';
import { useFogbank } from '../support/fogbank.js';
import { createTable, dynamo, rejects, tableName } from './support.js';

const env = useFogbank();

describe('DynamoDB tables', () => {
  it('CreateTable answers CREATING, then the SDK waiter sees ACTIVE at once', async () => {
    const db = dynamo(env.endpoint);
    const name = tableName('waited');
    const created = await db.send(new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }, { AttributeName: 'g', AttributeType: 'S' }, { AttributeName: 'l', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 7 },
      GlobalSecondaryIndexes: [{ IndexName: 'by-g', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['x'] }, ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }],
      LocalSecondaryIndexes: [{ IndexName: 'by-l', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'l', KeyType: 'RANGE' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      Tags: [{ Key: 'team', Value: 'core' }],
    }));
    assert.equal(created.TableDescription!.TableStatus, 'CREATING');
    const started = Date.now();
    await waitUntilTableExists({ client: db, maxWaitTime: 30 }, { TableName: name });
    assert.ok(Date.now() - started < 2000, 'the waiter returned on its first poll');
    const { Table } = await db.send(new DescribeTableCommand({ TableName: name }));
    assert.equal(Table!.TableStatus, 'ACTIVE');
    assert.equal(Table!.TableArn, `arn:aws:dynamodb:us-east-1:000000000000:table/${name}`);
    assert.deepEqual(Table!.ProvisionedThroughput, { NumberOfDecreasesToday: 0, ReadCapacityUnits: 5, WriteCapacityUnits: 7 });
    assert.equal(Table!.GlobalSecondaryIndexes![0]!.IndexStatus, 'ACTIVE');
    assert.deepEqual(Table!.GlobalSecondaryIndexes![0]!.Projection, { ProjectionType: 'INCLUDE', NonKeyAttributes: ['x'] });
    assert.equal(Table!.LocalSecondaryIndexes![0]!.IndexName, 'by-l');
    assert.deepEqual(Table!.StreamSpecification, { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    assert.match(Table!.LatestStreamArn!, new RegExp(`table/${name}/stream/\\d{4}-`));
    assert.equal(Table!.BillingModeSummary, undefined);
  });

  it('CreateTable rejects bad schemas with AWS messages, in AWS order', async () => {
    const db = dynamo(env.endpoint);
    const base = { TableName: tableName('bad'), BillingMode: 'PAY_PER_REQUEST' as const };
    await rejects(db.send(new CreateTableCommand({ ...base, AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'pk', KeyType: 'RANGE' }] })),
      'ValidationException', 'Invalid KeySchema: Some index key attribute have no definition');
    await rejects(db.send(new CreateTableCommand({ ...base, AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'other', KeyType: 'HASH' }] })),
      'ValidationException', 'One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [other], AttributeDefinitions: [pk]');
    await rejects(db.send(new CreateTableCommand({ ...base, AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'x', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }] })),
      'ValidationException', 'One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions');
    await rejects(db.send(new CreateTableCommand({ ...base, AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'RANGE' }, { AttributeName: 'sk', KeyType: 'HASH' }] })),
      'ValidationException', 'Invalid KeySchema: The first KeySchemaElement is not a HASH key type');
    await rejects(db.send(new CreateTableCommand({ TableName: tableName('prov'), AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }] })),
      'ValidationException', 'One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED');
    await rejects(db.send(new CreateTableCommand({ ...base, ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 }, AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }] })),
      'ValidationException', 'One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST');
    await rejects(db.send(new CreateTableCommand({ ...base, AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'l', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      LocalSecondaryIndexes: [{ IndexName: 'lsi', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'l', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } }] })),
      'ValidationException', 'One or more parameter values were invalid: Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex');
    await rejects(db.send(new CreateTableCommand({ ...base, AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'g', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [1, 2].map(() => ({ IndexName: 'same', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' as const }], Projection: { ProjectionType: 'ALL' as const } })) })),
      'ValidationException', 'One or more parameter values were invalid: Duplicate index name: same');
    await rejects(db.send(new CreateTableCommand({ ...base, AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [] })), 'ValidationException', /at 'keySchema' failed to satisfy constraint/);
    const name = tableName('twice');
    await createTable(db, name);
    await rejects(createTable(db, name), 'ResourceInUseException', `Table already exists: ${name}`);
    assert.deepEqual((await db.send(new DescribeTableCommand({ TableName: name }))).Table!.TableName, name);
  });

  it('ListTables pages by name with ExclusiveStartTableName and Limit', async () => {
    const db = dynamo(env.endpoint);
    for (const n of ['list-c', 'list-a', 'list-b']) await createTable(db, n);
    const all = (await db.send(new ListTablesCommand({}))).TableNames!;
    assert.deepEqual(all.filter((n) => n.startsWith('list-')), ['list-a', 'list-b', 'list-c']);
    assert.deepEqual([...all].sort(), all);
    const first = await db.send(new ListTablesCommand({ Limit: 1, ExclusiveStartTableName: 'list-' }));
    assert.deepEqual(first.TableNames, ['list-a']);
    assert.equal(first.LastEvaluatedTableName, 'list-a');
    const next = await db.send(new ListTablesCommand({ Limit: 2, ExclusiveStartTableName: first.LastEvaluatedTableName }));
    assert.deepEqual(next.TableNames, ['list-b', 'list-c']);
  });

  it('DeleteTable removes the table and its items; a new table of that name starts empty', async () => {
    const db = dynamo(env.endpoint);
    const name = tableName('deleted');
    await createTable(db, name, 'S');
    await db.send(new PutItemCommand({ TableName: name, Item: { pk: { S: 'a' }, sk: { S: '1' } } }));
    const deleted = await db.send(new DeleteTableCommand({ TableName: name }));
    assert.equal(deleted.TableDescription!.TableStatus, 'DELETING');
    await waitUntilTableNotExists({ client: db, maxWaitTime: 30 }, { TableName: name });
    await rejects(db.send(new DescribeTableCommand({ TableName: name })), 'ResourceNotFoundException', `Requested resource not found: Table: ${name} not found`);
    await rejects(db.send(new DeleteTableCommand({ TableName: name })), 'ResourceNotFoundException', `Requested resource not found: Table: ${name} not found`);
    await rejects(db.send(new PutItemCommand({ TableName: name, Item: { pk: { S: 'a' }, sk: { S: '1' } } })), 'ResourceNotFoundException', 'Requested resource not found');
    await createTable(db, name, 'S');
    const { Count } = await db.send(new QueryCommand({ TableName: name, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'a' } } }));
    assert.equal(Count, 0);
  });

  it('UpdateTable changes throughput and billing mode, and refuses a no-op throughput change', async () => {
    const db = dynamo(env.endpoint);
    const name = tableName('throughput');
    await db.send(new CreateTableCommand({ TableName: name, AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } }));
    const updated = await db.send(new UpdateTableCommand({ TableName: name, ProvisionedThroughput: { ReadCapacityUnits: 10, WriteCapacityUnits: 5 } }));
    assert.equal(updated.TableDescription!.TableStatus, 'UPDATING');
    const t = (await db.send(new DescribeTableCommand({ TableName: name }))).Table!;
    assert.equal(t.ProvisionedThroughput!.ReadCapacityUnits, 10);
    assert.ok(t.ProvisionedThroughput!.LastIncreaseDateTime instanceof Date);
    await rejects(db.send(new UpdateTableCommand({ TableName: name, ProvisionedThroughput: { ReadCapacityUnits: 10, WriteCapacityUnits: 5 } })), 'ValidationException',
      /^The provisioned throughput for the table will not change\. The requested value equals the current value\. Current ReadCapacityUnits provisioned for the table: 10\. Requested ReadCapacityUnits: 10\./);
    await db.send(new UpdateTableCommand({ TableName: name, BillingMode: 'PAY_PER_REQUEST' }));
    const after = (await db.send(new DescribeTableCommand({ TableName: name }))).Table!;
    assert.equal(after.BillingModeSummary!.BillingMode, 'PAY_PER_REQUEST');
    assert.equal(after.ProvisionedThroughput!.ReadCapacityUnits, 0);
    await rejects(db.send(new UpdateTableCommand({ TableName: name, ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } })), 'ValidationException',
      'One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST');
    await rejects(db.send(new UpdateTableCommand({ TableName: 'no-such-table' , BillingMode: 'PAY_PER_REQUEST' })), 'ResourceNotFoundException', 'Requested resource not found: Table: no-such-table not found');
    await rejects(db.send(new UpdateTableCommand({ TableName: name })), 'ValidationException', /^At least one of ProvisionedThroughput, BillingMode/);
  });

  it('UpdateTable adds a global secondary index built from existing items, and deletes it', async () => {
    const db = dynamo(env.endpoint);
    const name = tableName('gsi-later');
    await createTable(db, name);
    for (const [pk, color] of [['a', 'red'], ['b', 'blue'], ['c', 'red'], ['d', undefined]]) {
      await db.send(new PutItemCommand({ TableName: name, Item: { pk: { S: pk! }, ...(color ? { color: { S: color } } : {}) } }));
    }
    await db.send(new UpdateTableCommand({ TableName: name, AttributeDefinitions: [{ AttributeName: 'color', AttributeType: 'S' }],
      GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'by-color', KeySchema: [{ AttributeName: 'color', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } } }] }));
    const red = await db.send(new QueryCommand({ TableName: name, IndexName: 'by-color', KeyConditionExpression: 'color = :c', ExpressionAttributeValues: { ':c': { S: 'red' } } }));
    assert.deepEqual(red.Items!.map((i) => i.pk!.S).sort(), ['a', 'c']);
    await rejects(db.send(new UpdateTableCommand({ TableName: name, GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'nope' } }] })), 'ResourceNotFoundException');
    await db.send(new UpdateTableCommand({ TableName: name, GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'by-color' } }] }));
    await rejects(db.send(new QueryCommand({ TableName: name, IndexName: 'by-color', KeyConditionExpression: 'color = :c', ExpressionAttributeValues: { ':c': { S: 'red' } } })),
      'ValidationException', 'The table does not have the specified index: by-color');
  });

  it('tags: TagResource, ListTagsOfResource, UntagResource, and bad ARNs', async () => {
    const db = dynamo(env.endpoint);
    const name = tableName('tagged');
    await createTable(db, name, undefined, { Tags: [{ Key: 'a', Value: '1' }] });
    const arn = `arn:aws:dynamodb:us-east-1:000000000000:table/${name}`;
    await db.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'b', Value: '2' }, { Key: 'a', Value: 'one' }] }));
    assert.deepEqual((await db.send(new ListTagsOfResourceCommand({ ResourceArn: arn }))).Tags, [{ Key: 'a', Value: 'one' }, { Key: 'b', Value: '2' }]);
    await db.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['a'] }));
    assert.deepEqual((await db.send(new ListTagsOfResourceCommand({ ResourceArn: arn }))).Tags, [{ Key: 'b', Value: '2' }]);
    await rejects(db.send(new TagResourceCommand({ ResourceArn: 'not-a-valid-arn', Tags: [{ Key: 'k', Value: 'v' }] })), 'ValidationException', 'Invalid TableArn: Invalid ResourceArn provided as input not-a-valid-arn');
    await rejects(db.send(new ListTagsOfResourceCommand({ ResourceArn: `${arn}-missing` })), 'ResourceNotFoundException', `Requested resource not found: ResourcArn: ${arn}-missing not found`);
    await rejects(db.send(new ListTagsOfResourceCommand({ ResourceArn: 'arn:aws:dynamodb:us-east-1:999999999999:table/other' })), 'AccessDeniedException');
    await rejects(db.send(new TagResourceCommand({ ResourceArn: arn, Tags: [] })), 'ValidationException', 'Atleast one Tag needs to be provided as Input.');
  });

  it('time to live settings', async () => {
    const db = dynamo(env.endpoint);
    const name = tableName('ttl');
    await createTable(db, name);
    assert.deepEqual((await db.send(new DescribeTimeToLiveCommand({ TableName: name }))).TimeToLiveDescription, { TimeToLiveStatus: 'DISABLED' });
    const set = await db.send(new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } }));
    assert.deepEqual(set.TimeToLiveSpecification, { Enabled: true, AttributeName: 'expires' });
    assert.deepEqual((await db.send(new DescribeTimeToLiveCommand({ TableName: name }))).TimeToLiveDescription, { TimeToLiveStatus: 'ENABLED', AttributeName: 'expires' });
    await rejects(db.send(new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } })), 'ValidationException', 'TimeToLive is already enabled');
    await rejects(db.send(new UpdateTimeToLiveCommand({ TableName: 'missing-table', TimeToLiveSpecification: { Enabled: true, AttributeName: 'x' } })), 'ResourceNotFoundException');
  });

  it('DescribeLimits and DescribeEndpoints', async () => {
    const db = dynamo(env.endpoint);
    const limits = await db.send(new DescribeLimitsCommand({}));
    assert.equal(limits.TableMaxReadCapacityUnits, 40000);
    assert.equal(limits.AccountMaxWriteCapacityUnits, 80000);
    const endpoints = await db.send(new DescribeEndpointsCommand({}));
    assert.equal(endpoints.Endpoints![0]!.CachePeriodInMinutes, 1440);
    assert.ok(endpoints.Endpoints![0]!.Address);
  });

  it('table operations name a missing or badly sized TableName before any other problem, as DynamoDB does', async () => {
    const send = async (operation: string, body: Record<string, unknown>) => {
      const response = await fetch(env.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `DynamoDB_20120810.${operation}`, authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0' },
        body: JSON.stringify(body),
      });
      const json = (await response.json()) as { __type: string; message: string };
      return [response.status, json.__type, json.message];
    };
    const missing = [400, 'com.amazon.coral.validate#ValidationException', "The parameter 'TableName' is required but was not present in the request"];
    const length = [400, 'com.amazon.coral.validate#ValidationException', 'TableName must be at least 3 characters long and at most 255 characters long'];
    for (const operation of ['CreateTable', 'DescribeTable', 'DeleteTable', 'UpdateTable', 'DescribeTimeToLive']) {
      assert.deepEqual(await send(operation, {}), missing, operation);
      assert.deepEqual(await send(operation, { TableName: 'ab' }), length, operation);
      assert.deepEqual(await send(operation, { TableName: 'a'.repeat(256) }), length, operation);
    }
    // Before the members Coral finds missing or out of range.
    assert.deepEqual(await send('CreateTable', { TableName: 'ab', KeySchema: [], ProvisionedThroughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 0 } }), length);
    // Item operations keep Coral's message for a missing TableName.
    assert.deepEqual((await send('GetItem', {}))[2], "2 validation errors detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null; Value null at 'key' failed to satisfy constraint: Member must not be null");
    assert.equal((await dynamo(env.endpoint).send(new ListTablesCommand({}))).$metadata.httpStatusCode, 200);
  });
});
