// IAM: roles, users, groups, managed and inline policies, instance profiles, access keys and the
// account alias, kept per account (IAM is global) and answered as IAM answers, with its validation
// of names and policy documents, its quotas and its messages. Roles are what STS's AssumeRole
// reads; access keys made here work against Fogbank as their user.
//
// Not yet, compared with AWS:
// - No enforcement: policies, boundaries, trust policies and inactive access keys are stored and
//   reported but never consulted when a request is authorized.
// - Not implemented: login profiles and passwords, MFA devices, SSH keys, signing and server
//   certificates, service-specific credentials, SAML and OIDC providers, service-linked roles,
//   account password policy, credential reports, access advisor, policy simulation,
//   GetAccountAuthorizationDetails, ListPoliciesGrantingServiceAccess, role templates.
// - AWS managed policies: a set of about forty commonly used ones (data/aws-managed-policies.json),
//   each with its default version only; they cannot be tagged or changed.
// - Root credentials cannot create access keys (IAM would make root keys); callers that are not IAM
//   users must name the user.
// - RoleLastUsed is always empty; access keys report use only for calls to IAM itself.
// - Trust policy principals are not checked to exist.

import type { Handler, ServiceImplementation } from '../types.js';
import { createAccessKey, deleteAccessKey, getAccessKeyLastUsed, listAccessKeys, recordAccessKeyUse, updateAccessKey } from './access-keys.js';
import { createAccountAlias, deleteAccountAlias, getAccountSummary, listAccountAliases } from './account.js';
import { attachedPolicyHandlers } from './attached-policies.js';
import { deleteRolePermissionsBoundary, deleteUserPermissionsBoundary, putRolePermissionsBoundary, putUserPermissionsBoundary } from './boundaries.js';
import { checkConstraints } from './constraints.js';
import {
  addUserToGroup, createGroup, deleteGroup, getGroup, listGroups, listGroupsForUser, removeUserFromGroup, updateGroup,
} from './groups.js';
import { inlinePolicyHandlers } from './inline-policies.js';
import {
  addRoleToInstanceProfile, createInstanceProfile, deleteInstanceProfile, getInstanceProfile, listInstanceProfiles,
  listInstanceProfilesForRole, removeRoleFromInstanceProfile,
} from './instance-profiles.js';
import { createPolicy, deletePolicy, getPolicy, listPolicies } from './policies.js';
import { createPolicyVersion, deletePolicyVersion, getPolicyVersion, listPolicyVersions, setDefaultPolicyVersion } from './policy-versions.js';
import { createRole, deleteRole, getRole, listRoles, updateAssumeRolePolicy, updateRole, updateRoleDescription } from './roles.js';
import { taggingHandlers } from './tagging.js';
import { createUser, deleteUser, getUser, listUsers, updateUser } from './users.js';

const handlers: Record<string, Handler> = {
  CreateRole: createRole,
  GetRole: getRole,
  ListRoles: listRoles,
  UpdateRole: updateRole,
  UpdateRoleDescription: updateRoleDescription,
  UpdateAssumeRolePolicy: updateAssumeRolePolicy,
  DeleteRole: deleteRole,
  PutRolePermissionsBoundary: putRolePermissionsBoundary,
  DeleteRolePermissionsBoundary: deleteRolePermissionsBoundary,

  CreateUser: createUser,
  GetUser: getUser,
  ListUsers: listUsers,
  UpdateUser: updateUser,
  DeleteUser: deleteUser,
  PutUserPermissionsBoundary: putUserPermissionsBoundary,
  DeleteUserPermissionsBoundary: deleteUserPermissionsBoundary,

  CreateGroup: createGroup,
  GetGroup: getGroup,
  ListGroups: listGroups,
  ListGroupsForUser: listGroupsForUser,
  UpdateGroup: updateGroup,
  DeleteGroup: deleteGroup,
  AddUserToGroup: addUserToGroup,
  RemoveUserFromGroup: removeUserFromGroup,

  CreatePolicy: createPolicy,
  GetPolicy: getPolicy,
  ListPolicies: listPolicies,
  DeletePolicy: deletePolicy,
  CreatePolicyVersion: createPolicyVersion,
  GetPolicyVersion: getPolicyVersion,
  ListPolicyVersions: listPolicyVersions,
  DeletePolicyVersion: deletePolicyVersion,
  SetDefaultPolicyVersion: setDefaultPolicyVersion,

  ...attachedPolicyHandlers,
  ...inlinePolicyHandlers,
  ...taggingHandlers,

  CreateInstanceProfile: createInstanceProfile,
  GetInstanceProfile: getInstanceProfile,
  ListInstanceProfiles: listInstanceProfiles,
  ListInstanceProfilesForRole: listInstanceProfilesForRole,
  DeleteInstanceProfile: deleteInstanceProfile,
  AddRoleToInstanceProfile: addRoleToInstanceProfile,
  RemoveRoleFromInstanceProfile: removeRoleFromInstanceProfile,

  CreateAccessKey: createAccessKey,
  ListAccessKeys: listAccessKeys,
  UpdateAccessKey: updateAccessKey,
  DeleteAccessKey: deleteAccessKey,
  GetAccessKeyLastUsed: getAccessKeyLastUsed,

  ListAccountAliases: listAccountAliases,
  CreateAccountAlias: createAccountAlias,
  DeleteAccountAlias: deleteAccountAlias,
  GetAccountSummary: getAccountSummary,
};

/** Every operation first checks IAM's input constraints and notes the caller's access key use. */
function guarded(table: Record<string, Handler>): Record<string, Handler> {
  const out: Record<string, Handler> = {};
  for (const [name, handler] of Object.entries(table)) {
    out[name] = (input: Record<string, unknown>, ctx) => {
      checkConstraints(name, input);
      recordAccessKeyUse(ctx);
      return ctx.store.transaction(() => handler(input, ctx));
    };
  }
  return out;
}

export const iam: ServiceImplementation = {
  operations: guarded(handlers),
};
