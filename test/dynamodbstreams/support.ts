// Shared setup for the DynamoDB Streams tests: clients, a streamed table, and a reader.

import { DescribeTableCommand, type DynamoDBClient, type StreamViewType } from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, type _Record } from '@aws-sdk/client-dynamodb-streams';
import { clientConfig } from '../support/fogbank.js';
import { createTable } from '../dynamodb/support.js';

export function streamsClient(endpoint: string): DynamoDBStreamsClient {
  return new DynamoDBStreamsClient(clientConfig(endpoint));
}

/** A table keyed by pk (and sk when sortType is given) with a stream of the given view type; returns the stream ARN. */
export async function streamedTable(db: DynamoDBClient, name: string, view: StreamViewType, sortType?: 'S' | 'N'): Promise<string> {
  await createTable(db, name, sortType, { StreamSpecification: { StreamEnabled: true, StreamViewType: view } });
  const { Table } = await db.send(new DescribeTableCommand({ TableName: name }));
  return Table!.LatestStreamArn!;
}

export async function shardOf(streams: DynamoDBStreamsClient, arn: string): Promise<string> {
  const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: arn }));
  return StreamDescription!.Shards![0]!.ShardId!;
}

/** Every record from the trim horizon. */
export async function readAll(streams: DynamoDBStreamsClient, arn: string): Promise<_Record[]> {
  const ShardId = await shardOf(streams, arn);
  const { ShardIterator } = await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId, ShardIteratorType: 'TRIM_HORIZON' }));
  const { Records } = await streams.send(new GetRecordsCommand({ ShardIterator }));
  return Records ?? [];
}
