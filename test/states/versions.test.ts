import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateStateMachineAliasCommand, CreateStateMachineCommand, DeleteStateMachineAliasCommand, DeleteStateMachineVersionCommand, DescribeExecutionCommand, DescribeStateMachineAliasCommand,
  DescribeStateMachineCommand, ListExecutionsCommand, ListStateMachineAliasesCommand, ListStateMachineVersionsCommand, PublishStateMachineVersionCommand, StartExecutionCommand,
  UpdateStateMachineAliasCommand, UpdateStateMachineCommand,
} from '@aws-sdk/client-sfn';
import { expectAwsError } from '../support/errors.js';
import { useFogbank } from '../support/fogbank.js';
import { ROLE, sfnClient, uniqueName, waitForEnd } from './support.js';

const env = useFogbank();
const returning = (value: string) => JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', Result: value, End: true } } });

describe('Step Functions versions and aliases', () => {
  it('publishes versions on create, update and PublishStateMachineVersion; executions run the version they name', async () => {
    const sfn = sfnClient(env.endpoint);
    const name = uniqueName('versioned');
    const created = await sfn.send(new CreateStateMachineCommand({ name, definition: returning('v1'), roleArn: ROLE, publish: true, versionDescription: 'first' }));
    const machineArn = created.stateMachineArn!;
    assert.equal(created.stateMachineVersionArn, `${machineArn}:1`);
    // Publishing the same revision again answers the same version.
    assert.equal((await sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn: machineArn }))).stateMachineVersionArn, `${machineArn}:1`);
    const updated = await sfn.send(new UpdateStateMachineCommand({ stateMachineArn: machineArn, definition: returning('v2'), publish: true }));
    assert.equal(updated.stateMachineVersionArn, `${machineArn}:2`);
    await expectAwsError(sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn: machineArn, revisionId: 'stale' })), { name: 'ConflictException' });
    const listed = await sfn.send(new ListStateMachineVersionsCommand({ stateMachineArn: machineArn }));
    assert.deepEqual(listed.stateMachineVersions!.map((v) => v.stateMachineVersionArn), [`${machineArn}:2`, `${machineArn}:1`]);
    const v1 = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: `${machineArn}:1` }));
    assert.deepEqual([v1.stateMachineArn, v1.definition, v1.description], [`${machineArn}:1`, returning('v1'), 'first']);
    await expectAwsError(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: `${machineArn}:9` })), { name: 'ResourceNotFound', message: `Resource not found: '${machineArn}:9'` });

    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: `${machineArn}:1`, input: '{}' }));
    assert.match(executionArn!, new RegExp(`:execution:${name}:`));
    const done = await waitForEnd(sfn, executionArn!);
    assert.deepEqual([done.output, done.stateMachineVersionArn, done.stateMachineArn], ['"v1"', `${machineArn}:1`, machineArn]);
    const latest = await waitForEnd(sfn, (await sfn.send(new StartExecutionCommand({ stateMachineArn: machineArn, input: '{}' }))).executionArn!);
    assert.equal(latest.output, '"v2"');
    const byVersion = await sfn.send(new ListExecutionsCommand({ stateMachineArn: `${machineArn}:1` }));
    assert.deepEqual(byVersion.executions!.map((e) => e.executionArn), [executionArn]);
  });

  it('aliases route executions to versions by weight, and protect the versions they use', async () => {
    const sfn = sfnClient(env.endpoint);
    const created = await sfn.send(new CreateStateMachineCommand({ name: uniqueName('aliased'), definition: returning('one'), roleArn: ROLE, publish: true }));
    const machineArn = created.stateMachineArn!;
    const v2 = (await sfn.send(new UpdateStateMachineCommand({ stateMachineArn: machineArn, definition: returning('two'), publish: true }))).stateMachineVersionArn!;
    const { stateMachineAliasArn } = await sfn.send(new CreateStateMachineAliasCommand({ name: 'live', description: 'prod', routingConfiguration: [{ stateMachineVersionArn: `${machineArn}:1`, weight: 100 }] }));
    assert.equal(stateMachineAliasArn, `${machineArn}:live`);
    const done = await waitForEnd(sfn, (await sfn.send(new StartExecutionCommand({ stateMachineArn: stateMachineAliasArn, input: '{}' }))).executionArn!);
    assert.deepEqual([done.output, done.stateMachineAliasArn, done.stateMachineVersionArn], ['"one"', stateMachineAliasArn, `${machineArn}:1`]);

    await sfn.send(new UpdateStateMachineAliasCommand({ stateMachineAliasArn, routingConfiguration: [{ stateMachineVersionArn: `${machineArn}:1`, weight: 50 }, { stateMachineVersionArn: v2, weight: 50 }] }));
    const outputs = new Set<string>();
    for (let i = 0; i < 24 && outputs.size < 2; i++) outputs.add((await waitForEnd(sfn, (await sfn.send(new StartExecutionCommand({ stateMachineArn: stateMachineAliasArn, input: '{}' }))).executionArn!)).output!);
    assert.deepEqual([...outputs].sort(), ['"one"', '"two"']);
    const described = await sfn.send(new DescribeStateMachineAliasCommand({ stateMachineAliasArn }));
    assert.deepEqual([described.name, described.description, described.routingConfiguration!.length], ['live', 'prod', 2]);
    assert.equal((await sfn.send(new ListStateMachineAliasesCommand({ stateMachineArn: machineArn }))).stateMachineAliases![0]!.stateMachineAliasArn, stateMachineAliasArn);
    const byAlias = await sfn.send(new ListExecutionsCommand({ stateMachineArn: stateMachineAliasArn }));
    assert.ok(byAlias.executions!.length >= 2);
    assert.ok((await sfn.send(new DescribeExecutionCommand({ executionArn: byAlias.executions![0]!.executionArn }))).stateMachineAliasArn);

    await expectAwsError(sfn.send(new CreateStateMachineAliasCommand({ name: 'bad', routingConfiguration: [{ stateMachineVersionArn: `${machineArn}:1`, weight: 60 }] })), { name: 'ValidationException', message: 'Sum of routing configuration weights must be equal to 100. Current sum: 60' });
    await expectAwsError(sfn.send(new CreateStateMachineAliasCommand({ name: 'live', routingConfiguration: [{ stateMachineVersionArn: v2, weight: 100 }] })), { name: 'ConflictException' });
    await expectAwsError(sfn.send(new DeleteStateMachineVersionCommand({ stateMachineVersionArn: v2 })), { name: 'ConflictException', message: 'Version to be deleted must not be referenced by an alias. Current list of aliases referencing this version: [live]' });
    await sfn.send(new DeleteStateMachineAliasCommand({ stateMachineAliasArn }));
    await expectAwsError(sfn.send(new DescribeStateMachineAliasCommand({ stateMachineAliasArn })), { name: 'ResourceNotFound' });
    await sfn.send(new DeleteStateMachineVersionCommand({ stateMachineVersionArn: v2 }));
    assert.deepEqual((await sfn.send(new ListStateMachineVersionsCommand({ stateMachineArn: machineArn }))).stateMachineVersions!.map((v) => v.stateMachineVersionArn), [`${machineArn}:1`]);
  });
});
