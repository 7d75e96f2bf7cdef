// Subscription attributes: which exist, and the checks AWS runs on each (filter policies go
// through the shared pattern engine, in SNS's dialect and limits).

import { parseArn } from '../common/arn.js';
import { checkSnsPolicyLimits, compilePattern, PatternError, type CompiledPattern } from '../common/patterns/index.js';
import { invalidParameter } from './errors.js';

const SUBSCRIPTION_ATTRIBUTES = new Set(['DeliveryPolicy', 'FilterPolicy', 'FilterPolicyScope', 'RawMessageDelivery', 'RedrivePolicy', 'SubscriptionRoleArn', 'ReplayPolicy']);

export type Wording = 'subscribe' | 'set';

/** SNS words errors in Subscribe's Attributes map with an extra "Attributes Reason:". */
function prefix(wording: Wording): string {
  return wording === 'subscribe' ? 'Attributes Reason: ' : '';
}

const compiled = new Map<string, CompiledPattern>();

/** The compiled filter policy for a scope; compiled once per distinct policy text. */
export function filterPolicy(text: string, scope: string): CompiledPattern {
  const key = `${scope}\n${text}`;
  let pattern = compiled.get(key);
  if (!pattern) {
    pattern = compilePattern(text, { dialect: 'sns', nested: scope === 'MessageBody' });
    if (compiled.size > 10_000) compiled.clear();
    compiled.set(key, pattern);
  }
  return pattern;
}

function checkFilterPolicy(text: string, scope: string, wording: Wording): void {
  if (text === '') return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalidParameter(`${prefix(wording)}FilterPolicy: failed to parse JSON.`);
  }
  try {
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) checkSnsPolicyLimits(parsed as Record<string, unknown>);
    filterPolicy(text, scope);
  } catch (error) {
    if (!(error instanceof PatternError)) throw error;
    // The nesting error is not about the policy's content, and SNS does not name FilterPolicy in it.
    if (error.message.startsWith('Filter policy scope')) throw invalidParameter(`${prefix(wording)}${error.message}`);
    throw invalidParameter(`${prefix(wording)}FilterPolicy: ${error.message}`);
  }
}

/**
 * Checks a subscription's attributes after a change: the changed names must exist, and the
 * values are checked together, since FilterPolicy and FilterPolicyScope constrain each other.
 */
export function checkSubscriptionAttributes(attributes: Record<string, string>, changed: string[], fifoTopic: boolean, wording: Wording): void {
  for (const name of changed) {
    if (!SUBSCRIPTION_ATTRIBUTES.has(name)) throw invalidParameter(wording === 'subscribe' ? `Attributes Reason: Invalid attribute name: ${name}` : 'AttributeName');
  }
  const p = prefix(wording);
  const raw = attributes.RawMessageDelivery;
  if (raw !== undefined && raw !== 'true' && raw !== 'false') throw invalidParameter(`${p}RawMessageDelivery: Invalid value [${raw}]. Must be true or false.`);
  const scope = attributes.FilterPolicyScope;
  if (scope !== undefined && scope !== 'MessageAttributes' && scope !== 'MessageBody') {
    throw invalidParameter(`${p}FilterPolicyScope: Invalid value [${scope}]. Please use either MessageBody or MessageAttributes`);
  }
  if (attributes.FilterPolicy !== undefined && (changed.includes('FilterPolicy') || changed.includes('FilterPolicyScope'))) {
    checkFilterPolicy(attributes.FilterPolicy, scope ?? 'MessageAttributes', wording);
  }
  if (changed.includes('RedrivePolicy') && attributes.RedrivePolicy) {
    let target: unknown;
    try {
      target = (JSON.parse(attributes.RedrivePolicy) as { deadLetterTargetArn?: unknown }).deadLetterTargetArn;
    } catch {
      throw invalidParameter(`${p}RedrivePolicy: failed to parse JSON.`);
    }
    const parts = typeof target === 'string' ? parseArn(target) : undefined;
    if (!parts || parts.service !== 'sqs') throw invalidParameter(`${p}RedrivePolicy: deadLetterTargetArn is an invalid arn`);
    if (fifoTopic && !parts.resource.endsWith('.fifo')) throw invalidParameter(`${p}RedrivePolicy: must use a FIFO queue as DLQ for a FIFO topic`);
  }
  for (const name of ['DeliveryPolicy', 'ReplayPolicy']) {
    if (changed.includes(name) && attributes[name]) {
      try {
        JSON.parse(attributes[name]!);
      } catch {
        throw invalidParameter(`${p}${name}: failed to parse JSON.`);
      }
    }
  }
}
