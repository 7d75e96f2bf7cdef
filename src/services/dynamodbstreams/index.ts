// Amazon DynamoDB Streams: ListStreams, DescribeStream, GetShardIterator and GetRecords over the
// change records DynamoDB appends in the same store transaction as each item change (see
// src/services/dynamodb/streams/). Records are kept 24 hours on Fogbank's clock; a disabled
// stream (or a deleted table's) stays listed and readable for 24 hours.
//
// Inside Fogbank (Lambda's event source mapping), read a stream without HTTP with
// readStreamRecords(store, streamArn, afterSequence, limit, now) from
// src/services/dynamodb/streams/read.ts, and lambdaEventRecord() for Lambda's event shape.
//
// Not yet (AWS does these; Fogbank does not):
// - More than one shard per stream: each stream has a single shard for its whole life (AWS splits
//   shards over time; readers that follow ParentShardId work unchanged with one).
// - ListStreams for a table that does not exist answers an empty list.

import type { ServiceImplementation } from '../types.js';
import { getRecords, getShardIterator } from './records.js';
import { describeStream, listStreams } from './streams.js';

export const dynamodbStreams: ServiceImplementation = {
  operations: {
    ListStreams: listStreams,
    DescribeStream: describeStream,
    GetShardIterator: getShardIterator,
    GetRecords: getRecords,
  },
  errorStyle: { typePrefix: 'com.amazonaws.dynamodb.v20120810#' },
};
