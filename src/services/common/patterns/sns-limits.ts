// SNS's extra limits on filter policies: at most five top-level keys, and at most 150
// combinations — the product, over every value array, of its length times its nesting depth,
// with the alternatives of "$or" adding up rather than multiplying.

import { PatternError } from './leaf.js';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const MAX_KEYS = 5;
const MAX_COMBINATIONS = 150;

function combinations(policy: Record<string, unknown>, depth: number, start: number): number {
  let total = start;
  for (const [key, value] of Object.entries(policy)) {
    if (key === '$or' && Array.isArray(value)) {
      let sum = 0;
      for (const alternative of value) if (isObject(alternative)) sum += combinations(alternative, depth, total);
      total = sum;
    } else if (Array.isArray(value)) total *= value.length * depth;
    else if (isObject(value)) total = combinations(value, depth + 1, total);
  }
  return total;
}

/** Throws PatternError when a (valid) filter policy exceeds SNS's size limits. */
export function checkSnsPolicyLimits(policy: Record<string, unknown>): void {
  if (Object.keys(policy).length > MAX_KEYS) throw new PatternError(`Filter policy can not have more than ${MAX_KEYS} keys`);
  if (combinations(policy, 1, 1) > MAX_COMBINATIONS) throw new PatternError('Filter policy is too complex');
}
