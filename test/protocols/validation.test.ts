// Model constraints (length, range, enum, pattern) answered generically before any handler runs,
// with AWS's Coral-style messages, over every protocol family: query (STS, IAM), json (SSM,
// Secrets Manager, CloudWatch Logs, Step Functions) and rest-json (Lambda).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CloudWatchLogsClient, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParametersCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { awsCliFails, boto3, clientConfig, hasAwsCli, hasBoto3, useFogbank } from '../support/fogbank.js';
import { jsonCall, rawRequest, SIGNED } from '../support/http.js';

const env = useFogbank();

async function rejects(call: Promise<unknown>, code: string, message: string): Promise<void> {
  await assert.rejects(call, (error: Error) => {
    assert.equal(error.name, code, error.message);
    assert.equal(error.message, message);
    return true;
  });
}

async function stillServes(): Promise<void> {
  const sts = new STSClient(clientConfig(env.endpoint));
  assert.equal((await sts.send(new GetCallerIdentityCommand({}))).Account, '000000000000');
}

const ROLE = 'arn:aws:iam::123456789012:role/app/Worker';

describe('model constraints over the query protocol', () => {
  it('a too-long RoleSessionName is a ValidationError naming the limit (the SDK does not check it)', async () => {
    const sts = new STSClient(clientConfig(env.endpoint));
    const name = 's'.repeat(65);
    await rejects(
      sts.send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: name })),
      'ValidationError',
      `1 validation error detected: Value '${name}' at 'roleSessionName' failed to satisfy constraint: Member must have length less than or equal to 64`,
    );
    await stillServes();
  });

  it('several problems are counted and joined with "; ", a pattern before a length on one member', async () => {
    const sts = new STSClient(clientConfig(env.endpoint));
    await rejects(
      sts.send(new AssumeRoleCommand({ RoleArn: 'not-an-arn', RoleSessionName: 'a/', DurationSeconds: 10 })),
      'ValidationError',
      '3 validation errors detected: ' +
        "Value 'not-an-arn' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20; " +
        "Value 'a/' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*; " +
        "Value '10' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
    );
    await rejects(
      sts.send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: '/' })),
      'ValidationError',
      '2 validation errors detected: ' +
        "Value '/' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*; " +
        "Value '/' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2",
    );
    await stillServes();
  });

  it('list members and their items use AWS paths: tags.N.member.key', async () => {
    const sts = new STSClient(clientConfig(env.endpoint));
    await rejects(
      sts.send(new AssumeRoleCommand({ RoleArn: ROLE, RoleSessionName: 'ok', Tags: [{ Key: 'fine', Value: 'v' }, { Key: 'k'.repeat(129), Value: 'bad\u0001' }] })),
      'ValidationError',
      '2 validation errors detected: ' +
        `Value '${'k'.repeat(129)}' at 'tags.2.member.key' failed to satisfy constraint: Member must have length less than or equal to 128; ` +
        "Value 'bad\u0001' at 'tags.2.member.value' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*",
    );
    await stillServes();
  });

  it('the query-protocol error document carries the message', async () => {
    const res = await rawRequest(env.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: SIGNED('sts') },
      body: 'Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fr&RoleSessionName=ok&DurationSeconds=43201',
    });
    assert.equal(res.status, 400);
    assert.match(
      res.body,
      /<Error><Type>Sender<\/Type><Code>ValidationError<\/Code><Message>1 validation error detected: Value (?:'|&apos;)43201(?:'|&apos;) at (?:'|&apos;)durationSeconds(?:'|&apos;) failed to satisfy constraint: Member must have value less than or equal to 43200<\/Message><\/Error>/,
    );
    await stillServes();
  });
});

describe('model constraints over the json protocols', () => {
  it('SSM: a list longer than its limit, an item that breaks its own limits, an enum', async () => {
    const ssm = new SSMClient(clientConfig(env.endpoint));
    const names = Array.from({ length: 11 }, (_, i) => `/app/p${i}`);
    await rejects(
      ssm.send(new GetParametersCommand({ Names: names })),
      'ValidationException',
      `1 validation error detected: Value '[${names.join(', ')}]' at 'names' failed to satisfy constraint: Member must have length less than or equal to 10`,
    );
    await rejects(
      ssm.send(new GetParametersCommand({ Names: ['/ok', ''] })),
      'ValidationException',
      "1 validation error detected: Value '[/ok, ]' at 'names' failed to satisfy constraint: " +
        'Member must satisfy constraint: [Member must have length less than or equal to 2048, Member must have length greater than or equal to 1]',
    );
    await rejects(
      ssm.send(new PutParameterCommand({ Name: '/app/db/url', Value: 'x', Type: 'Text' as never })),
      'ValidationException',
      "1 validation error detected: Value 'Text' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [String, StringList, SecureString]",
    );
    await stillServes();
  });

  it('Secrets Manager: a sensitive member is reported without its value', async () => {
    const sm = new SecretsManagerClient(clientConfig(env.endpoint));
    const name = 'n'.repeat(513);
    await rejects(
      sm.send(new CreateSecretCommand({ Name: name, SecretString: '' })),
      'ValidationException',
      '2 validation errors detected: ' +
        `Value '${name}' at 'name' failed to satisfy constraint: Member must have length less than or equal to 512; ` +
        "Value at 'secretString' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
    await stillServes();
  });

  it("CloudWatch Logs: a pattern, and a map's keys, in the service's own error code", async () => {
    const logs = new CloudWatchLogsClient(clientConfig(env.endpoint));
    await rejects(
      logs.send(new CreateLogGroupCommand({ logGroupName: '/aws/lambda/my fn', tags: { '': 'x' } })),
      'InvalidParameterException',
      '2 validation errors detected: ' +
        "Value '/aws/lambda/my fn' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+; " +
        "Value '{=x}' at 'tags' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 128, " +
        'Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+)$]',
    );
    await stillServes();
  });

  it('the exact JSON error body, from a hand-made X-Amz-Target request', async () => {
    const res = await jsonCall(env.endpoint, 'AmazonSSM.GetParameters', JSON.stringify({ Names: [], WithDecryption: true }), { authorization: SIGNED('ssm') });
    assert.equal(res.status, 400);
    assert.equal(res.headers['content-type'], 'application/x-amz-json-1.1');
    assert.equal(res.headers['x-amzn-errortype'], 'ValidationException');
    assert.deepEqual(JSON.parse(res.body), {
      __type: 'ValidationException',
      message: "1 validation error detected: Value '[]' at 'names' failed to satisfy constraint: Member must have length greater than or equal to 1",
    });
    await stillServes();
  });

  it('is checked before asking whether Fogbank implements the operation', async () => {
    const tooLong = 'a'.repeat(81);
    const bad = await jsonCall(env.endpoint, 'AWSStepFunctions.CreateActivity', JSON.stringify({ name: tooLong }), { authorization: SIGNED('states') });
    assert.equal(bad.status, 400);
    assert.deepEqual(JSON.parse(bad.body), {
      __type: 'ValidationException',
      message: `1 validation error detected: Value '${tooLong}' at 'name' failed to satisfy constraint: Member must have length less than or equal to 80`,
    });
    // The same operation with good input gets past validation, whatever Fogbank then answers.
    const good = await jsonCall(env.endpoint, 'AWSStepFunctions.CreateActivity', JSON.stringify({ name: 'worker' }), { authorization: SIGNED('states') });
    assert.notEqual(JSON.parse(good.body).__type, 'ValidationException');
    await stillServes();
  });
});

describe('model constraints over rest-json', () => {
  it('a path label and a query parameter are checked like body members', async () => {
    const headers = { authorization: SIGNED('lambda') };
    const res = await rawRequest(env.endpoint, { method: 'GET', path: '/2015-03-31/functions/bad%20name/versions?MaxItems=0', headers });
    assert.equal(res.status, 400);
    const body = JSON.parse(res.body);
    assert.equal(body.__type ?? res.headers['x-amzn-errortype'], 'ValidationException');
    assert.equal(
      body.Message ?? body.message,
      '2 validation errors detected: ' +
        "Value 'bad name' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: " +
        '(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST(\\.PUBLISHED)?|[a-zA-Z0-9-_]+))?; ' +
        "Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
    await stillServes();
  });
});

describe('model constraints from other clients', () => {
  it('the AWS CLI shows the message', { skip: !hasAwsCli && 'needs the AWS CLI' }, async () => {
    const name = 'c'.repeat(65);
    const { code, stderr } = await awsCliFails(env.endpoint, ['sts', 'assume-role', '--role-arn', ROLE, '--role-session-name', name]);
    assert.notEqual(code, 0);
    assert.match(
      stderr,
      new RegExp(`\\(ValidationError\\) when calling the AssumeRole operation: 1 validation error detected: Value '${name}' at 'roleSessionName' failed to satisfy constraint: Member must have length less than or equal to 64`),
    );
    await stillServes();
  });

  it('boto3 gets the error code and message', { skip: !hasBoto3 && 'needs python3 with boto3' }, async () => {
    const out = (await boto3(env.endpoint, `
import boto3, json
from botocore.exceptions import ClientError
ssm = boto3.client('ssm')
try:
    ssm.get_parameters(Names=['/p%d' % i for i in range(11)])
    print(json.dumps(None))
except ClientError as e:
    print(json.dumps([e.response['Error']['Code'], e.response['Error']['Message']]))
`)) as [string, string];
    assert.equal(out[0], 'ValidationException');
    assert.match(out[1], /^1 validation error detected: Value '\[\/p0, .*, \/p10\]' at 'names' failed to satisfy constraint: Member must have length less than or equal to 10$/);
    await stillServes();
  });
});
