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
    const cases: Array<[string, string, string]> = [
      ['PutItem', JSON.stringify({ TableName: 5, Item: {} }), "Unexpected value type at 'TableName': expected string"],
      ['PutItem', JSON.stringify({ TableName: T, Item: { pk: { S: 5 } } }), "Unexpected value type at 'Item.pk.S': expected string"],
      ['PutItem', JSON.stringify({ TableName: T, Item: 'x' }), "Unexpected value type at 'Item': expected map"],
      ['PutItem', JSON.stringify({ TableName: T, Item: { pk: { S: 'a' }, sk: { B: '!!' } } }), "Invalid base64 value at 'Item.sk.B'"],
      ['Query', JSON.stringify({ TableName: T, Limit: '3' }), "Unexpected value type at 'Limit': expected integer"],
      ['BatchWriteItem', JSON.stringify({ RequestItems: { [T]: [{ PutRequest: { Item: { l: { L: {} } } } }] } }), `Unexpected value type at 'RequestItems.${T}.1.PutRequest.Item.l.L': expected list`],
      ['GetItem', '[1]', "Unexpected value type at '': expected structure"],
    ];
    for (const [operation, body, message] of cases) {
      const { status, json } = await send(operation, body);
      assert.equal(status, 400);
      assert.equal(json.__type, 'com.amazonaws.dynamodb.v20120810#SerializationException');
      assert.equal(json.message, message);
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
