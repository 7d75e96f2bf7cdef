import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CreateEventSourceMappingCommand, GetEventSourceMappingCommand, UpdateFunctionCodeCommand } from '@aws-sdk/client-lambda';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DeleteItemCommand, DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { clientConfig, hasBoto3 } from '../support/fogbank.js';
import { createFunction, lambdaClient, streamTable, uniqueName, useLambdaFogbank, zip } from './support.js';

const env = useLambdaFogbank();
const ddb = () => new DynamoDBClient(clientConfig(env.endpoint));
const sqs = () => new SQSClient(clientConfig(env.endpoint));

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 25_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function writeInsertModifyRemove(name: string, id: string): Promise<void> {
  await ddb().send(new PutItemCommand({ TableName: name, Item: { id: { S: id }, n: { N: '1' } } }));
  await ddb().send(new UpdateItemCommand({ TableName: name, Key: { id: { S: id } }, UpdateExpression: 'SET n = :two', ExpressionAttributeValues: { ':two': { N: '2' } } }));
  await ddb().send(new DeleteItemCommand({ TableName: name, Key: { id: { S: id } } }));
}

// The seed's DynamoDB Streams handler, unchanged.
const SEED_STREAM_HANDLER = `def lambda_handler(event, context):
    """Process DynamoDB stream events"""

    for record in event['Records']:
        event_name = record['eventName']  # INSERT, MODIFY, REMOVE

        if event_name == 'INSERT':
            new_image = record['dynamodb']['NewImage']
            handle_insert(new_image)

        elif event_name == 'MODIFY':
            old_image = record['dynamodb']['OldImage']
            new_image = record['dynamodb']['NewImage']
            handle_update(old_image, new_image)

        elif event_name == 'REMOVE':
            old_image = record['dynamodb']['OldImage']
            handle_delete(old_image)

def handle_insert(item):
    """Handle new item creation"""
    # Send notification, update cache, etc.
    print(f"New item created: {item}")

def handle_update(old_item, new_item):
    """Handle item updates"""
    # Track changes, invalidate cache, etc.
    print(f"Item updated: {old_item} -> {new_item}")

def handle_delete(item):
    """Handle item deletion"""
    # Cleanup related resources
    print(f"Item deleted: {item}")
`;

const CAPTURE_HANDLER = `import boto3, json, os
sqs = boto3.client('sqs')
def lambda_handler(event, context):
    for record in event['Records']:
        sqs.send_message(QueueUrl=os.environ['CAPTURE_URL'], MessageBody=json.dumps(record))
`;

const python = (code: string, variables: Record<string, string> = {}) => ({
  Runtime: 'python3.12' as const,
  Handler: 'lambda_function.lambda_handler',
  files: { 'lambda_function.py': code },
  Environment: { Variables: variables },
});

async function captured(url: string, count: number): Promise<Array<Record<string, any>>> {
  const records: Array<Record<string, any>> = [];
  await until(`${count} records`, async () => {
    const out = await sqs().send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    for (const m of out.Messages ?? []) records.push(JSON.parse(m.Body!));
    return records.length >= count ? true : undefined;
  });
  return records;
}

describe('event source mappings: DynamoDB streams', { skip: !hasBoto3 && 'needs python3 with boto3' }, () => {
  it('runs the seed handler on INSERT, MODIFY and REMOVE', async () => {
    const t = await streamTable(env.endpoint);
    const fn = await createFunction(lambdaClient(env.endpoint), python(SEED_STREAM_HANDLER));
    await lambdaClient(env.endpoint).send(new CreateEventSourceMappingCommand({ FunctionName: fn.FunctionName, EventSourceArn: t.stream, StartingPosition: 'LATEST' }));
    await writeInsertModifyRemove(t.name, 'k1');
    const logs = new CloudWatchLogsClient(clientConfig(env.endpoint));
    const lines = await until('the function logs', async () => {
      const out = await logs.send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${fn.FunctionName}` })).catch(() => undefined);
      const found = (out?.events ?? []).map((e) => e.message!).filter((m) => /New item created|Item updated|Item deleted/.test(m));
      return found.length >= 3 ? found : undefined;
    });
    assert.match(lines[0]!, /New item created: \{'id': \{'S': 'k1'\}, 'n': \{'N': '1'\}\}|New item created: \{'n': \{'N': '1'\}, 'id': \{'S': 'k1'\}\}/);
    assert.match(lines[1]!, /Item updated: .*'N': '1'.* -> .*'N': '2'/);
    assert.match(lines[2]!, /Item deleted: .*'k1'/);
  });

  it('delivers records in order with the Lambda event shape, from TRIM_HORIZON', async () => {
    const t = await streamTable(env.endpoint);
    // Written before the mapping exists: TRIM_HORIZON still reads them.
    await writeInsertModifyRemove(t.name, 'k2');
    const { QueueUrl } = await sqs().send(new CreateQueueCommand({ QueueName: uniqueName('capture') }));
    const fn = await createFunction(lambdaClient(env.endpoint), python(CAPTURE_HANDLER, { CAPTURE_URL: QueueUrl! }));
    const mapping = await lambdaClient(env.endpoint).send(
      new CreateEventSourceMappingCommand({ FunctionName: fn.FunctionName, EventSourceArn: t.stream, StartingPosition: 'TRIM_HORIZON', BatchSize: 2 }),
    );
    const records = await captured(QueueUrl!, 3);
    assert.deepEqual(
      records.map((r) => r.eventName),
      ['INSERT', 'MODIFY', 'REMOVE'],
    );
    const [insert, modify, remove] = records;
    assert.equal(insert!.eventSource, 'aws:dynamodb');
    assert.equal(insert!.eventSourceARN, t.stream);
    assert.equal(insert!.awsRegion, 'us-east-1');
    assert.deepEqual(insert!.dynamodb.Keys, { id: { S: 'k2' } });
    assert.deepEqual(insert!.dynamodb.NewImage, { id: { S: 'k2' }, n: { N: '1' } });
    assert.equal(insert!.dynamodb.StreamViewType, 'NEW_AND_OLD_IMAGES');
    assert.equal(typeof insert!.dynamodb.ApproximateCreationDateTime, 'number');
    assert.deepEqual(modify!.dynamodb.OldImage, { id: { S: 'k2' }, n: { N: '1' } });
    assert.deepEqual(modify!.dynamodb.NewImage, { id: { S: 'k2' }, n: { N: '2' } });
    assert.deepEqual(remove!.dynamodb.OldImage, { id: { S: 'k2' }, n: { N: '2' } });
    assert.ok(insert!.dynamodb.SequenceNumber < modify!.dynamodb.SequenceNumber && modify!.dynamodb.SequenceNumber < remove!.dynamodb.SequenceNumber);
    await until('LastProcessingResult OK', async () => {
      const got = await lambdaClient(env.endpoint).send(new GetEventSourceMappingCommand({ UUID: mapping.UUID }));
      return got.LastProcessingResult === 'OK' ? true : undefined;
    });
  });

  it('retries a failed batch until the function succeeds', async () => {
    const t = await streamTable(env.endpoint);
    const fn = await createFunction(lambdaClient(env.endpoint), { files: { 'index.mjs': 'export const handler = async () => { throw new Error("not yet"); };' } });
    const mapping = await lambdaClient(env.endpoint).send(new CreateEventSourceMappingCommand({ FunctionName: fn.FunctionName, EventSourceArn: t.stream, StartingPosition: 'LATEST' }));
    await ddb().send(new PutItemCommand({ TableName: t.name, Item: { id: { S: 'retry-me' } } }));
    await until('a failed batch', async () => {
      const got = await lambdaClient(env.endpoint).send(new GetEventSourceMappingCommand({ UUID: mapping.UUID }));
      return got.LastProcessingResult === 'PROBLEM: Function call failed' ? true : undefined;
    });
    // Fix the function: the same record comes again.
    const { QueueUrl } = await sqs().send(new CreateQueueCommand({ QueueName: uniqueName('capture') }));
    const { UpdateFunctionConfigurationCommand } = await import('@aws-sdk/client-lambda');
    await lambdaClient(env.endpoint).send(
      new UpdateFunctionConfigurationCommand({ FunctionName: fn.FunctionName, Runtime: 'python3.12', Handler: 'lambda_function.lambda_handler', Environment: { Variables: { CAPTURE_URL: QueueUrl! } } }),
    );
    await lambdaClient(env.endpoint).send(new UpdateFunctionCodeCommand({ FunctionName: fn.FunctionName, ZipFile: zip({ 'lambda_function.py': CAPTURE_HANDLER }) }));
    const records = await captured(QueueUrl!, 1);
    assert.equal(records[0]!.eventName, 'INSERT');
    assert.deepEqual(records[0]!.dynamodb.Keys, { id: { S: 'retry-me' } });
  });
});
