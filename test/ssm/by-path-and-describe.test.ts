import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  DescribeParametersCommand,
  GetParametersByPathCommand,
  LabelParameterVersionCommand,
  PutParameterCommand,
  type DescribeParametersCommandInput,
  type GetParametersByPathCommandInput,
} from '@aws-sdk/client-ssm';
import { useFogbank } from '../support/fogbank.js';
import { rejectsWith, ssmClient, stillServes } from './helpers.js';

const env = useFogbank();

async function allByPath(input: GetParametersByPathCommandInput): Promise<string[]> {
  const ssm = ssmClient(env.endpoint);
  const names: string[] = [];
  let token: string | undefined;
  do {
    const page = await ssm.send(new GetParametersByPathCommand({ ...input, NextToken: token }));
    assert.ok(page.Parameters!.length <= (input.MaxResults ?? 10));
    names.push(...page.Parameters!.map((p) => p.Name!));
    token = page.NextToken;
  } while (token);
  return names;
}

async function described(input: DescribeParametersCommandInput): Promise<string[]> {
  const ssm = ssmClient(env.endpoint);
  const names: string[] = [];
  let token: string | undefined;
  do {
    const page = await ssm.send(new DescribeParametersCommand({ ...input, NextToken: token }));
    names.push(...page.Parameters!.map((p) => p.Name!));
    token = page.NextToken;
  } while (token);
  return names;
}

describe('SSM GetParametersByPath and DescribeParameters', () => {
  before(async () => {
    const ssm = ssmClient(env.endpoint);
    const put = (Name: string, Value: string, Type: 'String' | 'StringList' | 'SecureString' = 'String', extra = {}) =>
      ssm.send(new PutParameterCommand({ Name, Value, Type, ...extra }));
    await put('/app/name', 'fogbank');
    await put('/app/db/host', 'localhost');
    await put('/app/db/password', 'hunter2', 'SecureString', { KeyId: 'alias/app' });
    await put('/app/db/replicas', 'a,b', 'StringList');
    await put('/app/feature/flags/new-ui', 'on', 'String', { Tags: [{ Key: 'team', Value: 'web' }] });
    await put('/application/other', 'not under /app');
    await put('rootlevel', 'top', 'String', { Tags: [{ Key: 'team', Value: 'ops' }] });
    await put('/big/advanced', 'x', 'String', { Tier: 'Advanced', Description: 'an advanced one' });
    for (let i = 0; i < 23; i++) await put(`/many/p${String(i).padStart(2, '0')}`, String(i));
    await put('/app/db/host', 'db.internal', 'String', { Overwrite: true });
    await ssm.send(new LabelParameterVersionCommand({ Name: '/app/db/host', ParameterVersion: 1, Labels: ['old'] }));
  });

  it('returns direct children, or every descendant with Recursive', async () => {
    assert.deepEqual(await allByPath({ Path: '/app' }), ['/app/name']);
    assert.deepEqual(await allByPath({ Path: '/app/' }), ['/app/name']);
    assert.deepEqual(await allByPath({ Path: '/app', Recursive: true }), ['/app/db/host', '/app/db/password', '/app/db/replicas', '/app/feature/flags/new-ui', '/app/name']);
    assert.deepEqual(await allByPath({ Path: '/app/db' }), ['/app/db/host', '/app/db/password', '/app/db/replicas']);
    assert.deepEqual(await allByPath({ Path: '/' }), ['rootlevel']);
    assert.equal((await allByPath({ Path: '/', Recursive: true })).length, 31);
    assert.deepEqual(await allByPath({ Path: '/nothing/here', Recursive: true }), []);
  });

  it('decrypts SecureStrings only WithDecryption', async () => {
    const ssm = ssmClient(env.endpoint);
    const hidden = await ssm.send(new GetParametersByPathCommand({ Path: '/app/db' }));
    assert.notEqual(hidden.Parameters!.find((p) => p.Name === '/app/db/password')!.Value, 'hunter2');
    const shown = await ssm.send(new GetParametersByPathCommand({ Path: '/app/db', WithDecryption: true }));
    assert.equal(shown.Parameters!.find((p) => p.Name === '/app/db/password')!.Value, 'hunter2');
    assert.equal(shown.Parameters!.find((p) => p.Name === '/app/db/host')!.Value, 'db.internal');
  });

  it('pages ten at a most, or MaxResults, with NextToken', async () => {
    const ssm = ssmClient(env.endpoint);
    const first = await ssm.send(new GetParametersByPathCommand({ Path: '/many' }));
    assert.equal(first.Parameters!.length, 10);
    assert.ok(first.NextToken);
    const names = await allByPath({ Path: '/many', MaxResults: 4 });
    assert.equal(names.length, 23);
    assert.equal(new Set(names).size, 23);
    await rejectsWith(ssm.send(new GetParametersByPathCommand({ Path: '/many', NextToken: 'garbage' })), 'InvalidNextToken');
  });

  it('applies Type, KeyId and Label filters, and refuses the keys AWS refuses', async () => {
    const ssm = ssmClient(env.endpoint);
    assert.deepEqual(await allByPath({ Path: '/app', Recursive: true, ParameterFilters: [{ Key: 'Type', Values: ['StringList', 'SecureString'] }] }), [
      '/app/db/password',
      '/app/db/replicas',
    ]);
    assert.deepEqual(await allByPath({ Path: '/app', Recursive: true, ParameterFilters: [{ Key: 'KeyId', Option: 'BeginsWith', Values: ['alias/'] }] }), ['/app/db/password']);
    const labeled = await ssm.send(new GetParametersByPathCommand({ Path: '/app/db', ParameterFilters: [{ Key: 'Label', Values: ['old'] }] }));
    assert.deepEqual(
      labeled.Parameters!.map((p) => [p.Name, p.Value, p.Version]),
      [['/app/db/host', 'localhost', 1]],
    );
    await rejectsWith(
      ssm.send(new GetParametersByPathCommand({ Path: '/app', ParameterFilters: [{ Key: 'Name', Values: ['x'] }] })),
      'InvalidFilterKey',
      'The following filter key is not valid: Name. Valid filter keys include: [Type, KeyId].',
    );
    await rejectsWith(ssm.send(new GetParametersByPathCommand({ Path: '/app', ParameterFilters: [{ Key: 'Tier', Values: ['Standard'] }] })), 'InvalidFilterKey');
    await rejectsWith(ssm.send(new GetParametersByPathCommand({ Path: '/app', ParameterFilters: [{ Key: 'Label', Option: 'BeginsWith', Values: ['o'] }] })), 'InvalidFilterOption');
    await stillServes(ssm);
  });

  it('validates the path as AWS does', async () => {
    const ssm = ssmClient(env.endpoint);
    const message =
      'Parameter path: can\'t be prefixed with "aws" or "ssm" (case-insensitive) except global parameter name path prefixed with "aws" (case-sensitive). It should always begin with / symbol.It consists of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_';
    for (const path of ['app', '/app/*', '/ssm/x', '/AWS/x', '/a//b']) {
      await rejectsWith(ssm.send(new GetParametersByPathCommand({ Path: path })), 'ValidationException', message);
    }
    // The lower-case /aws namespace holds AWS's public parameters, which Fogbank does not carry.
    assert.deepEqual((await ssm.send(new GetParametersByPathCommand({ Path: '/aws/service' }))).Parameters, []);
    await stillServes(ssm);
  });

  it('GetParametersByPath takes MaxResults up to 10', async () => {
    const ssm = ssmClient(env.endpoint);
    await rejectsWith(ssm.send(new GetParametersByPathCommand({ Path: '/many', MaxResults: 11 })), 'ValidationException', /less than or equal to 10/);
  });

  it('DescribeParameters lists metadata without values, paged', async () => {
    const ssm = ssmClient(env.endpoint);
    const page = await ssm.send(new DescribeParametersCommand({}));
    assert.equal(page.Parameters!.length, 10);
    assert.ok(page.NextToken);
    const all = await described({ MaxResults: 50 });
    assert.equal(all.length, 31);
    const host = (await ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Values: ['/app/db/password'] }] }))).Parameters![0]!;
    assert.equal((host as Record<string, unknown>)['Value'], undefined);
    assert.equal(host.KeyId, 'alias/app');
    assert.equal(host.Type, 'SecureString');
    assert.equal(host.Tier, 'Standard');
    assert.equal(host.ARN, 'arn:aws:ssm:us-east-1:000000000000:parameter/app/db/password');
    assert.equal(host.LastModifiedUser, 'arn:aws:iam::000000000000:root');
    assert.deepEqual(host.Policies, []);
  });

  it('DescribeParameters filters by Name, Path, Type, KeyId, Tier, DataType and tags', async () => {
    assert.deepEqual(await described({ ParameterFilters: [{ Key: 'Name', Option: 'BeginsWith', Values: ['/app/db'] }] }), ['/app/db/host', '/app/db/password', '/app/db/replicas']);
    assert.deepEqual(await described({ ParameterFilters: [{ Key: 'Name', Option: 'Contains', Values: ['replica'] }] }), ['/app/db/replicas']);
    assert.deepEqual(await described({ ParameterFilters: [{ Key: 'Name', Values: ['/rootlevel'] }] }), ['rootlevel']);
    assert.deepEqual(await described({ ParameterFilters: [{ Key: 'Path', Values: ['/app'] }] }), ['/app/name']);
    assert.deepEqual(await described({ ParameterFilters: [{ Key: 'Path', Option: 'Recursive', Values: ['/app/db', '/app/feature'] }] }), [
      '/app/db/host',
      '/app/db/password',
      '/app/db/replicas',
      '/app/feature/flags/new-ui',
    ]);
    assert.deepEqual(await described({ ParameterFilters: [{ Key: 'Path', Values: ['/'] }] }), ['rootlevel']);
    assert.deepEqual(await described({ ParameterFilters: [{ Key: 'Type', Values: ['StringList'] }] }), ['/app/db/replicas']);
    assert.deepEqual(await described({ ParameterFilters: [{ Key: 'KeyId', Values: ['alias/app'] }] }), ['/app/db/password']);
    assert.deepEqual(await described({ ParameterFilters: [{ Key: 'Tier', Values: ['Advanced'] }] }), ['/big/advanced']);
    assert.deepEqual(await described({ ParameterFilters: [{ Key: 'DataType', Values: ['aws:ec2:image'] }] }), []);
    assert.deepEqual(await described({ ParameterFilters: [{ Key: 'tag:team' }] }), ['/app/feature/flags/new-ui', 'rootlevel']);
    assert.deepEqual(await described({ ParameterFilters: [{ Key: 'tag:team', Values: ['ops'] }] }), ['rootlevel']);
    assert.deepEqual(
      await described({ ParameterFilters: [{ Key: 'Path', Option: 'Recursive', Values: ['/app'] }, { Key: 'Type', Values: ['String'] }] }),
      ['/app/db/host', '/app/feature/flags/new-ui', '/app/name'],
    );
    assert.deepEqual(await described({ Filters: [{ Key: 'Name', Values: ['/app/db/h'] }] }), ['/app/db/host']);
    assert.deepEqual(await described({ Filters: [{ Key: 'Type', Values: ['SecureString'] }] }), ['/app/db/password']);
  });

  it('DescribeParameters refuses bad filters with AWS errors', async () => {
    const ssm = ssmClient(env.endpoint);
    const describeWith = (input: DescribeParametersCommandInput) => ssm.send(new DescribeParametersCommand(input));
    await rejectsWith(
      describeWith({ Filters: [{ Key: 'Name', Values: ['x'] }], ParameterFilters: [{ Key: 'Name', Values: ['x'] }] }),
      'ValidationException',
      'You can use either Filters or ParameterFilters in a single request.',
    );
    await rejectsWith(
      describeWith({ ParameterFilters: [{ Key: 'Label', Values: ['x'] }] }),
      'InvalidFilterKey',
      'The following filter key is not valid: Label. Valid filter keys include: [Path, Name, Type, KeyId, Tier].',
    );
    await rejectsWith(describeWith({ ParameterFilters: [{ Key: 'Name' }] }), 'InvalidFilterValue', 'The following filter values are missing : null for filter key Name.');
    await rejectsWith(
      describeWith({ ParameterFilters: [{ Key: 'Name', Values: ['a'] }, { Key: 'Name', Values: ['b'] }] }),
      'InvalidFilterKey',
      'The following filter is duplicated in the request: Name. A request can contain only one occurrence of a specific filter.',
    );
    await rejectsWith(
      describeWith({ ParameterFilters: [{ Key: 'Path', Option: 'Equals', Values: ['/app'] }] }),
      'InvalidFilterOption',
      'The following filter option is not valid: Equals. Valid options include: [Recursive, OneLevel].',
    );
    await rejectsWith(describeWith({ ParameterFilters: [{ Key: 'Type', Option: 'Contains', Values: ['S'] }] }), 'InvalidFilterOption');
    await rejectsWith(describeWith({ ParameterFilters: [{ Key: 'Type', Values: ['Str'] }] }), 'InvalidFilterValue', /The following filter value is not valid: Str/);
    await rejectsWith(describeWith({ ParameterFilters: [{ Key: 'Path', Values: ['/ssm'] }] }), 'ValidationException', /^Filters for common parameters can't be prefixed with "aws" or "ssm"/);
    await rejectsWith(describeWith({ ParameterFilters: [{ Key: 'Path', Values: ['no-slash'] }] }), 'ValidationException', /^The parameter doesn't meet the parameter name requirements/);
    await rejectsWith(describeWith({ NextToken: 'not-a-token' }), 'InvalidNextToken');
    await stillServes(ssm);
  });
});
