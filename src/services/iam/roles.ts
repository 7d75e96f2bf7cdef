// Roles: create, read, list, update, delete. The trust policy is validated and size-checked as
// IAM does; STS reads these records to give AssumeRole the role's real RoleId.

import type * as IAM from '@aws-sdk/client-iam';
import type { Handler } from '../types.js';
import { resolveBoundary } from './boundaries.js';
import { deleteConflict, entityAlreadyExists } from './errors.js';
import { byName, pageOf } from './paging.js';
import { checkTrustPolicySize, validateTrustPolicy } from './policy-document.js';
import { findRole, iamArn, instanceProfiles, lookup, newId, nowSeconds, roles, saveRole, type RoleRecord } from './state.js';
import { tagsFromInput } from './tags.js';
import { createdRoleView, describedRoleView, listedRoleView, roleView, type NoOutput } from './views.js';

const DEFAULT_MAX_SESSION = 3600;

function checkTrustPolicy(document: string): void {
  validateTrustPolicy(document);
  checkTrustPolicySize(document);
}

export const createRole: Handler<IAM.CreateRoleRequest, IAM.CreateRoleResponse> = (input, ctx) => {
  const name = input.RoleName!;
  const tags = tagsFromInput(input.Tags, 'insensitive');
  checkTrustPolicy(input.AssumeRolePolicyDocument!);
  const boundaryArn = input.PermissionsBoundary === undefined ? undefined : resolveBoundary(ctx, input.PermissionsBoundary);
  if (lookup(roles(ctx), name, (r) => r.RoleName)) throw entityAlreadyExists(`Role with name ${name} already exists.`);
  const path = input.Path ?? '/';
  const role: RoleRecord = {
    RoleName: name,
    RoleId: newId('AROA'),
    Arn: iamArn(ctx, 'role', path, name),
    Path: path,
    CreateDate: nowSeconds(ctx),
    AssumeRolePolicyDocument: input.AssumeRolePolicyDocument!,
    Description: input.Description,
    MaxSessionDuration: input.MaxSessionDuration ?? DEFAULT_MAX_SESSION,
    PermissionsBoundaryArn: boundaryArn,
    Tags: tags,
    InlinePolicies: {},
    AttachedPolicies: [],
  };
  saveRole(ctx, role);
  return { Role: createdRoleView(role) };
};

export const getRole: Handler<IAM.GetRoleRequest, IAM.GetRoleResponse> = (input, ctx) => ({ Role: roleView(findRole(ctx, input.RoleName!)) });

export const listRoles: Handler<IAM.ListRolesRequest, IAM.ListRolesResponse> = (input, ctx) => {
  const prefix = input.PathPrefix ?? '/';
  const matching = byName(roles(ctx).values().filter((r) => r.Path.startsWith(prefix)), (r) => r.RoleName);
  const page = pageOf(matching, (r) => r.RoleName, input);
  return { Roles: page.items.map(listedRoleView), IsTruncated: page.IsTruncated, Marker: page.Marker };
};

export const updateRole: Handler<IAM.UpdateRoleRequest, IAM.UpdateRoleResponse> = (input, ctx) => {
  const role = findRole(ctx, input.RoleName!);
  if (input.Description !== undefined) role.Description = input.Description;
  if (input.MaxSessionDuration !== undefined) role.MaxSessionDuration = input.MaxSessionDuration;
  saveRole(ctx, role);
  return {};
};

export const updateRoleDescription: Handler<IAM.UpdateRoleDescriptionRequest, IAM.UpdateRoleDescriptionResponse> = (input, ctx) => {
  const role = findRole(ctx, input.RoleName!);
  role.Description = input.Description;
  saveRole(ctx, role);
  return { Role: describedRoleView(role) };
};

export const updateAssumeRolePolicy: Handler<IAM.UpdateAssumeRolePolicyRequest, NoOutput> = (input, ctx) => {
  const role = findRole(ctx, input.RoleName!);
  checkTrustPolicy(input.PolicyDocument!);
  role.AssumeRolePolicyDocument = input.PolicyDocument!;
  saveRole(ctx, role);
  return {};
};

export const deleteRole: Handler<IAM.DeleteRoleRequest, NoOutput> = (input, ctx) => {
  const role = findRole(ctx, input.RoleName!);
  if (instanceProfiles(ctx).values().some((p) => p.Roles.includes(role.RoleName))) {
    throw deleteConflict('Cannot delete entity, must remove roles from instance profile first.');
  }
  if (role.AttachedPolicies.length > 0) throw deleteConflict('Cannot delete entity, must detach all policies first.');
  if (Object.keys(role.InlinePolicies).length > 0) throw deleteConflict('Cannot delete entity, must delete policies first.');
  roles(ctx).delete(role.RoleName);
  return {};
};
