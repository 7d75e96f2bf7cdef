import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DeleteRuleCommand, DisableRuleCommand, PutRuleCommand, PutTargetsCommand, RemoveTargetsCommand } from '@aws-sdk/client-eventbridge';
import { DeleteMessageCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { startFogbank } from '../../src/index.js';
import { nextFiring, parseSchedule } from '../../src/services/events/schedule.js';
import { useFogbank } from '../support/fogbank.js';
import { ACCOUNT, eventsClient, newQueue, unique } from './helpers.js';

const env = useFogbank();

const at = (iso: string) => Date.parse(iso);
const next = (expression: string, after: string, anchor = after) => {
  const t = nextFiring(parseSchedule(expression), at(after), at(anchor));
  return t === undefined ? undefined : new Date(t).toISOString();
};

/** Waits (real time, briefly) for the messages a timer's asynchronous delivery sends, and deletes them. */
async function collect(sqs: SQSClient, url: string, expected: number, patienceMs = 1500) {
  const bodies: unknown[] = [];
  for (const start = Date.now(); Date.now() - start < patienceMs && bodies.length < expected; ) {
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
    for (const m of Messages ?? []) {
      bodies.push(JSON.parse(m.Body!));
      // Deleted, so moving the clock does not bring it back into view.
      await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }));
    }
    if (bodies.length < expected) await new Promise((r) => setTimeout(r, 25));
  }
  return bodies as Array<Record<string, unknown>>;
}

describe('schedule expressions', () => {
  it('rate() fires whole periods after the rule was scheduled', () => {
    assert.equal(next('rate(5 minutes)', '2026-01-01T00:00:00Z'), '2026-01-01T00:05:00.000Z');
    assert.equal(next('rate(5 minutes)', '2026-01-01T00:07:00Z', '2026-01-01T00:00:00Z'), '2026-01-01T00:10:00.000Z');
    assert.equal(next('rate(1 day)', '2026-01-01T10:30:00Z'), '2026-01-02T10:30:00.000Z');
    assert.equal(next('rate(2 hours)', '2026-01-01T10:30:00Z'), '2026-01-01T12:30:00.000Z');
  });

  it('cron() reads AWS six-field syntax in UTC', () => {
    assert.equal(next('cron(0 2 * * ? *)', '2026-01-01T01:00:00Z'), '2026-01-01T02:00:00.000Z');
    assert.equal(next('cron(0 2 * * ? *)', '2026-01-01T02:00:00Z'), '2026-01-02T02:00:00.000Z');
    assert.equal(next('cron(0/15 * ? * MON-FRI *)', '2026-01-02T23:50:00Z'), '2026-01-05T00:00:00.000Z'); // Fri -> Mon
    assert.equal(next('cron(0 10 L * ? *)', '2026-02-01T00:00:00Z'), '2026-02-28T10:00:00.000Z');
    assert.equal(next('cron(0 10 15W * ? *)', '2026-03-01T00:00:00Z'), '2026-03-16T10:00:00.000Z'); // the 15th is a Sunday
    assert.equal(next('cron(0 10 1W * ? *)', '2026-08-01T00:00:00Z'), '2026-08-03T10:00:00.000Z'); // the 1st is a Saturday
    assert.equal(next('cron(0 10 ? * 6#3 *)', '2026-01-01T00:00:00Z'), '2026-01-16T10:00:00.000Z'); // third Friday
    assert.equal(next('cron(0 10 ? * 2L *)', '2026-01-01T00:00:00Z'), '2026-01-26T10:00:00.000Z'); // last Monday
    assert.equal(next('cron(30 8 ? * L *)', '2026-01-01T00:00:00Z'), '2026-01-03T08:30:00.000Z'); // Saturday
    assert.equal(next('cron(0 12 1 JAN,JUL ? 2027-2028)', '2026-05-01T00:00:00Z'), '2027-01-01T12:00:00.000Z');
    assert.equal(next('cron(0 0 1 1 ? 1999)', '2026-05-01T00:00:00Z'), undefined);
  });
});

describe('scheduled rules', () => {
  it('cron(0 2 * * ? *) delivers the Scheduled Event when the clock passes 02:00, and not before', async () => {
    const eb = eventsClient(env.endpoint);
    const queue = await newQueue(env.endpoint);
    const name = unique('nightly');
    const { RuleArn } = await eb.send(new PutRuleCommand({ Name: name, ScheduleExpression: 'cron(0 2 * * ? *)' }));
    await eb.send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: 'q', Arn: queue.arn }] }));
    const now = env.fogbank.clock.now();
    const day = 86_400_000;
    let twoAm = Math.floor(now / day) * day + 2 * 3_600_000;
    if (twoAm <= now) twoAm += day;
    env.fogbank.advanceClock(twoAm - now - 1000);
    assert.equal((await collect(queue.sqs, queue.url, 1, 200)).length, 0, 'nothing before 02:00');
    env.fogbank.advanceClock(2000);
    const [event, ...more] = await collect(queue.sqs, queue.url, 1);
    assert.equal(more.length, 0);
    assert.deepEqual(Object.keys(event!), ['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'detail']);
    assert.deepEqual({ ...event, id: undefined }, {
      version: '0',
      id: undefined,
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: ACCOUNT,
      time: new Date(twoAm).toISOString().replace('.000Z', 'Z'),
      region: 'us-east-1',
      resources: [RuleArn],
      detail: {},
    });
    // The next night fires again; a disabled rule does not.
    env.fogbank.advanceClock(day);
    assert.equal((await collect(queue.sqs, queue.url, 1)).length, 1);
    await eb.send(new DisableRuleCommand({ Name: name }));
    env.fogbank.advanceClock(day);
    assert.equal((await collect(queue.sqs, queue.url, 1, 200)).length, 0);
    await eb.send(new RemoveTargetsCommand({ Rule: name, Ids: ['q'] }));
    await eb.send(new DeleteRuleCommand({ Name: name }));
  });

  it('rate() rules fire every period; a deleted rule stops firing', async () => {
    const eb = eventsClient(env.endpoint);
    const queue = await newQueue(env.endpoint);
    const name = unique('every5');
    await eb.send(new PutRuleCommand({ Name: name, ScheduleExpression: 'rate(5 minutes)' }));
    await eb.send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: 'q', Arn: queue.arn, Input: '{"tick":true}' }] }));
    env.fogbank.advanceClock(4 * 60_000);
    assert.equal((await collect(queue.sqs, queue.url, 1, 200)).length, 0);
    env.fogbank.advanceClock(60_000);
    assert.deepEqual(await collect(queue.sqs, queue.url, 1), [{ tick: true }]);
    env.fogbank.advanceClock(5 * 60_000);
    assert.equal((await collect(queue.sqs, queue.url, 1)).length, 1);
    await eb.send(new RemoveTargetsCommand({ Rule: name, Ids: ['q'] }));
    await eb.send(new DeleteRuleCommand({ Name: name }));
    env.fogbank.advanceClock(10 * 60_000);
    assert.equal((await collect(queue.sqs, queue.url, 1, 200)).length, 0);
  });

  it('schedules stored on disk fire again after a restart, with no EventBridge call needed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fogbank-events-'));
    try {
      const first = await startFogbank({ dataDir: dir });
      const queue = await newQueue(first.endpoint, 'restart-q');
      await eventsClient(first.endpoint).send(new PutRuleCommand({ Name: 'hourly', ScheduleExpression: 'rate(1 hour)' }));
      await eventsClient(first.endpoint).send(new PutTargetsCommand({ Rule: 'hourly', Targets: [{ Id: 'q', Arn: queue.arn }] }));
      await first.stop();
      const second = await startFogbank({ dataDir: dir });
      try {
        // Fogbank itself re-arms the stored schedule at start: no EventBridge call comes first.
        second.advanceClock(3_600_000 + 1000);
        const again = await newQueue(second.endpoint, 'restart-q');
        const events = await collect(again.sqs, again.url, 1);
        assert.equal(events.length, 1);
        assert.equal(events[0]!['detail-type'], 'Scheduled Event');
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
