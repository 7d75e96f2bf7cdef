import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { awsCli, awsCliFails, boto3, hasAwsCli, hasBoto3, useFogbank } from '../support/fogbank.js';
import { ssmClient } from './helpers.js';

const env = useFogbank();

interface CliParameter {
  Name: string;
  Value: string;
  Type: string;
  Version: number;
}

describe('SSM from the AWS CLI and boto3', () => {
  it('aws ssm get-parameters-by-path --path /app --recursive lists the whole tree, across pages', { skip: !hasAwsCli && 'needs the AWS CLI' }, async () => {
    // Set up through the SDK (each CLI run costs a second); the CLI does the reading.
    const ssm = ssmClient(env.endpoint);
    for (let i = 0; i < 12; i++) {
      await ssm.send(new PutParameterCommand({ Name: `/app/service/s${String(i).padStart(2, '0')}`, Value: `v${i}`, Type: 'String' }));
    }
    await ssm.send(new PutParameterCommand({ Name: '/app/db/password', Value: 'hunter2', Type: 'SecureString' }));
    await ssm.send(new PutParameterCommand({ Name: '/app/top', Value: 'a,b', Type: 'StringList' }));
    await ssm.send(new PutParameterCommand({ Name: '/other/x', Value: 'no', Type: 'String' }));

    const { json } = await awsCli(env.endpoint, ['ssm', 'get-parameters-by-path', '--path', '/app', '--recursive']);
    const parameters = (json as { Parameters: CliParameter[] }).Parameters;
    assert.equal(parameters.length, 14);
    assert.ok(parameters.every((p) => p.Name.startsWith('/app/')));
    assert.notEqual(parameters.find((p) => p.Name === '/app/db/password')!.Value, 'hunter2');

    const decrypted = await awsCli(env.endpoint, ['ssm', 'get-parameters-by-path', '--path', '/app/db', '--with-decryption']);
    assert.deepEqual(
      (decrypted.json as { Parameters: CliParameter[] }).Parameters.map((p) => [p.Name, p.Value, p.Type]),
      [['/app/db/password', 'hunter2', 'SecureString']],
    );
    const oneLevel = await awsCli(env.endpoint, ['ssm', 'get-parameters-by-path', '--path', '/app']);
    assert.deepEqual((oneLevel.json as { Parameters: CliParameter[] }).Parameters.map((p) => p.Name), ['/app/top']);
  });

  it('put, overwrite, get and describe from the CLI; errors exit non-zero with the AWS code', { skip: !hasAwsCli && 'needs the AWS CLI' }, async () => {
    const put = await awsCli(env.endpoint, ['ssm', 'put-parameter', '--name', '/cli/p', '--value', 'one', '--type', 'String']);
    assert.deepEqual(put.json, { Version: 1, Tier: 'Standard' });
    await awsCli(env.endpoint, ['ssm', 'put-parameter', '--name', '/cli/p', '--value', 'two', '--overwrite']);
    const got = await awsCli(env.endpoint, ['ssm', 'get-parameter', '--name', '/cli/p']);
    const parameter = (got.json as { Parameter: CliParameter & { ARN: string } }).Parameter;
    assert.equal(parameter.Value, 'two');
    assert.equal(parameter.Version, 2);
    assert.equal(parameter.ARN, 'arn:aws:ssm:us-east-1:000000000000:parameter/cli/p');
    const old = await awsCli(env.endpoint, ['ssm', 'get-parameter', '--name', '/cli/p:1']);
    assert.equal((old.json as { Parameter: CliParameter }).Parameter.Value, 'one');
    const described = await awsCli(env.endpoint, ['ssm', 'describe-parameters', '--parameter-filters', 'Key=Name,Values=/cli/p']);
    assert.equal((described.json as { Parameters: Array<{ Name: string; Version: number }> }).Parameters[0]!.Version, 2);

    const missing = await awsCliFails(env.endpoint, ['ssm', 'get-parameter', '--name', '/cli/missing']);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /ParameterNotFound/);
    const exists = await awsCliFails(env.endpoint, ['ssm', 'put-parameter', '--name', '/cli/p', '--value', 'x', '--type', 'String']);
    assert.match(exists.stderr, /ParameterAlreadyExists/);
    // Still serving.
    const again = await awsCli(env.endpoint, ['ssm', 'get-parameter', '--name', '/cli/p']);
    assert.equal((again.json as { Parameter: CliParameter }).Parameter.Value, 'two');
  });

  it('works from boto3: paginator, labels, history and error codes', { skip: !hasBoto3 && 'needs python3 with boto3' }, async () => {
    const out = (await boto3(
      env.endpoint,
      `
import boto3, json
from botocore.exceptions import ClientError
ssm = boto3.client('ssm')
for i in range(15):
    ssm.put_parameter(Name=f'/py/p{i:02d}', Value=str(i), Type='String')
ssm.put_parameter(Name='/py/p00', Value='zero again', Overwrite=True)
ssm.put_parameter(Name='/py/secret', Value='s3cr3t', Type='SecureString', Tags=[{'Key': 'team', 'Value': 'py'}])
names = []
for page in ssm.get_paginator('get_parameters_by_path').paginate(Path='/py', Recursive=True, WithDecryption=True):
    names += [p['Name'] for p in page['Parameters']]
label = ssm.label_parameter_version(Name='/py/p00', ParameterVersion=1, Labels=['orig', 'awsbad'])
orig = ssm.get_parameter(Name='/py/p00:orig')['Parameter']
history = ssm.get_parameter_history(Name='/py/p00')['Parameters']
secret = ssm.get_parameter(Name='/py/secret', WithDecryption=True)['Parameter']['Value']
tags = ssm.list_tags_for_resource(ResourceType='Parameter', ResourceId='/py/secret')['TagList']
try:
    ssm.get_parameter(Name='/py/p00:7')
    code = None
except ClientError as e:
    code = e.response['Error']['Code']
print(json.dumps({'count': len(names), 'invalid': label['InvalidLabels'], 'orig': [orig['Value'], orig['Selector']],
    'history': [[h['Version'], h['Labels']] for h in history], 'secret': secret, 'tags': tags, 'code': code}))
`,
    )) as Record<string, unknown>;
    assert.deepEqual(out, {
      count: 16,
      invalid: ['awsbad'],
      orig: ['0', ':orig'],
      history: [
        [1, ['orig']],
        [2, []],
      ],
      secret: 's3cr3t',
      tags: [{ Key: 'team', Value: 'py' }],
      code: 'ParameterVersionNotFound',
    });
  });
});
