import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { useFogbank } from '../support/fogbank.js';
import { createFunction, lambdaClient } from '../lambda/support.js';
import { createMachine, history, run, sfnClient, waitForEnd, waitForEvent } from './support.js';

const env = useFogbank();
const fn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;
const scratch = mkdtempSync(join(tmpdir(), 'fogbank-sfn-lambda-'));

// The seed's image-processing workflow, with its Task ARNs pointing at this Fogbank's functions.
const IMAGE_WORKFLOW = {
  Comment: 'Image processing workflow',
  StartAt: 'ValidateImage',
  States: {
    ValidateImage: { Type: 'Task', Resource: fn('ValidateImage'), Next: 'IsValid', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'HandleError' }] },
    IsValid: { Type: 'Choice', Choices: [{ Variable: '$.valid', BooleanEquals: true, Next: 'ProcessImage' }], Default: 'RejectImage' },
    ProcessImage: {
      Type: 'Parallel',
      Branches: [
        { StartAt: 'GenerateThumbnail', States: { GenerateThumbnail: { Type: 'Task', Resource: fn('GenerateThumbnail'), End: true } } },
        { StartAt: 'ExtractMetadata', States: { ExtractMetadata: { Type: 'Task', Resource: fn('ExtractMetadata'), End: true } } },
      ],
      Next: 'SaveResults',
    },
    SaveResults: { Type: 'Task', Resource: fn('SaveResults'), End: true },
    RejectImage: { Type: 'Fail', Error: 'InvalidImage', Cause: 'Image failed validation' },
    HandleError: { Type: 'Task', Resource: fn('HandleError'), End: true },
  },
};

const HANDLERS: Record<string, string> = {
  ValidateImage: `export const handler = async (e) => { if (e.crash) throw new Error('validator crashed'); return { ...e, valid: e.key.endsWith('.png') }; };`,
  GenerateThumbnail: `export const handler = async (e) => ({ thumbnail: 'thumb-' + e.key });`,
  ExtractMetadata: `export const handler = async (e) => ({ metadata: { name: e.key, bytes: 42 } });`,
  SaveResults: `export const handler = async (results) => ({ saved: true, results });`,
  HandleError: `export const handler = async (failure) => ({ handled: true, error: failure.Error, message: JSON.parse(failure.Cause).errorMessage });`,
  // Fails with a TransientError until it has been called three times (counted in a file).
  Flaky: `import { readFileSync, writeFileSync } from 'node:fs';
class TransientError extends Error { constructor(m) { super(m); this.name = 'TransientError'; } }
export const handler = async (e) => {
  let n = 0; try { n = Number(readFileSync(e.counter, 'utf8')); } catch {}
  writeFileSync(e.counter, String(++n));
  if (n < 3) throw new TransientError('attempt ' + n);
  return { attempts: n };
};`,
  Slow: `export const handler = async () => { await new Promise((r) => setTimeout(r, 3000)); return 'late'; };`,
  Echo: `export const handler = async (e) => ({ echoed: e });`,
};

describe('Step Functions Lambda tasks', () => {
  before(async () => {
    const lambda = lambdaClient(env.endpoint);
    for (const [name, code] of Object.entries(HANDLERS)) await createFunction(lambda, { FunctionName: name, files: { 'index.mjs': code } });
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('the seed workflow: a valid image goes through both Parallel branches into SaveResults', async () => {
    const sfn = sfnClient(env.endpoint);
    const arn = await createMachine(sfn, IMAGE_WORKFLOW);
    const done = await run(sfn, arn, { key: 'cat.png' });
    assert.equal(done.status, 'SUCCEEDED', done.cause);
    assert.deepEqual(JSON.parse(done.output!), { saved: true, results: [{ thumbnail: 'thumb-cat.png' }, { metadata: { name: 'cat.png', bytes: 42 } }] });
    const events = await history(sfn, done.executionArn!);
    const types = events.map((e) => e.type);
    assert.deepEqual(types.slice(0, 9), [
      'ExecutionStarted',
      'TaskStateEntered',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionSucceeded',
      'TaskStateExited',
      'ChoiceStateEntered',
      'ChoiceStateExited',
      'ParallelStateEntered',
    ]);
    assert.deepEqual(types.slice(-8), ['ParallelStateSucceeded', 'ParallelStateExited', 'TaskStateEntered', 'LambdaFunctionScheduled', 'LambdaFunctionStarted', 'LambdaFunctionSucceeded', 'TaskStateExited', 'ExecutionSucceeded']);
    // Both branches ran their Lambda task between ParallelStateStarted and ParallelStateSucceeded.
    const inside = types.slice(types.indexOf('ParallelStateStarted') + 1, types.indexOf('ParallelStateSucceeded'));
    assert.equal(inside.filter((t) => t === 'LambdaFunctionSucceeded').length, 2);
    assert.equal(types.filter((t) => t === 'LambdaFunctionSucceeded').length, 4);
    assert.deepEqual(events[2]!.lambdaFunctionScheduledEventDetails, { resource: fn('ValidateImage'), input: '{"key":"cat.png"}', inputDetails: { truncated: false } });
    assert.deepEqual(events[4]!.lambdaFunctionSucceededEventDetails, { output: '{"key":"cat.png","valid":true}', outputDetails: { truncated: false } });
    // Each branch's first event points back at ParallelStateStarted.
    const started = events.find((e) => e.type === 'ParallelStateStarted')!;
    const branchEntries = events.filter((e) => e.type === 'TaskStateEntered' && ['GenerateThumbnail', 'ExtractMetadata'].includes(e.stateEnteredEventDetails!.name!));
    assert.deepEqual(branchEntries.map((e) => e.previousEventId), [started.id, started.id]);
    assert.equal(types.at(-1), 'ExecutionSucceeded');
  });

  it('the seed workflow: an invalid image fails with InvalidImage and its cause', async () => {
    const sfn = sfnClient(env.endpoint);
    const arn = await createMachine(sfn, IMAGE_WORKFLOW);
    const done = await run(sfn, arn, { key: 'notes.txt' });
    assert.equal(done.status, 'FAILED');
    assert.equal(done.error, 'InvalidImage');
    assert.equal(done.cause, 'Image failed validation');
    const events = await history(sfn, done.executionArn!);
    assert.deepEqual(events.slice(-2).map((e) => e.type), ['FailStateEntered', 'ExecutionFailed']);
    assert.deepEqual(events.at(-1)!.executionFailedEventDetails, { error: 'InvalidImage', cause: 'Image failed validation' });
  });

  it('the seed workflow: a crashing validator is caught by States.ALL and handled', async () => {
    const sfn = sfnClient(env.endpoint);
    const arn = await createMachine(sfn, IMAGE_WORKFLOW);
    const done = await run(sfn, arn, { key: 'cat.png', crash: true });
    assert.equal(done.status, 'SUCCEEDED', done.cause);
    assert.deepEqual(JSON.parse(done.output!), { handled: true, error: 'Error', message: 'validator crashed' });
    const events = await history(sfn, done.executionArn!);
    const failed = events.find((e) => e.type === 'LambdaFunctionFailed')!;
    assert.equal(failed.lambdaFunctionFailedEventDetails!.error, 'Error');
    assert.equal(JSON.parse(failed.lambdaFunctionFailedEventDetails!.cause!).errorMessage, 'validator crashed');
    const entered = events.filter((e) => e.type === 'TaskStateEntered').map((e) => e.stateEnteredEventDetails!.name);
    assert.deepEqual(entered, ['ValidateImage', 'HandleError']);
  });

  it('Retry waits IntervalSeconds x BackoffRate on Fogbank\'s clock between attempts', async () => {
    const sfn = sfnClient(env.endpoint);
    const definition = {
      StartAt: 'Try',
      States: { Try: { Type: 'Task', Resource: fn('Flaky'), Retry: [{ ErrorEquals: ['TransientError'], IntervalSeconds: 10, BackoffRate: 3, MaxAttempts: 5 }], End: true } },
    };
    const arn = await createMachine(sfn, definition);
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: JSON.stringify({ counter: join(scratch, 'flaky-1') }) }));
    await waitForEvent(sfn, executionArn!, 'LambdaFunctionFailed');
    // Not yet due: nothing is retried until the clock reaches 10 s.
    env.fogbank.advanceClock(9_000);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal((await history(sfn, executionArn!)).filter((e) => e.type === 'LambdaFunctionScheduled').length, 1);
    env.fogbank.advanceClock(1_000);
    for (let i = 0; i < 1000 && (await history(sfn, executionArn!)).filter((e) => e.type === 'LambdaFunctionFailed').length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    env.fogbank.advanceClock(30_000);
    const done = await waitForEnd(sfn, executionArn!);
    assert.equal(done.status, 'SUCCEEDED', done.cause);
    assert.deepEqual(JSON.parse(done.output!), { attempts: 3 });
    const scheduled = (await history(sfn, executionArn!)).filter((e) => e.type === 'LambdaFunctionScheduled').map((e) => e.timestamp!.getTime());
    assert.equal(scheduled.length, 3);
    assert.ok(scheduled[1]! - scheduled[0]! >= 10_000);
    assert.ok(scheduled[2]! - scheduled[1]! >= 30_000);
  });

  it('retries run out: the error reaches Catch with its ResultPath', async () => {
    const sfn = sfnClient(env.endpoint);
    const definition = {
      StartAt: 'Try',
      States: {
        Try: { Type: 'Task', Resource: fn('Flaky'), Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 1, MaxAttempts: 1 }], Catch: [{ ErrorEquals: ['TransientError'], ResultPath: '$.error', Next: 'Gave up' }], End: true },
        'Gave up': { Type: 'Pass', End: true },
      },
    };
    const arn = await createMachine(sfn, definition);
    const counter = join(scratch, 'flaky-2');
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: JSON.stringify({ counter }) }));
    await waitForEvent(sfn, executionArn!, 'LambdaFunctionFailed');
    env.fogbank.advanceClock(1_000);
    const done = await waitForEnd(sfn, executionArn!);
    assert.equal(done.status, 'SUCCEEDED');
    const output = JSON.parse(done.output!);
    assert.equal(output.counter, counter);
    assert.equal(output.error.Error, 'TransientError');
    assert.equal(JSON.parse(output.error.Cause).errorMessage, 'attempt 2');
  });

  it('arn:aws:states:::lambda:invoke wraps the Payload and returns the Invoke response', async () => {
    const sfn = sfnClient(env.endpoint);
    const definition = {
      StartAt: 'Call',
      States: { Call: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'Echo', 'Payload.$': '$.body' }, ResultSelector: { 'payload.$': '$.Payload', 'status.$': '$.StatusCode', 'version.$': '$.ExecutedVersion' }, End: true } },
    };
    const arn = await createMachine(sfn, definition);
    const done = await run(sfn, arn, { body: { hello: 'world' } });
    assert.equal(done.status, 'SUCCEEDED', done.cause);
    assert.deepEqual(JSON.parse(done.output!), { payload: { echoed: { hello: 'world' } }, status: 200, version: '$LATEST' });
    const events = await history(sfn, done.executionArn!);
    assert.deepEqual(events.map((e) => e.type), ['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSucceeded', 'TaskStateExited', 'ExecutionSucceeded']);
    assert.deepEqual(events[2]!.taskScheduledEventDetails, { resourceType: 'lambda', resource: 'invoke', region: 'us-east-1', parameters: '{"FunctionName":"Echo","Payload":{"hello":"world"}}' });
    assert.deepEqual(events[3]!.taskStartedEventDetails, { resourceType: 'lambda', resource: 'invoke' });
  });

  it('a missing function fails the task with Lambda.ResourceNotFoundException', async () => {
    const sfn = sfnClient(env.endpoint);
    const arn = await createMachine(sfn, { StartAt: 'Call', States: { Call: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'NoSuchFunction' }, End: true } } });
    const done = await run(sfn, arn, {});
    assert.equal(done.status, 'FAILED');
    assert.equal(done.error, 'Lambda.ResourceNotFoundException');
    const failed = (await history(sfn, done.executionArn!)).find((e) => e.type === 'TaskFailed')!;
    assert.equal(failed.taskFailedEventDetails!.error, 'Lambda.ResourceNotFoundException');
  });

  it('TimeoutSeconds fails a slow task with States.Timeout when the clock passes it', async () => {
    const sfn = sfnClient(env.endpoint);
    const arn = await createMachine(sfn, { StartAt: 'Slow', States: { Slow: { Type: 'Task', Resource: fn('Slow'), TimeoutSeconds: 2, End: true } } });
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
    await waitForEvent(sfn, executionArn!, 'LambdaFunctionStarted');
    env.fogbank.advanceClock(2_000);
    const done = await waitForEnd(sfn, executionArn!);
    assert.equal(done.status, 'FAILED');
    assert.equal(done.error, 'States.Timeout');
    const types = (await history(sfn, executionArn!)).map((e) => e.type);
    assert.ok(types.includes('LambdaFunctionTimedOut'));
  });
});
