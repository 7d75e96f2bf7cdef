// Managed policies seen one way whether the customer made them or AWS did, how many entities use
// each (counted from the entities, so the numbers never drift), and their output shape.

import type * as IAM from '@aws-sdk/client-iam';
import type { Tag } from '../common/tags.js';
import type { RequestContext } from '../types.js';
import { awsManagedDocument, awsManagedPolicies, awsManagedPolicy, type AwsManagedPolicy } from './aws-managed.js';
import { invalidArn } from './errors.js';
import { groups, policies, roles, users, type PolicyRecord } from './state.js';

export interface ManagedPolicy {
  origin: 'AWS' | 'Local';
  PolicyName: string;
  PolicyId: string;
  Arn: string;
  Path: string;
  DefaultVersionId: string;
  CreateDate: number;
  UpdateDate: number;
  Description?: string;
  Tags: Tag[];
  versions: Array<{ VersionId: string; Document: string; CreateDate: number }>;
  /** The stored record, for customer managed policies. */
  record?: PolicyRecord;
}

export function fromRecord(record: PolicyRecord): ManagedPolicy {
  return {
    origin: 'Local',
    PolicyName: record.PolicyName,
    PolicyId: record.PolicyId,
    Arn: record.Arn,
    Path: record.Path,
    DefaultVersionId: record.DefaultVersionId,
    CreateDate: record.CreateDate,
    UpdateDate: record.UpdateDate,
    Description: record.Description,
    Tags: record.Tags,
    versions: Object.entries(record.Versions).map(([VersionId, v]) => ({ VersionId, Document: v.Document, CreateDate: v.CreateDate })),
    record,
  };
}

export function fromAws(policy: AwsManagedPolicy): ManagedPolicy {
  return {
    origin: 'AWS',
    PolicyName: policy.PolicyName,
    PolicyId: policy.PolicyId,
    Arn: policy.Arn,
    Path: policy.Path,
    DefaultVersionId: policy.DefaultVersionId,
    CreateDate: Date.parse(policy.CreateDate),
    UpdateDate: Date.parse(policy.UpdateDate),
    Description: policy.Description,
    Tags: [],
    versions: [{ VersionId: policy.DefaultVersionId, Document: awsManagedDocument(policy), CreateDate: Date.parse(policy.VersionCreateDate) }],
  };
}

const ARN = /^arn:[^:]+:[^:]*:[^:]*:[^:]*:.+$/;

/** Refuses text that is not an ARN at all, as IAM does before looking anything up. */
export function checkArn(arn: string): void {
  if (!ARN.test(arn)) throw invalidArn(arn);
}

export function findManagedPolicy(ctx: RequestContext, arn: string): ManagedPolicy | undefined {
  const aws = awsManagedPolicy(arn);
  if (aws) return fromAws(aws);
  const record = policies(ctx).get(arn);
  return record ? fromRecord(record) : undefined;
}

export function allManagedPolicies(ctx: RequestContext): { local: ManagedPolicy[]; aws: ManagedPolicy[] } {
  return { local: policies(ctx).values().map(fromRecord), aws: awsManagedPolicies().map(fromAws) };
}

export interface Usage {
  attachments: number;
  boundaries: number;
}

/** How many roles, users and groups have each policy attached or set as their boundary. */
export function policyUsage(ctx: RequestContext): Map<string, Usage> {
  const usage = new Map<string, Usage>();
  const entry = (arn: string) => {
    let u = usage.get(arn);
    if (!u) usage.set(arn, (u = { attachments: 0, boundaries: 0 }));
    return u;
  };
  for (const holder of [...roles(ctx).values(), ...users(ctx).values()]) {
    for (const arn of holder.AttachedPolicies) entry(arn).attachments++;
    if (holder.PermissionsBoundaryArn) entry(holder.PermissionsBoundaryArn).boundaries++;
  }
  for (const group of groups(ctx).values()) for (const arn of group.AttachedPolicies) entry(arn).attachments++;
  return usage;
}

/** The Policy shape; Description and Tags only where the calling operation returns them. */
export function policyOutput(policy: ManagedPolicy, usage: Usage | undefined, extras: { description?: boolean; tags?: 'always' | 'when-set' } = {}): IAM.Policy {
  return {
    PolicyName: policy.PolicyName,
    PolicyId: policy.PolicyId,
    Arn: policy.Arn,
    Path: policy.Path,
    DefaultVersionId: policy.DefaultVersionId,
    AttachmentCount: usage?.attachments ?? 0,
    PermissionsBoundaryUsageCount: usage?.boundaries ?? 0,
    IsAttachable: true,
    Description: extras.description ? policy.Description : undefined,
    CreateDate: new Date(policy.CreateDate),
    UpdateDate: new Date(policy.UpdateDate),
    Tags: extras.tags === 'always' || (extras.tags === 'when-set' && policy.Tags.length > 0) ? policy.Tags : undefined,
  };
}
