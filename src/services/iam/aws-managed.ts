// AWS managed policies: the ones serverless applications commonly attach, visible in every account
// under arn:aws:iam::aws:policy/... Their ids, paths, dates, default versions and documents are AWS's
// own (data/aws-managed-policies.json, taken from the zoph-io/MAMIP record of AWS's published
// policies). Only the default version's document is kept.

import data from './data/aws-managed-policies.json' with { type: 'json' };

export interface AwsManagedPolicy {
  PolicyName: string;
  PolicyId: string;
  Arn: string;
  Path: string;
  DefaultVersionId: string;
  CreateDate: string;
  UpdateDate: string;
  Description: string;
  VersionCreateDate: string;
  Document: unknown;
}

const POLICIES: readonly AwsManagedPolicy[] = data as AwsManagedPolicy[];
const BY_ARN = new Map(POLICIES.map((p) => [p.Arn, p]));
const DOCUMENTS = new Map<string, string>();

export const AWS_POLICY_PREFIX = 'arn:aws:iam::aws:policy/';

export function isAwsManagedArn(arn: string): boolean {
  return arn.startsWith(AWS_POLICY_PREFIX);
}

export function awsManagedPolicy(arn: string): AwsManagedPolicy | undefined {
  return BY_ARN.get(arn);
}

export function awsManagedPolicies(): readonly AwsManagedPolicy[] {
  return POLICIES;
}

/** The default version's document as text (serialized once). */
export function awsManagedDocument(policy: AwsManagedPolicy): string {
  let text = DOCUMENTS.get(policy.Arn);
  if (text === undefined) {
    text = JSON.stringify(policy.Document);
    DOCUMENTS.set(policy.Arn, text);
  }
  return text;
}
