import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DeleteItemCommand, PutItemCommand, TransactWriteItemsCommand, UpdateItemCommand, BatchWriteItemCommand } from '@aws-sdk/client-dynamodb';
import { GetRecordsCommand, GetShardIteratorCommand, ListStreamsCommand, DescribeStreamCommand } from '@aws-sdk/client-dynamodb-streams';
import { awsCli, awsCliFails, boto3, hasAwsCli, hasBoto3, useFogbank } from '../support/fogbank.js';
import { dynamo, rejects, tableName } from '../dynamodb/support.js';
import { lambdaEventRecord, locateStream, readStreamRecords } from '../../src/services/dynamodb/streams/read.js';
import { readAll, shardOf, streamedTable, streamsClient } from './support.js';

const env = useFogbank();

describe('DynamoDB stream records', () => {
  it('describes the stream on the table and through the Streams API', async () => {
    const db = dynamo(env.endpoint);
    const streams = streamsClient(env.endpoint);
    const name = tableName('described');
    const arn = await streamedTable(db, name, 'NEW_AND_OLD_IMAGES');
    assert.match(arn, new RegExp(`^arn:aws:dynamodb:us-east-1:\\d{12}:table/${name}/stream/\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}$`));
    const { Streams } = await streams.send(new ListStreamsCommand({ TableName: name }));
    assert.deepEqual(Streams, [{ StreamArn: arn, TableName: name, StreamLabel: arn.split('/stream/')[1] }]);
    const { StreamDescription: d } = await streams.send(new DescribeStreamCommand({ StreamArn: arn }));
    assert.equal(d!.StreamStatus, 'ENABLED');
    assert.equal(d!.StreamViewType, 'NEW_AND_OLD_IMAGES');
    assert.equal(d!.TableName, name);
    assert.deepEqual(d!.KeySchema, [{ AttributeName: 'pk', KeyType: 'HASH' }]);
    assert.ok(d!.CreationRequestDateTime instanceof Date);
    assert.equal(d!.Shards!.length, 1);
    assert.match(d!.Shards![0]!.ShardId!, /^shardId-\d{20}-[0-9a-f]{8}$/);
    assert.match(d!.Shards![0]!.SequenceNumberRange!.StartingSequenceNumber!, /^\d{21}$/);
    assert.equal(d!.Shards![0]!.SequenceNumberRange!.EndingSequenceNumber, undefined);
  });

  it('records INSERT, MODIFY and REMOVE with both images, and nothing when nothing changed', async () => {
    const db = dynamo(env.endpoint);
    const streams = streamsClient(env.endpoint);
    const name = tableName('changes');
    const arn = await streamedTable(db, name, 'NEW_AND_OLD_IMAGES');
    await db.send(new PutItemCommand({ TableName: name, Item: { pk: { S: 'a' }, n: { N: '1' }, b: { B: Buffer.from([1, 2]) } } }));
    await db.send(new PutItemCommand({ TableName: name, Item: { pk: { S: 'a' }, n: { N: '1' }, b: { B: Buffer.from([1, 2]) } } }));
    await db.send(new UpdateItemCommand({ TableName: name, Key: { pk: { S: 'a' } }, UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': { N: '1' } } }));
    await db.send(new UpdateItemCommand({ TableName: name, Key: { pk: { S: 'a' } }, UpdateExpression: 'SET n = n + :one', ExpressionAttributeValues: { ':one': { N: '1' } } }));
    await rejects(db.send(new PutItemCommand({ TableName: name, Item: { pk: { S: 'a' } }, ConditionExpression: 'attribute_not_exists(pk)' })), 'ConditionalCheckFailedException');
    await db.send(new DeleteItemCommand({ TableName: name, Key: { pk: { S: 'missing' } } }));
    await db.send(new DeleteItemCommand({ TableName: name, Key: { pk: { S: 'a' } } }));
    const records = await readAll(streams, arn);
    assert.deepEqual(records.map((r) => r.eventName), ['INSERT', 'MODIFY', 'REMOVE']);
    const [insert, modify, remove] = records;
    for (const r of records) {
      assert.match(r.eventID!, /^[0-9a-f]{32}$/);
      assert.equal(r.eventVersion, '1.1');
      assert.equal(r.eventSource, 'aws:dynamodb');
      assert.equal(r.awsRegion, 'us-east-1');
      assert.equal(r.dynamodb!.StreamViewType, 'NEW_AND_OLD_IMAGES');
      assert.deepEqual(r.dynamodb!.Keys, { pk: { S: 'a' } });
      assert.match(r.dynamodb!.SequenceNumber!, /^\d{21}$/);
      assert.ok(r.dynamodb!.SizeBytes! > 0);
      assert.ok(r.dynamodb!.ApproximateCreationDateTime instanceof Date);
      assert.equal(r.userIdentity, undefined);
    }
    const seqs = records.map((r) => BigInt(r.dynamodb!.SequenceNumber!));
    assert.ok(seqs[0]! < seqs[1]! && seqs[1]! < seqs[2]!);
    assert.deepEqual(insert!.dynamodb!.NewImage, { pk: { S: 'a' }, n: { N: '1' }, b: { B: new Uint8Array([1, 2]) } });
    assert.equal(insert!.dynamodb!.OldImage, undefined);
    assert.equal(modify!.dynamodb!.OldImage!.n!.N, '1');
    assert.equal(modify!.dynamodb!.NewImage!.n!.N, '2');
    assert.equal(remove!.dynamodb!.NewImage, undefined);
    assert.equal(remove!.dynamodb!.OldImage!.n!.N, '2');
  });

  it('keeps only what each view type asks for', async () => {
    const db = dynamo(env.endpoint);
    const streams = streamsClient(env.endpoint);
    for (const view of ['KEYS_ONLY', 'NEW_IMAGE', 'OLD_IMAGE'] as const) {
      const name = tableName(view.toLowerCase().replace('_', '-'));
      const arn = await streamedTable(db, name, view, 'N');
      await db.send(new PutItemCommand({ TableName: name, Item: { pk: { S: 'k' }, sk: { N: '1' }, v: { S: 'one' } } }));
      await db.send(new PutItemCommand({ TableName: name, Item: { pk: { S: 'k' }, sk: { N: '1' }, v: { S: 'two' } } }));
      const [insert, modify] = await readAll(streams, arn);
      assert.deepEqual(insert!.dynamodb!.Keys, { pk: { S: 'k' }, sk: { N: '1' } });
      assert.equal(modify!.dynamodb!.StreamViewType, view);
      assert.deepEqual(modify!.dynamodb!.NewImage?.v, view === 'NEW_IMAGE' ? { S: 'two' } : undefined, view);
      assert.deepEqual(modify!.dynamodb!.OldImage?.v, view === 'OLD_IMAGE' ? { S: 'one' } : undefined, view);
      assert.equal(insert!.dynamodb!.OldImage, undefined);
    }
  });

  it('records batch writes and transactions, one record per changed item', async () => {
    const db = dynamo(env.endpoint);
    const streams = streamsClient(env.endpoint);
    const name = tableName('batched');
    const arn = await streamedTable(db, name, 'NEW_IMAGE');
    await db.send(new BatchWriteItemCommand({ RequestItems: { [name]: [1, 2, 3].map((i) => ({ PutRequest: { Item: { pk: { S: `b${i}` } } } })) } }));
    await db.send(new TransactWriteItemsCommand({
      TransactItems: [
        { Put: { TableName: name, Item: { pk: { S: 't1' } } } },
        { Delete: { TableName: name, Key: { pk: { S: 'b1' } } } },
        { ConditionCheck: { TableName: name, Key: { pk: { S: 'b2' } }, ConditionExpression: 'attribute_exists(pk)' } },
      ],
    }));
    const records = await readAll(streams, arn);
    assert.deepEqual(records.map((r) => `${r.eventName}:${r.dynamodb!.Keys!.pk!.S}`), ['INSERT:b1', 'INSERT:b2', 'INSERT:b3', 'INSERT:t1', 'REMOVE:b1']);
  });

  it('reads from every iterator type, in pages', async () => {
    const db = dynamo(env.endpoint);
    const streams = streamsClient(env.endpoint);
    const name = tableName('iterators');
    const arn = await streamedTable(db, name, 'KEYS_ONLY');
    const ShardId = await shardOf(streams, arn);
    const latest = await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId, ShardIteratorType: 'LATEST' }));
    for (let i = 0; i < 5; i++) await db.send(new PutItemCommand({ TableName: name, Item: { pk: { S: `k${i}` } } }));
    const first = await streams.send(new GetRecordsCommand({ ShardIterator: latest.ShardIterator, Limit: 2 }));
    assert.deepEqual(first.Records!.map((r) => r.dynamodb!.Keys!.pk!.S), ['k0', 'k1']);
    const second = await streams.send(new GetRecordsCommand({ ShardIterator: first.NextShardIterator }));
    assert.deepEqual(second.Records!.map((r) => r.dynamodb!.Keys!.pk!.S), ['k2', 'k3', 'k4']);
    const empty = await streams.send(new GetRecordsCommand({ ShardIterator: second.NextShardIterator }));
    assert.deepEqual(empty.Records, []);
    assert.ok(empty.NextShardIterator, 'an open shard always gives a next iterator');
    const seq = first.Records![1]!.dynamodb!.SequenceNumber!;
    const at = await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: seq }));
    assert.equal((await streams.send(new GetRecordsCommand({ ShardIterator: at.ShardIterator, Limit: 1 }))).Records![0]!.dynamodb!.Keys!.pk!.S, 'k1');
    const afterSeq = await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId, ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: seq }));
    assert.equal((await streams.send(new GetRecordsCommand({ ShardIterator: afterSeq.ShardIterator, Limit: 1 }))).Records![0]!.dynamodb!.Keys!.pk!.S, 'k2');
  });

  it("feeds the seed's stream handler through boto3", { skip: !hasBoto3 && 'needs python3 with boto3' }, async () => {
    const db = dynamo(env.endpoint);
    const name = tableName('seed-stream');
    await streamedTable(db, name, 'NEW_AND_OLD_IMAGES');
    const out = await boto3(env.endpoint, `
import json, boto3
dynamodb = boto3.client('dynamodb')
streams = boto3.client('dynamodbstreams')
table = '${name}'
dynamodb.put_item(TableName=table, Item={'pk': {'S': 'u1'}, 'name': {'S': 'Ann'}})
dynamodb.update_item(TableName=table, Key={'pk': {'S': 'u1'}}, UpdateExpression='SET #n = :n', ExpressionAttributeNames={'#n': 'name'}, ExpressionAttributeValues={':n': {'S': 'Annie'}})
dynamodb.delete_item(TableName=table, Key={'pk': {'S': 'u1'}})
arn = dynamodb.describe_table(TableName=table)['Table']['LatestStreamArn']
shard = streams.describe_stream(StreamArn=arn)['StreamDescription']['Shards'][0]['ShardId']
iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType='TRIM_HORIZON')['ShardIterator']
event = {'Records': streams.get_records(ShardIterator=iterator)['Records']}
seen = []
def handle_insert(item): seen.append(['insert', item['name']['S']])
def handle_update(old_item, new_item): seen.append(['update', old_item['name']['S'], new_item['name']['S']])
def handle_delete(item): seen.append(['delete', item['name']['S']])

def lambda_handler(event, context):
    """Process DynamoDB stream events"""

    for record in event['Records']:
        event_name = record['eventName']  # INSERT, MODIFY, REMOVE

        if event_name == 'INSERT':
            new_image = record['dynamodb']['NewImage']
            handle_insert(new_image)

        elif event_name == 'MODIFY':
            old_image = record['dynamodb']['OldImage']
            new_image = record['dynamodb']['NewImage']
            handle_update(old_image, new_image)

        elif event_name == 'REMOVE':
            old_image = record['dynamodb']['OldImage']
            handle_delete(old_image)

lambda_handler(event, None)
print(json.dumps(seen))
`);
    assert.deepEqual(out, [['insert', 'Ann'], ['update', 'Ann', 'Annie'], ['delete', 'Annie']]);
  });

  it('answers the AWS CLI, errors included', { skip: !hasAwsCli && 'needs the AWS CLI' }, async () => {
    const db = dynamo(env.endpoint);
    const name = tableName('cli');
    const arn = await streamedTable(db, name, 'NEW_IMAGE');
    await db.send(new PutItemCommand({ TableName: name, Item: { pk: { S: 'c' } } }));
    const described = (await awsCli(env.endpoint, ['dynamodbstreams', 'describe-stream', '--stream-arn', arn])).json as { StreamDescription: { Shards: Array<{ ShardId: string }> } };
    const shard = described.StreamDescription.Shards[0]!.ShardId;
    const iterator = (await awsCli(env.endpoint, ['dynamodbstreams', 'get-shard-iterator', '--stream-arn', arn, '--shard-id', shard, '--shard-iterator-type', 'TRIM_HORIZON'])).json as { ShardIterator: string };
    const records = (await awsCli(env.endpoint, ['dynamodbstreams', 'get-records', '--shard-iterator', iterator.ShardIterator])).json as { Records: Array<{ eventName: string; dynamodb: { NewImage: unknown } }> };
    assert.deepEqual(records.Records.map((r) => [r.eventName, r.dynamodb.NewImage]), [['INSERT', { pk: { S: 'c' } }]]);
    const failed = await awsCliFails(env.endpoint, ['dynamodbstreams', 'get-records', '--shard-iterator', 'nonsense']);
    assert.notEqual(failed.code, 0);
    assert.match(failed.stderr, /ValidationException/);
  });

  it('reads a stream in process for Lambda, in the event shape Lambda delivers', async () => {
    const db = dynamo(env.endpoint);
    const name = tableName('in-process');
    const arn = await streamedTable(db, name, 'NEW_AND_OLD_IMAGES');
    for (const v of ['1', '2', '3']) await db.send(new PutItemCommand({ TableName: name, Item: { pk: { S: 'k' }, v: { N: v }, b: { B: Buffer.from('hi') } } }));
    const { store, clock } = env.fogbank;
    const first = readStreamRecords(store, arn, undefined, 2, clock.now())!;
    assert.deepEqual(first.records.map((r) => r.eventName), ['INSERT', 'MODIFY']);
    const rest = readStreamRecords(store, arn, first.records[1]!.seq, 100, clock.now())!;
    assert.deepEqual(rest.records.map((r) => r.eventName), ['MODIFY']);
    assert.equal(rest.trimmed, false);
    assert.equal(rest.closed, false);
    const event = lambdaEventRecord(locateStream(store, arn, clock.now())!.meta, 'us-east-1', rest.records[0]!) as { eventSourceARN: string; eventVersion: string; dynamodb: { ApproximateCreationDateTime: unknown; NewImage: unknown; OldImage: { v: unknown } } };
    assert.equal(event.eventSourceARN, arn);
    assert.equal(event.eventVersion, '1.1');
    assert.equal(typeof event.dynamodb.ApproximateCreationDateTime, 'number');
    assert.deepEqual(event.dynamodb.NewImage, { pk: { S: 'k' }, v: { N: '3' }, b: { B: Buffer.from('hi').toString('base64') } });
    assert.deepEqual(event.dynamodb.OldImage.v, { N: '2' });
    assert.equal(readStreamRecords(store, `${arn}-nope`, undefined, 10, clock.now()), undefined);
  });
});
