// The AWS CLI and boto3 against Secrets Manager, as applications use them.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { awsCli, awsCliFails, boto3, hasAwsCli, hasBoto3, useFogbank } from '../support/fogbank.js';
import { NOT_FOUND, uniqueName } from './helpers.js';

const env = useFogbank();

describe('Secrets Manager from the AWS CLI', { skip: !hasAwsCli && 'needs the AWS CLI' }, () => {
  it('create-secret then get-secret-value returns the secret', async () => {
    const name = uniqueName('cli/db');
    const created = (await awsCli(env.endpoint, ['secretsmanager', 'create-secret', '--name', name, '--secret-string', '{"password":"hunter2"}', '--description', 'from the cli']))
      .json as { ARN: string; Name: string; VersionId: string };
    assert.equal(created.Name, name);
    assert.match(created.ARN, /:secret:cli\/db-.+-[A-Za-z0-9]{6}$/);

    const value = (await awsCli(env.endpoint, ['secretsmanager', 'get-secret-value', '--secret-id', name])).json as Record<string, unknown>;
    assert.equal(value.SecretString, '{"password":"hunter2"}');
    assert.equal(value.ARN, created.ARN);
    assert.equal(value.VersionId, created.VersionId);
    assert.deepEqual(value.VersionStages, ['AWSCURRENT']);
    assert.equal(typeof value.CreatedDate, 'number');

    const text = await awsCli(env.endpoint, ['secretsmanager', 'get-secret-value', '--secret-id', created.ARN, '--query', 'SecretString', '--output', 'text']);
    assert.equal(text.stdout.trim(), '{"password":"hunter2"}');
  });

  it('put-secret-value, describe-secret, list-secrets and delete-secret', async () => {
    const name = uniqueName('cli/rotated');
    await awsCli(env.endpoint, ['secretsmanager', 'create-secret', '--name', name, '--secret-string', 'one']);
    const put = (await awsCli(env.endpoint, ['secretsmanager', 'put-secret-value', '--secret-id', name, '--secret-string', 'two'])).json as { VersionStages: string[] };
    assert.deepEqual(put.VersionStages, ['AWSCURRENT']);
    const previous = (await awsCli(env.endpoint, ['secretsmanager', 'get-secret-value', '--secret-id', name, '--version-stage', 'AWSPREVIOUS'])).json as { SecretString: string };
    assert.equal(previous.SecretString, 'one');
    const described = (await awsCli(env.endpoint, ['secretsmanager', 'describe-secret', '--secret-id', name])).json as { VersionIdsToStages: Record<string, string[]> };
    assert.deepEqual(Object.values(described.VersionIdsToStages).sort(), [['AWSCURRENT'], ['AWSPREVIOUS']]);
    const listed = (await awsCli(env.endpoint, ['secretsmanager', 'list-secrets', '--filters', `Key=name,Values=${name}`])).json as { SecretList: { Name: string }[] };
    assert.deepEqual(listed.SecretList.map((s) => s.Name), [name]);
    const deleted = (await awsCli(env.endpoint, ['secretsmanager', 'delete-secret', '--secret-id', name, '--recovery-window-in-days', '7'])).json as { DeletionDate: number };
    assert.equal(typeof deleted.DeletionDate, 'number');
    const refused = await awsCliFails(env.endpoint, ['secretsmanager', 'get-secret-value', '--secret-id', name]);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /InvalidRequestException.*marked for deletion/);
  });

  it('reports ResourceNotFoundException for a missing secret, then keeps serving', async () => {
    const failed = await awsCliFails(env.endpoint, ['secretsmanager', 'get-secret-value', '--secret-id', uniqueName('cli/missing')]);
    assert.notEqual(failed.code, 0);
    assert.ok(failed.stderr.includes(`(ResourceNotFoundException) when calling the GetSecretValue operation: ${NOT_FOUND}`), failed.stderr);
    const password = (await awsCli(env.endpoint, ['secretsmanager', 'get-random-password', '--password-length', '20', '--exclude-punctuation'])).json as { RandomPassword: string };
    assert.match(password.RandomPassword, /^[A-Za-z0-9]{20}$/);
  });
});

describe('Secrets Manager from boto3', { skip: !hasBoto3 && 'needs python3 with boto3' }, () => {
  it("the seed's get_secret pattern reads a JSON secret", async () => {
    const name = uniqueName('py/app');
    const out = await boto3(
      env.endpoint,
      `
import boto3, json
client = boto3.client('secretsmanager')
client.create_secret(Name=${JSON.stringify(name)}, SecretString=json.dumps({'username': 'app', 'password': 's3cret'}))

def get_secret(name):
    return json.loads(client.get_secret_value(SecretId=name)['SecretString'])

print(json.dumps(get_secret(${JSON.stringify(name)})))
`,
    );
    assert.deepEqual(out, { username: 'app', password: 's3cret' });
  });

  it('binary secrets, version stages and AWS error codes', async () => {
    const name = uniqueName('py/binary');
    const out = (await boto3(
      env.endpoint,
      `
import boto3, json
client = boto3.client('secretsmanager')
created = client.create_secret(Name=${JSON.stringify(name)}, SecretBinary=b'\\x00\\x01\\xff')
client.put_secret_value(SecretId=created['ARN'], SecretBinary=b'\\x02')
current = client.get_secret_value(SecretId=${JSON.stringify(name)})
previous = client.get_secret_value(SecretId=${JSON.stringify(name)}, VersionStage='AWSPREVIOUS')
try:
    client.get_secret_value(SecretId='py/not-there')
    error = None
except client.exceptions.ResourceNotFoundException as e:
    error = e.response['Error']
print(json.dumps({
    'current': list(current['SecretBinary']),
    'previous': list(previous['SecretBinary']),
    'previous_stages': previous['VersionStages'],
    'error': error,
}))
`,
    )) as Record<string, unknown>;
    assert.deepEqual(out.current, [2]);
    assert.deepEqual(out.previous, [0, 1, 255]);
    assert.deepEqual(out.previous_stages, ['AWSPREVIOUS']);
    assert.deepEqual(out.error, { Code: 'ResourceNotFoundException', Message: NOT_FOUND });
  });
});
