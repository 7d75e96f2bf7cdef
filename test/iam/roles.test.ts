import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AddRoleToInstanceProfileCommand, AttachRolePolicyCommand, CreateInstanceProfileCommand, DetachRolePolicyCommand,
  RemoveRoleFromInstanceProfileCommand, CreateRoleCommand, DeleteRoleCommand, DeleteRolePermissionsBoundaryCommand, GetRoleCommand, ListRolesCommand,
  ListRoleTagsCommand, PutRolePolicyCommand, DeleteRolePolicyCommand, CreatePolicyCommand, PutRolePermissionsBoundaryCommand,
  TagRoleCommand, UntagRoleCommand, UpdateAssumeRolePolicyCommand, UpdateRoleCommand, UpdateRoleDescriptionCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { clientConfig, useFogbank } from '../support/fogbank.js';
import { decoded, iamClient, LAMBDA_TRUST, permissions, rejectsWith } from './support.js';

const env = useFogbank();

describe('IAM roles', () => {
  it('CreateRole answers the role with an AROA id, a path in its ARN and the trust policy URL-encoded', async () => {
    const iam = iamClient(env.endpoint);
    const { Role } = await iam.send(new CreateRoleCommand({ RoleName: 'orders-fn', Path: '/app/', AssumeRolePolicyDocument: LAMBDA_TRUST, Description: 'orders' }));
    assert.match(Role!.RoleId!, /^AROA[A-Z2-7]{17}$/);
    assert.equal(Role!.Arn, 'arn:aws:iam::000000000000:role/app/orders-fn');
    assert.equal(Role!.Path, '/app/');
    assert.equal(Role!.AssumeRolePolicyDocument, encodeURIComponent(LAMBDA_TRUST));
    assert.deepEqual(decoded(Role!.AssumeRolePolicyDocument), JSON.parse(LAMBDA_TRUST));
    assert.equal(Role!.CreateDate!.getMilliseconds(), 0);
    // CreateRole leaves these out; GetRole has them.
    assert.equal(Role!.Description, undefined);
    assert.equal(Role!.MaxSessionDuration, undefined);
    const got = (await iam.send(new GetRoleCommand({ RoleName: 'orders-fn' }))).Role!;
    assert.equal(got.RoleId, Role!.RoleId);
    assert.equal(got.Description, 'orders');
    assert.equal(got.MaxSessionDuration, 3600);
    assert.deepEqual(got.RoleLastUsed, {});
  });

  it('AssumeRole of a created role carries its RoleId', async () => {
    const iam = iamClient(env.endpoint);
    const { Role } = await iam.send(new CreateRoleCommand({ RoleName: 'assumable', AssumeRolePolicyDocument: LAMBDA_TRUST }));
    const sts = new STSClient(clientConfig(env.endpoint));
    const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: Role!.Arn, RoleSessionName: 'job' }));
    assert.ok(assumed.AssumedRoleUser!.AssumedRoleId!.startsWith(Role!.RoleId! + ':'));
    assert.equal(assumed.AssumedRoleUser!.AssumedRoleId, `${Role!.RoleId}:job`);
    const c = assumed.Credentials!;
    const asRole = new STSClient(clientConfig(env.endpoint, 'us-east-1', { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken }));
    assert.equal((await asRole.send(new GetCallerIdentityCommand({}))).UserId, `${Role!.RoleId}:job`);
  });

  it('refuses a duplicate name (any case), a bad name, a bad path and an out-of-range session length', async () => {
    const iam = iamClient(env.endpoint);
    await iam.send(new CreateRoleCommand({ RoleName: 'Dup', AssumeRolePolicyDocument: LAMBDA_TRUST }));
    await rejectsWith(iam.send(new CreateRoleCommand({ RoleName: 'Dup', AssumeRolePolicyDocument: LAMBDA_TRUST })), 'EntityAlreadyExists', 409, 'Role with name Dup already exists.');
    await rejectsWith(iam.send(new CreateRoleCommand({ RoleName: 'dup', AssumeRolePolicyDocument: LAMBDA_TRUST })), 'EntityAlreadyExists', 409, 'Role with name dup already exists.');
    await rejectsWith(
      iam.send(new CreateRoleCommand({ RoleName: 'has space', AssumeRolePolicyDocument: LAMBDA_TRUST })),
      'ValidationError', 400,
      'The specified value for roleName is invalid. It must contain only alphanumeric characters and/or the following: +=,.@_-',
    );
    await rejectsWith(
      iam.send(new CreateRoleCommand({ RoleName: 'r'.repeat(65), AssumeRolePolicyDocument: LAMBDA_TRUST })),
      'ValidationError', 400,
      "1 validation error detected: Value at 'roleName' failed to satisfy constraint: Member must have length less than or equal to 64",
    );
    // Lengths are checked first; IAM words its own pattern message only once they pass.
    await rejectsWith(
      iam.send(new CreateRoleCommand({ RoleName: 'bad name '.repeat(10), AssumeRolePolicyDocument: LAMBDA_TRUST })),
      'ValidationError', 400,
      "1 validation error detected: Value at 'roleName' failed to satisfy constraint: Member must have length less than or equal to 64",
    );
    await rejectsWith(
      iam.send(new PutRolePolicyCommand({ RoleName: 'Dup', PolicyName: 'arn:aws:iam::aws:policy/AmazonVPCFullAccess', PolicyDocument: permissions('ec2:*') })),
      'ValidationError', 400, 'The specified value for policyName is invalid. It must contain only alphanumeric characters and/or the following: +=,.@_-',
    );
    await rejectsWith(
      iam.send(new CreateRoleCommand({ RoleName: 'pathy', Path: '/no-trailing-slash', AssumeRolePolicyDocument: LAMBDA_TRUST })),
      'ValidationError', 400, 'The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.',
    );
    await rejectsWith(
      iam.send(new CreateRoleCommand({ RoleName: 'short', MaxSessionDuration: 600, AssumeRolePolicyDocument: LAMBDA_TRUST })),
      'ValidationError', 400,
      "1 validation error detected: Value at 'maxSessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 3600",
    );
    await rejectsWith(
      iam.send(new UpdateRoleCommand({ RoleName: 'Dup', MaxSessionDuration: 50000 })),
      'ValidationError', 400, /Member must have value less than or equal to 43200/,
    );
    await rejectsWith(iam.send(new GetRoleCommand({ RoleName: 'missing' })), 'NoSuchEntity', 404, 'The role with name missing cannot be found.');
    assert.equal((await iam.send(new GetRoleCommand({ RoleName: 'Dup' }))).Role!.RoleName, 'Dup');
  });

  it('validates the trust policy: JSON, prohibited Resource, STS actions, principal and size', async () => {
    const iam = iamClient(env.endpoint);
    const create = (doc: string) => iam.send(new CreateRoleCommand({ RoleName: 'trusty', AssumeRolePolicyDocument: doc }));
    await rejectsWith(create('{"Version": "2012-10-17",'), 'MalformedPolicyDocument', 400, 'This policy contains invalid Json');
    const statement = (extra: object) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole', ...extra }] });
    await rejectsWith(create(statement({ Resource: '*' })), 'MalformedPolicyDocument', 400, 'Has prohibited field Resource');
    await rejectsWith(create(statement({ Action: 's3:GetObject' })), 'MalformedPolicyDocument', 400, 'AssumeRole policy may only specify STS AssumeRole actions.');
    await rejectsWith(create(statement({ Effect: 'Maybe' })), 'MalformedPolicyDocument', 400, 'Syntax errors in policy.');
    await rejectsWith(create(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole' }] })), 'MalformedPolicyDocument', 400, 'Missing required field Principal');
    const many = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: Array.from({ length: 70 }, (_, i) => `arn:aws:iam::${String(i).padStart(12, '1')}:root`) }, Action: 'sts:AssumeRole' }],
    });
    await rejectsWith(create(many), 'LimitExceeded', 409, 'Cannot exceed quota for ACLSizePerRole: 2048');
    // 2008-10-17 trust policies and web-identity actions are fine.
    const federated = JSON.stringify({
      Version: '2008-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Federated: 'cognito-identity.amazonaws.com' }, Action: ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession'], Condition: { StringEquals: { 'cognito-identity.amazonaws.com:aud': 'pool' } } }],
    });
    assert.equal((await create(federated)).Role!.RoleName, 'trusty');
  });

  it('UpdateRole, UpdateRoleDescription and UpdateAssumeRolePolicy change what GetRole reports', async () => {
    const iam = iamClient(env.endpoint);
    await iam.send(new CreateRoleCommand({ RoleName: 'changing', AssumeRolePolicyDocument: LAMBDA_TRUST }));
    assert.deepEqual(await iam.send(new UpdateRoleCommand({ RoleName: 'changing', Description: 'first', MaxSessionDuration: 7200 })).then((r) => Object.keys(r)), ['$metadata']);
    const described = await iam.send(new UpdateRoleDescriptionCommand({ RoleName: 'changing', Description: 'second' }));
    assert.equal(described.Role!.Description, 'second');
    const ec2Trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
    await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'changing', PolicyDocument: ec2Trust }));
    const role = (await iam.send(new GetRoleCommand({ RoleName: 'changing' }))).Role!;
    assert.equal(role.Description, 'second');
    assert.equal(role.MaxSessionDuration, 7200);
    assert.deepEqual(decoded(role.AssumeRolePolicyDocument), JSON.parse(ec2Trust));
    await rejectsWith(iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'changing', PolicyDocument: 'nope' })), 'MalformedPolicyDocument', 400, 'This policy contains invalid Json');
    await rejectsWith(iam.send(new UpdateRoleCommand({ RoleName: 'ghost' })), 'NoSuchEntity', 404, 'The role with name ghost cannot be found.');
  });

  it('ListRoles filters by PathPrefix and pages with MaxItems, IsTruncated and Marker', async () => {
    const iam = iamClient(env.endpoint);
    for (const n of [3, 1, 5, 2, 4]) await iam.send(new CreateRoleCommand({ RoleName: `paged-${n}`, Path: '/paged/', AssumeRolePolicyDocument: LAMBDA_TRUST }));
    const first = await iam.send(new ListRolesCommand({ PathPrefix: '/paged/', MaxItems: 2 }));
    assert.deepEqual(first.Roles!.map((r) => r.RoleName), ['paged-1', 'paged-2']);
    assert.equal(first.IsTruncated, true);
    assert.ok(first.Marker);
    assert.equal(first.Roles![0]!.MaxSessionDuration, 3600);
    const rest = await iam.send(new ListRolesCommand({ PathPrefix: '/paged/', Marker: first.Marker }));
    assert.deepEqual(rest.Roles!.map((r) => r.RoleName), ['paged-3', 'paged-4', 'paged-5']);
    assert.equal(rest.IsTruncated, false);
    assert.equal(rest.Marker, undefined);
    assert.deepEqual((await iam.send(new ListRolesCommand({ PathPrefix: '/nothing-here/' }))).Roles, []);
    await rejectsWith(iam.send(new ListRolesCommand({ Marker: 'not-a-marker' })), 'ValidationError', 400, 'Invalid Marker.');
    assert.ok((await iam.send(new ListRolesCommand({}))).Roles!.length >= 5);
  });

  it('DeleteRole refuses while policies or instance profiles remain, then deletes', async () => {
    const iam = iamClient(env.endpoint);
    await iam.send(new CreateRoleCommand({ RoleName: 'doomed', AssumeRolePolicyDocument: LAMBDA_TRUST }));
    await iam.send(new PutRolePolicyCommand({ RoleName: 'doomed', PolicyName: 'inline', PolicyDocument: permissions('s3:GetObject') }));
    await rejectsWith(iam.send(new DeleteRoleCommand({ RoleName: 'doomed' })), 'DeleteConflict', 409, 'Cannot delete entity, must delete policies first.');
    await iam.send(new DeleteRolePolicyCommand({ RoleName: 'doomed', PolicyName: 'inline' }));
    const basic = 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'doomed', PolicyArn: basic }));
    await rejectsWith(iam.send(new DeleteRoleCommand({ RoleName: 'doomed' })), 'DeleteConflict', 409, 'Cannot delete entity, must detach all policies first.');
    await iam.send(new DetachRolePolicyCommand({ RoleName: 'doomed', PolicyArn: basic }));
    await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'doomed-profile' }));
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'doomed-profile', RoleName: 'doomed' }));
    await rejectsWith(iam.send(new DeleteRoleCommand({ RoleName: 'doomed' })), 'DeleteConflict', 409, 'Cannot delete entity, must remove roles from instance profile first.');
    await iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: 'doomed-profile', RoleName: 'doomed' }));
    await iam.send(new DeleteRoleCommand({ RoleName: 'doomed' }));
    await rejectsWith(iam.send(new GetRoleCommand({ RoleName: 'doomed' })), 'NoSuchEntity', 404, 'The role with name doomed cannot be found.');
    await rejectsWith(iam.send(new DeleteRoleCommand({ RoleName: 'doomed' })), 'NoSuchEntity', 404, 'The role with name doomed cannot be found.');
  });

  it('tags roles: case-insensitive keys, sorted listing, IAM limits', async () => {
    const iam = iamClient(env.endpoint);
    const { Role } = await iam.send(new CreateRoleCommand({ RoleName: 'tagged', AssumeRolePolicyDocument: LAMBDA_TRUST, Tags: [{ Key: 'team', Value: 'core' }] }));
    assert.deepEqual(Role!.Tags, [{ Key: 'team', Value: 'core' }]);
    await iam.send(new TagRoleCommand({ RoleName: 'tagged', Tags: [{ Key: 'env', Value: 'dev' }, { Key: 'TEAM', Value: 'edge' }] }));
    assert.deepEqual((await iam.send(new ListRoleTagsCommand({ RoleName: 'tagged' }))).Tags, [{ Key: 'TEAM', Value: 'edge' }, { Key: 'env', Value: 'dev' }]);
    await iam.send(new UntagRoleCommand({ RoleName: 'tagged', TagKeys: ['team'] }));
    assert.deepEqual((await iam.send(new ListRoleTagsCommand({ RoleName: 'tagged' }))).Tags, [{ Key: 'env', Value: 'dev' }]);
    await rejectsWith(
      iam.send(new TagRoleCommand({ RoleName: 'tagged', Tags: [{ Key: 'a', Value: '1' }, { Key: 'A', Value: '2' }] })),
      'InvalidInput', 400, 'Duplicate tag keys found. Please note that Tag keys are case insensitive.',
    );
    await rejectsWith(
      iam.send(new TagRoleCommand({ RoleName: 'tagged', Tags: Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })) })),
      'ValidationError', 400, "1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50",
    );
    await iam.send(new TagRoleCommand({ RoleName: 'tagged', Tags: Array.from({ length: 49 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })) }));
    await rejectsWith(iam.send(new TagRoleCommand({ RoleName: 'tagged', Tags: [{ Key: 'one-more', Value: 'v' }] })), 'LimitExceeded', 409, 'The number of tags has reached the maximum limit.');
    await rejectsWith(iam.send(new TagRoleCommand({ RoleName: 'tagged', Tags: [{ Key: 'bad#key', Value: 'v' }] })), 'ValidationError', 400, /tags\.1\.member\.key/);
    await rejectsWith(iam.send(new ListRoleTagsCommand({ RoleName: 'untagged-ghost' })), 'NoSuchEntity', 404, 'The role with name untagged-ghost cannot be found.');
    const page = await iam.send(new ListRoleTagsCommand({ RoleName: 'tagged', MaxItems: 10 }));
    assert.equal(page.Tags!.length, 10);
    assert.equal(page.IsTruncated, true);
  });

  it('permissions boundaries are stored, shown by GetRole and removable', async () => {
    const iam = iamClient(env.endpoint);
    const { Policy } = await iam.send(new CreatePolicyCommand({ PolicyName: 'role-boundary', PolicyDocument: permissions('s3:*') }));
    const { Role } = await iam.send(new CreateRoleCommand({ RoleName: 'bounded', AssumeRolePolicyDocument: LAMBDA_TRUST, PermissionsBoundary: Policy!.Arn }));
    assert.deepEqual(Role!.PermissionsBoundary, { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: Policy!.Arn });
    await iam.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: 'bounded' }));
    assert.equal((await iam.send(new GetRoleCommand({ RoleName: 'bounded' }))).Role!.PermissionsBoundary, undefined);
    await iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: 'bounded', PermissionsBoundary: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
    assert.equal((await iam.send(new GetRoleCommand({ RoleName: 'bounded' }))).Role!.PermissionsBoundary!.PermissionsBoundaryArn, 'arn:aws:iam::aws:policy/ReadOnlyAccess');
    await rejectsWith(
      iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: 'bounded', PermissionsBoundary: 'arn:aws:iam::000000000000:not_a_policy/x' })),
      'InvalidInput', 400, 'ARN arn:aws:iam::000000000000:not_a_policy/x is not valid.',
    );
    await rejectsWith(
      iam.send(new CreateRoleCommand({ RoleName: 'unbounded', AssumeRolePolicyDocument: LAMBDA_TRUST, PermissionsBoundary: 'arn:aws:iam::000000000000:policy/nope' })),
      'NoSuchEntity', 404, 'Scope ARN: arn:aws:iam::000000000000:policy/nope does not exist or is not attachable.',
    );
  });
});
