// Roles, users and groups as holders of policies: the one description the inline and attached
// policy operations need of each, with IAM's quotas for it.

import type { RequestContext } from '../types.js';
import {
  findGroup, findRole, findUser, saveGroup, saveRole, saveUser,
  type GroupRecord, type PolicyHolder, type RoleRecord, type UserRecord,
} from './state.js';

export interface Principal<R extends PolicyHolder = PolicyHolder> {
  /** As IAM's messages name it: "role", "user", "group". */
  label: 'role' | 'user' | 'group';
  /** The request member naming it. */
  nameMember: 'RoleName' | 'UserName' | 'GroupName';
  find(ctx: RequestContext, name: string): R;
  save(ctx: RequestContext, record: R): void;
  nameOf(record: R): string;
  /** Total characters (whitespace excluded) of all inline policies. */
  inlineQuota: number;
  /** The quota name IAM reports when more than ten managed policies would be attached. */
  attachQuota: string;
}

export const ROLE: Principal<RoleRecord> = {
  label: 'role',
  nameMember: 'RoleName',
  find: findRole,
  save: saveRole,
  nameOf: (r) => r.RoleName,
  inlineQuota: 10240,
  attachQuota: 'PoliciesPerRole',
};

export const USER: Principal<UserRecord> = {
  label: 'user',
  nameMember: 'UserName',
  find: findUser,
  save: saveUser,
  nameOf: (u) => u.UserName,
  inlineQuota: 2048,
  attachQuota: 'PoliciesPerUser',
};

export const GROUP: Principal<GroupRecord> = {
  label: 'group',
  nameMember: 'GroupName',
  find: findGroup,
  save: saveGroup,
  nameOf: (g) => g.GroupName,
  inlineQuota: 5120,
  attachQuota: 'PoliciesPerGroup',
};

export const MAX_ATTACHED_POLICIES = 10;
