import assert from 'node:assert/strict';
import { describe, it, before } from 'node:test';
import { BatchGetItemCommand, BatchWriteItemCommand, GetItemCommand, PutItemCommand, TransactGetItemsCommand, TransactWriteItemsCommand, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { useFogbank } from '../support/fogbank.js';
import { createTable, dynamo, rejects } from './support.js';

const env = useFogbank();
const T = 'tx-main';

describe('DynamoDB batches and transactions', () => {
  before(async () => {
    await createTable(dynamo(env.endpoint), T);
    await createTable(dynamo(env.endpoint), 'tx-other', 'N');
  });

  it('BatchWriteItem puts and deletes; BatchGetItem reads across tables with projections', async () => {
    const db = dynamo(env.endpoint);
    await db.send(new BatchWriteItemCommand({ RequestItems: {
      [T]: Array.from({ length: 20 }, (_, i) => ({ PutRequest: { Item: { pk: { S: `b${i}` }, v: { N: String(i) }, other: { S: 'x' } } } })),
      'tx-other': [{ PutRequest: { Item: { pk: { S: 'o' }, sk: { N: '1' } } } }],
    } }));
    await db.send(new BatchWriteItemCommand({ RequestItems: { [T]: [{ DeleteRequest: { Key: { pk: { S: 'b0' } } } }] } }));
    const got = await db.send(new BatchGetItemCommand({ RequestItems: {
      [T]: { Keys: [{ pk: { S: 'b0' } }, { pk: { S: 'b1' } }, { pk: { S: 'b2' } }], ProjectionExpression: 'v' },
      'tx-other': { Keys: [{ pk: { S: 'o' }, sk: { N: '1' } }] },
    }, ReturnConsumedCapacity: 'TOTAL' }));
    assert.deepEqual(got.Responses![T]!.map((i) => i.v!.N).sort(), ['1', '2']);
    assert.deepEqual(Object.keys(got.Responses![T]![0]!), ['v']);
    assert.equal(got.Responses!['tx-other']!.length, 1);
    assert.deepEqual(got.UnprocessedKeys, {});
    assert.equal(got.ConsumedCapacity!.length, 2);
  });

  it('batch limits and duplicate keys answer AWS errors', async () => {
    const db = dynamo(env.endpoint);
    // AWS says "The requestItems parameter is required for BatchWriteItem"; the generic model check may answer first.
    await rejects(db.send(new BatchWriteItemCommand({ RequestItems: {} })), 'ValidationException', /requestItems/);
    await rejects(db.send(new BatchGetItemCommand({ RequestItems: {} })), 'ValidationException', /requestItems/);
    await rejects(db.send(new BatchWriteItemCommand({ RequestItems: { [T]: Array.from({ length: 26 }, (_, i) => ({ PutRequest: { Item: { pk: { S: `x${i}` } } } })) } })),
      'ValidationException', /^1 validation error detected: Value .+ at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: \[Member must have length less than or equal to 25, Member must have length greater than or equal to 1\]$/s);
    await rejects(db.send(new BatchGetItemCommand({ RequestItems: { [T]: { Keys: Array.from({ length: 101 }, (_, i) => ({ pk: { S: `k${i}` } })) } } })),
      'ValidationException', /^1 validation error detected: Value .*Member must have length less than or equal to 100$/s);
    await rejects(db.send(new BatchWriteItemCommand({ RequestItems: { [T]: [{ PutRequest: { Item: { pk: { S: 'd' } } } }, { DeleteRequest: { Key: { pk: { S: 'd' } } } }] } })),
      'ValidationException', 'Provided list of item keys contains duplicates');
    await rejects(db.send(new BatchGetItemCommand({ RequestItems: { [T]: { Keys: [{ pk: { S: 'd' } }, { pk: { S: 'd' } }] } } })), 'ValidationException', 'Provided list of item keys contains duplicates');
    await rejects(db.send(new BatchGetItemCommand({ RequestItems: { missing: { Keys: [{ pk: { S: 'd' } }] } } })), 'ResourceNotFoundException', 'Requested resource not found');
    assert.equal((await db.send(new GetItemCommand({ TableName: T, Key: { pk: { S: 'd' } } }))).Item, undefined, 'a rejected batch writes nothing');
  });

  it('TransactWriteItems writes all or nothing, with positional CancellationReasons', async () => {
    const db = dynamo(env.endpoint);
    await db.send(new PutItemCommand({ TableName: T, Item: { pk: { S: 'acct-a' }, balance: { N: '100' } } }));
    await db.send(new TransactWriteItemsCommand({ TransactItems: [
      { Update: { TableName: T, Key: { pk: { S: 'acct-a' } }, UpdateExpression: 'SET balance = balance - :amt', ConditionExpression: 'balance >= :amt', ExpressionAttributeValues: { ':amt': { N: '30' } } } },
      { Put: { TableName: T, Item: { pk: { S: 'acct-b' }, balance: { N: '30' } }, ConditionExpression: 'attribute_not_exists(pk)' } },
      { ConditionCheck: { TableName: 'tx-other', Key: { pk: { S: 'o' }, sk: { N: '1' } }, ConditionExpression: 'attribute_exists(pk)' } },
    ] }));
    assert.equal((await db.send(new GetItemCommand({ TableName: T, Key: { pk: { S: 'acct-a' } } }))).Item!.balance!.N, '70');
    const error = await rejects(db.send(new TransactWriteItemsCommand({ TransactItems: [
      { Update: { TableName: T, Key: { pk: { S: 'acct-a' } }, UpdateExpression: 'SET balance = balance - :amt', ExpressionAttributeValues: { ':amt': { N: '1' } } } },
      { Put: { TableName: T, Item: { pk: { S: 'acct-b' } }, ConditionExpression: 'attribute_not_exists(pk)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
    ] })), 'TransactionCanceledException', 'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]');
    const reasons = (error as unknown as TransactionCanceledException).CancellationReasons!;
    assert.deepEqual(reasons[0], { Code: 'None' });
    assert.equal(reasons[1]!.Message, 'The conditional request failed');
    assert.deepEqual(reasons[1]!.Item, { pk: { S: 'acct-b' }, balance: { N: '30' } });
    assert.equal((await db.send(new GetItemCommand({ TableName: T, Key: { pk: { S: 'acct-a' } } }))).Item!.balance!.N, '70', 'nothing was written');
    await rejects(db.send(new TransactWriteItemsCommand({ TransactItems: [
      { Put: { TableName: T, Item: { pk: { S: 'same' } } } }, { Delete: { TableName: T, Key: { pk: { S: 'same' } } } },
    ] })), 'ValidationException', 'Transaction request cannot include multiple operations on one item');
    await rejects(db.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: 'missing', Item: { pk: { S: 'x' } } } }] })), 'ResourceNotFoundException', 'Requested resource not found');
  });

  it('ClientRequestToken makes TransactWriteItems idempotent', async () => {
    const db = dynamo(env.endpoint);
    const send = (amount: string) => db.send(new TransactWriteItemsCommand({ ClientRequestToken: 'token-1', TransactItems: [
      { Update: { TableName: T, Key: { pk: { S: 'counter' } }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': { N: amount } } } },
    ] }));
    await send('1');
    await send('1');
    assert.equal((await db.send(new GetItemCommand({ TableName: T, Key: { pk: { S: 'counter' } } }))).Item!.n!.N, '1');
    await rejects(send('2'), 'IdempotentParameterMismatchException');
    env.fogbank.advanceClock(11 * 60 * 1000);
    await send('2');
    assert.equal((await db.send(new GetItemCommand({ TableName: T, Key: { pk: { S: 'counter' } } }))).Item!.n!.N, '3');
  });

  it('TransactGetItems reads a consistent set; a bad key is a ValidationError reason', async () => {
    const db = dynamo(env.endpoint);
    const out = await db.send(new TransactGetItemsCommand({ TransactItems: [
      { Get: { TableName: T, Key: { pk: { S: 'acct-a' } }, ProjectionExpression: 'balance' } },
      { Get: { TableName: T, Key: { pk: { S: 'nobody' } } } },
    ] }));
    assert.deepEqual(out.Responses, [{ Item: { balance: { N: '70' } } }, {}]);
    const error = await rejects(db.send(new TransactGetItemsCommand({ TransactItems: [{ Get: { TableName: T, Key: {} } }] })), 'TransactionCanceledException',
      'Transaction cancelled, please refer cancellation reasons for specific reasons [ValidationError]');
    assert.equal((error as unknown as TransactionCanceledException).CancellationReasons![0]!.Code, 'ValidationError');
  });
});
