// Checks decoded input against the model before any handler runs, and answers with the
// Coral-style message AWS uses: "1 validation error detected: Value 'abc' at 'name' failed to
// satisfy constraint: Member must have length less than or equal to 2".
//
// Required members come from the minified model itself. Length, range, enum and pattern
// constraints, which the minified models drop, come from constraints/<model uid>.json (written by
// scripts/extract-constraints.py from botocore's full models), read on a service's first request.

import { existsSync, readFileSync } from 'node:fs';
import { ServiceError } from '../errors.js';
import type { ServiceModel, Shape, ShapeRef } from './model.js';

/** One botocore shape's constraints, and the shapes its members, items, keys and values use. */
export interface MemberConstraints {
  min?: number | string;
  max?: number | string;
  enum?: string[];
  /** Java syntax, as AWS prints it. */
  pattern?: string;
  /** The JavaScript translation when it differs; false when none is faithful (never enforced). */
  js?: string | false;
  flags?: string;
  sensitive?: 1;
  members?: Record<string, string>;
  member?: string;
  key?: string;
  value?: string;
}

interface ConstraintFile {
  options: {
    /** Print no values: "Value at 'x' failed to ..." (IAM). */
    redactValues?: boolean;
    /** A collection item's listed constraints end with "Member must not be null" (IAM, Lambda). */
    memberNotNull?: boolean;
    /** Paths start with the input structure: 'createRestApiInput.name' (API Gateway). */
    inputPrefix?: boolean;
  };
  operations: Record<string, string>;
  shapes: Record<string, MemberConstraints>;
}

/** AWS lists at most this many problems. */
const MAX_PROBLEMS = 10;

// Beside this module when run from source; the compiler does not copy JSON, so compiled code
// (dist/src/protocols) reads the files from the source tree.
const DATA_DIRS = [new URL('./constraints/', import.meta.url), new URL('../../../src/protocols/constraints/', import.meta.url)];
const files = new Map<string, ConstraintFile | null>();
const inputOperations = new WeakMap<ServiceModel, Map<Shape, string>>();
const patterns = new Map<string, RegExp>();

function constraintsFor(uid: string): ConstraintFile | null {
  let file = files.get(uid);
  if (file === undefined) {
    const dir = DATA_DIRS.find((d) => existsSync(new URL(`${uid}.json`, d)));
    file = dir ? (JSON.parse(readFileSync(new URL(`${uid}.json`, dir), 'utf8')) as ConstraintFile) : null;
    files.set(uid, file);
  }
  return file;
}

/** The operation whose input this shape is (resolved input shapes are stable objects). */
function operationOf(model: ServiceModel, shape: Shape): string | undefined {
  let byShape = inputOperations.get(model);
  if (!byShape) {
    byShape = new Map();
    for (const op of Object.values(model.operations)) if (op.input && !byShape.has(model.input(op))) byShape.set(model.input(op), op.name);
    inputOperations.set(model, byShape);
  }
  return byShape.get(shape);
}

interface Walk {
  model: ServiceModel;
  file: ConstraintFile | null;
  problems: string[];
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function join(path: string, name: string): string {
  return path ? `${path}.${name}` : name;
}

interface Member {
  name: string;
  /** The name as AWS writes it in a path: first letter in lower case. */
  label: string;
  shape: Shape;
}

// Member lists are resolved once per model object: the walk runs on every request.
const memberCache = new WeakMap<Record<string, ShapeRef>, Member[]>();
function membersOf(shape: Shape, model: ServiceModel): Member[] {
  const refs = shape.members ?? {};
  let members = memberCache.get(refs);
  if (!members) {
    members = Object.entries(refs).map(([name, ref]) => ({ name, label: lowerFirst(name), shape: model.resolve(ref) }));
    memberCache.set(refs, members);
  }
  return members;
}
const requiredCache = new WeakMap<string[], Member[]>();
function requiredOf(shape: Shape, members: Member[]): Member[] {
  const names = shape.required ?? [];
  let required = requiredCache.get(names);
  if (!required) {
    required = names.map((n) => members.find((m) => m.name === n) ?? { name: n, label: lowerFirst(n), shape: { type: 'string' } });
    // Path labels are checked by the route itself; a missing one means a different operation.
    required = required.filter((m) => m.shape.location !== 'uri');
    requiredCache.set(names, required);
  }
  return required;
}
const resolvedCache = new WeakMap<ShapeRef, Shape>();
function resolved(ref: ShapeRef | undefined, model: ServiceModel): Shape {
  if (!ref) return model.resolve(ref);
  let shape = resolvedCache.get(ref);
  if (!shape) resolvedCache.set(ref, (shape = model.resolve(ref)));
  return shape;
}

function structure(record: Record<string, unknown>, shape: Shape, node: MemberConstraints | undefined, w: Walk, path: string): void {
  const members = membersOf(shape, w.model);
  if (shape.required) {
    for (const { name, label } of requiredOf(shape, members)) {
      if (record[name] === undefined || record[name] === null) report(w, null, `at '${join(path, label)}'`, 'Member must not be null', true);
    }
  }
  for (const member of members) {
    const value = record[member.name];
    if (value === undefined || value === null) continue;
    check(value, member.shape, node?.members?.[member.name], w, join(path, member.label));
  }
}

/** Checks one value; a collection's items (asItem) had their own constraints checked by the collection. */
function check(value: unknown, shape: Shape, name: string | undefined, w: Walk, path: string, asItem = false): void {
  if (w.problems.length >= MAX_PROBLEMS) return;
  const node = name ? w.file?.shapes[name] : undefined;
  if (node && !asItem) for (const problem of violations(value, shape, node) ?? []) report(w, showValue(value, shape, name, w), `at '${path}'`, problem);
  if (shape.type === 'structure') {
    if (typeof value === 'object' && value !== null && !Array.isArray(value) && !shape.document && !Buffer.isBuffer(value)) {
      structure(value as Record<string, unknown>, shape, node, w, path);
    }
  } else if (shape.type === 'list' && Array.isArray(value)) {
    const item = resolved(shape.member, w.model);
    const itemNode = node?.member ? w.file?.shapes[node.member] : undefined;
    if (itemNode && hasOwnConstraints(itemNode) && value.some((v) => v !== null && violations(v, item, itemNode))) {
      report(w, showValue(value, shape, name, w), `at '${path}'`, `Member must satisfy constraint: [${describe(itemNode, item, w)}]`);
    }
    if (isAggregate(item)) value.forEach((v, i) => v !== null && v !== undefined && check(v, item, node?.member, w, `${path}.${i + 1}.member`, true));
  } else if (shape.type === 'map' && typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>);
    const keyShape = resolved(shape.key, w.model);
    const valueShape = resolved(shape.value, w.model);
    const keyNode = node?.key ? w.file?.shapes[node.key] : undefined;
    const valueNode = node?.value ? w.file?.shapes[node.value] : undefined;
    if (keyNode && hasOwnConstraints(keyNode) && entries.some(([k]) => violations(k, keyShape, keyNode))) {
      report(w, showValue(value, shape, name, w), `at '${path}'`, `Map keys must satisfy constraint: [${describe(keyNode, keyShape, w)}]`);
    }
    if (valueNode && hasOwnConstraints(valueNode) && entries.some(([, v]) => v !== null && violations(v, valueShape, valueNode))) {
      report(w, showValue(value, shape, name, w), `at '${path}'`, `Map value must satisfy constraint: [${describe(valueNode, valueShape, w)}]`);
    }
    if (isAggregate(valueShape)) for (const [k, v] of entries) if (v !== null && v !== undefined) check(v, valueShape, node?.value, w, `${path}.${k}.member`, true);
  }
}

/** Shapes whose parts the walk visits: required members and constraints can lie inside. */
function isAggregate(shape: Shape): boolean {
  return shape.type === 'structure' || shape.type === 'list' || shape.type === 'map';
}

function hasOwnConstraints(node: MemberConstraints): boolean {
  return node.min !== undefined || node.max !== undefined || node.enum !== undefined || (node.pattern !== undefined && node.js !== false);
}

const NUMBER_TYPES = new Set(['integer', 'long', 'float', 'double', 'bigdecimal', 'biginteger']);

function compiled(node: MemberConstraints): RegExp {
  const source = typeof node.js === 'string' ? node.js : node.pattern!;
  const key = `${node.flags ?? ''}/${source}`;
  let re = patterns.get(key);
  if (!re) patterns.set(key, (re = new RegExp(`^(?:${source})$`, `u${node.flags ?? ''}`)));
  return re;
}

/** Unicode scalar values, as AWS counts a string's length; UTF-16 length bounds it from above. */
function codePoints(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++, n++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i++;
  }
  return n;
}

/** The constraints a value breaks, in the order AWS reports them; undefined when it breaks none. */
function violations(value: unknown, shape: Shape, node: MemberConstraints): string[] | undefined {
  if (!hasOwnConstraints(node)) return undefined;
  const found: string[] = [];
  const min = node.min === undefined ? undefined : Number(node.min);
  const max = node.max === undefined ? undefined : Number(node.max);
  if (typeof value === 'string' && shape.type === 'string') {
    const length = (max !== undefined && value.length > max) || (min !== undefined && value.length < 2 * min) ? codePoints(value) : undefined;
    // A string already too long for its shape is not matched: that bounds what a pattern costs.
    const tooLong = max !== undefined && length !== undefined && length > max;
    if (node.pattern !== undefined && node.js !== false && !tooLong && !compiled(node).test(value)) {
      found.push(`Member must satisfy regular expression pattern: ${node.pattern}`);
    }
    if (length !== undefined) lengthProblem(length, min, max, node, found);
    if (node.enum && !node.enum.includes(value)) found.push(`Member must satisfy enum value set: [${node.enum.join(', ')}]`);
  } else if (typeof value === 'number' && NUMBER_TYPES.has(shape.type)) {
    if (max !== undefined && value > max) found.push(`Member must have value less than or equal to ${bound(node.max!, shape)}`);
    if (min !== undefined && value < min) found.push(`Member must have value greater than or equal to ${bound(node.min!, shape)}`);
  } else if (shape.type === 'blob' && value instanceof Uint8Array) {
    lengthProblem(value.byteLength, min, max, node, found);
  } else if (shape.type === 'list' && Array.isArray(value)) {
    lengthProblem(value.length, min, max, node, found);
  } else if (shape.type === 'map' && typeof value === 'object' && value !== null) {
    lengthProblem(Object.keys(value).length, min, max, node, found);
  }
  return found.length ? found : undefined;
}

function lengthProblem(length: number, min: number | undefined, max: number | undefined, node: MemberConstraints, found: string[]): void {
  if (max !== undefined && length > max) found.push(`Member must have length less than or equal to ${node.max}`);
  if (min !== undefined && length < min) found.push(`Member must have length greater than or equal to ${node.min}`);
}

function bound(value: number | string, shape: Shape): string {
  return shape.type === 'float' || shape.type === 'double' ? javaDouble(Number(value)) : String(value);
}

/** Every constraint of a collection's items, as AWS lists them inside "[...]". */
function describe(node: MemberConstraints, shape: Shape, w: Walk): string {
  const parts: string[] = [];
  const kind = NUMBER_TYPES.has(shape.type) ? 'value' : 'length';
  if (node.max !== undefined) parts.push(`Member must have ${kind} less than or equal to ${bound(node.max, shape)}`);
  if (node.min !== undefined) parts.push(`Member must have ${kind} greater than or equal to ${bound(node.min, shape)}`);
  if (node.pattern !== undefined) parts.push(`Member must satisfy regular expression pattern: ${node.pattern}`);
  if (node.enum) parts.push(`Member must satisfy enum value set: [${node.enum.join(', ')}]`);
  if (w.file?.options.memberNotNull) parts.push('Member must not be null');
  return parts.join(', ');
}

/** Adds one problem; shown is the printed value, null for a missing one, undefined when not printed. */
function report(w: Walk, shown: string | null | undefined, at: string, message: string, isNull = false): void {
  if (w.problems.length >= MAX_PROBLEMS) return;
  const value = w.file?.options.redactValues || (shown === undefined && !isNull) ? '' : shown === null ? 'null ' : `'${shown}' `;
  w.problems.push(`Value ${value}${at} failed to satisfy constraint: ${message}`);
}

/** The value as AWS prints it (Java's toString), or undefined when it is sensitive. */
function showValue(value: unknown, shape: Shape, name: string | undefined, w: Walk): string | undefined {
  const node = name ? w.file?.shapes[name] : undefined;
  if (node?.sensitive) return undefined;
  const inner = node?.member ?? node?.value;
  if (inner && w.file?.shapes[inner]?.sensitive) return undefined;
  return javaString(value, shape, name, w);
}

function javaString(value: unknown, shape: Shape, name: string | undefined, w: Walk): string {
  if (value === null || value === undefined) return 'null';
  const node = name ? w.file?.shapes[name] : undefined;
  if (node?.sensitive) return '*** Sensitive Data Redacted ***';
  if (value instanceof Uint8Array) return `java.nio.HeapByteBuffer[pos=0 lim=${value.byteLength} cap=${value.byteLength}]`;
  if (value instanceof Date) return javaDate(value);
  if (typeof value === 'number') return shape.type === 'float' || shape.type === 'double' ? javaDouble(value) : String(value);
  if (typeof value !== 'object') return String(value);
  if (Array.isArray(value)) {
    const item = resolved(shape.member, w.model);
    return `[${value.map((v) => javaString(v, item, node?.member, w)).join(', ')}]`;
  }
  if (shape.type === 'map') {
    const valueShape = resolved(shape.value, w.model);
    return `{${Object.entries(value).map(([k, v]) => `${k}=${javaString(v, valueShape, node?.value, w)}`).join(', ')}}`;
  }
  if (shape.type !== 'structure' || shape.document) return JSON.stringify(value);
  const record = value as Record<string, unknown>;
  const fields = membersOf(shape, w.model).map((m) => `${m.label}=${javaString(record[m.name], m.shape, node?.members?.[m.name], w)}`);
  // Coral's model classes print as Lombok does: ShapeName(field=value, ...).
  return name ? `${name}(${fields.join(', ')})` : `{${fields.join(', ')}}`;
}

function javaDouble(n: number): string {
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'NaN' : n > 0 ? 'Infinity' : '-Infinity';
  const abs = Math.abs(n);
  if (abs === 0 || (abs >= 1e-3 && abs < 1e7)) {
    const text = String(n);
    return text.includes('.') ? text : `${text}.0`;
  }
  const [mantissa, exponent] = n.toExponential().split('e') as [string, string];
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function javaDate(d: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

export function validateInput(input: Record<string, unknown>, shape: Shape, model: ServiceModel, code: string): void {
  const file = constraintsFor(model.id);
  const operation = file ? operationOf(model, shape) : undefined;
  const w: Walk = { model, file, problems: [] };
  const node = operation ? file!.shapes[file!.operations[operation]!] : undefined;
  structure(input, shape, node, w, operation && file!.options.inputPrefix ? `${lowerFirst(operation)}Input` : '');
  if (w.problems.length === 0) return;
  const count = w.problems.length;
  throw new ServiceError(code, `${count} validation error${count > 1 ? 's' : ''} detected: ${w.problems.join('; ')}`);
}
