// Validating policy documents as IAM does, in IAM's order and with its messages, measuring them
// against IAM's size quotas, and encoding them the way IAM returns them (URL-encoded text).

import { limitExceeded, malformedPolicy } from './errors.js';
import { isObject, listOf, passesLegacyStatementChecks, statementsOf, type Statement } from './policy-grammar.js';
import { actionProblem, checkResources } from './policy-resources.js';

const SYNTAX = 'Syntax errors in policy.';

function parse(text: string, invalidJsonMessage: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw malformedPolicy(invalidJsonMessage);
  }
}

const hasAny = (statement: Statement, a: string, b: string) => {
  const value = statement[a] ?? statement[b];
  return value !== undefined && !(Array.isArray(value) && value.length === 0);
};

/** A permissions policy (managed or inline): throws MalformedPolicyDocument as IAM would. */
export function validateIdentityPolicy(text: string): void {
  const document = parse(text, SYNTAX);
  const statements = statementsOf(document);
  if (!statements) throw malformedPolicy(SYNTAX);
  if ((document as Record<string, unknown>)['Version'] !== '2012-10-17') throw malformedPolicy('Policy document must be version 2012-10-17 or greater.');
  if (statements.some((s) => 'Principal' in s || 'NotPrincipal' in s)) throw malformedPolicy('Policy document should not specify a principal.');
  const resources = checkResources(statements);
  if (!statements.every(passesLegacyStatementChecks) || !resources.legacyOk) throw malformedPolicy('The policy failed legacy parsing');
  const sids = statements.map((s) => s['Sid']).filter((sid): sid is string => typeof sid === 'string' && sid !== '');
  if (new Set(sids).size !== sids.length) throw malformedPolicy('Statement IDs (SID) in a single policy must be unique.');
  if (!statements.every((s) => hasAny(s, 'Action', 'NotAction'))) throw malformedPolicy('Policy statement must contain actions.');
  if (!statements.every((s) => hasAny(s, 'Resource', 'NotResource'))) throw malformedPolicy('Policy statement must contain resources.');
  if (resources.problem) throw malformedPolicy(resources.problem);
  for (const statement of statements) {
    for (const action of [...listOf(statement['Action']), ...listOf(statement['NotAction'])]) {
      const problem = actionProblem(action);
      if (problem) throw malformedPolicy(problem);
    }
  }
}

const TRUST_ACTIONS = ['sts:AssumeRole', 'sts:AssumeRoleWithSAML', 'sts:AssumeRoleWithWebIdentity', 'sts:TagSession', 'sts:SetSourceIdentity', 'sts:SetContext'];

/** Whether a trust policy action (wildcards allowed) names one of STS's assume-role actions. */
function isTrustAction(action: string): boolean {
  const pattern = new RegExp(`^${action.split('*').map((part) => part.replace(/[.?+^$()[\]{}|\\]/g, '\\$&')).join('.*')}$`, 'i');
  return TRUST_ACTIONS.some((allowed) => pattern.test(allowed));
}

/** A role's trust policy. Version 2008-10-17 is still common here and IAM accepts it. */
export function validateTrustPolicy(text: string): void {
  const document = parse(text, 'This policy contains invalid Json');
  const statements = statementsOf(document);
  if (!statements || !isObject(document)) throw malformedPolicy(SYNTAX);
  if (!statements.every(passesLegacyStatementChecks)) throw malformedPolicy('The policy failed legacy parsing');
  for (const statement of statements) {
    for (const key of ['Resource', 'NotResource']) if (key in statement) throw malformedPolicy(`Has prohibited field ${key}`);
  }
  if (!statements.every((s) => hasAny(s, 'Action', 'NotAction'))) throw malformedPolicy('Policy statement must contain actions.');
  if (!statements.every((s) => 'Principal' in s || 'NotPrincipal' in s)) throw malformedPolicy('Missing required field Principal');
  for (const statement of statements) {
    if (![...listOf(statement['Action']), ...listOf(statement['NotAction'])].every(isTrustAction)) {
      throw malformedPolicy('AssumeRole policy may only specify STS AssumeRole actions.');
    }
  }
}

/** IAM measures policies in characters, not counting whitespace. */
export function policySize(text: string): number {
  return text.replace(/\s/g, '').length;
}

export const MANAGED_POLICY_SIZE = 6144;
export const TRUST_POLICY_SIZE = 2048;

export function checkManagedPolicySize(text: string): void {
  if (policySize(text) > MANAGED_POLICY_SIZE) throw limitExceeded(`Cannot exceed quota for PolicySize: ${MANAGED_POLICY_SIZE}`);
}

export function checkTrustPolicySize(text: string): void {
  if (policySize(text) > TRUST_POLICY_SIZE) throw limitExceeded(`Cannot exceed quota for ACLSizePerRole: ${TRUST_POLICY_SIZE}`);
}

/** IAM returns documents URL-encoded (RFC 3986); SDKs decode them (boto3 and the CLI do it for you). */
export function encodeDocument(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}
