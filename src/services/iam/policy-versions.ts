// Managed policy versions: at most five per policy, one of them the default, ids never reused.
// AWS managed policies expose only their default version.

import type * as IAM from '@aws-sdk/client-iam';
import type { Handler, RequestContext } from '../types.js';
import { deleteConflict, limitExceeded, policyNotFound, policyVersionNotFound } from './errors.js';
import { checkArn, findManagedPolicy, type ManagedPolicy } from './managed-policies.js';
import { pageInOrder } from './paging.js';
import { checkManagedPolicySize, encodeDocument, validateIdentityPolicy } from './policy-document.js';
import { nowSeconds, policies, type PolicyRecord } from './state.js';
import type { NoOutput } from './views.js';

const MAX_VERSIONS = 5;

function customerPolicy(ctx: RequestContext, arn: string): PolicyRecord {
  checkArn(arn);
  const record = policies(ctx).get(arn);
  if (!record) throw policyNotFound(arn);
  return record;
}

/** A version of a policy of either origin, or IAM's "does not exist or is not attachable". */
function findVersion(ctx: RequestContext, arn: string, versionId: string): { policy: ManagedPolicy; version: ManagedPolicy['versions'][number] } {
  checkArn(arn);
  const policy = findManagedPolicy(ctx, arn);
  const version = policy?.versions.find((v) => v.VersionId === versionId);
  if (!policy || !version) throw policyVersionNotFound(arn, versionId);
  return { policy, version };
}

const versionNumber = (id: string) => Number(id.slice(1).split('.')[0]);

export const createPolicyVersion: Handler<IAM.CreatePolicyVersionRequest, IAM.CreatePolicyVersionResponse> = (input, ctx) => {
  const document = input.PolicyDocument!;
  validateIdentityPolicy(document);
  checkManagedPolicySize(document);
  const record = customerPolicy(ctx, input.PolicyArn!);
  if (Object.keys(record.Versions).length >= MAX_VERSIONS) {
    throw limitExceeded(`A managed policy can have up to ${MAX_VERSIONS} versions. Before you create a new version, you must delete an existing version.`);
  }
  const versionId = `v${record.NextVersion}`;
  const now = nowSeconds(ctx);
  record.NextVersion += 1;
  record.Versions[versionId] = { Document: document, CreateDate: now };
  if (input.SetAsDefault) {
    record.DefaultVersionId = versionId;
    record.UpdateDate = now;
  }
  policies(ctx).put(record.Arn, record);
  return { PolicyVersion: { VersionId: versionId, IsDefaultVersion: record.DefaultVersionId === versionId, CreateDate: new Date(now) } };
};

export const getPolicyVersion: Handler<IAM.GetPolicyVersionRequest, IAM.GetPolicyVersionResponse> = (input, ctx) => {
  const { policy, version } = findVersion(ctx, input.PolicyArn!, input.VersionId!);
  return {
    PolicyVersion: {
      Document: encodeDocument(version.Document),
      VersionId: version.VersionId,
      IsDefaultVersion: version.VersionId === policy.DefaultVersionId,
      CreateDate: new Date(version.CreateDate),
    },
  };
};

export const listPolicyVersions: Handler<IAM.ListPolicyVersionsRequest, IAM.ListPolicyVersionsResponse> = (input, ctx) => {
  const arn = input.PolicyArn!;
  checkArn(arn);
  const policy = findManagedPolicy(ctx, arn);
  if (!policy) throw policyNotFound(arn);
  // Newest first, as IAM lists them.
  const versions = [...policy.versions].sort((a, b) => versionNumber(b.VersionId) - versionNumber(a.VersionId));
  const page = pageInOrder(versions, input);
  return {
    Versions: page.items.map((v) => ({ VersionId: v.VersionId, IsDefaultVersion: v.VersionId === policy.DefaultVersionId, CreateDate: new Date(v.CreateDate) })),
    IsTruncated: page.IsTruncated,
    Marker: page.Marker,
  };
};

export const deletePolicyVersion: Handler<IAM.DeletePolicyVersionRequest, NoOutput> = (input, ctx) => {
  const arn = input.PolicyArn!;
  const versionId = input.VersionId!;
  checkArn(arn);
  const record = policies(ctx).get(arn);
  if (!record || !record.Versions[versionId]) throw policyVersionNotFound(arn, versionId);
  if (record.DefaultVersionId === versionId) throw deleteConflict('Cannot delete the default version of a policy.');
  delete record.Versions[versionId];
  policies(ctx).put(arn, record);
  return {};
};

export const setDefaultPolicyVersion: Handler<IAM.SetDefaultPolicyVersionRequest, NoOutput> = (input, ctx) => {
  const arn = input.PolicyArn!;
  const versionId = input.VersionId!;
  checkArn(arn);
  const record = policies(ctx).get(arn);
  if (!record || !record.Versions[versionId]) throw policyVersionNotFound(arn, versionId);
  record.DefaultVersionId = versionId;
  record.UpdateDate = nowSeconds(ctx);
  policies(ctx).put(arn, record);
  return {};
};
