// IAM groups and their membership.

import type * as IAM from '@aws-sdk/client-iam';
import type { Handler } from '../types.js';
import { deleteConflict, entityAlreadyExists, limitExceeded } from './errors.js';
import { byName, pageOf } from './paging.js';
import { findGroup, findUser, groups, iamArn, lookup, newId, nowSeconds, saveGroup, users, type GroupRecord, type UserRecord } from './state.js';
import { groupView, listedUserView, type NoOutput } from './views.js';

const MAX_GROUPS_PER_USER = 10;

export const createGroup: Handler<IAM.CreateGroupRequest, IAM.CreateGroupResponse> = (input, ctx) => {
  const name = input.GroupName!;
  if (lookup(groups(ctx), name, (g) => g.GroupName)) throw entityAlreadyExists(`Group with name ${name} already exists.`);
  const path = input.Path ?? '/';
  const group: GroupRecord = {
    GroupName: name,
    GroupId: newId('AGPA'),
    Arn: iamArn(ctx, 'group', path, name),
    Path: path,
    CreateDate: nowSeconds(ctx),
    Users: [],
    InlinePolicies: {},
    AttachedPolicies: [],
  };
  saveGroup(ctx, group);
  return { Group: groupView(group) };
};

export const getGroup: Handler<IAM.GetGroupRequest, IAM.GetGroupResponse> = (input, ctx) => {
  const group = findGroup(ctx, input.GroupName!);
  const members = group.Users.map((name) => users(ctx).get(name)).filter((u): u is UserRecord => u !== undefined);
  const page = pageOf(byName(members, (u) => u.UserName), (u) => u.UserName, input);
  return { Group: groupView(group), Users: page.items.map(listedUserView), IsTruncated: page.IsTruncated, Marker: page.Marker };
};

export const listGroups: Handler<IAM.ListGroupsRequest, IAM.ListGroupsResponse> = (input, ctx) => {
  const prefix = input.PathPrefix ?? '/';
  const matching = byName(groups(ctx).values().filter((g) => g.Path.startsWith(prefix)), (g) => g.GroupName);
  const page = pageOf(matching, (g) => g.GroupName, input);
  return { Groups: page.items.map(groupView), IsTruncated: page.IsTruncated, Marker: page.Marker };
};

export const listGroupsForUser: Handler<IAM.ListGroupsForUserRequest, IAM.ListGroupsForUserResponse> = (input, ctx) => {
  const user = findUser(ctx, input.UserName!);
  const memberOf = byName(groups(ctx).values().filter((g) => g.Users.includes(user.UserName)), (g) => g.GroupName);
  const page = pageOf(memberOf, (g) => g.GroupName, input);
  return { Groups: page.items.map(groupView), IsTruncated: page.IsTruncated, Marker: page.Marker };
};

export const updateGroup: Handler<IAM.UpdateGroupRequest, NoOutput> = (input, ctx) => {
  const group = findGroup(ctx, input.GroupName!);
  const oldName = group.GroupName;
  const newName = input.NewGroupName ?? oldName;
  if (newName !== oldName) {
    const clash = lookup(groups(ctx), newName, (g) => g.GroupName);
    if (clash && clash.GroupId !== group.GroupId) throw entityAlreadyExists(`Group with name ${newName} already exists.`);
  }
  group.GroupName = newName;
  group.Path = input.NewPath ?? group.Path;
  group.Arn = iamArn(ctx, 'group', group.Path, newName);
  groups(ctx).delete(oldName);
  saveGroup(ctx, group);
  return {};
};

export const deleteGroup: Handler<IAM.DeleteGroupRequest, NoOutput> = (input, ctx) => {
  const group = findGroup(ctx, input.GroupName!);
  if (group.Users.length > 0) throw deleteConflict('Cannot delete entity, must remove users from group first.');
  if (group.AttachedPolicies.length > 0) throw deleteConflict('Cannot delete entity, must detach all policies first.');
  if (Object.keys(group.InlinePolicies).length > 0) throw deleteConflict('Cannot delete entity, must delete policies first.');
  groups(ctx).delete(group.GroupName);
  return {};
};

export const addUserToGroup: Handler<IAM.AddUserToGroupRequest, NoOutput> = (input, ctx) => {
  const user = findUser(ctx, input.UserName!);
  const group = findGroup(ctx, input.GroupName!);
  if (group.Users.includes(user.UserName)) return {};
  const memberships = groups(ctx).values().filter((g) => g.Users.includes(user.UserName)).length;
  if (memberships >= MAX_GROUPS_PER_USER) throw limitExceeded(`Cannot exceed quota for GroupsPerUser: ${MAX_GROUPS_PER_USER}`);
  group.Users.push(user.UserName);
  saveGroup(ctx, group);
  return {};
};

/** Removing a user who is not a member succeeds, as in IAM. */
export const removeUserFromGroup: Handler<IAM.RemoveUserFromGroupRequest, NoOutput> = (input, ctx) => {
  const user = findUser(ctx, input.UserName!);
  const group = findGroup(ctx, input.GroupName!);
  group.Users = group.Users.filter((name) => name !== user.UserName);
  saveGroup(ctx, group);
  return {};
};
