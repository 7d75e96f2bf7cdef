import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CreateScheduleCommand, GetScheduleCommand, UpdateScheduleCommand } from '@aws-sdk/client-scheduler';
import { startFogbank } from '../../src/index.js';
import { nextFiring, parseExpression } from '../../src/services/scheduler/expression.js';
import { useFogbank } from '../support/fogbank.js';
import { ACCOUNT, OFF, ROLE, atExpression, collect, newQueue, schedulerClient, unique } from './helpers.js';

const env = useFogbank();

const next = (expression: string, zone: string, after: string) => {
  const t = nextFiring(parseExpression(expression), zone, Date.parse(after), Date.parse(after));
  return t === undefined ? undefined : new Date(t).toISOString();
};

describe('expressions in time zones', () => {
  it('cron() fields are wall-clock times in the schedule time zone, across daylight saving', () => {
    assert.equal(next('cron(0 9 * * ? *)', 'UTC', '2026-01-10T00:00:00Z'), '2026-01-10T09:00:00.000Z');
    assert.equal(next('cron(0 9 * * ? *)', 'America/New_York', '2026-01-10T00:00:00Z'), '2026-01-10T14:00:00.000Z'); // EST
    assert.equal(next('cron(0 9 * * ? *)', 'America/New_York', '2026-07-10T00:00:00Z'), '2026-07-10T13:00:00.000Z'); // EDT
    assert.equal(next('cron(30 9 * * ? *)', 'Asia/Kolkata', '2026-01-10T00:00:00Z'), '2026-01-10T04:00:00.000Z');
    // 08:00 in Tokyo on the 10th is 23:00 UTC on the 9th, already past at 23:30 UTC: next is the 11th.
    assert.equal(next('cron(0 8 * * ? *)', 'Asia/Tokyo', '2026-01-09T23:30:00Z'), '2026-01-10T23:00:00.000Z');
    assert.equal(next('cron(0 9 ? * MON *)', 'Europe/Berlin', '2026-03-27T00:00:00Z'), '2026-03-30T07:00:00.000Z'); // CEST from the 29th
  });

  it('at() is a wall-clock time in the zone, and fires only once', () => {
    assert.equal(next('at(2026-06-01T12:00:00)', 'Europe/London', '2026-05-01T00:00:00Z'), '2026-06-01T11:00:00.000Z');
    assert.equal(next('at(2026-06-01T12:00:00)', 'UTC', '2026-06-01T12:00:00Z'), undefined);
  });
});

describe('firing into targets', () => {
  it('rate() delivers the Input as-is to SQS every period, with context attributes filled in', async () => {
    const sc = schedulerClient(env.endpoint);
    const queue = await newQueue(env.endpoint);
    const name = unique('every5');
    const { ScheduleArn } = await sc.send(
      new CreateScheduleCommand({
        Name: name,
        ScheduleExpression: 'rate(5 minutes)',
        FlexibleTimeWindow: OFF,
        Target: { Arn: queue.arn, RoleArn: ROLE, Input: '{"job":"<aws.scheduler.schedule-arn>","at":"<aws.scheduler.scheduled-time>","try":<aws.scheduler.attempt-number>}' },
      }),
    );
    const created = env.fogbank.clock.now();
    env.fogbank.advanceClock(4 * 60_000);
    assert.equal((await collect(queue, 1, 200)).length, 0, 'nothing before the first period');
    env.fogbank.advanceClock(60_000);
    const [message] = await collect(queue, 1);
    const body = JSON.parse(message!.Body!);
    assert.deepEqual(body, { job: ScheduleArn, at: new Date(created + 5 * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z'), try: 1 });
    env.fogbank.advanceClock(5 * 60_000);
    assert.equal((await collect(queue, 1)).length, 1);
  });

  it('a disabled schedule does not fire until it is enabled', async () => {
    const sc = schedulerClient(env.endpoint);
    const queue = await newQueue(env.endpoint);
    const name = unique('off');
    const base = { Name: name, ScheduleExpression: 'rate(1 minute)', FlexibleTimeWindow: OFF, Target: { Arn: queue.arn, RoleArn: ROLE, Input: 'tick' } };
    await sc.send(new CreateScheduleCommand({ ...base, State: 'DISABLED' }));
    env.fogbank.advanceClock(3 * 60_000);
    assert.equal((await collect(queue, 1, 200)).length, 0);
    await sc.send(new UpdateScheduleCommand({ ...base, State: 'ENABLED' }));
    env.fogbank.advanceClock(60_000);
    const [message] = await collect(queue, 1);
    assert.equal(message!.Body, 'tick');
    await sc.send(new UpdateScheduleCommand({ ...base, State: 'DISABLED' }));
    env.fogbank.advanceClock(3 * 60_000);
    assert.equal((await collect(queue, 1, 200)).length, 0);
  });

  it('a one-time at() schedule in a time zone fires once, then ActionAfterCompletion DELETE removes it', async () => {
    const sc = schedulerClient(env.endpoint);
    const queue = await newQueue(env.endpoint);
    const due = Math.floor(env.fogbank.clock.now() / 1000) * 1000 + 2 * 3_600_000;
    const once = unique('once');
    const kept = unique('kept');
    // Tokyo is UTC+9 all year: the same instant written as Tokyo wall-clock time.
    await sc.send(
      new CreateScheduleCommand({ Name: once, ScheduleExpression: atExpression(due, 9), ScheduleExpressionTimezone: 'Asia/Tokyo', ActionAfterCompletion: 'DELETE', FlexibleTimeWindow: OFF, Target: { Arn: queue.arn, RoleArn: ROLE, Input: 'once' } }),
    );
    await sc.send(new CreateScheduleCommand({ Name: kept, ScheduleExpression: atExpression(due), FlexibleTimeWindow: OFF, Target: { Arn: queue.arn, RoleArn: ROLE, Input: 'kept' } }));
    env.fogbank.advanceClock(due - env.fogbank.clock.now() - 60_000);
    assert.equal((await collect(queue, 1, 200)).length, 0, 'nothing before the moment');
    env.fogbank.advanceClock(61_000);
    const bodies = (await collect(queue, 2)).map((m) => m.Body).sort();
    assert.deepEqual(bodies, ['kept', 'once']);
    await assert.rejects(sc.send(new GetScheduleCommand({ Name: once })), (e: Error) => e.name === 'ResourceNotFoundException' && e.message === `Schedule ${once} does not exist.`);
    assert.equal((await sc.send(new GetScheduleCommand({ Name: kept }))).Name, kept);
    env.fogbank.advanceClock(86_400_000);
    assert.equal((await collect(queue, 1, 200)).length, 0, 'one-time schedules never fire again');
  });

  it('EndDate stops a recurring schedule; with ActionAfterCompletion DELETE its last firing deletes it', async () => {
    const sc = schedulerClient(env.endpoint);
    const queue = await newQueue(env.endpoint);
    const now = env.fogbank.clock.now();
    const [kept, deleted] = [unique('ends'), unique('ends-deleted')];
    for (const [name, action] of [[kept, 'NONE'], [deleted, 'DELETE']] as const) {
      await sc.send(
        new CreateScheduleCommand({ Name: name, ScheduleExpression: 'rate(1 hour)', EndDate: new Date(now + 90 * 60_000), ActionAfterCompletion: action, FlexibleTimeWindow: OFF, Target: { Arn: queue.arn, RoleArn: ROLE, Input: name } }),
      );
    }
    env.fogbank.advanceClock(3_600_000 + 1000);
    assert.deepEqual((await collect(queue, 2)).map((m) => m.Body).sort(), [kept, deleted].sort());
    env.fogbank.advanceClock(3_600_000);
    assert.equal((await collect(queue, 1, 200)).length, 0);
    assert.equal((await sc.send(new GetScheduleCommand({ Name: kept }))).Name, kept);
    await assert.rejects(sc.send(new GetScheduleCommand({ Name: deleted })), (e: Error) => e.name === 'ResourceNotFoundException');
  });

  it('an at() moment already past when the schedule is created never fires', async () => {
    const sc = schedulerClient(env.endpoint);
    const queue = await newQueue(env.endpoint);
    const name = unique('past');
    await sc.send(new CreateScheduleCommand({ Name: name, ScheduleExpression: atExpression(env.fogbank.clock.now() - 3_600_000), FlexibleTimeWindow: OFF, Target: { Arn: queue.arn, RoleArn: ROLE } }));
    env.fogbank.advanceClock(60_000);
    assert.equal((await collect(queue, 1, 200)).length, 0);
    assert.equal((await sc.send(new GetScheduleCommand({ Name: name }))).State, 'ENABLED');
  });

  it('a FIFO queue gets the MessageGroupId; a failed invocation lands in the dead-letter queue', async () => {
    const sc = schedulerClient(env.endpoint);
    const fifo = await newQueue(env.endpoint, `${unique('f')}.fifo`, { FifoQueue: 'true' });
    const dlq = await newQueue(env.endpoint);
    await sc.send(
      new CreateScheduleCommand({ Name: unique('fifo'), ScheduleExpression: 'rate(1 minute)', FlexibleTimeWindow: OFF, Target: { Arn: fifo.arn, RoleArn: ROLE, Input: 'ordered', SqsParameters: { MessageGroupId: 'g1' } } }),
    );
    const missing = `arn:aws:sqs:us-east-1:${ACCOUNT}:${unique('no-such-queue')}`;
    const broken = unique('broken');
    await sc.send(
      new CreateScheduleCommand({ Name: broken, ScheduleExpression: 'rate(1 minute)', FlexibleTimeWindow: OFF, Target: { Arn: missing, RoleArn: ROLE, Input: 'lost', DeadLetterConfig: { Arn: dlq.arn } } }),
    );
    env.fogbank.advanceClock(60_000);
    const [ordered] = await collect(fifo, 1);
    assert.equal(ordered!.Body, 'ordered');
    assert.equal(ordered!.Attributes!.MessageGroupId, 'g1');
    const [dead] = await collect(dlq, 1);
    assert.equal(dead!.Body, 'lost');
    assert.equal(dead!.MessageAttributes!.TARGET_ARN!.StringValue, missing);
    assert.match(dead!.MessageAttributes!.SCHEDULE_ARN!.StringValue!, new RegExp(`schedule/default/${broken}$`));
  });
});

describe('restart', () => {
  it('schedules stored on disk fire again after a restart, with no Scheduler call needed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fogbank-scheduler-'));
    try {
      const first = await startFogbank({ dataDir: dir });
      const queue = await newQueue(first.endpoint, 'restart-q');
      await schedulerClient(first.endpoint).send(
        new CreateScheduleCommand({ Name: 'hourly', ScheduleExpression: 'rate(1 hour)', FlexibleTimeWindow: OFF, Target: { Arn: queue.arn, RoleArn: ROLE, Input: 'again' } }),
      );
      await first.stop();
      const second = await startFogbank({ dataDir: dir });
      try {
        second.advanceClock(3_600_000 + 1000);
        const again = await newQueue(second.endpoint, 'restart-q');
        const messages = await collect(again, 1);
        assert.deepEqual(messages.map((m) => m.Body), ['again']);
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
