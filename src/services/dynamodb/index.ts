// Amazon DynamoDB: tables, items, expressions, queries and scans over order-preserving store
// keys, secondary indexes kept in the same transaction as their items, batches and transactions,
// stream records appended in that same transaction (streams/; the DynamoDB Streams API lives in
// src/services/dynamodbstreams/, and Lambda can read a stream in process with
// readStreamRecords() from streams/read.ts), PartiQL run through the same operations
// (partiql/), and time to live (ttl/: expired items are deleted
// promptly on Fogbank's clock, where AWS takes up to a few days).
//
// Not yet (AWS does these; Fogbank does not):
// - PartiQL: no nested SELECTs. RETURNING in batches and transactions, and EXISTS() outside
//   transactions, are refused with messages not yet confirmed against AWS's.
// - Validation: enum sets in Coral messages are listed in the model's order (AWS prints Java's
//   set order), and a body of the wrong JSON shape where the minified model renamed the shape
//   answers "Unexpected field type" instead of naming the Java class.
// - Backups, point-in-time recovery, exports and imports, global tables (replicas), Kinesis
//   streaming destinations, contributor insights, resource policies, auto scaling.
// - Throttling: provisioned capacity is reported, never enforced.
// - ItemCount and TableSizeBytes are computed when described (AWS refreshes them every six
//   hours); tables above 10,000 items report an extrapolated size.

import type { ServiceImplementation } from '../types.js';
import { batchGetItem, batchWriteItem } from './batch/batch-operations.js';
import { deleteItem, getItemAnswer, putItem, updateItem } from './items/item-operations.js';
import { queryAnswer, scanAnswer } from './reads/query-and-scan.js';
import { createTable } from './tables/create-table.js';
import { describeEndpoints, describeLimits, describeTableOperation, deleteTable, listTables } from './tables/table-operations.js';
import { describeTimeToLive, listTagsOfResource, tagResource, untagResource, updateTimeToLive } from './tables/tags-and-ttl.js';
import { updateTable } from './tables/update-table.js';
import { batchExecuteStatement, executeStatement, executeTransaction } from './partiql/operations.js';
import { transactGetItems } from './transactions/transact-get.js';
import { transactWriteItems } from './transactions/transact-write.js';
import { inputChecks } from './input-checks.js';

export const dynamodb: ServiceImplementation = {
  operations: {
    CreateTable: createTable,
    DescribeTable: describeTableOperation,
    ListTables: listTables,
    UpdateTable: updateTable,
    DeleteTable: deleteTable,
    TagResource: tagResource,
    UntagResource: untagResource,
    ListTagsOfResource: listTagsOfResource,
    UpdateTimeToLive: updateTimeToLive,
    DescribeTimeToLive: describeTimeToLive,
    DescribeLimits: describeLimits,
    DescribeEndpoints: describeEndpoints,
    PutItem: putItem,
    GetItem: getItemAnswer,
    UpdateItem: updateItem,
    DeleteItem: deleteItem,
    Query: queryAnswer,
    Scan: scanAnswer,
    BatchGetItem: batchGetItem,
    BatchWriteItem: batchWriteItem,
    TransactGetItems: transactGetItems,
    TransactWriteItems: transactWriteItems,
    ExecuteStatement: executeStatement,
    BatchExecuteStatement: batchExecuteStatement,
    ExecuteTransaction: executeTransaction,
  },
  inputChecks,
  errorStyle: {
    typePrefix: 'com.amazonaws.dynamodb.v20120810#',
    frameworkTypes: { ValidationException: 'com.amazon.coral.validate#ValidationException', SerializationException: 'com.amazon.coral.service#SerializationException' },
  },
  // Items are stored in their wire form already, so requests and answers skip the codec's walk
  // over the model: handlers take base64 binaries and answer timestamps in epoch seconds.
  rawJson: true,
};
