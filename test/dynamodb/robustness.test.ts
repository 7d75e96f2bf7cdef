// The server survives whatever arrives: a few thousand generated DynamoDB requests (broken keys,
// values, expressions, statements and options, in every combination a seeded generator reaches)
// each get an AWS-shaped answer, never a 5xx, and the server keeps serving.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { useFogbank } from '../support/fogbank.js';
import { dynamo } from './support.js';

const env = useFogbank();

/** A small seeded generator (mulberry32), so a failure names a case that can be run again. */
function generator(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function send(target: string, body: unknown): Promise<{ status: number; text: string }> {
  const response = await fetch(env.endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': target, authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0' },
    body: JSON.stringify(body),
  });
  return { status: response.status, text: await response.text() };
}

/* eslint-disable @typescript-eslint/no-explicit-any */
function* requests(count: number, random: () => number): Generator<[string, any]> {
  const rnd = <T>(a: T[]): T => a[Math.floor(random() * a.length)]!;
  let body: any;
  const values: unknown[] = [{}, { S: '' }, { N: 'x' }, { N: '1e500' }, { N: '' }, { B: '' }, { SS: [] }, { NS: ['1', '01'] }, { L: [{}] }, { M: { a: {} } }, { NULL: false }, { BOOL: true, S: 'a' }, { S: 'a'.repeat(5000) }, { M: { '': { S: 'x' } } }, { L: Array(50).fill({ L: [{ N: '1' }] }) }, { N: '-0' }, { N: '99999999999999999999999999999999999999999' }, { B: 'AAAA' }, { BS: ['AA==', 'AA=='] }];
  const exprs = ['', ' ', 'a', '#', ':', 'a = :v', '#n = :v', 'SET', 'SET a = a + :v', 'SET a[0] = :v', 'REMOVE a[99999999999]', 'ADD a :v', 'DELETE a :v', 'attribute_exists(', 'size(a) > :v', 'a BETWEEN :v AND :w', 'a IN ()', 'a IN (:v)', 'begins_with(a, :v)', 'contains(a)', 'NOT NOT NOT a = :v', '((((a = :v))))', 'a.b.c[1][2] = :v', 'if_not_exists(a, :v)', 'SET a = list_append(:v, :w)', 'pk = :v AND sk > :w', 'pk = :v AND begins_with(sk, :w)', 'pk = :v OR sk = :w', '#n.#n = :v', 'a = :v'.repeat(300), 'a.'.repeat(100) + 'b = :v', 'SET a = :v, a = :w', 'SET a = :v REMOVE a', '\u0000', 'a = :v AND', '(a = :v', 'sk between :v and :w and pk = :v'];
  const names: unknown[] = [undefined, {}, { '#n': 'a' }, { '#n': '' }, { 'n': 'a' }, { '#n': 'pk' }];
  const vals: unknown[] = [undefined, {}, { ':v': { S: 'a' }, ':w': { N: '1' } }, { ':v': {} }, { v: { S: 'a' } }, { ':v': { L: [] }, ':w': { SS: ['a'] } }, { ':v': { N: '1' }, ':w': { B: 'AA==' } }];
  const keys: Array<Record<string, unknown> | undefined> = [undefined, {}, { pk: { S: 'a' } }, { pk: { S: 'a' }, sk: { N: '1' } }, { pk: { S: '' }, sk: { N: '1' } }, { pk: { N: '1' }, sk: { N: '1' } }, { pk: { S: 'a' }, sk: { N: '1' }, x: { S: 'b' } }, { pk: { S: 'a' }, sk: { S: '1' } }];

  const ops = ['PutItem', 'GetItem', 'UpdateItem', 'DeleteItem', 'Query', 'Scan', 'BatchGetItem', 'BatchWriteItem', 'TransactGetItems', 'TransactWriteItems', 'ExecuteStatement', 'BatchExecuteStatement', 'ExecuteTransaction', 'UpdateTable', 'CreateTable', 'DescribeTable', 'UpdateTimeToLive', 'TagResource', 'ListTables'];
  const stmts = ['', 'SELECT', 'SELECT * FROM fuzz', 'SELECT * FROM "fuzz" WHERE pk = ?', 'INSERT INTO fuzz VALUE {}', "INSERT INTO fuzz VALUE {'pk': 'a', 'sk': 1}", 'UPDATE fuzz SET a = 1', "UPDATE fuzz SET a = 1 WHERE pk = 'a' AND sk = 1 RETURNING ALL NEW *", "DELETE FROM fuzz WHERE pk = 'a' AND sk = ? RETURNING ALL OLD *", 'EXISTS(SELECT * FROM fuzz', "EXISTS(SELECT * FROM fuzz WHERE pk = 'a' AND sk = 1)", 'SELECT * FROM fuzz.gsi1 WHERE g = ?', "SELECT a.b[1] FROM fuzz WHERE pk IN ['a', 'b']", '<<', "'", '"fuzz"."gsi1"', 'SELECT * FROM fuzz WHERE pk = ? AND sk = ? AND pk = ?'];
  const item = () => {
    const it: Record<string, unknown> = { ...(rnd(keys) ?? {}) };
    for (let i = 0; i < 3; i++) it[rnd(['a', 'b', 'g', 'pk', 'sk', ''])] = rnd(values);
    return it;
  };
  for (let i = 0; i < count; i++) {
    const op = rnd(ops);
    const common = { TableName: rnd(['fuzz', 'fuzz', 'missing', '', 'a'.repeat(300)]), ExpressionAttributeNames: rnd(names), ExpressionAttributeValues: rnd(vals), ReturnValues: rnd([undefined, 'ALL_OLD', 'ALL_NEW', 'UPDATED_NEW', 'UPDATED_OLD', 'NONE']), ReturnConsumedCapacity: rnd([undefined, 'TOTAL', 'INDEXES']), ReturnValuesOnConditionCheckFailure: rnd([undefined, 'ALL_OLD']) };
    const e = () => rnd([undefined, rnd(exprs)]);
    switch (op) {
      case 'PutItem': body = { ...common, Item: item(), ConditionExpression: e(), Expected: rnd([undefined, { a: { Exists: false } }, { a: { Value: { S: 'x' }, ComparisonOperator: 'EQ' } }, { a: {} }]) }; break;
      case 'GetItem': body = { ...common, Key: rnd(keys), ProjectionExpression: e(), AttributesToGet: rnd([undefined, ['a'], ['a', 'a']]) }; break;
      case 'UpdateItem': body = { ...common, Key: rnd(keys), UpdateExpression: e(), ConditionExpression: e(), AttributeUpdates: rnd([undefined, { a: { Action: 'ADD', Value: { N: '1' } } }, { a: { Action: 'DELETE' } }, { pk: { Value: { S: 'x' } } }]) }; break;
      case 'DeleteItem': body = { ...common, Key: rnd(keys), ConditionExpression: e() }; break;
      case 'Query': body = { ...common, KeyConditionExpression: e(), FilterExpression: e(), ProjectionExpression: e(), IndexName: rnd([undefined, 'gsi1', 'nope']), Limit: rnd([undefined, 1, 0]), ExclusiveStartKey: rnd(keys), Select: rnd([undefined, 'COUNT', 'ALL_PROJECTED_ATTRIBUTES', 'SPECIFIC_ATTRIBUTES']), ScanIndexForward: rnd([undefined, false]), KeyConditions: rnd([undefined, { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'a' }] } }, { pk: { ComparisonOperator: 'BETWEEN' } }]) }; break;
      case 'Scan': body = { ...common, FilterExpression: e(), ProjectionExpression: e(), IndexName: rnd([undefined, 'gsi1']), Segment: rnd([undefined, 0, 3]), TotalSegments: rnd([undefined, 1, 2, 1000000]), ExclusiveStartKey: rnd(keys), ScanFilter: rnd([undefined, { a: { ComparisonOperator: 'CONTAINS', AttributeValueList: [{ L: [] }] } }]) }; break;
      case 'BatchGetItem': body = { RequestItems: rnd([{}, { fuzz: { Keys: [rnd(keys), rnd(keys)] } }, { fuzz: { Keys: [] } }, { fuzz: { Keys: [keys[3], keys[3]] } }]) }; break;
      case 'BatchWriteItem': body = { RequestItems: rnd([{}, { fuzz: [{ PutRequest: { Item: item() } }, { DeleteRequest: { Key: rnd(keys) } }] }, { fuzz: [{ PutRequest: { Item: item() }, DeleteRequest: { Key: rnd(keys) } }] }]) }; break;
      case 'TransactGetItems': body = { TransactItems: [{ Get: { TableName: 'fuzz', Key: rnd(keys), ProjectionExpression: e() } }] }; break;
      case 'TransactWriteItems': body = { ClientRequestToken: rnd([undefined, 'tok']), TransactItems: [{ Put: { TableName: 'fuzz', Item: item(), ConditionExpression: e(), ExpressionAttributeValues: rnd(vals) } }, { Update: { TableName: 'fuzz', Key: rnd(keys), UpdateExpression: e() } }, { ConditionCheck: { TableName: 'fuzz', Key: rnd(keys), ConditionExpression: e() } }] }; break;
      case 'ExecuteStatement': body = { Statement: rnd(stmts), Parameters: rnd([undefined, [], [{ S: 'a' }], [{ S: 'a' }, { N: '1' }], [{}]]), Limit: rnd([undefined, 1]), NextToken: rnd([undefined, 'garbage', 'eyJ9']) }; break;
      case 'BatchExecuteStatement': body = { Statements: [{ Statement: rnd(stmts), Parameters: rnd([undefined, [{ S: 'a' }, { N: '1' }]]) }, { Statement: rnd(stmts) }] }; break;
      case 'ExecuteTransaction': body = { TransactStatements: [{ Statement: rnd(stmts), Parameters: rnd([undefined, [{ S: 'a' }, { N: '1' }]]) }, { Statement: rnd(stmts) }] }; break;
      case 'UpdateTable': body = { TableName: 'fuzz', BillingMode: rnd([undefined, 'PROVISIONED']), ProvisionedThroughput: rnd([undefined, { ReadCapacityUnits: 1, WriteCapacityUnits: 1 }]), StreamSpecification: rnd([undefined, { StreamEnabled: false }, { StreamEnabled: true }]), GlobalSecondaryIndexUpdates: rnd([undefined, [{ Delete: { IndexName: 'zz' } }], [{ Create: { IndexName: 'x2', KeySchema: [{ AttributeName: 'q', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } } }]]) }; break;
      case 'CreateTable': body = { TableName: `t${i}`, AttributeDefinitions: [{ AttributeName: rnd(['pk', 'x']), AttributeType: rnd(['S', 'N', 'B', 'Q']) }], KeySchema: [{ AttributeName: 'pk', KeyType: rnd(['HASH', 'RANGE']) }], BillingMode: 'PAY_PER_REQUEST', LocalSecondaryIndexes: rnd([undefined, [{ IndexName: 'l', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], Projection: {} }]]) }; break;
      case 'DescribeTable': body = { TableName: rnd(['fuzz', 'nope']) }; break;
      case 'UpdateTimeToLive': body = { TableName: 'fuzz', TimeToLiveSpecification: { Enabled: rnd([true, false]), AttributeName: rnd(['', 'ttl', 'pk']) } }; break;
      case 'TagResource': body = { ResourceArn: rnd(['', 'arn:aws:dynamodb:us-east-1:000000000000:table/fuzz', 'x']), Tags: [{ Key: rnd(['', 'k']), Value: 'v' }] }; break;
      case 'ListTables': body = { ExclusiveStartTableName: rnd([undefined, '', 'zz']), Limit: rnd([undefined, 0, 1, 101]) }; break;
    }

    yield [op, body];
  }
}

describe('DynamoDB robustness', () => {
  it('answers every generated bad request in AWS shape, never with a server error', async () => {
    const P = 'DynamoDB_20120810';
    const created = await send(`${P}.CreateTable`, {
      TableName: 'fuzz', BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }, { AttributeName: 'g', AttributeType: 'B' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      GlobalSecondaryIndexes: [{ IndexName: 'gsi1', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
    assert.equal(created.status, 200, created.text);
    let answered = 0;
    for (const [op, body] of requests(1500, generator(20261127))) {
      const { status, text } = await send(`${P}.${op}`, body);
      assert.ok(status < 500, `${op} ${JSON.stringify(body).slice(0, 300)} answered ${status}: ${text.slice(0, 300)}`);
      if (status !== 200) assert.match(JSON.parse(text).__type as string, /#[A-Za-z]+Exception$/, text);
      answered++;
    }
    const S = 'DynamoDBStreams_20120810';
    for (const [op, body] of [
      ['ListStreams', { TableName: 'fuzz', Limit: 0 }], ['DescribeStream', { StreamArn: 'x' }],
      ['GetShardIterator', { StreamArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/fuzz/stream/x', ShardId: 'x', ShardIteratorType: 'AT_SEQUENCE_NUMBER' }],
      ['GetRecords', { ShardIterator: 'garbage' }], ['GetRecords', { ShardIterator: '' }], ['GetRecords', { ShardIterator: 'a'.repeat(2000) }],
    ] as const) {
      const { status, text } = await send(`${S}.${op}`, body);
      assert.ok(status < 500, `${op} answered ${status}: ${text}`);
    }
    assert.equal(answered, 1500);
    assert.ok((await dynamo(env.endpoint).send(new ListTablesCommand({}))).TableNames!.includes('fuzz'));
  });
});
