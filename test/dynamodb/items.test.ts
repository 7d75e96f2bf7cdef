import assert from 'node:assert/strict';
import { describe, it, before } from 'node:test';
import { DeleteItemCommand, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { useFogbank } from '../support/fogbank.js';
import { createTable, dynamo, rejects } from './support.js';

const env = useFogbank();
const T = 'items';

describe('DynamoDB items', () => {
  before(async () => {
    await createTable(dynamo(env.endpoint), T);
    await createTable(dynamo(env.endpoint), 'items-sorted', 'N', {
      AttributeDefinitions: [{ AttributeName: 'g', AttributeType: 'S' }],
      GlobalSecondaryIndexes: [{ IndexName: 'by-g', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
    });
  });

  it('PutItem and GetItem round-trip every type, with numbers canonical and binaries intact', async () => {
    const db = dynamo(env.endpoint);
    const Item = {
      pk: { S: 'all-types' }, s: { S: '' }, n: { N: '00042.500' }, big: { N: '12345678901234567890123456789012345678' }, tiny: { N: '1E-130' },
      b: { B: Buffer.from([0, 1, 255]) }, ss: { SS: ['x', 'y'] }, ns: { NS: ['1', '2.50'] }, bs: { BS: [Buffer.from('a'), Buffer.from('b')] },
      m: { M: { inner: { L: [{ S: 'v' }, { NULL: true }, { BOOL: false }] } } },
    };
    await db.send(new PutItemCommand({ TableName: T, Item }));
    const { Item: got } = await db.send(new GetItemCommand({ TableName: T, Key: { pk: { S: 'all-types' } }, ConsistentRead: true }));
    assert.equal(got!.n!.N, '42.5');
    assert.equal(got!.big!.N, '12345678901234567890123456789012345678');
    assert.equal(got!.tiny!.N, `0.${'0'.repeat(129)}1`);
    assert.deepEqual(Buffer.from(got!.b!.B!), Buffer.from([0, 1, 255]));
    assert.deepEqual(got!.ns!.NS, ['1', '2.5']);
    assert.deepEqual(got!.bs!.BS!.map((b) => Buffer.from(b).toString()), ['a', 'b']);
    assert.deepEqual(got!.m, { M: { inner: { L: [{ S: 'v' }, { NULL: true }, { BOOL: false }] } } });
    assert.equal(got!.s!.S, '');
  });

  it('rejects bad attribute values and keys with AWS messages, and keeps serving', async () => {
    const db = dynamo(env.endpoint);
    const put = (Item: Record<string, unknown>) => db.send(new PutItemCommand({ TableName: T, Item: Item as never }));
    await rejects(put({ pk: { S: 'x' }, a: { SS: [] } }), 'ValidationException', 'One or more parameter values were invalid: An string set  may not be empty');
    await rejects(put({ pk: { S: 'x' }, a: { NS: [] } }), 'ValidationException', 'One or more parameter values were invalid: An number set  may not be empty');
    await rejects(put({ pk: { S: 'x' }, a: { SS: ['a', 'a'] } }), 'ValidationException', 'One or more parameter values were invalid: Input collection [a, a] contains duplicates.');
    await rejects(put({ pk: { S: 'x' }, a: { NULL: false } }), 'ValidationException', 'One or more parameter values were invalid: Null attribute value types must have the value of true');
    await rejects(put({ pk: { S: 'x' }, a: { N: 'abc' } }), 'ValidationException', 'The parameter cannot be converted to a numeric value: abc');
    await rejects(put({ pk: { S: 'x' }, a: { N: '1234567890123456789012345678901234567890' } }), 'ValidationException', 'Attempting to store more than 38 significant digits in a Number');
    await rejects(put({ pk: { S: 'x' }, a: { N: '1E+126' } }), 'ValidationException', 'Number overflow. Attempting to store a number with magnitude larger than supported range');
    await rejects(put({ pk: { S: 'x' }, a: { N: '1E-131' } }), 'ValidationException', 'Number underflow. Attempting to store a number with magnitude smaller than supported range');
    await rejects(put({ pk: { S: 'x' }, a: {} }), 'ValidationException', 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes');
    await rejects(put({ pk: { S: 'x' }, a: { S: 'a', N: '1' } }), 'ValidationException', 'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes');
    await rejects(put({ a: { S: 'x' } }), 'ValidationException', 'One or more parameter values were invalid: Missing the key pk in the item');
    await rejects(put({ pk: { N: '1' } }), 'ValidationException', 'One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N');
    await rejects(put({ pk: { S: '' } }), 'ValidationException', 'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk');
    await rejects(put({ pk: { S: 'x'.repeat(2049) } }), 'ValidationException', 'One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes');
    await rejects(put({ pk: { S: 'big' }, a: { S: 'x'.repeat(400 * 1024) } }), 'ValidationException', 'Item size has exceeded the maximum allowed size');
    await rejects(db.send(new PutItemCommand({ TableName: 'items-sorted', Item: { pk: { S: 'x' }, sk: { N: '1' }, g: { N: '1' } } })), 'ValidationException',
      'One or more parameter values were invalid: Type mismatch for Index Key g Expected: S Actual: N IndexName: by-g');
    await rejects(db.send(new GetItemCommand({ TableName: T, Key: { pk: { S: 'x' }, other: { S: 'y' } } })), 'ValidationException', 'The provided key element does not match the schema');
    await rejects(db.send(new GetItemCommand({ TableName: 'items-sorted', Key: { pk: { S: 'x' } } })), 'ValidationException', 'The provided key element does not match the schema');
    await rejects(db.send(new GetItemCommand({ TableName: 'missing', Key: { pk: { S: 'x' } } })), 'ResourceNotFoundException', 'Requested resource not found');
    await rejects(db.send(new PutItemCommand({ TableName: T, Item: { pk: { S: 'x' } }, ReturnValues: 'ALL_NEW' })), 'ValidationException', 'ReturnValues can only be ALL_OLD or NONE');
    // An item just under 400 KB (names count too) is accepted.
    await put({ pk: { S: 'big' }, a: { S: 'x'.repeat(400 * 1024 - 6) } });
    assert.ok((await db.send(new GetItemCommand({ TableName: T, Key: { pk: { S: 'big' } } }))).Item);
  });

  it('conditions: ConditionalCheckFailedException, with the old item when asked', async () => {
    const db = dynamo(env.endpoint);
    await db.send(new PutItemCommand({ TableName: T, Item: { pk: { S: 'cond' }, v: { N: '1' } }, ConditionExpression: 'attribute_not_exists(pk)' }));
    await rejects(db.send(new PutItemCommand({ TableName: T, Item: { pk: { S: 'cond' } }, ConditionExpression: 'attribute_not_exists(pk)' })), 'ConditionalCheckFailedException', 'The conditional request failed');
    const failed = await rejects(db.send(new DeleteItemCommand({ TableName: T, Key: { pk: { S: 'cond' } }, ConditionExpression: 'v > :v', ExpressionAttributeValues: { ':v': { N: '5' } }, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' })),
      'ConditionalCheckFailedException');
    assert.deepEqual(failed.Item, { pk: { S: 'cond' }, v: { N: '1' } });
    const old = await db.send(new DeleteItemCommand({ TableName: T, Key: { pk: { S: 'cond' } }, ConditionExpression: 'v = :v', ExpressionAttributeValues: { ':v': { N: '1.0' } }, ReturnValues: 'ALL_OLD' }));
    assert.deepEqual(old.Attributes, { pk: { S: 'cond' }, v: { N: '1' } });
    assert.equal((await db.send(new GetItemCommand({ TableName: T, Key: { pk: { S: 'cond' } } }))).Item, undefined);
    await rejects(db.send(new UpdateItemCommand({ TableName: T, Key: { pk: { S: 'cond' } }, UpdateExpression: 'SET a = :a', ConditionExpression: 'attribute_exists(pk)', ExpressionAttributeValues: { ':a': { S: 'x' } } })),
      'ConditionalCheckFailedException');
    assert.equal((await db.send(new GetItemCommand({ TableName: T, Key: { pk: { S: 'cond' } } }))).Item, undefined, 'a failed update leaves no item behind');
  });

  it('UpdateItem: every ReturnValues option', async () => {
    const db = dynamo(env.endpoint);
    const key = { pk: { S: 'rv' } };
    await db.send(new PutItemCommand({ TableName: T, Item: { ...key, a: { N: '1' }, b: { S: 'keep' } } }));
    const update = (ReturnValues: 'ALL_OLD' | 'ALL_NEW' | 'UPDATED_OLD' | 'UPDATED_NEW' | 'NONE') =>
      db.send(new UpdateItemCommand({ TableName: T, Key: key, UpdateExpression: 'SET a = a + :one', ExpressionAttributeValues: { ':one': { N: '1' } }, ReturnValues }));
    assert.deepEqual((await update('ALL_OLD')).Attributes, { ...key, a: { N: '1' }, b: { S: 'keep' } });
    assert.deepEqual((await update('ALL_NEW')).Attributes, { ...key, a: { N: '3' }, b: { S: 'keep' } });
    assert.deepEqual((await update('UPDATED_OLD')).Attributes, { a: { N: '3' } });
    assert.deepEqual((await update('UPDATED_NEW')).Attributes, { a: { N: '5' } });
    assert.equal((await update('NONE')).Attributes, undefined);
  });

  it('UpdateItem creates a missing item and refuses to change key attributes', async () => {
    const db = dynamo(env.endpoint);
    const out = await db.send(new UpdateItemCommand({ TableName: T, Key: { pk: { S: 'fresh' } }, UpdateExpression: 'SET #c = if_not_exists(#c, :zero) + :one', ExpressionAttributeNames: { '#c': 'count' }, ExpressionAttributeValues: { ':zero': { N: '0' }, ':one': { N: '1' } }, ReturnValues: 'ALL_NEW' }));
    assert.deepEqual(out.Attributes, { pk: { S: 'fresh' }, count: { N: '1' } });
    await rejects(db.send(new UpdateItemCommand({ TableName: T, Key: { pk: { S: 'fresh' } }, UpdateExpression: 'SET pk = :v', ExpressionAttributeValues: { ':v': { S: 'x' } } })),
      'ValidationException', 'One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key');
  });

  it('ReturnConsumedCapacity in AWS units, ItemCollectionMetrics only with local indexes', async () => {
    const db = dynamo(env.endpoint);
    const put = await db.send(new PutItemCommand({ TableName: T, Item: { pk: { S: 'cap' }, data: { S: 'x'.repeat(3000) } }, ReturnConsumedCapacity: 'INDEXES', ReturnItemCollectionMetrics: 'SIZE' }));
    assert.deepEqual(put.ConsumedCapacity, { TableName: T, CapacityUnits: 3, Table: { CapacityUnits: 3 } });
    assert.equal(put.ItemCollectionMetrics, undefined);
    const eventual = await db.send(new GetItemCommand({ TableName: T, Key: { pk: { S: 'cap' } }, ReturnConsumedCapacity: 'TOTAL' }));
    assert.deepEqual(eventual.ConsumedCapacity, { TableName: T, CapacityUnits: 0.5 });
    const strong = await db.send(new GetItemCommand({ TableName: T, Key: { pk: { S: 'cap' } }, ReturnConsumedCapacity: 'TOTAL', ConsistentRead: true }));
    assert.equal(strong.ConsumedCapacity!.CapacityUnits, 1);
    const gsi = await db.send(new PutItemCommand({ TableName: 'items-sorted', Item: { pk: { S: 'c' }, sk: { N: '1' }, g: { S: 'x' } }, ReturnConsumedCapacity: 'INDEXES' }));
    assert.deepEqual(gsi.ConsumedCapacity, { TableName: 'items-sorted', CapacityUnits: 2, Table: { CapacityUnits: 1 }, GlobalSecondaryIndexes: { 'by-g': { CapacityUnits: 1 } } });
  });
});
