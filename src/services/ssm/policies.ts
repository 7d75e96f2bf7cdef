// Parameter policies (advanced parameters only): a JSON list of Expiration,
// ExpirationNotification and NoChangeNotification policies. Fogbank records and reports them; it
// does not yet act on them.

import type * as SSM from '@aws-sdk/client-ssm';
import { ServiceError } from '../../errors.js';
import type { StoredPolicy } from './state.js';

const POLICY_TYPES = ['Expiration', 'ExpirationNotification', 'NoChangeNotification'];
const MAX_POLICIES = 10;

function invalidAttribute(): ServiceError {
  return new ServiceError('InvalidPolicyAttributeException', 'A policy attribute or its value is invalid.');
}

export function parsePolicies(text: string): StoredPolicy[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalidAttribute();
  }
  const list = Array.isArray(parsed) ? parsed : [parsed];
  if (list.length > MAX_POLICIES) {
    throw new ServiceError('PoliciesLimitExceededException', `You specified more than the maximum number of allowed policies for the parameter. The maximum is ${MAX_POLICIES}.`);
  }
  const seen = new Set<string>();
  return list.map((policy) => {
    if (typeof policy !== 'object' || policy === null || Array.isArray(policy)) throw invalidAttribute();
    const { Type, Attributes } = policy as { Type?: unknown; Attributes?: unknown };
    if (typeof Type !== 'string' || !POLICY_TYPES.includes(Type)) {
      throw new ServiceError(
        'InvalidPolicyTypeException',
        'The policy type is not supported. Parameter Store supports the following policy types: Expiration, ExpirationNotification, and NoChangeNotification.',
      );
    }
    if (typeof Attributes !== 'object' || Attributes === null) throw invalidAttribute();
    checkAttributes(Type, Attributes as Record<string, unknown>);
    if (seen.has(Type)) {
      throw new ServiceError(
        'IncompatiblePolicyException',
        'There is a conflict in the policies specified for this parameter. You can\'t, for example, specify two Expiration policies for a parameter. Review your policies, and try again.',
      );
    }
    seen.add(Type);
    return { PolicyText: JSON.stringify(policy), PolicyType: Type };
  });
}

function checkAttributes(type: string, attributes: Record<string, unknown>): void {
  if (type === 'Expiration') {
    if (typeof attributes['Timestamp'] !== 'string' || Number.isNaN(Date.parse(attributes['Timestamp']))) throw invalidAttribute();
    return;
  }
  const amount = type === 'ExpirationNotification' ? attributes['Before'] : attributes['After'];
  if (!/^\d+$/.test(String(amount ?? '')) || !['Days', 'Hours'].includes(String(attributes['Unit']))) throw invalidAttribute();
}

export function policiesView(policies: StoredPolicy[] | undefined): SSM.ParameterInlinePolicy[] {
  return (policies ?? []).map((p) => ({ PolicyText: p.PolicyText, PolicyType: p.PolicyType, PolicyStatus: 'Pending' }));
}
