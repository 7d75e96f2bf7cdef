// Step Functions Local's mock configuration file, reused as it is: SFN_MOCK_CONFIG names the file,
// StartExecution on `<state machine ARN>#<test case>` picks the test case.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { expectAwsError } from '../support/errors.js';
import { useFogbank } from '../support/fogbank.js';
import { newQueue } from '../support/queues.js';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { createMachine, history, sfnClient, waitForEnd } from './support.js';

const env = useFogbank();
const dir = mkdtempSync(join(tmpdir(), 'fogbank-sfn-mocks-'));

// The example from AWS's Step Functions Local guide, in its own format.
const MOCKS = {
  StateMachines: {
    LambdaSQSIntegration: {
      TestCases: {
        HappyPath: { LambdaState: 'MockedLambdaSuccess', SQSState: 'MockedSQSSuccess' },
        RetryPath: { LambdaState: 'MockedLambdaRetry', SQSState: 'MockedSQSSuccess' },
        HybridPath: { LambdaState: 'MockedLambdaSuccess' },
      },
    },
  },
  MockedResponses: {
    MockedLambdaSuccess: { '0': { Return: { StatusCode: 200, Payload: { StatusCode: 200, body: 'Hello from Lambda!' } } } },
    MockedSQSSuccess: { '0': { Return: { MD5OfMessageBody: '3bcb6e8e-7h85-4375-b0bc-1a59812c6e51', MessageId: '3bcb6e8e-8b51-4375-b0bc-1a59812c6e51' } } },
    MockedLambdaRetry: {
      '0': { Throw: { Error: 'Lambda.ResourceNotReadyException', Cause: 'Lambda resource is not ready.' } },
      '1-2': { Throw: { Error: 'Lambda.TimeoutException', Cause: 'Lambda timed out.' } },
      '3': { Return: { StatusCode: 200, Payload: { StatusCode: 200, body: 'Hello from Lambda!' } } },
    },
  },
};

describe('Step Functions mocked service integrations (Step Functions Local format)', () => {
  let queueUrl = '';
  let machineArn = '';
  before(async () => {
    const path = join(dir, 'MockConfigFile.json');
    writeFileSync(path, JSON.stringify(MOCKS));
    process.env.SFN_MOCK_CONFIG = path;
    const sfn = sfnClient(env.endpoint);
    queueUrl = (await newQueue(env.endpoint)).url;
    const definition = {
      StartAt: 'LambdaState',
      States: {
        LambdaState: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: 'HelloWorldFunction', 'Payload.$': '$' },
          Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 0, MaxAttempts: 3 }],
          ResultSelector: { 'body.$': '$.Payload.body' },
          Next: 'SQSState',
        },
        SQSState: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Parameters: { QueueUrl: queueUrl, 'MessageBody.$': '$.body' }, ResultSelector: { 'id.$': '$.MessageId' }, End: true },
      },
    };
    machineArn = await createMachine(sfn, definition, 'STANDARD', 'LambdaSQSIntegration');
  });
  after(() => {
    delete process.env.SFN_MOCK_CONFIG;
    rmSync(dir, { recursive: true, force: true });
  });

  it('HappyPath: every Task answers its mocked response, with the history a real call records', async () => {
    const sfn = sfnClient(env.endpoint);
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: `${machineArn}#HappyPath`, input: '{}' }));
    const done = await waitForEnd(sfn, executionArn!);
    assert.equal(done.status, 'SUCCEEDED', done.cause);
    assert.deepEqual(JSON.parse(done.output!), { id: '3bcb6e8e-8b51-4375-b0bc-1a59812c6e51' });
    assert.equal(done.stateMachineArn, machineArn);
    const events = await history(sfn, executionArn!);
    assert.deepEqual(events.filter((e) => e.type!.startsWith('Task')).map((e) => e.type), ['TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSucceeded', 'TaskStateExited', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSucceeded', 'TaskStateExited']);
  });

  it('RetryPath: responses follow the call count ("0", "1-2", "3") through the retries', async () => {
    const sfn = sfnClient(env.endpoint);
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: `${machineArn}#RetryPath`, input: '{}' }));
    const done = await waitForEnd(sfn, executionArn!);
    assert.equal(done.status, 'SUCCEEDED', done.cause);
    const failures = (await history(sfn, executionArn!)).filter((e) => e.type === 'TaskFailed').map((e) => e.taskFailedEventDetails!.error);
    assert.deepEqual(failures, ['Lambda.ResourceNotReadyException', 'Lambda.TimeoutException', 'Lambda.TimeoutException']);
  });

  it('HybridPath: states without a mock call the real service', async () => {
    const sfn = sfnClient(env.endpoint);
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: `${machineArn}#HybridPath`, input: '{}' }));
    const done = await waitForEnd(sfn, executionArn!);
    assert.equal(done.status, 'SUCCEEDED', done.cause);
    const { sqs } = await newQueue(env.endpoint);
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl }));
    assert.equal(Messages![0]!.Body, 'Hello from Lambda!');
  });

  it('an unknown test case is refused at StartExecution', async () => {
    const sfn = sfnClient(env.endpoint);
    await expectAwsError(sfn.send(new StartExecutionCommand({ stateMachineArn: `${machineArn}#NoSuchCase`, input: '{}' })), { name: 'ValidationException', message: "Test case 'NoSuchCase' of state machine 'LambdaSQSIntegration' is not in the mock configuration file" });
  });
});
