import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DescribeLogGroupsCommand, DescribeLogStreamsCommand, FilterLogEventsCommand, GetLogEventsCommand, PutLogEventsCommand, PutRetentionPolicyCommand } from '@aws-sdk/client-cloudwatch-logs';
import { LogWriteBatch, writeLogEvents } from '../../src/services/logs/index.js';
import { useFogbank } from '../support/fogbank.js';
import { createGroupWithStreams, logsClient, put, rejectsWith, unique } from './helpers.js';

const env = useFogbank();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('PutLogEvents', () => {
  it('stores a batch, ignores sequence tokens and returns a nextSequenceToken', async () => {
    const logs = logsClient(env.endpoint);
    const group = unique('put');
    await createGroupWithStreams(logs, group, ['s']);
    const now = env.fogbank.clock.now();
    const first = await put(logs, group, 's', [{ timestamp: now, message: 'one' }]);
    assert.match(first.nextSequenceToken!, /^\d{56}$/);
    assert.equal(first.rejectedLogEventsInfo, undefined);
    const second = await logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: 's', sequenceToken: 'stale-or-wrong', logEvents: [{ timestamp: now, message: 'two' }] }));
    assert.notEqual(second.nextSequenceToken, first.nextSequenceToken);
    const { events } = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 's' }));
    assert.deepEqual(events!.map((e) => e.message), ['one', 'two']);
  });

  it('rejects a batch out of chronological order, or spanning more than 24 hours, and stores none of it', async () => {
    const logs = logsClient(env.endpoint);
    const group = unique('order');
    await createGroupWithStreams(logs, group, ['s']);
    const now = env.fogbank.clock.now();
    await rejectsWith(
      put(logs, group, 's', [{ timestamp: now, message: 'later' }, { timestamp: now - 2 * DAY, message: 'earlier' }]),
      'InvalidParameterException',
      'Log events in a single PutLogEvents request must be in chronological order.',
    );
    await rejectsWith(
      put(logs, group, 's', [{ timestamp: now - 25 * HOUR, message: 'a' }, { timestamp: now, message: 'b' }]),
      'InvalidParameterException',
      'The batch of log events in a single PutLogEvents request cannot span more than 24 hours.',
    );
    assert.deepEqual((await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 's' }))).events, []);
    // Exactly 24 hours is fine, and the span ignores events rejected as too old.
    await put(logs, group, 's', [{ timestamp: now - DAY, message: 'a' }, { timestamp: now, message: 'b' }]);
    const answer = await put(logs, group, 's', [{ timestamp: now - 20 * DAY, message: 'ancient' }, { timestamp: now, message: 'c' }]);
    assert.deepEqual(answer.rejectedLogEventsInfo, { tooOldLogEventEndIndex: 1 });
  });

  it('reports events too old, too new and expired as AWS does, storing the rest', async () => {
    const logs = logsClient(env.endpoint);
    const group = unique('rejected');
    await createGroupWithStreams(logs, group, ['s']);
    const now = env.fogbank.clock.now();
    const answer = await put(logs, group, 's', [
      { timestamp: now - 15 * DAY, message: 'too old 1' },
      { timestamp: now - 14 * DAY - 60_000, message: 'too old 2' },
      { timestamp: now - HOUR, message: 'kept 1' },
      { timestamp: now + HOUR, message: 'kept 2' },
      { timestamp: now + 3 * HOUR, message: 'too new' },
    ]);
    assert.deepEqual(answer.rejectedLogEventsInfo, { tooOldLogEventEndIndex: 2, tooNewLogEventStartIndex: 4 });
    const { events } = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 's' }));
    assert.deepEqual(events!.map((e) => e.message), ['kept 1', 'kept 2']);

    await logs.send(new PutRetentionPolicyCommand({ logGroupName: group, retentionInDays: 1 }));
    const expired = await put(logs, group, 's', [
      { timestamp: now - 25 * HOUR, message: 'expired' },
      { timestamp: now - 2 * HOUR, message: 'kept 3' },
    ]);
    assert.deepEqual(expired.rejectedLogEventsInfo, { expiredLogEventEndIndex: 1 });
    const after = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 's', startFromHead: true }));
    assert.deepEqual(after.events!.map((e) => e.message), ['kept 3', 'kept 1', 'kept 2']);
  });

  it('enforces the per-event and per-batch byte limits (message UTF-8 bytes plus 26 per event)', async () => {
    const logs = logsClient(env.endpoint);
    const group = unique('sizes');
    await createGroupWithStreams(logs, group, ['s']);
    const now = env.fogbank.clock.now();
    await rejectsWith(
      put(logs, group, 's', [{ timestamp: now, message: 'x'.repeat(1_048_551) }]),
      'InvalidParameterException',
      'Log event too large: 1048577 bytes exceeds limit of 1048576',
    );
    await rejectsWith(
      put(logs, group, 's', [{ timestamp: now, message: 'x'.repeat(600_000) }, { timestamp: now, message: 'y'.repeat(600_000) }]),
      'InvalidParameterException',
      'Upload too large: 1200052 bytes exceeds limit of 1048576',
    );
    // Right at the limit is accepted; multi-byte characters count as their UTF-8 bytes.
    await put(logs, group, 's', [{ timestamp: now, message: 'é'.repeat(524_275) }]);
    const { logGroups } = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: group }));
    assert.equal(logGroups![0]!.storedBytes, 1_048_550);
  });

  it('missing groups and streams are ResourceNotFoundException', async () => {
    const logs = logsClient(env.endpoint);
    const group = unique('missing');
    await createGroupWithStreams(logs, group, []);
    const event = [{ timestamp: env.fogbank.clock.now(), message: 'm' }];
    await rejectsWith(put(logs, group, 'nope', event), 'ResourceNotFoundException', 'The specified log stream does not exist.');
    await rejectsWith(put(logs, unique('nope'), 'nope', event), 'ResourceNotFoundException', 'The specified log group does not exist.');
  });

  it('keeps multi-byte messages intact', async () => {
    const logs = logsClient(env.endpoint);
    const group = unique('unicode');
    await createGroupWithStreams(logs, group, ['s']);
    const message = '🙀 - 参よ - 日本語';
    await put(logs, group, 's', [{ timestamp: env.fogbank.clock.now(), message }]);
    const { events } = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 's' }));
    assert.equal(events![0]!.message, message);
  });
});

describe('GetLogEvents', () => {
  async function streamOf(count: number) {
    const logs = logsClient(env.endpoint);
    const group = unique('get');
    await createGroupWithStreams(logs, group, ['s']);
    const base = env.fogbank.clock.now() - HOUR;
    await put(logs, group, 's', Array.from({ length: count }, (_, i) => ({ timestamp: base + i * 1000, message: `m${i}` })));
    return { logs, group, base };
  }

  it('returns the newest events by default and the oldest with startFromHead, both oldest first', async () => {
    const { logs, group } = await streamOf(20);
    const tail = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 's', limit: 5 }));
    assert.deepEqual(tail.events!.map((e) => e.message), ['m15', 'm16', 'm17', 'm18', 'm19']);
    const head = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 's', limit: 5, startFromHead: true }));
    assert.deepEqual(head.events!.map((e) => e.message), ['m0', 'm1', 'm2', 'm3', 'm4']);
    assert.match(head.nextForwardToken!, /^f\/\d{56}\/s$/);
    assert.match(head.nextBackwardToken!, /^b\/\d{56}\/s$/);
    assert.ok(head.events!.every((e) => typeof e.ingestionTime === 'number'));
  });

  it('pages forward to the end, where it returns the same token; the token then picks up new events', async () => {
    const { logs, group, base } = await streamOf(7);
    const seen: string[] = [];
    let token: string | undefined;
    for (;;) {
      const page = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 's', limit: 3, startFromHead: true, nextToken: token }));
      seen.push(...page.events!.map((e) => e.message!));
      if (page.nextForwardToken === token) {
        assert.deepEqual(page.events, []);
        break;
      }
      token = page.nextForwardToken;
    }
    assert.deepEqual(seen, ['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6']);
    await put(logs, group, 's', [{ timestamp: base + 60_000, message: 'new' }]);
    const more = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 's', startFromHead: true, nextToken: token }));
    assert.deepEqual(more.events!.map((e) => e.message), ['new']);
  });

  it('pages backward with nextBackwardToken, and returns the same token at the start', async () => {
    const { logs, group } = await streamOf(7);
    const pages: string[][] = [];
    let page = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 's', limit: 3 }));
    pages.push(page.events!.map((e) => e.message!));
    for (;;) {
      const token: string = page.nextBackwardToken!;
      page = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 's', limit: 3, nextToken: token }));
      if (page.nextBackwardToken === token) {
        assert.deepEqual(page.events, []);
        break;
      }
      pages.push(page.events!.map((e) => e.message!));
    }
    assert.deepEqual(pages, [['m4', 'm5', 'm6'], ['m1', 'm2', 'm3'], ['m0']]);
  });

  it('honours startTime (inclusive) and endTime (exclusive)', async () => {
    const { logs, group, base } = await streamOf(10);
    const window = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 's', startTime: base + 2000, endTime: base + 5000, startFromHead: true }));
    assert.deepEqual(window.events!.map((e) => e.message), ['m2', 'm3', 'm4']);
    const backward = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 's', startTime: base + 2000, endTime: base + 5000 }));
    assert.deepEqual(backward.events!.map((e) => e.message), ['m2', 'm3', 'm4']);
  });

  it('an empty stream answers zero tokens that later return the first events', async () => {
    const logs = logsClient(env.endpoint);
    const group = unique('empty');
    await createGroupWithStreams(logs, group, ['s']);
    const empty = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 's' }));
    assert.deepEqual(empty.events, []);
    assert.equal(empty.nextForwardToken, `f/${'0'.repeat(56)}/s`);
    assert.equal(empty.nextBackwardToken, `b/${'0'.repeat(56)}/s`);
    await put(logs, group, 's', [{ timestamp: env.fogbank.clock.now(), message: 'first' }]);
    const next = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 's', nextToken: empty.nextForwardToken }));
    assert.deepEqual(next.events!.map((e) => e.message), ['first']);
  });

  it('rejects foreign tokens and missing streams; accepts logGroupIdentifier', async () => {
    const { logs, group } = await streamOf(2);
    await rejectsWith(logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 's', nextToken: 'invalid-token' })), 'InvalidParameterException', 'The specified nextToken is invalid.');
    await rejectsWith(logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 'absent' })), 'ResourceNotFoundException', 'The specified log stream does not exist.');
    await rejectsWith(logs.send(new GetLogEventsCommand({ logGroupName: unique('absent'), logStreamName: 's' })), 'ResourceNotFoundException', 'The specified log group does not exist.');
    const arn = `arn:aws:logs:us-east-1:000000000000:log-group:${group}`;
    const byArn = await logs.send(new GetLogEventsCommand({ logGroupIdentifier: arn, logStreamName: 's' }));
    assert.equal(byArn.events!.length, 2);
  });
});

describe('retention on Fogbank’s clock', () => {
  it('events older than the retention period stop being returned and are dropped', async () => {
    const logs = logsClient(env.endpoint);
    const group = unique('retained');
    await createGroupWithStreams(logs, group, ['s']);
    const t0 = env.fogbank.clock.now();
    await put(logs, group, 's', [{ timestamp: t0, message: 'old-line' }]);
    env.fogbank.advanceClock(12 * HOUR);
    await put(logs, group, 's', [{ timestamp: t0 + 12 * HOUR, message: 'new' }]);
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: group, retentionInDays: 1 }));
    const before = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 's' }));
    assert.deepEqual(before.events!.map((e) => e.message), ['old-line', 'new']);

    env.fogbank.advanceClock(13 * HOUR);
    const after = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 's', startFromHead: true }));
    assert.deepEqual(after.events!.map((e) => e.message), ['new']);
    const stored = (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: group }))).logGroups![0]!;
    assert.equal(stored.storedBytes, 3);
    const [stream] = (await logs.send(new DescribeLogStreamsCommand({ logGroupName: group }))).logStreams!;
    assert.equal(stream!.firstEventTimestamp, t0 + 12 * HOUR);

    env.fogbank.advanceClock(DAY);
    assert.deepEqual((await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 's' }))).events, []);
    assert.equal((await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: group }))).logGroups![0]!.storedBytes, 0);
  });
});

describe('writeLogEvents (how Lambda writes a function’s output)', () => {
  it('creates the group and stream, orders the lines, and the API reads them back', async () => {
    const logs = logsClient(env.endpoint);
    const group = `/aws/lambda/${unique('fn')}`;
    const stream = '2024/01/01/[$LATEST]abc';
    const now = env.fogbank.clock.now();
    const target = { store: env.fogbank.store, clock: env.fogbank.clock, account: '000000000000', region: 'us-east-1' };
    writeLogEvents(target, group, stream, [
      { timestamp: now + 2, message: 'END RequestId: r1' },
      { timestamp: now, message: 'START RequestId: r1' },
      { timestamp: now + 1, message: 'hello from the function' },
    ]);
    writeLogEvents(target, group, stream, [{ timestamp: now + 3, message: 'REPORT RequestId: r1' }]);
    const { events } = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, startFromHead: true }));
    assert.deepEqual(events!.map((e) => e.message), ['START RequestId: r1', 'hello from the function', 'END RequestId: r1', 'REPORT RequestId: r1']);
    const { logGroups } = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: group }));
    assert.equal(logGroups!.length, 1);
  });

  it('a batch of writes in one transaction leaves what the same writes one by one leave', async () => {
    const logs = logsClient(env.endpoint);
    const now = env.fogbank.clock.now();
    // Both groups are written at the same instant, so their times compare equal.
    const frozen: typeof env.fogbank.clock = Object.create(env.fogbank.clock, { now: { value: () => now } });
    const target = { store: env.fogbank.store, clock: frozen, account: '000000000000', region: 'us-east-1' };
    // Two invocations on one stream, one on another, in an order the timestamps do not follow.
    const writes: Array<[string, Array<{ timestamp: number; message: string }>]> = [
      ['a', [{ timestamp: now + 1, message: 'END r1' }, { timestamp: now, message: 'START r1' }]],
      ['b', [{ timestamp: now + 5, message: 'START r2 ünïcode' }]],
      ['a', [{ timestamp: now + 1, message: 'START r3' }, { timestamp: now + 9, message: 'END r3' }]],
      ['b', []],
    ];
    const oneByOne = `/aws/lambda/${unique('single')}`;
    for (const [stream, events] of writes) writeLogEvents(target, oneByOne, stream, events);
    const batched = `/aws/lambda/${unique('batch')}`;
    env.fogbank.store.transaction(() => {
      const batch = new LogWriteBatch(target);
      for (const [stream, events] of writes) batch.write(batched, stream, events);
      batch.finish();
    });

    const observe = async (group: string) => {
      const { logStreams } = await logs.send(new DescribeLogStreamsCommand({ logGroupName: group }));
      const { logGroups } = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: group }));
      const streams = [];
      for (const s of logStreams!) {
        const page = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: s.logStreamName, startFromHead: true }));
        streams.push({
          ...s,
          arn: undefined,
          events: page.events!.map((e) => [e.timestamp, e.message, e.ingestionTime]),
          nextForwardToken: page.nextForwardToken,
          nextBackwardToken: page.nextBackwardToken,
        });
      }
      const filtered = await logs.send(new FilterLogEventsCommand({ logGroupName: group }));
      return {
        streams,
        storedBytes: logGroups![0]!.storedBytes,
        filtered: filtered.events!.map((e) => [e.logStreamName, e.timestamp, e.message, e.eventId]),
      };
    };
    const expected = await observe(oneByOne);
    assert.deepEqual(expected.streams.map((s) => s.events.length), [4, 1]);
    assert.deepEqual(await observe(batched), expected);
  });

  it('internal dispatch reaches PutLogEvents with the same rules as a client', async () => {
    const logs = logsClient(env.endpoint);
    const group = unique('internal');
    await createGroupWithStreams(logs, group, ['s']);
    const caller = { account: '000000000000', region: 'us-east-1' };
    const now = env.fogbank.clock.now();
    const answer = await env.fogbank.dispatcher.call('logs', 'PutLogEvents', { logGroupName: group, logStreamName: 's', logEvents: [{ timestamp: now, message: 'via dispatch' }] }, caller);
    assert.match(answer.nextSequenceToken as string, /^\d{56}$/);
    await assert.rejects(env.fogbank.dispatcher.call('logs', 'PutLogEvents', { logGroupName: group, logStreamName: 'absent', logEvents: [{ timestamp: now, message: 'x' }] }, caller), {
      code: 'ResourceNotFoundException',
    });
    const { events } = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 's' }));
    assert.deepEqual(events!.map((e) => e.message), ['via dispatch']);
  });
});
