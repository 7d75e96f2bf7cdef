import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DescribeExecutionCommand, ListExecutionsCommand, RedriveExecutionCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { expectAwsError } from '../support/errors.js';
import { useFogbank } from '../support/fogbank.js';
import { createMachine, history, run, sfnClient, waitForEnd } from './support.js';

const env = useFogbank();

describe('Step Functions RedriveExecution', () => {
  it('redrives a failed execution from the state that failed, keeping earlier results and variables', async () => {
    const sfn = sfnClient(env.endpoint);
    // Check fails until the execution has been redriven once.
    const check = {
      StartAt: 'First?',
      States: {
        'First?': { Type: 'Choice', Choices: [{ Variable: '$$.Execution.RedriveCount', NumericEquals: 0, Next: 'Fail' }], Default: 'Fine' },
        Fail: { Type: 'Fail', Error: 'NotYet', Cause: 'first attempt' },
        Fine: { Type: 'Pass', End: true },
      },
    };
    const definition = {
      StartAt: 'Prepare',
      States: {
        Prepare: { Type: 'Pass', Assign: { 'prepared.$': '$$.Execution.Input.order' }, Result: 'ok', ResultPath: '$.prepared', Next: 'Check' },
        Check: { Type: 'Parallel', Branches: [check], ResultPath: null, Next: 'Done' },
        Done: { Type: 'Pass', Parameters: { 'order.$': '$prepared', 'prepared.$': '$.prepared', 'redrives.$': '$$.Execution.RedriveCount' }, End: true },
      },
    };
    const arn = await createMachine(sfn, definition);
    const failed = await run(sfn, arn, { order: 5 });
    assert.deepEqual([failed.status, failed.error, failed.redriveStatus], ['FAILED', 'NotYet', 'REDRIVABLE']);
    const { redriveDate } = await sfn.send(new RedriveExecutionCommand({ executionArn: failed.executionArn }));
    assert.ok(redriveDate instanceof Date);
    const done = await waitForEnd(sfn, failed.executionArn!);
    assert.equal(done.status, 'SUCCEEDED', done.cause);
    assert.deepEqual(JSON.parse(done.output!), { order: 5, prepared: 'ok', redrives: 1 });
    assert.equal(done.redriveCount, 1);
    assert.deepEqual([done.redriveStatus, done.redriveStatusReason], ['NOT_REDRIVABLE', 'Execution is SUCCEEDED and cannot be redriven']);
    const events = await history(sfn, failed.executionArn!);
    assert.deepEqual(events.map((e) => e.id), events.map((_, i) => i + 1));
    const redriven = events.findIndex((e) => e.type === 'ExecutionRedriven');
    assert.equal(events[redriven - 1]!.type, 'ExecutionFailed');
    // Prepare is not run again: the redrive enters Check, the state that failed.
    assert.deepEqual(events.slice(redriven + 1).map((e) => e.type), [
      'ParallelStateEntered', 'ParallelStateStarted', 'ChoiceStateEntered', 'ChoiceStateExited', 'PassStateEntered', 'PassStateExited', 'ParallelStateSucceeded', 'ParallelStateExited',
      'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded',
    ]);
    const listed = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn, redriveFilter: 'REDRIVEN' }));
    assert.deepEqual(listed.executions!.map((e) => [e.executionArn, e.redriveCount]), [[failed.executionArn, 1]]);
    assert.deepEqual((await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn, redriveFilter: 'NOT_REDRIVEN' }))).executions, []);
  });

  it('refuses running and succeeded executions with ExecutionNotRedrivable', async () => {
    const sfn = sfnClient(env.endpoint);
    const ok = await run(sfn, await createMachine(sfn, { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }), {});
    await expectAwsError(sfn.send(new RedriveExecutionCommand({ executionArn: ok.executionArn })), { name: 'ExecutionNotRedrivable', message: 'Execution is SUCCEEDED and cannot be redriven' });
    const waiting = await sfn.send(new StartExecutionCommand({ stateMachineArn: await createMachine(sfn, { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 3600, End: true } } }), input: '{}' }));
    await expectAwsError(sfn.send(new RedriveExecutionCommand({ executionArn: waiting.executionArn })), { name: 'ExecutionNotRedrivable', message: 'Execution is RUNNING and cannot be redriven' });
    await expectAwsError(sfn.send(new RedriveExecutionCommand({ executionArn: 'arn:aws:states:us-east-1:000000000000:execution:nope:nope' })), { name: 'ExecutionDoesNotExist' });
    assert.equal((await sfn.send(new DescribeExecutionCommand({ executionArn: waiting.executionArn }))).status, 'RUNNING');
  });
});
