import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateGroupCommand, CreatePolicyCommand, CreateRoleCommand, CreateUserCommand, DeleteRolePolicyCommand, GetRolePolicyCommand,
  GetGroupPolicyCommand, GetUserPolicyCommand, ListGroupPoliciesCommand, ListRolePoliciesCommand, ListUserPoliciesCommand,
  PutGroupPolicyCommand, PutRolePolicyCommand, PutUserPolicyCommand, DeleteUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { useFogbank } from '../support/fogbank.js';
import { decoded, iamClient, LAMBDA_TRUST, permissions, rejectsWith } from './support.js';

const env = useFogbank();

const bucket = 'arn:aws:s3:::example_bucket';
const v12 = (statement: unknown) => ({ Version: '2012-10-17', Statement: statement });
const allow = (extra: object) => ({ Effect: 'Allow', Action: 's3:ListBucket', Resource: bucket, ...extra });

/** Documents IAM rejects, with the message IAM gives for each. */
const INVALID: Array<[string, unknown, string]> = [
  ['not JSON', 'This is not a json document', 'Syntax errors in policy.'],
  ['no Version', { Statement: allow({}) }, 'Policy document must be version 2012-10-17 or greater.'],
  ['old Version', { Version: '2008-10-17', Statement: allow({}) }, 'Policy document must be version 2012-10-17 or greater.'],
  ['unknown Version', { Version: '2013-10-17', Statement: allow({}) }, 'Syntax errors in policy.'],
  ['no Statement', { Version: '2012-10-17' }, 'Syntax errors in policy.'],
  ['empty Statement list', v12([]), 'Syntax errors in policy.'],
  ['unknown top-level key', { ...v12(allow({})), Extra: 'value' }, 'Syntax errors in policy.'],
  ['unknown statement key', v12(allow({ Extra: 'value' })), 'Syntax errors in policy.'],
  ['invalid Effect', v12(allow({ Effect: 'invalid' })), 'Syntax errors in policy.'],
  ['Effect in the wrong case', v12(allow({ Effect: 'denY' })), 'The policy failed legacy parsing'],
  ['no Effect', v12({ Action: 's3:ListBucket', Resource: bucket }), 'Syntax errors in policy.'],
  ['Action without a vendor', v12(allow({ Action: 'invalid' })), 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.'],
  ['Action with two colons', v12(allow({ Action: 's3:List:Bucket' })), 'Actions/Condition can contain only one colon.'],
  ['vendor with a space', v12(allow({ Action: 'a a:ListBucket' })), 'Vendor a a is not valid'],
  ['no Action', v12({ Effect: 'Allow', Resource: bucket }), 'Policy statement must contain actions.'],
  ['no Resource', v12({ Effect: 'Allow', Action: 's3:ListBucket' }), 'Policy statement must contain resources.'],
  ['Resource not an ARN', v12(allow({ Resource: 'invalid resource' })), 'Resource invalid resource must be in ARN format or "*".'],
  ['bad partition', v12(allow({ Resource: 'aws:s3:::example_bucket' })), 'Partition "s3" is not valid for resource "arn:s3:::example_bucket:*".'],
  ['unqualified vendor', v12(allow({ Resource: 'arn:aws' })), 'Resource vendor must be fully qualified and cannot contain regexes.'],
  ['IAM resource with a region', v12(allow({ Resource: 'arn:aws:iam:us-east-1::example_bucket' })), 'IAM resource arn:aws:iam:us-east-1::example_bucket cannot contain region information.'],
  ['S3 resource with a region', v12(allow({ Resource: 'arn:aws:s3:us-east-1::example_bucket' })), 'Resource arn:aws:s3:us-east-1::example_bucket can not contain region information.'],
  ['short S3 ARN', v12(allow({ Resource: 'arn:aws:s3::example_bucket' })), 'The policy failed legacy parsing'],
  ['Action and NotAction', v12(allow({ NotAction: 'iam:dsf' })), 'Syntax errors in policy.'],
  ['Condition not an object', v12(allow({ Condition: 'a' })), 'Syntax errors in policy.'],
  ['unknown condition operator', v12(allow({ Condition: { x: { a: '1' } } })), 'Syntax errors in policy.'],
  ['unparseable date condition', v12(allow({ Condition: { DateGreaterThan: { a: 'sdfdsf' } } })), 'The policy failed legacy parsing'],
  ['duplicate Sid', v12([allow({ Sid: 'one' }), allow({ Sid: 'one' })]), 'Statement IDs (SID) in a single policy must be unique.'],
  ['Principal in a permissions policy', v12(allow({ Principal: '*' })), 'Policy document should not specify a principal.'],
];

/** Documents IAM accepts although they look odd. */
const VALID: unknown[] = [
  v12(allow({ Resource: [bucket, '*'] })),
  v12(allow({ Action: '*', Condition: { DateGreaterThan: { 'aws:CurrentTime': '2017-07-01T00:00:00Z' } } })),
  v12(allow({ Resource: 'arn:aws:iam::*:user/${aws:username}', Condition: { 'ForAnyValue:StringEqualsIfExists': { a: 'b' } } })),
  v12({ Effect: 'Deny', NotAction: 's3:*', NotResource: ['arn:aws:s3:::HRBucket/Payroll/*'] }),
  v12([allow({ Sid: '' }), allow({ Sid: '' })]),
  v12(allow({ Resource: 'arn:aws:s3:us-west-2:123456789012:accesspoint/my-access-point' })),
  { Version: '2012-10-17', Id: 'doc-id', Statement: allow({ Condition: { Bool: { 'aws:SecureTransport': 'false' } } }) },
];

describe('IAM policy documents', () => {
  it('refuses malformed permissions policies with IAM messages, on CreatePolicy and PutRolePolicy alike', async () => {
    const iam = iamClient(env.endpoint);
    await iam.send(new CreateRoleCommand({ RoleName: 'doc-role', AssumeRolePolicyDocument: LAMBDA_TRUST }));
    for (const [label, document, message] of INVALID) {
      const text = typeof document === 'string' ? document : JSON.stringify(document);
      await rejectsWith(iam.send(new CreatePolicyCommand({ PolicyName: 'doc-policy', PolicyDocument: text })), 'MalformedPolicyDocument', 400, message).catch((e) => {
        throw new Error(`${label}: ${e.message}`);
      });
      await rejectsWith(iam.send(new PutRolePolicyCommand({ RoleName: 'doc-role', PolicyName: 'inline', PolicyDocument: text })), 'MalformedPolicyDocument', 400, message);
    }
    assert.deepEqual((await iam.send(new ListRolePoliciesCommand({ RoleName: 'doc-role' }))).PolicyNames, []);
  });

  it('accepts the documents IAM accepts', async () => {
    const iam = iamClient(env.endpoint);
    for (const [i, document] of VALID.entries()) {
      const { Policy } = await iam.send(new CreatePolicyCommand({ PolicyName: `valid-${i}`, PolicyDocument: JSON.stringify(document) }));
      assert.equal(Policy!.DefaultVersionId, 'v1');
    }
  });

  it('refuses characters outside the policy document pattern', async () => {
    const iam = iamClient(env.endpoint);
    await rejectsWith(
      iam.send(new CreatePolicyCommand({ PolicyName: 'unicode', PolicyDocument: permissions('s3:GetObject', 'arn:aws:s3:::bücket/☃') })),
      'ValidationError', 400, "1 validation error detected: Value at 'policyDocument' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u00FF]+",
    );
  });

  it('inline role policies: Put, Get (URL-encoded), List, Delete, and the 10240-character aggregate', async () => {
    const iam = iamClient(env.endpoint);
    await iam.send(new CreateRoleCommand({ RoleName: 'inline-role', AssumeRolePolicyDocument: LAMBDA_TRUST }));
    const doc = permissions(['dynamodb:GetItem', 'dynamodb:PutItem'], 'arn:aws:dynamodb:us-east-1:000000000000:table/orders');
    await iam.send(new PutRolePolicyCommand({ RoleName: 'inline-role', PolicyName: 'b-table', PolicyDocument: doc }));
    await iam.send(new PutRolePolicyCommand({ RoleName: 'inline-role', PolicyName: 'a-logs', PolicyDocument: permissions('logs:*') }));
    const got = await iam.send(new GetRolePolicyCommand({ RoleName: 'inline-role', PolicyName: 'b-table' }));
    assert.equal(got.RoleName, 'inline-role');
    assert.equal(got.PolicyName, 'b-table');
    assert.equal(got.PolicyDocument, encodeURIComponent(doc));
    assert.deepEqual(decoded(got.PolicyDocument), JSON.parse(doc));
    assert.deepEqual((await iam.send(new ListRolePoliciesCommand({ RoleName: 'inline-role' }))).PolicyNames, ['a-logs', 'b-table']);
    const page = await iam.send(new ListRolePoliciesCommand({ RoleName: 'inline-role', MaxItems: 1 }));
    assert.deepEqual([page.PolicyNames, page.IsTruncated], [['a-logs'], true]);
    // Each document is small enough alone; together they pass the role's quota.
    const chunk = (n: number) => permissions(Array.from({ length: 300 }, (_, i) => `s3:Act${n}x${i}`));
    await iam.send(new PutRolePolicyCommand({ RoleName: 'inline-role', PolicyName: 'big-1', PolicyDocument: chunk(1) }));
    await iam.send(new PutRolePolicyCommand({ RoleName: 'inline-role', PolicyName: 'big-2', PolicyDocument: chunk(2) }));
    await rejectsWith(
      iam.send(new PutRolePolicyCommand({ RoleName: 'inline-role', PolicyName: 'big-3', PolicyDocument: chunk(3) })),
      'LimitExceeded', 409, 'Maximum policy size of 10240 bytes exceeded for role inline-role',
    );
    await iam.send(new DeleteRolePolicyCommand({ RoleName: 'inline-role', PolicyName: 'b-table' }));
    await rejectsWith(iam.send(new GetRolePolicyCommand({ RoleName: 'inline-role', PolicyName: 'b-table' })), 'NoSuchEntity', 404, 'The role policy with name b-table cannot be found.');
    await rejectsWith(iam.send(new DeleteRolePolicyCommand({ RoleName: 'inline-role', PolicyName: 'b-table' })), 'NoSuchEntity', 404, 'The role policy with name b-table cannot be found.');
    await rejectsWith(iam.send(new PutRolePolicyCommand({ RoleName: 'no-role', PolicyName: 'p', PolicyDocument: doc })), 'NoSuchEntity', 404, 'The role with name no-role cannot be found.');
  });

  it('inline user and group policies, with their 2048 and 5120 quotas', async () => {
    const iam = iamClient(env.endpoint);
    await iam.send(new CreateUserCommand({ UserName: 'inline-user' }));
    await iam.send(new CreateGroupCommand({ GroupName: 'inline-group' }));
    await iam.send(new PutUserPolicyCommand({ UserName: 'inline-user', PolicyName: 'list', PolicyDocument: permissions('iam:ListUsers') }));
    assert.deepEqual(decoded((await iam.send(new GetUserPolicyCommand({ UserName: 'inline-user', PolicyName: 'list' }))).PolicyDocument), JSON.parse(permissions('iam:ListUsers')));
    assert.deepEqual((await iam.send(new ListUserPoliciesCommand({ UserName: 'inline-user' }))).PolicyNames, ['list']);
    const sized = (count: number) => permissions(Array.from({ length: count }, (_, i) => `s3:Action${i}`));
    await rejectsWith(
      iam.send(new PutUserPolicyCommand({ UserName: 'inline-user', PolicyName: 'big', PolicyDocument: sized(160) })),
      'LimitExceeded', 409, 'Maximum policy size of 2048 bytes exceeded for user inline-user',
    );
    await iam.send(new DeleteUserPolicyCommand({ UserName: 'inline-user', PolicyName: 'list' }));
    await iam.send(new PutGroupPolicyCommand({ GroupName: 'inline-group', PolicyName: 'mid', PolicyDocument: sized(160) }));
    assert.equal((await iam.send(new GetGroupPolicyCommand({ GroupName: 'inline-group', PolicyName: 'mid' }))).GroupName, 'inline-group');
    await rejectsWith(
      iam.send(new PutGroupPolicyCommand({ GroupName: 'inline-group', PolicyName: 'more', PolicyDocument: sized(250) })),
      'LimitExceeded', 409, 'Maximum policy size of 5120 bytes exceeded for group inline-group',
    );
    await rejectsWith(iam.send(new GetGroupPolicyCommand({ GroupName: 'inline-group', PolicyName: 'more' })), 'NoSuchEntity', 404, 'The group policy with name more cannot be found.');
    assert.deepEqual((await iam.send(new ListGroupPoliciesCommand({ GroupName: 'inline-group' }))).PolicyNames, ['mid']);
  });
});
