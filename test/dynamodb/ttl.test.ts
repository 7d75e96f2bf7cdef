import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DescribeTableCommand, GetItemCommand, PutItemCommand, QueryCommand, UpdateItemCommand, UpdateTableCommand, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFogbank } from '../../src/index.js';
import { useFogbank } from '../support/fogbank.js';
import { readAll, streamsClient } from '../dynamodbstreams/support.js';
import { createTable, dynamo, rejects, tableName } from './support.js';

const env = useFogbank();

/** Fogbank's time in epoch seconds (its clock runs ahead of the machine's once tests advance it). */
const seconds = () => Math.floor(env.fogbank.clock.now() / 1000);

describe('DynamoDB time to live', () => {
  it('deletes expired items on the clock, with a stream record that names the service', async () => {
    const db = dynamo(env.endpoint);
    const name = tableName('ttl');
    await createTable(db, name, undefined, { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } });
    await db.send(new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } }));
    const now = seconds() + 10; // ahead of the real clock a little, so nothing expires by itself mid-test
    const inAnHour = String(now + 3600);
    await db.send(new PutItemCommand({ TableName: name, Item: { pk: { S: 'soon' }, expires: { N: inAnHour } } }));
    await db.send(new PutItemCommand({ TableName: name, Item: { pk: { S: 'later' }, expires: { N: String(now + 7200) } } }));
    await db.send(new PutItemCommand({ TableName: name, Item: { pk: { S: 'text' }, expires: { S: inAnHour } } }));
    await db.send(new PutItemCommand({ TableName: name, Item: { pk: { S: 'forever' } } }));
    // Moving the expiry later keeps the item past the first deadline.
    await db.send(new PutItemCommand({ TableName: name, Item: { pk: { S: 'extended' }, expires: { N: inAnHour } } }));
    await db.send(new UpdateItemCommand({ TableName: name, Key: { pk: { S: 'extended' } }, UpdateExpression: 'SET expires = :e', ExpressionAttributeValues: { ':e': { N: String(now + 7200) } } }));

    env.fogbank.advanceClock(3700 * 1000);
    const present = async (pk: string) => (await db.send(new GetItemCommand({ TableName: name, Key: { pk: { S: pk } } }))).Item !== undefined;
    assert.equal(await present('soon'), false);
    assert.equal(await present('later'), true);
    assert.equal(await present('extended'), true);
    assert.equal(await present('text'), true, 'only Number attributes count');
    assert.equal(await present('forever'), true);

    env.fogbank.advanceClock(3600 * 1000);
    assert.equal(await present('later'), false);
    assert.equal(await present('extended'), false);

    const records = await readAll(streamsClient(env.endpoint), (await db.send(new DescribeTableCommand({ TableName: name }))).Table!.LatestStreamArn!);
    const removals = records.filter((r) => r.eventName === 'REMOVE');
    assert.deepEqual(removals.map((r) => r.dynamodb!.Keys!.pk!.S), ['soon', 'extended', 'later']);
    for (const r of removals) {
      assert.deepEqual(r.userIdentity, { PrincipalId: 'dynamodb.amazonaws.com', Type: 'Service' });
      assert.ok(r.dynamodb!.OldImage!.expires);
    }
    assert.ok(records.filter((r) => r.eventName !== 'REMOVE').every((r) => r.userIdentity === undefined));
  });

  it('removes items already expired when TTL is enabled, and keeps secondary indexes in step', async () => {
    const db = dynamo(env.endpoint);
    const name = tableName('ttl-backfill');
    await createTable(db, name, undefined, {
      AttributeDefinitions: [{ AttributeName: 'g', AttributeType: 'S' }],
      GlobalSecondaryIndexes: [{ IndexName: 'by-g', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
    });
    const past = String(seconds() - 60);
    await db.send(new PutItemCommand({ TableName: name, Item: { pk: { S: 'old' }, g: { S: 'x' }, ttl: { N: past } } }));
    await db.send(new PutItemCommand({ TableName: name, Item: { pk: { S: 'ancient' }, g: { S: 'x' }, ttl: { N: '1000' } } }));
    await db.send(new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: { Enabled: true, AttributeName: 'ttl' } }));
    env.fogbank.advanceClock(1000);
    const { Items } = await db.send(new QueryCommand({ TableName: name, IndexName: 'by-g', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'x' } } }));
    // AWS ignores expiry times more than five years in the past.
    assert.deepEqual(Items!.map((i) => i.pk!.S), ['ancient']);
  });

  it('stops deleting once TTL is disabled, and refuses to repeat a setting', async () => {
    const db = dynamo(env.endpoint);
    const name = tableName('ttl-off');
    await createTable(db, name);
    await db.send(new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: { Enabled: true, AttributeName: 'exp' } }));
    await rejects(db.send(new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: { Enabled: true, AttributeName: 'exp' } })), 'ValidationException', 'TimeToLive is already enabled');
    await db.send(new PutItemCommand({ TableName: name, Item: { pk: { S: 'a' }, exp: { N: String(seconds() + 100) } } }));
    await db.send(new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: { Enabled: false, AttributeName: 'exp' } }));
    env.fogbank.advanceClock(200 * 1000);
    assert.ok((await db.send(new GetItemCommand({ TableName: name, Key: { pk: { S: 'a' } } }))).Item);
    await rejects(db.send(new UpdateTableCommand({ TableName: 'no-such-table', BillingMode: 'PAY_PER_REQUEST' })), 'ResourceNotFoundException');
  });
});

describe('DynamoDB time to live across a restart', () => {
  it('deletes an item that expired while Fogbank was stopped on the first access after restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'fogbank-ttl-'));
    try {
      let fogbank = await startFogbank({ dataDir });
      let db = dynamo(fogbank.endpoint);
      const name = tableName('ttl-restart');
      await createTable(db, name, undefined, { StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } });
      await db.send(new UpdateTimeToLiveCommand({ TableName: name, TimeToLiveSpecification: { Enabled: true, AttributeName: 'exp' } }));
      await db.send(new PutItemCommand({ TableName: name, Item: { pk: { S: 'a' }, exp: { N: String(Math.floor(Date.now() / 1000) + 2) } } }));
      await fogbank.stop();
      fogbank = await startFogbank({ dataDir });
      try {
        fogbank.advanceClock(5000);
        db = dynamo(fogbank.endpoint);
        assert.equal((await db.send(new GetItemCommand({ TableName: name, Key: { pk: { S: 'a' } } }))).Item, undefined);
        const arn = (await db.send(new DescribeTableCommand({ TableName: name }))).Table!.LatestStreamArn!;
        const records = await readAll(streamsClient(fogbank.endpoint), arn);
        assert.deepEqual(records.map((r) => [r.eventName, r.userIdentity?.Type]), [['INSERT', undefined], ['REMOVE', 'Service']]);
      } finally {
        await fogbank.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses an enabled stream without a view type', async () => {
    const db = dynamo(env.endpoint);
    const name = tableName('no-view');
    await rejects(createTable(db, name, undefined, { StreamSpecification: { StreamEnabled: true } }), 'ValidationException', 'One or more parameter values were invalid: StreamViewType is required when StreamEnabled is true');
    await createTable(db, name);
    await rejects(db.send(new UpdateTableCommand({ TableName: name, StreamSpecification: { StreamEnabled: true } })), 'ValidationException', 'One or more parameter values were invalid: StreamViewType is required when StreamEnabled is true');
    assert.equal((await db.send(new DescribeTableCommand({ TableName: name }))).Table!.StreamSpecification, undefined);
  });
});
