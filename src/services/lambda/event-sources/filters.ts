// FilterCriteria: up to five event patterns (the engine EventBridge and SNS use), a record passing
// when any matches. Patterns see the record as the function would, except that an SQS body that
// parses as JSON is matched as that JSON (a body that does not is matched as its text), as AWS
// does. Compiled patterns are cached by their text.

import { compilePattern, type CompiledPattern } from '../../common/patterns/index.js';
import { invalidParameter } from '../errors.js';

const compiled = new Map<string, CompiledPattern>();

function compiledFor(pattern: string): CompiledPattern {
  let matcher = compiled.get(pattern);
  if (!matcher) {
    matcher = compilePattern(pattern, { dialect: 'eventbridge' });
    if (compiled.size > 1000) compiled.clear();
    compiled.set(pattern, matcher);
  }
  return matcher;
}

/** The patterns a FilterCriteria gives, checked as AWS checks them; undefined when there are none. */
export function checkFilterCriteria(criteria: { Filters?: Array<{ Pattern?: string }> } | undefined): string[] | undefined {
  if (criteria === undefined) return undefined;
  const patterns: string[] = [];
  for (const filter of criteria.Filters ?? []) {
    if (typeof filter.Pattern !== 'string' || filter.Pattern === '') throw invalidParameter('Invalid filter pattern definition.');
    try {
      compiledFor(filter.Pattern);
    } catch {
      throw invalidParameter('Invalid filter pattern definition.');
    }
    patterns.push(filter.Pattern);
  }
  return patterns;
}

/** Whether a record passes the mapping's filters (always, when it has none). */
export function passes(filters: string[] | undefined, record: Record<string, unknown>, kind: 'sqs' | 'dynamodb'): boolean {
  if (!filters?.length) return true;
  let subject = record;
  if (kind === 'sqs' && typeof record.body === 'string') {
    try {
      subject = { ...record, body: JSON.parse(record.body) };
    } catch {
      // Not JSON: the body is matched as its text.
    }
  }
  return filters.some((pattern) => compiledFor(pattern).matches(subject));
}
