// Values in filter patterns and how they compare: numbers compare as numbers, strings with the
// '*' wildcard, %regex% values as a regular-expression search. Shared by JSON and space-delimited
// patterns.

import type { ServiceError } from '../../../errors.js';
import { invalidParameter } from '../errors.js';

export type Operator = '=' | '!=' | '<' | '>' | '<=' | '>=';

export type Literal =
  | { kind: 'number'; value: number }
  | { kind: 'string'; text: string }
  | { kind: 'regex'; regex: RegExp };

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

export function invalidPattern(): ServiceError {
  return invalidParameter('Invalid filter pattern');
}

/** Reads "..." (with \" and \\ escapes) starting at text[start]; returns the text and the index after it. */
export function readQuoted(text: string, start: number): { value: string; end: number } {
  let value = '';
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length) {
      value += text[++i];
    } else if (c === '"') {
      return { value, end: i + 1 };
    } else {
      value += c;
    }
  }
  throw invalidPattern();
}

/** A %regex% value; AWS's regex dialect is a subset of JavaScript's, searched anywhere in the text. */
export function compileRegex(body: string): RegExp {
  try {
    return new RegExp(body);
  } catch {
    throw invalidPattern();
  }
}

/** A value as written in a pattern: a quoted string stays a string even if it looks like a number. */
export function parseLiteral(token: string, quoted: boolean): Literal {
  if (quoted) return { kind: 'string', text: token };
  if (token.length >= 2 && token.startsWith('%') && token.endsWith('%')) return { kind: 'regex', regex: compileRegex(token.slice(1, -1)) };
  if (NUMBER.test(token)) return { kind: 'number', value: Number(token) };
  return { kind: 'string', text: token };
}

/** Checks at parse time that the operator suits the value (strings and regexes take only = and !=). */
export function checkOperator(op: Operator, literal: Literal): void {
  if (literal.kind !== 'number' && op !== '=' && op !== '!=') throw invalidPattern();
}

/**
 * Whether text matches a wildcard string. JSON patterns honour '*' only at the start or end of the
 * value ("*Event", "Event*"; "Ev*ent" means the literal text); space-delimited patterns anywhere.
 */
export function wildcardMatch(text: string, pattern: string, anywhere: boolean): boolean {
  if (!pattern.includes('*')) return text === pattern;
  if (anywhere) {
    const source = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
    return new RegExp(`^${source}$`, 's').test(text);
  }
  if (pattern === '*') return true;
  const leading = pattern.startsWith('*');
  const trailing = pattern.endsWith('*') && pattern.length > 1;
  const core = pattern.slice(leading ? 1 : 0, trailing ? -1 : undefined);
  if (leading && trailing) return text.includes(core);
  if (leading) return text.endsWith(core);
  if (trailing) return text.startsWith(core);
  return text === pattern;
}

function numeric(actual: string | number | boolean): number | undefined {
  if (typeof actual === 'number') return actual;
  if (typeof actual === 'string' && NUMBER.test(actual.trim())) return Number(actual);
  return undefined;
}

/** Compares a value found in an event with a pattern's literal. */
export function compareValue(actual: string | number | boolean, op: Operator, literal: Literal, wildcardAnywhere: boolean): boolean {
  const text = String(actual);
  switch (literal.kind) {
    case 'regex': {
      const found = literal.regex.test(text);
      return op === '=' ? found : !found;
    }
    case 'string': {
      const found = wildcardMatch(text, literal.text, wildcardAnywhere);
      return op === '=' ? found : !found;
    }
    case 'number': {
      const value = numeric(actual);
      if (value === undefined) return false;
      switch (op) {
        case '=':
          return value === literal.value;
        case '!=':
          return value !== literal.value;
        case '<':
          return value < literal.value;
        case '>':
          return value > literal.value;
        case '<=':
          return value <= literal.value;
        case '>=':
          return value >= literal.value;
      }
    }
  }
}
