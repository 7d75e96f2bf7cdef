// IAM users: create, read (GetUser without a name answers for the caller), list, rename or move,
// delete. Renaming carries the user's group memberships and access keys along, and the keys' STS
// identity with them.

import type * as IAM from '@aws-sdk/client-iam';
import { credentialsCollection } from '../sts/credentials.js';
import { callerIdentity } from '../sts/identity.js';
import type { Handler, RequestContext } from '../types.js';
import { resolveBoundary } from './boundaries.js';
import { deleteConflict, entityAlreadyExists, nonUserCredentials } from './errors.js';
import { byName, pageOf } from './paging.js';
import { accessKeys, findUser, groups, iamArn, lookup, newId, nowSeconds, saveUser, users, type UserRecord } from './state.js';
import { tagsFromInput } from './tags.js';
import { listedUserView, userView, type NoOutput } from './views.js';

export const createUser: Handler<IAM.CreateUserRequest, IAM.CreateUserResponse> = (input, ctx) => {
  const name = input.UserName!;
  const tags = tagsFromInput(input.Tags, 'insensitive');
  const boundaryArn = input.PermissionsBoundary === undefined ? undefined : resolveBoundary(ctx, input.PermissionsBoundary);
  if (lookup(users(ctx), name, (u) => u.UserName)) throw entityAlreadyExists(`User with name ${name} already exists.`);
  const path = input.Path ?? '/';
  const user: UserRecord = {
    UserName: name,
    UserId: newId('AIDA'),
    Arn: iamArn(ctx, 'user', path, name),
    Path: path,
    CreateDate: nowSeconds(ctx),
    PermissionsBoundaryArn: boundaryArn,
    Tags: tags,
    InlinePolicies: {},
    AttachedPolicies: [],
  };
  saveUser(ctx, user);
  return { User: userView(user) };
};

/** The IAM user behind the caller's credentials, if the caller is one. */
export function callingUser(ctx: RequestContext): UserRecord | undefined {
  const identity = callerIdentity(ctx);
  if (!/^arn:aws[a-z-]*:iam::\d{12}:user\//.test(identity.arn)) return undefined;
  return users(ctx).values().find((u) => u.UserId === identity.userId);
}

/** When the account (and so its root user) first appeared to this Fogbank. */
function accountCreateDate(ctx: RequestContext): number {
  const account = ctx.collection<{ CreateDate: number }>('account');
  let record = account.get('root');
  if (!record) account.put('root', (record = { CreateDate: nowSeconds(ctx) }));
  return record.CreateDate;
}

export const getUser: Handler<IAM.GetUserRequest, IAM.GetUserResponse> = (input, ctx) => {
  if (input.UserName !== undefined) return { User: userView(findUser(ctx, input.UserName)) };
  const identity = callerIdentity(ctx);
  if (identity.arn.endsWith(':root')) {
    // The root user has no name or path; IAM answers with its id and ARN only.
    return { User: { UserId: identity.userId, Arn: identity.arn, CreateDate: new Date(accountCreateDate(ctx)) } as IAM.User };
  }
  const user = callingUser(ctx);
  if (!user) throw nonUserCredentials();
  return { User: userView(user) };
};

export const listUsers: Handler<IAM.ListUsersRequest, IAM.ListUsersResponse> = (input, ctx) => {
  const prefix = input.PathPrefix ?? '/';
  const matching = byName(users(ctx).values().filter((u) => u.Path.startsWith(prefix)), (u) => u.UserName);
  const page = pageOf(matching, (u) => u.UserName, input);
  return { Users: page.items.map(listedUserView), IsTruncated: page.IsTruncated, Marker: page.Marker };
};

export const updateUser: Handler<IAM.UpdateUserRequest, NoOutput> = (input, ctx) => {
  const user = findUser(ctx, input.UserName!);
  const oldName = user.UserName;
  const newName = input.NewUserName ?? oldName;
  if (newName !== oldName) {
    const clash = lookup(users(ctx), newName, (u) => u.UserName);
    if (clash && clash.UserId !== user.UserId) throw entityAlreadyExists(`User with name ${newName} already exists.`);
  }
  user.UserName = newName;
  user.Path = input.NewPath ?? user.Path;
  user.Arn = iamArn(ctx, 'user', user.Path, newName);
  users(ctx).delete(oldName);
  saveUser(ctx, user);
  for (const group of groups(ctx).values()) {
    if (!group.Users.includes(oldName)) continue;
    group.Users = group.Users.map((n) => (n === oldName ? newName : n));
    groups(ctx).put(group.GroupName, group);
  }
  const credentials = credentialsCollection(ctx.store);
  for (const key of accessKeys(ctx).values()) {
    if (key.UserName !== oldName) continue;
    accessKeys(ctx).put(key.AccessKeyId, { ...key, UserName: newName });
    const credential = credentials.get(key.AccessKeyId);
    if (credential) credentials.put(key.AccessKeyId, { ...credential, arn: user.Arn });
  }
  return {};
};

export const deleteUser: Handler<IAM.DeleteUserRequest, NoOutput> = (input, ctx) => {
  const user = findUser(ctx, input.UserName!);
  const name = user.UserName;
  if (accessKeys(ctx).values().some((k) => k.UserName === name)) throw deleteConflict('Cannot delete entity, must delete access keys first.');
  if (Object.keys(user.InlinePolicies).length > 0) throw deleteConflict('Cannot delete entity, must delete policies first.');
  if (user.AttachedPolicies.length > 0) throw deleteConflict('Cannot delete entity, must detach all policies first.');
  if (groups(ctx).values().some((g) => g.Users.includes(name))) throw deleteConflict('Cannot delete entity, must remove users from group first.');
  users(ctx).delete(name);
  return {};
};
