// IAM's state in one account (the service is global, so every collection is account-wide), the
// ids and ARNs AWS gives its entities, and name lookups. Role records are read by STS (AssumeRole
// takes RoleId from the 'roles' collection, keyed by RoleName), so that shape is a contract.

import type { Collection } from '../../store/store.js';
import type { Tag } from '../common/tags.js';
import { awsId } from '../sts/credentials.js';
import type { RequestContext } from '../types.js';
import { groupNotFound, instanceProfileNotFound, roleNotFound, userNotFound } from './errors.js';

/** What roles, users and groups share: inline policies (name -> document) and attached managed policy ARNs. */
export interface PolicyHolder {
  InlinePolicies: Record<string, string>;
  AttachedPolicies: string[];
}

export interface RoleRecord extends PolicyHolder {
  RoleName: string;
  RoleId: string;
  Arn: string;
  Path: string;
  /** Epoch milliseconds, whole seconds as IAM reports them. */
  CreateDate: number;
  /** The trust policy exactly as submitted. */
  AssumeRolePolicyDocument: string;
  Description?: string;
  MaxSessionDuration: number;
  PermissionsBoundaryArn?: string;
  Tags: Tag[];
}

export interface UserRecord extends PolicyHolder {
  UserName: string;
  UserId: string;
  Arn: string;
  Path: string;
  CreateDate: number;
  PermissionsBoundaryArn?: string;
  Tags: Tag[];
}

export interface GroupRecord extends PolicyHolder {
  GroupName: string;
  GroupId: string;
  Arn: string;
  Path: string;
  CreateDate: number;
  /** Member user names, in the order they were added. */
  Users: string[];
}

export interface PolicyVersionRecord {
  Document: string;
  CreateDate: number;
}

/** A customer managed policy; keyed by ARN. */
export interface PolicyRecord {
  PolicyName: string;
  PolicyId: string;
  Arn: string;
  Path: string;
  Description?: string;
  DefaultVersionId: string;
  CreateDate: number;
  UpdateDate: number;
  Tags: Tag[];
  Versions: Record<string, PolicyVersionRecord>;
  /** Version ids are never reused: v6 follows v5 even after v5 is deleted. */
  NextVersion: number;
}

export interface InstanceProfileRecord {
  InstanceProfileName: string;
  InstanceProfileId: string;
  Arn: string;
  Path: string;
  CreateDate: number;
  /** At most one role name (IAM's quota). */
  Roles: string[];
  Tags: Tag[];
}

/** An IAM user's long-term key; the secret itself lives with STS's issued credentials. */
export interface AccessKeyRecord {
  AccessKeyId: string;
  UserName: string;
  Status: 'Active' | 'Inactive';
  CreateDate: number;
  LastUsed?: { date: number; region: string; service: string };
}

export const roles = (ctx: RequestContext) => ctx.collection<RoleRecord>('roles');
export const users = (ctx: RequestContext) => ctx.collection<UserRecord>('users');
export const groups = (ctx: RequestContext) => ctx.collection<GroupRecord>('groups');
export const policies = (ctx: RequestContext) => ctx.collection<PolicyRecord>('policies');
export const instanceProfiles = (ctx: RequestContext) => ctx.collection<InstanceProfileRecord>('instance-profiles');
export const accessKeys = (ctx: RequestContext) => ctx.collection<AccessKeyRecord>('access-keys');

/** IAM's ids: a four-letter prefix naming the kind (AROA role, AIDA user, ...) and 17 characters. */
export function newId(prefix: 'AROA' | 'AIDA' | 'AGPA' | 'ANPA' | 'AIPA'): string {
  return awsId(prefix, 17);
}

export function iamArn(ctx: RequestContext, kind: string, path: string, name: string): string {
  return `arn:aws:iam::${ctx.account}:${kind}${path}${name}`;
}

/** Now, to the second: IAM's dates carry no milliseconds. */
export function nowSeconds(ctx: RequestContext): number {
  return Math.floor(ctx.clock.now() / 1000) * 1000;
}

/** IAM names are unique regardless of case; an exact match wins, then a case-insensitive one. */
export function lookup<T>(collection: Collection<T>, name: string, nameOf: (record: T) => string): T | undefined {
  const exact = collection.get(name);
  if (exact) return exact;
  const lower = name.toLowerCase();
  return collection.values().find((record) => nameOf(record).toLowerCase() === lower);
}

export function findRole(ctx: RequestContext, name: string): RoleRecord {
  const role = lookup(roles(ctx), name, (r) => r.RoleName);
  if (!role) throw roleNotFound(name);
  return role;
}

export function findUser(ctx: RequestContext, name: string): UserRecord {
  const user = lookup(users(ctx), name, (u) => u.UserName);
  if (!user) throw userNotFound(name);
  return user;
}

export function findGroup(ctx: RequestContext, name: string): GroupRecord {
  const group = lookup(groups(ctx), name, (g) => g.GroupName);
  if (!group) throw groupNotFound(name);
  return group;
}

export function findInstanceProfile(ctx: RequestContext, name: string): InstanceProfileRecord {
  const profile = lookup(instanceProfiles(ctx), name, (p) => p.InstanceProfileName);
  if (!profile) throw instanceProfileNotFound(name);
  return profile;
}

/** Records are read once per request and written back whole. */
export function saveRole(ctx: RequestContext, role: RoleRecord): void {
  roles(ctx).put(role.RoleName, role);
}
export function saveUser(ctx: RequestContext, user: UserRecord): void {
  users(ctx).put(user.UserName, user);
}
export function saveGroup(ctx: RequestContext, group: GroupRecord): void {
  groups(ctx).put(group.GroupName, group);
}
export function saveInstanceProfile(ctx: RequestContext, profile: InstanceProfileRecord): void {
  instanceProfiles(ctx).put(profile.InstanceProfileName, profile);
}
