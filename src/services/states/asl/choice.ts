// Choice rules: comparison operators (and their *Path forms), type tests, And/Or/Not.

import { runtimeError } from './errors.js';
import { readPath } from './jsonpath.js';

export type ChoiceRule = Record<string, unknown> & { Next?: string; Variable?: string; And?: ChoiceRule[]; Or?: ChoiceRule[]; Not?: ChoiceRule };

type Kind = 'String' | 'Numeric' | 'Boolean' | 'Timestamp';
const COMPARISONS = ['Equals', 'LessThan', 'GreaterThan', 'LessThanEquals', 'GreaterThanEquals'] as const;
const KINDS: Kind[] = ['String', 'Numeric', 'Boolean', 'Timestamp'];

/** Every comparison operator name AWS accepts, e.g. StringEquals, NumericLessThanPath. */
export const COMPARISON_OPERATORS = [
  ...KINDS.flatMap((k) => (k === 'Boolean' ? ['BooleanEquals', 'BooleanEqualsPath'] : COMPARISONS.flatMap((c) => [`${k}${c}`, `${k}${c}Path`]))),
  'StringMatches',
  'IsNull',
  'IsPresent',
  'IsNumeric',
  'IsString',
  'IsBoolean',
  'IsTimestamp',
];

/** Returns the Next of the first matching rule, or undefined. */
export function chooseNext(rules: ChoiceRule[], input: unknown, context: unknown): string | undefined {
  for (const rule of rules) if (matches(rule, input, context)) return rule.Next;
  return undefined;
}

export function matches(rule: ChoiceRule, input: unknown, context: unknown): boolean {
  if (rule.And) return rule.And.every((r) => matches(r, input, context));
  if (rule.Or) return rule.Or.some((r) => matches(r, input, context));
  if (rule.Not) return !matches(rule.Not, input, context);
  const variable = rule.Variable!;
  const operator = COMPARISON_OPERATORS.find((op) => op in rule);
  if (!operator) throw runtimeError(`The choice rule for '${variable}' has no comparison operator`);
  const value = readPath(variable, input, context);
  if (operator === 'IsPresent') return (value !== undefined) === rule.IsPresent;
  if (value === undefined) throw runtimeError(`Invalid path '${variable}': The choice state's condition path references an invalid value.`);
  switch (operator) {
    case 'IsNull':
      return (value === null) === rule.IsNull;
    case 'IsNumeric':
      return (typeof value === 'number') === rule.IsNumeric;
    case 'IsString':
      return (typeof value === 'string') === rule.IsString;
    case 'IsBoolean':
      return (typeof value === 'boolean') === rule.IsBoolean;
    case 'IsTimestamp':
      return isTimestamp(value) === rule.IsTimestamp;
    case 'StringMatches':
      return typeof value === 'string' && wildcard(String(rule.StringMatches)).test(value);
  }
  let expected = rule[operator];
  let name = operator;
  if (operator.endsWith('Path')) {
    name = operator.slice(0, -4);
    expected = readPath(String(expected), input, context);
    if (expected === undefined) throw runtimeError(`Invalid path '${String(rule[operator])}': The choice state's condition path references an invalid value.`);
  }
  const kind = KINDS.find((k) => name.startsWith(k))!;
  const comparison = name.slice(kind.length) as (typeof COMPARISONS)[number];
  const order = compare(kind, value, expected);
  if (order === undefined) return false;
  switch (comparison) {
    case 'Equals':
      return order === 0;
    case 'LessThan':
      return order < 0;
    case 'GreaterThan':
      return order > 0;
    case 'LessThanEquals':
      return order <= 0;
    case 'GreaterThanEquals':
      return order >= 0;
  }
}

/** -1/0/1, or undefined when either side is not of the operator's type (the rule is then false). */
function compare(kind: Kind, a: unknown, b: unknown): number | undefined {
  switch (kind) {
    case 'String':
      if (typeof a !== 'string' || typeof b !== 'string') return undefined;
      return a < b ? -1 : a > b ? 1 : 0;
    case 'Numeric':
      if (typeof a !== 'number' || typeof b !== 'number') return undefined;
      return Math.sign(a - b);
    case 'Boolean':
      if (typeof a !== 'boolean' || typeof b !== 'boolean') return undefined;
      return a === b ? 0 : 1;
    case 'Timestamp': {
      if (!isTimestamp(a) || !isTimestamp(b)) return undefined;
      return Math.sign(Date.parse(a as string) - Date.parse(b as string));
    }
  }
}

/** RFC 3339 with an uppercase T and a zone, as AWS requires. */
export function isTimestamp(v: unknown): boolean {
  return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(v) && !Number.isNaN(Date.parse(v));
}

/** StringMatches: `*` matches any run of characters; `\*` and `\\` are literal. */
function wildcard(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) source += escape(pattern[++i]!);
    else if (c === '*') source += '.*';
    else source += escape(c);
  }
  return new RegExp(`^${source}$`, 's');
}

function escape(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
