import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GetItemCommand, PutItemCommand, UpdateTableCommand, TagResourceCommand, ListTagsOfResourceCommand } from '@aws-sdk/client-dynamodb';
import { useFogbank } from '../support/fogbank.js';
import { createTable, dynamo, rejects, tableName } from './support.js';

const env = useFogbank();

// The data plane keeps table records in memory; these prove every change of a table reaches it.
describe('DynamoDB table records held in memory', () => {
  it('sees UpdateTable and tag changes at once, and forgets tables when Fogbank is reset', async () => {
    const db = dynamo(env.endpoint);
    const name = tableName('cached');
    await createTable(db, name);
    await db.send(new PutItemCommand({ TableName: name, Item: { pk: { S: 'a' } } }));
    const updated = await db.send(new UpdateTableCommand({ TableName: name, StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } }));
    const arn = updated.TableDescription!.TableArn!;
    await db.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'k', Value: 'v' }] }));
    assert.deepEqual((await db.send(new ListTagsOfResourceCommand({ ResourceArn: arn }))).Tags, [{ Key: 'k', Value: 'v' }]);
    assert.ok((await db.send(new GetItemCommand({ TableName: name, Key: { pk: { S: 'a' } } }))).Item);

    env.fogbank.reset();
    await rejects(db.send(new GetItemCommand({ TableName: name, Key: { pk: { S: 'a' } } })), 'ResourceNotFoundException', 'Requested resource not found');
    await createTable(db, name);
    assert.equal((await db.send(new GetItemCommand({ TableName: name, Key: { pk: { S: 'a' } } }))).Item, undefined);
  });
});
