// CloudWatch Logs filter patterns (FilterLogEvents, metric and subscription filters,
// TestMetricFilter): which of the three syntaxes a pattern uses, compiled once into a matcher.
// Invalid patterns answer InvalidParameterException with AWS's messages.

import { invalidParameter } from '../errors.js';
import { compileDelimitedPattern } from './delimited.js';
import { compileJsonPattern } from './json.js';
import { compileTermsPattern } from './terms.js';
import { invalidPattern } from './values.js';

export interface FilterPattern {
  matches(message: string): boolean;
  /** What TestMetricFilter reports: the fields a space-delimited pattern extracted ({} for other syntaxes); undefined when no match. */
  extract(message: string): Record<string, string> | undefined;
}

const EVERYTHING: FilterPattern = { matches: () => true, extract: () => ({}) };

function plain(test: (message: string) => boolean): FilterPattern {
  return { matches: test, extract: (message) => (test(message) ? {} : undefined) };
}

export function compileFilterPattern(text: string | undefined): FilterPattern {
  const pattern = (text ?? '').trim();
  if (pattern === '') return EVERYTHING;
  if (pattern.startsWith('{')) {
    if (!pattern.endsWith('}')) throw invalidParameter("If a filter pattern starts with '{' it must end with '}'");
    return plain(compileJsonPattern(pattern.slice(1, -1)));
  }
  if (pattern.startsWith('[')) {
    if (!pattern.endsWith(']')) throw invalidPattern();
    const delimited = compileDelimitedPattern(pattern.slice(1, -1));
    return { matches: (message) => delimited.match(message) !== undefined, extract: (message) => delimited.match(message) };
  }
  return plain(compileTermsPattern(pattern));
}
