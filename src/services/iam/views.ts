// The shapes IAM answers with. IAM returns different subsets of an entity from different calls:
// CreateRole omits Description and MaxSessionDuration, GetRole adds RoleLastUsed, ListRoles leaves
// out tags and the boundary, and so on; each view below names the calls it serves.

import type * as IAM from '@aws-sdk/client-iam';
import { encodeDocument } from './policy-document.js';
import type { GroupRecord, InstanceProfileRecord, RoleRecord, UserRecord } from './state.js';

/** What operations that answer nothing return. */
export type NoOutput = Record<string, never>;

/** IAM reports the type as "Policy", although its model's enum spells it "PermissionsBoundaryPolicy". */
function boundary(arn: string | undefined): IAM.AttachedPermissionsBoundary | undefined {
  return arn ? ({ PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: arn } as unknown as IAM.AttachedPermissionsBoundary) : undefined;
}

function roleBase(role: RoleRecord): IAM.Role {
  return {
    Path: role.Path,
    RoleName: role.RoleName,
    RoleId: role.RoleId,
    Arn: role.Arn,
    CreateDate: new Date(role.CreateDate),
    AssumeRolePolicyDocument: encodeDocument(role.AssumeRolePolicyDocument),
  };
}

/** CreateRole, and roles inside instance profiles. */
export function createdRoleView(role: RoleRecord): IAM.Role {
  return { ...roleBase(role), PermissionsBoundary: boundary(role.PermissionsBoundaryArn), Tags: role.Tags.length ? role.Tags : undefined };
}

export function roleInProfileView(role: RoleRecord): IAM.Role {
  return roleBase(role);
}

/** UpdateRoleDescription. */
export function describedRoleView(role: RoleRecord): IAM.Role {
  return { ...createdRoleView(role), Description: role.Description };
}

/** GetRole. */
export function roleView(role: RoleRecord): IAM.Role {
  return {
    ...roleBase(role),
    Description: role.Description,
    MaxSessionDuration: role.MaxSessionDuration,
    PermissionsBoundary: boundary(role.PermissionsBoundaryArn),
    Tags: role.Tags.length ? role.Tags : undefined,
    RoleLastUsed: {},
  };
}

/** ListRoles. */
export function listedRoleView(role: RoleRecord): IAM.Role {
  return { ...roleBase(role), Description: role.Description, MaxSessionDuration: role.MaxSessionDuration };
}

/** ListUsers, GetGroup's members. */
export function listedUserView(user: UserRecord): IAM.User {
  return { Path: user.Path, UserName: user.UserName, UserId: user.UserId, Arn: user.Arn, CreateDate: new Date(user.CreateDate) };
}

/** CreateUser, GetUser. */
export function userView(user: UserRecord): IAM.User {
  return { ...listedUserView(user), PermissionsBoundary: boundary(user.PermissionsBoundaryArn), Tags: user.Tags.length ? user.Tags : undefined };
}

export function groupView(group: GroupRecord): IAM.Group {
  return { Path: group.Path, GroupName: group.GroupName, GroupId: group.GroupId, Arn: group.Arn, CreateDate: new Date(group.CreateDate) };
}

/** Instance profiles; GetInstanceProfile always lists tags, CreateInstanceProfile only when given, lists never. */
export function instanceProfileView(profile: InstanceProfileRecord, roleOf: (name: string) => RoleRecord | undefined, tags: 'always' | 'when-set' | 'never'): IAM.InstanceProfile {
  return {
    Path: profile.Path,
    InstanceProfileName: profile.InstanceProfileName,
    InstanceProfileId: profile.InstanceProfileId,
    Arn: profile.Arn,
    CreateDate: new Date(profile.CreateDate),
    Roles: profile.Roles.map(roleOf).filter((r): r is RoleRecord => r !== undefined).map(roleInProfileView),
    Tags: tags === 'always' || (tags === 'when-set' && profile.Tags.length > 0) ? profile.Tags : undefined,
  };
}
