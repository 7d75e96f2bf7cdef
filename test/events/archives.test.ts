import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CancelReplayCommand,
  CreateArchiveCommand,
  CreateEventBusCommand,
  DeleteArchiveCommand,
  DescribeArchiveCommand,
  DescribeReplayCommand,
  ListArchivesCommand,
  ListReplaysCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  StartReplayCommand,
  UpdateArchiveCommand,
} from '@aws-sdk/client-eventbridge';
import { DeleteMessageCommand } from '@aws-sdk/client-sqs';
import { expectAwsError as expectError } from '../support/errors.js';
import { useFogbank } from '../support/fogbank.js';
import { ACCOUNT, eventsClient, eventually, newQueue, receive, unique } from './helpers.js';

const env = useFogbank();
const expectAwsError = (call: Promise<unknown>, name: string, message?: string) => expectError(call, { name, message });

/** A custom bus with a rule sending `source` events to a new queue. */
async function busWithQueue(source: string) {
  const eb = eventsClient(env.endpoint);
  const bus = unique('bus');
  const { EventBusArn } = await eb.send(new CreateEventBusCommand({ Name: bus }));
  const queue = await newQueue(env.endpoint);
  const rule = unique('rule');
  const { RuleArn } = await eb.send(new PutRuleCommand({ Name: rule, EventBusName: bus, EventPattern: JSON.stringify({ source: [source] }) }));
  await eb.send(new PutTargetsCommand({ Rule: rule, EventBusName: bus, Targets: [{ Id: 'q', Arn: queue.arn }] }));
  return { eb, bus, busArn: EventBusArn!, queue, ruleArn: RuleArn! };
}

describe('archives', () => {
  it('create, describe with counts, list, update and delete; only matching events are archived', async () => {
    const { eb, bus, busArn } = await busWithQueue('arch.test');
    const name = unique('archive');
    const created = await eb.send(new CreateArchiveCommand({ ArchiveName: name, EventSourceArn: busArn, EventPattern: '{"detail-type":["Keep"]}', RetentionDays: 7, Description: 'd' }));
    assert.equal(created.ArchiveArn, `arn:aws:events:us-east-1:${ACCOUNT}:archive/${name}`);
    assert.equal(created.State, 'ENABLED');
    await eb.send(
      new PutEventsCommand({
        Entries: [
          { EventBusName: bus, Source: 'arch.test', DetailType: 'Keep', Detail: '{"n":1}' },
          { EventBusName: bus, Source: 'arch.test', DetailType: 'Skip', Detail: '{"n":2}' },
          { Source: 'arch.test', DetailType: 'Keep', Detail: '{"n":3}' },
        ],
      }),
    );
    const described = await eb.send(new DescribeArchiveCommand({ ArchiveName: name }));
    assert.deepEqual(
      [described.ArchiveName, described.EventSourceArn, described.EventPattern, described.RetentionDays, described.EventCount, described.Description],
      [name, busArn, '{"detail-type":["Keep"]}', 7, 1, 'd'],
    );
    assert.ok(described.SizeBytes! > 0);
    const listed = await eb.send(new ListArchivesCommand({ EventSourceArn: busArn }));
    assert.deepEqual(listed.Archives!.map((a) => [a.ArchiveName, a.EventCount]), [[name, 1]]);
    await eb.send(new UpdateArchiveCommand({ ArchiveName: name, RetentionDays: 1 }));
    assert.equal((await eb.send(new DescribeArchiveCommand({ ArchiveName: name }))).RetentionDays, 1);
    await expectAwsError(eb.send(new CreateArchiveCommand({ ArchiveName: name, EventSourceArn: busArn })), 'ResourceAlreadyExistsException', `Archive ${name} already exists.`);
    await expectAwsError(
      eb.send(new CreateArchiveCommand({ ArchiveName: unique('a'), EventSourceArn: `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/ghost` })),
      'ResourceNotFoundException',
      'Event bus ghost does not exist.',
    );
    await expectAwsError(eb.send(new CreateArchiveCommand({ ArchiveName: unique('a'), EventSourceArn: busArn, EventPattern: '{"source":"x"}' })), 'InvalidEventPatternException');
    await eb.send(new DeleteArchiveCommand({ ArchiveName: name }));
    await expectAwsError(eb.send(new DescribeArchiveCommand({ ArchiveName: name })), 'ResourceNotFoundException', `Archive ${name} does not exist.`);
  });
});

describe('replays', () => {
  it('replays the archived events of a time range to the bus rules, each with replay-name', async () => {
    const { eb, bus, busArn, queue } = await busWithQueue('replay.test');
    const archive = unique('archive');
    const { ArchiveArn } = await eb.send(new CreateArchiveCommand({ ArchiveName: archive, EventSourceArn: busArn }));
    const put = (n: number) => eb.send(new PutEventsCommand({ Entries: [{ EventBusName: bus, Source: 'replay.test', DetailType: 'T', Detail: JSON.stringify({ n }) }] }));
    await put(1);
    env.fogbank.advanceClock(60_000);
    const startOfRange = env.fogbank.clock.now();
    await put(2);
    await put(3);
    env.fogbank.advanceClock(60_000);
    const endOfRange = env.fogbank.clock.now();
    await put(4);
    const live = await receive(queue.sqs, queue.url);
    assert.equal(live.length, 4, 'the events were delivered live');
    await Promise.all(live.map((m) => queue.sqs.send(new DeleteMessageCommand({ QueueUrl: queue.url, ReceiptHandle: m.ReceiptHandle }))));

    const name = unique('replay');
    const started = await eb.send(
      new StartReplayCommand({ ReplayName: name, EventSourceArn: ArchiveArn, EventStartTime: new Date(startOfRange), EventEndTime: new Date(endOfRange - 1000), Destination: { Arn: busArn } }),
    );
    assert.equal(started.ReplayArn, `arn:aws:events:us-east-1:${ACCOUNT}:replay/${name}`);
    assert.equal(started.State, 'STARTING');
    const done = await eventually(async () => {
      const r = await eb.send(new DescribeReplayCommand({ ReplayName: name }));
      return r.State === 'COMPLETED' ? r : undefined;
    }, 'the replay to complete');
    assert.ok(done.ReplayEndTime instanceof Date);
    assert.ok(done.EventLastReplayedTime instanceof Date);
    const replayed = (await receive(queue.sqs, queue.url)).map((m) => JSON.parse(m.Body!));
    assert.deepEqual(replayed.map((e) => e.detail.n).sort(), [2, 3], 'only the range is replayed');
    assert.ok(replayed.every((e) => e['replay-name'] === name));
    assert.equal((await eb.send(new DescribeArchiveCommand({ ArchiveName: archive }))).EventCount, 4, 'replayed events are not archived again');
    assert.deepEqual((await eb.send(new ListReplaysCommand({ NamePrefix: name }))).Replays!.map((r) => [r.ReplayName, r.State]), [[name, 'COMPLETED']]);
    await expectAwsError(eb.send(new CancelReplayCommand({ ReplayName: name })), 'IllegalStatusException');
  });

  it('StartReplay checks names, times, the archive and the destination with AWS errors', async () => {
    const { eb, busArn } = await busWithQueue('replay.bad');
    const { ArchiveArn } = await eb.send(new CreateArchiveCommand({ ArchiveName: unique('archive'), EventSourceArn: busArn }));
    const other = await busWithQueue('replay.other');
    const base = { EventSourceArn: ArchiveArn, EventStartTime: new Date(0), EventEndTime: new Date(1000), Destination: { Arn: busArn } };
    await expectAwsError(
      eb.send(new StartReplayCommand({ ...base, ReplayName: unique('r'), EventEndTime: new Date(0) })),
      'ValidationException',
      'Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime.',
    );
    await expectAwsError(
      eb.send(new StartReplayCommand({ ...base, ReplayName: unique('r'), EventSourceArn: `arn:aws:events:us-east-1:${ACCOUNT}:archive/none` })),
      'ValidationException',
      'Parameter EventSourceArn is not valid. Reason: Archive none does not exist.',
    );
    await expectAwsError(
      eb.send(new StartReplayCommand({ ...base, ReplayName: unique('r'), Destination: { Arn: other.busArn } })),
      'ValidationException',
      'Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted.',
    );
    const name = unique('r');
    await eb.send(new StartReplayCommand({ ...base, ReplayName: name }));
    await expectAwsError(eb.send(new StartReplayCommand({ ...base, ReplayName: name })), 'ResourceAlreadyExistsException', `Replay ${name} already exists.`);
    await expectAwsError(eb.send(new DescribeReplayCommand({ ReplayName: 'none' })), 'ResourceNotFoundException', 'Replay none does not exist.');
  });
});
