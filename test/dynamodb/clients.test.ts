import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BatchWriteCommand, DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { awsCli, awsCliFails, boto3, hasAwsCli, hasBoto3, useFogbank } from '../support/fogbank.js';
import { createTable, dynamo } from './support.js';

const env = useFogbank();

// Section 3 of the seed, unchanged, after creating its 'Users' table with the 'email-index' index.
const SEED = `
import boto3
from boto3.dynamodb.conditions import Key, Attr
from decimal import Decimal

dynamodb = boto3.resource('dynamodb')
table = dynamodb.Table('Users')

# Put item
def create_user(user_id, email, name):
    table.put_item(
        Item={
            'userId': user_id,
            'email': email,
            'name': name,
            'createdAt': datetime.utcnow().isoformat()
        },
        ConditionExpression='attribute_not_exists(userId)'  # Prevent overwrites
    )

# Get item
def get_user(user_id):
    response = table.get_item(
        Key={'userId': user_id}
    )
    return response.get('Item')

# Query with index
def get_user_by_email(email):
    response = table.query(
        IndexName='email-index',
        KeyConditionExpression=Key('email').eq(email)
    )
    return response['Items']

# Update item
def update_user(user_id, name):
    response = table.update_item(
        Key={'userId': user_id},
        UpdateExpression='SET #name = :name, updatedAt = :timestamp',
        ExpressionAttributeNames={'#name': 'name'},
        ExpressionAttributeValues={
            ':name': name,
            ':timestamp': datetime.utcnow().isoformat()
        },
        ReturnValues='ALL_NEW'
    )
    return response['Attributes']

# Delete item
def delete_user(user_id):
    table.delete_item(
        Key={'userId': user_id}
    )

# Batch operations
def batch_write_users(users):
    with table.batch_writer() as batch:
        for user in users:
            batch.put_item(Item=user)

# Scan with filter
def get_active_users():
    response = table.scan(
        FilterExpression=Attr('status').eq('active')
    )
    return response['Items']
`;

describe('DynamoDB from real clients', () => {
  it('runs the seed section 3 through boto3 unchanged', { skip: !hasBoto3 && 'needs python3 with boto3' }, async () => {
    await createTable(dynamo(env.endpoint), 'Users-placeholder');
    const out = (await boto3(env.endpoint, `
import json
from datetime import datetime
import boto3
client = boto3.client('dynamodb')
client.create_table(TableName='Users', BillingMode='PAY_PER_REQUEST',
    AttributeDefinitions=[{'AttributeName': 'userId', 'AttributeType': 'S'}, {'AttributeName': 'email', 'AttributeType': 'S'}],
    KeySchema=[{'AttributeName': 'userId', 'KeyType': 'HASH'}],
    GlobalSecondaryIndexes=[{'IndexName': 'email-index', 'KeySchema': [{'AttributeName': 'email', 'KeyType': 'HASH'}], 'Projection': {'ProjectionType': 'ALL'}}])
client.get_waiter('table_exists').wait(TableName='Users')
${SEED}
results = {}
create_user('u1', 'ann@example.com', 'Ann')
try:
    create_user('u1', 'ann@example.com', 'Ann again')
    results['overwrite'] = 'allowed'
except client.exceptions.ConditionalCheckFailedException:
    results['overwrite'] = 'refused'
results['get'] = get_user('u1')['name']
results['byEmail'] = [u['userId'] for u in get_user_by_email('ann@example.com')]
results['updated'] = update_user('u1', 'Annie')['name']
batch_write_users([{'userId': 'u%d' % i, 'email': 'u%d@example.com' % i, 'status': 'active' if i % 2 else 'idle', 'n': Decimal(i)} for i in range(2, 30)])
results['active'] = len(get_active_users())
delete_user('u1')
results['deleted'] = get_user('u1') is None
print(json.dumps(results))
`)) as Record<string, unknown>;
    assert.deepEqual(out, { overwrite: 'refused', get: 'Ann', byEmail: ['u1'], updated: 'Annie', active: 14, deleted: true });
  });

  it('works with the document client (lib-dynamodb)', async () => {
    const db = dynamo(env.endpoint);
    await createTable(db, 'docs', 'N');
    const doc = DynamoDBDocumentClient.from(db);
    await doc.send(new PutCommand({ TableName: 'docs', Item: { pk: 'a', sk: 1, tags: new Set(['x']), nested: { list: [1, 'two', null, true] } } }));
    await doc.send(new UpdateCommand({ TableName: 'docs', Key: { pk: 'a', sk: 1 }, UpdateExpression: 'SET nested.#l = list_append(nested.#l, :more)', ExpressionAttributeNames: { '#l': 'list' }, ExpressionAttributeValues: { ':more': [5] } }));
    const { Item } = await doc.send(new GetCommand({ TableName: 'docs', Key: { pk: 'a', sk: 1 } }));
    assert.deepEqual(Item, { pk: 'a', sk: 1, tags: new Set(['x']), nested: { list: [1, 'two', null, true, 5] } });
    const { Items } = await doc.send(new QueryCommand({ TableName: 'docs', KeyConditionExpression: 'pk = :p AND sk > :s', ExpressionAttributeValues: { ':p': 'a', ':s': 0 } }));
    assert.equal(Items!.length, 1);
  });

  it('runs the seed section 3 operations through the document client', async () => {
    const db = dynamo(env.endpoint);
    await createTable(db, 'UsersDoc', undefined, {
      AttributeDefinitions: [{ AttributeName: 'email', AttributeType: 'S' }],
      GlobalSecondaryIndexes: [{ IndexName: 'email-index', KeySchema: [{ AttributeName: 'email', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
    });
    const doc = DynamoDBDocumentClient.from(db);
    const TableName = 'UsersDoc';
    // The table's key attribute is pk here; the seed's userId becomes an ordinary attribute beside it.
    const createUser = (id: string, email: string, name: string) =>
      doc.send(new PutCommand({ TableName, Item: { pk: id, email, name, createdAt: new Date(0).toISOString() }, ConditionExpression: 'attribute_not_exists(pk)' }));
    await createUser('u1', 'ann@example.com', 'Ann');
    await assert.rejects(createUser('u1', 'ann@example.com', 'Ann again'), (e: Error) => e.name === 'ConditionalCheckFailedException');
    assert.equal((await doc.send(new GetCommand({ TableName, Key: { pk: 'u1' } }))).Item?.name, 'Ann');
    const byEmail = await doc.send(new QueryCommand({ TableName, IndexName: 'email-index', KeyConditionExpression: 'email = :e', ExpressionAttributeValues: { ':e': 'ann@example.com' } }));
    assert.deepEqual(byEmail.Items!.map((u) => u.pk), ['u1']);
    const updated = await doc.send(new UpdateCommand({
      TableName, Key: { pk: 'u1' }, UpdateExpression: 'SET #name = :name, updatedAt = :timestamp', ExpressionAttributeNames: { '#name': 'name' },
      ExpressionAttributeValues: { ':name': 'Annie', ':timestamp': new Date(1).toISOString() }, ReturnValues: 'ALL_NEW',
    }));
    assert.deepEqual(updated.Attributes, { pk: 'u1', email: 'ann@example.com', name: 'Annie', createdAt: new Date(0).toISOString(), updatedAt: new Date(1).toISOString() });
    const users = Array.from({ length: 28 }, (_, i) => ({ pk: `u${i + 2}`, email: `u${i + 2}@example.com`, status: i % 2 ? 'idle' : 'active', n: i + 2 }));
    for (let i = 0; i < users.length; i += 25) {
      await doc.send(new BatchWriteCommand({ RequestItems: { [TableName]: users.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
    }
    const active = await doc.send(new ScanCommand({ TableName, FilterExpression: '#s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': 'active' } }));
    assert.equal(active.Items!.length, 14);
    await doc.send(new DeleteCommand({ TableName, Key: { pk: 'u1' } }));
    assert.equal((await doc.send(new GetCommand({ TableName, Key: { pk: 'u1' } }))).Item, undefined);
  });

  it('works from the AWS CLI, errors included', { skip: !hasAwsCli && 'needs the AWS CLI' }, async () => {
    await awsCli(env.endpoint, ['dynamodb', 'create-table', '--table-name', 'cli', '--attribute-definitions', 'AttributeName=pk,AttributeType=S', '--key-schema', 'AttributeName=pk,KeyType=HASH', '--billing-mode', 'PAY_PER_REQUEST']);
    await awsCli(env.endpoint, ['dynamodb', 'put-item', '--table-name', 'cli', '--item', '{"pk":{"S":"k"},"n":{"N":"1.50"}}']);
    const { json } = await awsCli(env.endpoint, ['dynamodb', 'get-item', '--table-name', 'cli', '--key', '{"pk":{"S":"k"}}']);
    assert.deepEqual(json, { Item: { pk: { S: 'k' }, n: { N: '1.5' } } });
    const failure = await awsCliFails(env.endpoint, ['dynamodb', 'put-item', '--table-name', 'cli', '--item', '{"pk":{"S":"k"}}', '--condition-expression', 'attribute_not_exists(pk)']);
    assert.match(failure.stderr, /ConditionalCheckFailedException/);
  });
});
