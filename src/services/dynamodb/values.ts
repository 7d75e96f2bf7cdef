// AttributeValues: checking them as DynamoDB does (with its messages, in its order), keeping
// them in a canonical stored form (numbers canonical, binaries as base64 text), which is also
// their wire form (DynamoDB answers in raw JSON, see index.ts), comparing them, and handing
// them to DynamoDB Streams' codec (binaries as Buffers).

import { validation } from './errors.js';
import { canonicalNumber, compareNumbers, parseNumber } from './numbers.js';

/** An AttributeValue as stored: exactly one member set; B and BS hold base64 text. */
export interface AttributeValue {
  S?: string;
  N?: string;
  B?: string;
  SS?: string[];
  NS?: string[];
  BS?: string[];
  M?: AttributeMap;
  L?: AttributeValue[];
  NULL?: boolean;
  BOOL?: boolean;
}

export type AttributeMap = Record<string, AttributeValue>;
export type AttributeType = keyof AttributeValue;

/** The one type an AttributeValue holds. */
export function typeOf(value: AttributeValue): AttributeType {
  for (const key in value) return key as AttributeType;
  return 'NULL';
}

function base64Of(value: unknown): string {
  // Raw JSON input (checked as base64 by the codec) is re-encoded so equal binaries store as equal text.
  if (typeof value === 'string') return Buffer.from(value, 'base64').toString('base64');
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  throw validation('Supplied AttributeValue is empty, must contain exactly one of the supported datatypes');
}

function listText(values: readonly string[]): string {
  return `[${values.join(', ')}]`;
}

function hasDuplicate(values: readonly string[]): boolean {
  if (values.length < 2) return false;
  return new Set(values).size !== values.length;
}

/**
 * Checks an AttributeValue from a request and returns its stored form. Errors follow DynamoDB's
 * order: each member's own checks first, then "more than one datatype".
 */
export function checkValue(input: unknown): AttributeValue {
  if (input === null || typeof input !== 'object') {
    throw validation('Supplied AttributeValue is empty, must contain exactly one of the supported datatypes');
  }
  const value = input as Record<string, unknown>;
  let result: AttributeValue | undefined;
  let types = 0;
  for (const type in value) {
    const member = value[type];
    if (member === undefined || member === null) continue;
    types++;
    switch (type) {
      case 'S':
        result = { S: member as string };
        break;
      case 'N':
        result = { N: canonicalNumber(member as string) };
        break;
      case 'B':
        result = { B: base64Of(member) };
        break;
      case 'BOOL':
        result = { BOOL: member as boolean };
        break;
      case 'NULL':
        if (member !== true) throw validation('One or more parameter values were invalid: Null attribute value types must have the value of true');
        result = { NULL: true };
        break;
      case 'SS': {
        const set = member as string[];
        if (set.length === 0) throw validation('One or more parameter values were invalid: An string set  may not be empty');
        if (hasDuplicate(set)) throw validation(`One or more parameter values were invalid: Input collection ${listText(set)} contains duplicates.`);
        result = { SS: set };
        break;
      }
      case 'NS': {
        const set = member as string[];
        if (set.length === 0) throw validation('One or more parameter values were invalid: An number set  may not be empty');
        const numbers = set.map(canonicalNumber);
        if (hasDuplicate(numbers)) throw validation('Input collection contains duplicates');
        result = { NS: numbers };
        break;
      }
      case 'BS': {
        const set = (member as unknown[]).map(base64Of);
        if (set.length === 0) throw validation('One or more parameter values were invalid: Binary sets should not be empty');
        if (hasDuplicate(set)) throw validation(`One or more parameter values were invalid: Input collection ${listText(set)}of type BS contains duplicates.`);
        result = { BS: set };
        break;
      }
      case 'M':
        result = { M: checkMap(member as Record<string, unknown>) };
        break;
      case 'L':
        result = { L: (member as unknown[]).map(checkValue) };
        break;
      default:
        types--;
    }
  }
  if (types === 0 || !result) throw validation('Supplied AttributeValue is empty, must contain exactly one of the supported datatypes');
  if (types > 1) throw validation('Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes');
  return result;
}

export function checkMap(input: Record<string, unknown>): AttributeMap {
  const out: AttributeMap = {};
  for (const name in input) out[name] = checkValue(input[name]);
  return out;
}

// ---- To a model-walking codec (DynamoDB Streams) -------------------------------------------------------------------

function hasBinary(value: AttributeValue): boolean {
  if (value.B !== undefined || value.BS !== undefined) return true;
  if (value.M) for (const k in value.M) if (hasBinary(value.M[k]!)) return true;
  if (value.L) for (const v of value.L) if (hasBinary(v)) return true;
  return false;
}

function wireValue(value: AttributeValue): unknown {
  if (value.B !== undefined) return { B: Buffer.from(value.B, 'base64') };
  if (value.BS !== undefined) return { BS: value.BS.map((b) => Buffer.from(b, 'base64')) };
  if (value.M) return { M: wireMap(value.M) };
  if (value.L) return { L: value.L.map(wireValue) };
  return value;
}

/** The item as a model-walking codec takes it: the same object unless it holds binaries (which become Buffers). */
export function wireMap(item: AttributeMap): AttributeMap {
  let binary = false;
  for (const k in item) {
    if (hasBinary(item[k]!)) {
      binary = true;
      break;
    }
  }
  if (!binary) return item;
  const out: Record<string, unknown> = {};
  for (const k in item) out[k] = wireValue(item[k]!);
  return out as AttributeMap;
}

// ---- Comparing ---------------------------------------------------------------------------

/** Strings compare by their UTF-8 bytes, as DynamoDB orders them. */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  // UTF-16 order equals UTF-8 byte order unless surrogates meet characters above them.
  if (!/[\ud800-\uffff]/.test(a) && !/[\ud800-\uffff]/.test(b)) return a < b ? -1 : 1;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

export function compareBinary(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'base64'), Buffer.from(b, 'base64'));
}

/** Orders two scalar values of the same type (S, N or B). */
export function compareScalars(type: 'S' | 'N' | 'B', a: string, b: string): number {
  if (type === 'N') return compareNumbers(a, b);
  if (type === 'S') return compareStrings(a, b);
  return compareBinary(a, b);
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  for (const x of b) if (!set.has(x)) return false;
  return true;
}

export function valuesEqual(a: AttributeValue, b: AttributeValue): boolean {
  const type = typeOf(a);
  if (type !== typeOf(b)) return false;
  switch (type) {
    case 'S':
    case 'N':
    case 'B':
    case 'BOOL':
    case 'NULL':
      return a[type] === b[type];
    case 'SS':
    case 'NS':
    case 'BS':
      return sameSet(a[type]!, b[type]!);
    case 'L':
      return a.L!.length === b.L!.length && a.L!.every((v, i) => valuesEqual(v, b.L![i]!));
    case 'M': {
      const ka = Object.keys(a.M!);
      if (ka.length !== Object.keys(b.M!).length) return false;
      return ka.every((k) => b.M![k] !== undefined && valuesEqual(a.M![k]!, b.M![k]!));
    }
  }
  return false;
}

// ---- Sizes -------------------------------------------------------------------------------

export function utf8Length(text: string): number {
  // Short ASCII text is its own length (a JS loop beats a native call there); long text goes to
  // Buffer.byteLength at once: looping over a 1 KB attribute was a tenth of a 100-item Query.
  if (text.length > 32) return Buffer.byteLength(text, 'utf8');
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return Buffer.byteLength(text, 'utf8');
  return text.length;
}

function base64Length(b64: string): number {
  const padding = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  return (b64.length / 4) * 3 - padding;
}

function numberSize(text: string): number {
  const n = parseNumber(text);
  const count = n.digits.length;
  if (count === 0) return 1;
  return 1 + Math.ceil(count / 2) + (count % 2 || n.exponent % 2 ? 0 : 1) + (n.negative ? 1 : 0);
}

/** A value's size in bytes as DynamoDB counts it (without its attribute name). */
export function valueSize(value: AttributeValue): number {
  if (value.S !== undefined) return utf8Length(value.S);
  if (value.N !== undefined) return numberSize(value.N);
  if (value.B !== undefined) return base64Length(value.B);
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS) return value.SS.reduce((sum, s) => sum + utf8Length(s), 0);
  if (value.NS) return value.NS.reduce((sum, s) => sum + numberSize(s), 0);
  if (value.BS) return value.BS.reduce((sum, s) => sum + base64Length(s), 0);
  if (value.L) return value.L.reduce((sum, v) => sum + 1 + valueSize(v), 3);
  if (value.M) {
    let size = 3;
    for (const k in value.M) size += 1 + utf8Length(k) + valueSize(value.M[k]!);
    return size;
  }
  return 0;
}

/** An item's size in bytes: attribute names plus values, the figure the 400 KB limit applies to. */
export function itemSize(item: AttributeMap): number {
  let size = 0;
  for (const k in item) size += utf8Length(k) + valueSize(item[k]!);
  return size;
}

export const MAX_ITEM_SIZE = 400 * 1024;
