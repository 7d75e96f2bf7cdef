// Space-delimited filter patterns: [ip, user, ..., status_code = 4*, bytes > 1000]. The event is
// split on spaces, text inside "..." or [...] staying one field (without its quotes or brackets);
// the pattern names each field in order, "..." stands for any number of fields, and a field may
// carry conditions on itself joined by && and ||. Without "..." the field counts must agree.

import { conditionsOf, evaluate, parseExpression, type Expression } from './expression.js';
import { tokenize, Tokens } from './lexer.js';
import { checkOperator, compareValue, invalidPattern, parseLiteral, readQuoted, type Literal, type Operator } from './values.js';

interface FieldCondition {
  /** The field the condition names; undefined when it starts with the operator ("=ERROR"). */
  name?: string;
  op: Operator;
  literal: Literal;
}

type Column = { kind: 'ellipsis' } | { kind: 'field'; name?: string; condition?: Expression<FieldCondition> };

/** Splits at commas that are outside quotes and %regex% values. */
function splitColumns(body: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '"') {
      const { end } = readQuoted(body, i);
      current += body.slice(i, end);
      i = end - 1;
    } else if (c === '%') {
      const close = body.indexOf('%', i + 1);
      if (close < 0) throw invalidPattern();
      current += body.slice(i, close + 1);
      i = close;
    } else if (c === ',') {
      parts.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  parts.push(current);
  return parts.map((p) => p.trim());
}

function parseFieldCondition(tokens: Tokens): FieldCondition {
  let name: string | undefined;
  const first = tokens.peek();
  if (first?.type === 'word' && !first.quoted) {
    name = first.value;
    tokens.next();
  }
  const op = tokens.next();
  const value = tokens.next();
  if (op.type !== 'op' || value.type !== 'word') throw invalidPattern();
  const literal = parseLiteral(value.value, value.quoted);
  checkOperator(op.value, literal);
  return { name, op: op.value, literal };
}

function parseColumn(text: string): Column {
  if (text === '...') return { kind: 'ellipsis' };
  if (text === '') return { kind: 'field' };
  const tokens = new Tokens(tokenize(text));
  const only = tokens.peek();
  if (only?.type === 'word' && !only.quoted && tokenize(text).length === 1) return { kind: 'field', name: only.value };
  const condition = parseExpression(tokens, parseFieldCondition);
  if (!tokens.done()) throw invalidPattern();
  // Every condition in a field must be about that field (AWS rejects "status_code = 4* && bytes > 1000").
  const names = new Set(conditionsOf(condition).map((c) => c.name));
  if (names.size > 1) throw invalidPattern();
  return { kind: 'field', name: [...names][0], condition };
}

/** The fields of an event as a space-delimited pattern sees them. */
export function splitEvent(message: string): string[] {
  const fields: string[] = [];
  let i = 0;
  while (i < message.length) {
    const c = message[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const close = c === '"' ? '"' : c === '[' ? ']' : undefined;
    if (close) {
      const end = message.indexOf(close, i + 1);
      const stop = end < 0 ? message.length : end;
      fields.push(message.slice(i + 1, stop));
      i = stop + 1;
    } else {
      let j = i;
      while (j < message.length && !/\s/.test(message[j]!)) j++;
      fields.push(message.slice(i, j));
      i = j;
    }
  }
  return fields;
}

export interface DelimitedPattern {
  /** The extracted fields ($name, or $n for unnamed ones) when the event matches; undefined otherwise. */
  match(message: string): Record<string, string> | undefined;
}

export function compileDelimitedPattern(body: string): DelimitedPattern {
  const columns = splitColumns(body).map(parseColumn);
  const fieldOk = (column: Column, value: string): boolean =>
    column.kind === 'field' && (!column.condition || evaluate(column.condition, (c) => compareValue(value, c.op, c.literal, true)));

  return {
    match(message) {
      const fields = splitEvent(message);
      const owner: Array<Column | undefined> = new Array(fields.length);
      // Assigns fields to columns left to right; "..." tries every width, backtracking on a failed condition.
      const fit = (column: number, field: number): boolean => {
        if (column === columns.length) return field === fields.length;
        const current = columns[column]!;
        if (current.kind === 'ellipsis') {
          for (let end = field; end <= fields.length; end++) {
            for (let k = field; k < end; k++) owner[k] = undefined;
            if (fit(column + 1, end)) return true;
          }
          return false;
        }
        if (field >= fields.length || !fieldOk(current, fields[field]!)) return false;
        owner[field] = current;
        return fit(column + 1, field + 1);
      };
      if (!fit(0, 0)) return undefined;
      const extracted: Record<string, string> = {};
      fields.forEach((value, i) => {
        const column = owner[i];
        const name = column?.kind === 'field' ? column.name : undefined;
        extracted[name ? `$${name}` : `$${i + 1}`] = value;
      });
      return extracted;
    },
  };
}
