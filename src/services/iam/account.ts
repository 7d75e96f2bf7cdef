// Account-wide IAM: the account alias (one per account, unique across all accounts) and
// GetAccountSummary's counts and quotas.

import type * as IAM from '@aws-sdk/client-iam';
import type { Handler, RequestContext } from '../types.js';
import { entityAlreadyExists, noSuchEntity } from './errors.js';
import { groups, instanceProfiles, policies, roles, users } from './state.js';
import type { NoOutput } from './views.js';

/** Aliases are unique across AWS, so they live outside any one account. */
const aliasOwners = (ctx: RequestContext) => ctx.store.collection<{ account: string }>('iam', 'account-aliases', { account: '', region: '' });

function aliasesOf(ctx: RequestContext): string[] {
  return aliasOwners(ctx)
    .list()
    .filter(([, owner]) => owner.account === ctx.account)
    .map(([alias]) => alias);
}

export const listAccountAliases: Handler<IAM.ListAccountAliasesRequest, IAM.ListAccountAliasesResponse> = (_input, ctx) => ({
  AccountAliases: aliasesOf(ctx),
  IsTruncated: false,
});

/** A new alias replaces the account's current one. */
export const createAccountAlias: Handler<IAM.CreateAccountAliasRequest, NoOutput> = (input, ctx) => {
  const alias = input.AccountAlias!;
  const owner = aliasOwners(ctx).get(alias);
  if (owner && owner.account !== ctx.account) throw entityAlreadyExists(`The account alias ${alias} already exists.`);
  for (const existing of aliasesOf(ctx)) aliasOwners(ctx).delete(existing);
  aliasOwners(ctx).put(alias, { account: ctx.account });
  return {};
};

export const deleteAccountAlias: Handler<IAM.DeleteAccountAliasRequest, NoOutput> = (input, ctx) => {
  const alias = input.AccountAlias!;
  if (aliasOwners(ctx).get(alias)?.account !== ctx.account) throw noSuchEntity(`The account alias ${alias} cannot be found.`);
  aliasOwners(ctx).delete(alias);
  return {};
};

/** IAM's default quotas, as GetAccountSummary reports them. */
const QUOTAS: Record<string, number> = {
  UsersQuota: 5000,
  GroupsQuota: 300,
  RolesQuota: 1000,
  PoliciesQuota: 1500,
  InstanceProfilesQuota: 1000,
  ServerCertificatesQuota: 20,
  GroupsPerUserQuota: 10,
  AttachedPoliciesPerUserQuota: 10,
  AttachedPoliciesPerGroupQuota: 10,
  AttachedPoliciesPerRoleQuota: 10,
  AccessKeysPerUserQuota: 2,
  SigningCertificatesPerUserQuota: 2,
  VersionsPerPolicyQuota: 5,
  PolicySizeQuota: 6144,
  UserPolicySizeQuota: 2048,
  GroupPolicySizeQuota: 5120,
  RolePolicySizeQuota: 10240,
  AssumeRolePolicySizeQuota: 2048,
  PolicyVersionsInUseQuota: 10000,
  GlobalEndpointTokenVersion: 1,
};

export const getAccountSummary: Handler<object, IAM.GetAccountSummaryResponse> = (_input, ctx) => {
  const customerPolicies = policies(ctx).values();
  const holders = [...roles(ctx).values(), ...users(ctx).values(), ...groups(ctx).values()];
  return {
    SummaryMap: {
      ...QUOTAS,
      Users: users(ctx).count(),
      Groups: groups(ctx).count(),
      Roles: roles(ctx).count(),
      Policies: customerPolicies.length,
      InstanceProfiles: instanceProfiles(ctx).count(),
      PolicyVersionsInUse: holders.reduce((n, h) => n + h.AttachedPolicies.length, 0),
      AccountAccessKeysPresent: 0,
      AccountMFAEnabled: 0,
      AccountSigningCertificatesPresent: 0,
      MFADevices: 0,
      MFADevicesInUse: 0,
      Providers: 0,
      ServerCertificates: 0,
    },
  };
};
