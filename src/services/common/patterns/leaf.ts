// The match expressions inside a field's array — exact values, prefix, suffix, anything-but,
// numeric, exists, cidr, equals-ignore-case, wildcard — each validated with the reasons AWS's
// rule compiler gives and compiled into a test on one leaf value of an event.

import { inRange, parseCidr } from './ip.js';
import { compileWildcard } from './wildcard.js';

export type Leaf = string | number | boolean | null;
export type LeafTest = (value: Leaf) => boolean;

/** A field's compiled match list: leaf tests, plus exists conditions that look at presence. */
export interface FieldRule {
  tests: LeafTest[];
  /** Values of exact string and number matches, for a quick set lookup. */
  strings: Set<string>;
  numbers: Set<number>;
  literals: Set<boolean | null>;
  exists?: boolean;
  /** SNS: `exists: true` needs a value that is neither null nor empty. */
  existsNeedsValue?: boolean;
}

export class PatternError extends Error {}

export interface LeafOptions {
  /** SNS filter policies accept fewer operators than EventBridge (no wildcard; anything-but takes only prefix) and read `exists: true` as "has a value". */
  dialect: 'eventbridge' | 'sns';
}

const MAX_NUMBER = 5e9;
const NUMERIC_OPERATORS = new Set(['<', '<=', '=', '>', '>=']);

function fail(reason: string): never {
  throw new PatternError(reason);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkNumber(value: number): number {
  if (value < -MAX_NUMBER || value > MAX_NUMBER) fail('Value must be between -5.0E9 and 5.0E9, inclusive');
  return value;
}

function onlyKey(expression: Record<string, unknown>): void {
  if (Object.keys(expression).length !== 1) fail('Only one key allowed in match expression');
}

function stringOf(value: unknown, reason: string): string {
  if (typeof value !== 'string') fail(reason);
  return value;
}

const lower = (s: string): string => s.toLowerCase();

function compileNumeric(terms: unknown): LeafTest {
  if (!Array.isArray(terms)) fail('Value of numeric must be an array.');
  const [op, value, op2, value2, ...rest] = terms as unknown[];
  if (typeof op !== 'string') fail(`Invalid member in numeric match: ${op === undefined ? ']' : JSON.stringify(op)}`);
  if (!NUMERIC_OPERATORS.has(op)) fail(`Unrecognized numeric range operator: ${op}`);
  if (typeof value !== 'number') fail(`Value of ${op === '=' ? 'equals' : op} must be numeric`);
  const a = checkNumber(value);
  if (terms.length === 2) {
    switch (op) {
      case '=': return (v) => typeof v === 'number' && v === a;
      case '<': return (v) => typeof v === 'number' && v < a;
      case '<=': return (v) => typeof v === 'number' && v <= a;
      case '>': return (v) => typeof v === 'number' && v > a;
      default: return (v) => typeof v === 'number' && v >= a;
    }
  }
  if (op !== '>' && op !== '>=') fail('Too many elements in numeric expression');
  if (typeof op2 !== 'string') fail(`Bad value in numeric range: ${JSON.stringify(op2)}`);
  if (op2 !== '<' && op2 !== '<=') fail(`Bad numeric range operator: ${op2}`);
  if (typeof value2 !== 'number') fail(`Value of ${op2} must be numeric`);
  if (rest.length) fail('Too many terms in numeric range expression');
  const b = checkNumber(value2);
  if (b <= a) fail('Bottom must be less than top');
  const above: LeafTest = op === '>' ? (v) => (v as number) > a : (v) => (v as number) >= a;
  const below: LeafTest = op2 === '<' ? (v) => (v as number) < b : (v) => (v as number) <= b;
  return (v) => typeof v === 'number' && above(v) && below(v);
}

/** prefix / suffix: a string, or { "equals-ignore-case": string }. */
function compileAffix(kind: 'prefix' | 'suffix', value: unknown): LeafTest {
  const has = kind === 'prefix' ? (s: string, p: string) => s.startsWith(p) : (s: string, p: string) => s.endsWith(p);
  if (isObject(value)) {
    const [op] = Object.keys(value);
    if (op === undefined) fail(`${kind === 'prefix' ? 'Prefix' : 'Suffix'} expression name not found`);
    if (op !== 'equals-ignore-case') fail(`Unsupported ${kind} pattern: ${op}`);
    const text = lower(stringOf(value[op], 'equals-ignore-case match pattern must be a string'));
    onlyKey(value);
    return (v) => typeof v === 'string' && has(lower(v), text);
  }
  const text = stringOf(value, `${kind} match pattern must be a string`);
  return (v) => typeof v === 'string' && has(v, text);
}

function compileAnythingBut(value: unknown, options: LeafOptions): LeafTest {
  if (isObject(value)) {
    const [op] = Object.keys(value);
    if (op === undefined) fail('Anything-But expression name not found');
    const allowed = options.dialect === 'sns' ? ['prefix'] : ['equals-ignore-case', 'prefix', 'suffix', 'wildcard'];
    if (!allowed.includes(op)) fail(`Unsupported anything-but pattern: ${op}`);
    const inner = value[op];
    if (!Array.isArray(inner) && typeof inner !== 'string' && typeof inner !== 'number') {
      fail('Value of anything-but must be an array or single string/number value.');
    }
    const wrongType =
      op === 'equals-ignore-case' ? 'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.'
      : op === 'wildcard' ? 'wildcard match pattern must be a string'
      : 'prefix/suffix match pattern must be a string';
    const texts = (Array.isArray(inner) ? inner : [inner]).map((t) => stringOf(t, wrongType));
    if ((op === 'prefix' || op === 'suffix') && texts.includes('')) fail('Null prefix/suffix not allowed');
    onlyKey(value);
    let hit: (s: string) => boolean;
    if (op === 'prefix') hit = (s) => texts.some((t) => s.startsWith(t));
    else if (op === 'suffix') hit = (s) => texts.some((t) => s.endsWith(t));
    else if (op === 'wildcard') {
      const regexes = texts.map((t) => wildcard(t));
      hit = (s) => regexes.some((r) => r.test(s));
    } else {
      const set = new Set(texts.map(lower));
      hit = (s) => set.has(lower(s));
    }
    // A value of another type is not excluded: it cannot start with, end with or equal a string.
    return (v) => typeof v !== 'string' || !hit(v);
  }
  if (Array.isArray(value)) {
    let strings = 0;
    let numbers = 0;
    for (const item of value) {
      if (typeof item === 'string') strings++;
      else if (typeof item === 'number') numbers++;
      else fail('Inside anything but list, start|null|boolean is not supported.');
    }
    if ((strings > 0) === (numbers > 0)) fail('Inside anything but list, either all values are number or string, mixed type is not supported');
    const excluded = new Set<Leaf>(value.map((item) => (typeof item === 'number' ? checkNumber(item) : item) as Leaf));
    return (v) => !excluded.has(v);
  }
  if (typeof value === 'string' || typeof value === 'number') return (v) => v !== value;
  if (value === null || typeof value === 'boolean') fail('Inside anything-but list, start|null|boolean is not supported.');
  return fail('Value of anything-but must be an array or single string/number value.');
}

function wildcard(text: string): RegExp {
  try {
    return compileWildcard(text);
  } catch (error) {
    return fail((error as Error).message);
  }
}

/** Adds one match expression (an object inside a field's array) to the field's rule. */
function addExpression(rule: FieldRule, expression: Record<string, unknown>, options: LeafOptions): void {
  const [op] = Object.keys(expression);
  if (op === undefined) fail('Match expression name not found');
  const value = expression[op];
  switch (op) {
    case 'exactly':
      rule.strings.add(stringOf(value, 'exact match pattern must be a string'));
      break;
    case 'prefix':
    case 'suffix':
      rule.tests.push(compileAffix(op, value));
      break;
    case 'numeric':
      rule.tests.push(compileNumeric(value));
      onlyKey(expression);
      return;
    case 'anything-but':
      rule.tests.push(compileAnythingBut(value, options));
      onlyKey(expression);
      return;
    case 'exists':
      if (typeof value !== 'boolean') fail('exists match pattern must be either true or false.');
      rule.exists = value;
      rule.existsNeedsValue = options.dialect === 'sns';
      break;
    case 'cidr': {
      const text = stringOf(value, 'prefix match pattern must be a string');
      let range;
      try {
        range = parseCidr(text);
      } catch (error) {
        fail((error as Error).message);
      }
      rule.tests.push((v) => typeof v === 'string' && inRange(range, v));
      break;
    }
    case 'equals-ignore-case': {
      const text = lower(stringOf(value, 'equals-ignore-case match pattern must be a string'));
      rule.tests.push((v) => typeof v === 'string' && lower(v) === text);
      break;
    }
    case 'wildcard':
      if (options.dialect === 'sns') fail(`Unrecognized match type ${op}`);
      {
        const regex = wildcard(stringOf(value, 'wildcard match pattern must be a string'));
        rule.tests.push((v) => typeof v === 'string' && regex.test(v));
      }
      break;
    default:
      fail(`Unrecognized match type ${op}`);
  }
  onlyKey(expression);
}

/** Compiles a field's array of match values and expressions. */
export function compileFieldRule(values: unknown[], options: LeafOptions): FieldRule {
  if (values.length === 0) fail('Empty arrays are not allowed');
  const rule: FieldRule = { tests: [], strings: new Set(), numbers: new Set(), literals: new Set() };
  for (const value of values) {
    if (typeof value === 'string') rule.strings.add(value);
    else if (typeof value === 'number') rule.numbers.add(value);
    else if (value === null || typeof value === 'boolean') rule.literals.add(value);
    else if (isObject(value)) addExpression(rule, value, options);
    else fail('Match value must be String, number, true, false, or null');
  }
  return rule;
}

/** Whether some leaf value of the field satisfies the rule (values empty: the field is absent). */
export function fieldMatches(rule: FieldRule, values: Leaf[]): boolean {
  if (values.length === 0) return rule.exists === false;
  if (rule.exists === true && (!rule.existsNeedsValue || values.some((v) => v !== null && v !== ''))) return true;
  for (const v of values) {
    if (typeof v === 'string') {
      if (rule.strings.has(v)) return true;
    } else if (typeof v === 'number') {
      if (rule.numbers.has(v)) return true;
    } else if (rule.literals.has(v)) return true;
    for (const test of rule.tests) if (test(v)) return true;
  }
  return false;
}
