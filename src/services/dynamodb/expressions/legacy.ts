// The legacy (pre-expression) parameters, converted into resolved expressions so one evaluator
// and one update engine serve both: Expected, QueryFilter, ScanFilter and KeyConditions become
// conditions, AttributeUpdates becomes update actions, AttributesToGet becomes a projection.

import type * as DDB from '@aws-sdk/client-dynamodb';
import { invalidParameter, validation } from '../errors.js';
import { checkValue, compareScalars, typeOf, type AttributeValue } from '../values.js';
import type { Condition, Operand, Path, Update } from './resolved.js';

type LegacyCondition = { ComparisonOperator?: string; AttributeValueList?: unknown[]; Value?: unknown; Exists?: boolean };

const ARGUMENTS: Record<string, (n: number) => boolean> = {
  EQ: (n) => n === 1, NE: (n) => n === 1, LE: (n) => n === 1, LT: (n) => n === 1, GE: (n) => n === 1, GT: (n) => n === 1,
  CONTAINS: (n) => n === 1, NOT_CONTAINS: (n) => n === 1, BEGINS_WITH: (n) => n === 1,
  NULL: (n) => n === 0, NOT_NULL: (n) => n === 0, IN: (n) => n > 0, BETWEEN: (n) => n === 2,
};

const ALLOWED_TYPES: Record<string, string[]> = {
  EQ: ['S', 'N', 'B', 'SS', 'NS', 'BS', 'BOOL', 'NULL', 'L', 'M'], NE: ['S', 'N', 'B', 'SS', 'NS', 'BS', 'BOOL', 'NULL', 'L', 'M'],
  LE: ['S', 'N', 'B'], LT: ['S', 'N', 'B'], GE: ['S', 'N', 'B'], GT: ['S', 'N', 'B'],
  CONTAINS: ['S', 'N', 'B'], NOT_CONTAINS: ['S', 'N', 'B'], BEGINS_WITH: ['S', 'B'], IN: ['S', 'N', 'B'], BETWEEN: ['S', 'N', 'B'],
};

function operatorCondition(attr: string, operator: string, values: AttributeValue[]): Condition {
  const path: Operand = { kind: 'path', path: [attr] };
  const v = (i: number): Operand => ({ kind: 'value', value: values[i]! });
  switch (operator) {
    case 'EQ': return { kind: 'compare', op: '=', args: [path, v(0)] };
    case 'NE': return { kind: 'compare', op: '<>', args: [path, v(0)] };
    case 'LE': return { kind: 'compare', op: '<=', args: [path, v(0)] };
    case 'LT': return { kind: 'compare', op: '<', args: [path, v(0)] };
    case 'GE': return { kind: 'compare', op: '>=', args: [path, v(0)] };
    case 'GT': return { kind: 'compare', op: '>', args: [path, v(0)] };
    case 'NULL': return { kind: 'function', name: 'attribute_not_exists', args: [path] };
    case 'NOT_NULL': return { kind: 'function', name: 'attribute_exists', args: [path] };
    case 'CONTAINS': return { kind: 'function', name: 'contains', args: [path, v(0)] };
    case 'NOT_CONTAINS':
      return { kind: 'and', args: [{ kind: 'function', name: 'attribute_exists', args: [path] }, { kind: 'not', arg: { kind: 'function', name: 'contains', args: [path, v(0)] } }] };
    case 'BEGINS_WITH': return { kind: 'function', name: 'begins_with', args: [path, v(0)] };
    case 'IN': return { kind: 'in', args: [path, ...values.map((_, i) => v(i))] };
    default: return { kind: 'between', args: [path, v(0), v(1)] };
  }
}

function combine(conditions: Condition[], operator: string | undefined): Condition | undefined {
  if (conditions.length === 0) return undefined;
  return conditions.reduce((a, b) => ({ kind: operator === 'OR' ? 'or' : 'and', args: [a, b] }));
}

function checkValues(operator: string, values: AttributeValue[]): void {
  if (!ARGUMENTS[operator]!(values.length)) throw invalidParameter(`Invalid number of argument(s) for the ${operator} ComparisonOperator`);
  if (values.length && values.some((v) => typeOf(v) !== typeOf(values[0]!))) throw invalidParameter('AttributeValues inside AttributeValueList must be of same type');
  for (const value of values) {
    if (!ALLOWED_TYPES[operator]?.includes(typeOf(value))) throw invalidParameter(`ComparisonOperator ${operator} is not valid for ${typeOf(value)} AttributeValue type`);
  }
  if (operator === 'BETWEEN') {
    const type = typeOf(values[0]!) as 'S' | 'N' | 'B';
    if (compareScalars(type, values[0]![type]!, values[1]![type]!) > 0) throw validation('The BETWEEN condition was provided a range where the lower bound is greater than the upper bound');
  }
}

/** Expected (PutItem, UpdateItem, DeleteItem). */
export function expectedCondition(expected: Record<string, LegacyCondition> | undefined, operator: string | undefined): Condition | undefined {
  if (!expected) return undefined;
  const conditions: Condition[] = [];
  for (const [attr, c] of Object.entries(expected)) {
    if (c.AttributeValueList !== undefined && c.Value !== undefined) throw invalidParameter(`Value and AttributeValueList cannot be used together for Attribute: ${attr}`);
    if (c.ComparisonOperator !== undefined) {
      if (c.Exists !== undefined) throw invalidParameter(`Exists and ComparisonOperator cannot be used together for Attribute: ${attr}`);
      const values = (c.AttributeValueList ?? (c.Value !== undefined ? [c.Value] : [])).map(checkValue);
      if (c.ComparisonOperator !== 'NULL' && c.ComparisonOperator !== 'NOT_NULL' && c.AttributeValueList === undefined && c.Value === undefined) {
        throw invalidParameter(`Value or AttributeValueList must be used with ComparisonOperator: ${c.ComparisonOperator} for Attribute: ${attr}`);
      }
      checkValues(c.ComparisonOperator, values);
      conditions.push(operatorCondition(attr, c.ComparisonOperator, values));
    } else if (c.AttributeValueList !== undefined) {
      throw invalidParameter(`AttributeValueList can only be used with a ComparisonOperator for Attribute: ${attr}`);
    } else {
      const exists = c.Exists ?? true;
      if (exists && c.Value === undefined) throw invalidParameter(`Value must be provided when Exists is ${c.Exists === undefined ? 'null' : String(c.Exists)} for Attribute: ${attr}`);
      if (!exists && c.Value !== undefined) throw invalidParameter(`Value cannot be used when Exists is false for Attribute: ${attr}`);
      conditions.push(exists ? operatorCondition(attr, 'EQ', [checkValue(c.Value)]) : operatorCondition(attr, 'NULL', []));
    }
  }
  return combine(conditions, operator);
}

/** QueryFilter, ScanFilter and KeyConditions. */
export function filterCondition(filter: Record<string, DDB.Condition> | undefined, operator: string | undefined): Condition | undefined {
  if (!filter) return undefined;
  const conditions: Condition[] = [];
  for (const [attr, c] of Object.entries(filter)) {
    const values = (c.AttributeValueList ?? []).map(checkValue);
    checkValues(c.ComparisonOperator!, values);
    conditions.push(operatorCondition(attr, c.ComparisonOperator!, values));
  }
  return combine(conditions, operator);
}

/** AttributeUpdates (UpdateItem). */
export function attributeUpdates(updates: Record<string, DDB.AttributeValueUpdate> | undefined): Update[] | undefined {
  if (!updates) return undefined;
  const out: Update[] = [];
  for (const [attr, u] of Object.entries(updates)) {
    const action = u.Action ?? 'PUT';
    const value = u.Value !== undefined ? checkValue(u.Value) : undefined;
    if (!value && action !== 'DELETE') throw invalidParameter('Only DELETE action is allowed when no attribute value is specified');
    const path: Path = [attr];
    if (action === 'PUT') out.push({ kind: 'SET', path, value: { kind: 'value', value: value! } });
    else if (action === 'DELETE') {
      if (!value) out.push({ kind: 'REMOVE', path });
      else {
        const type = typeOf(value);
        if (type !== 'SS' && type !== 'NS' && type !== 'BS') throw invalidParameter(`DELETE action with value is not supported for the type ${type}`);
        out.push({ kind: 'DELETE', path, value });
      }
    } else {
      const type = typeOf(value!);
      if (type === 'L') {
        out.push({ kind: 'SET', path, value: { kind: 'list_append', args: [{ kind: 'if_not_exists', path, fallback: { kind: 'value', value: { L: [] } } }, { kind: 'value', value: value! }] } });
      } else if (type === 'N' || type === 'SS' || type === 'NS' || type === 'BS') {
        out.push({ kind: 'ADD', path, value: value! });
      } else {
        throw invalidParameter(`ADD action is not supported for the type ${type}`);
      }
    }
  }
  return out;
}

/** AttributesToGet, with its duplicate check. */
export function attributesToGet(names: string[] | undefined): Path[] | undefined {
  if (!names) return undefined;
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw invalidParameter(`Duplicate value in attribute name: ${name}`);
    seen.add(name);
  }
  return names.map((n) => [n]);
}
