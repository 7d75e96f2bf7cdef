import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AssociateKmsKeyCommand,
  CreateLogGroupCommand,
  DeleteLogGroupCommand,
  DeleteRetentionPolicyCommand,
  DescribeLogGroupsCommand,
  DisassociateKmsKeyCommand,
  ListTagsForResourceCommand,
  ListTagsLogGroupCommand,
  PutRetentionPolicyCommand,
  TagLogGroupCommand,
  TagResourceCommand,
  UntagLogGroupCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { useFogbank } from '../support/fogbank.js';
import { logsClient, rejectsWith, unique } from './helpers.js';

const env = useFogbank();

describe('CloudWatch Logs log groups', () => {
  it('CreateLogGroup stores class, KMS key and tags; DescribeLogGroups shows them with both ARNs', async () => {
    const logs = logsClient(env.endpoint);
    const name = unique('/app/created');
    const before = env.fogbank.clock.now();
    await logs.send(new CreateLogGroupCommand({ logGroupName: name, kmsKeyId: 'arn:aws:kms:us-east-1:000000000000:key/abc', logGroupClass: 'INFREQUENT_ACCESS', tags: { team: 'core' } }));
    const { logGroups } = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }));
    assert.equal(logGroups!.length, 1);
    const group = logGroups![0]!;
    assert.equal(group.logGroupName, name);
    assert.equal(group.arn, `arn:aws:logs:us-east-1:000000000000:log-group:${name}:*`);
    assert.equal(group.logGroupArn, `arn:aws:logs:us-east-1:000000000000:log-group:${name}`);
    assert.equal(group.kmsKeyId, 'arn:aws:kms:us-east-1:000000000000:key/abc');
    assert.equal(group.logGroupClass, 'INFREQUENT_ACCESS');
    assert.equal(group.storedBytes, 0);
    assert.equal(group.metricFilterCount, 0);
    assert.equal(group.retentionInDays, undefined);
    assert.ok(group.creationTime! >= before);
    const { tags } = await logs.send(new ListTagsLogGroupCommand({ logGroupName: name }));
    assert.deepEqual(tags, { team: 'core' });
  });

  it('a group is STANDARD by default and exists per region', async () => {
    const name = unique('regional');
    await logsClient(env.endpoint).send(new CreateLogGroupCommand({ logGroupName: name }));
    const east = await logsClient(env.endpoint).send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }));
    assert.equal(east.logGroups![0]!.logGroupClass, 'STANDARD');
    const west = await logsClient(env.endpoint, 'eu-west-1').send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }));
    assert.deepEqual(west.logGroups, []);
  });

  it('a second CreateLogGroup with the same name is ResourceAlreadyExistsException', async () => {
    const logs = logsClient(env.endpoint);
    const name = unique('dup');
    await logs.send(new CreateLogGroupCommand({ logGroupName: name }));
    await rejectsWith(logs.send(new CreateLogGroupCommand({ logGroupName: name })), 'ResourceAlreadyExistsException', 'The specified log group already exists');
  });

  it('names must follow AWS rules', async () => {
    const logs = logsClient(env.endpoint);
    await rejectsWith(
      logs.send(new CreateLogGroupCommand({ logGroupName: 'has space' })),
      'InvalidParameterException',
      "1 validation error detected: Value 'has space' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+",
    );
    // AWS's own answer is "Invalid LogGroup or LogStream, both must have length less than or equal to 512.";
    // the model's length constraint answers first here, with the same code.
    await rejectsWith(logs.send(new CreateLogGroupCommand({ logGroupName: 'x'.repeat(513) })), 'InvalidParameterException', /512/);
    await rejectsWith(logs.send(new CreateLogGroupCommand({ logGroupName: 'aws/mine' })), 'InvalidParameterException', 'Log groups starting with AWS/ are reserved for AWS.');
    // Names with every allowed character work, and the server still answers.
    await logs.send(new CreateLogGroupCommand({ logGroupName: unique('a.b-c_d/e#f') }));
  });

  it('DescribeLogGroups filters by prefix or by case-sensitive pattern, not both', async () => {
    const logs = logsClient(env.endpoint);
    const base = unique('search');
    for (const n of [`${base}/DataLogs`, `${base}/GroupDataLogs`, `${base}/datalogs`]) await logs.send(new CreateLogGroupCommand({ logGroupName: n }));
    const byPrefix = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: `${base}/` }));
    assert.deepEqual(byPrefix.logGroups!.map((g) => g.logGroupName), [`${base}/DataLogs`, `${base}/GroupDataLogs`, `${base}/datalogs`]);
    const byPattern = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePattern: `${base}/Group` }));
    assert.deepEqual(byPattern.logGroups!.map((g) => g.logGroupName), [`${base}/GroupDataLogs`]);
    const caseSensitive = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePattern: 'DataLogs' }));
    assert.deepEqual(caseSensitive.logGroups!.map((g) => g.logGroupName), [`${base}/DataLogs`, `${base}/GroupDataLogs`]);
    // A pattern search shows only the brief fields, as AWS does.
    assert.equal(byPattern.logGroups![0]!.storedBytes, undefined);
    await rejectsWith(
      logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'a', logGroupNamePattern: 'b' })),
      'InvalidParameterException',
      'LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.',
    );
  });

  it('DescribeLogGroups pages with limit and nextToken, and rejects a foreign token', async () => {
    const logs = logsClient(env.endpoint);
    const base = unique('paged');
    const names = Array.from({ length: 7 }, (_, i) => `${base}/g${i}`);
    for (const n of names) await logs.send(new CreateLogGroupCommand({ logGroupName: n }));
    const seen: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: base, limit: 3, nextToken }));
      assert.ok(page.logGroups!.length <= 3);
      seen.push(...page.logGroups!.map((g) => g.logGroupName!));
      nextToken = page.nextToken;
      pages++;
    } while (nextToken);
    assert.deepEqual(seen, names);
    assert.equal(pages, 3);
    await rejectsWith(logs.send(new DescribeLogGroupsCommand({ nextToken: 'not-a-token' })), 'InvalidParameterException', 'The specified nextToken is invalid.');
  });

  it('DeleteLogGroup removes the group; a missing group is ResourceNotFoundException', async () => {
    const logs = logsClient(env.endpoint);
    const name = unique('gone');
    await logs.send(new CreateLogGroupCommand({ logGroupName: name }));
    await logs.send(new DeleteLogGroupCommand({ logGroupName: name }));
    assert.deepEqual((await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }))).logGroups, []);
    await rejectsWith(logs.send(new DeleteLogGroupCommand({ logGroupName: name })), 'ResourceNotFoundException', 'The specified log group does not exist.');
    // The name is free again.
    await logs.send(new CreateLogGroupCommand({ logGroupName: name }));
  });

  it('PutRetentionPolicy takes only the values AWS allows; DeleteRetentionPolicy clears it', async () => {
    const logs = logsClient(env.endpoint);
    const name = unique('retention');
    await logs.send(new CreateLogGroupCommand({ logGroupName: name }));
    for (const days of [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]) {
      await logs.send(new PutRetentionPolicyCommand({ logGroupName: name, retentionInDays: days }));
    }
    const shown = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }));
    assert.equal(shown.logGroups![0]!.retentionInDays, 3653);
    for (const days of [2, 0, 4000, 366]) {
      await rejectsWith(
        logs.send(new PutRetentionPolicyCommand({ logGroupName: name, retentionInDays: days })),
        'InvalidParameterException',
        `1 validation error detected: Value '${days}' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]`,
      );
    }
    await logs.send(new DeleteRetentionPolicyCommand({ logGroupName: name }));
    const cleared = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }));
    assert.equal(cleared.logGroups![0]!.retentionInDays, undefined);
    await rejectsWith(logs.send(new PutRetentionPolicyCommand({ logGroupName: unique('nope'), retentionInDays: 1 })), 'ResourceNotFoundException', 'The specified log group does not exist.');
    await rejectsWith(logs.send(new DeleteRetentionPolicyCommand({ logGroupName: unique('nope') })), 'ResourceNotFoundException', 'The specified log group does not exist.');
  });

  it('AssociateKmsKey and DisassociateKmsKey record the key by name or ARN', async () => {
    const logs = logsClient(env.endpoint);
    const name = unique('kms');
    await logs.send(new CreateLogGroupCommand({ logGroupName: name }));
    await logs.send(new AssociateKmsKeyCommand({ logGroupName: name, kmsKeyId: 'arn:aws:kms:us-east-1:000000000000:key/k1' }));
    let group = (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }))).logGroups![0]!;
    assert.equal(group.kmsKeyId, 'arn:aws:kms:us-east-1:000000000000:key/k1');
    await logs.send(new DisassociateKmsKeyCommand({ resourceIdentifier: group.logGroupArn }));
    group = (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }))).logGroups![0]!;
    assert.equal(group.kmsKeyId, undefined);
    await rejectsWith(logs.send(new AssociateKmsKeyCommand({ logGroupName: unique('nope'), kmsKeyId: 'k' })), 'ResourceNotFoundException', 'The specified log group does not exist.');
  });
});

describe('CloudWatch Logs tags', () => {
  it('TagLogGroup and TagResource edit the same tags, seen by both list calls', async () => {
    const logs = logsClient(env.endpoint);
    const name = unique('tagged');
    await logs.send(new CreateLogGroupCommand({ logGroupName: name, tags: { env: 'testing1' } }));
    const arn = (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }))).logGroups![0]!.logGroupArn!;
    await logs.send(new TagResourceCommand({ resourceArn: arn, tags: { test1: 'val1', test2: 'val2' } }));
    assert.deepEqual((await logs.send(new ListTagsLogGroupCommand({ logGroupName: name }))).tags, { env: 'testing1', test1: 'val1', test2: 'val2' });
    await logs.send(new TagLogGroupCommand({ logGroupName: name, tags: { test3: 'val3', env: 'changed' } }));
    assert.deepEqual((await logs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags, { env: 'changed', test1: 'val1', test2: 'val2', test3: 'val3' });
    await logs.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['env', 'test1'] }));
    await logs.send(new UntagLogGroupCommand({ logGroupName: name, tags: ['test3'] }));
    assert.deepEqual((await logs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags, { test2: 'val2' });
    // The tagging API takes the ARN without DescribeLogGroups' trailing ":*".
    await rejectsWith(logs.send(new ListTagsForResourceCommand({ resourceArn: `${arn}:*` })), 'InvalidParameterException', /resourceArn/);
  });

  it('tagging a missing group or a malformed ARN fails; more than 50 tags in all is TooManyTagsException', async () => {
    const logs = logsClient(env.endpoint);
    await rejectsWith(logs.send(new TagLogGroupCommand({ logGroupName: unique('nope'), tags: { a: 'b' } })), 'ResourceNotFoundException', 'The specified log group does not exist.');
    await rejectsWith(logs.send(new ListTagsForResourceCommand({ resourceArn: 'arn:aws:logs:us-east-1:000000000000:log-group:absent' })), 'ResourceNotFoundException');
    await rejectsWith(logs.send(new TagResourceCommand({ resourceArn: 'arn:aws:s3:::bucket', tags: { a: 'b' } })), 'InvalidParameterException');
    const name = unique('many-tags');
    const tags = (from: number, count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${from + i}`, 'v']));
    await logs.send(new CreateLogGroupCommand({ logGroupName: name, tags: tags(0, 30) }));
    await rejectsWith(logs.send(new TagLogGroupCommand({ logGroupName: name, tags: tags(30, 21) })), 'TooManyTagsException', 'A resource can have no more than 50 tags.');
    assert.equal(Object.keys((await logs.send(new ListTagsLogGroupCommand({ logGroupName: name }))).tags!).length, 30);
    await logs.send(new TagLogGroupCommand({ logGroupName: name, tags: tags(30, 20) }));
    assert.equal(Object.keys((await logs.send(new ListTagsLogGroupCommand({ logGroupName: name }))).tags!).length, 50);
  });
});
