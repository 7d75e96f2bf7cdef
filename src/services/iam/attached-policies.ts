// Managed policies attached to roles, users and groups (Attach/Detach/ListAttached*Policies), and
// the reverse view, ListEntitiesForPolicy. Attaching an ARN that names no policy answers
// NoSuchEntity, AWS managed policies included.

import type * as IAM from '@aws-sdk/client-iam';
import type { Handler } from '../types.js';
import { limitExceeded, policyNotAttachable, policyNotFound } from './errors.js';
import { checkArn, findManagedPolicy } from './managed-policies.js';
import { pageInOrder } from './paging.js';
import { GROUP, MAX_ATTACHED_POLICIES, ROLE, USER, type Principal } from './principals.js';
import { groups, roles, users, type PolicyHolder } from './state.js';

type Input = Record<string, string | number | undefined>;

function attachmentOperations<R extends PolicyHolder>(principal: Principal<R>) {
  const holderName = (input: Input) => input[principal.nameMember] as string;

  const attach: Handler<Input, object> = (input, ctx) => {
    const arn = input['PolicyArn'] as string;
    checkArn(arn);
    const holder = principal.find(ctx, holderName(input));
    if (!findManagedPolicy(ctx, arn)) throw policyNotAttachable(arn);
    if (holder.AttachedPolicies.includes(arn)) return {};
    if (holder.AttachedPolicies.length >= MAX_ATTACHED_POLICIES) throw limitExceeded(`Cannot exceed quota for ${principal.attachQuota}: ${MAX_ATTACHED_POLICIES}`);
    holder.AttachedPolicies.push(arn);
    principal.save(ctx, holder);
    return {};
  };

  const detach: Handler<Input, object> = (input, ctx) => {
    const arn = input['PolicyArn'] as string;
    checkArn(arn);
    const holder = principal.find(ctx, holderName(input));
    if (!holder.AttachedPolicies.includes(arn)) throw policyNotFound(arn);
    holder.AttachedPolicies = holder.AttachedPolicies.filter((a) => a !== arn);
    principal.save(ctx, holder);
    return {};
  };

  const list: Handler<Input, object> = (input, ctx) => {
    const holder = principal.find(ctx, holderName(input));
    const prefix = (input['PathPrefix'] as string | undefined) ?? '/';
    const attached = holder.AttachedPolicies.flatMap((arn) => {
      const policy = findManagedPolicy(ctx, arn);
      return policy && policy.Path.startsWith(prefix) ? [{ PolicyName: policy.PolicyName, PolicyArn: arn }] : [];
    });
    const page = pageInOrder(attached, { Marker: input['Marker'] as string | undefined, MaxItems: input['MaxItems'] as number | undefined });
    return { AttachedPolicies: page.items, IsTruncated: page.IsTruncated, Marker: page.Marker };
  };

  return { attach, detach, list };
}

const role = attachmentOperations(ROLE);
const user = attachmentOperations(USER);
const group = attachmentOperations(GROUP);

type Entity = { group?: IAM.PolicyGroup; user?: IAM.PolicyUser; role?: IAM.PolicyRole };

const listEntitiesForPolicy: Handler<IAM.ListEntitiesForPolicyRequest, IAM.ListEntitiesForPolicyResponse> = (input, ctx) => {
  const arn = input.PolicyArn!;
  checkArn(arn);
  if (!findManagedPolicy(ctx, arn)) throw policyNotFound(arn);
  const filter = input.EntityFilter;
  const prefix = input.PathPrefix ?? '/';
  // No usage filter means both: entities with the policy attached and those bounded by it.
  const asPolicy = input.PolicyUsageFilter !== 'PermissionsBoundary';
  const asBoundary = input.PolicyUsageFilter !== 'PermissionsPolicy';
  const wants = (kind: string) => filter === undefined || filter === kind;
  const uses = (holder: PolicyHolder & { PermissionsBoundaryArn?: string }) =>
    (asPolicy && holder.AttachedPolicies.includes(arn)) || (asBoundary && holder.PermissionsBoundaryArn === arn);
  const entities: Entity[] = [];
  if (wants('Group') && asPolicy) {
    for (const g of groups(ctx).values()) if (g.Path.startsWith(prefix) && g.AttachedPolicies.includes(arn)) entities.push({ group: { GroupName: g.GroupName, GroupId: g.GroupId } });
  }
  if (wants('User')) {
    for (const u of users(ctx).values()) if (u.Path.startsWith(prefix) && uses(u)) entities.push({ user: { UserName: u.UserName, UserId: u.UserId } });
  }
  if (wants('Role')) {
    for (const r of roles(ctx).values()) if (r.Path.startsWith(prefix) && uses(r)) entities.push({ role: { RoleName: r.RoleName, RoleId: r.RoleId } });
  }
  const page = pageInOrder(entities, input);
  return {
    PolicyGroups: page.items.flatMap((e) => (e.group ? [e.group] : [])),
    PolicyUsers: page.items.flatMap((e) => (e.user ? [e.user] : [])),
    PolicyRoles: page.items.flatMap((e) => (e.role ? [e.role] : [])),
    IsTruncated: page.IsTruncated,
    Marker: page.Marker,
  };
};

export const attachedPolicyHandlers = {
  AttachRolePolicy: role.attach,
  DetachRolePolicy: role.detach,
  ListAttachedRolePolicies: role.list,
  AttachUserPolicy: user.attach,
  DetachUserPolicy: user.detach,
  ListAttachedUserPolicies: user.list,
  AttachGroupPolicy: group.attach,
  DetachGroupPolicy: group.detach,
  ListAttachedGroupPolicies: group.list,
  ListEntitiesForPolicy: listEntitiesForPolicy,
};
