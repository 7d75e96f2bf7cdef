// Inline policies on roles, users and groups (Put/Get/List/Delete{Role,User,Group}Policy): one
// implementation, instantiated per kind of principal.

import type { Handler } from '../types.js';
import { limitExceeded, noSuchEntity } from './errors.js';
import { pageOf } from './paging.js';
import { encodeDocument, policySize, validateIdentityPolicy } from './policy-document.js';
import { GROUP, ROLE, USER, type Principal } from './principals.js';
import type { PolicyHolder } from './state.js';

type Input = Record<string, string | number | undefined>;

function inlinePolicyOperations<R extends PolicyHolder>(principal: Principal<R>) {
  const holderName = (input: Input) => input[principal.nameMember] as string;
  const notFound = (policyName: string) => noSuchEntity(`The ${principal.label} policy with name ${policyName} cannot be found.`);

  const put: Handler<Input, object> = (input, ctx) => {
    const holder = principal.find(ctx, holderName(input));
    const document = input['PolicyDocument'] as string;
    validateIdentityPolicy(document);
    const next = { ...holder.InlinePolicies, [input['PolicyName'] as string]: document };
    const total = Object.values(next).reduce((sum, text) => sum + policySize(text), 0);
    if (total > principal.inlineQuota) {
      throw limitExceeded(`Maximum policy size of ${principal.inlineQuota} bytes exceeded for ${principal.label} ${principal.nameOf(holder)}`);
    }
    holder.InlinePolicies = next;
    principal.save(ctx, holder);
    return {};
  };

  const get: Handler<Input, object> = (input, ctx) => {
    const holder = principal.find(ctx, holderName(input));
    const policyName = input['PolicyName'] as string;
    const document = holder.InlinePolicies[policyName];
    if (document === undefined) throw notFound(policyName);
    return { [principal.nameMember]: principal.nameOf(holder), PolicyName: policyName, PolicyDocument: encodeDocument(document) };
  };

  const list: Handler<Input, object> = (input, ctx) => {
    const holder = principal.find(ctx, holderName(input));
    const names = Object.keys(holder.InlinePolicies).sort();
    const page = pageOf(names, (n) => n, { Marker: input['Marker'] as string | undefined, MaxItems: input['MaxItems'] as number | undefined });
    return { PolicyNames: page.items, IsTruncated: page.IsTruncated, Marker: page.Marker };
  };

  const remove: Handler<Input, object> = (input, ctx) => {
    const holder = principal.find(ctx, holderName(input));
    const policyName = input['PolicyName'] as string;
    if (holder.InlinePolicies[policyName] === undefined) throw notFound(policyName);
    delete holder.InlinePolicies[policyName];
    principal.save(ctx, holder);
    return {};
  };

  return { put, get, list, remove };
}

const role = inlinePolicyOperations(ROLE);
const user = inlinePolicyOperations(USER);
const group = inlinePolicyOperations(GROUP);

export const inlinePolicyHandlers = {
  PutRolePolicy: role.put,
  GetRolePolicy: role.get,
  ListRolePolicies: role.list,
  DeleteRolePolicy: role.remove,
  PutUserPolicy: user.put,
  GetUserPolicy: user.get,
  ListUserPolicies: user.list,
  DeleteUserPolicy: user.remove,
  PutGroupPolicy: group.put,
  GetGroupPolicy: group.get,
  ListGroupPolicies: group.list,
  DeleteGroupPolicy: group.remove,
};
