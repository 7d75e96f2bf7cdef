import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { awsCli, awsCliFails, boto3, hasAwsCli, hasBoto3, useFogbank } from '../support/fogbank.js';
import { LAMBDA_TRUST } from './support.js';

const env = useFogbank();

describe('IAM from the AWS CLI and boto3', () => {
  it('AWS CLI: create-role from a file, attach AWSLambdaBasicExecutionRole, list what is attached', { skip: !hasAwsCli && 'needs the AWS CLI' }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fogbank-iam-'));
    const trustFile = join(dir, 'trust.json');
    writeFileSync(trustFile, JSON.stringify(JSON.parse(LAMBDA_TRUST), null, 2));
    const created = (await awsCli(env.endpoint, ['iam', 'create-role', '--role-name', 'cli-fn', '--assume-role-policy-document', `file://${trustFile}`])).json as {
      Role: { RoleName: string; RoleId: string; Arn: string; AssumeRolePolicyDocument: unknown };
    };
    assert.equal(created.Role.RoleName, 'cli-fn');
    assert.match(created.Role.RoleId, /^AROA/);
    // The CLI decodes IAM's URL-encoded documents into JSON.
    assert.deepEqual(created.Role.AssumeRolePolicyDocument, JSON.parse(LAMBDA_TRUST));
    await awsCli(env.endpoint, ['iam', 'attach-role-policy', '--role-name', 'cli-fn', '--policy-arn', 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole']);
    const attached = (await awsCli(env.endpoint, ['iam', 'list-attached-role-policies', '--role-name', 'cli-fn'])).json;
    assert.deepEqual(attached, { AttachedPolicies: [{ PolicyName: 'AWSLambdaBasicExecutionRole', PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole' }] });
    const roles = (await awsCli(env.endpoint, ['iam', 'list-roles'])).json as { Roles: Array<{ RoleName: string }> };
    assert.ok(roles.Roles.some((r) => r.RoleName === 'cli-fn'));
    const failed = await awsCliFails(env.endpoint, ['iam', 'get-role', '--role-name', 'cli-missing']);
    assert.notEqual(failed.code, 0);
    assert.match(failed.stderr, /NoSuchEntity/);
    assert.match(failed.stderr, /The role with name cli-missing cannot be found\./);
    const bad = await awsCliFails(env.endpoint, ['iam', 'create-role', '--role-name', 'cli-bad', '--assume-role-policy-document', 'trust.json']);
    assert.match(bad.stderr, /MalformedPolicyDocument.*This policy contains invalid Json/);
    assert.equal(((await awsCli(env.endpoint, ['iam', 'get-role', '--role-name', 'cli-fn'])).json as { Role: { MaxSessionDuration: number } }).Role.MaxSessionDuration, 3600);
  });

  it('boto3: users, access keys acting as the user, inline policies decoded, IAM errors', { skip: !hasBoto3 && 'needs python3 with boto3' }, async () => {
    const out = (await boto3(env.endpoint, `
import boto3, json
from botocore.exceptions import ClientError
iam = boto3.client('iam')
user = iam.create_user(UserName='py-user', Path='/py/')['User']
key = iam.create_access_key(UserName='py-user')['AccessKey']
sts = boto3.client('sts', aws_access_key_id=key['AccessKeyId'], aws_secret_access_key=key['SecretAccessKey'])
identity = sts.get_caller_identity()
iam.create_role(RoleName='py-role', AssumeRolePolicyDocument=${JSON.stringify(LAMBDA_TRUST)})
iam.put_role_policy(RoleName='py-role', PolicyName='read', PolicyDocument=json.dumps({'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Action': 's3:GetObject', 'Resource': '*'}]}))
doc = iam.get_role_policy(RoleName='py-role', PolicyName='read')['PolicyDocument']
pages = [p['Roles'] for p in iam.get_paginator('list_roles').paginate(PaginationConfig={'PageSize': 1})]
try:
    iam.create_user(UserName='py-user')
    error = None
except ClientError as e:
    error = [e.response['Error']['Code'], e.response['Error']['Message'], e.response['ResponseMetadata']['HTTPStatusCode']]
print(json.dumps({'arn': identity['Arn'], 'userId': identity['UserId'], 'expectedUserId': user['UserId'], 'doc': doc, 'pages': len(pages), 'error': error}))
`)) as { arn: string; userId: string; expectedUserId: string; doc: { Statement: Array<{ Action: string }> }; pages: number; error: unknown[] };
    assert.equal(out.arn, 'arn:aws:iam::000000000000:user/py/py-user');
    assert.equal(out.userId, out.expectedUserId);
    assert.equal(out.doc.Statement[0]!.Action, 's3:GetObject');
    assert.ok(out.pages >= 1);
    assert.deepEqual(out.error, ['EntityAlreadyExists', 'User with name py-user already exists.', 409]);
  });
});
