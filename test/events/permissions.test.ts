import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CreateEventBusCommand, DescribeEventBusCommand, ListEventBusesCommand, PutPermissionCommand, RemovePermissionCommand } from '@aws-sdk/client-eventbridge';
import { expectAwsError } from '../support/errors.js';
import { awsCli, hasAwsCli, useFogbank } from '../support/fogbank.js';
import { ACCOUNT, eventsClient, unique } from './helpers.js';

const env = useFogbank();

async function policyOf(name: string) {
  const { Policy } = await eventsClient(env.endpoint).send(new DescribeEventBusCommand({ Name: name }));
  return Policy === undefined ? undefined : JSON.parse(Policy);
}

async function newBus() {
  const name = unique('bus');
  await eventsClient(env.endpoint).send(new CreateEventBusCommand({ Name: name }));
  return { name, arn: `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/${name}` };
}

describe('event bus permissions', () => {
  it('PutPermission adds statements for an account and for an organization, shown as the bus Policy', async () => {
    const eb = eventsClient(env.endpoint);
    const bus = await newBus();
    assert.equal(await policyOf(bus.name), undefined, 'a new bus has no policy');
    await eb.send(new PutPermissionCommand({ EventBusName: bus.name, Action: 'events:PutEvents', Principal: '111122223333', StatementId: 'partner' }));
    await eb.send(
      new PutPermissionCommand({ EventBusName: bus.name, Action: 'events:PutEvents', Principal: '*', StatementId: 'org', Condition: { Type: 'StringEquals', Key: 'aws:PrincipalOrgID', Value: 'o-1234567890' } }),
    );
    assert.deepEqual(await policyOf(bus.name), {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'partner', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'events:PutEvents', Resource: bus.arn },
        { Sid: 'org', Effect: 'Allow', Principal: '*', Action: 'events:PutEvents', Resource: bus.arn, Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-1234567890' } } },
      ],
    });
    const listed = await eb.send(new ListEventBusesCommand({ NamePrefix: bus.name }));
    assert.deepEqual(JSON.parse(listed.EventBuses![0]!.Policy!), await policyOf(bus.name));

    // A statement for the same account replaces the old one.
    await eb.send(new PutPermissionCommand({ EventBusName: bus.name, Action: 'events:PutEvents', Principal: '111122223333', StatementId: 'renamed' }));
    assert.deepEqual((await policyOf(bus.name)).Statement.map((s: { Sid: string }) => s.Sid), ['org', 'renamed']);

    await eb.send(new RemovePermissionCommand({ EventBusName: bus.name, StatementId: 'org' }));
    assert.deepEqual((await policyOf(bus.name)).Statement.map((s: { Sid: string }) => s.Sid), ['renamed']);
    await eb.send(new RemovePermissionCommand({ EventBusName: bus.name, StatementId: 'renamed' }));
    assert.equal(await policyOf(bus.name), undefined, 'the last statement removed leaves no policy');
  });

  it('the default bus takes permissions; Policy sets the whole document; RemoveAllPermissions clears it', async () => {
    const eb = eventsClient(env.endpoint);
    await eb.send(new PutPermissionCommand({ Action: 'events:PutEvents', Principal: '444455556666', StatementId: 'default-partner' }));
    assert.equal((await policyOf('default')).Statement[0].Resource, `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/default`);
    const bus = await newBus();
    const document = {
      Version: '2012-10-17',
      Statement: [{ Sid: 'whole', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::777788889999:root' }, Action: ['events:PutEvents', 'events:PutRule'], Resource: bus.arn }],
    };
    await eb.send(new PutPermissionCommand({ EventBusName: bus.name, Policy: JSON.stringify(document) }));
    assert.deepEqual(await policyOf(bus.name), document);
    await eb.send(new RemovePermissionCommand({ EventBusName: bus.name, RemoveAllPermissions: true }));
    assert.equal(await policyOf(bus.name), undefined);
    await eb.send(new RemovePermissionCommand({ RemoveAllPermissions: true }));
    assert.equal(await policyOf('default'), undefined);
  });

  it("refuses what AWS refuses, with AWS's errors", async () => {
    const eb = eventsClient(env.endpoint);
    const bus = await newBus();
    const put = (input: ConstructorParameters<typeof PutPermissionCommand>[0]) => eb.send(new PutPermissionCommand({ EventBusName: bus.name, ...input }));
    await expectAwsError(put({ Action: 'events:PutEvents', Principal: '12345', StatementId: 's' }), {
      name: 'ValidationException',
      message: "1 validation error detected: Value '12345' at 'principal' failed to satisfy constraint: Member must satisfy regular expression pattern: (\\d{12}|\\*)",
    });
    await expectAwsError(put({ Action: 'events:PutEvents', Principal: '111122223333', StatementId: 'bad id' }), {
      name: 'ValidationException',
      message: "1 validation error detected: Value 'bad id' at 'statementId' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9-_]+",
    });
    await expectAwsError(put({ Action: 'events:PutRule', Principal: '111122223333', StatementId: 's' }), { name: 'ValidationException', message: "Provided value in parameter 'action' is not supported." });
    await expectAwsError(put({ Action: 'events:PutEvents', StatementId: 's' }), { name: 'ValidationException', message: 'Parameter Principal must be specified.' });
    await expectAwsError(put({ Action: 'events:PutEvents', Principal: '111122223333', StatementId: 's', Condition: { Type: 'StringEquals', Key: 'aws:PrincipalOrgID', Value: 'o-1' } }), {
      name: 'ValidationException',
      message: "Value of the parameter 'principal' must be '*' when the parameter 'condition' is set.",
    });
    await expectAwsError(put({ Policy: '{not json' }), { name: 'ValidationException', message: 'This policy contains invalid Json' });
    const huge = { Version: '2012-10-17', Statement: Array.from({ length: 80 }, (_, i) => ({ Sid: `s${i}`, Effect: 'Allow', Principal: '*', Action: 'events:PutEvents', Resource: bus.arn })) };
    await expectAwsError(put({ Policy: JSON.stringify(huge) }), { name: 'PolicyLengthExceededException' });
    await expectAwsError(eb.send(new PutPermissionCommand({ EventBusName: 'ghost', Action: 'events:PutEvents', Principal: '111122223333', StatementId: 's' })), {
      name: 'ResourceNotFoundException',
      message: 'Event bus ghost does not exist.',
    });
    await expectAwsError(eb.send(new RemovePermissionCommand({ EventBusName: bus.name, StatementId: 'nothing' })), { name: 'ResourceNotFoundException', message: 'EventBus does not have a policy.' });
    await put({ Action: 'events:PutEvents', Principal: '111122223333', StatementId: 'kept' });
    await expectAwsError(eb.send(new RemovePermissionCommand({ EventBusName: bus.name, StatementId: 'nothing' })), {
      name: 'ResourceNotFoundException',
      message: 'Statement with the provided id does not exist.',
    });
    assert.equal((await policyOf(bus.name)).Statement.length, 1, 'failed calls changed nothing, and the server still answers');
  });

  it('the AWS CLI grants and revokes', { skip: !hasAwsCli }, async () => {
    const bus = await newBus();
    await awsCli(env.endpoint, ['events', 'put-permission', '--event-bus-name', bus.name, '--action', 'events:PutEvents', '--principal', '111122223333', '--statement-id', 'cli']);
    const described = (await awsCli(env.endpoint, ['events', 'describe-event-bus', '--name', bus.name])).json as { Policy: string };
    assert.equal(JSON.parse(described.Policy).Statement[0].Sid, 'cli');
    await awsCli(env.endpoint, ['events', 'remove-permission', '--event-bus-name', bus.name, '--statement-id', 'cli']);
    assert.equal(await policyOf(bus.name), undefined);
  });
});
