import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TestStateCommand } from '@aws-sdk/client-sfn';
import { expectAwsError } from '../support/errors.js';
import { useFogbank } from '../support/fogbank.js';
import { ROLE, sfnClient } from './support.js';

const env = useFogbank();

describe('Step Functions TestState', () => {
  it('runs one state: output, next state and, at DEBUG, each processing step', async () => {
    const sfn = sfnClient(env.endpoint);
    const definition = { Type: 'Pass', InputPath: '$.order', Parameters: { 'id.$': '$.id' }, Result: { stored: true }, ResultPath: '$.result', Next: 'Later' };
    const out = await sfn.send(new TestStateCommand({ definition: JSON.stringify(definition), roleArn: ROLE, input: '{"order":{"id":3}}', inspectionLevel: 'DEBUG' }));
    assert.deepEqual([out.status, out.nextState, JSON.parse(out.output!)], ['SUCCEEDED', 'Later', { order: { id: 3 }, result: { stored: true } }]);
    assert.deepEqual(out.inspectionData && { input: out.inspectionData.input, afterInputPath: out.inspectionData.afterInputPath, afterParameters: out.inspectionData.afterParameters }, { input: '{"order":{"id":3}}', afterInputPath: '{"id":3}', afterParameters: '{"id":3}' });
    const choice = { Type: 'Choice', Choices: [{ Variable: '$.n', NumericGreaterThan: 1, Next: 'Big' }], Default: 'Small' };
    const chosen = await sfn.send(new TestStateCommand({ definition: JSON.stringify(choice), roleArn: ROLE, input: '{"n":5}' }));
    assert.deepEqual([chosen.status, chosen.nextState, chosen.output], ['SUCCEEDED', 'Big', '{"n":5}']);
    const waited = await sfn.send(new TestStateCommand({ definition: JSON.stringify({ Type: 'Wait', Seconds: 86400, End: true }), roleArn: ROLE, input: '{}' }));
    assert.deepEqual([waited.status, waited.nextState], ['SUCCEEDED', undefined]);
  });

  it('reports FAILED, CAUGHT_ERROR and RETRIABLE for a failing task, and rejects invalid definitions', async () => {
    const sfn = sfnClient(env.endpoint);
    const task = { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:dynamodb:getItem', Parameters: { TableName: 'missing', Key: { pk: { S: 'x' } } }, End: true };
    const failed = await sfn.send(new TestStateCommand({ definition: JSON.stringify(task), roleArn: ROLE, input: '{}' }));
    assert.deepEqual([failed.status, failed.error], ['FAILED', 'DynamoDb.ResourceNotFoundException']);
    const caught = await sfn.send(new TestStateCommand({ definition: JSON.stringify({ ...task, Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Recover' }] }), roleArn: ROLE, input: '{"a":1}' }));
    assert.deepEqual([caught.status, caught.nextState, JSON.parse(caught.output!).error.Error], ['CAUGHT_ERROR', 'Recover', 'DynamoDb.ResourceNotFoundException']);
    const retriable = await sfn.send(new TestStateCommand({ definition: JSON.stringify({ ...task, Retry: [{ ErrorEquals: ['States.ALL'] }] }), roleArn: ROLE, input: '{}' }));
    assert.equal(retriable.status, 'RETRIABLE');
    await expectAwsError(sfn.send(new TestStateCommand({ definition: '{"Type":"Pass"', roleArn: ROLE })), { name: 'InvalidDefinition', message: /INVALID_JSON_DESCRIPTION/ });
    await expectAwsError(sfn.send(new TestStateCommand({ definition: JSON.stringify({ Type: 'Nope' }), roleArn: ROLE })), { name: 'InvalidDefinition', message: /Value is not a valid enum value: 'Nope'/ });
    const ok = await sfn.send(new TestStateCommand({ definition: JSON.stringify({ Type: 'Succeed' }), roleArn: ROLE, input: '"x"' }));
    assert.equal(ok.status, 'SUCCEEDED');
  });
});
