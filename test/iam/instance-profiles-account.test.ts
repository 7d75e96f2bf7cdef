import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AddRoleToInstanceProfileCommand, CreateAccountAliasCommand, CreateInstanceProfileCommand, CreatePolicyCommand, CreateRoleCommand,
  CreateUserCommand, DeleteAccountAliasCommand, DeleteInstanceProfileCommand, GetAccountSummaryCommand, GetInstanceProfileCommand, GetUserCommand, IAMClient,
  ListAccountAliasesCommand, ListInstanceProfilesCommand, ListInstanceProfilesForRoleCommand, ListInstanceProfileTagsCommand,
  RemoveRoleFromInstanceProfileCommand, TagInstanceProfileCommand, UntagInstanceProfileCommand,
} from '@aws-sdk/client-iam';
import { clientConfig, useFogbank } from '../support/fogbank.js';
import { iamClient, LAMBDA_TRUST, permissions, rejectsWith } from './support.js';

const env = useFogbank();

describe('IAM instance profiles', () => {
  it('create, add one role, list (and per role), remove, delete', async () => {
    const iam = iamClient(env.endpoint);
    const { InstanceProfile } = await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'web', Path: '/ec2/' }));
    assert.match(InstanceProfile!.InstanceProfileId!, /^AIPA[A-Z2-7]{17}$/);
    assert.equal(InstanceProfile!.Arn, 'arn:aws:iam::000000000000:instance-profile/ec2/web');
    assert.deepEqual(InstanceProfile!.Roles, []);
    const { Role } = await iam.send(new CreateRoleCommand({ RoleName: 'web-role', AssumeRolePolicyDocument: LAMBDA_TRUST }));
    await iam.send(new CreateRoleCommand({ RoleName: 'other-role', AssumeRolePolicyDocument: LAMBDA_TRUST }));
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'web', RoleName: 'web-role' }));
    const got = (await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'web' }))).InstanceProfile!;
    assert.deepEqual(got.Roles!.map((r) => [r.RoleName, r.RoleId, r.Arn]), [['web-role', Role!.RoleId, Role!.Arn]]);
    assert.deepEqual(got.Tags, []);
    await rejectsWith(
      iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'web', RoleName: 'other-role' })),
      'LimitExceeded', 409, 'Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1',
    );
    await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'api', Path: '/ec2/' }));
    await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'elsewhere' }));
    assert.deepEqual((await iam.send(new ListInstanceProfilesCommand({ PathPrefix: '/ec2/' }))).InstanceProfiles!.map((p) => p.InstanceProfileName), ['api', 'web']);
    assert.deepEqual((await iam.send(new ListInstanceProfilesForRoleCommand({ RoleName: 'web-role' }))).InstanceProfiles!.map((p) => p.InstanceProfileName), ['web']);
    assert.deepEqual((await iam.send(new ListInstanceProfilesForRoleCommand({ RoleName: 'other-role' }))).InstanceProfiles, []);
    await rejectsWith(iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: 'web' })), 'DeleteConflict', 409, 'Cannot delete entity, must remove roles from instance profile first.');
    await rejectsWith(
      iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: 'web', RoleName: 'other-role' })),
      'NoSuchEntity', 404, 'Role other-role in Instance Profile web cannot be found.',
    );
    await iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: 'web', RoleName: 'web-role' }));
    await iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: 'web' }));
    await rejectsWith(iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'web' })), 'NoSuchEntity', 404, 'Instance Profile web cannot be found.');
    await rejectsWith(iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'api' })), 'EntityAlreadyExists', 409, 'Instance Profile api already exists.');
    await rejectsWith(iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'api', RoleName: 'nonexistent-role' })), 'NoSuchEntity', 404, 'The role with name nonexistent-role cannot be found.');
    await rejectsWith(iam.send(new ListInstanceProfilesForRoleCommand({ RoleName: 'nonexistent-role' })), 'NoSuchEntity', 404, 'The role with name nonexistent-role cannot be found.');
  });

  it('tags instance profiles', async () => {
    const iam = iamClient(env.endpoint);
    const created = await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'tagged-profile', Tags: [{ Key: 'InitialKey', Value: 'InitialValue' }] }));
    assert.deepEqual(created.InstanceProfile!.Tags, [{ Key: 'InitialKey', Value: 'InitialValue' }]);
    await iam.send(new TagInstanceProfileCommand({ InstanceProfileName: 'tagged-profile', Tags: [{ Key: 'MyKey', Value: 'myValue' }] }));
    await iam.send(new UntagInstanceProfileCommand({ InstanceProfileName: 'tagged-profile', TagKeys: ['InitialKey'] }));
    assert.deepEqual((await iam.send(new ListInstanceProfileTagsCommand({ InstanceProfileName: 'tagged-profile' }))).Tags, [{ Key: 'MyKey', Value: 'myValue' }]);
    await rejectsWith(iam.send(new ListInstanceProfileTagsCommand({ InstanceProfileName: 'nonexistent-profile' })), 'NoSuchEntity', 404, 'Instance Profile nonexistent-profile cannot be found.');
  });
});

describe('IAM account', () => {
  it('account alias: one per account, unique across accounts, deletable', async () => {
    const iam = iamClient(env.endpoint);
    assert.deepEqual((await iam.send(new ListAccountAliasesCommand({}))).AccountAliases, []);
    await iam.send(new CreateAccountAliasCommand({ AccountAlias: 'my-company' }));
    await iam.send(new CreateAccountAliasCommand({ AccountAlias: 'my-company-2' }));
    const listed = await iam.send(new ListAccountAliasesCommand({}));
    assert.deepEqual([listed.AccountAliases, listed.IsTruncated], [['my-company-2'], false]);
    const other = iamClient(env.endpoint, { accessKeyId: '111122223333', secretAccessKey: 'x' });
    await rejectsWith(other.send(new CreateAccountAliasCommand({ AccountAlias: 'my-company-2' })), 'EntityAlreadyExists', 409, 'The account alias my-company-2 already exists.');
    assert.deepEqual((await other.send(new ListAccountAliasesCommand({}))).AccountAliases, []);
    await rejectsWith(
      iam.send(new CreateAccountAliasCommand({ AccountAlias: 'Bad--Alias' })),
      'ValidationError', 400, /Value at 'accountAlias' failed to satisfy constraint: Member must satisfy regular expression pattern/,
    );
    await rejectsWith(iam.send(new DeleteAccountAliasCommand({ AccountAlias: 'not-mine' })), 'NoSuchEntity', 404, 'The account alias not-mine cannot be found.');
    await iam.send(new DeleteAccountAliasCommand({ AccountAlias: 'my-company-2' }));
    assert.deepEqual((await iam.send(new ListAccountAliasesCommand({}))).AccountAliases, []);
  });

  it('IAM is global: an entity made in one region is seen from every region, but not from another account', async () => {
    const east = iamClient(env.endpoint);
    await east.send(new CreateUserCommand({ UserName: 'everywhere' }));
    const west = new IAMClient(clientConfig(env.endpoint, 'eu-west-1'));
    assert.equal((await west.send(new GetUserCommand({ UserName: 'everywhere' }))).User!.UserName, 'everywhere');
    const other = iamClient(env.endpoint, { accessKeyId: '111122223333', secretAccessKey: 'x' });
    await rejectsWith(other.send(new GetUserCommand({ UserName: 'everywhere' })), 'NoSuchEntity', 404, 'The user with name everywhere cannot be found.');
  });

  it('GetAccountSummary counts entities and reports IAM quotas', async () => {
    const iam = iamClient(env.endpoint, { accessKeyId: '444455556666', secretAccessKey: 'x' });
    await iam.send(new CreateUserCommand({ UserName: 'counted' }));
    await iam.send(new CreateRoleCommand({ RoleName: 'counted', AssumeRolePolicyDocument: LAMBDA_TRUST }));
    await iam.send(new CreatePolicyCommand({ PolicyName: 'counted', PolicyDocument: permissions('s3:*') }));
    const { SummaryMap } = await iam.send(new GetAccountSummaryCommand({}));
    assert.deepEqual([SummaryMap!['Users'], SummaryMap!['Roles'], SummaryMap!['Policies'], SummaryMap!['Groups']], [1, 1, 1, 0]);
    assert.deepEqual([SummaryMap!['PolicySizeQuota'], SummaryMap!['AccessKeysPerUserQuota'], SummaryMap!['RolePolicySizeQuota']], [6144, 2, 10240]);
  });
});
