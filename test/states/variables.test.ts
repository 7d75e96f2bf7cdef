import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StartSyncExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { useFogbank } from '../support/fogbank.js';
import { createMachine, history, run, sfnClient } from './support.js';

const env = useFogbank();

async function runSync(sfn: SFNClient, definition: unknown, input: unknown) {
  const arn = await createMachine(sfn, definition, 'EXPRESS');
  const out = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: arn, input: JSON.stringify(input) }));
  return { status: out.status, output: out.output === undefined ? undefined : JSON.parse(out.output), error: out.error, cause: out.cause };
}

describe('Step Functions workflow variables', () => {
  it('JSONPath Assign reads the state result (after ResultSelector) and later states read $name in paths, intrinsics and Choice', async () => {
    const sfn = sfnClient(env.endpoint);
    const definition = {
      StartAt: 'Fetch',
      States: {
        Fetch: { Type: 'Pass', Result: { order: { id: 'o-1', total: 250 } }, ResultPath: '$.fetched', Assign: { 'orderId.$': '$.order.id', 'total.$': '$.order.total', 'stateName.$': '$$.State.Name', fixed: 'yes' }, Next: 'Shape' },
        Shape: {
          Type: 'Parallel',
          Branches: [{ StartAt: 'Inner', States: { Inner: { Type: 'Pass', Parameters: { 'id.$': '$orderId' }, End: true } } }],
          ResultSelector: { 'first.$': '$[0]' },
          Assign: { 'innerId.$': '$.first.id' },
          ResultPath: null,
          Next: 'Big?',
        },
        'Big?': { Type: 'Choice', Choices: [{ Variable: '$total', NumericGreaterThan: 100, Assign: { size: 'big' }, Next: 'Done' }], Default: 'Done' },
        Done: { Type: 'Pass', Parameters: { 'orderId.$': '$orderId', 'innerId.$': '$innerId', 'size.$': '$size', 'fixed.$': '$fixed', 'from.$': '$stateName', 'text.$': "States.Format('{} costs {}', $orderId, $total)" }, End: true },
      },
    };
    const { status, output, cause } = await runSync(sfn, definition, {});
    assert.equal(status, 'SUCCEEDED', cause);
    assert.deepEqual(output, { orderId: 'o-1', innerId: 'o-1', size: 'big', fixed: 'yes', from: 'Fetch', text: 'o-1 costs 250' });
  });

  it('one Assign sees the values from before the state: assignments happen together, after Output', async () => {
    const sfn = sfnClient(env.endpoint);
    const definition = {
      QueryLanguage: 'JSONata',
      StartAt: 'Init',
      States: {
        Init: { Type: 'Pass', Assign: { a: 1, b: 2 }, Next: 'Swap' },
        Swap: { Type: 'Pass', Assign: { a: '{% $b %}', b: '{% $a %}' }, Output: { a: '{% $a %}', b: '{% $b %}' }, Next: 'After' },
        After: { Type: 'Pass', Output: { before: '{% $states.input %}', a: '{% $a %}', b: '{% $b %}' }, End: true },
      },
    };
    const { status, output, cause } = await runSync(sfn, definition, {});
    assert.equal(status, 'SUCCEEDED', cause);
    assert.deepEqual(output, { before: { a: 1, b: 2 }, a: 2, b: 1 });
  });

  it('Parallel branches and Map iterations read outer variables; what they assign stays inside', async () => {
    const sfn = sfnClient(env.endpoint);
    const definition = {
      QueryLanguage: 'JSONata',
      StartAt: 'Init',
      States: {
        Init: { Type: 'Pass', Assign: { base: 100 }, Next: 'Each' },
        Each: {
          Type: 'Map',
          Items: [1, 2],
          ItemProcessor: {
            StartAt: 'Local',
            States: {
              Local: { Type: 'Pass', Assign: { local: '{% $base + $states.input %}' }, Next: 'Use' },
              Use: { Type: 'Pass', Output: '{% $local %}', End: true },
            },
          },
          Assign: { sums: '{% $states.result %}' },
          Next: 'Check',
        },
        Check: { Type: 'Pass', Output: { sums: '{% $sums %}', base: '{% $base %}', localOutside: '{% $exists($local) %}' }, End: true },
      },
    };
    const { status, output, cause } = await runSync(sfn, definition, {});
    assert.equal(status, 'SUCCEEDED', cause);
    assert.deepEqual(output, { sums: [101, 102], base: 100, localOutside: false });
  });

  it('a Catch assigns from the error output', async () => {
    const sfn = sfnClient(env.endpoint);
    const definition = {
      StartAt: 'Try',
      States: {
        Try: { Type: 'Parallel', Branches: [{ StartAt: 'Boom', States: { Boom: { Type: 'Fail', Error: 'Oops', Cause: 'bad' } } }], Catch: [{ ErrorEquals: ['Oops'], Assign: { 'why.$': '$.Cause' }, ResultPath: '$.error', Next: 'Report' }], End: true },
        Report: { Type: 'Pass', Parameters: { 'why.$': '$why', 'error.$': '$.error.Error' }, End: true },
      },
    };
    const { status, output, cause } = await runSync(sfn, definition, {});
    assert.equal(status, 'SUCCEEDED', cause);
    assert.deepEqual(output, { why: 'bad', error: 'Oops' });
  });

  it('an unknown variable in a path is States.Runtime', async () => {
    const sfn = sfnClient(env.endpoint);
    const { status, error, cause } = await runSync(sfn, { StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'x.$': '$nothing' }, End: true } } }, {});
    assert.deepEqual([status, error], ['FAILED', 'States.Runtime']);
    assert.match(cause!, /^An error occurred while executing the state 'P' \(entered at the event id #2\)\. The JSONPath '\$nothing' specified for the field 'x\.\$' could not be found/);
  });

  it('payloads and assignments over 256 KiB fail with States.DataLimitExceeded, which States.ALL does not catch', async () => {
    const sfn = sfnClient(env.endpoint);
    const big = 'x'.repeat(300 * 1024);
    const tooBigOutput = {
      StartAt: 'Grow',
      States: {
        Grow: { Type: 'Parallel', Branches: [{ StartAt: 'B', States: { B: { Type: 'Pass', Result: big, End: true } } }], Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }], End: true },
        Caught: { Type: 'Succeed' },
      },
    };
    const arn = await createMachine(sfn, tooBigOutput);
    const done = await run(sfn, arn, {});
    assert.equal(done.status, 'FAILED');
    assert.equal(done.error, 'States.DataLimitExceeded');
    assert.equal(done.cause, "The state/task 'B' returned a result with a size exceeding the maximum number of bytes service limit.");
    const events = await history(sfn, done.executionArn!);
    assert.equal(events.at(-1)!.type, 'ExecutionFailed');
    const assigned = await runSync(sfn, { QueryLanguage: 'JSONata', StartAt: 'A', States: { A: { Type: 'Pass', Assign: { v: "{% $pad('', 300000, 'x') %}" }, Output: 'small', End: true } } }, {});
    assert.deepEqual([assigned.status, assigned.error], ['FAILED', 'States.DataLimitExceeded']);
  });
});
