import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AddUserToGroupCommand, AttachUserPolicyCommand, CreateAccessKeyCommand, CreateGroupCommand, CreateUserCommand,
  DeleteAccessKeyCommand, DeleteGroupCommand, DeleteUserCommand, DetachUserPolicyCommand, GetAccessKeyLastUsedCommand,
  GetGroupCommand, GetUserCommand, ListAccessKeysCommand, ListGroupsCommand, ListGroupsForUserCommand, ListUsersCommand,
  ListUserTagsCommand, PutUserPolicyCommand, DeleteUserPolicyCommand, RemoveUserFromGroupCommand, TagUserCommand,
  UntagUserCommand, UpdateAccessKeyCommand, UpdateGroupCommand, UpdateUserCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { clientConfig, useFogbank } from '../support/fogbank.js';
import { iamClient, permissions, rejectsWith } from './support.js';

const env = useFogbank();

describe('IAM users', () => {
  it('CreateUser, GetUser, ListUsers with paths; duplicates and unknown users answer IAM errors', async () => {
    const iam = iamClient(env.endpoint);
    const { User } = await iam.send(new CreateUserCommand({ UserName: 'deployer', Path: '/ci/', Tags: [{ Key: 'team', Value: 'platform' }] }));
    assert.match(User!.UserId!, /^AIDA[A-Z2-7]{17}$/);
    assert.equal(User!.Arn, 'arn:aws:iam::000000000000:user/ci/deployer');
    assert.deepEqual(User!.Tags, [{ Key: 'team', Value: 'platform' }]);
    assert.equal((await iam.send(new GetUserCommand({ UserName: 'deployer' }))).User!.UserId, User!.UserId);
    await iam.send(new CreateUserCommand({ UserName: 'reader' }));
    assert.deepEqual((await iam.send(new ListUsersCommand({ PathPrefix: '/ci/' }))).Users!.map((u) => u.UserName), ['deployer']);
    assert.equal((await iam.send(new ListUsersCommand({}))).Users!.find((u) => u.UserName === 'deployer')!.Tags, undefined);
    await rejectsWith(iam.send(new CreateUserCommand({ UserName: 'deployer' })), 'EntityAlreadyExists', 409, 'User with name deployer already exists.');
    await rejectsWith(iam.send(new GetUserCommand({ UserName: 'nobody' })), 'NoSuchEntity', 404, 'The user with name nobody cannot be found.');
    await rejectsWith(
      iam.send(new CreateUserCommand({ UserName: 'u'.repeat(65) })),
      'ValidationError', 400, "1 validation error detected: Value at 'userName' failed to satisfy constraint: Member must have length less than or equal to 64",
    );
    assert.equal((await iam.send(new GetUserCommand({ UserName: 'reader' }))).User!.UserName, 'reader');
  });

  it('dates come from the Fogbank clock, to the second', async () => {
    const iam = iamClient(env.endpoint);
    env.fogbank.advanceClock(400 * 24 * 3600 * 1000);
    const expected = Math.floor(env.fogbank.clock.now() / 1000) * 1000;
    const { User } = await iam.send(new CreateUserCommand({ UserName: 'from-the-future' }));
    assert.ok(Math.abs(User!.CreateDate!.getTime() - expected) <= 1000);
    assert.ok(User!.CreateDate!.getTime() > Date.now() + 399 * 24 * 3600 * 1000);
  });

  it('GetUser without a name answers for the caller: root for plain keys, the user for its own key', async () => {
    const iam = iamClient(env.endpoint);
    const root = (await iam.send(new GetUserCommand({}))).User!;
    assert.equal(root.Arn, 'arn:aws:iam::000000000000:root');
    assert.equal(root.UserId, '000000000000');
    assert.equal(root.UserName, undefined);
    await iam.send(new CreateUserCommand({ UserName: 'self' }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'self' }));
    const asSelf = iamClient(env.endpoint, { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! });
    assert.equal((await asSelf.send(new GetUserCommand({}))).User!.UserName, 'self');
    // A role session is not a user.
    const sts = new STSClient(clientConfig(env.endpoint));
    const { Credentials } = await sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::000000000000:role/anything', RoleSessionName: 'probe' }));
    const asRole = iamClient(env.endpoint, { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey! });
    await rejectsWith(asRole.send(new GetUserCommand({})), 'ValidationError', 400, 'Must specify userName when calling with non-User credentials');
  });

  it('access keys act as their user against Fogbank, list, deactivate, report last use and delete', async () => {
    const iam = iamClient(env.endpoint);
    const { User } = await iam.send(new CreateUserCommand({ UserName: 'builder', Path: '/ci/' }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'builder' }));
    assert.match(AccessKey!.AccessKeyId!, /^AKIA[A-Z2-7]{16}$/);
    assert.equal(AccessKey!.SecretAccessKey!.length, 40);
    assert.equal(AccessKey!.Status, 'Active');
    const credentials = { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
    const identity = await new STSClient(clientConfig(env.endpoint, 'eu-west-1', credentials)).send(new GetCallerIdentityCommand({}));
    assert.deepEqual([identity.Account, identity.Arn, identity.UserId], ['000000000000', 'arn:aws:iam::000000000000:user/ci/builder', User!.UserId]);

    const unused = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: AccessKey!.AccessKeyId }));
    assert.deepEqual([unused.UserName, unused.AccessKeyLastUsed!.ServiceName, unused.AccessKeyLastUsed!.Region], ['builder', 'N/A', 'N/A']);
    const asBuilder = iamClient(env.endpoint, credentials);
    const listed = await asBuilder.send(new ListAccessKeysCommand({}));
    assert.deepEqual(listed.AccessKeyMetadata!.map((k) => [k.AccessKeyId, k.UserName, k.Status]), [[AccessKey!.AccessKeyId, 'builder', 'Active']]);
    const used = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: AccessKey!.AccessKeyId }));
    assert.deepEqual([used.AccessKeyLastUsed!.ServiceName, used.AccessKeyLastUsed!.Region], ['iam', 'us-east-1']);
    assert.ok(used.AccessKeyLastUsed!.LastUsedDate instanceof Date);

    await iam.send(new UpdateAccessKeyCommand({ UserName: 'builder', AccessKeyId: AccessKey!.AccessKeyId, Status: 'Inactive' }));
    assert.equal((await iam.send(new ListAccessKeysCommand({ UserName: 'builder' }))).AccessKeyMetadata![0]!.Status, 'Inactive');
    await iam.send(new CreateAccessKeyCommand({ UserName: 'builder' }));
    await rejectsWith(iam.send(new CreateAccessKeyCommand({ UserName: 'builder' })), 'LimitExceeded', 409, 'Cannot exceed quota for AccessKeysPerUser: 2');
    await rejectsWith(iam.send(new CreateAccessKeyCommand({ UserName: 'ghost' })), 'NoSuchEntity', 404, 'The user with name ghost cannot be found.');
    await rejectsWith(
      iam.send(new UpdateAccessKeyCommand({ UserName: 'builder', AccessKeyId: 'AKIAIOSFODNN7EXAMPLE', Status: 'Active' })),
      'NoSuchEntity', 404, 'The Access Key with id AKIAIOSFODNN7EXAMPLE cannot be found.',
    );
    await rejectsWith(
      iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: 'AKIAIOSFODNN7EXAMPLE' })),
      'AccessDenied', 403, 'User: arn:aws:iam::000000000000:root is not authorized to perform iam:GetAccessKeyLastUsed on resource: access key AKIAIOSFODNN7EXAMPLE',
    );
    await rejectsWith(iam.send(new DeleteAccessKeyCommand({ AccessKeyId: AccessKey!.AccessKeyId })), 'ValidationError', 400, 'Must specify userName when calling with non-User credentials');
    await rejectsWith(iam.send(new DeleteUserCommand({ UserName: 'builder' })), 'DeleteConflict', 409, 'Cannot delete entity, must delete access keys first.');
    for (const key of (await iam.send(new ListAccessKeysCommand({ UserName: 'builder' }))).AccessKeyMetadata!) {
      await iam.send(new DeleteAccessKeyCommand({ UserName: 'builder', AccessKeyId: key.AccessKeyId }));
    }
    // The deleted key no longer means the user.
    const after = await new STSClient(clientConfig(env.endpoint, 'us-east-1', credentials)).send(new GetCallerIdentityCommand({}));
    assert.notEqual(after.Arn, 'arn:aws:iam::000000000000:user/ci/builder');
    await iam.send(new DeleteUserCommand({ UserName: 'builder' }));
  });

  it('UpdateUser renames and moves a user; its access keys follow', async () => {
    const iam = iamClient(env.endpoint);
    const { User } = await iam.send(new CreateUserCommand({ UserName: 'old-name' }));
    await iam.send(new CreateGroupCommand({ GroupName: 'renamers' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'renamers', UserName: 'old-name' }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'old-name' }));
    await iam.send(new UpdateUserCommand({ UserName: 'old-name', NewUserName: 'new-name', NewPath: '/moved/' }));
    const renamed = (await iam.send(new GetUserCommand({ UserName: 'new-name' }))).User!;
    assert.deepEqual([renamed.UserId, renamed.Arn, renamed.Path], [User!.UserId, 'arn:aws:iam::000000000000:user/moved/new-name', '/moved/']);
    await rejectsWith(iam.send(new GetUserCommand({ UserName: 'old-name' })), 'NoSuchEntity', 404, 'The user with name old-name cannot be found.');
    assert.equal((await iam.send(new ListAccessKeysCommand({ UserName: 'new-name' }))).AccessKeyMetadata![0]!.UserName, 'new-name');
    assert.deepEqual((await iam.send(new GetGroupCommand({ GroupName: 'renamers' }))).Users!.map((u) => u.UserName), ['new-name']);
    const identity = await new STSClient(clientConfig(env.endpoint, 'us-east-1', { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! })).send(new GetCallerIdentityCommand({}));
    assert.equal(identity.Arn, 'arn:aws:iam::000000000000:user/moved/new-name');
    await iam.send(new CreateUserCommand({ UserName: 'taken' }));
    await rejectsWith(iam.send(new UpdateUserCommand({ UserName: 'new-name', NewUserName: 'taken' })), 'EntityAlreadyExists', 409, 'User with name taken already exists.');
    await rejectsWith(iam.send(new UpdateUserCommand({ UserName: 'nonexistent-user', NewPath: '/x/' })), 'NoSuchEntity', 404, 'The user with name nonexistent-user cannot be found.');
  });

  it('DeleteUser refuses while policies or group memberships remain', async () => {
    const iam = iamClient(env.endpoint);
    await iam.send(new CreateUserCommand({ UserName: 'sticky' }));
    await iam.send(new PutUserPolicyCommand({ UserName: 'sticky', PolicyName: 'p', PolicyDocument: permissions('s3:GetObject') }));
    await rejectsWith(iam.send(new DeleteUserCommand({ UserName: 'sticky' })), 'DeleteConflict', 409, 'Cannot delete entity, must delete policies first.');
    await iam.send(new DeleteUserPolicyCommand({ UserName: 'sticky', PolicyName: 'p' }));
    await iam.send(new AttachUserPolicyCommand({ UserName: 'sticky', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
    await rejectsWith(iam.send(new DeleteUserCommand({ UserName: 'sticky' })), 'DeleteConflict', 409, 'Cannot delete entity, must detach all policies first.');
    await iam.send(new DetachUserPolicyCommand({ UserName: 'sticky', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
    await iam.send(new CreateGroupCommand({ GroupName: 'sticky-group' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'sticky-group', UserName: 'sticky' }));
    await rejectsWith(iam.send(new DeleteUserCommand({ UserName: 'sticky' })), 'DeleteConflict', 409, 'Cannot delete entity, must remove users from group first.');
    await iam.send(new RemoveUserFromGroupCommand({ GroupName: 'sticky-group', UserName: 'sticky' }));
    await iam.send(new DeleteUserCommand({ UserName: 'sticky' }));
    await rejectsWith(iam.send(new DeleteUserCommand({ UserName: 'sticky' })), 'NoSuchEntity', 404, 'The user with name sticky cannot be found.');
  });

  it('tags users', async () => {
    const iam = iamClient(env.endpoint);
    await iam.send(new CreateUserCommand({ UserName: 'labelled' }));
    await iam.send(new TagUserCommand({ UserName: 'labelled', Tags: [{ Key: 'key-2', Value: 'value-2' }, { Key: 'key-1', Value: 'value-1' }] }));
    await iam.send(new UntagUserCommand({ UserName: 'labelled', TagKeys: ['key-2'] }));
    assert.deepEqual((await iam.send(new ListUserTagsCommand({ UserName: 'labelled' }))).Tags, [{ Key: 'key-1', Value: 'value-1' }]);
    await rejectsWith(iam.send(new TagUserCommand({ UserName: 'unlabelled', Tags: [{ Key: 'k', Value: 'v' }] })), 'NoSuchEntity', 404, 'The user with name unlabelled cannot be found.');
  });
});

describe('IAM groups', () => {
  it('CreateGroup, GetGroup with members, ListGroups, ListGroupsForUser, UpdateGroup, DeleteGroup', async () => {
    const iam = iamClient(env.endpoint);
    const { Group } = await iam.send(new CreateGroupCommand({ GroupName: 'admins', Path: '/teams/' }));
    assert.match(Group!.GroupId!, /^AGPA[A-Z2-7]{17}$/);
    assert.equal(Group!.Arn, 'arn:aws:iam::000000000000:group/teams/admins');
    await iam.send(new CreateGroupCommand({ GroupName: 'devs' }));
    await iam.send(new CreateUserCommand({ UserName: 'ana' }));
    await iam.send(new CreateUserCommand({ UserName: 'bo' }));
    for (const [group, user] of [['admins', 'bo'], ['admins', 'ana'], ['devs', 'ana'], ['devs', 'ana']]) {
      await iam.send(new AddUserToGroupCommand({ GroupName: group, UserName: user }));
    }
    const got = await iam.send(new GetGroupCommand({ GroupName: 'admins' }));
    assert.equal(got.Group!.GroupName, 'admins');
    assert.deepEqual(got.Users!.map((u) => u.UserName), ['ana', 'bo']);
    assert.equal(got.IsTruncated, false);
    assert.deepEqual((await iam.send(new ListGroupsForUserCommand({ UserName: 'ana' }))).Groups!.map((g) => g.GroupName), ['admins', 'devs']);
    assert.deepEqual((await iam.send(new ListGroupsCommand({ PathPrefix: '/teams/' }))).Groups!.map((g) => g.GroupName), ['admins']);
    await rejectsWith(iam.send(new CreateGroupCommand({ GroupName: 'admins' })), 'EntityAlreadyExists', 409, 'Group with name admins already exists.');
    await rejectsWith(iam.send(new GetGroupCommand({ GroupName: 'non-existent-group' })), 'NoSuchEntity', 404, 'The group with name non-existent-group cannot be found.');
    await rejectsWith(iam.send(new AddUserToGroupCommand({ GroupName: 'admins', UserName: 'non-existent-user' })), 'NoSuchEntity', 404, 'The user with name non-existent-user cannot be found.');
    await rejectsWith(iam.send(new AddUserToGroupCommand({ GroupName: 'non-existent-group', UserName: 'ana' })), 'NoSuchEntity', 404, 'The group with name non-existent-group cannot be found.');
    await rejectsWith(iam.send(new RemoveUserFromGroupCommand({ GroupName: 'non-existent-group', UserName: 'any-user' })), 'NoSuchEntity', 404, 'The user with name any-user cannot be found.');
    await rejectsWith(iam.send(new DeleteGroupCommand({ GroupName: 'devs' })), 'DeleteConflict', 409, 'Cannot delete entity, must remove users from group first.');
    await iam.send(new RemoveUserFromGroupCommand({ GroupName: 'devs', UserName: 'ana' }));
    await iam.send(new RemoveUserFromGroupCommand({ GroupName: 'devs', UserName: 'ana' }));
    await iam.send(new UpdateGroupCommand({ GroupName: 'devs', NewGroupName: 'developers', NewPath: '/teams/' }));
    await rejectsWith(iam.send(new UpdateGroupCommand({ GroupName: 'developers', NewGroupName: 'admins' })), 'EntityAlreadyExists', 409, 'Group with name admins already exists.');
    assert.equal((await iam.send(new GetGroupCommand({ GroupName: 'developers' }))).Group!.Arn, 'arn:aws:iam::000000000000:group/teams/developers');
    await iam.send(new DeleteGroupCommand({ GroupName: 'developers' }));
    await rejectsWith(iam.send(new DeleteGroupCommand({ GroupName: 'developers' })), 'NoSuchEntity', 404, 'The group with name developers cannot be found.');
  });
});
