import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AssumeRoleCommand, GetCallerIdentityCommand, GetSessionTokenCommand, STSClient } from '@aws-sdk/client-sts';
import { awsCli, boto3, clientConfig, hasAwsCli, hasBoto3, useFogbank } from '../support/fogbank.js';

const env = useFogbank();

describe('STS', () => {
  it('GetCallerIdentity reports the account root for plain keys', async () => {
    const sts = new STSClient(clientConfig(env.endpoint));
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    assert.equal(identity.Account, '000000000000');
    assert.equal(identity.Arn, 'arn:aws:iam::000000000000:root');
  });

  it('a 12-digit access key id is the account', async () => {
    const sts = new STSClient(clientConfig(env.endpoint, 'eu-west-1', { accessKeyId: '111122223333', secretAccessKey: 'x' }));
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    assert.equal(identity.Account, '111122223333');
  });

  it('AssumeRole issues credentials that then act as the role in its account', async () => {
    const sts = new STSClient(clientConfig(env.endpoint));
    const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123456789012:role/app/Worker', RoleSessionName: 'job-1', DurationSeconds: 900 }));
    const c = assumed.Credentials!;
    assert.match(c.AccessKeyId!, /^ASIA[A-Z2-7]{16}$/);
    assert.equal(c.SecretAccessKey!.length, 40);
    assert.ok(c.Expiration! > new Date());
    assert.equal(assumed.AssumedRoleUser!.Arn, 'arn:aws:sts::123456789012:assumed-role/Worker/job-1');
    const asRole = new STSClient(clientConfig(env.endpoint, 'us-east-1', { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken }));
    const identity = await asRole.send(new GetCallerIdentityCommand({}));
    assert.equal(identity.Account, '123456789012');
    assert.equal(identity.Arn, 'arn:aws:sts::123456789012:assumed-role/Worker/job-1');
    assert.equal(identity.UserId, assumed.AssumedRoleUser!.AssumedRoleId);
  });

  it('AssumeRole rejects a malformed role ARN and a short duration with AWS errors', async () => {
    const sts = new STSClient(clientConfig(env.endpoint));
    await assert.rejects(sts.send(new AssumeRoleCommand({ RoleArn: 'not-an-arn', RoleSessionName: 'abc' })), (e: Error) => e.name === 'ValidationError');
    await assert.rejects(
      sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123456789012:role/r', RoleSessionName: 'abc', DurationSeconds: 10 })),
      (e: Error) => e.name === 'ValidationError' && /greater than or equal to 900/.test(e.message),
    );
    // The server still serves.
    assert.equal((await sts.send(new GetCallerIdentityCommand({}))).Account, '000000000000');
  });

  it('GetSessionToken returns working credentials for the caller', async () => {
    const sts = new STSClient(clientConfig(env.endpoint));
    const { Credentials } = await sts.send(new GetSessionTokenCommand({}));
    const again = new STSClient(clientConfig(env.endpoint, 'us-east-1', { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken }));
    assert.equal((await again.send(new GetCallerIdentityCommand({}))).Arn, 'arn:aws:iam::000000000000:root');
  });

  it('works from the AWS CLI', { skip: !hasAwsCli && 'needs the AWS CLI' }, async () => {
    const { json } = await awsCli(env.endpoint, ['sts', 'get-caller-identity']);
    assert.deepEqual(json, { UserId: '000000000000', Account: '000000000000', Arn: 'arn:aws:iam::000000000000:root' });
  });

  it('works from boto3', { skip: !hasBoto3 && 'needs python3 with boto3' }, async () => {
    const out = (await boto3(env.endpoint, `
import boto3, json
sts = boto3.client('sts')
creds = sts.assume_role(RoleArn='arn:aws:iam::210987654321:role/r', RoleSessionName='py')['Credentials']
as_role = boto3.client('sts', aws_access_key_id=creds['AccessKeyId'], aws_secret_access_key=creds['SecretAccessKey'], aws_session_token=creds['SessionToken'])
print(json.dumps(as_role.get_caller_identity()['Account']))
`)) as string;
    assert.equal(out, '210987654321');
  });
});
