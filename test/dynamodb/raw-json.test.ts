// DynamoDB's requests and answers skip the codec's model walk (rawJson): the wire JSON itself must
// still be checked as the codec checks it, and answers must be in wire form.

import assert from 'node:assert/strict';
import { describe, it, before } from 'node:test';
import { GetItemCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { useFogbank } from '../support/fogbank.js';
import { createTable, dynamo } from './support.js';

const env = useFogbank();
const T = 'raw-json';

async function send(operation: string, body: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(env.endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `DynamoDB_20120810.${operation}`,
      authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
    },
    body,
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe('DynamoDB raw JSON wire form', () => {
  before(async () => {
    await createTable(dynamo(env.endpoint), T, 'B');
  });

  it('answers SerializationException for JSON of the wrong type, and keeps serving', async () => {
    // Coral's JSON reader names the token it could not convert (messages as dynalite recorded them from AWS).
    const cases: Array<[string, string, string]> = [
      ['PutItem', JSON.stringify({ TableName: 5, Item: {} }), 'NUMBER_VALUE cannot be converted to String'],
      ['PutItem', JSON.stringify({ TableName: 1.5, Item: {} }), 'DECIMAL_VALUE cannot be converted to String'],
      ['PutItem', JSON.stringify({ TableName: true, Item: {} }), 'TRUE_VALUE cannot be converted to String'],
      ['PutItem', JSON.stringify({ TableName: [], Item: {} }), 'Unrecognized collection type class java.lang.String'],
      ['PutItem', JSON.stringify({ TableName: {}, Item: {} }), 'Start of structure or map found where not expected'],
      ['PutItem', JSON.stringify({ TableName: T, Item: { pk: { S: 5 } } }), 'NUMBER_VALUE cannot be converted to String'],
      ['PutItem', JSON.stringify({ TableName: T, Item: 'x' }), 'Unexpected field type'],
      ['PutItem', JSON.stringify({ TableName: T, Item: { pk: 'x' } }), 'Unexpected value type in payload'],
      ['PutItem', JSON.stringify({ TableName: T, Item: { pk: { S: 'a' }, sk: { B: 5 } } }), 'only base-64-encoded strings are convertible to bytes'],
      ['PutItem', JSON.stringify({ TableName: T, Item: { pk: { S: 'a' }, sk: { B: '!!' } } }), 'Invalid last non-pad Base64 character dectected'],
      ['PutItem', JSON.stringify({ TableName: T, Item: { pk: { S: 'a' }, sk: { BOOL: 5 } } }), 'NUMBER_VALUE cannot be converted to Boolean'],
      ['Query', JSON.stringify({ TableName: T, Limit: '3' }), 'STRING_VALUE cannot be converted to Integer'],
      ['CreateTable', JSON.stringify({ TableName: T, ProvisionedThroughput: { ReadCapacityUnits: 'x' } }), 'STRING_VALUE cannot be converted to Long'],
      ['BatchWriteItem', JSON.stringify({ RequestItems: { [T]: [{ PutRequest: { Item: { l: { L: {} } } } }] } }), 'Start of structure or map found where not expected'],
      ['BatchWriteItem', JSON.stringify({ RequestItems: { [T]: 'x' } }), 'Unexpected field type'],
      ['GetItem', '[1]', 'Unrecognized collection type class com.amazonaws.dynamodb.v20120810.GetItemInput'],
    ];
    for (const [operation, body, message] of cases) {
      const { status, json } = await send(operation, body);
      assert.equal(status, 400);
      assert.deepEqual([json.__type, json.message], ['com.amazon.coral.service#SerializationException', message], body);
    }
    const { TableNames } = await dynamo(env.endpoint).send(new ListTablesCommand({}));
    assert.ok(TableNames!.includes(T));
  });

  it('ignores nulls and undeclared members, and stores binaries canonically', async () => {
    const put = await send('PutItem', JSON.stringify({ TableName: T, Item: { pk: { S: 'p' }, sk: { B: 'YQ' }, gone: null, s: { S: 'v', N: null } }, ReturnValues: null, Bogus: 1 }));
    assert.equal(put.status, 200);
    assert.deepEqual(put.json, {});
    const got = await send('GetItem', JSON.stringify({ TableName: T, Key: { pk: { S: 'p' }, sk: { B: 'YQ==' } } }));
    assert.deepEqual(got.json, { Item: { pk: { S: 'p' }, sk: { B: 'YQ==' }, s: { S: 'v' } } });
    const { Item } = await dynamo(env.endpoint).send(new GetItemCommand({ TableName: T, Key: { pk: { S: 'p' }, sk: { B: Buffer.from('a') } } }));
    assert.deepEqual(Buffer.from(Item!.sk!.B!), Buffer.from('a'));
  });

  it('writes table timestamps as epoch seconds', async () => {
    const { json } = await send('DescribeTable', JSON.stringify({ TableName: T }));
    const table = json.Table as Record<string, unknown>;
    assert.equal(typeof table.CreationDateTime, 'number');
    assert.ok(Math.abs((table.CreationDateTime as number) - Date.now() / 1000) < 3600);
    const billing = table.BillingModeSummary as Record<string, unknown>;
    assert.equal(billing.LastUpdateToPayPerRequestDateTime, table.CreationDateTime);
  });
});
