// A Query's key condition (KeyConditionExpression or legacy KeyConditions) reduced to an
// equality on the partition key and at most one range predicate on the sort key, then turned
// into bounds on store keys so a Query reads only its range.

import { validation } from '../errors.js';
import { ExpressionError } from '../expressions/syntax.js';
import type { Condition, Operand } from '../expressions/resolved.js';
import { encodePart, encodePrefix, partitionPrefix, type KeyShape } from '../keys.js';
import { typeOf, type AttributeValue } from '../values.js';

export type KeyOperator = 'EQ' | 'LT' | 'LE' | 'GT' | 'GE' | 'BETWEEN' | 'BEGINS_WITH' | 'NE' | 'IN' | 'NULL' | 'NOT_NULL' | 'CONTAINS' | 'NOT_CONTAINS';

export interface KeyPredicate {
  operator: KeyOperator;
  values: AttributeValue[];
}

const FLIPPED: Record<string, KeyOperator> = { '=': 'EQ', '<': 'GT', '<=': 'GE', '>': 'LT', '>=': 'LE' };
const DIRECT: Record<string, KeyOperator> = { '=': 'EQ', '<': 'LT', '<=': 'LE', '>': 'GT', '>=': 'GE' };

function fail(message: string): never {
  throw validation(message);
}

function collect(condition: Condition, out: Map<string, KeyPredicate>): void {
  switch (condition.kind) {
    case 'and':
      collect(condition.args[0], out);
      collect(condition.args[1], out);
      return;
    case 'or':
    case 'not':
    case 'in':
      fail(`Invalid operator used in KeyConditionExpression: ${condition.kind.toUpperCase()}`);
    // eslint-disable-next-line no-fallthrough
    case 'function':
      if (condition.name !== 'begins_with') fail(`Invalid operator used in KeyConditionExpression: ${condition.name}`);
      break;
    case 'compare':
      if (condition.op === '<>') fail('Invalid operator used in KeyConditionExpression: <>');
      break;
  }
  const args: Operand[] = condition.args as Operand[];
  if (args.some((a) => a.kind === 'size')) fail('KeyConditionExpressions cannot contain nested operations');
  if ((condition.kind === 'between' || condition.kind === 'function') && args[0]!.kind !== 'path') {
    fail(`Invalid condition in KeyConditionExpression: ${condition.kind === 'between' ? 'BETWEEN' : 'begins_with'} operator must have the key attribute as its first operand`);
  }
  const paths = args.map((a, i) => [a, i] as const).filter(([a]) => a.kind === 'path');
  if (paths.length > 1) fail('Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition');
  if (paths.length === 0) fail('Invalid condition in KeyConditionExpression: No key attribute specified');
  const [pathOperand, at] = paths[0]!;
  const path = (pathOperand as { path: (string | number)[] }).path;
  if (path.length > 1) fail('KeyConditionExpressions cannot have conditions on nested attributes');
  const name = path[0] as string;
  if (out.has(name)) fail('KeyConditionExpressions must only contain one condition per key');
  const values = args.filter((_, i) => i !== at).map((a) => (a as { value: AttributeValue }).value);
  let operator: KeyOperator;
  if (condition.kind === 'between') operator = 'BETWEEN';
  else if (condition.kind === 'function') operator = 'BEGINS_WITH';
  else operator = (at === 0 ? DIRECT : FLIPPED)[(condition as { op: string }).op]!;
  out.set(name, { operator, values });
}

export function keyConditionsFromExpression(condition: Condition): Map<string, KeyPredicate> {
  const out = new Map<string, KeyPredicate>();
  try {
    collect(condition, out);
  } catch (error) {
    if (error instanceof ExpressionError) throw validation(`Invalid KeyConditionExpression: ${error.message}`);
    throw error;
  }
  return out;
}

export interface KeyRange {
  from: string;
  to: string;
  /** Keys starting with this are excluded (a strict < bound). */
  exclude?: string;
}

const TOP = '\u{10FFFF}';

/** Checks the key conditions against the schema being queried and returns the store-key range. */
export function keyRange(shape: KeyShape, conditions: Map<string, KeyPredicate>): KeyRange {
  const count = conditions.size;
  if (count !== 1 && count !== 2) fail('Conditions can be of length 1 or 2 only');
  if (!shape.range && count > 1) fail('Query key condition not supported');
  for (const [part, isHash] of [[shape.hash, true], [shape.range, false]] as const) {
    if (!part) continue;
    const predicate = conditions.get(part.name);
    if (!predicate) {
      if (isHash || count > 1) fail(`Query condition missed key schema element: ${part.name}`);
      continue;
    }
    if (['NULL', 'NOT_NULL', 'NE', 'CONTAINS', 'NOT_CONTAINS', 'IN'].includes(predicate.operator)) fail('Attempted conditional constraint is not an indexable operation');
    if (predicate.values.some((v) => typeOf(v) !== part.type)) fail('One or more parameter values were invalid: Condition parameter type does not match schema type');
    if (isHash && predicate.operator !== 'EQ') fail('Query key condition not supported');
  }
  const prefix = partitionPrefix(shape, conditions.get(shape.hash.name)!.values[0]!);
  const range = shape.range ? conditions.get(shape.range.name) : undefined;
  if (!range || !shape.range) return { from: prefix, to: prefix + TOP };
  const type = shape.range.type;
  const [a, b] = range.values;
  const at = (v: AttributeValue) => prefix + encodePart(type, v);
  switch (range.operator) {
    case 'EQ':
      return { from: at(a!), to: at(a!) + TOP };
    case 'LT':
      return { from: prefix, to: at(a!), exclude: at(a!) };
    case 'LE':
      return { from: prefix, to: at(a!) + TOP };
    case 'GT':
      return { from: at(a!) + TOP, to: prefix + TOP };
    case 'GE':
      return { from: at(a!), to: prefix + TOP };
    case 'BETWEEN':
      return { from: at(a!), to: at(b!) + TOP };
    default: {
      const start = prefix + encodePrefix(type, a!);
      return { from: start, to: start + TOP };
    }
  }
}
