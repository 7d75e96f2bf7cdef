import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DescribeParametersCommand, GetParameterCommand, GetParameterHistoryCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { clientConfig, useFogbank } from '../support/fogbank.js';
import { INVALID_NAME, rejectsWith, ssmClient, stillServes } from './helpers.js';

const env = useFogbank();

describe('SSM PutParameter', () => {
  it('creates version 1 in the Standard tier, and refuses to create it again without Overwrite', async () => {
    const ssm = ssmClient(env.endpoint);
    const created = await ssm.send(new PutParameterCommand({ Name: '/put/basic', Value: 'v1', Type: 'String', Description: 'first' }));
    assert.equal(created.Version, 1);
    assert.equal(created.Tier, 'Standard');
    await rejectsWith(
      ssm.send(new PutParameterCommand({ Name: '/put/basic', Value: 'v2', Type: 'String' })),
      'ParameterAlreadyExists',
      'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
    );
    const { Parameter } = await ssm.send(new GetParameterCommand({ Name: '/put/basic' }));
    assert.equal(Parameter!.Value, 'v1');
    assert.equal(Parameter!.Version, 1);
  });

  it('Overwrite adds a version and keeps what the caller leaves out (type, description)', async () => {
    const ssm = ssmClient(env.endpoint);
    await ssm.send(new PutParameterCommand({ Name: '/put/over', Value: 'a,b', Type: 'StringList', Description: 'kept' }));
    const second = await ssm.send(new PutParameterCommand({ Name: '/put/over', Value: 'a,b,c', Overwrite: true }));
    assert.equal(second.Version, 2);
    const { Parameters } = await ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Values: ['/put/over'] }] }));
    assert.equal(Parameters!.length, 1);
    assert.equal(Parameters![0]!.Type, 'StringList');
    assert.equal(Parameters![0]!.Description, 'kept');
    assert.equal(Parameters![0]!.Version, 2);
  });

  it('Overwrite may change the type; a new SecureString gets the default key', async () => {
    const ssm = ssmClient(env.endpoint);
    await ssm.send(new PutParameterCommand({ Name: '/put/retype', Value: 'plain', Type: 'String' }));
    await ssm.send(new PutParameterCommand({ Name: '/put/retype', Value: 'hidden', Type: 'SecureString', Overwrite: true }));
    const { Parameters } = await ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Values: ['/put/retype'] }] }));
    assert.equal(Parameters![0]!.Type, 'SecureString');
    assert.equal(Parameters![0]!.KeyId, 'alias/aws/ssm');
  });

  it('requires a type on create, refuses tags with Overwrite, and an empty value', async () => {
    const ssm = ssmClient(env.endpoint);
    await rejectsWith(ssm.send(new PutParameterCommand({ Name: '/put/notype', Value: 'x' })), 'ValidationException', 'A parameter type is required when you create a parameter.');
    await rejectsWith(
      ssm.send(new PutParameterCommand({ Name: '/put/tagged', Value: 'x', Type: 'String', Overwrite: true, Tags: [{ Key: 'k', Value: 'v' }] })),
      'ValidationException',
      "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.",
    );
    await rejectsWith(
      ssm.send(new PutParameterCommand({ Name: '/put/empty', Value: '', Type: 'String' })),
      'ValidationException',
      "1 validation error detected: Value '' at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1.",
    );
    await stillServes(ssm);
  });

  it('rejects names AWS does not allow, with its messages', async () => {
    const ssm = ssmClient(env.endpoint);
    for (const name of ['no/leading/slash', 'has space', 'colon:name', '/double//slash', '/trailing/', 'arn:aws:ssm:us-east-1:000000000000:parameter/x']) {
      await rejectsWith(ssm.send(new PutParameterCommand({ Name: name, Value: 'x', Type: 'String' })), 'ValidationException', INVALID_NAME);
    }
    for (const name of ['awsThing', 'SSM-thing', '/aws-ish']) {
      await rejectsWith(
        ssm.send(new PutParameterCommand({ Name: name, Value: 'x', Type: 'String' })),
        'ValidationException',
        'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive).',
      );
    }
    await rejectsWith(ssm.send(new PutParameterCommand({ Name: '/ssm/x', Value: 'x', Type: 'String' })), 'ValidationException', INVALID_NAME);
    await rejectsWith(
      ssm.send(new PutParameterCommand({ Name: '/aws/service/x', Value: 'x', Type: 'String' })),
      'AccessDeniedException',
      'No access to reserved parameter name: /aws/service/x.',
    );
    await stillServes(ssm);
  });

  it('allows 15 hierarchy levels and refuses 16', async () => {
    const ssm = ssmClient(env.endpoint);
    const levels = (n: number) => '/' + Array.from({ length: n }, (_, i) => `l${i + 1}`).join('/');
    assert.equal((await ssm.send(new PutParameterCommand({ Name: levels(15), Value: 'deep', Type: 'String' }))).Version, 1);
    await rejectsWith(
      ssm.send(new PutParameterCommand({ Name: levels(16), Value: 'deeper', Type: 'String' })),
      'HierarchyLevelLimitExceededException',
      /maximum of 15 levels/,
    );
  });

  it('treats "/name" and "name" as one parameter, named without the slash; trims spaces around names', async () => {
    const ssm = ssmClient(env.endpoint);
    await ssm.send(new PutParameterCommand({ Name: '/single', Value: 'one', Type: 'String' }));
    await rejectsWith(ssm.send(new PutParameterCommand({ Name: 'single', Value: 'two', Type: 'String' })), 'ParameterAlreadyExists');
    const { Parameter } = await ssm.send(new GetParameterCommand({ Name: 'single' }));
    assert.equal(Parameter!.Name, 'single');
    assert.equal(Parameter!.ARN, 'arn:aws:ssm:us-east-1:000000000000:parameter/single');
    await ssm.send(new PutParameterCommand({ Name: '  /put/spaced  ', Value: 'x', Type: 'String' }));
    assert.equal((await ssm.send(new GetParameterCommand({ Name: '/put/spaced' }))).Parameter!.Name, '/put/spaced');
  });

  it('enforces the tier value limits, Intelligent-Tiering, and no downgrade from Advanced', async () => {
    const ssm = ssmClient(env.endpoint);
    const big = 'x'.repeat(4097);
    await rejectsWith(
      ssm.send(new PutParameterCommand({ Name: '/tier/big', Value: big, Type: 'String' })),
      'ValidationException',
      'Standard tier parameters support a maximum parameter value of 4096 characters. To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier. For more information, see https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html',
    );
    assert.equal((await ssm.send(new PutParameterCommand({ Name: '/tier/exact', Value: 'x'.repeat(4096), Type: 'String' }))).Tier, 'Standard');
    assert.equal((await ssm.send(new PutParameterCommand({ Name: '/tier/big', Value: big, Type: 'String', Tier: 'Advanced' }))).Tier, 'Advanced');
    await rejectsWith(ssm.send(new PutParameterCommand({ Name: '/tier/huge', Value: 'x'.repeat(8193), Type: 'String', Tier: 'Advanced' })), 'ValidationException', /8192/);
    assert.equal((await ssm.send(new PutParameterCommand({ Name: '/tier/auto-small', Value: 'x', Type: 'String', Tier: 'Intelligent-Tiering' }))).Tier, 'Standard');
    assert.equal((await ssm.send(new PutParameterCommand({ Name: '/tier/auto-big', Value: big, Type: 'String', Tier: 'Intelligent-Tiering' }))).Tier, 'Advanced');
    await rejectsWith(
      ssm.send(new PutParameterCommand({ Name: '/tier/big', Value: 'small', Type: 'String', Tier: 'Standard', Overwrite: true })),
      'ValidationException',
      /^This parameter uses the advanced-parameter tier. You can't downgrade a parameter from the advanced-parameter tier to the standard-parameter tier./,
    );
    // Without a Tier an advanced parameter stays advanced.
    assert.equal((await ssm.send(new PutParameterCommand({ Name: '/tier/big', Value: 'small', Overwrite: true }))).Tier, 'Advanced');
    await stillServes(ssm);
  });

  it('checks AllowedPattern against the whole value, on overwrite too', async () => {
    const ssm = ssmClient(env.endpoint);
    await ssm.send(new PutParameterCommand({ Name: '/pattern/port', Value: '8080', Type: 'String', AllowedPattern: '\\d{1,4}' }));
    await rejectsWith(
      ssm.send(new PutParameterCommand({ Name: '/pattern/port', Value: '10000', Overwrite: true })),
      'ParameterPatternMismatchException',
      'Parameter value, cannot be validated against allowedPattern: \\d{1,4}',
    );
    await rejectsWith(
      ssm.send(new PutParameterCommand({ Name: '/pattern/bad', Value: 'x', Type: 'String', AllowedPattern: '([' })),
      'InvalidAllowedPatternException',
    );
    assert.equal((await ssm.send(new GetParameterCommand({ Name: '/pattern/port' }))).Parameter!.Value, '8080');
  });

  it('checks DataType: unknown types, AMI ids, and no change to or from aws:ec2:image', async () => {
    const ssm = ssmClient(env.endpoint);
    await rejectsWith(
      ssm.send(new PutParameterCommand({ Name: '/dt/x', Value: 'x', Type: 'String', DataType: 'Text' })),
      'ValidationException',
      'The following data type is not supported: Text (Data type names are all lowercase.)',
    );
    await ssm.send(new PutParameterCommand({ Name: '/dt/ami', Value: 'ami-0123456789abcdef0', Type: 'String', DataType: 'aws:ec2:image' }));
    assert.equal((await ssm.send(new GetParameterCommand({ Name: '/dt/ami' }))).Parameter!.DataType, 'aws:ec2:image');
    // As on AWS, a bad AMI id is acknowledged (validation is asynchronous there) but never stored.
    const acknowledged = await ssm.send(new PutParameterCommand({ Name: '/dt/not-ami', Value: 'placeholder', Type: 'String', DataType: 'aws:ec2:image' }));
    assert.equal(acknowledged.Version, 1);
    await rejectsWith(ssm.send(new GetParameterCommand({ Name: '/dt/not-ami' })), 'ParameterNotFound');
    await ssm.send(new PutParameterCommand({ Name: '/dt/text', Value: 'ami-0123456789abcdef0', Type: 'String' }));
    await rejectsWith(ssm.send(new PutParameterCommand({ Name: '/dt/text', Value: 'ami-0123456789abcdef0', DataType: 'aws:ec2:image', Overwrite: true })), 'ValidationException');
  });

  it('records parameter policies on advanced parameters and checks them', async () => {
    const ssm = ssmClient(env.endpoint);
    const expiration = { Type: 'Expiration', Version: '1.0', Attributes: { Timestamp: '2030-12-02T21:34:33.000Z' } };
    const put = await ssm.send(new PutParameterCommand({ Name: '/policy/ok', Value: 'x', Type: 'String', Tier: 'Intelligent-Tiering', Policies: JSON.stringify([expiration]) }));
    assert.equal(put.Tier, 'Advanced');
    const { Parameters } = await ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Values: ['/policy/ok'] }] }));
    assert.deepEqual(Parameters![0]!.Policies, [{ PolicyText: JSON.stringify(expiration), PolicyType: 'Expiration', PolicyStatus: 'Pending' }]);
    await rejectsWith(
      ssm.send(new PutParameterCommand({ Name: '/policy/bad', Value: 'x', Type: 'String', Tier: 'Advanced', Policies: JSON.stringify([{ Type: 'Explode', Attributes: {} }]) })),
      'InvalidPolicyTypeException',
    );
    await rejectsWith(
      ssm.send(new PutParameterCommand({ Name: '/policy/twice', Value: 'x', Type: 'String', Tier: 'Advanced', Policies: JSON.stringify([expiration, expiration]) })),
      'IncompatiblePolicyException',
    );
    await rejectsWith(ssm.send(new PutParameterCommand({ Name: '/policy/std', Value: 'x', Type: 'String', Tier: 'Standard', Policies: JSON.stringify([expiration]) })), 'ValidationException');
    await stillServes(ssm);
  });

  it('stamps LastModifiedDate from the Fogbank clock and LastModifiedUser with the caller', async () => {
    const ssm = ssmClient(env.endpoint);
    env.fogbank.clock.advance(86_400_000);
    const before = env.fogbank.clock.now();
    await ssm.send(new PutParameterCommand({ Name: '/who/root', Value: 'x', Type: 'String' }));
    const { Parameters } = await ssm.send(new GetParameterHistoryCommand({ Name: '/who/root' }));
    assert.equal(Parameters![0]!.LastModifiedUser, 'arn:aws:iam::000000000000:root');
    assert.ok(Math.abs(Parameters![0]!.LastModifiedDate!.getTime() - before) < 5000);

    const sts = new STSClient(clientConfig(env.endpoint));
    const { Credentials } = await sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::000000000000:role/deployer', RoleSessionName: 'ci' }));
    const asRole = ssmClient(env.endpoint, 'us-east-1', { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken });
    await asRole.send(new PutParameterCommand({ Name: '/who/role', Value: 'x', Type: 'String' }));
    const history = await ssm.send(new GetParameterHistoryCommand({ Name: '/who/role' }));
    assert.equal(history.Parameters![0]!.LastModifiedUser, 'arn:aws:sts::000000000000:assumed-role/deployer/ci');
  });
});
