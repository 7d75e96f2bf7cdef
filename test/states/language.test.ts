import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StartExecutionCommand, StartSyncExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { useFogbank } from '../support/fogbank.js';
import { createMachine, history, run, sfnClient, waitForEnd } from './support.js';

const env = useFogbank();

/** Runs a definition as an Express machine synchronously; returns status, output, error, cause. */
async function runSync(sfn: SFNClient, definition: unknown, input: unknown) {
  const arn = await createMachine(sfn, definition, 'EXPRESS');
  const out = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: arn, input: JSON.stringify(input) }));
  return { status: out.status, output: out.output === undefined ? undefined : JSON.parse(out.output), error: out.error, cause: out.cause };
}

async function waitForCount(sfn: SFNClient, executionArn: string, type: string, count: number) {
  for (let i = 0; i < 500; i++) {
    const events = await history(sfn, executionArn);
    if (events.filter((e) => e.type === type).length >= count) return events;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no ${count} ${type} events`);
}

const pass = (extra: Record<string, unknown>) => ({ StartAt: 'P', States: { P: { Type: 'Pass', End: true, ...extra } } });

describe('Amazon States Language (JSONPath)', () => {
  it('processes input and output in AWS order: InputPath, Parameters, ResultSelector, ResultPath, OutputPath', async () => {
    const sfn = sfnClient(env.endpoint);
    const definition = {
      StartAt: 'Shape',
      States: {
        Shape: { Type: 'Pass', InputPath: '$.order', Parameters: { 'id.$': '$.id', fixed: 'yes', 'nested': { 'first.$': '$.items[0]' }, 'exec.$': '$$.Execution.Name' }, ResultPath: '$.shaped', OutputPath: '$.shaped', Next: 'Keep' },
        Keep: { Type: 'Pass', Result: { x: 1 }, ResultPath: null, Next: 'Drop' },
        Drop: { Type: 'Pass', InputPath: null, End: true, ResultPath: '$.empty' },
      },
    };
    const arn = await createMachine(sfn, definition);
    const done = await run(sfn, arn, { order: { id: 7, items: ['a', 'b'] } }, 'io-order');
    assert.equal(done.status, 'SUCCEEDED');
    // Drop's InputPath null gives {} as effective input; ResultPath $.empty writes it into the raw input.
    assert.deepEqual(JSON.parse(done.output!), { id: 7, fixed: 'yes', nested: { first: 'a' }, exec: 'io-order', empty: {} });
  });

  it('intrinsic functions', async () => {
    const sfn = sfnClient(env.endpoint);
    const parameters = {
      'format.$': "States.Format('Hello, {} and {}!', $.name, $.n)",
      'parsed.$': 'States.StringToJson($.json)',
      'text.$': 'States.JsonToString($.obj)',
      'array.$': 'States.Array($.n, \'two\', 3)',
      'length.$': 'States.ArrayLength($.list)',
      'contains.$': 'States.ArrayContains($.list, 2)',
      'partition.$': 'States.ArrayPartition($.list, 2)',
      'range.$': 'States.ArrayRange(1, 9, 4)',
      'item.$': 'States.ArrayGetItem($.list, 1)',
      'unique.$': 'States.ArrayUnique(States.Array(1, 1, 2))',
      'b64.$': "States.Base64Encode('hi')",
      'unb64.$': "States.Base64Decode('aGk=')",
      'hash.$': "States.Hash('abc', 'SHA-256')",
      'merged.$': 'States.JsonMerge($.obj, States.StringToJson(\'{"b":3}\'), false)',
      'sum.$': 'States.MathAdd($.n, -1)',
      'split.$': "States.StringSplit('a,b,,c', ',')",
      'uuid.$': 'States.UUID()',
    };
    const { status, output } = await runSync(sfn, pass({ Parameters: parameters }), { name: 'Ada', n: 2, json: '{"k":[1]}', obj: { a: 1, b: 2 }, list: [1, 2, 3] });
    assert.equal(status, 'SUCCEEDED');
    const { uuid, ...rest } = output as Record<string, unknown>;
    assert.match(String(uuid), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.deepEqual(rest, {
      format: 'Hello, Ada and 2!',
      parsed: { k: [1] },
      text: '{"a":1,"b":2}',
      array: [2, 'two', 3],
      length: 3,
      contains: true,
      partition: [[1, 2], [3]],
      range: [1, 5, 9],
      item: 2,
      unique: [1, 2],
      b64: 'aGk=',
      unb64: 'hi',
      hash: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
      merged: { a: 1, b: 3 },
      sum: 1,
      split: ['a', 'b', 'c'],
    });
  });

  it('a path that finds nothing fails the execution with States.Runtime, which States.ALL does not catch', async () => {
    const sfn = sfnClient(env.endpoint);
    const missing = await runSync(sfn, pass({ InputPath: '$.absent' }), { present: 1 });
    assert.equal(missing.status, 'FAILED');
    assert.equal(missing.error, 'States.Runtime');
    assert.match(missing.cause!, /Invalid path '\$\.absent'/);
    const definition = {
      StartAt: 'Par',
      States: {
        Par: { Type: 'Parallel', Branches: [{ StartAt: 'Bad', States: { Bad: { Type: 'Pass', Parameters: { 'x.$': '$.nope' }, End: true } } }], Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }], End: true },
        Caught: { Type: 'Succeed' },
      },
    };
    const uncaught = await runSync(sfn, definition, {});
    assert.equal(uncaught.status, 'FAILED');
    assert.equal(uncaught.error, 'States.Runtime');
    assert.match(uncaught.cause!, /The JSONPath '\$\.nope' specified for the field 'x\.\$' could not be found/);
  });

  it('Choice: comparison operators, Path variants, And/Or/Not, type tests, Default and States.NoChoiceMatched', async () => {
    const sfn = sfnClient(env.endpoint);
    const rule = (r: Record<string, unknown>) => ({ StartAt: 'C', States: { C: { Type: 'Choice', Choices: [{ ...r, Next: 'Yes' }], Default: 'No' }, Yes: { Type: 'Pass', Result: 'yes', End: true }, No: { Type: 'Pass', Result: 'no', End: true } } });
    const input = { s: 'banana', n: 5, m: 7, b: true, t: '2024-01-02T03:04:05Z', t2: '2025-01-01T00:00:00Z', z: null, list: [1] };
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ Variable: '$.s', StringEquals: 'banana' }, 'yes'],
      [{ Variable: '$.s', StringLessThan: 'cherry' }, 'yes'],
      [{ Variable: '$.s', StringGreaterThanEquals: 'banana' }, 'yes'],
      [{ Variable: '$.s', StringMatches: 'b*n*a' }, 'yes'],
      [{ Variable: '$.s', StringMatches: 'x*' }, 'no'],
      [{ Variable: '$.n', NumericEquals: 5 }, 'yes'],
      [{ Variable: '$.n', NumericGreaterThan: 5 }, 'no'],
      [{ Variable: '$.n', NumericLessThanEquals: 5 }, 'yes'],
      [{ Variable: '$.n', NumericLessThanPath: '$.m' }, 'yes'],
      [{ Variable: '$.n', NumericEqualsPath: '$.m' }, 'no'],
      [{ Variable: '$.s', NumericEquals: 5 }, 'no'],
      [{ Variable: '$.b', BooleanEquals: true }, 'yes'],
      [{ Variable: '$.b', BooleanEqualsPath: '$.b' }, 'yes'],
      [{ Variable: '$.t', TimestampLessThan: '2024-06-01T00:00:00Z' }, 'yes'],
      [{ Variable: '$.t', TimestampGreaterThanPath: '$.t2' }, 'no'],
      [{ Variable: '$.z', IsNull: true }, 'yes'],
      [{ Variable: '$.missing', IsPresent: false }, 'yes'],
      [{ Variable: '$.s', IsPresent: true }, 'yes'],
      [{ Variable: '$.n', IsNumeric: true }, 'yes'],
      [{ Variable: '$.s', IsString: false }, 'no'],
      [{ Variable: '$.b', IsBoolean: true }, 'yes'],
      [{ Variable: '$.t', IsTimestamp: true }, 'yes'],
      [{ And: [{ Variable: '$.n', NumericGreaterThan: 1 }, { Variable: '$.s', StringEquals: 'banana' }] }, 'yes'],
      [{ Or: [{ Variable: '$.n', NumericGreaterThan: 10 }, { Variable: '$.b', BooleanEquals: false }] }, 'no'],
      [{ Not: { Variable: '$.s', StringEquals: 'apple' } }, 'yes'],
    ];
    for (const [r, expected] of cases) {
      const { status, output } = await runSync(sfn, rule(r), input);
      assert.equal(status, 'SUCCEEDED', JSON.stringify(r));
      assert.equal(output, expected, JSON.stringify(r));
    }
    const noDefault = { StartAt: 'C', States: { C: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericEquals: 1, Next: 'Y' }] }, Y: { Type: 'Succeed' } } };
    const unmatched = await runSync(sfn, noDefault, { n: 2 });
    assert.deepEqual([unmatched.status, unmatched.error], ['FAILED', 'States.NoChoiceMatched']);
    const badPath = await runSync(sfn, rule({ Variable: '$.missing', StringEquals: 'x' }), input);
    assert.deepEqual([badPath.status, badPath.error], ['FAILED', 'States.Runtime']);
  });

  it('an integration Fogbank cannot run yet is accepted at create and fails its task at run time', async () => {
    const sfn = sfnClient(env.endpoint);
    const result = await runSync(sfn, { StartAt: 'Run', States: { Run: { Type: 'Task', Resource: 'arn:aws:states:::ecs:runTask.sync', Parameters: { Cluster: 'c' }, End: true } } }, {});
    assert.equal(result.status, 'FAILED');
    assert.equal(result.error, 'States.Runtime');
    assert.match(result.cause!, /arn:aws:states:::ecs:runTask\.sync' is not supported by Fogbank yet/);
  });

  it('Fail with ErrorPath and CausePath', async () => {
    const sfn = sfnClient(env.endpoint);
    const failed = await runSync(sfn, { StartAt: 'F', States: { F: { Type: 'Fail', ErrorPath: '$.e', CausePath: "$.c" } } }, { e: 'Custom.Error', c: 'it broke' });
    assert.deepEqual([failed.status, failed.error, failed.cause], ['FAILED', 'Custom.Error', 'it broke']);
  });

  it('Parallel collects branch results in order; a failing branch is caught with ResultPath', async () => {
    const sfn = sfnClient(env.endpoint);
    const definition = {
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'L', States: { L: { Type: 'Pass', Parameters: { 'left.$': '$.v' }, End: true } } },
            { StartAt: 'R', States: { R: { Type: 'Pass', Result: 'right', End: true } } },
          ],
          ResultSelector: { 'first.$': '$[0].left', 'second.$': '$[1]' },
          ResultPath: '$.both',
          Next: 'Boom',
        },
        Boom: {
          Type: 'Parallel',
          Branches: [{ StartAt: 'X', States: { X: { Type: 'Fail', Error: 'Branch.Failed', Cause: 'x' } } }],
          Catch: [{ ErrorEquals: ['Branch.Failed'], ResultPath: '$.caught', Next: 'Done' }],
          End: true,
        },
        Done: { Type: 'Succeed' },
      },
    };
    const arn = await createMachine(sfn, definition);
    const done = await run(sfn, arn, { v: 1 });
    assert.equal(done.status, 'SUCCEEDED');
    assert.deepEqual(JSON.parse(done.output!), { v: 1, both: { first: 1, second: 'right' }, caught: { Error: 'Branch.Failed', Cause: 'x' } });
    const types = (await history(sfn, done.executionArn!)).map((e) => e.type);
    assert.deepEqual(types.slice(0, 3), ['ExecutionStarted', 'ParallelStateEntered', 'ParallelStateStarted']);
    assert.ok(types.includes('ParallelStateSucceeded') && types.includes('ParallelStateFailed') && types.includes('FailStateEntered'));
  });

  it('Map runs the item processor per item with ItemSelector, in order, within MaxConcurrency', async () => {
    const sfn = sfnClient(env.endpoint);
    const definition = {
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          ItemsPath: '$.items',
          MaxConcurrency: 2,
          ItemSelector: { 'value.$': '$$.Map.Item.Value', 'index.$': '$$.Map.Item.Index', 'tag.$': '$.tag' },
          ItemProcessor: { StartAt: 'Wait', States: { Wait: { Type: 'Wait', Seconds: 1, Next: 'Echo' }, Echo: { Type: 'Pass', End: true } } },
          ResultPath: '$.results',
          End: true,
        },
      },
    };
    const arn = await createMachine(sfn, definition);
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: JSON.stringify({ items: ['a', 'b', 'c'], tag: 't' }) }));
    // Only two iterations start before the clock moves.
    let events = await waitForCount(sfn, executionArn!, 'WaitStateEntered', 2);
    assert.equal(events.filter((e) => e.type === 'MapIterationStarted').length, 2);
    assert.deepEqual(events.find((e) => e.type === 'MapStateStarted')!.mapStateStartedEventDetails, { length: 3 });
    env.fogbank.advanceClock(1000);
    await waitForCount(sfn, executionArn!, 'WaitStateEntered', 3);
    env.fogbank.advanceClock(1000);
    const done = await waitForEnd(sfn, executionArn!);
    assert.equal(done.status, 'SUCCEEDED');
    assert.deepEqual(JSON.parse(done.output!).results, [
      { value: 'a', index: 0, tag: 't' },
      { value: 'b', index: 1, tag: 't' },
      { value: 'c', index: 2, tag: 't' },
    ]);
    events = await history(sfn, executionArn!);
    assert.equal(events.filter((e) => e.type === 'MapIterationSucceeded').length, 3);
    assert.deepEqual(events.filter((e) => e.type === 'MapIterationStarted').map((e) => e.mapIterationStartedEventDetails), [
      { name: 'Each', index: 0 },
      { name: 'Each', index: 1 },
      { name: 'Each', index: 2 },
    ]);
  });

  it('Retry on a Parallel: IntervalSeconds, BackoffRate and MaxDelaySeconds on the clock, then Catch', async () => {
    const sfn = sfnClient(env.endpoint);
    const definition = {
      StartAt: 'Try',
      States: {
        Try: {
          Type: 'Parallel',
          Branches: [{ StartAt: 'Oops', States: { Oops: { Type: 'Fail', Error: 'Oops', Cause: 'again' } } }],
          Retry: [{ ErrorEquals: ['Oops'], IntervalSeconds: 5, BackoffRate: 10, MaxDelaySeconds: 8, MaxAttempts: 2 }],
          Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.err', Next: 'Done' }],
          End: true,
        },
        Done: { Type: 'Succeed' },
      },
    };
    const arn = await createMachine(sfn, definition);
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{"k":1}' }));
    const attempts = async () => (await history(sfn, executionArn!)).filter((e) => e.type === 'ParallelStateStarted').length;
    await waitForCount(sfn, executionArn!, 'ParallelStateFailed', 1);
    env.fogbank.advanceClock(4_900);
    assert.equal(await attempts(), 1);
    env.fogbank.advanceClock(100);
    await waitForCount(sfn, executionArn!, 'ParallelStateFailed', 2);
    // The second delay would be 50 s; MaxDelaySeconds caps it at 8.
    env.fogbank.advanceClock(7_900);
    assert.equal(await attempts(), 2);
    env.fogbank.advanceClock(100);
    const done = await waitForEnd(sfn, executionArn!);
    assert.equal(done.status, 'SUCCEEDED');
    assert.deepEqual(JSON.parse(done.output!), { k: 1, err: { Error: 'Oops', Cause: 'again' } });
    assert.equal(await attempts(), 3);
  });

  it('Retry with JitterStrategy FULL waits no longer than the computed delay', async () => {
    const sfn = sfnClient(env.endpoint);
    const definition = {
      StartAt: 'Try',
      States: {
        Try: {
          Type: 'Parallel',
          Branches: [{ StartAt: 'Oops', States: { Oops: { Type: 'Fail', Error: 'Oops' } } }],
          Retry: [{ ErrorEquals: ['Oops'], IntervalSeconds: 60, MaxAttempts: 1, JitterStrategy: 'FULL' }],
          End: true,
        },
      },
    };
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: await createMachine(sfn, definition), input: '{}' }));
    await waitForCount(sfn, executionArn!, 'ParallelStateFailed', 1);
    env.fogbank.advanceClock(60_000);
    const done = await waitForEnd(sfn, executionArn!);
    assert.deepEqual([done.status, done.error], ['FAILED', 'Oops']);
    assert.equal((await history(sfn, executionArn!)).filter((e) => e.type === 'ParallelStateStarted').length, 2);
  });

  it('a failing Parallel branch stops its siblings; they record nothing after the failure', async () => {
    const sfn = sfnClient(env.endpoint);
    const definition = {
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'Slow', States: { Slow: { Type: 'Wait', Seconds: 60, Next: 'After' }, After: { Type: 'Pass', End: true } } },
            { StartAt: 'Quick', States: { Quick: { Type: 'Wait', Seconds: 1, Next: 'Boom' }, Boom: { Type: 'Fail', Error: 'Broke' } } },
          ],
          End: true,
        },
      },
    };
    const arn = await createMachine(sfn, definition);
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
    await waitForCount(sfn, executionArn!, 'WaitStateEntered', 2);
    env.fogbank.advanceClock(1_000);
    const done = await waitForEnd(sfn, executionArn!);
    assert.deepEqual([done.status, done.error], ['FAILED', 'Broke']);
    env.fogbank.advanceClock(60_000);
    await new Promise((r) => setTimeout(r, 50));
    const types = (await history(sfn, executionArn!)).map((e) => e.type);
    assert.equal(types.at(-1), 'ExecutionFailed');
    assert.ok(!types.includes('PassStateEntered'));
  });

  it('the machine\'s TimeoutSeconds ends the execution as TIMED_OUT', async () => {
    const sfn = sfnClient(env.endpoint);
    const arn = await createMachine(sfn, { TimeoutSeconds: 30, StartAt: 'Nap', States: { Nap: { Type: 'Wait', Seconds: 3600, End: true } } });
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn }));
    await waitForCount(sfn, executionArn!, 'WaitStateEntered', 1);
    env.fogbank.advanceClock(30_000);
    const done = await waitForEnd(sfn, executionArn!);
    assert.deepEqual([done.status, done.error], ['TIMED_OUT', 'States.Timeout']);
    const types = (await history(sfn, executionArn!)).map((e) => e.type);
    assert.deepEqual(types, ['ExecutionStarted', 'WaitStateEntered', 'ExecutionTimedOut']);
  });
});
