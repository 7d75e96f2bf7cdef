// CloudWatch Logs through the AWS CLI (v1 for the API commands; v2 for `logs tail`, which v1
// lacks) and boto3, checking what they print.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { awsCli, awsCliFails, boto3, hasAwsCli, hasBoto3, useFogbank } from '../support/fogbank.js';
import { awsCliV2Dir, cliV2Env, createGroupWithStreams, logsClient, put, unique } from './helpers.js';

const env = useFogbank();

describe('CloudWatch Logs from the AWS CLI', { skip: !hasAwsCli && 'needs the AWS CLI' }, () => {
  it('creates, writes, reads and filters', async () => {
    const group = unique('/cli/app');
    await awsCli(env.endpoint, ['logs', 'create-log-group', '--log-group-name', group]);
    await awsCli(env.endpoint, ['logs', 'create-log-stream', '--log-group-name', group, '--log-stream-name', 'web']);
    const now = Date.now();
    const events = JSON.stringify([
      { timestamp: now - 2000, message: 'GET /health 200' },
      { timestamp: now - 1000, message: 'GET /orders 500' },
    ]);
    const { json: putAnswer } = await awsCli(env.endpoint, ['logs', 'put-log-events', '--log-group-name', group, '--log-stream-name', 'web', '--log-events', events]);
    assert.match((putAnswer as { nextSequenceToken: string }).nextSequenceToken, /^\d{56}$/);
    const { json: got } = await awsCli(env.endpoint, ['logs', 'get-log-events', '--log-group-name', group, '--log-stream-name', 'web', '--start-from-head']);
    assert.deepEqual((got as { events: Array<{ message: string }> }).events.map((e) => e.message), ['GET /health 200', 'GET /orders 500']);
    const { json: filtered } = await awsCli(env.endpoint, ['logs', 'filter-log-events', '--log-group-name', group, '--interleaved', '--start-time', String(now - 60_000), '--filter-pattern', '"500"']);
    const found = (filtered as { events: Array<{ message: string; logStreamName: string }> }).events;
    assert.deepEqual(found.map((e) => [e.logStreamName, e.message]), [['web', 'GET /orders 500']]);
    const { json: groups } = await awsCli(env.endpoint, ['logs', 'describe-log-groups', '--log-group-name-prefix', group]);
    assert.equal((groups as { logGroups: Array<{ storedBytes: number }> }).logGroups[0]!.storedBytes, 30);
  });

  it('prints AWS errors and keeps serving', async () => {
    const group = unique('cli-dup');
    await awsCli(env.endpoint, ['logs', 'create-log-group', '--log-group-name', group]);
    const duplicate = await awsCliFails(env.endpoint, ['logs', 'create-log-group', '--log-group-name', group]);
    assert.match(duplicate.stderr, /ResourceAlreadyExistsException.*The specified log group already exists/);
    const retention = await awsCliFails(env.endpoint, ['logs', 'put-retention-policy', '--log-group-name', group, '--retention-in-days', '2']);
    assert.match(retention.stderr, /InvalidParameterException.*Member must satisfy enum value set/);
    const missing = await awsCliFails(env.endpoint, ['logs', 'get-log-events', '--log-group-name', group, '--log-stream-name', 'none']);
    assert.match(missing.stderr, /ResourceNotFoundException.*The specified log stream does not exist\./);
    await awsCli(env.endpoint, ['logs', 'put-retention-policy', '--log-group-name', group, '--retention-in-days', '7']);
  });
});

/** Lines `aws logs tail` prints for an event in its detailed format (Python's isoformat, UTC). */
function detailed(ts: number, stream: string, message: string): string {
  return `${new Date(ts).toISOString().replace('Z', '000+00:00')} ${stream} ${message}`;
}

describe('aws logs tail (AWS CLI v2)', { skip: !awsCliV2Dir && 'needs the AWS CLI v2 (the v1 CLI has no `logs tail`)' }, () => {
  // tail's --since is relative to the machine's clock, so this file never moves Fogbank's clock.
  async function tailGroup() {
    const logs = logsClient(env.endpoint);
    const group = unique('/aws/lambda/tail');
    const stream = '2024/01/01/[$LATEST]0a1b2c';
    await createGroupWithStreams(logs, group, [stream, 'other']);
    // Mid-second timestamps: Python prints whole seconds without a fraction in the json format.
    const now = Math.floor(Date.now() / 1000) * 1000 - 500;
    await put(logs, group, stream, [
      { timestamp: now - 3_600_123, message: 'an hour ago' },
      { timestamp: now - 2_001, message: 'START RequestId: r1' },
      { timestamp: now, message: '{"level":"ERROR","msg":"boom"}' },
    ]);
    await put(logs, group, 'other', [{ timestamp: now - 1_001, message: 'from the other stream' }]);
    return { group, stream, now };
  }

  const tail = async (args: string[]) => (await awsCli(env.endpoint, ['logs', 'tail', ...args], cliV2Env())).stdout
      .split('\n')
      .map((l) => l.trimEnd())
      .filter((l) => l !== '');

  it('prints the last ten minutes of every stream, interleaved, in the detailed format', async () => {
    const { group, stream, now } = await tailGroup();
    assert.deepEqual(await tail([group]), [
      detailed(now - 2_001, stream, 'START RequestId: r1'),
      detailed(now - 1_001, 'other', 'from the other stream'),
      detailed(now, stream, '{"level":"ERROR","msg":"boom"}'),
    ]);
  });

  it('--since reaches further back; --format short and json change the lines', async () => {
    const { group, stream, now } = await tailGroup();
    const since = await tail([group, '--since', '2h']);
    assert.equal(since.length, 4);
    assert.equal(since[0], detailed(now - 3_600_123, stream, 'an hour ago'));
    const short = await tail([group, '--format', 'short']);
    assert.deepEqual(short, [
      `${new Date(now - 2_001).toISOString().slice(0, 19)} START RequestId: r1`,
      `${new Date(now - 1_001).toISOString().slice(0, 19)} from the other stream`,
      `${new Date(now).toISOString().slice(0, 19)} {"level":"ERROR","msg":"boom"}`,
    ]);
    const json = await tail([group, '--format', 'json', '--log-stream-names', stream]);
    assert.deepEqual(json, [detailed(now - 2_001, stream, 'START RequestId: r1'), detailed(now, stream, ''), '{', '    "level": "ERROR",', '    "msg": "boom"', '}'].map((l) => l.trimEnd()));
  });

  it('--filter-pattern and --log-stream-name-prefix narrow the events', async () => {
    const { group, stream, now } = await tailGroup();
    assert.deepEqual(await tail([group, '--filter-pattern', '{ $.level = "ERROR" }']), [detailed(now, stream, '{"level":"ERROR","msg":"boom"}')]);
    assert.deepEqual(await tail([group, '--filter-pattern', 'START']), [detailed(now - 2_001, stream, 'START RequestId: r1')]);
    assert.deepEqual(await tail([group, '--log-stream-name-prefix', 'oth']), [detailed(now - 1_001, 'other', 'from the other stream')]);
  });

  it('--follow prints new events as they arrive, each once', async () => {
    const { group, stream, now } = await tailGroup();
    const child = spawn('aws', ['--endpoint-url', env.endpoint, 'logs', 'tail', group, '--follow'], {
      env: { ...process.env, ...cliV2Env(), AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_PAGER: '' },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const waitFor = async (text: string) => {
      for (let i = 0; i < 200 && !output.includes(text); i++) await new Promise((r) => setTimeout(r, 100));
      assert.ok(output.includes(text), `tail --follow never printed ${text}; got:\n${output}`);
    };
    try {
      await waitFor('"msg":"boom"');
      await put(logsClient(env.endpoint), group, stream, [{ timestamp: now + 5, message: 'arrived later' }]);
      await waitFor('arrived later');
      const lines = output.split('\n').filter((l) => l !== '');
      assert.deepEqual(lines, [
        detailed(now - 2_001, stream, 'START RequestId: r1'),
        detailed(now - 1_001, 'other', 'from the other stream'),
        detailed(now, stream, '{"level":"ERROR","msg":"boom"}'),
        detailed(now + 5, stream, 'arrived later'),
      ]);
    } finally {
      child.kill();
    }
  });
});

describe('CloudWatch Logs from boto3', { skip: !hasBoto3 && 'needs python3 with boto3' }, () => {
  it('writes, reads with tokens, filters with the paginator and raises modelled errors', async () => {
    const group = unique('boto');
    const out = (await boto3(
      env.endpoint,
      `
import boto3, json, time
logs = boto3.client('logs')
group = ${JSON.stringify(group)}
logs.create_log_group(logGroupName=group, tags={'owner': 'py'})
logs.create_log_stream(logGroupName=group, logStreamName='s')
now = int(time.time() * 1000)
logs.put_log_events(logGroupName=group, logStreamName='s', logEvents=[{'timestamp': now + i, 'message': 'line %d' % i} for i in range(5)])
first = logs.get_log_events(logGroupName=group, logStreamName='s', startFromHead=True, limit=3)
second = logs.get_log_events(logGroupName=group, logStreamName='s', nextToken=first['nextForwardToken'])
end = logs.get_log_events(logGroupName=group, logStreamName='s', nextToken=second['nextForwardToken'])
pages = logs.get_paginator('filter_log_events').paginate(logGroupName=group, filterPattern='line', PaginationConfig={'PageSize': 2})
filtered = [e['message'] for page in pages for e in page['events']]
try:
    logs.describe_log_streams(logGroupName=group + '-missing')
    error = None
except logs.exceptions.ResourceNotFoundException as e:
    error = e.response['Error']
print(json.dumps({
  'first': [e['message'] for e in first['events']],
  'second': [e['message'] for e in second['events']],
  'endSame': end['nextForwardToken'] == second['nextForwardToken'] and end['events'] == [],
  'filtered': filtered,
  'tags': logs.list_tags_log_group(logGroupName=group)['tags'],
  'error': error,
}))
`,
    )) as Record<string, unknown>;
    assert.deepEqual(out.first, ['line 0', 'line 1', 'line 2']);
    assert.deepEqual(out.second, ['line 3', 'line 4']);
    assert.equal(out.endSame, true);
    assert.deepEqual(out.filtered, ['line 0', 'line 1', 'line 2', 'line 3', 'line 4']);
    assert.deepEqual(out.tags, { owner: 'py' });
    assert.deepEqual(out.error, { Code: 'ResourceNotFoundException', Message: 'The specified log group does not exist.' });
  });
});
