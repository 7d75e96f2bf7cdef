import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateEventSourceMappingCommand,
  DeleteEventSourceMappingCommand,
  GetEventSourceMappingCommand,
  ListEventSourceMappingsCommand,
  ListFunctionsCommand,
  UpdateEventSourceMappingCommand,
} from '@aws-sdk/client-lambda';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { awsCli, awsCliFails, boto3, clientConfig, hasAwsCli, hasBoto3 } from '../support/fogbank.js';
import { createFunction, lambdaClient, uniqueName, useLambdaFogbank } from './support.js';

const env = useLambdaFogbank();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function queue(visibilityTimeout = 30): Promise<{ url: string; arn: string }> {
  const sqs = new SQSClient(clientConfig(env.endpoint));
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('q'), Attributes: { VisibilityTimeout: String(visibilityTimeout) } }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  return { url: QueueUrl!, arn: Attributes!.QueueArn! };
}

async function stream(): Promise<string> {
  const ddb = new DynamoDBClient(clientConfig(env.endpoint));
  const out = await ddb.send(
    new CreateTableCommand({
      TableName: uniqueName('t'),
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }),
  );
  return out.TableDescription!.LatestStreamArn!;
}

async function rejects(promise: Promise<unknown>, name: string, message?: string | RegExp): Promise<void> {
  await assert.rejects(promise, (error: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(error.name, name);
    if (typeof message === 'string') assert.equal(error.message, message);
    else if (message) assert.match(error.message, message);
    return true;
  });
}

describe('event source mappings: lifecycle', () => {
  it('creates, reads, lists, updates and deletes an SQS mapping with AWS states', async () => {
    const client = lambdaClient(env.endpoint);
    const fn = await createFunction(client, {});
    const q = await queue();
    const created = await client.send(new CreateEventSourceMappingCommand({ FunctionName: fn.FunctionName, EventSourceArn: q.arn, Enabled: false }));
    assert.match(created.UUID!, UUID);
    assert.equal(created.State, 'Creating');
    assert.equal(created.BatchSize, 10);
    assert.equal(created.MaximumBatchingWindowInSeconds, 0);
    assert.equal(created.FunctionArn, fn.FunctionArn);
    assert.equal(created.EventSourceArn, q.arn);
    assert.equal(created.StateTransitionReason, 'USER_INITIATED');
    assert.ok(created.LastModified instanceof Date);
    assert.equal(created.StartingPosition, undefined);

    const got = await client.send(new GetEventSourceMappingCommand({ UUID: created.UUID }));
    assert.equal(got.State, 'Disabled');

    const enabling = await client.send(new UpdateEventSourceMappingCommand({ UUID: created.UUID, Enabled: true, BatchSize: 5 }));
    assert.equal(enabling.State, 'Enabling');
    assert.equal(enabling.BatchSize, 5);
    assert.equal((await client.send(new GetEventSourceMappingCommand({ UUID: created.UUID }))).State, 'Enabled');
    const updating = await client.send(new UpdateEventSourceMappingCommand({ UUID: created.UUID, FunctionResponseTypes: ['ReportBatchItemFailures'] }));
    assert.equal(updating.State, 'Updating');
    assert.deepEqual(updating.FunctionResponseTypes, ['ReportBatchItemFailures']);
    const disabling = await client.send(new UpdateEventSourceMappingCommand({ UUID: created.UUID, Enabled: false }));
    assert.equal(disabling.State, 'Disabling');
    assert.equal((await client.send(new GetEventSourceMappingCommand({ UUID: created.UUID }))).State, 'Disabled');

    const deleted = await client.send(new DeleteEventSourceMappingCommand({ UUID: created.UUID }));
    assert.equal(deleted.State, 'Deleting');
    await rejects(client.send(new GetEventSourceMappingCommand({ UUID: created.UUID })), 'ResourceNotFoundException', 'The resource you requested does not exist.');
    await rejects(client.send(new DeleteEventSourceMappingCommand({ UUID: created.UUID })), 'ResourceNotFoundException');
  });

  it('creates a DynamoDB stream mapping with the stream defaults AWS reports', async () => {
    const client = lambdaClient(env.endpoint);
    const fn = await createFunction(client, {});
    const arn = await stream();
    const created = await client.send(new CreateEventSourceMappingCommand({ FunctionName: fn.FunctionName, EventSourceArn: arn, StartingPosition: 'LATEST', Enabled: false }));
    assert.equal(created.State, 'Creating');
    assert.equal(created.BatchSize, 100);
    assert.equal(created.StartingPosition, 'LATEST');
    assert.equal(created.MaximumRetryAttempts, -1);
    assert.equal(created.MaximumRecordAgeInSeconds, -1);
    assert.equal(created.BisectBatchOnFunctionError, false);
    assert.equal(created.ParallelizationFactor, 1);
    assert.equal(created.LastProcessingResult, 'No records processed');
    assert.equal(created.StateTransitionReason, 'User action');
    await client.send(new DeleteEventSourceMappingCommand({ UUID: created.UUID }));
  });

  it('lists by function and by source, in pages', async () => {
    const client = lambdaClient(env.endpoint);
    const fn = await createFunction(client, {});
    const other = await createFunction(client, {});
    const queues = [await queue(), await queue(), await queue()];
    for (const q of queues) await client.send(new CreateEventSourceMappingCommand({ FunctionName: fn.FunctionName, EventSourceArn: q.arn, Enabled: false }));
    await client.send(new CreateEventSourceMappingCommand({ FunctionName: other.FunctionArn, EventSourceArn: queues[0]!.arn, Enabled: false }));

    const byFunction = await client.send(new ListEventSourceMappingsCommand({ FunctionName: fn.FunctionName }));
    assert.equal(byFunction.EventSourceMappings!.length, 3);
    assert.ok(byFunction.EventSourceMappings!.every((m) => m.FunctionArn === fn.FunctionArn));
    const bySource = await client.send(new ListEventSourceMappingsCommand({ EventSourceArn: queues[0]!.arn }));
    assert.deepEqual(bySource.EventSourceMappings!.map((m) => m.FunctionArn).sort(), [fn.FunctionArn, other.FunctionArn].sort());
    const both = await client.send(new ListEventSourceMappingsCommand({ EventSourceArn: queues[1]!.arn, FunctionName: fn.FunctionArn }));
    assert.equal(both.EventSourceMappings!.length, 1);

    const first = await client.send(new ListEventSourceMappingsCommand({ FunctionName: fn.FunctionName, MaxItems: 2 }));
    assert.equal(first.EventSourceMappings!.length, 2);
    assert.ok(first.NextMarker);
    const second = await client.send(new ListEventSourceMappingsCommand({ FunctionName: fn.FunctionName, MaxItems: 2, Marker: first.NextMarker }));
    assert.equal(second.EventSourceMappings!.length, 1);
    assert.equal(second.NextMarker, undefined);
    const uuids = new Set([...first.EventSourceMappings!, ...second.EventSourceMappings!].map((m) => m.UUID));
    assert.equal(uuids.size, 3);
  });
});

describe('event source mappings: validation', () => {
  it('refuses a queue whose visibility timeout is shorter than the function timeout', async () => {
    const client = lambdaClient(env.endpoint);
    const fn = await createFunction(client, { Timeout: 60 });
    const q = await queue(30);
    await rejects(
      client.send(new CreateEventSourceMappingCommand({ FunctionName: fn.FunctionName, EventSourceArn: q.arn })),
      'InvalidParameterValueException',
      'Queue visibility timeout: 30 seconds is less than Function timeout: 60 seconds',
    );
    assert.ok((await client.send(new ListFunctionsCommand({}))).Functions);
  });

  it('needs a batching window for SQS batches over 10', async () => {
    const client = lambdaClient(env.endpoint);
    const fn = await createFunction(client, {});
    const q = await queue();
    await rejects(
      client.send(new CreateEventSourceMappingCommand({ FunctionName: fn.FunctionName, EventSourceArn: q.arn, BatchSize: 100 })),
      'InvalidParameterValueException',
      'Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10',
    );
    const ok = await client.send(
      new CreateEventSourceMappingCommand({ FunctionName: fn.FunctionName, EventSourceArn: q.arn, BatchSize: 100, MaximumBatchingWindowInSeconds: 5, Enabled: false }),
    );
    assert.equal(ok.BatchSize, 100);
    await rejects(client.send(new UpdateEventSourceMappingCommand({ UUID: ok.UUID, MaximumBatchingWindowInSeconds: 0 })), 'InvalidParameterValueException', /Maximum batch window/);
  });

  it('refuses a second mapping of the same queue and function', async () => {
    const client = lambdaClient(env.endpoint);
    const fn = await createFunction(client, {});
    const q = await queue();
    const first = await client.send(new CreateEventSourceMappingCommand({ FunctionName: fn.FunctionName, EventSourceArn: q.arn, Enabled: false }));
    await rejects(
      client.send(new CreateEventSourceMappingCommand({ FunctionName: fn.FunctionName, EventSourceArn: q.arn })),
      'ResourceConflictException',
      `An event source mapping with SQS arn (" ${q.arn} ") and function (" ${fn.FunctionName} ") already exists. Please update or delete the existing mapping with UUID ${first.UUID}`,
    );
  });

  it('needs a StartingPosition for a DynamoDB stream and refuses one for SQS', async () => {
    const client = lambdaClient(env.endpoint);
    const fn = await createFunction(client, {});
    const arn = await stream();
    await rejects(
      client.send(new CreateEventSourceMappingCommand({ FunctionName: fn.FunctionName, EventSourceArn: arn })),
      'InvalidParameterValueException',
      "1 validation error detected: Value null at 'startingPosition' failed to satisfy constraint: Member must not be null.",
    );
    const q = await queue();
    await rejects(
      client.send(new CreateEventSourceMappingCommand({ FunctionName: fn.FunctionName, EventSourceArn: q.arn, StartingPosition: 'LATEST' })),
      'InvalidParameterValueException',
    );
  });

  it('answers unknown functions, queues, streams and UUIDs with AWS errors', async () => {
    const client = lambdaClient(env.endpoint);
    const fn = await createFunction(client, {});
    const q = await queue();
    await rejects(
      client.send(new CreateEventSourceMappingCommand({ FunctionName: 'no-such-function', EventSourceArn: q.arn })),
      'ResourceNotFoundException',
      'Function not found: arn:aws:lambda:us-east-1:000000000000:function:no-such-function',
    );
    await rejects(
      client.send(new CreateEventSourceMappingCommand({ FunctionName: fn.FunctionName, EventSourceArn: 'arn:aws:sqs:us-east-1:000000000000:no-such-queue' })),
      'InvalidParameterValueException',
      /NonExistentQueue/,
    );
    const missingStream = 'arn:aws:dynamodb:us-east-1:000000000000:table/nope/stream/2024-01-01T00:00:00.000';
    await rejects(
      client.send(new CreateEventSourceMappingCommand({ FunctionName: fn.FunctionName, EventSourceArn: missingStream, StartingPosition: 'TRIM_HORIZON' })),
      'InvalidParameterValueException',
      `Stream not found: ${missingStream}`,
    );
    await rejects(
      client.send(new CreateEventSourceMappingCommand({ FunctionName: fn.FunctionName, EventSourceArn: 'arn:aws:s3:::bucket' })),
      'InvalidParameterValueException',
      'Unrecognized event source.',
    );
    await rejects(
      client.send(new UpdateEventSourceMappingCommand({ UUID: '00000000-0000-0000-0000-000000000000', BatchSize: 5 })),
      'ResourceNotFoundException',
      'The resource you requested does not exist.',
    );
    await rejects(client.send(new CreateEventSourceMappingCommand({ FunctionName: fn.FunctionName, EventSourceArn: q.arn, FunctionResponseTypes: ['Nope' as 'ReportBatchItemFailures'] })), 'ValidationException');
    // Still answering.
    assert.ok((await client.send(new ListEventSourceMappingsCommand({}))).EventSourceMappings);
  });
});

describe('event source mappings: scaling and destinations', () => {
  it('keeps ScalingConfig for SQS and OnFailure destinations for streams, and refuses them elsewhere', async () => {
    const client = lambdaClient(env.endpoint);
    const fn = await createFunction(client, {});
    const q = await queue();
    const sqsMapping = await client.send(new CreateEventSourceMappingCommand({ FunctionName: fn.FunctionName, EventSourceArn: q.arn, ScalingConfig: { MaximumConcurrency: 3 } }));
    assert.deepEqual(sqsMapping.ScalingConfig, { MaximumConcurrency: 3 });
    const updated = await client.send(new UpdateEventSourceMappingCommand({ UUID: sqsMapping.UUID, ScalingConfig: { MaximumConcurrency: 2 } }));
    assert.deepEqual(updated.ScalingConfig, { MaximumConcurrency: 2 });
    await rejects(client.send(new UpdateEventSourceMappingCommand({ UUID: sqsMapping.UUID, ScalingConfig: { MaximumConcurrency: 1 } })), 'ValidationException');
    await rejects(
      client.send(new UpdateEventSourceMappingCommand({ UUID: sqsMapping.UUID, DestinationConfig: { OnFailure: { Destination: q.arn } } })),
      'InvalidParameterValueException',
      'Unsupported DestinationConfig parameter for given event source mapping type.',
    );
    const s = await stream();
    const dlq = await queue();
    const streamMapping = await client.send(
      new CreateEventSourceMappingCommand({ FunctionName: fn.FunctionName, EventSourceArn: s, StartingPosition: 'LATEST', DestinationConfig: { OnFailure: { Destination: dlq.arn } } }),
    );
    assert.deepEqual(streamMapping.DestinationConfig, { OnFailure: { Destination: dlq.arn } });
    await rejects(
      client.send(new UpdateEventSourceMappingCommand({ UUID: streamMapping.UUID, DestinationConfig: { OnSuccess: { Destination: dlq.arn } } })),
      'InvalidParameterValueException',
      'Unsupported DestinationConfig parameter for given event source mapping type.',
    );
    const table = 'arn:aws:dynamodb:us-east-1:000000000000:table/t';
    await rejects(
      client.send(new UpdateEventSourceMappingCommand({ UUID: streamMapping.UUID, DestinationConfig: { OnFailure: { Destination: table } } })),
      'InvalidParameterValueException',
      `The provided destination config DestinationConfig(onSuccess=null, onFailure=OnFailure(destination=${table})) is invalid.`,
    );
    // Fogbank's own wording (AWS's is not documented): scaling applies to SQS sources only.
    await rejects(client.send(new UpdateEventSourceMappingCommand({ UUID: streamMapping.UUID, ScalingConfig: { MaximumConcurrency: 2 } })), 'InvalidParameterValueException');
    const cleared = await client.send(new UpdateEventSourceMappingCommand({ UUID: streamMapping.UUID, DestinationConfig: { OnFailure: {} } }));
    assert.deepEqual(cleared.DestinationConfig, { OnFailure: {} });
  });
});

describe('event source mappings: other clients', () => {
  it('works from the AWS CLI', { skip: !hasAwsCli }, async () => {
    const client = lambdaClient(env.endpoint);
    const fn = await createFunction(client, {});
    const q = await queue();
    const created = (await awsCli(env.endpoint, ['lambda', 'create-event-source-mapping', '--function-name', fn.FunctionName!, '--event-source-arn', q.arn, '--no-enabled']))
      .json as { UUID: string; State: string };
    assert.equal(created.State, 'Creating');
    const got = (await awsCli(env.endpoint, ['lambda', 'get-event-source-mapping', '--uuid', created.UUID])).json as { State: string };
    assert.equal(got.State, 'Disabled');
    const failed = await awsCliFails(env.endpoint, ['lambda', 'get-event-source-mapping', '--uuid', '00000000-0000-0000-0000-000000000000']);
    assert.match(failed.stderr, /ResourceNotFoundException/);
  });

  it('works from boto3', { skip: !hasBoto3 }, async () => {
    const client = lambdaClient(env.endpoint);
    const fn = await createFunction(client, { Timeout: 60 });
    const q = await queue(30);
    const out = (await boto3(
      env.endpoint,
      `
import boto3, json
c = boto3.client('lambda')
error = None
try:
    c.create_event_source_mapping(FunctionName=${JSON.stringify(fn.FunctionName)}, EventSourceArn=${JSON.stringify(q.arn)})
except c.exceptions.InvalidParameterValueException as e:
    error = [e.response['Error']['Code'], e.response['Error']['Message']]
count = len(c.list_event_source_mappings(FunctionName=${JSON.stringify(fn.FunctionName)})['EventSourceMappings'])
print(json.dumps({'error': error, 'count': count}))
`,
    )) as { error: [string, string]; count: number };
    assert.deepEqual(out.error, ['InvalidParameterValueException', 'Queue visibility timeout: 30 seconds is less than Function timeout: 60 seconds']);
    assert.equal(out.count, 0);
  });
});
