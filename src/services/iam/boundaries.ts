// Permissions boundaries on roles and users: a managed policy ARN stored beside the entity.
// Stored and reported faithfully; not yet enforced.

import type * as IAM from '@aws-sdk/client-iam';
import type { Handler, RequestContext } from '../types.js';
import { invalidInput, noSuchEntity } from './errors.js';
import { findManagedPolicy } from './managed-policies.js';
import { findRole, findUser, saveRole, saveUser } from './state.js';
import type { NoOutput } from './views.js';

const POLICY_ARN = /^arn:aws[a-z-]*:iam::(\d{12}|aws):policy\/.+$/;

/** The boundary policy's ARN once checked: a policy ARN, naming a policy that exists. */
export function resolveBoundary(ctx: RequestContext, arn: string): string {
  if (!POLICY_ARN.test(arn)) throw invalidInput(`ARN ${arn} is not valid.`);
  if (!findManagedPolicy(ctx, arn)) throw noSuchEntity(`Scope ARN: ${arn} does not exist or is not attachable.`);
  return arn;
}

export const putRolePermissionsBoundary: Handler<IAM.PutRolePermissionsBoundaryRequest, NoOutput> = (input, ctx) => {
  if (!POLICY_ARN.test(input.PermissionsBoundary!)) throw invalidInput(`ARN ${input.PermissionsBoundary} is not valid.`);
  const role = findRole(ctx, input.RoleName!);
  role.PermissionsBoundaryArn = resolveBoundary(ctx, input.PermissionsBoundary!);
  saveRole(ctx, role);
  return {};
};

export const deleteRolePermissionsBoundary: Handler<IAM.DeleteRolePermissionsBoundaryRequest, NoOutput> = (input, ctx) => {
  const role = findRole(ctx, input.RoleName!);
  delete role.PermissionsBoundaryArn;
  saveRole(ctx, role);
  return {};
};

export const putUserPermissionsBoundary: Handler<IAM.PutUserPermissionsBoundaryRequest, NoOutput> = (input, ctx) => {
  if (!POLICY_ARN.test(input.PermissionsBoundary!)) throw invalidInput(`ARN ${input.PermissionsBoundary} is not valid.`);
  const user = findUser(ctx, input.UserName!);
  user.PermissionsBoundaryArn = resolveBoundary(ctx, input.PermissionsBoundary!);
  saveUser(ctx, user);
  return {};
};

export const deleteUserPermissionsBoundary: Handler<IAM.DeleteUserPermissionsBoundaryRequest, NoOutput> = (input, ctx) => {
  const user = findUser(ctx, input.UserName!);
  delete user.PermissionsBoundaryArn;
  saveUser(ctx, user);
  return {};
};
