import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DeleteTableCommand, DescribeTableCommand, PutItemCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand, ListStreamsCommand } from '@aws-sdk/client-dynamodb-streams';
import { useFogbank } from '../support/fogbank.js';
import { createTable, dynamo, rejects, tableName } from '../dynamodb/support.js';
import { readAll, shardOf, streamedTable, streamsClient } from './support.js';

const env = useFogbank();
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('DynamoDB stream lifecycle and retention', () => {
  it('enables a stream with UpdateTable, disables it (still readable) and enables a new one', async () => {
    const db = dynamo(env.endpoint);
    const streams = streamsClient(env.endpoint);
    const name = tableName('toggled');
    await createTable(db, name);
    const enabled = await db.send(new UpdateTableCommand({ TableName: name, StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } }));
    const arn = enabled.TableDescription!.LatestStreamArn!;
    assert.deepEqual(enabled.TableDescription!.StreamSpecification, { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' });
    await rejects(db.send(new UpdateTableCommand({ TableName: name, StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } })), 'ValidationException', `Table already has an enabled stream: TableName: ${name}`);
    await db.send(new PutItemCommand({ TableName: name, Item: { pk: { S: 'before-disable' } } }));
    const ShardId = await shardOf(streams, arn);
    const iterator = (await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
    await db.send(new UpdateTableCommand({ TableName: name, StreamSpecification: { StreamEnabled: false } }));
    await db.send(new PutItemCommand({ TableName: name, Item: { pk: { S: 'after-disable' } } }));
    const described = (await db.send(new DescribeTableCommand({ TableName: name }))).Table!;
    assert.equal(described.StreamSpecification, undefined);
    assert.equal(described.LatestStreamArn, arn);
    const { StreamDescription: d } = await streams.send(new DescribeStreamCommand({ StreamArn: arn }));
    assert.equal(d!.StreamStatus, 'DISABLED');
    const [record] = await readAll(streams, arn);
    assert.equal(d!.Shards![0]!.SequenceNumberRange!.EndingSequenceNumber, record!.dynamodb!.SequenceNumber);
    const read = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
    assert.deepEqual(read.Records!.map((r) => r.dynamodb!.Keys!.pk!.S), ['before-disable']);
    assert.equal(read.NextShardIterator, undefined, 'a closed shard read to its end has no next iterator');

    env.fogbank.advanceClock(1000);
    const again = await db.send(new UpdateTableCommand({ TableName: name, StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } }));
    const second = again.TableDescription!.LatestStreamArn!;
    assert.notEqual(second, arn);
    const listed = await streams.send(new ListStreamsCommand({ TableName: name }));
    assert.deepEqual(listed.Streams!.map((s) => s.StreamArn).sort(), [arn, second].sort());

    env.fogbank.advanceClock(24 * HOUR);
    assert.deepEqual((await streams.send(new ListStreamsCommand({ TableName: name }))).Streams!.map((s) => s.StreamArn), [second]);
    await rejects(streams.send(new DescribeStreamCommand({ StreamArn: arn })), 'ResourceNotFoundException', `Requested resource not found: Stream: ${arn} not found`);
  });

  it('keeps a deleted table’s stream readable for 24 hours, without records for the deletion', async () => {
    const db = dynamo(env.endpoint);
    const streams = streamsClient(env.endpoint);
    const name = tableName('deleted');
    const arn = await streamedTable(db, name, 'KEYS_ONLY');
    await db.send(new PutItemCommand({ TableName: name, Item: { pk: { S: 'x' } } }));
    await db.send(new DeleteTableCommand({ TableName: name }));
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: arn }));
    assert.equal(StreamDescription!.StreamStatus, 'DISABLED');
    assert.deepEqual((await readAll(streams, arn)).map((r) => r.eventName), ['INSERT']);
  });

  it('pages ListStreams with Limit and ExclusiveStartStreamArn', async () => {
    const db = dynamo(env.endpoint);
    const streams = streamsClient(env.endpoint);
    const arns = [];
    for (let i = 0; i < 3; i++) arns.push(await streamedTable(db, tableName('paged'), 'KEYS_ONLY'));
    const all = (await streams.send(new ListStreamsCommand({}))).Streams!.map((s) => s.StreamArn!);
    for (const arn of arns) assert.ok(all.includes(arn));
    const seen: string[] = [];
    let start: string | undefined;
    do {
      const page = await streams.send(new ListStreamsCommand({ Limit: 2, ExclusiveStartStreamArn: start }));
      assert.ok(page.Streams!.length <= 2);
      seen.push(...page.Streams!.map((s) => s.StreamArn!));
      start = page.LastEvaluatedStreamArn;
    } while (start);
    assert.deepEqual(seen, all);
  });

  it('expires iterators after 15 minutes and trims records after 24 hours', async () => {
    const db = dynamo(env.endpoint);
    const streams = streamsClient(env.endpoint);
    const name = tableName('retained');
    const arn = await streamedTable(db, name, 'KEYS_ONLY');
    const ShardId = await shardOf(streams, arn);
    await db.send(new PutItemCommand({ TableName: name, Item: { pk: { S: 'old' } } }));
    const [old] = await readAll(streams, arn);
    const iterator = (await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
    env.fogbank.advanceClock(15 * MINUTE + 1000);
    await rejects(streams.send(new GetRecordsCommand({ ShardIterator: iterator })), 'ExpiredIteratorException', /^Iterator expired/);

    env.fogbank.advanceClock(24 * HOUR);
    await db.send(new PutItemCommand({ TableName: name, Item: { pk: { S: 'new' } } }));
    assert.deepEqual((await readAll(streams, arn)).map((r) => r.dynamodb!.Keys!.pk!.S), ['new']);
    await rejects(
      streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: old!.dynamodb!.SequenceNumber })),
      'TrimmedDataAccessException',
    );
    // An iterator issued shortly before its first record is trimmed reads into trimmed data.
    env.fogbank.advanceClock(24 * HOUR - 5 * MINUTE);
    const early = (await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
    await db.send(new PutItemCommand({ TableName: name, Item: { pk: { S: 'newest' } } }));
    env.fogbank.advanceClock(6 * MINUTE);
    await rejects(streams.send(new GetRecordsCommand({ ShardIterator: early })), 'TrimmedDataAccessException');
    assert.deepEqual((await readAll(streams, arn)).map((r) => r.dynamodb!.Keys!.pk!.S), ['newest']);
  });

  it('answers AWS errors for bad streams, shards, iterators and sequence numbers, and keeps serving', async () => {
    const db = dynamo(env.endpoint);
    const streams = streamsClient(env.endpoint);
    const arn = await streamedTable(db, tableName('errors'), 'KEYS_ONLY');
    const ShardId = await shardOf(streams, arn);
    const missing = `${arn.split('/stream/')[0]}-gone/stream/2020-01-01T00:00:00.000`;
    await rejects(streams.send(new DescribeStreamCommand({ StreamArn: missing })), 'ResourceNotFoundException', `Requested resource not found: Stream: ${missing} not found`);
    await rejects(streams.send(new GetShardIteratorCommand({ StreamArn: missing, ShardId, ShardIteratorType: 'LATEST' })), 'ResourceNotFoundException');
    await rejects(streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: 'shardId-00000000000000000000-00000000', ShardIteratorType: 'LATEST' })), 'ResourceNotFoundException');
    await rejects(streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER' })), 'ValidationException');
    await rejects(streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId, ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: 'abc' })), 'ValidationException');
    await rejects(streams.send(new GetRecordsCommand({ ShardIterator: 'not-an-iterator' })), 'ValidationException', 'Invalid ShardIterator');
    await rejects(streams.send(new GetRecordsCommand({ ShardIterator: `${arn}|1|!!!!` })), 'ValidationException', 'Invalid ShardIterator');
    // The model's constraints apply (DynamoDB Streams' model file and uid are spelled differently).
    await rejects(streams.send(new ListStreamsCommand({ Limit: 0 })), 'ValidationException',
      "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
    await rejects(streams.send(new GetRecordsCommand({ ShardIterator: 'x'.repeat(20), Limit: 0 })), 'ValidationException',
      "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
    const { Streams } = await streams.send(new ListStreamsCommand({ TableName: 'no-such-table' }));
    assert.deepEqual(Streams, []);
    assert.equal((await streams.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription!.StreamArn, arn);
  });
});
