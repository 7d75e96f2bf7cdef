// Shared setup for the DynamoDB tests: a client for the file's Fogbank and table helpers.

import { CreateTableCommand, DynamoDBClient, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import assert from 'node:assert/strict';
import { clientConfig } from '../support/fogbank.js';

export function dynamo(endpoint: string): DynamoDBClient {
  return new DynamoDBClient(clientConfig(endpoint));
}

let counter = 0;
export function tableName(base: string): string {
  return `${base}-${++counter}`;
}

/** A PAY_PER_REQUEST table with a string partition key `pk` and, when asked, a sort key `sk` of the given type. */
export async function createTable(client: DynamoDBClient, name: string, sortType?: 'S' | 'N' | 'B', extra: Partial<CreateTableCommandInput> = {}): Promise<void> {
  const AttributeDefinitions = [{ AttributeName: 'pk', AttributeType: 'S' as const }, ...(extra.AttributeDefinitions ?? [])];
  const KeySchema = [{ AttributeName: 'pk', KeyType: 'HASH' as const }];
  if (sortType) {
    AttributeDefinitions.push({ AttributeName: 'sk', AttributeType: sortType as 'S' });
    KeySchema.push({ AttributeName: 'sk', KeyType: 'RANGE' as 'HASH' });
  }
  await client.send(new CreateTableCommand({ BillingMode: 'PAY_PER_REQUEST', ...extra, TableName: name, AttributeDefinitions, KeySchema }));
}

/** Asserts that a call fails with the AWS error name (and exact message when given). */
export async function rejects(call: Promise<unknown>, name: string, message?: string | RegExp): Promise<Error & Record<string, unknown>> {
  try {
    await call;
  } catch (error) {
    const e = error as Error & Record<string, unknown>;
    assert.equal(e.name, name, `expected ${name}, got ${e.name}: ${e.message}`);
    if (typeof message === 'string') assert.equal(e.message, message);
    else if (message) assert.match(e.message, message);
    return e;
  }
  assert.fail(`expected ${name}, but the call succeeded`);
}
