// Evaluating a resolved condition against an item (ConditionExpression, FilterExpression, and
// the legacy Expected / QueryFilter / ScanFilter once converted).

import { compareBinary, compareScalars, typeOf, valuesEqual, type AttributeMap, type AttributeValue } from '../values.js';
import { valueAt } from './paths.js';
import type { Condition, Operand } from './resolved.js';

function sizeOf(value: AttributeValue): AttributeValue | undefined {
  let n: number | undefined;
  if (value.S !== undefined) n = value.S.length;
  else if (value.B !== undefined) n = Buffer.byteLength(value.B, 'base64');
  else if (value.SS) n = value.SS.length;
  else if (value.NS) n = value.NS.length;
  else if (value.BS) n = value.BS.length;
  else if (value.L) n = value.L.length;
  else if (value.M) n = Object.keys(value.M).length;
  return n === undefined ? undefined : { N: String(n) };
}

export function operandValue(op: Operand, item: AttributeMap): AttributeValue | undefined {
  switch (op.kind) {
    case 'path':
      return valueAt(item, op.path);
    case 'value':
      return op.value;
    case 'size': {
      const v = operandValue(op.arg, item);
      return v === undefined ? undefined : sizeOf(v);
    }
    default:
      return undefined;
  }
}

/** Orders two values when both are the same scalar type (S, N, B); undefined otherwise. */
export function order(a: AttributeValue | undefined, b: AttributeValue | undefined): number | undefined {
  if (!a || !b) return undefined;
  const type = typeOf(a);
  if ((type !== 'S' && type !== 'N' && type !== 'B') || typeOf(b) !== type) return undefined;
  return compareScalars(type, a[type]!, b[type]!);
}

function beginsWith(value: AttributeValue | undefined, prefix: AttributeValue | undefined): boolean {
  if (!value || !prefix) return false;
  if (value.S !== undefined && prefix.S !== undefined) return value.S.startsWith(prefix.S);
  if (value.B !== undefined && prefix.B !== undefined) {
    const v = Buffer.from(value.B, 'base64');
    const p = Buffer.from(prefix.B, 'base64');
    return v.length >= p.length && v.subarray(0, p.length).equals(p);
  }
  return false;
}

function contains(value: AttributeValue | undefined, operand: AttributeValue | undefined): boolean {
  if (!value || !operand) return false;
  if (value.S !== undefined) return operand.S !== undefined && value.S.includes(operand.S);
  if (value.B !== undefined) return operand.B !== undefined && Buffer.from(value.B, 'base64').includes(Buffer.from(operand.B, 'base64'));
  if (value.SS) return operand.S !== undefined && value.SS.includes(operand.S);
  if (value.NS) return operand.N !== undefined && value.NS.includes(operand.N);
  if (value.BS) return operand.B !== undefined && value.BS.some((b) => compareBinary(b, operand.B!) === 0);
  if (value.L) return value.L.some((v) => valuesEqual(v, operand));
  return false;
}

export function matches(condition: Condition, item: AttributeMap): boolean {
  switch (condition.kind) {
    case 'and':
      return matches(condition.args[0], item) && matches(condition.args[1], item);
    case 'or':
      return matches(condition.args[0], item) || matches(condition.args[1], item);
    case 'not':
      return !matches(condition.arg, item);
    case 'compare': {
      const a = operandValue(condition.args[0], item);
      const b = operandValue(condition.args[1], item);
      switch (condition.op) {
        case '=':
          return a !== undefined && b !== undefined && valuesEqual(a, b);
        case '<>':
          return a === undefined || b === undefined ? a !== b : !valuesEqual(a, b);
        case '<':
          return (order(a, b) ?? 0) < 0;
        case '<=': {
          const o = order(a, b);
          return o !== undefined && o <= 0;
        }
        case '>':
          return (order(a, b) ?? 0) > 0;
        case '>=': {
          const o = order(a, b);
          return o !== undefined && o >= 0;
        }
      }
      return false;
    }
    case 'between': {
      const v = operandValue(condition.args[0], item);
      const low = order(v, operandValue(condition.args[1], item));
      const high = order(v, operandValue(condition.args[2], item));
      return low !== undefined && high !== undefined && low >= 0 && high <= 0;
    }
    case 'in': {
      const v = operandValue(condition.args[0]!, item);
      if (v === undefined) return false;
      for (let i = 1; i < condition.args.length; i++) {
        const candidate = operandValue(condition.args[i]!, item);
        if (candidate && valuesEqual(v, candidate)) return true;
      }
      return false;
    }
    case 'function': {
      const [first, second] = condition.args;
      switch (condition.name) {
        case 'attribute_exists':
          return operandValue(first!, item) !== undefined;
        case 'attribute_not_exists':
          return operandValue(first!, item) === undefined;
        case 'attribute_type': {
          const v = operandValue(first!, item);
          return v !== undefined && typeOf(v) === operandValue(second!, item)?.S;
        }
        case 'begins_with':
          return beginsWith(operandValue(first!, item), operandValue(second!, item));
        case 'contains':
          return contains(operandValue(first!, item), operandValue(second!, item));
      }
    }
  }
  return false;
}
