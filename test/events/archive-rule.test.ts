// Each archive has AWS's managed rule on its bus, Events-Archive-<name>, kept in step with it.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateArchiveCommand,
  CreateEventBusCommand,
  DeleteArchiveCommand,
  DeleteRuleCommand,
  DescribeArchiveCommand,
  DescribeRuleCommand,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  RemoveTargetsCommand,
  UpdateArchiveCommand,
} from '@aws-sdk/client-eventbridge';
import { expectAwsError } from '../support/errors.js';
import { useFogbank } from '../support/fogbank.js';
import { ACCOUNT, eventsClient, eventually, unique } from './helpers.js';

const env = useFogbank();

describe("the archive's managed rule", () => {
  it('CreateArchive adds Events-Archive-<name> to the bus; UpdateArchive changes its pattern; DeleteArchive removes it', async () => {
    const eb = eventsClient(env.endpoint);
    const bus = unique('bus');
    await eb.send(new CreateEventBusCommand({ Name: bus }));
    const busArn = `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/${bus}`;
    const name = unique('arch');
    const { ArchiveArn } = await eb.send(new CreateArchiveCommand({ ArchiveName: name, EventSourceArn: busArn, EventPattern: '{"source":["orders"]}' }));
    const ruleName = `Events-Archive-${name}`;

    const listed = await eb.send(new ListRulesCommand({ EventBusName: bus }));
    assert.deepEqual(listed.Rules!.map((r) => r.Name), [ruleName]);
    const rule = await eb.send(new DescribeRuleCommand({ Name: ruleName, EventBusName: bus }));
    assert.equal(rule.ManagedBy, 'prod.vhs.events.aws.internal');
    assert.equal(rule.State, 'ENABLED');
    assert.equal(rule.Arn, `arn:aws:events:us-east-1:${ACCOUNT}:rule/${bus}/${ruleName}`);
    assert.deepEqual(JSON.parse(rule.EventPattern!), { source: ['orders'], 'replay-name': [{ exists: false }] });
    const { Targets } = await eb.send(new ListTargetsByRuleCommand({ Rule: ruleName, EventBusName: bus }));
    assert.equal(Targets!.length, 1);
    assert.equal(Targets![0]!.Id, ruleName);
    assert.match(Targets![0]!.InputTransformer!.InputTemplate!, new RegExp(`"archive-arn": "${ArchiveArn}"`));

    // Events still reach the archive, and the rule's stand-in target causes no delivery failure.
    await eb.send(new PutEventsCommand({ Entries: [{ EventBusName: bus, Source: 'orders', DetailType: 't', Detail: '{}' }] }));
    await eventually(async () => ((await eb.send(new DescribeArchiveCommand({ ArchiveName: name }))).EventCount === 1 ? true : undefined), 'the archived event');

    await eb.send(new UpdateArchiveCommand({ ArchiveName: name, EventPattern: '{"source":["billing"]}' }));
    const updated = await eb.send(new DescribeRuleCommand({ Name: ruleName, EventBusName: bus }));
    assert.deepEqual(JSON.parse(updated.EventPattern!), { source: ['billing'], 'replay-name': [{ exists: false }] });

    await eb.send(new DeleteArchiveCommand({ ArchiveName: name }));
    assert.deepEqual((await eb.send(new ListRulesCommand({ EventBusName: bus }))).Rules, []);
  });

  it('an archive without a pattern has a rule matching every event not replayed', async () => {
    const eb = eventsClient(env.endpoint);
    const name = unique('all');
    await eb.send(new CreateArchiveCommand({ ArchiveName: name, EventSourceArn: `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/default` }));
    const rule = await eb.send(new DescribeRuleCommand({ Name: `Events-Archive-${name}` }));
    assert.deepEqual(JSON.parse(rule.EventPattern!), { 'replay-name': [{ exists: false }] });
    await eb.send(new DeleteArchiveCommand({ ArchiveName: name }));
  });

  it('DeleteRule and RemoveTargets refuse the managed rule without Force', async () => {
    const eb = eventsClient(env.endpoint);
    const name = unique('kept');
    await eb.send(new CreateArchiveCommand({ ArchiveName: name, EventSourceArn: `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/default` }));
    const ruleName = `Events-Archive-${name}`;
    const message = `${ruleName} is a managed rule. Set 'force' parameter to true to override.`;
    await expectAwsError(eb.send(new DeleteRuleCommand({ Name: ruleName })), { name: 'ManagedRuleException', message });
    await expectAwsError(eb.send(new RemoveTargetsCommand({ Rule: ruleName, Ids: [ruleName] })), { name: 'ManagedRuleException', message });
    assert.equal((await eb.send(new ListTargetsByRuleCommand({ Rule: ruleName }))).Targets!.length, 1, 'nothing changed');
    await eb.send(new RemoveTargetsCommand({ Rule: ruleName, Ids: [ruleName], Force: true }));
    await eb.send(new DeleteRuleCommand({ Name: ruleName, Force: true }));
    await expectAwsError(eb.send(new DescribeRuleCommand({ Name: ruleName })), { name: 'ResourceNotFoundException' });
    await eb.send(new DeleteArchiveCommand({ ArchiveName: name }));
  });
});
