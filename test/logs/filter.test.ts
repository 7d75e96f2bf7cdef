import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FilterLogEventsCommand, paginateFilterLogEvents, type FilteredLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import { useFogbank } from '../support/fogbank.js';
import { createGroupWithStreams, logsClient, put, rejectsWith, unique } from './helpers.js';

const env = useFogbank();

/** Three streams whose events interleave in time: a at 0,3,6..., b at 1,4,7..., c at 2,5,8... seconds. */
async function interleavedGroup(perStream: number) {
  const logs = logsClient(env.endpoint);
  const group = unique('filter');
  const streams = ['a', 'b', 'c'];
  await createGroupWithStreams(logs, group, streams);
  const base = env.fogbank.clock.now() - 3_600_000;
  for (const [offset, stream] of streams.entries()) {
    await put(logs, group, stream, Array.from({ length: perStream }, (_, i) => ({ timestamp: base + (i * 3 + offset) * 1000, message: `${stream}${i} ${i % 2 ? 'odd' : 'even'}` })));
  }
  return { logs, group, base };
}

describe('FilterLogEvents', () => {
  it('interleaves all streams by timestamp and reports searched streams', async () => {
    const { logs, group } = await interleavedGroup(3);
    const answer = await logs.send(new FilterLogEventsCommand({ logGroupName: group, interleaved: true }));
    assert.deepEqual(answer.events!.map((e) => e.message), ['a0 even', 'b0 even', 'c0 even', 'a1 odd', 'b1 odd', 'c1 odd', 'a2 even', 'b2 even', 'c2 even']);
    assert.deepEqual(answer.events!.map((e) => e.logStreamName), ['a', 'b', 'c', 'a', 'b', 'c', 'a', 'b', 'c']);
    assert.ok(answer.events!.every((e) => /^\d{56}$/.test(e.eventId!) && typeof e.ingestionTime === 'number'));
    assert.equal(new Set(answer.events!.map((e) => e.eventId)).size, 9);
    assert.deepEqual(answer.searchedLogStreams, [
      { logStreamName: 'a', searchedCompletely: true },
      { logStreamName: 'b', searchedCompletely: true },
      { logStreamName: 'c', searchedCompletely: true },
    ]);
    assert.equal(answer.nextToken, undefined);
  });

  it('pages with limit and nextToken without losing or repeating events; event ids are stable', async () => {
    const { logs, group } = await interleavedGroup(5);
    const all = (await logs.send(new FilterLogEventsCommand({ logGroupName: group }))).events!;
    const paged: FilteredLogEvent[] = [];
    for await (const page of paginateFilterLogEvents({ client: logs, pageSize: 4 }, { logGroupName: group })) {
      assert.ok(page.events!.length <= 4);
      paged.push(...page.events!);
    }
    assert.equal(paged.length, 15);
    assert.deepEqual(
      paged.map((e) => [e.eventId, e.message]),
      all.map((e) => [e.eventId, e.message]),
    );
  });

  it('honours startTime and endTime, both inclusive', async () => {
    const { logs, group, base } = await interleavedGroup(3);
    const answer = await logs.send(new FilterLogEventsCommand({ logGroupName: group, startTime: base + 2000, endTime: base + 5000 }));
    assert.deepEqual(answer.events!.map((e) => e.message), ['c0 even', 'a1 odd', 'b1 odd', 'c1 odd']);
  });

  it('selects streams by name list or prefix, not both', async () => {
    const { logs, group } = await interleavedGroup(2);
    const named = await logs.send(new FilterLogEventsCommand({ logGroupName: group, logStreamNames: ['c', 'a', 'missing'] }));
    assert.deepEqual(named.events!.map((e) => e.message), ['a0 even', 'c0 even', 'a1 odd', 'c1 odd']);
    const prefixed = await logs.send(new FilterLogEventsCommand({ logGroupName: group, logStreamNamePrefix: 'b' }));
    assert.deepEqual(prefixed.events!.map((e) => e.logStreamName), ['b', 'b']);
    assert.deepEqual(prefixed.searchedLogStreams!.map((s) => s.logStreamName), ['b']);
    await rejectsWith(
      logs.send(new FilterLogEventsCommand({ logGroupName: group, logStreamNames: ['a'], logStreamNamePrefix: 'a' })),
      'InvalidParameterException',
      'Cannot specify both logStreamNames and logStreamNamePrefix.',
    );
  });

  it('applies the filter pattern across streams and pages over matches only', async () => {
    const { logs, group } = await interleavedGroup(4);
    const first = await logs.send(new FilterLogEventsCommand({ logGroupName: group, filterPattern: 'odd', limit: 3 }));
    assert.deepEqual(first.events!.map((e) => e.message), ['a1 odd', 'b1 odd', 'c1 odd']);
    assert.ok(first.nextToken);
    const second = await logs.send(new FilterLogEventsCommand({ logGroupName: group, filterPattern: 'odd', limit: 3, nextToken: first.nextToken }));
    assert.deepEqual(second.events!.map((e) => e.message), ['a3 odd', 'b3 odd', 'c3 odd']);
  });

  it('answers AWS errors for missing groups, both group parameters, and foreign tokens', async () => {
    const { logs, group } = await interleavedGroup(1);
    await rejectsWith(logs.send(new FilterLogEventsCommand({ logGroupName: unique('absent') })), 'ResourceNotFoundException', 'The specified log group does not exist.');
    await rejectsWith(logs.send(new FilterLogEventsCommand({ logGroupName: group, logGroupIdentifier: group })), 'ValidationException', 'LogGroup name and LogGroup ARN are mutually exclusive parameters.');
    await rejectsWith(logs.send(new FilterLogEventsCommand({ logGroupName: group, nextToken: 'bogus' })), 'InvalidParameterException', 'The specified nextToken is invalid.');
    const byArn = await logs.send(new FilterLogEventsCommand({ logGroupIdentifier: `arn:aws:logs:us-east-1:000000000000:log-group:${group}` }));
    assert.equal(byArn.events!.length, 3);
  });

  it('an empty group or an empty time window answers no events and no token', async () => {
    const logs = logsClient(env.endpoint);
    const group = unique('empty-filter');
    await createGroupWithStreams(logs, group, ['s']);
    const empty = await logs.send(new FilterLogEventsCommand({ logGroupName: group }));
    assert.deepEqual(empty.events, []);
    assert.equal(empty.nextToken, undefined);
    const { group: filled, base } = await interleavedGroup(2);
    const window = await logs.send(new FilterLogEventsCommand({ logGroupName: filled, startTime: base + 100_000 }));
    assert.deepEqual(window.events, []);
    assert.deepEqual(window.searchedLogStreams, []);
  });
});
