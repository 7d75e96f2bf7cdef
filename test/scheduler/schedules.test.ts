import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateScheduleCommand,
  CreateScheduleGroupCommand,
  DeleteScheduleCommand,
  DeleteScheduleGroupCommand,
  GetScheduleCommand,
  GetScheduleGroupCommand,
  ListScheduleGroupsCommand,
  ListSchedulesCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { awsCli, awsCliFails, boto3, hasAwsCli, hasBoto3, useFogbank } from '../support/fogbank.js';
import { ACCOUNT, OFF, ROLE, schedulerClient, unique } from './helpers.js';

const env = useFogbank();
const QUEUE_ARN = `arn:aws:sqs:us-east-1:${ACCOUNT}:somewhere`;

/** Expects AWS's error name and message, then shows the server still answers. */
async function rejects(promise: Promise<unknown>, name: string, message?: string) {
  await assert.rejects(promise, (e: Error) => {
    assert.equal(e.name, name);
    if (message !== undefined) assert.equal(e.message, message);
    return true;
  });
  const { Schedules } = await schedulerClient(env.endpoint).send(new ListSchedulesCommand({}));
  assert.ok(Array.isArray(Schedules));
}

describe('schedules', () => {
  it('CreateSchedule stores the schedule in the default group with AWS defaults; GetSchedule returns it', async () => {
    const sc = schedulerClient(env.endpoint);
    const name = unique('daily');
    const { ScheduleArn } = await sc.send(
      new CreateScheduleCommand({ Name: name, ScheduleExpression: 'cron(0 9 * * ? *)', FlexibleTimeWindow: OFF, Target: { Arn: QUEUE_ARN, RoleArn: ROLE, Input: 'hello' } }),
    );
    assert.equal(ScheduleArn, `arn:aws:scheduler:us-east-1:${ACCOUNT}:schedule/default/${name}`);
    const got = await sc.send(new GetScheduleCommand({ Name: name }));
    assert.equal(got.Arn, ScheduleArn);
    assert.equal(got.GroupName, 'default');
    assert.equal(got.State, 'ENABLED');
    assert.equal(got.ActionAfterCompletion, 'NONE');
    assert.equal(got.ScheduleExpressionTimezone, 'UTC');
    assert.deepEqual(got.FlexibleTimeWindow, { Mode: 'OFF' });
    assert.deepEqual(got.Target, { Arn: QUEUE_ARN, RoleArn: ROLE, Input: 'hello', RetryPolicy: { MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 185 } });
    assert.ok(got.CreationDate instanceof Date && got.LastModificationDate instanceof Date);
    assert.equal(got.Description, undefined);
  });

  it('UpdateSchedule replaces every field but the creation date', async () => {
    const sc = schedulerClient(env.endpoint);
    const name = unique('upd');
    await sc.send(
      new CreateScheduleCommand({ Name: name, Description: 'first', ScheduleExpression: 'rate(1 hour)', FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 }, Target: { Arn: QUEUE_ARN, RoleArn: ROLE } }),
    );
    const before = await sc.send(new GetScheduleCommand({ Name: name }));
    env.fogbank.advanceClock(1000);
    await sc.send(
      new UpdateScheduleCommand({ Name: name, ScheduleExpression: 'rate(2 minute)', State: 'DISABLED', ActionAfterCompletion: 'DELETE', FlexibleTimeWindow: OFF, Target: { Arn: QUEUE_ARN, RoleArn: ROLE } }),
    );
    const after = await sc.send(new GetScheduleCommand({ Name: name }));
    assert.equal(after.Description, undefined);
    assert.equal(after.ScheduleExpression, 'rate(2 minute)');
    assert.equal(after.State, 'DISABLED');
    assert.equal(after.ActionAfterCompletion, 'DELETE');
    assert.deepEqual(after.CreationDate, before.CreationDate);
    assert.ok(after.LastModificationDate! > before.LastModificationDate!);
  });

  it('ListSchedules filters by group, name prefix and state, and pages with NextToken', async () => {
    const sc = schedulerClient(env.endpoint);
    const group = unique('grp');
    await sc.send(new CreateScheduleGroupCommand({ Name: group }));
    for (const [name, state] of [['a1', 'ENABLED'], ['a2', 'DISABLED'], ['a3', 'ENABLED'], ['b1', 'ENABLED']] as const) {
      await sc.send(new CreateScheduleCommand({ Name: name, GroupName: group, State: state, ScheduleExpression: 'rate(1 day)', FlexibleTimeWindow: OFF, Target: { Arn: QUEUE_ARN, RoleArn: ROLE } }));
    }
    const inGroup = await sc.send(new ListSchedulesCommand({ GroupName: group }));
    assert.deepEqual(inGroup.Schedules!.map((s) => s.Name), ['a1', 'a2', 'a3', 'b1']);
    assert.deepEqual(inGroup.Schedules![0]!.Target, { Arn: QUEUE_ARN });
    assert.equal(inGroup.Schedules![0]!.GroupName, group);
    const prefixed = await sc.send(new ListSchedulesCommand({ GroupName: group, NamePrefix: 'a', State: 'ENABLED' }));
    assert.deepEqual(prefixed.Schedules!.map((s) => s.Name), ['a1', 'a3']);
    const first = await sc.send(new ListSchedulesCommand({ GroupName: group, MaxResults: 3 }));
    assert.equal(first.Schedules!.length, 3);
    assert.ok(first.NextToken);
    const second = await sc.send(new ListSchedulesCommand({ GroupName: group, MaxResults: 3, NextToken: first.NextToken }));
    assert.deepEqual(second.Schedules!.map((s) => s.Name), ['b1']);
    assert.equal(second.NextToken, undefined);
  });

  it('DeleteSchedule removes it; GetSchedule then answers ResourceNotFoundException', async () => {
    const sc = schedulerClient(env.endpoint);
    const name = unique('gone');
    await sc.send(new CreateScheduleCommand({ Name: name, ScheduleExpression: 'rate(1 day)', FlexibleTimeWindow: OFF, Target: { Arn: QUEUE_ARN, RoleArn: ROLE } }));
    await sc.send(new DeleteScheduleCommand({ Name: name }));
    await rejects(sc.send(new GetScheduleCommand({ Name: name })), 'ResourceNotFoundException', `Schedule ${name} does not exist.`);
    await rejects(sc.send(new DeleteScheduleCommand({ Name: name })), 'ResourceNotFoundException', `Schedule ${name} does not exist.`);
  });
});

describe('schedule groups and tags', () => {
  it('the default group exists implicitly; groups are created, listed, tagged, and deleted with their schedules', async () => {
    const sc = schedulerClient(env.endpoint);
    const def = await sc.send(new GetScheduleGroupCommand({ Name: 'default' }));
    assert.equal(def.Arn, `arn:aws:scheduler:us-east-1:${ACCOUNT}:schedule-group/default`);
    assert.equal(def.State, 'ACTIVE');
    const name = unique('team');
    const { ScheduleGroupArn } = await sc.send(new CreateScheduleGroupCommand({ Name: name, Tags: [{ Key: 'owner', Value: 'ops' }] }));
    assert.equal(ScheduleGroupArn, `arn:aws:scheduler:us-east-1:${ACCOUNT}:schedule-group/${name}`);
    const listed = await sc.send(new ListScheduleGroupsCommand({ NamePrefix: 'team-' }));
    assert.ok(listed.ScheduleGroups!.some((g) => g.Name === name && g.Arn === ScheduleGroupArn && g.State === 'ACTIVE'));
    const all = await sc.send(new ListScheduleGroupsCommand({}));
    assert.ok(all.ScheduleGroups!.some((g) => g.Name === 'default'));

    await sc.send(new TagResourceCommand({ ResourceArn: ScheduleGroupArn, Tags: [{ Key: 'env', Value: 'test' }, { Key: 'owner', Value: 'dev' }] }));
    assert.deepEqual((await sc.send(new ListTagsForResourceCommand({ ResourceArn: ScheduleGroupArn }))).Tags, [
      { Key: 'owner', Value: 'dev' },
      { Key: 'env', Value: 'test' },
    ]);
    await sc.send(new UntagResourceCommand({ ResourceArn: ScheduleGroupArn, TagKeys: ['owner'] }));
    assert.deepEqual((await sc.send(new ListTagsForResourceCommand({ ResourceArn: ScheduleGroupArn }))).Tags, [{ Key: 'env', Value: 'test' }]);

    await sc.send(new CreateScheduleCommand({ Name: 'inside', GroupName: name, ScheduleExpression: 'rate(1 day)', FlexibleTimeWindow: OFF, Target: { Arn: QUEUE_ARN, RoleArn: ROLE } }));
    await sc.send(new DeleteScheduleGroupCommand({ Name: name }));
    await rejects(sc.send(new GetScheduleGroupCommand({ Name: name })), 'ResourceNotFoundException', `Schedule group ${name} does not exist.`);
    await rejects(sc.send(new GetScheduleCommand({ Name: 'inside', GroupName: name })), 'ResourceNotFoundException');
    // A group of the same name starts empty.
    await sc.send(new CreateScheduleGroupCommand({ Name: name }));
    assert.deepEqual((await sc.send(new ListSchedulesCommand({ GroupName: name }))).Schedules, []);
  });

  it('tagging a group that does not exist answers ResourceNotFoundException', async () => {
    const sc = schedulerClient(env.endpoint);
    const arn = `arn:aws:scheduler:us-east-1:${ACCOUNT}:schedule-group/nope`;
    await rejects(sc.send(new ListTagsForResourceCommand({ ResourceArn: arn })), 'ResourceNotFoundException', 'Schedule group nope does not exist.');
    await rejects(sc.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'a', Value: 'b' }] })), 'ResourceNotFoundException');
  });
});

describe('validation and conflicts', () => {
  const create = (overrides: Record<string, unknown>) =>
    schedulerClient(env.endpoint).send(
      new CreateScheduleCommand({ Name: unique('bad'), ScheduleExpression: 'rate(1 day)', FlexibleTimeWindow: OFF, Target: { Arn: QUEUE_ARN, RoleArn: ROLE }, ...overrides }),
    );

  it('invalid schedule expressions answer ValidationException naming the expression', async () => {
    for (const expression of ['rate(10 seconds)', 'rate(0 minutes)', 'rate(foo minutes)', ' rate(10 minutes)', 'cron(0 1 * * * *)', 'cron(71 8 1 * ? *)', 'cron()', 'at(2021-12-31)', 'at(2026-02-30T10:00:00)', 'every day']) {
      await rejects(create({ ScheduleExpression: expression }), 'ValidationException', `Invalid Schedule Expression ${expression}.`);
    }
  });

  it('an existing name answers ConflictException; a missing group ResourceNotFoundException', async () => {
    const sc = schedulerClient(env.endpoint);
    const name = unique('dup');
    await create({ Name: name });
    await rejects(create({ Name: name }), 'ConflictException', `Schedule ${name} already exists.`);
    const group = unique('g');
    await sc.send(new CreateScheduleGroupCommand({ Name: group }));
    await rejects(sc.send(new CreateScheduleGroupCommand({ Name: group })), 'ConflictException', `Schedule group ${group} already exists.`);
    await rejects(sc.send(new CreateScheduleGroupCommand({ Name: 'default' })), 'ConflictException', 'Schedule group default already exists.');
    await rejects(create({ GroupName: 'missing-group' }), 'ResourceNotFoundException', 'Schedule group missing-group does not exist.');
    await rejects(
      sc.send(new UpdateScheduleCommand({ Name: 'never-made', ScheduleExpression: 'rate(1 day)', FlexibleTimeWindow: OFF, Target: { Arn: QUEUE_ARN, RoleArn: ROLE } })),
      'ResourceNotFoundException',
      'Schedule never-made does not exist.',
    );
  });

  it('time zones, flexible windows and dates are checked', async () => {
    const now = env.fogbank.clock.now();
    await rejects(create({ ScheduleExpressionTimezone: 'Mars/Olympus_Mons' }), 'ValidationException');
    await rejects(create({ FlexibleTimeWindow: { Mode: 'FLEXIBLE' } }), 'ValidationException');
    await rejects(create({ StartDate: new Date(now + 7_200_000), EndDate: new Date(now + 3_600_000) }), 'ValidationException');
    await rejects(create({ StartDate: new Date(now - 3_600_000) }), 'ValidationException');
    await rejects(schedulerClient(env.endpoint).send(new DeleteScheduleGroupCommand({ Name: 'default' })), 'ValidationException');
    // A real zone is fine.
    await create({ ScheduleExpression: 'cron(0 9 ? * MON-FRI *)', ScheduleExpressionTimezone: 'Europe/Berlin' });
  });
});

describe('other clients', () => {
  it('AWS CLI creates a group and a schedule, reads them back, and shows errors', { skip: !hasAwsCli }, async () => {
    const group = unique('cli');
    await awsCli(env.endpoint, ['scheduler', 'create-schedule-group', '--name', group]);
    await awsCli(env.endpoint, [
      'scheduler', 'create-schedule', '--name', 'nightly', '--group-name', group, '--schedule-expression', 'cron(0 2 * * ? *)',
      '--schedule-expression-timezone', 'America/New_York', '--flexible-time-window', 'Mode=OFF', '--target', JSON.stringify({ Arn: QUEUE_ARN, RoleArn: ROLE }),
    ]);
    const { json } = await awsCli(env.endpoint, ['scheduler', 'get-schedule', '--name', 'nightly', '--group-name', group]);
    const got = json as { ScheduleExpressionTimezone: string; GroupName: string };
    assert.equal(got.ScheduleExpressionTimezone, 'America/New_York');
    assert.equal(got.GroupName, group);
    const failed = await awsCliFails(env.endpoint, ['scheduler', 'get-schedule', '--name', 'missing']);
    assert.match(failed.stderr, /ResourceNotFoundException/);
    assert.match(failed.stderr, /Schedule missing does not exist\./);
  });

  it('boto3 creates and lists schedules', { skip: !hasBoto3 }, async () => {
    const out = (await boto3(
      env.endpoint,
      `
import boto3, json
sc = boto3.client('scheduler')
sc.create_schedule(Name='from-boto3', ScheduleExpression='rate(5 minutes)', FlexibleTimeWindow={'Mode': 'OFF'}, Target={'Arn': '${QUEUE_ARN}', 'RoleArn': '${ROLE}'})
names = [s['Name'] for s in sc.list_schedules(NamePrefix='from-boto')['Schedules']]
try:
    sc.create_schedule(Name='from-boto3', ScheduleExpression='rate(5 minutes)', FlexibleTimeWindow={'Mode': 'OFF'}, Target={'Arn': '${QUEUE_ARN}', 'RoleArn': '${ROLE}'})
    code = None
except sc.exceptions.ConflictException as e:
    code = e.response['Error']['Code']
print(json.dumps({'names': names, 'code': code}))
`,
    )) as { names: string[]; code: string };
    assert.deepEqual(out, { names: ['from-boto3'], code: 'ConflictException' });
  });
});
