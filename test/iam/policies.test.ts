import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AttachGroupPolicyCommand, AttachRolePolicyCommand, AttachUserPolicyCommand, CreateGroupCommand, CreatePolicyCommand,
  CreatePolicyVersionCommand, CreateRoleCommand, CreateUserCommand, DeletePolicyCommand, DeletePolicyVersionCommand,
  DetachRolePolicyCommand, GetPolicyCommand, GetPolicyVersionCommand, ListAttachedGroupPoliciesCommand,
  ListAttachedRolePoliciesCommand, ListAttachedUserPoliciesCommand, ListEntitiesForPolicyCommand, ListPoliciesCommand,
  ListPolicyTagsCommand, ListPolicyVersionsCommand, PutUserPermissionsBoundaryCommand, SetDefaultPolicyVersionCommand,
  TagPolicyCommand, UntagPolicyCommand,
} from '@aws-sdk/client-iam';
import { useFogbank } from '../support/fogbank.js';
import { decoded, iamClient, LAMBDA_TRUST, permissions, rejectsWith } from './support.js';

const env = useFogbank();

const AWS_MANAGED: Record<string, string> = {
  AWSLambdaBasicExecutionRole: 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
  AWSLambdaVPCAccessExecutionRole: 'arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole',
  AWSLambdaSQSQueueExecutionRole: 'arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole',
  AWSLambdaDynamoDBExecutionRole: 'arn:aws:iam::aws:policy/service-role/AWSLambdaDynamoDBExecutionRole',
  AWSLambdaRole: 'arn:aws:iam::aws:policy/service-role/AWSLambdaRole',
  AmazonDynamoDBFullAccess: 'arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess',
  AmazonDynamoDBReadOnlyAccess: 'arn:aws:iam::aws:policy/AmazonDynamoDBReadOnlyAccess',
  AmazonS3FullAccess: 'arn:aws:iam::aws:policy/AmazonS3FullAccess',
  AmazonS3ReadOnlyAccess: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
  AmazonSQSFullAccess: 'arn:aws:iam::aws:policy/AmazonSQSFullAccess',
  AmazonSNSFullAccess: 'arn:aws:iam::aws:policy/AmazonSNSFullAccess',
  SecretsManagerReadWrite: 'arn:aws:iam::aws:policy/SecretsManagerReadWrite',
  AmazonSSMReadOnlyAccess: 'arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess',
  CloudWatchLogsFullAccess: 'arn:aws:iam::aws:policy/CloudWatchLogsFullAccess',
  AWSStepFunctionsFullAccess: 'arn:aws:iam::aws:policy/AWSStepFunctionsFullAccess',
  AmazonEventBridgeFullAccess: 'arn:aws:iam::aws:policy/AmazonEventBridgeFullAccess',
  AdministratorAccess: 'arn:aws:iam::aws:policy/AdministratorAccess',
  ReadOnlyAccess: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
  AmazonAPIGatewayInvokeFullAccess: 'arn:aws:iam::aws:policy/AmazonAPIGatewayInvokeFullAccess',
  AWSXRayDaemonWriteAccess: 'arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess',
};

describe('IAM managed policies', () => {
  it('CreatePolicy and GetPolicy answer IAM shapes; duplicates are refused', async () => {
    const iam = iamClient(env.endpoint);
    const doc = permissions(['s3:GetObject', 's3:PutObject'], 'arn:aws:s3:::bucket/*');
    const { Policy } = await iam.send(new CreatePolicyCommand({ PolicyName: 'bucket-rw', Path: '/app/', PolicyDocument: doc, Description: 'rw' }));
    assert.match(Policy!.PolicyId!, /^ANPA[A-Z2-7]{17}$/);
    assert.equal(Policy!.Arn, 'arn:aws:iam::000000000000:policy/app/bucket-rw');
    assert.equal(Policy!.DefaultVersionId, 'v1');
    assert.equal(Policy!.AttachmentCount, 0);
    assert.equal(Policy!.IsAttachable, true);
    assert.equal(Policy!.Description, undefined);
    const got = (await iam.send(new GetPolicyCommand({ PolicyArn: Policy!.Arn }))).Policy!;
    assert.equal(got.Description, 'rw');
    assert.deepEqual(got.Tags, []);
    const v1 = (await iam.send(new GetPolicyVersionCommand({ PolicyArn: Policy!.Arn, VersionId: 'v1' }))).PolicyVersion!;
    assert.deepEqual(decoded(v1.Document), JSON.parse(doc));
    assert.equal(v1.IsDefaultVersion, true);
    await rejectsWith(
      iam.send(new CreatePolicyCommand({ PolicyName: 'bucket-rw', PolicyDocument: doc })),
      'EntityAlreadyExists', 409, 'A policy called bucket-rw already exists. Duplicate names are not allowed.',
    );
    await rejectsWith(
      iam.send(new GetPolicyCommand({ PolicyArn: 'arn:aws:iam::000000000000:policy/none' })),
      'NoSuchEntity', 404, 'Policy arn:aws:iam::000000000000:policy/none was not found.',
    );
    await rejectsWith(iam.send(new GetPolicyCommand({ PolicyArn: 'longpolicynamebutnoarn' })), 'ValidationError', 400, 'ARN longpolicynamebutnoarn is not valid.');
    await rejectsWith(
      iam.send(new CreatePolicyCommand({ PolicyName: 'huge', PolicyDocument: permissions(Array.from({ length: 500 }, (_, i) => `s3:Action${i}`)) })),
      'LimitExceeded', 409, 'Cannot exceed quota for PolicySize: 6144',
    );
  });

  it('policy versions: at most five, ids never reused, default protected', async () => {
    const iam = iamClient(env.endpoint);
    const { Policy } = await iam.send(new CreatePolicyCommand({ PolicyName: 'versioned', PolicyDocument: permissions('sqs:SendMessage') }));
    const arn = Policy!.Arn!;
    const v2 = await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: permissions('sqs:*'), SetAsDefault: true }));
    assert.deepEqual({ id: v2.PolicyVersion!.VersionId, isDefault: v2.PolicyVersion!.IsDefaultVersion }, { id: 'v2', isDefault: true });
    for (const n of [3, 4, 5]) {
      const v = await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: permissions(`sqs:Action${n}`) }));
      assert.equal(v.PolicyVersion!.VersionId, `v${n}`);
      assert.equal(v.PolicyVersion!.IsDefaultVersion, false);
    }
    await rejectsWith(
      iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: permissions('sqs:*') })),
      'LimitExceeded', 409, 'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.',
    );
    const listed = await iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }));
    assert.deepEqual(listed.Versions!.map((v) => [v.VersionId, v.IsDefaultVersion]), [['v5', false], ['v4', false], ['v3', false], ['v2', true], ['v1', false]]);
    await rejectsWith(iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v2' })), 'DeleteConflict', 409, 'Cannot delete the default version of a policy.');
    await iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v5' }));
    const v6 = await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: permissions('sqs:*') }));
    assert.equal(v6.PolicyVersion!.VersionId, 'v6');
    await iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' }));
    assert.equal((await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy!.DefaultVersionId, 'v1');
    await rejectsWith(
      iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v9' })),
      'NoSuchEntity', 404, `Policy ${arn} version v9 does not exist or is not attachable.`,
    );
    await rejectsWith(
      iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: 'wrong_version_id' })),
      'ValidationError', 400,
      "1 validation error detected: Value at 'versionId' failed to satisfy constraint: Member must satisfy regular expression pattern: v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?",
    );
    await rejectsWith(
      iam.send(new DeletePolicyCommand({ PolicyArn: arn })),
      'DeleteConflict', 409,
      "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
    );
    for (const v of ['v2', 'v3', 'v4', 'v6']) await iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: v }));
    await iam.send(new DeletePolicyCommand({ PolicyArn: arn }));
    await rejectsWith(iam.send(new GetPolicyCommand({ PolicyArn: arn })), 'NoSuchEntity', 404, `Policy ${arn} was not found.`);
  });

  it('AWS managed policies exist in every account with their real ARNs, ids and documents', async () => {
    const iam = iamClient(env.endpoint);
    for (const [name, arn] of Object.entries(AWS_MANAGED)) {
      const policy = (await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy!;
      assert.equal(policy.PolicyName, name);
      assert.match(policy.PolicyId!, /^ANPA[A-Z0-9]{17}$/);
      const version = (await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: policy.DefaultVersionId! }))).PolicyVersion!;
      assert.equal((decoded(version.Document) as { Version: string }).Version, '2012-10-17');
    }
    const basic = (await iam.send(new GetPolicyCommand({ PolicyArn: AWS_MANAGED['AWSLambdaBasicExecutionRole']! }))).Policy!;
    assert.equal(basic.PolicyId, 'ANPAJNCQGXC42545SKXIK');
    assert.equal(basic.Path, '/service-role/');
    assert.equal(basic.Description, 'Provides write permissions to CloudWatch Logs.');
    assert.equal(basic.CreateDate!.toISOString(), '2015-04-09T15:03:43.000Z');
    const doc = decoded((await iam.send(new GetPolicyVersionCommand({ PolicyArn: basic.Arn, VersionId: 'v1' }))).PolicyVersion!.Document);
    assert.deepEqual(doc, { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' }] });
    await rejectsWith(iam.send(new DeletePolicyCommand({ PolicyArn: basic.Arn })), 'AccessDenied', 403, 'Cannot delete policies outside your own account.');
  });

  it('attaches to roles, users and groups; unknown ARNs answer NoSuchEntity; counts and entities follow', async () => {
    const iam = iamClient(env.endpoint);
    await iam.send(new CreateRoleCommand({ RoleName: 'worker', AssumeRolePolicyDocument: LAMBDA_TRUST }));
    await iam.send(new CreateUserCommand({ UserName: 'operator' }));
    await iam.send(new CreateGroupCommand({ GroupName: 'operators' }));
    const sqs = AWS_MANAGED['AWSLambdaSQSQueueExecutionRole']!;
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'worker', PolicyArn: sqs }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'worker', PolicyArn: sqs }));
    await iam.send(new AttachUserPolicyCommand({ UserName: 'operator', PolicyArn: sqs }));
    await iam.send(new AttachGroupPolicyCommand({ GroupName: 'operators', PolicyArn: sqs }));
    assert.deepEqual((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'worker' }))).AttachedPolicies, [{ PolicyName: 'AWSLambdaSQSQueueExecutionRole', PolicyArn: sqs }]);
    assert.equal((await iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'operator' }))).AttachedPolicies!.length, 1);
    assert.equal((await iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: 'operators', PathPrefix: '/nope/' }))).AttachedPolicies!.length, 0);
    assert.equal((await iam.send(new GetPolicyCommand({ PolicyArn: sqs }))).Policy!.AttachmentCount, 3);
    const entities = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: sqs }));
    assert.deepEqual(entities.PolicyRoles!.map((r) => r.RoleName), ['worker']);
    assert.deepEqual(entities.PolicyUsers!.map((u) => u.UserName), ['operator']);
    assert.deepEqual(entities.PolicyGroups!.map((g) => g.GroupName), ['operators']);
    const rolesOnly = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: sqs, EntityFilter: 'Role' }));
    assert.deepEqual([rolesOnly.PolicyRoles!.length, rolesOnly.PolicyUsers!.length, rolesOnly.PolicyGroups!.length], [1, 0, 0]);

    await rejectsWith(
      iam.send(new AttachRolePolicyCommand({ RoleName: 'worker', PolicyArn: 'arn:aws:iam::aws:policy/NoSuchManagedPolicy' })),
      'NoSuchEntity', 404, 'Policy arn:aws:iam::aws:policy/NoSuchManagedPolicy does not exist or is not attachable.',
    );
    await rejectsWith(
      iam.send(new AttachRolePolicyCommand({ RoleName: 'worker', PolicyArn: 'arn:aws:iam::000000000000:policy/nonexistent' })),
      'NoSuchEntity', 404, 'Policy arn:aws:iam::000000000000:policy/nonexistent does not exist or is not attachable.',
    );
    await rejectsWith(iam.send(new AttachRolePolicyCommand({ RoleName: 'worker', PolicyArn: 'longpolicynamebutnoarn' })), 'ValidationError', 400, 'ARN longpolicynamebutnoarn is not valid.');
    await rejectsWith(iam.send(new AttachRolePolicyCommand({ RoleName: 'idle', PolicyArn: sqs })), 'NoSuchEntity', 404, 'The role with name idle cannot be found.');
    await rejectsWith(
      iam.send(new DetachRolePolicyCommand({ RoleName: 'worker', PolicyArn: AWS_MANAGED['AmazonS3FullAccess']! })),
      'NoSuchEntity', 404, `Policy ${AWS_MANAGED['AmazonS3FullAccess']} was not found.`,
    );
    const names = Object.keys(AWS_MANAGED).filter((n) => n !== 'AWSLambdaSQSQueueExecutionRole').slice(0, 9);
    for (const n of names) await iam.send(new AttachRolePolicyCommand({ RoleName: 'worker', PolicyArn: AWS_MANAGED[n]! }));
    await rejectsWith(iam.send(new AttachRolePolicyCommand({ RoleName: 'worker', PolicyArn: AWS_MANAGED['ReadOnlyAccess']! })), 'LimitExceeded', 409, 'Cannot exceed quota for PoliciesPerRole: 10');
    const page = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'worker', MaxItems: 4 }));
    assert.equal(page.AttachedPolicies!.length, 4);
    assert.equal(page.IsTruncated, true);
    const rest = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'worker', Marker: page.Marker }));
    assert.equal(rest.AttachedPolicies!.length, 6);
    for (const p of [...page.AttachedPolicies!, ...rest.AttachedPolicies!]) await iam.send(new DetachRolePolicyCommand({ RoleName: 'worker', PolicyArn: p.PolicyArn }));
    assert.deepEqual((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'worker' }))).AttachedPolicies, []);
  });

  it('DeletePolicy refuses while the policy is attached or a boundary', async () => {
    const iam = iamClient(env.endpoint);
    const { Policy } = await iam.send(new CreatePolicyCommand({ PolicyName: 'in-use', PolicyDocument: permissions('dynamodb:GetItem') }));
    await iam.send(new CreateRoleCommand({ RoleName: 'user-of-policy', AssumeRolePolicyDocument: LAMBDA_TRUST }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'user-of-policy', PolicyArn: Policy!.Arn }));
    await rejectsWith(iam.send(new DeletePolicyCommand({ PolicyArn: Policy!.Arn })), 'DeleteConflict', 409, 'Cannot delete a policy attached to entities.');
    await iam.send(new DetachRolePolicyCommand({ RoleName: 'user-of-policy', PolicyArn: Policy!.Arn }));
    await iam.send(new CreateUserCommand({ UserName: 'bounded-user' }));
    await iam.send(new PutUserPermissionsBoundaryCommand({ UserName: 'bounded-user', PermissionsBoundary: Policy!.Arn }));
    const boundaryUse = (await iam.send(new GetPolicyCommand({ PolicyArn: Policy!.Arn }))).Policy!;
    assert.deepEqual([boundaryUse.AttachmentCount, boundaryUse.PermissionsBoundaryUsageCount], [0, 1]);
    const asBoundary = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: Policy!.Arn, PolicyUsageFilter: 'PermissionsBoundary' }));
    assert.deepEqual(asBoundary.PolicyUsers!.map((u) => u.UserName), ['bounded-user']);
    await rejectsWith(iam.send(new DeletePolicyCommand({ PolicyArn: Policy!.Arn })), 'DeleteConflict', 409, 'Cannot delete a policy attached to entities.');
  });

  it('ListPolicies by Scope, OnlyAttached, PolicyUsageFilter and PathPrefix, with paging', async () => {
    const iam = iamClient(env.endpoint);
    await iam.send(new CreatePolicyCommand({ PolicyName: 'scoped-a', Path: '/scoped/', PolicyDocument: permissions('sns:Publish') }));
    await iam.send(new CreatePolicyCommand({ PolicyName: 'scoped-b', Path: '/scoped/', PolicyDocument: permissions('sns:Publish') }));
    const local = await iam.send(new ListPoliciesCommand({ Scope: 'Local', PathPrefix: '/scoped/' }));
    assert.deepEqual(local.Policies!.map((p) => p.PolicyName), ['scoped-a', 'scoped-b']);
    assert.equal(local.Policies![0]!.Tags, undefined);
    const aws = await iam.send(new ListPoliciesCommand({ Scope: 'AWS', MaxItems: 1000 }));
    const awsNames = aws.Policies!.map((p) => p.PolicyName!);
    for (const name of Object.keys(AWS_MANAGED)) assert.ok(awsNames.includes(name), name);
    assert.ok(aws.Policies!.every((p) => p.Arn!.startsWith('arn:aws:iam::aws:policy/')));
    const serviceRole = await iam.send(new ListPoliciesCommand({ Scope: 'AWS', PathPrefix: '/service-role/' }));
    assert.ok(serviceRole.Policies!.some((p) => p.PolicyName === 'AWSLambdaBasicExecutionRole'));
    assert.ok(serviceRole.Policies!.every((p) => p.Path === '/service-role/'));
    await iam.send(new CreateRoleCommand({ RoleName: 'lister', AssumeRolePolicyDocument: LAMBDA_TRUST }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'lister', PolicyArn: AWS_MANAGED['AmazonSNSFullAccess']! }));
    const attached = await iam.send(new ListPoliciesCommand({ OnlyAttached: true, PolicyUsageFilter: 'PermissionsPolicy' }));
    assert.ok(attached.Policies!.some((p) => p.PolicyName === 'AmazonSNSFullAccess' && p.AttachmentCount! >= 1));
    assert.ok(attached.Policies!.every((p) => p.AttachmentCount! > 0));
    let marker: string | undefined;
    const seen: string[] = [];
    do {
      const page = await iam.send(new ListPoliciesCommand({ MaxItems: 7, Marker: marker }));
      seen.push(...page.Policies!.map((p) => p.Arn!));
      marker = page.IsTruncated ? page.Marker : undefined;
    } while (marker);
    assert.equal(new Set(seen).size, seen.length);
    assert.ok(seen.indexOf('arn:aws:iam::000000000000:policy/scoped/scoped-a') < seen.indexOf(AWS_MANAGED['AdministratorAccess']!));
  });

  it('tags customer managed policies, keeping keys that differ only in case apart', async () => {
    const iam = iamClient(env.endpoint);
    const { Policy } = await iam.send(new CreatePolicyCommand({ PolicyName: 'tagged-policy', PolicyDocument: permissions('s3:ListBucket'), Tags: [{ Key: 'a', Value: 'lower' }, { Key: 'A', Value: 'upper' }] }));
    assert.deepEqual(Policy!.Tags, [{ Key: 'a', Value: 'lower' }, { Key: 'A', Value: 'upper' }]);
    assert.deepEqual((await iam.send(new ListPolicyTagsCommand({ PolicyArn: Policy!.Arn }))).Tags, [{ Key: 'A', Value: 'upper' }, { Key: 'a', Value: 'lower' }]);
    await iam.send(new TagPolicyCommand({ PolicyArn: Policy!.Arn, Tags: [{ Key: 'a', Value: 'new' }] }));
    await iam.send(new UntagPolicyCommand({ PolicyArn: Policy!.Arn, TagKeys: ['A'] }));
    assert.deepEqual((await iam.send(new GetPolicyCommand({ PolicyArn: Policy!.Arn }))).Policy!.Tags, [{ Key: 'a', Value: 'new' }]);
    await rejectsWith(
      iam.send(new TagPolicyCommand({ PolicyArn: Policy!.Arn, Tags: [{ Key: 'x', Value: '1' }, { Key: 'x', Value: '2' }] })),
      'InvalidInput', 400, 'Duplicate tag keys found.',
    );
    await rejectsWith(
      iam.send(new TagPolicyCommand({ PolicyArn: 'arn:aws:iam::000000000000:policy/NotAPolicy', Tags: [{ Key: 'x', Value: '1' }] })),
      'NoSuchEntity', 404, 'Policy arn:aws:iam::000000000000:policy/NotAPolicy was not found.',
    );
    await rejectsWith(
      iam.send(new UntagPolicyCommand({ PolicyArn: Policy!.Arn, TagKeys: ['bad#key'] })),
      'ValidationError', 400, /Value at 'tagKeys' failed to satisfy constraint: Member must satisfy constraint: \[/,
    );
  });
});
