import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CreateLogGroupCommand, CreateLogStreamCommand, DeleteLogStreamCommand, DescribeLogGroupsCommand, DescribeLogStreamsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { useFogbank } from '../support/fogbank.js';
import { createGroupWithStreams, logsClient, put, rejectsWith, unique } from './helpers.js';

const env = useFogbank();

describe('CloudWatch Logs log streams', () => {
  it('CreateLogStream then DescribeLogStreams shows the stream with its ARN; events fill in its times', async () => {
    const logs = logsClient(env.endpoint);
    const group = unique('streams');
    await createGroupWithStreams(logs, group, ['s1']);
    let [stream] = (await logs.send(new DescribeLogStreamsCommand({ logGroupName: group }))).logStreams!;
    assert.equal(stream!.logStreamName, 's1');
    assert.equal(stream!.arn, `arn:aws:logs:us-east-1:000000000000:log-group:${group}:log-stream:s1`);
    assert.equal(stream!.storedBytes, 0);
    assert.equal(stream!.firstEventTimestamp, undefined);
    assert.equal(stream!.uploadSequenceToken, undefined);

    const now = env.fogbank.clock.now();
    const answer = await put(logs, group, 's1', [{ timestamp: now - 5000, message: 'a' }, { timestamp: now - 1000, message: 'b' }]);
    [stream] = (await logs.send(new DescribeLogStreamsCommand({ logGroupName: group }))).logStreams!;
    assert.equal(stream!.firstEventTimestamp, now - 5000);
    assert.equal(stream!.lastEventTimestamp, now - 1000);
    assert.ok(stream!.lastIngestionTime! >= now);
    assert.equal(stream!.uploadSequenceToken, answer.nextSequenceToken);
    assert.match(stream!.uploadSequenceToken!, /^\d{56}$/);
  });

  it('duplicate and invalid stream names, and missing groups, answer AWS errors', async () => {
    const logs = logsClient(env.endpoint);
    const group = unique('stream-errors');
    await createGroupWithStreams(logs, group, ['same']);
    await rejectsWith(logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 'same' })), 'ResourceAlreadyExistsException', 'The specified log stream already exists');
    await rejectsWith(
      logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 'a:b' })),
      'InvalidParameterException',
      "1 validation error detected: Value 'a:b' at 'logStreamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [^:*]*",
    );
    await rejectsWith(logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 'star*' })), 'InvalidParameterException');
    await rejectsWith(logs.send(new CreateLogStreamCommand({ logGroupName: unique('absent'), logStreamName: 's' })), 'ResourceNotFoundException', 'The specified log group does not exist.');
    await rejectsWith(logs.send(new DescribeLogStreamsCommand({ logGroupName: unique('absent') })), 'ResourceNotFoundException', 'The specified log group does not exist.');
    // Names AWS allows: slashes, brackets and dollars, as Lambda's streams have.
    await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: '2024/01/01/[$LATEST]0123abcd' }));
    assert.equal((await logs.send(new DescribeLogStreamsCommand({ logGroupName: group }))).logStreams!.length, 2);
  });

  it('DescribeLogStreams filters by prefix and pages in name order, either direction', async () => {
    const logs = logsClient(env.endpoint);
    const group = unique('stream-pages');
    const names = ['app-1', 'app-2', 'app-3', 'app-4', 'app-5', 'other'];
    await createGroupWithStreams(logs, group, names);
    const prefixed = await logs.send(new DescribeLogStreamsCommand({ logGroupName: group, logStreamNamePrefix: 'app-' }));
    assert.deepEqual(prefixed.logStreams!.map((s) => s.logStreamName), names.slice(0, 5));

    const collect = async (descending: boolean) => {
      const seen: string[] = [];
      let nextToken: string | undefined;
      do {
        const page = await logs.send(new DescribeLogStreamsCommand({ logGroupName: group, limit: 2, descending, nextToken }));
        seen.push(...page.logStreams!.map((s) => s.logStreamName!));
        nextToken = page.nextToken;
      } while (nextToken);
      return seen;
    };
    assert.deepEqual(await collect(false), names);
    assert.deepEqual(await collect(true), [...names].reverse());
  });

  it('orderBy LastEventTime sorts by the newest event; it cannot be combined with a prefix', async () => {
    const logs = logsClient(env.endpoint);
    const group = unique('stream-times');
    await createGroupWithStreams(logs, group, ['a', 'b', 'c']);
    const now = env.fogbank.clock.now();
    await put(logs, group, 'b', [{ timestamp: now - 3000, message: 'b' }]);
    await put(logs, group, 'c', [{ timestamp: now - 2000, message: 'c' }]);
    await put(logs, group, 'a', [{ timestamp: now - 1000, message: 'a' }]);
    const newest = await logs.send(new DescribeLogStreamsCommand({ logGroupName: group, orderBy: 'LastEventTime', descending: true }));
    assert.deepEqual(newest.logStreams!.map((s) => s.logStreamName), ['a', 'c', 'b']);
    const oldestFirst = await logs.send(new DescribeLogStreamsCommand({ logGroupName: group, orderBy: 'LastEventTime', limit: 2 }));
    assert.deepEqual(oldestFirst.logStreams!.map((s) => s.logStreamName), ['b', 'c']);
    const rest = await logs.send(new DescribeLogStreamsCommand({ logGroupName: group, orderBy: 'LastEventTime', limit: 2, nextToken: oldestFirst.nextToken }));
    assert.deepEqual(rest.logStreams!.map((s) => s.logStreamName), ['a']);
    assert.equal(rest.nextToken, undefined);
    await rejectsWith(
      logs.send(new DescribeLogStreamsCommand({ logGroupName: group, orderBy: 'LastEventTime', logStreamNamePrefix: 'a' })),
      'InvalidParameterException',
      'Cannot order by LastEventTime with a logStreamNamePrefix.',
    );
  });

  it('DescribeLogStreams takes logGroupIdentifier as a name or an ARN, but not with logGroupName', async () => {
    const logs = logsClient(env.endpoint);
    const group = unique('identified');
    await createGroupWithStreams(logs, group, ['s']);
    const arn = (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: group }))).logGroups![0]!.logGroupArn!;
    for (const logGroupIdentifier of [group, arn]) {
      const { logStreams } = await logs.send(new DescribeLogStreamsCommand({ logGroupIdentifier }));
      assert.deepEqual(logStreams!.map((s) => s.logStreamName), ['s']);
    }
    await rejectsWith(
      logs.send(new DescribeLogStreamsCommand({ logGroupName: group, logGroupIdentifier: group })),
      'ValidationException',
      'LogGroup name and LogGroup ARN are mutually exclusive parameters.',
    );
    await rejectsWith(logs.send(new DescribeLogStreamsCommand({ logGroupName: group, nextToken: 'garbage' })), 'InvalidParameterException', 'The specified nextToken is invalid.');
  });

  it('DeleteLogStream removes the stream and its bytes from the group', async () => {
    const logs = logsClient(env.endpoint);
    const group = unique('stream-delete');
    await createGroupWithStreams(logs, group, ['keep', 'drop']);
    const now = env.fogbank.clock.now();
    await put(logs, group, 'keep', [{ timestamp: now, message: '12345' }]);
    await put(logs, group, 'drop', [{ timestamp: now, message: '1234567890' }]);
    const bytes = async () => (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: group }))).logGroups![0]!.storedBytes;
    assert.equal(await bytes(), 15);
    await logs.send(new DeleteLogStreamCommand({ logGroupName: group, logStreamName: 'drop' }));
    assert.equal(await bytes(), 5);
    assert.deepEqual((await logs.send(new DescribeLogStreamsCommand({ logGroupName: group }))).logStreams!.map((s) => s.logStreamName), ['keep']);
    await rejectsWith(logs.send(new DeleteLogStreamCommand({ logGroupName: group, logStreamName: 'drop' })), 'ResourceNotFoundException', 'The specified log stream does not exist.');
    await rejectsWith(logs.send(new DeleteLogStreamCommand({ logGroupName: unique('absent'), logStreamName: 'drop' })), 'ResourceNotFoundException', 'The specified log group does not exist.');
    // A stream re-created under the old name starts empty.
    await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 'drop' }));
    const [again] = (await logs.send(new DescribeLogStreamsCommand({ logGroupName: group, logStreamNamePrefix: 'drop' }))).logStreams!;
    assert.equal(again!.lastEventTimestamp, undefined);
  });

  it('streams of different groups are separate', async () => {
    const logs = logsClient(env.endpoint);
    const one = unique('g-one');
    const two = unique('g-two');
    await createGroupWithStreams(logs, one, ['shared']);
    await logs.send(new CreateLogGroupCommand({ logGroupName: two }));
    assert.deepEqual((await logs.send(new DescribeLogStreamsCommand({ logGroupName: two }))).logStreams, []);
    await logs.send(new CreateLogStreamCommand({ logGroupName: two, logStreamName: 'shared' }));
  });
});
