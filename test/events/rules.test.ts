import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateEventBusCommand,
  DeleteEventBusCommand,
  DeleteRuleCommand,
  DescribeEventBusCommand,
  DescribeRuleCommand,
  DisableRuleCommand,
  EnableRuleCommand,
  ListEventBusesCommand,
  ListRuleNamesByTargetCommand,
  ListRulesCommand,
  ListTagsForResourceCommand,
  ListTargetsByRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  TagResourceCommand,
  TestEventPatternCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-eventbridge';
import { expectAwsError } from '../support/errors.js';
import { useFogbank } from '../support/fogbank.js';
import { ACCOUNT, eventsClient, unique } from './helpers.js';

const env = useFogbank();
const QUEUE_ARN = `arn:aws:sqs:us-east-1:${ACCOUNT}:somewhere`;

describe('EventBridge buses', () => {
  it('every account and region has the default bus', async () => {
    const eb = eventsClient(env.endpoint, 'eu-west-1');
    const bus = await eb.send(new DescribeEventBusCommand({}));
    assert.equal(bus.Name, 'default');
    assert.equal(bus.Arn, `arn:aws:events:eu-west-1:${ACCOUNT}:event-bus/default`);
    const listed = await eb.send(new ListEventBusesCommand({}));
    assert.deepEqual(listed.EventBuses, [{ Name: 'default', Arn: bus.Arn }]);
  });

  it('creates, describes by name or ARN, lists with a prefix and pages, and deletes custom buses', async () => {
    const eb = eventsClient(env.endpoint);
    const name = unique('orders');
    const { EventBusArn } = await eb.send(new CreateEventBusCommand({ Name: name, Tags: [{ Key: 'team', Value: 'a' }] }));
    assert.equal(EventBusArn, `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/${name}`);
    assert.equal((await eb.send(new DescribeEventBusCommand({ Name: EventBusArn }))).Name, name);
    await eb.send(new CreateEventBusCommand({ Name: `${name}-b` }));
    const prefixed = await eb.send(new ListEventBusesCommand({ NamePrefix: name }));
    assert.deepEqual(prefixed.EventBuses!.map((b) => b.Name), [name, `${name}-b`]);
    const first = await eb.send(new ListEventBusesCommand({ NamePrefix: name, Limit: 1 }));
    assert.equal(first.EventBuses!.length, 1);
    const second = await eb.send(new ListEventBusesCommand({ NamePrefix: name, Limit: 1, NextToken: first.NextToken }));
    assert.deepEqual(second.EventBuses!.map((b) => b.Name), [`${name}-b`]);
    assert.equal(second.NextToken, undefined);
    assert.deepEqual((await eb.send(new ListTagsForResourceCommand({ ResourceARN: EventBusArn }))).Tags, [{ Key: 'team', Value: 'a' }]);
    await eb.send(new DeleteEventBusCommand({ Name: name }));
    await expectAwsError(eb.send(new DescribeEventBusCommand({ Name: name })), { name: 'ResourceNotFoundException', message: `Event bus ${name} does not exist.` });
    // Deleting again is not an error.
    await eb.send(new DeleteEventBusCommand({ Name: name }));
  });

  it('refuses a duplicate bus and deleting the default bus', async () => {
    const eb = eventsClient(env.endpoint);
    const name = unique('dup');
    await eb.send(new CreateEventBusCommand({ Name: name }));
    await expectAwsError(eb.send(new CreateEventBusCommand({ Name: name })), { name: 'ResourceAlreadyExistsException', message: `Event bus ${name} already exists.` });
    await expectAwsError(eb.send(new CreateEventBusCommand({ Name: 'default' })), { name: 'ResourceAlreadyExistsException' });
    await expectAwsError(eb.send(new DeleteEventBusCommand({ Name: 'default' })), { name: 'ValidationException', message: 'Cannot delete event bus default.' });
    assert.equal((await eb.send(new DescribeEventBusCommand({}))).Name, 'default');
  });
});

describe('EventBridge rules', () => {
  it('PutRule creates and replaces a rule; DescribeRule shows it as AWS does', async () => {
    const eb = eventsClient(env.endpoint);
    const name = unique('rule');
    const pattern = JSON.stringify({ source: ['my.application'], 'detail-type': ['UserCreated'] });
    const { RuleArn } = await eb.send(new PutRuleCommand({ Name: name, EventPattern: pattern, Description: 'users', RoleArn: `arn:aws:iam::${ACCOUNT}:role/r` }));
    assert.equal(RuleArn, `arn:aws:events:us-east-1:${ACCOUNT}:rule/${name}`);
    const described = await eb.send(new DescribeRuleCommand({ Name: name }));
    assert.deepEqual(
      { ...described, $metadata: undefined },
      { $metadata: undefined, Name: name, Arn: RuleArn, EventPattern: pattern, State: 'ENABLED', Description: 'users', RoleArn: `arn:aws:iam::${ACCOUNT}:role/r`, EventBusName: 'default', CreatedBy: ACCOUNT },
    );
    await eb.send(new PutRuleCommand({ Name: name, ScheduleExpression: 'rate(5 minutes)', State: 'DISABLED' }));
    const replaced = await eb.send(new DescribeRuleCommand({ Name: name }));
    assert.equal(replaced.EventPattern, undefined);
    assert.equal(replaced.Description, undefined);
    assert.equal(replaced.ScheduleExpression, 'rate(5 minutes)');
    assert.equal(replaced.State, 'DISABLED');
  });

  it('rules on a custom bus have the bus in their ARN; schedules are for the default bus only', async () => {
    const eb = eventsClient(env.endpoint);
    const bus = unique('bus');
    await eb.send(new CreateEventBusCommand({ Name: bus }));
    const { RuleArn } = await eb.send(new PutRuleCommand({ Name: 'r1', EventBusName: bus, EventPattern: '{"source":["x"]}' }));
    assert.equal(RuleArn, `arn:aws:events:us-east-1:${ACCOUNT}:rule/${bus}/r1`);
    assert.equal((await eb.send(new DescribeRuleCommand({ Name: 'r1', EventBusName: bus }))).EventBusName, bus);
    await expectAwsError(eb.send(new DescribeRuleCommand({ Name: 'r1' })), { name: 'ResourceNotFoundException', message: 'Rule r1 does not exist on EventBus default.' });
    await expectAwsError(eb.send(new PutRuleCommand({ Name: 'r2', EventBusName: bus, ScheduleExpression: 'rate(1 minute)' })), {
      name: 'ValidationException',
      message: 'ScheduleExpression is supported only on the default event bus.',
    });
    await expectAwsError(eb.send(new PutRuleCommand({ Name: 'r3', EventBusName: 'nope', EventPattern: '{"source":["x"]}' })), { name: 'ResourceNotFoundException', message: 'Event bus nope does not exist.' });
  });

  it('PutRule needs a pattern or a schedule, and validates both with AWS errors', async () => {
    const eb = eventsClient(env.endpoint);
    await expectAwsError(eb.send(new PutRuleCommand({ Name: 'empty' })), { name: 'ValidationException', message: 'Parameter(s) EventPattern or ScheduleExpression must be specified.' });
    await expectAwsError(eb.send(new PutRuleCommand({ Name: 'bad', EventPattern: '{"source":"x"}' })), {
      name: 'InvalidEventPatternException',
      message: /^Event pattern is not valid\. Reason: /,
    });
    await expectAwsError(eb.send(new PutRuleCommand({ Name: 'bad', EventPattern: 'not json' })), { name: 'InvalidEventPatternException', message: /^Event pattern is not valid\. Reason: / });
    for (const expression of ['rate(1 minutes)', 'rate(5 minute)', 'rate(0 minutes)', 'rate(5 weeks)', 'cron(0 2 * * *)', 'cron(0 2 * * * *)', 'cron(0 2 ? * ? *)', 'cron(60 2 * * ? *)', 'cron(0 2 32 * ? *)', 'every day']) {
      await expectAwsError(eb.send(new PutRuleCommand({ Name: 'bad', ScheduleExpression: expression })), { name: 'ValidationException', message: 'Parameter ScheduleExpression is not valid.' });
    }
    for (const expression of ['rate(1 minute)', 'rate(2 hours)', 'rate(1 day)', 'cron(0 2 * * ? *)', 'cron(0/15 * ? * MON-FRI *)', 'cron(0 10 L * ? *)', 'cron(0 10 15W * ? *)', 'cron(0 10 ? * 6#3 *)', 'cron(0 10 ? * 2L *)', 'cron(0 18 ? JAN-MAR SUN 2030)']) {
      await eb.send(new PutRuleCommand({ Name: unique('ok'), ScheduleExpression: expression }));
    }
    await expectAwsError(eb.send(new DescribeRuleCommand({ Name: 'bad' })), { name: 'ResourceNotFoundException' });
  });

  it('ListRules filters by prefix and pages; Enable/DisableRule switch the state', async () => {
    const eb = eventsClient(env.endpoint);
    const bus = unique('listbus');
    await eb.send(new CreateEventBusCommand({ Name: bus }));
    for (const n of ['alpha-1', 'alpha-2', 'alpha-3', 'beta']) await eb.send(new PutRuleCommand({ Name: n, EventBusName: bus, EventPattern: '{"source":["s"]}' }));
    const all = await eb.send(new ListRulesCommand({ EventBusName: bus }));
    assert.deepEqual(all.Rules!.map((r) => r.Name), ['alpha-1', 'alpha-2', 'alpha-3', 'beta']);
    assert.equal(all.Rules![0]!.EventBusName, bus);
    const page1 = await eb.send(new ListRulesCommand({ EventBusName: bus, NamePrefix: 'alpha', Limit: 2 }));
    assert.deepEqual(page1.Rules!.map((r) => r.Name), ['alpha-1', 'alpha-2']);
    const page2 = await eb.send(new ListRulesCommand({ EventBusName: bus, NamePrefix: 'alpha', Limit: 2, NextToken: page1.NextToken }));
    assert.deepEqual(page2.Rules!.map((r) => r.Name), ['alpha-3']);
    assert.equal(page2.NextToken, undefined);
    await expectAwsError(eb.send(new ListRulesCommand({ EventBusName: bus, NextToken: 'garbage' })), { name: 'ValidationException' });
    await eb.send(new DisableRuleCommand({ Name: 'beta', EventBusName: bus }));
    assert.equal((await eb.send(new DescribeRuleCommand({ Name: 'beta', EventBusName: bus }))).State, 'DISABLED');
    await eb.send(new EnableRuleCommand({ Name: 'beta', EventBusName: bus }));
    assert.equal((await eb.send(new DescribeRuleCommand({ Name: 'beta', EventBusName: bus }))).State, 'ENABLED');
    await expectAwsError(eb.send(new EnableRuleCommand({ Name: 'nope', EventBusName: bus })), { name: 'ResourceNotFoundException', message: `Rule nope does not exist on EventBus ${bus}.` });
  });

  it('targets: put, replace by id, list, find rules by target, remove; at most five; a rule with targets cannot be deleted', async () => {
    const eb = eventsClient(env.endpoint);
    const name = unique('targets');
    await eb.send(new PutRuleCommand({ Name: name, EventPattern: '{"source":["s"]}' }));
    const put = await eb.send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: 'b', Arn: QUEUE_ARN }, { Id: 'a', Arn: QUEUE_ARN, Input: '{"k":1}' }] }));
    assert.equal(put.FailedEntryCount, 0);
    assert.deepEqual(put.FailedEntries, []);
    await eb.send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: 'a', Arn: QUEUE_ARN, InputPath: '$.detail' }] }));
    const listed = await eb.send(new ListTargetsByRuleCommand({ Rule: name }));
    assert.deepEqual(listed.Targets, [{ Id: 'a', Arn: QUEUE_ARN, InputPath: '$.detail' }, { Id: 'b', Arn: QUEUE_ARN }]);
    const byTarget = await eb.send(new ListRuleNamesByTargetCommand({ TargetArn: QUEUE_ARN }));
    assert.ok(byTarget.RuleNames!.includes(name));
    await expectAwsError(
      eb.send(new PutTargetsCommand({ Rule: name, Targets: ['c', 'd', 'e', 'f'].map((Id) => ({ Id, Arn: QUEUE_ARN })) })),
      { name: 'LimitExceededException', message: 'The requested resource exceeds the maximum number allowed.' },
    );
    assert.equal((await eb.send(new ListTargetsByRuleCommand({ Rule: name }))).Targets!.length, 2);
    await expectAwsError(eb.send(new DeleteRuleCommand({ Name: name })), { name: 'ValidationException', message: "Rule can't be deleted since it has targets." });
    const removed = await eb.send(new RemoveTargetsCommand({ Rule: name, Ids: ['a', 'b', 'never-there'] }));
    assert.equal(removed.FailedEntryCount, 0);
    await eb.send(new DeleteRuleCommand({ Name: name }));
    await expectAwsError(eb.send(new ListTargetsByRuleCommand({ Rule: name })), { name: 'ResourceNotFoundException', message: `Rule ${name} does not exist on EventBus default.` });
  });

  it('PutTargets rejects bad targets with AWS errors', async () => {
    const eb = eventsClient(env.endpoint);
    const name = unique('badtargets');
    await eb.send(new PutRuleCommand({ Name: name, EventPattern: '{"source":["s"]}' }));
    await expectAwsError(eb.send(new PutTargetsCommand({ Rule: 'missing', Targets: [{ Id: 'a', Arn: QUEUE_ARN }] })), { name: 'ResourceNotFoundException', message: 'Rule missing does not exist on EventBus default.' });
    await expectAwsError(eb.send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: 'a', Arn: `${QUEUE_ARN}.fifo` }] })), {
      name: 'ValidationException',
      message: 'Parameter(s) SqsParameters must be specified for target: a.',
    });
    await expectAwsError(eb.send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: 'a', Arn: QUEUE_ARN, Input: '{}', InputPath: '$' }] })), { name: 'ValidationException' });
    await expectAwsError(eb.send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: 'a', Arn: QUEUE_ARN, Input: '{nope' }] })), { name: 'ValidationException' });
    assert.deepEqual((await eb.send(new ListTargetsByRuleCommand({ Rule: name }))).Targets, []);
  });

  it('tags on rules: tag, list, untag; unknown resources are not found', async () => {
    const eb = eventsClient(env.endpoint);
    const name = unique('tagged');
    const { RuleArn } = await eb.send(new PutRuleCommand({ Name: name, EventPattern: '{"source":["s"]}', Tags: [{ Key: 'a', Value: '1' }] }));
    await eb.send(new TagResourceCommand({ ResourceARN: RuleArn, Tags: [{ Key: 'b', Value: '2' }, { Key: 'a', Value: '3' }] }));
    assert.deepEqual((await eb.send(new ListTagsForResourceCommand({ ResourceARN: RuleArn }))).Tags, [{ Key: 'a', Value: '3' }, { Key: 'b', Value: '2' }]);
    await eb.send(new UntagResourceCommand({ ResourceARN: RuleArn, TagKeys: ['a'] }));
    assert.deepEqual((await eb.send(new ListTagsForResourceCommand({ ResourceARN: RuleArn }))).Tags, [{ Key: 'b', Value: '2' }]);
    await expectAwsError(eb.send(new ListTagsForResourceCommand({ ResourceARN: `arn:aws:events:us-east-1:${ACCOUNT}:rule/ghost` })), {
      name: 'ResourceNotFoundException',
      message: 'Rule ghost does not exist on EventBus default.',
    });
  });

  it('TestEventPattern matches with the shared engine and reports bad patterns and events', async () => {
    const eb = eventsClient(env.endpoint);
    const event = JSON.stringify({ id: '1', 'detail-type': 'UserCreated', source: 'my.application', account: ACCOUNT, time: '2026-01-01T00:00:00Z', region: 'us-east-1', resources: [], detail: { plan: 'pro', seats: 12 } });
    const yes = await eb.send(new TestEventPatternCommand({ Event: event, EventPattern: JSON.stringify({ source: ['my.application'], detail: { seats: [{ numeric: ['>', 10] }] } }) }));
    assert.equal(yes.Result, true);
    const no = await eb.send(new TestEventPatternCommand({ Event: event, EventPattern: JSON.stringify({ detail: { plan: [{ 'anything-but': 'pro' }] } }) }));
    assert.equal(no.Result, false);
    await expectAwsError(eb.send(new TestEventPatternCommand({ Event: event, EventPattern: '{"detail":{"plan":[{"numeric":["<"]}]}}' })), { name: 'InvalidEventPatternException', message: /^Event pattern is not valid\. Reason: / });
    await expectAwsError(eb.send(new TestEventPatternCommand({ Event: '{"source":"x"}', EventPattern: '{"source":["x"]}' })), { name: 'ValidationException', message: 'Parameter Event is not valid.' });
    await expectAwsError(eb.send(new TestEventPatternCommand({ Event: 'nope', EventPattern: '{"source":["x"]}' })), { name: 'ValidationException', message: 'Parameter Event is not valid.' });
  });
});
