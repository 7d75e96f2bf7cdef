// Acknowledged DynamoDB writes survive kill -9: puts, updates, deletes, batches, transactions and
// PartiQL, with their index entries and stream records, are all there after a restart.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  BatchWriteItemCommand, DeleteItemCommand, DescribeTableCommand, ExecuteStatementCommand, GetItemCommand, PutItemCommand, QueryCommand, ScanCommand,
  TransactWriteItemsCommand, UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { clientConfig } from '../support/fogbank.js';
import { exited, spawnFogbank } from '../support/process.js';
import { createTable, dynamo } from './support.js';

describe('DynamoDB durability', () => {
  it('keeps every acknowledged write, transactions included, across kill -9', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fogbank-ddb-kill-'));
    try {
      const first = await spawnFogbank(['--port', '0', '--data-dir', dir]);
      const db = dynamo(first.endpoint);
      await createTable(db, 'orders', 'N', {
        AttributeDefinitions: [{ AttributeName: 'status', AttributeType: 'S' }],
        GlobalSecondaryIndexes: [{ IndexName: 'by-status', KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      });
      // Concurrent single-item writes, then the other write paths.
      await Promise.all(Array.from({ length: 30 }, (_, i) => db.send(new PutItemCommand({ TableName: 'orders', Item: { pk: { S: 'p' }, sk: { N: String(i) }, status: { S: 'new' } } }))));
      await db.send(new UpdateItemCommand({ TableName: 'orders', Key: { pk: { S: 'p' }, sk: { N: '0' } }, UpdateExpression: 'SET #s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': { S: 'paid' } } }));
      await db.send(new DeleteItemCommand({ TableName: 'orders', Key: { pk: { S: 'p' }, sk: { N: '1' } } }));
      await db.send(new BatchWriteItemCommand({ RequestItems: { orders: Array.from({ length: 25 }, (_, i) => ({ PutRequest: { Item: { pk: { S: 'b' }, sk: { N: String(i) } } } })) } }));
      await db.send(new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { TableName: 'orders', Item: { pk: { S: 't' }, sk: { N: '1' }, status: { S: 'paid' } }, ConditionExpression: 'attribute_not_exists(pk)' } },
          { Update: { TableName: 'orders', Key: { pk: { S: 'p' }, sk: { N: '2' } }, UpdateExpression: 'SET #s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': { S: 'paid' } } } },
          { Delete: { TableName: 'orders', Key: { pk: { S: 'p' }, sk: { N: '3' } } } },
        ],
      }));
      await db.send(new ExecuteStatementCommand({ Statement: `INSERT INTO orders VALUE {'pk': 'q', 'sk': 1, 'status': 'new'}` }));
      first.child.kill('SIGKILL');
      assert.equal((await exited(first.child)).signal, 'SIGKILL');

      const second = await spawnFogbank(['--port', '0', '--data-dir', dir]);
      try {
        const again = dynamo(second.endpoint);
        const count = async (pk: string) => (await again.send(new QueryCommand({ TableName: 'orders', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: pk } }, Select: 'COUNT' }))).Count;
        assert.equal(await count('p'), 28, '30 puts, one delete, one transactional delete');
        assert.equal(await count('b'), 25);
        assert.equal(await count('q'), 1);
        assert.deepEqual((await again.send(new GetItemCommand({ TableName: 'orders', Key: { pk: { S: 't' }, sk: { N: '1' } } }))).Item?.status, { S: 'paid' });
        const paid = await again.send(new QueryCommand({ TableName: 'orders', IndexName: 'by-status', KeyConditionExpression: '#s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': { S: 'paid' } } }));
        assert.deepEqual(paid.Items!.map((i) => `${i.pk!.S}${i.sk!.N}`).sort(), ['p0', 'p2', 't1']);
        assert.equal((await again.send(new ScanCommand({ TableName: 'orders', Select: 'COUNT' }))).Count, 28 + 25 + 1 + 1);
        // Every acknowledged change has its stream record.
        const streams = new DynamoDBStreamsClient(clientConfig(second.endpoint));
        const arn = (await again.send(new DescribeTableCommand({ TableName: 'orders' }))).Table!.LatestStreamArn!;
        const shard = (await streams.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription!.Shards![0]!;
        let iterator = (await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
        let records = 0;
        for (let page = 0; iterator && page < 20; page++) {
          const out = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
          records += out.Records!.length;
          if (out.Records!.length === 0) break;
          iterator = out.NextShardIterator;
        }
        assert.equal(records, 30 + 1 + 1 + 25 + 3 + 1);
      } finally {
        second.child.kill('SIGKILL');
        await exited(second.child);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
