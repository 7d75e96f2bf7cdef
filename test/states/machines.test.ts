import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  DescribeStateMachineCommand,
  ListStateMachinesCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateStateMachineCommand,
  ValidateStateMachineDefinitionCommand,
} from '@aws-sdk/client-sfn';
import { awsCli, awsCliFails, boto3, hasAwsCli, hasBoto3, useFogbank } from '../support/fogbank.js';
import { ROLE, createMachine, sfnClient, uniqueName } from './support.js';

const env = useFogbank();

const PASS = { StartAt: 'Only', States: { Only: { Type: 'Pass', End: true } } };

async function rejectsWith(promise: Promise<unknown>, code: string, message?: string | RegExp) {
  await assert.rejects(promise, (e: Error) => {
    assert.equal(e.name, code);
    if (typeof message === 'string') assert.equal(e.message, message);
    else if (message) assert.match(e.message, message);
    return true;
  });
}

describe('Step Functions state machines', () => {
  it('creates, describes, lists, updates and deletes a Standard machine', async () => {
    const sfn = sfnClient(env.endpoint);
    const name = uniqueName('crud');
    const created = await sfn.send(new CreateStateMachineCommand({ name, definition: JSON.stringify(PASS), roleArn: ROLE }));
    assert.equal(created.stateMachineArn, `arn:aws:states:us-east-1:000000000000:stateMachine:${name}`);
    assert.ok(created.creationDate instanceof Date);

    const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: created.stateMachineArn }));
    assert.equal(described.name, name);
    assert.equal(described.status, 'ACTIVE');
    assert.equal(described.type, 'STANDARD');
    assert.equal(described.roleArn, ROLE);
    assert.deepEqual(JSON.parse(described.definition!), PASS);
    assert.deepEqual(described.loggingConfiguration, { level: 'OFF', includeExecutionData: false });
    assert.deepEqual(described.tracingConfiguration, { enabled: false });

    const listed = await sfn.send(new ListStateMachinesCommand({}));
    assert.ok(listed.stateMachines!.some((m) => m.name === name && m.type === 'STANDARD'));

    const changed = { StartAt: 'Two', States: { Two: { Type: 'Succeed' } } };
    const updated = await sfn.send(new UpdateStateMachineCommand({ stateMachineArn: created.stateMachineArn, definition: JSON.stringify(changed) }));
    assert.ok(updated.updateDate instanceof Date);
    assert.ok(updated.revisionId && updated.revisionId !== described.revisionId);
    const after = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: created.stateMachineArn }));
    assert.deepEqual(JSON.parse(after.definition!), changed);

    await sfn.send(new DeleteStateMachineCommand({ stateMachineArn: created.stateMachineArn }));
    await rejectsWith(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: created.stateMachineArn })), 'StateMachineDoesNotExist', `State Machine Does Not Exist: '${created.stateMachineArn}'`);
    // Deleting again succeeds.
    await sfn.send(new DeleteStateMachineCommand({ stateMachineArn: created.stateMachineArn }));
  });

  it('an Express machine is created with its type', async () => {
    const sfn = sfnClient(env.endpoint);
    const arn = await createMachine(sfn, PASS, 'EXPRESS');
    assert.equal((await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }))).type, 'EXPRESS');
  });

  it('the same create again is idempotent; a different definition under the name is StateMachineAlreadyExists', async () => {
    const sfn = sfnClient(env.endpoint);
    const name = uniqueName('dup');
    const first = await sfn.send(new CreateStateMachineCommand({ name, definition: JSON.stringify(PASS), roleArn: ROLE }));
    const again = await sfn.send(new CreateStateMachineCommand({ name, definition: JSON.stringify(PASS), roleArn: ROLE }));
    assert.equal(again.stateMachineArn, first.stateMachineArn);
    assert.equal(again.creationDate!.getTime(), first.creationDate!.getTime());
    const other = { StartAt: 'X', States: { X: { Type: 'Succeed' } } };
    await rejectsWith(sfn.send(new CreateStateMachineCommand({ name, definition: JSON.stringify(other), roleArn: ROLE })), 'StateMachineAlreadyExists', `State Machine Already Exists: '${first.stateMachineArn}'`);
  });

  it('rejects invalid definitions with InvalidDefinition and AWS diagnostics', async () => {
    const sfn = sfnClient(env.endpoint);
    const create = (definition: unknown) => sfn.send(new CreateStateMachineCommand({ name: uniqueName('bad'), definition: typeof definition === 'string' ? definition : JSON.stringify(definition), roleArn: ROLE }));
    await rejectsWith(create({ States: { A: { Type: 'Pass', End: true } } }), 'InvalidDefinition', "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: These fields are required: [StartAt] at /'");
    await rejectsWith(create({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Nowhere' } } }), 'InvalidDefinition', "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: Nowhere at /States/A/Next'");
    await rejectsWith(create({ StartAt: 'A', States: { A: { End: true } } }), 'InvalidDefinition', "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: These fields are required: [Type] at /States/A'");
    await rejectsWith(create({ StartAt: 'A', States: { A: { Type: 'Pass' } } }), 'InvalidDefinition', /SCHEMA_VALIDATION_FAILED: .*Next.*End.* at \/States\/A'/);
    await rejectsWith(create({ StartAt: 'A', States: { A: { Type: 'Sleep', End: true } } }), 'InvalidDefinition', /SCHEMA_VALIDATION_FAILED: .*'Sleep'.* at \/States\/A\/Type'/);
    await rejectsWith(create({ StartAt: 'A', States: { A: { Type: 'Pass', End: true }, B: { Type: 'Pass', End: true } } }), 'InvalidDefinition', `Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: State "B" is not reachable. at /States/B'`);
    await rejectsWith(create('{not json'), 'InvalidDefinition', /^Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: /);
    await rejectsWith(create({ StartAt: 'A', States: { A: { Type: 'Pass', Parameters: { 'x.$': 'nope' }, End: true } } }), 'InvalidDefinition', /The value for the field 'x\.\$' must be a valid JSONPath or a valid intrinsic function call at \/States\/A\/Parameters/);
    await rejectsWith(create({ StartAt: 'T', States: { T: { Type: 'Task', Resource: 'not-an-arn', End: true } } }), 'InvalidDefinition', /INVALID_RESOURCE: The resource provided not-an-arn not recognized/);
    // Nested branches are checked too.
    const nested = { StartAt: 'P', States: { P: { Type: 'Parallel', End: true, Branches: [{ StartAt: 'B', States: { B: { Type: 'Pass', Next: 'Gone' } } }] } } };
    await rejectsWith(create(nested), 'InvalidDefinition', /Missing 'Next' target: Gone at \/States\/P\/Branches\[0\]\/States\/B\/Next/);
    await rejectsWith(sfn.send(new CreateStateMachineCommand({ name: uniqueName('role'), definition: JSON.stringify(PASS), roleArn: 'not-a-role' })), 'InvalidArn');
    await rejectsWith(sfn.send(new CreateStateMachineCommand({ name: 'has space', definition: JSON.stringify(PASS), roleArn: ROLE })), 'InvalidName', "Invalid Name: 'has space'");
    // The server still answers.
    assert.ok(await createMachine(sfn, PASS));
  });

  it('ValidateStateMachineDefinition reports OK or the diagnostics', async () => {
    const sfn = sfnClient(env.endpoint);
    const ok = await sfn.send(new ValidateStateMachineDefinitionCommand({ definition: JSON.stringify(PASS) }));
    assert.equal(ok.result, 'OK');
    assert.deepEqual(ok.diagnostics, []);
    const bad = await sfn.send(new ValidateStateMachineDefinitionCommand({ definition: JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Z' } } }) }));
    assert.equal(bad.result, 'FAIL');
    assert.deepEqual(bad.diagnostics, [{ severity: 'ERROR', code: 'MISSING_TRANSITION_TARGET', message: "Missing 'Next' target: Z", location: '/States/A/Next' }]);
  });

  it('describing or updating an unknown machine, or a malformed ARN, answers AWS errors', async () => {
    const sfn = sfnClient(env.endpoint);
    const missing = 'arn:aws:states:us-east-1:000000000000:stateMachine:nope';
    await rejectsWith(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: missing })), 'StateMachineDoesNotExist');
    await rejectsWith(sfn.send(new UpdateStateMachineCommand({ stateMachineArn: missing, definition: JSON.stringify(PASS) })), 'StateMachineDoesNotExist');
    await rejectsWith(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: 'arn:aws:sqs:us-east-1:000000000000:q' })), 'InvalidArn');
    const arn = await createMachine(sfn, PASS);
    await rejectsWith(sfn.send(new UpdateStateMachineCommand({ stateMachineArn: arn, definition: JSON.stringify({ StartAt: 'Q', States: {} }) })), 'InvalidDefinition', /Missing 'Next' target: Q at \/StartAt/);
  });

  it('lists machines page by page', async () => {
    const sfn = sfnClient(env.endpoint);
    for (let i = 0; i < 3; i++) await createMachine(sfn, PASS);
    const seen: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await sfn.send(new ListStateMachinesCommand({ maxResults: 2, nextToken }));
      assert.ok(page.stateMachines!.length <= 2);
      seen.push(...page.stateMachines!.map((m) => m.name!));
      nextToken = page.nextToken;
    } while (nextToken);
    assert.deepEqual(seen, [...seen].sort());
    assert.ok(seen.length >= 3);
    await rejectsWith(sfn.send(new ListStateMachinesCommand({ nextToken: 'garbage' })), 'InvalidToken');
  });

  it('tags machines', async () => {
    const sfn = sfnClient(env.endpoint);
    const name = uniqueName('tags');
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name, definition: JSON.stringify(PASS), roleArn: ROLE, tags: [{ key: 'team', value: 'a' }] }));
    await sfn.send(new TagResourceCommand({ resourceArn: stateMachineArn, tags: [{ key: 'env', value: 'dev' }, { key: 'team', value: 'b' }] }));
    assert.deepEqual((await sfn.send(new ListTagsForResourceCommand({ resourceArn: stateMachineArn }))).tags, [{ key: 'team', value: 'b' }, { key: 'env', value: 'dev' }]);
    await sfn.send(new UntagResourceCommand({ resourceArn: stateMachineArn, tagKeys: ['team'] }));
    assert.deepEqual((await sfn.send(new ListTagsForResourceCommand({ resourceArn: stateMachineArn }))).tags, [{ key: 'env', value: 'dev' }]);
    await rejectsWith(sfn.send(new ListTagsForResourceCommand({ resourceArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:none' })), 'ResourceNotFound');
  });

  it('works from the AWS CLI', { skip: !hasAwsCli && 'needs the AWS CLI' }, async () => {
    const name = uniqueName('cli');
    const { json } = await awsCli(env.endpoint, ['stepfunctions', 'create-state-machine', '--name', name, '--definition', JSON.stringify(PASS), '--role-arn', ROLE]);
    const arn = (json as { stateMachineArn: string }).stateMachineArn;
    assert.equal(arn, `arn:aws:states:us-east-1:000000000000:stateMachine:${name}`);
    const described = (await awsCli(env.endpoint, ['stepfunctions', 'describe-state-machine', '--state-machine-arn', arn])).json as { name: string; type: string };
    assert.equal(described.name, name);
    assert.equal(described.type, 'STANDARD');
    const failed = await awsCliFails(env.endpoint, ['stepfunctions', 'create-state-machine', '--name', uniqueName('cli'), '--definition', '{"States":{}}', '--role-arn', ROLE]);
    assert.match(failed.stderr, /InvalidDefinition/);
  });

  it('works from boto3, including start_sync_execution', { skip: !hasBoto3 && 'needs python3 with boto3' }, async () => {
    const script = `
import boto3, json
from botocore.config import Config
# start_sync_execution's endpoint has the host prefix "sync-"; offline, turn host prefixes off.
sfn = boto3.client('stepfunctions', config=Config(inject_host_prefix=False))
arn = sfn.create_state_machine(name='boto-${process.pid}', definition=json.dumps({'StartAt': 'P', 'States': {'P': {'Type': 'Pass', 'Result': {'ok': True}, 'End': True}}}), roleArn='${ROLE}', type='EXPRESS')['stateMachineArn']
out = sfn.start_sync_execution(stateMachineArn=arn, input='{}')
try:
    sfn.describe_state_machine(stateMachineArn=arn + 'x')
    code = None
except sfn.exceptions.StateMachineDoesNotExist as e:
    code = e.response['Error']['Code']
print(json.dumps({'status': out['status'], 'output': out['output'], 'code': code}))
`;
    assert.deepEqual(await boto3(env.endpoint, script), { status: 'SUCCEEDED', output: '{"ok":true}', code: 'StateMachineDoesNotExist' });
  });
});
