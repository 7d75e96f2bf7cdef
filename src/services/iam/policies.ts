// Customer managed policies (create, read, list with AWS managed ones, delete).

import type * as IAM from '@aws-sdk/client-iam';
import type { Handler } from '../types.js';
import { accessDenied, deleteConflict, entityAlreadyExists, policyNotFound } from './errors.js';
import { allManagedPolicies, checkArn, findManagedPolicy, fromRecord, policyOutput, policyUsage, type ManagedPolicy, type Usage } from './managed-policies.js';
import { byName, pageOf } from './paging.js';
import { checkManagedPolicySize, validateIdentityPolicy } from './policy-document.js';
import { iamArn, newId, nowSeconds, policies, type PolicyRecord } from './state.js';
import { tagsFromInput } from './tags.js';
import type { NoOutput } from './views.js';

export const createPolicy: Handler<IAM.CreatePolicyRequest, IAM.CreatePolicyResponse> = (input, ctx) => {
  const name = input.PolicyName!;
  const document = input.PolicyDocument!;
  const tags = tagsFromInput(input.Tags, 'sensitive');
  validateIdentityPolicy(document);
  checkManagedPolicySize(document);
  const lower = name.toLowerCase();
  if (policies(ctx).values().some((p) => p.PolicyName.toLowerCase() === lower)) {
    throw entityAlreadyExists(`A policy called ${name} already exists. Duplicate names are not allowed.`);
  }
  const path = input.Path ?? '/';
  const now = nowSeconds(ctx);
  const record: PolicyRecord = {
    PolicyName: name,
    PolicyId: newId('ANPA'),
    Arn: iamArn(ctx, 'policy', path, name),
    Path: path,
    Description: input.Description,
    DefaultVersionId: 'v1',
    CreateDate: now,
    UpdateDate: now,
    Tags: tags,
    Versions: { v1: { Document: document, CreateDate: now } },
    NextVersion: 2,
  };
  policies(ctx).put(record.Arn, record);
  return { Policy: policyOutput(fromRecord(record), undefined, { tags: 'when-set' }) };
};

export const getPolicy: Handler<IAM.GetPolicyRequest, IAM.GetPolicyResponse> = (input, ctx) => {
  const arn = input.PolicyArn!;
  checkArn(arn);
  const policy = findManagedPolicy(ctx, arn);
  if (!policy) throw policyNotFound(arn);
  return { Policy: policyOutput(policy, policyUsage(ctx).get(arn), { description: true, tags: 'always' }) };
};

function inUse(usage: Usage | undefined, filter: string | undefined): boolean {
  if (!usage) return false;
  if (filter === 'PermissionsPolicy') return usage.attachments > 0;
  if (filter === 'PermissionsBoundary') return usage.boundaries > 0;
  return usage.attachments + usage.boundaries > 0;
}

/** Customer managed policies come first, then AWS's, each by name; so a page key is origin + name. */
const pageKey = (p: ManagedPolicy) => `${p.origin === 'Local' ? 0 : 1}/${p.PolicyName}`;

export const listPolicies: Handler<IAM.ListPoliciesRequest, IAM.ListPoliciesResponse> = (input, ctx) => {
  const scope = input.Scope ?? 'All';
  const { local, aws } = allManagedPolicies(ctx);
  const nameOf = (p: ManagedPolicy) => p.PolicyName;
  const candidates = [...(scope === 'AWS' ? [] : byName(local, nameOf)), ...(scope === 'Local' ? [] : byName(aws, nameOf))];
  const usage = policyUsage(ctx);
  const prefix = input.PathPrefix ?? '/';
  const matching = candidates.filter((p) => p.Path.startsWith(prefix) && (!input.OnlyAttached || inUse(usage.get(p.Arn), input.PolicyUsageFilter)));
  const page = pageOf(matching, pageKey, input);
  return { Policies: page.items.map((p) => policyOutput(p, usage.get(p.Arn))), IsTruncated: page.IsTruncated, Marker: page.Marker };
};

export const deletePolicy: Handler<IAM.DeletePolicyRequest, NoOutput> = (input, ctx) => {
  const arn = input.PolicyArn!;
  checkArn(arn);
  const policy = findManagedPolicy(ctx, arn);
  if (policy?.origin === 'AWS') throw accessDenied('Cannot delete policies outside your own account.');
  if (!policy) throw policyNotFound(arn);
  const usage = policyUsage(ctx).get(arn);
  if (usage && usage.attachments + usage.boundaries > 0) throw deleteConflict('Cannot delete a policy attached to entities.');
  if (policy.versions.length > 1) {
    throw deleteConflict("This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.");
  }
  policies(ctx).delete(arn);
  return {};
};
