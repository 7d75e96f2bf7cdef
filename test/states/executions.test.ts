import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  DescribeExecutionCommand,
  DescribeStateMachineForExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { startFogbank } from '../../src/index.js';
import { awsCli, hasAwsCli, useFogbank } from '../support/fogbank.js';
import { createMachine, history, run, sfnClient, waitForEnd, waitForEvent } from './support.js';

const env = useFogbank();

const PASS = { StartAt: 'Only', States: { Only: { Type: 'Pass', End: true } } };
const WAIT = { StartAt: 'Nap', States: { Nap: { Type: 'Wait', Seconds: 3600, Next: 'Done' }, Done: { Type: 'Succeed' } } };

describe('Step Functions executions', () => {
  it('records the history of a small machine event by event', async () => {
    const sfn = sfnClient(env.endpoint);
    const definition = {
      StartAt: 'Greet',
      States: {
        Greet: { Type: 'Pass', Result: 'hello', ResultPath: '$.greeting', Next: 'Route' },
        Route: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericEquals: 1, Next: 'Done' }], Default: 'Done' },
        Done: { Type: 'Succeed' },
      },
    };
    const arn = await createMachine(sfn, definition);
    const done = await run(sfn, arn, { n: 1 });
    assert.equal(done.status, 'SUCCEEDED');
    assert.equal(done.output, '{"n":1,"greeting":"hello"}');
    const events = await history(sfn, done.executionArn!);
    const brief = events.map((e) => [e.id, e.previousEventId, e.type]);
    assert.deepEqual(brief, [
      [1, 0, 'ExecutionStarted'],
      [2, 1, 'PassStateEntered'],
      [3, 2, 'PassStateExited'],
      [4, 3, 'ChoiceStateEntered'],
      [5, 4, 'ChoiceStateExited'],
      [6, 5, 'SucceedStateEntered'],
      [7, 6, 'SucceedStateExited'],
      [8, 7, 'ExecutionSucceeded'],
    ]);
    assert.deepEqual(events[0]!.executionStartedEventDetails, { input: '{"n":1}', inputDetails: { truncated: false }, roleArn: 'arn:aws:iam::000000000000:role/sfn-role' });
    assert.deepEqual(events[1]!.stateEnteredEventDetails, { name: 'Greet', input: '{"n":1}', inputDetails: { truncated: false } });
    assert.deepEqual(events[2]!.stateExitedEventDetails, { name: 'Greet', output: '{"n":1,"greeting":"hello"}', outputDetails: { truncated: false } });
    assert.deepEqual(events[7]!.executionSucceededEventDetails, { output: '{"n":1,"greeting":"hello"}', outputDetails: { truncated: false } });
    assert.ok(events.every((e) => e.timestamp instanceof Date));
    const machine = await sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn: done.executionArn }));
    assert.equal(machine.stateMachineArn, arn);
    assert.deepEqual(JSON.parse(machine.definition!), definition);

    // Newest first, and page by page.
    const reversed = await sfn.send(new GetExecutionHistoryCommand({ executionArn: done.executionArn, reverseOrder: true, maxResults: 3 }));
    assert.deepEqual(reversed.events!.map((e) => e.id), [8, 7, 6]);
    const next = await sfn.send(new GetExecutionHistoryCommand({ executionArn: done.executionArn, reverseOrder: true, maxResults: 3, nextToken: reversed.nextToken }));
    assert.deepEqual(next.events!.map((e) => e.id), [5, 4, 3]);
    const withoutData = await sfn.send(new GetExecutionHistoryCommand({ executionArn: done.executionArn, includeExecutionData: false, maxResults: 2 }));
    assert.deepEqual(withoutData.events![1]!.stateEnteredEventDetails, { name: 'Greet' });
  });

  it('a Wait state waits on Fogbank\'s clock', async () => {
    const sfn = sfnClient(env.endpoint);
    const arn = await createMachine(sfn, WAIT);
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{"a":1}' }));
    await waitForEvent(sfn, executionArn!, 'WaitStateEntered');
    assert.equal((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status, 'RUNNING');
    env.fogbank.advanceClock(3599_000);
    assert.equal((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status, 'RUNNING');
    env.fogbank.advanceClock(1000);
    const done = await waitForEnd(sfn, executionArn!);
    assert.equal(done.status, 'SUCCEEDED');
    assert.equal(done.output, '{"a":1}');
    assert.ok(done.stopDate!.getTime() - done.startDate!.getTime() >= 3600_000);
  });

  it('Wait with SecondsPath, Timestamp and TimestampPath', async () => {
    const sfn = sfnClient(env.endpoint);
    const at = new Date(env.fogbank.clock.now() + 86400_000).toISOString();
    const definition = {
      StartAt: 'A',
      States: {
        A: { Type: 'Wait', SecondsPath: '$.delay', Next: 'B' },
        B: { Type: 'Wait', TimestampPath: '$.until', Next: 'C' },
        C: { Type: 'Wait', Timestamp: '2000-01-01T00:00:00Z', End: true },
      },
    };
    const arn = await createMachine(sfn, definition);
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: JSON.stringify({ delay: 60, until: at }) }));
    await waitForEvent(sfn, executionArn!, 'WaitStateEntered');
    env.fogbank.advanceClock(60_000);
    const events = await waitForEvent(sfn, executionArn!, 'WaitStateExited');
    assert.ok(events.some((e) => e.type === 'WaitStateExited'));
    env.fogbank.advanceClock(86400_000);
    assert.equal((await waitForEnd(sfn, executionArn!)).status, 'SUCCEEDED');
  });

  it('StopExecution aborts a running execution', async () => {
    const sfn = sfnClient(env.endpoint);
    const arn = await createMachine(sfn, WAIT);
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
    await waitForEvent(sfn, executionArn!, 'WaitStateEntered');
    const stopped = await sfn.send(new StopExecutionCommand({ executionArn, error: 'Halt', cause: 'by test' }));
    assert.ok(stopped.stopDate instanceof Date);
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    assert.equal(described.status, 'ABORTED');
    assert.equal(described.error, 'Halt');
    assert.equal(described.cause, 'by test');
    env.fogbank.advanceClock(7200_000);
    const events = await history(sfn, executionArn!);
    assert.deepEqual(events.map((e) => e.type), ['ExecutionStarted', 'WaitStateEntered', 'ExecutionAborted']);
    assert.deepEqual(events[2]!.executionAbortedEventDetails, { error: 'Halt', cause: 'by test' });
    assert.equal((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status, 'ABORTED');
  });

  it('StartExecution: same name and input while running is idempotent; otherwise ExecutionAlreadyExists', async () => {
    const sfn = sfnClient(env.endpoint);
    const arn = await createMachine(sfn, WAIT);
    const first = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'job-1', input: '{"x":1}' }));
    assert.equal(first.executionArn, arn.replace(':stateMachine:', ':execution:') + ':job-1');
    const again = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'job-1', input: '{"x":1}' }));
    assert.equal(again.executionArn, first.executionArn);
    await assert.rejects(sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'job-1', input: '{"x":2}' })), (e: Error) => e.name === 'ExecutionAlreadyExists' && e.message === `Execution Already Exists: '${first.executionArn}'`);
    await assert.rejects(sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'bad name' })), (e: Error) => e.name === 'InvalidName');
    await assert.rejects(sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{oops' })), (e: Error) => e.name === 'InvalidExecutionInput');
    await assert.rejects(sfn.send(new StartExecutionCommand({ stateMachineArn: arn.replace(/[^:]+$/, 'missing') })), (e: Error) => e.name === 'StateMachineDoesNotExist');
    await assert.rejects(sfn.send(new DescribeExecutionCommand({ executionArn: first.executionArn + 'x' })), (e: Error) => e.name === 'ExecutionDoesNotExist');
    await assert.rejects(sfn.send(new DescribeExecutionCommand({ executionArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:x' })), (e: Error) => e.name === 'InvalidArn');
    await sfn.send(new StopExecutionCommand({ executionArn: first.executionArn }));
    // A finished execution's name stays taken.
    await assert.rejects(sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'job-1', input: '{"x":1}' })), (e: Error) => e.name === 'ExecutionAlreadyExists');
  });

  it('ListExecutions filters by status and pages, newest first', async () => {
    const sfn = sfnClient(env.endpoint);
    const definition = { StartAt: 'Gate', States: { Gate: { Type: 'Choice', Choices: [{ Variable: '$.wait', BooleanEquals: true, Next: 'Nap' }], Default: 'Done' }, Nap: { Type: 'Wait', Seconds: 99999, Next: 'Done' }, Done: { Type: 'Succeed' } } };
    const arn = await createMachine(sfn, definition);
    for (const name of ['e1', 'e2', 'e3']) {
      await run(sfn, arn, { wait: false }, name);
      env.fogbank.advanceClock(1000);
    }
    const { executionArn: waiting } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'w1', input: '{"wait":true}' }));
    await waitForEvent(sfn, waiting!, 'WaitStateEntered');
    const all = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn }));
    assert.deepEqual(all.executions!.map((e) => e.name), ['w1', 'e3', 'e2', 'e1']);
    const running = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn, statusFilter: 'RUNNING' }));
    assert.deepEqual(running.executions!.map((e) => [e.name, e.status]), [['w1', 'RUNNING']]);
    const page1 = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn, statusFilter: 'SUCCEEDED', maxResults: 2 }));
    assert.deepEqual(page1.executions!.map((e) => e.name), ['e3', 'e2']);
    const page2 = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn, statusFilter: 'SUCCEEDED', maxResults: 2, nextToken: page1.nextToken }));
    assert.deepEqual(page2.executions!.map((e) => e.name), ['e1']);
    assert.equal(page2.nextToken, undefined);
    await sfn.send(new StopExecutionCommand({ executionArn: waiting }));
  });

  it('StartSyncExecution runs an Express machine to its end', async () => {
    const sfn = sfnClient(env.endpoint);
    const express = await createMachine(sfn, { StartAt: 'Add', States: { Add: { Type: 'Pass', Parameters: { 'sum.$': 'States.MathAdd($.a, $.b)' }, End: true } } }, 'EXPRESS');
    const out = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: express, input: '{"a":2,"b":3}', name: 'sync-1' }));
    assert.equal(out.status, 'SUCCEEDED');
    assert.equal(out.output, '{"sum":5}');
    assert.equal(out.name, 'sync-1');
    assert.match(out.executionArn!, /^arn:aws:states:us-east-1:000000000000:express:.+:sync-1:[0-9a-f-]{36}$/);
    const failing = await createMachine(sfn, { StartAt: 'F', States: { F: { Type: 'Fail', Error: 'Nope', Cause: 'because' } } }, 'EXPRESS');
    const failed = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: failing }));
    assert.deepEqual([failed.status, failed.error, failed.cause], ['FAILED', 'Nope', 'because']);
    // Express machines are not listed; Standard machines cannot run synchronously.
    await assert.rejects(sfn.send(new ListExecutionsCommand({ stateMachineArn: express })), (e: Error) => e.name === 'StateMachineTypeNotSupported');
    const standard = await createMachine(sfn, PASS);
    await assert.rejects(sfn.send(new StartSyncExecutionCommand({ stateMachineArn: standard })), (e: Error) => e.name === 'StateMachineTypeNotSupported');
  });

  it('a finished execution and its history survive a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fogbank-sfn-'));
    try {
      let fogbank = await startFogbank({ dataDir: dir, port: 0 });
      let sfn = sfnClient(fogbank.endpoint);
      const arn = await createMachine(sfn, PASS);
      const done = await run(sfn, arn, { kept: true });
      assert.equal(done.status, 'SUCCEEDED');
      await fogbank.stop();
      fogbank = await startFogbank({ dataDir: dir, port: 0 });
      sfn = sfnClient(fogbank.endpoint);
      const again = await sfn.send(new DescribeExecutionCommand({ executionArn: done.executionArn }));
      assert.equal(again.status, 'SUCCEEDED');
      assert.equal(again.output, '{"kept":true}');
      assert.equal((await history(sfn, done.executionArn!)).length, 4);
      await fogbank.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('works from the AWS CLI', { skip: !hasAwsCli && 'needs the AWS CLI' }, async () => {
    const sfn = sfnClient(env.endpoint);
    const arn = await createMachine(sfn, PASS);
    const started = (await awsCli(env.endpoint, ['stepfunctions', 'start-execution', '--state-machine-arn', arn, '--input', '{"cli":1}'])).json as { executionArn: string };
    await waitForEnd(sfn, started.executionArn);
    const described = (await awsCli(env.endpoint, ['stepfunctions', 'describe-execution', '--execution-arn', started.executionArn])).json as { status: string; output: string };
    assert.equal(described.status, 'SUCCEEDED');
    assert.equal(described.output, '{"cli":1}');
    const events = (await awsCli(env.endpoint, ['stepfunctions', 'get-execution-history', '--execution-arn', started.executionArn])).json as { events: Array<{ type: string }> };
    assert.deepEqual(events.events.map((e) => e.type), ['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);
  });
});
