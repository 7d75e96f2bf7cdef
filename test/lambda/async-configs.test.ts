// PutFunctionEventInvokeConfig and friends: AWS's shapes, replace-vs-merge, per-qualifier
// configs, and AWS's errors for bad input (the server answering after each).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateAliasCommand,
  DeleteFunctionCommand,
  DeleteFunctionEventInvokeConfigCommand,
  GetFunctionEventInvokeConfigCommand,
  ListFunctionEventInvokeConfigsCommand,
  PublishVersionCommand,
  PutFunctionEventInvokeConfigCommand,
  UpdateFunctionEventInvokeConfigCommand,
} from '@aws-sdk/client-lambda';
import { expectAwsError } from '../support/errors.js';
import { awsCli, hasAwsCli } from '../support/fogbank.js';
import { newQueue } from '../support/queues.js';
import { createFunction, lambdaClient, useLambdaFogbank } from './support.js';

const env = useLambdaFogbank();
const lambda = () => lambdaClient(env.endpoint);

describe('event invoke configs', () => {
  it('puts, reads, updates, lists and deletes configs per qualifier', async () => {
    const fn = await createFunction(lambda(), {});
    const name = fn.FunctionName!;
    const queue = await newQueue(env.endpoint);
    const put = await lambda().send(new PutFunctionEventInvokeConfigCommand({ FunctionName: name, MaximumRetryAttempts: 1, DestinationConfig: { OnFailure: { Destination: queue.arn } } }));
    assert.equal(put.FunctionArn, `${fn.FunctionArn}:$LATEST`);
    assert.equal(put.MaximumRetryAttempts, 1);
    assert.equal(put.MaximumEventAgeInSeconds, undefined);
    assert.deepEqual(put.DestinationConfig, { OnSuccess: {}, OnFailure: { Destination: queue.arn } });
    assert.ok(put.LastModified instanceof Date);

    // Update merges; Put replaces.
    const updated = await lambda().send(new UpdateFunctionEventInvokeConfigCommand({ FunctionName: name, MaximumEventAgeInSeconds: 120 }));
    assert.equal(updated.MaximumRetryAttempts, 1);
    assert.equal(updated.MaximumEventAgeInSeconds, 120);
    assert.deepEqual(updated.DestinationConfig!.OnFailure, { Destination: queue.arn });
    const replaced = await lambda().send(new PutFunctionEventInvokeConfigCommand({ FunctionName: name, MaximumEventAgeInSeconds: 300 }));
    assert.equal(replaced.MaximumRetryAttempts, undefined);
    assert.deepEqual(replaced.DestinationConfig, { OnSuccess: {}, OnFailure: {} });

    await lambda().send(new PublishVersionCommand({ FunctionName: name }));
    await lambda().send(new CreateAliasCommand({ FunctionName: name, Name: 'live', FunctionVersion: '1' }));
    await lambda().send(new PutFunctionEventInvokeConfigCommand({ FunctionName: name, Qualifier: 'live', MaximumRetryAttempts: 0 }));
    await lambda().send(new PutFunctionEventInvokeConfigCommand({ FunctionName: `${name}:1`, MaximumRetryAttempts: 2 }));
    const got = await lambda().send(new GetFunctionEventInvokeConfigCommand({ FunctionName: name, Qualifier: 'live' }));
    assert.equal(got.FunctionArn, `${fn.FunctionArn}:live`);
    assert.equal(got.MaximumRetryAttempts, 0);

    const listed = await lambda().send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: name }));
    assert.deepEqual(listed.FunctionEventInvokeConfigs!.map((c) => c.FunctionArn).sort(), [`${fn.FunctionArn}:$LATEST`, `${fn.FunctionArn}:1`, `${fn.FunctionArn}:live`].sort());
    const first = await lambda().send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: name, MaxItems: 2 }));
    assert.equal(first.FunctionEventInvokeConfigs!.length, 2);
    const rest = await lambda().send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: name, Marker: first.NextMarker }));
    assert.equal(rest.FunctionEventInvokeConfigs!.length, 1);
    assert.equal(rest.NextMarker, undefined);

    await lambda().send(new DeleteFunctionEventInvokeConfigCommand({ FunctionName: name, Qualifier: 'live' }));
    await expectAwsError(lambda().send(new GetFunctionEventInvokeConfigCommand({ FunctionName: name, Qualifier: 'live' })), {
      name: 'ResourceNotFoundException',
      status: 404,
      message: `The function ${fn.FunctionArn}:live doesn't have an EventInvokeConfig`,
    });

    // Deleting the function takes its configs with it.
    await lambda().send(new DeleteFunctionCommand({ FunctionName: name }));
    await createFunction(lambda(), { FunctionName: name });
    assert.deepEqual((await lambda().send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: name }))).FunctionEventInvokeConfigs, []);
  });

  it("answers AWS's errors for bad configs", async () => {
    const fn = await createFunction(lambda(), {});
    const name = fn.FunctionName!;
    await expectAwsError(lambda().send(new PutFunctionEventInvokeConfigCommand({ FunctionName: name })), {
      name: 'InvalidParameterValueException',
      status: 400,
      message: 'You must specify at least one of error handling or destination setting.',
    });
    await expectAwsError(lambda().send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'no-such-function', MaximumRetryAttempts: 1 })), {
      name: 'ResourceNotFoundException',
      message: "The function doesn't exist.",
    });
    await expectAwsError(lambda().send(new PutFunctionEventInvokeConfigCommand({ FunctionName: name, Qualifier: 'nope', MaximumRetryAttempts: 1 })), {
      name: 'ResourceNotFoundException',
      message: "The function doesn't exist.",
    });
    await expectAwsError(lambda().send(new PutFunctionEventInvokeConfigCommand({ FunctionName: name, MaximumRetryAttempts: 3 })), { name: 'ValidationException', status: 400 });
    await expectAwsError(lambda().send(new PutFunctionEventInvokeConfigCommand({ FunctionName: name, MaximumEventAgeInSeconds: 59 })), { name: 'ValidationException', status: 400 });
    const table = 'arn:aws:dynamodb:us-east-1:000000000000:table/t';
    await expectAwsError(lambda().send(new PutFunctionEventInvokeConfigCommand({ FunctionName: name, DestinationConfig: { OnSuccess: { Destination: table } } })), {
      name: 'InvalidParameterValueException',
      message: `The provided destination config DestinationConfig(onSuccess=OnSuccess(destination=${table}), onFailure=null) is invalid.`,
    });
    await expectAwsError(lambda().send(new PutFunctionEventInvokeConfigCommand({ FunctionName: name, DestinationConfig: { OnFailure: { Destination: fn.FunctionArn } } })), {
      name: 'InvalidParameterValueException',
      message: "You can't specify the function as a destination for itself.",
    });
    const ghost = fn.FunctionArn!.replace(name, 'ghost-function');
    await expectAwsError(lambda().send(new PutFunctionEventInvokeConfigCommand({ FunctionName: name, DestinationConfig: { OnFailure: { Destination: ghost } } })), {
      name: 'InvalidParameterValueException',
      message: `The destination ARN ${ghost} is invalid.`,
    });
    await expectAwsError(lambda().send(new UpdateFunctionEventInvokeConfigCommand({ FunctionName: name, MaximumRetryAttempts: 1 })), {
      name: 'ResourceNotFoundException',
      message: `The function ${fn.FunctionArn}:$LATEST doesn't have an EventInvokeConfig`,
    });
    await expectAwsError(lambda().send(new DeleteFunctionEventInvokeConfigCommand({ FunctionName: name })), {
      name: 'ResourceNotFoundException',
      message: `The function ${fn.FunctionArn}:$LATEST doesn't have an EventInvokeConfig`,
    });
    await expectAwsError(lambda().send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: 'no-such-function' })), {
      name: 'ResourceNotFoundException',
      message: "The function doesn't exist.",
    });
    await expectAwsError(lambda().send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: name, Marker: 'garbage' })), { name: 'InvalidParameterValueException' });
    // Still answering.
    assert.deepEqual((await lambda().send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: name }))).FunctionEventInvokeConfigs, []);
  });

  it('works from the AWS CLI', { skip: !hasAwsCli }, async () => {
    const fn = await createFunction(lambda(), {});
    const put = await awsCli(env.endpoint, ['lambda', 'put-function-event-invoke-config', '--function-name', fn.FunctionName!, '--maximum-retry-attempts', '1']);
    assert.equal((put.json as { MaximumRetryAttempts: number }).MaximumRetryAttempts, 1);
    const got = await awsCli(env.endpoint, ['lambda', 'get-function-event-invoke-config', '--function-name', fn.FunctionName!]);
    assert.equal((got.json as { FunctionArn: string }).FunctionArn, `${fn.FunctionArn}:$LATEST`);
  });
});
