import assert from 'node:assert/strict';
import { describe, it, before } from 'node:test';
import { BatchWriteItemCommand, PutItemCommand, QueryCommand, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { useFogbank } from '../support/fogbank.js';
import { createTable, dynamo, rejects } from './support.js';

const env = useFogbank();

async function putAll(table: string, items: Record<string, AttributeValue>[]): Promise<void> {
  const db = dynamo(env.endpoint);
  for (let i = 0; i < items.length; i += 25) {
    await db.send(new BatchWriteItemCommand({ RequestItems: { [table]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
  }
}

describe('DynamoDB Query and Scan', () => {
  before(async () => {
    const db = dynamo(env.endpoint);
    await createTable(db, 'q-num', 'N');
    await createTable(db, 'q-str', 'S');
    await createTable(db, 'q-bin', 'B');
    await createTable(db, 'q-idx', 'S', {
      AttributeDefinitions: [{ AttributeName: 'status', AttributeType: 'S' }, { AttributeName: 'score', AttributeType: 'N' }],
      GlobalSecondaryIndexes: [{ IndexName: 'by-status', KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }, { AttributeName: 'score', KeyType: 'RANGE' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
      LocalSecondaryIndexes: [{ IndexName: 'by-score', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'score', KeyType: 'RANGE' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
    });
    const numbers = ['-100', '-1.5', '-1', '0', '0.001', '1', '2', '10', '1E+20', '-1E-20'];
    await putAll('q-num', numbers.map((n) => ({ pk: { S: 'p' }, sk: { N: n } })));
    await putAll('q-str', ['b', 'a', 'ab', 'B', '\u00e9', '\u{1F600}', '\uffff', 'a\u0000'].map((s) => ({ pk: { S: 'p' }, sk: { S: s } })));
    await putAll('q-bin', [[1], [0, 255], [0], [255], [0, 1]].map((bytes) => ({ pk: { S: 'p' }, sk: { B: Buffer.from(bytes) } })));
    await putAll('q-idx', Array.from({ length: 30 }, (_, i) => ({ pk: { S: `p${i % 3}` }, sk: { S: String(i).padStart(2, '0') }, score: { N: String(i) }, ...(i % 2 ? { status: { S: 'odd' } } : {}), data: { S: 'd' } })));
  });

  it('sorts numbers numerically, strings by UTF-8 bytes, binaries by bytes', async () => {
    const db = dynamo(env.endpoint);
    const q = (TableName: string, ScanIndexForward = true) => db.send(new QueryCommand({ TableName, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } }, ScanIndexForward }));
    assert.deepEqual((await q('q-num')).Items!.map((i) => i.sk!.N), ['-100', '-1.5', '-1', '-0.00000000000000000001', '0', '0.001', '1', '2', '10', '100000000000000000000']);
    assert.deepEqual((await q('q-num', false)).Items!.map((i) => i.sk!.N)[0], '100000000000000000000');
    assert.deepEqual((await q('q-str')).Items!.map((i) => i.sk!.S), ['B', 'a', 'a\u0000', 'ab', 'b', '\u00e9', '\uffff', '\u{1F600}']);
    assert.deepEqual((await q('q-bin')).Items!.map((i) => [...Buffer.from(i.sk!.B!)]), [[0], [0, 1], [0, 255], [1], [255]]);
  });

  it('key conditions on the sort key read only their range', async () => {
    const db = dynamo(env.endpoint);
    const q = (expr: string, values: Record<string, AttributeValue>) => db.send(new QueryCommand({ TableName: 'q-num', KeyConditionExpression: `pk = :p AND ${expr}`, ExpressionAttributeValues: { ':p': { S: 'p' }, ...values } }));
    const sks = async (expr: string, values: Record<string, AttributeValue>) => (await q(expr, values)).Items!.map((i) => i.sk!.N);
    assert.deepEqual(await sks('sk < :v', { ':v': { N: '0' } }), ['-100', '-1.5', '-1', '-0.00000000000000000001']);
    assert.deepEqual(await sks('sk <= :v', { ':v': { N: '-1' } }), ['-100', '-1.5', '-1']);
    assert.deepEqual(await sks(':v < sk', { ':v': { N: '2' } }), ['10', '100000000000000000000']);
    assert.deepEqual(await sks('sk >= :v', { ':v': { N: '10' } }), ['10', '100000000000000000000']);
    assert.deepEqual(await sks('sk BETWEEN :a AND :b', { ':a': { N: '-1' }, ':b': { N: '1' } }), ['-1', '-0.00000000000000000001', '0', '0.001', '1']);
    assert.deepEqual(await sks('sk = :v', { ':v': { N: '1.0' } }), ['1']);
    const str = await db.send(new QueryCommand({ TableName: 'q-str', KeyConditionExpression: 'pk = :p AND begins_with(sk, :a)', ExpressionAttributeValues: { ':p': { S: 'p' }, ':a': { S: 'a' } } }));
    assert.deepEqual(str.Items!.map((i) => i.sk!.S), ['a', 'a\u0000', 'ab']);
  });

  it('pages with Limit and ExclusiveStartKey, counts with Select COUNT, filters after Limit', async () => {
    const db = dynamo(env.endpoint);
    const seen: string[] = [];
    let start: Record<string, AttributeValue> | undefined;
    let pages = 0;
    do {
      const page = await db.send(new QueryCommand({ TableName: 'q-num', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } }, Limit: 4, ExclusiveStartKey: start }));
      seen.push(...page.Items!.map((i) => i.sk!.N!));
      start = page.LastEvaluatedKey;
      pages++;
    } while (start);
    assert.equal(seen.length, 10);
    assert.equal(pages, 3);
    const counted = await db.send(new QueryCommand({ TableName: 'q-idx', KeyConditionExpression: 'pk = :p', FilterExpression: 'score > :z', ExpressionAttributeValues: { ':p': { S: 'p0' }, ':z': { N: '14' } }, Select: 'COUNT' }));
    assert.equal(counted.Items, undefined);
    assert.equal(counted.Count, 5);
    assert.equal(counted.ScannedCount, 10);
    const limited = await db.send(new QueryCommand({ TableName: 'q-idx', KeyConditionExpression: 'pk = :p', FilterExpression: 'score > :z', ExpressionAttributeValues: { ':p': { S: 'p0' }, ':z': { N: '14' } }, Limit: 6 }));
    assert.equal(limited.ScannedCount, 6);
    assert.deepEqual(limited.Items!.map((i) => i.score!.N), ['15']);
    assert.deepEqual(limited.LastEvaluatedKey, { pk: { S: 'p0' }, sk: { S: '15' } });
  });

  it('queries global and local secondary indexes; sparse GSI; projections', async () => {
    const db = dynamo(env.endpoint);
    const odd = await db.send(new QueryCommand({ TableName: 'q-idx', IndexName: 'by-status', KeyConditionExpression: '#s = :s AND score > :min', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': { S: 'odd' }, ':min': { N: '20' } } }));
    assert.deepEqual(odd.Items!.map((i) => i.score!.N), ['21', '23', '25', '27', '29']);
    assert.deepEqual(Object.keys(odd.Items![0]!).sort(), ['pk', 'score', 'sk', 'status'], 'KEYS_ONLY projection');
    const all = await db.send(new ScanCommand({ TableName: 'q-idx', IndexName: 'by-status' }));
    assert.equal(all.Count, 15, 'only items with status are in the sparse index');
    const local = await db.send(new QueryCommand({ TableName: 'q-idx', IndexName: 'by-score', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p1' } }, ScanIndexForward: false, Limit: 2, Select: 'ALL_ATTRIBUTES' }));
    assert.deepEqual(local.Items!.map((i) => i.score!.N), ['28', '25']);
    assert.equal(local.Items![0]!.data!.S, 'd', 'a local index fetches unprojected attributes from the table');
    assert.deepEqual(Object.keys(local.LastEvaluatedKey!).sort(), ['pk', 'score', 'sk']);
    await rejects(db.send(new QueryCommand({ TableName: 'q-idx', IndexName: 'by-status', ConsistentRead: true, KeyConditionExpression: '#s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': { S: 'odd' } } })),
      'ValidationException', 'Consistent reads are not supported on global secondary indexes');
    await rejects(db.send(new QueryCommand({ TableName: 'q-idx', IndexName: 'by-status', Select: 'ALL_ATTRIBUTES', KeyConditionExpression: '#s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': { S: 'odd' } } })),
      'ValidationException', 'One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index by-status because its projection type is not ALL');
  });

  it('Query errors: missing key, bad operators, filters on keys', async () => {
    const db = dynamo(env.endpoint);
    const q = (KeyConditionExpression: string, values: Record<string, AttributeValue>, extra = {}) => db.send(new QueryCommand({ TableName: 'q-num', KeyConditionExpression, ExpressionAttributeValues: values, ...extra }));
    await rejects(q('sk = :v', { ':v': { N: '1' } }), 'ValidationException', 'Query condition missed key schema element: pk');
    await rejects(q('pk = :p OR sk = :v', { ':p': { S: 'p' }, ':v': { N: '1' } }), 'ValidationException', 'Invalid operator used in KeyConditionExpression: OR');
    await rejects(q('pk = :p AND sk = :v', { ':p': { S: 'p' }, ':v': { S: '1' } }), 'ValidationException', 'One or more parameter values were invalid: Condition parameter type does not match schema type');
    await rejects(q('pk = :p', { ':p': { S: 'p' }, ':v': { N: '1' } }, { FilterExpression: 'sk > :v' }), 'ValidationException', 'Filter Expression can only contain non-primary key attributes: Primary key attribute: sk');
    await rejects(q('', { ':p': { S: 'p' } }), 'ValidationException', 'Invalid KeyConditionExpression: The expression can not be empty;');
    await rejects(db.send(new QueryCommand({ TableName: 'q-num' })), 'ValidationException', 'Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.');
    await rejects(q('pk = :p', { ':p': { S: 'p' } }, { IndexName: 'nope' }), 'ValidationException', 'The table does not have the specified index: nope');
  });

  it('Scan: filters, parallel segments that cover the table once, and segment errors', async () => {
    const db = dynamo(env.endpoint);
    const filtered = await db.send(new ScanCommand({ TableName: 'q-idx', FilterExpression: 'score >= :n', ExpressionAttributeValues: { ':n': { N: '25' } } }));
    assert.equal(filtered.Count, 5);
    assert.equal(filtered.ScannedCount, 30);
    const keys = new Set<string>();
    for (let Segment = 0; Segment < 4; Segment++) {
      const page = await db.send(new ScanCommand({ TableName: 'q-idx', Segment, TotalSegments: 4 }));
      for (const item of page.Items!) keys.add(`${item.pk!.S}/${item.sk!.S}`);
    }
    assert.equal(keys.size, 30);
    await rejects(db.send(new ScanCommand({ TableName: 'q-idx', Segment: 0 })), 'ValidationException', 'The TotalSegments parameter is required but was not present in the request when Segment parameter is present');
    await rejects(db.send(new ScanCommand({ TableName: 'q-idx', TotalSegments: 2 })), 'ValidationException', 'The Segment parameter is required but was not present in the request when parameter TotalSegments is present');
    await rejects(db.send(new ScanCommand({ TableName: 'q-idx', Segment: 5, TotalSegments: 5 })), 'ValidationException', 'The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 5 is not less than TotalSegments: 5');
  });

  it('a page stops at 1 MB with a LastEvaluatedKey', async () => {
    const db = dynamo(env.endpoint);
    await createTable(db, 'q-big', 'N');
    await putAll('q-big', Array.from({ length: 30 }, (_, i) => ({ pk: { S: 'p' }, sk: { N: String(i) }, blob: { S: 'x'.repeat(100_000) } })));
    const page = await db.send(new QueryCommand({ TableName: 'q-big', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } } }));
    assert.equal(page.Count, 11);
    assert.deepEqual(page.LastEvaluatedKey, { pk: { S: 'p' }, sk: { N: '10' } });
    // Items of two-byte characters: 200 KB each by DynamoDB's count, so the sixth ends the page.
    // Answers that send stored items unparsed and answers that parse them (asked for capacity) agree.
    await createTable(db, 'q-wide', 'N');
    await putAll('q-wide', Array.from({ length: 12 }, (_, i) => ({ pk: { S: 'w' }, sk: { N: String(i) }, blob: { S: '\u00e9'.repeat(100_000) } })));
    for (const ScanIndexForward of [true, false]) {
      const input = { TableName: 'q-wide', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'w' } }, ScanIndexForward };
      const sent = await db.send(new QueryCommand(input));
      const parsed = await db.send(new QueryCommand({ ...input, ReturnConsumedCapacity: 'TOTAL' }));
      assert.equal(sent.Count, 6);
      assert.deepEqual(sent.LastEvaluatedKey, { pk: { S: 'w' }, sk: { N: ScanIndexForward ? '5' : '6' } });
      assert.deepEqual([sent.Count, sent.ScannedCount, sent.LastEvaluatedKey, sent.Items], [parsed.Count, parsed.ScannedCount, parsed.LastEvaluatedKey, parsed.Items]);
    }
    const scanned = await db.send(new ScanCommand({ TableName: 'q-wide', Limit: 4, Select: 'COUNT' }));
    assert.deepEqual([scanned.Count, scanned.ScannedCount, scanned.Items, scanned.LastEvaluatedKey], [4, 4, undefined, { pk: { S: 'w' }, sk: { N: '3' } }]);
  });

  it('legacy KeyConditions, QueryFilter and ScanFilter', async () => {
    const db = dynamo(env.endpoint);
    const page = await db.send(new QueryCommand({ TableName: 'q-idx', KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'p0' }] }, sk: { ComparisonOperator: 'BEGINS_WITH', AttributeValueList: [{ S: '0' }] } },
      QueryFilter: { score: { ComparisonOperator: 'GT', AttributeValueList: [{ N: '3' }] } } }));
    assert.deepEqual(page.Items!.map((i) => i.sk!.S), ['06', '09']);
    const scan = await db.send(new ScanCommand({ TableName: 'q-idx', ScanFilter: { status: { ComparisonOperator: 'NULL' } } }));
    assert.equal(scan.Count, 15);
    await rejects(db.send(new ScanCommand({ TableName: 'q-idx', ScanFilter: { score: { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ N: '1' }] } } })), 'ValidationException',
      'One or more parameter values were invalid: Invalid number of argument(s) for the BETWEEN ComparisonOperator');
  });
});
