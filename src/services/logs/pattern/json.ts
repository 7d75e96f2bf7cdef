// JSON filter patterns: { SELECTOR OP VALUE }, { SELECTOR IS NULL | IS TRUE | IS FALSE },
// { SELECTOR NOT EXISTS }, joined with && and || and grouped with parentheses. Selectors start at
// $ and step through properties (.name) and array elements ([n]); they must reach a string,
// number or boolean for a comparison to hold. Events that are not JSON never match.

import { evaluate, parseExpression, type Expression } from './expression.js';
import { tokenize, Tokens } from './lexer.js';
import { checkOperator, compareValue, invalidPattern, parseLiteral, type Literal, type Operator } from './values.js';

type Segment = string | number;
type Test = { kind: 'exists' | 'not-exists' | 'null' | 'true' | 'false' } | { kind: 'compare'; op: Operator; literal: Literal };

interface JsonCondition {
  selector: Segment[];
  test: Test;
}

const SEGMENT = /^(?:\.([A-Za-z0-9_\-@$]+)|\[(\d+)\])/;

function parseSelector(text: string): Segment[] {
  if (!text.startsWith('$')) throw invalidPattern();
  const segments: Segment[] = [];
  let rest = text.slice(1);
  while (rest.length > 0) {
    const match = SEGMENT.exec(rest);
    if (!match) throw invalidPattern();
    segments.push(match[1] !== undefined ? match[1] : Number(match[2]));
    rest = rest.slice(match[0].length);
  }
  if (segments.length === 0) throw invalidPattern();
  return segments;
}

function parseCondition(tokens: Tokens): JsonCondition {
  const first = tokens.next();
  if (first.type !== 'word' || first.quoted) throw invalidPattern();
  const selector = parseSelector(first.value);
  if (tokens.keyword('IS')) {
    if (tokens.keyword('NULL')) return { selector, test: { kind: 'null' } };
    if (tokens.keyword('TRUE')) return { selector, test: { kind: 'true' } };
    if (tokens.keyword('FALSE')) return { selector, test: { kind: 'false' } };
    throw invalidPattern();
  }
  if (tokens.keyword('NOT')) {
    if (tokens.keyword('EXISTS')) return { selector, test: { kind: 'not-exists' } };
    throw invalidPattern();
  }
  if (tokens.keyword('EXISTS')) return { selector, test: { kind: 'exists' } };
  const op = tokens.next();
  const value = tokens.next();
  if (op.type !== 'op' || value.type !== 'word') throw invalidPattern();
  const literal = parseLiteral(value.value, value.quoted);
  checkOperator(op.value, literal);
  return { selector, test: { kind: 'compare', op: op.value, literal } };
}

function resolve(root: unknown, selector: Segment[]): { found: boolean; value?: unknown } {
  let value = root;
  for (const segment of selector) {
    if (typeof segment === 'number') {
      if (!Array.isArray(value) || segment >= value.length) return { found: false };
      value = value[segment];
    } else {
      if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, segment)) return { found: false };
      value = (value as Record<string, unknown>)[segment];
    }
  }
  return { found: true, value };
}

function holds(root: unknown, condition: JsonCondition): boolean {
  const { found, value } = resolve(root, condition.selector);
  const test = condition.test;
  switch (test.kind) {
    case 'exists':
      return found;
    case 'not-exists':
      return !found;
    case 'null':
      return found && value === null;
    case 'true':
      return found && value === true;
    case 'false':
      return found && value === false;
    case 'compare':
      if (!found || (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')) return false;
      return compareValue(value, test.op, test.literal, false);
  }
}

/** Compiles the inside of { ... } into a test on an event's message. */
export function compileJsonPattern(body: string): (message: string) => boolean {
  const tokens = new Tokens(tokenize(body));
  if (tokens.done()) throw invalidPattern();
  const expression: Expression<JsonCondition> = parseExpression(tokens, parseCondition);
  if (!tokens.done()) throw invalidPattern();
  return (message) => {
    let root: unknown;
    try {
      root = JSON.parse(message);
    } catch {
      return false;
    }
    if (root === null || typeof root !== 'object') return false;
    return evaluate(expression, (condition) => holds(root, condition));
  };
}
