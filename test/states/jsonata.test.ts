import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CreateStateMachineCommand, DescribeExecutionCommand, ListStateMachinesCommand, StartExecutionCommand, StartSyncExecutionCommand, ValidateStateMachineDefinitionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { expectAwsError } from '../support/errors.js';
import { useFogbank } from '../support/fogbank.js';
import { ROLE, createMachine, history, run, sfnClient, uniqueName, waitForEvent } from './support.js';

const env = useFogbank();

async function runSync(sfn: SFNClient, definition: unknown, input: unknown) {
  const arn = await createMachine(sfn, definition, 'EXPRESS');
  const out = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: arn, input: JSON.stringify(input) }));
  return { status: out.status, output: out.output === undefined ? undefined : JSON.parse(out.output), error: out.error, cause: out.cause };
}

const jsonata = (States: Record<string, unknown>, StartAt = Object.keys(States)[0]!) => ({ QueryLanguage: 'JSONata', StartAt, States });

describe('Amazon States Language (JSONata)', () => {
  it('Output, Assign, Choice Conditions and $states across a machine, with its history', async () => {
    const sfn = sfnClient(env.endpoint);
    const definition = jsonata({
      Start: { Type: 'Pass', Assign: { total: '{% $sum($states.input.items.price) %}', who: '{% $states.input.customer %}' }, Output: { count: '{% $count($states.input.items) %}', name: '{% $states.context.Execution.Name %}' }, Next: 'Big?' },
      'Big?': {
        Type: 'Choice',
        Choices: [{ Condition: '{% $total > 100 %}', Assign: { label: 'big' }, Next: 'Done' }],
        Default: 'Done',
        Assign: { label: 'small', seen: true },
      },
      Done: { Type: 'Succeed', Output: { label: '{% $label %}', seen: '{% $seen %}', total: '{% $total %}', who: '{% $who %}', count: '{% $states.input.count %}', name: '{% $states.input.name %}' } },
    });
    const arn = await createMachine(sfn, definition);
    const done = await run(sfn, arn, { customer: 'ada', items: [{ price: 70 }, { price: 40 }] }, 'jsonata-run');
    assert.equal(done.status, 'SUCCEEDED', done.cause);
    // The rule's Assign overrides the state-level one; the state-level one still applies.
    assert.deepEqual(JSON.parse(done.output!), { label: 'big', seen: true, total: 110, who: 'ada', count: 2, name: 'jsonata-run' });
    const events = await history(sfn, done.executionArn!);
    assert.deepEqual(events.map((e) => e.type), ['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'ChoiceStateEntered', 'ChoiceStateExited', 'SucceedStateEntered', 'SucceedStateExited', 'ExecutionSucceeded']);
    assert.equal(events[2]!.stateExitedEventDetails!.output, '{"count":2,"name":"jsonata-run"}');
  });

  it('a JSONata state inside a JSONPath machine, and the default Output of each state type', async () => {
    const sfn = sfnClient(env.endpoint);
    const definition = {
      StartAt: 'Path',
      States: {
        Path: { Type: 'Pass', Parameters: { 'n.$': '$.n' }, Next: 'Ata' },
        Ata: { Type: 'Pass', QueryLanguage: 'JSONata', Output: '{% $states.input.n * 2 %}', Next: 'Keep' },
        Keep: { Type: 'Wait', QueryLanguage: 'JSONata', Seconds: 0, Next: 'Branches' },
        Branches: {
          Type: 'Parallel',
          QueryLanguage: 'JSONata',
          Arguments: { value: '{% $states.input %}' },
          Branches: [
            { StartAt: 'A', States: { A: { Type: 'Pass', End: true } } },
            { StartAt: 'B', States: { B: { Type: 'Pass', Result: 'b', End: true } } },
          ],
          End: true,
        },
      },
    };
    const { status, output, cause } = await runSync(sfn, definition, { n: 21 });
    assert.equal(status, 'SUCCEEDED', cause);
    // Branches inherit the machine's language (JSONPath): A passes its input, B its Result.
    assert.deepEqual(output, [{ value: 42 }, 'b']);
  });

  it("AWS's added functions: $partition, $range, $hash, $random with a seed, $uuid, $parse; no $eval", async () => {
    const sfn = sfnClient(env.endpoint);
    const Output = {
      partition: '{% $partition([1,2,3,4,5], 2) %}',
      range: '{% $range(0, 10, 5) %}',
      down: '{% $range(3, 1, -1) %}',
      hash: "{% $hash('abc', 'SHA-256') %}",
      md5: "{% $hash('abc', 'MD5') %}",
      seeded: '{% $random(42) = $random(42) %}',
      unseeded: '{% $random() < 1 %}',
      uuid: '{% $uuid() %}',
      parsed: '{% $parse($states.input.text) %}',
      builtin: "{% $join($map([1,2], function($v) { $string($v) }), '-') %}",
    };
    const { status, output, cause } = await runSync(sfn, jsonata({ P: { Type: 'Pass', Output, End: true } }), { text: '{"a":[1,{"b":null}]}' });
    assert.equal(status, 'SUCCEEDED', cause);
    const { uuid, ...rest } = output as Record<string, unknown>;
    assert.match(String(uuid), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.deepEqual(rest, {
      partition: [[1, 2], [3, 4], [5]],
      range: [0, 5, 10],
      down: [3, 2, 1],
      hash: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
      md5: '900150983cd24fb0d6963f7d28e17f72',
      seeded: true,
      unseeded: true,
      parsed: { a: [1, { b: null }] },
      builtin: '1-2',
    });
    const evaluated = await runSync(sfn, jsonata({ P: { Type: 'Pass', Output: "{% $eval('1 + 1') %}", End: true } }), {});
    assert.equal(evaluated.error, 'States.QueryEvaluationError');
    assert.equal(evaluated.cause, "An error occurred while executing the state 'P' (entered at the event id #2). The JSONata expression '$eval('1 + 1')' specified for the field 'Output' threw an error during evaluation. T1006: Attempted to invoke a non-function");
  });

  it('$now and $millis follow Fogbank’s clock', async () => {
    const sfn = sfnClient(env.endpoint);
    const arn = await createMachine(sfn, jsonata({ W: { Type: 'Wait', Seconds: '{% $states.input.wait %}', Next: 'P' }, P: { Type: 'Pass', Output: { now: '{% $now() %}', millis: '{% $millis() %}', entered: '{% $states.context.State.EnteredTime %}' }, End: true } }));
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{"wait": 86400}' }));
    await waitForEvent(sfn, executionArn!, 'WaitStateEntered');
    env.fogbank.advanceClock(86400_000);
    const done = await waitForEvent(sfn, executionArn!, 'ExecutionSucceeded');
    const output = JSON.parse(done.at(-1)!.executionSucceededEventDetails!.output!) as { now: string; millis: number; entered: string };
    // Evaluated as the state runs: the day the Wait moved the clock on is in it.
    const started = done[0]!.timestamp!.getTime();
    assert.ok(Date.parse(output.now) - Date.parse(output.entered) < 1000);
    assert.ok(Date.parse(output.now) >= started + 86400_000);
    assert.ok(Math.abs(Date.parse(output.now) - output.millis) < 1000);
  });

  it("an expression that yields nothing or throws is States.QueryEvaluationError, with AWS's cause, and Catch can handle it", async () => {
    const sfn = sfnClient(env.endpoint);
    const missing = await runSync(sfn, jsonata({ P: { Type: 'Pass', Output: { deep: { x: '{% $states.input.absent %}' } }, End: true } }), {});
    assert.equal(missing.status, 'FAILED');
    assert.equal(missing.error, 'States.QueryEvaluationError');
    assert.equal(missing.cause, "An error occurred while executing the state 'P' (entered at the event id #2). The JSONata expression '$states.input.absent' specified for the field 'Output/deep/x' returned nothing (undefined).");
    const typed = await runSync(sfn, jsonata({ C: { Type: 'Choice', Choices: [{ Condition: '{% $states.input.flag %}', Next: 'E' }] }, E: { Type: 'Succeed' } }), { flag: 'yes' });
    assert.equal(typed.error, 'States.QueryEvaluationError');
    assert.match(typed.cause!, /The JSONata expression '\$states\.input\.flag' specified for the field 'Condition' returned an unexpected result type\. Expected 'boolean', but was 'string' for value: "yes"$/);
    // A Parallel whose Arguments fail is caught by States.ALL; the catcher's Output sees $states.errorOutput.
    const caught = await runSync(
      sfn,
      jsonata({
        Par: { Type: 'Parallel', Arguments: '{% $number($states.input.n) + $states.input.nope %}', Branches: [{ StartAt: 'X', States: { X: { Type: 'Pass', End: true } } }], Catch: [{ ErrorEquals: ['States.ALL'], Output: { error: '{% $states.errorOutput.Error %}', input: '{% $states.input %}' }, Assign: { failed: true }, Next: 'After' }], Next: 'After' },
        After: { Type: 'Pass', Output: { error: '{% $states.input.error %}', failed: '{% $failed %}' }, End: true },
      }),
      { n: '1' },
    );
    assert.equal(caught.status, 'SUCCEEDED', caught.cause);
    assert.deepEqual(caught.output, { error: 'States.QueryEvaluationError', failed: true });
  });

  it('Map with Items, ItemSelector over $states.context.Map.Item, MaxConcurrency as an expression', async () => {
    const sfn = sfnClient(env.endpoint);
    const definition = jsonata({
      M: {
        Type: 'Map',
        Items: '{% $states.input.values %}',
        MaxConcurrency: '{% $states.input.limit %}',
        ItemSelector: { index: '{% $states.context.Map.Item.Index %}', value: '{% $states.context.Map.Item.Value %}', factor: '{% $factor %}' },
        ItemProcessor: { StartAt: 'Times', States: { Times: { Type: 'Pass', Output: '{% $states.input.value * $states.input.factor + $states.input.index %}', End: true } } },
        Output: { results: '{% $states.result %}' },
        End: true,
      },
    });
    const withVariable = { QueryLanguage: 'JSONata', StartAt: 'Init', States: { Init: { Type: 'Pass', Assign: { factor: 10 }, Next: 'M' }, ...definition.States } };
    const { status, output, cause } = await runSync(sfn, withVariable, { values: [1, 2, 3], limit: 1 });
    assert.equal(status, 'SUCCEEDED', cause);
    assert.deepEqual(output, { results: [10, 21, 32] });
    const notArray = await runSync(sfn, definition, { values: 'abc', limit: 0 });
    assert.equal(notArray.error, 'States.QueryEvaluationError');
    assert.match(notArray.cause!, /The JSONata expression '\$states\.input\.values' specified for the field 'Items' returned an unexpected result type\. Expected 'array', but was 'string'/);
  });

  it('Fail with Error and Cause expressions; Wait with a Timestamp expression', async () => {
    const sfn = sfnClient(env.endpoint);
    const failed = await runSync(sfn, jsonata({ F: { Type: 'Fail', Error: "{% 'Order.' & $states.input.kind %}", Cause: '{% $string($states.input.id) %}' } }), { kind: 'Rejected', id: 7 });
    assert.deepEqual([failed.status, failed.error, failed.cause], ['FAILED', 'Order.Rejected', '7']);
    const waited = await runSync(sfn, jsonata({ W: { Type: 'Wait', Timestamp: '{% $states.input.at %}', Output: 'done', End: true } }), { at: '2000-01-01T00:00:00Z' });
    assert.deepEqual([waited.status, waited.output], ['SUCCEEDED', 'done']);
  });

  it('rejects definitions that mix the languages, bad expressions and bad variable names, with diagnostics', async () => {
    const sfn = sfnClient(env.endpoint);
    const create = (definition: unknown) => sfn.send(new CreateStateMachineCommand({ name: uniqueName('bad'), definition: JSON.stringify(definition), roleArn: ROLE }));
    await expectAwsError(create(jsonata({ P: { Type: 'Pass', Parameters: { a: 1 }, End: true } })), { name: 'InvalidDefinition', message: `Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The field "Parameters" is not supported by Step Functions at /States/P/Parameters'` });
    await expectAwsError(create({ StartAt: 'P', States: { P: { Type: 'Pass', Output: 1, End: true } } }), { name: 'InvalidDefinition', message: `Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The field "Output" is not supported by Step Functions at /States/P/Output'` });
    await expectAwsError(create({ ...jsonata({ P: { Type: 'Pass', End: true } }), QueryLanguage: 'XPath' }), { name: 'InvalidDefinition', message: /Value is not a valid enum value: 'XPath'\. Valid values are: \[JSONPath, JSONata\] at \/QueryLanguage/ });
    await expectAwsError(create(jsonata({ P: { Type: 'Pass', Output: '{% $states.input.( %}', End: true } })), { name: 'InvalidDefinition', message: /SCHEMA_VALIDATION_FAILED: The JSONata expression '\$states\.input\.\(' is invalid: S0\d+: .* at \/States\/P\/Output/ });
    await expectAwsError(create(jsonata({ P: { Type: 'Pass', Assign: { '1x': 1 }, End: true } })), { name: 'InvalidDefinition', message: /The variable name '1x' is invalid/ });
    await expectAwsError(create(jsonata({ C: { Type: 'Choice', Choices: [{ Variable: '$.x', BooleanEquals: true, Next: 'E' }] }, E: { Type: 'Succeed' } })), { name: 'InvalidDefinition', message: /These fields are required: \[Condition\] at \/States\/C\/Choices\[0\]/ });
    const validated = await sfn.send(new ValidateStateMachineDefinitionCommand({ definition: JSON.stringify(jsonata({ P: { Type: 'Pass', ResultPath: '$.x', End: true } })) }));
    assert.equal(validated.result, 'FAIL');
    assert.equal(validated.diagnostics![0]!.location, '/States/P/ResultPath');
    // The server still answers.
    assert.ok((await sfn.send(new ListStateMachinesCommand({}))).stateMachines);
  });

  it('DescribeExecution reports a JSONata failure', async () => {
    const sfn = sfnClient(env.endpoint);
    const arn = await createMachine(sfn, jsonata({ P: { Type: 'Pass', Output: '{% $states.input.a.b %}', End: true } }));
    const done = await run(sfn, arn, { a: 1 });
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn: done.executionArn }));
    assert.equal(described.status, 'FAILED');
    assert.equal(described.error, 'States.QueryEvaluationError');
    const events = await history(sfn, done.executionArn!);
    assert.deepEqual(events.at(-1)!.executionFailedEventDetails, { error: described.error, cause: described.cause });
  });
});
