// What IAM checks in a statement's Resource and Action values: ARN form, partition, region-free
// IAM and S3 resources, IAM resource paths, and "vendor:action" actions.

import { listOf, type Statement } from './policy-grammar.js';

const PARTITIONS = new Set(['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f', 'aws-eusc']);
const IAM_RESOURCE_STARTS = [
  'user/', 'federated-user/', 'role/', 'group/', 'instance-profile/', 'mfa/', 'server-certificate/', 'policy/',
  'sms-mfa/', 'saml-provider/', 'oidc-provider/', 'report/', 'access-report/',
];

/** Splits at the first ':' like Python's str.partition: [before, whether found, after]. */
function splitOnce(text: string): [string, boolean, string] {
  const at = text.indexOf(':');
  return at < 0 ? [text, false, ''] : [text.slice(0, at), true, text.slice(at + 1)];
}

/** IAM's complaint about one resource's form, or undefined when it is acceptable. */
function resourceProblem(resource: string): string | undefined {
  if (resource === '*') return undefined;
  const [, hasColon, rest] = splitOnce(resource);
  if (!hasColon) return `Resource ${resource} must be in ARN format or "*".`;
  const [partition, hasService, afterPartition] = splitOnce(rest);
  if (!PARTITIONS.has(partition)) {
    // IAM restates the resource as a six-part ARN, filling missing parts with '*'.
    const parts = afterPartition.split(':');
    const first = parts[0] !== '' || parts.length > 1 ? parts[0] : '*';
    const second = parts.length > 1 ? parts[1] : '*';
    const third = parts.length > 2 ? parts[2] : '*';
    const fourth = parts.length > 3 ? parts.slice(3).join(':') : '*';
    return `Partition "${partition}" is not valid for resource "arn:${partition}:${first}:${second}:${third}:${fourth}".`;
  }
  if (!hasService) return 'Resource vendor must be fully qualified and cannot contain regexes.';
  const [service, , afterService] = splitOnce(afterPartition);
  const [region, , afterRegion] = splitOnce(afterService);
  const [, , path] = splitOnce(afterRegion);
  if (service === 'iam' && region !== '') return `IAM resource ${resource} cannot contain region information.`;
  if (service === 's3' && region !== '' && !path.startsWith('accesspoint/')) return `Resource ${resource} can not contain region information.`;
  if (service === 'iam' && path !== '*' && path !== 'root' && !IAM_RESOURCE_STARTS.some((start) => path.startsWith(start))) {
    return `IAM resource path must either be "*", root, or start with ${IAM_RESOURCE_STARTS.join(', ')}.`;
  }
  return undefined;
}

/** The older parser rejects short ARNs with empty parts ("arn:aws:s3::bucket") and a missing service. */
function passesLegacyResourceCheck(resource: string): boolean {
  if (resource === '*') return true;
  const parts = resource.split(':');
  if (parts.length - 1 < 5 && resource.includes('::')) return false;
  return (parts[2] ?? '') !== '';
}

/**
 * Checks every statement's resources. Returns the resource problem IAM reports (the last one it
 * meets, reading each list in descending order), and whether the legacy parser accepted them; the
 * legacy parser only looks at statements read before the first problem.
 */
export function checkResources(statements: Statement[]): { problem?: string; legacyOk: boolean } {
  let problem: string | undefined;
  let legacyOk = true;
  for (const statement of statements) {
    for (const key of ['Resource', 'NotResource']) {
      if (!(key in statement)) continue;
      const resources = [...listOf(statement[key])].sort().reverse();
      for (const resource of resources) problem = resourceProblem(resource) ?? problem;
      if (problem === undefined && !resources.every(passesLegacyResourceCheck)) legacyOk = false;
    }
  }
  return { problem, legacyOk };
}

/** IAM's complaint about an action's form ("s3:GetObject", "*"), or undefined. */
export function actionProblem(action: string): string | undefined {
  const parts = action.split(':');
  if (parts.length === 1 && parts[0] !== '*') return 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.';
  if (parts.length > 2) return 'Actions/Condition can contain only one colon.';
  if (parts[0] !== '*' && /[^a-zA-Z0-9\-.]/.test(parts[0]!)) return `Vendor ${parts[0]} is not valid`;
  return undefined;
}
