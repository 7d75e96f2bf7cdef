// API Gateway's Update* operations take JSON-patch-like operations (op, path, value, from) whose
// paths each resource restricts. A PatchSpec lists a resource's paths: a fixed path names a field,
// a path ending in "/*" names one entry of a map (requestTemplates/application~1json) or one member
// of a list (binaryMediaTypes/image~1png). Values arrive as strings and are typed by the rule.
// AWS words the errors differently per resource, so each spec brings its own.

import { badRequest, notFound } from './state.js';
import type { ServiceError } from '../../errors.js';

export interface PatchOperation {
  op?: string;
  path?: string;
  value?: string;
  from?: string;
}

type Op = 'add' | 'remove' | 'replace' | 'copy' | 'move' | 'test';
type Kind = 'string' | 'boolean' | 'integer' | 'number' | 'map' | 'boolean-map' | 'list-item' | 'list-value';

export interface PathRule {
  /** "/name", "/throttle/burstLimit", or "/requestTemplates/*" for one entry of a map or list. */
  path: string;
  ops: Op[];
  kind?: Kind;
  /** Where the value lives in the record, when not at the path itself (dot-separated). */
  field?: string;
  /** AWS's NotFound message when remove or replace names a map entry that is not there. */
  missing?: string;
}

export interface PatchSpec {
  rules: PathRule[];
  /** The error for a path no rule names. */
  unknownPath(op: string, path: string): ServiceError;
  /** The error for a known path with an op it does not take. */
  badOp(op: string, path: string, rule: PathRule): ServiceError;
}

/** JSON pointer unescaping: ~1 is "/", ~0 is "~". */
const unescape = (segment: string) => segment.replace(/~1/g, '/').replace(/~0/g, '~');

/** AWS's two common wordings: "Invalid patch path /x" and the "Must be one of" listing. */
export const plainErrors = {
  unknownPath: (_op: string, path: string) => badRequest(`Invalid patch path ${path}`),
  badOp: (_op: string, _path: string, rule: PathRule) => badRequest(`Invalid patch operation specified. Must be one of: [${rule.ops.join(', ')}]`),
};

export function listingErrors(paths: string[]) {
  return {
    unknownPath: (op: string, path: string) => badRequest(`Invalid patch path  '${path}' specified for op '${op}'. Must be one of: [${paths.join(', ')}]`),
    badOp: (op: string, path: string) => badRequest(`Invalid patch path  '${path}' specified for op '${op}'. Please choose supported operations`),
  };
}

function findRule(spec: PatchSpec, path: string): { rule: PathRule; key?: string } | undefined {
  for (const rule of spec.rules) {
    if (rule.path.endsWith('/*')) {
      const prefix = rule.path.slice(0, -1);
      if (path.startsWith(prefix) && path.length > prefix.length) return { rule, key: unescape(path.slice(prefix.length)) };
    } else if (rule.path === path) {
      return { rule };
    }
  }
  return undefined;
}

function typed(kind: Kind, value: string | undefined, path: string): unknown {
  if (kind === 'boolean' || kind === 'boolean-map') {
    if (value === undefined) throw badRequest(`Invalid patch value null specified for ${path}`);
    return value.toLowerCase() === 'true';
  }
  if (kind === 'integer' || kind === 'number') {
    const n = Number(value);
    if (value === undefined || value === '' || !Number.isFinite(n) || (kind === 'integer' && !Number.isInteger(n))) throw badRequest(`Invalid patch value ${value ?? 'null'} specified for ${path}`);
    return n;
  }
  return value;
}

type Obj = Record<string, unknown>;

function parentOf(record: Obj, field: string): { holder: Obj; last: string } {
  const parts = field.split('.');
  let holder = record;
  for (const part of parts.slice(0, -1)) {
    const next = holder[part];
    if (!next || typeof next !== 'object') holder[part] = {};
    holder = holder[part] as Obj;
  }
  return { holder, last: parts[parts.length - 1]! };
}

/** The operations as sent, a null or non-object entry read as an empty operation (AWS names its path null). */
export function operationsOf(list: PatchOperation[] | undefined): PatchOperation[] {
  return (list ?? []).map((o) => (o && typeof o === 'object' && !Array.isArray(o) ? o : {}));
}

/** Applies the operations to a copy of the record, in order; the first bad one throws and nothing changes. */
export function applyPatch<T extends object>(record: T, operations: PatchOperation[] | undefined, spec: PatchSpec): T {
  const copy = structuredClone(record) as unknown as Obj;
  for (const operation of operationsOf(operations)) {
    const op = (operation.op ?? '') as Op;
    const path = operation.path ?? 'null';
    const found = findRule(spec, path);
    if (!found) throw spec.unknownPath(op, path);
    const { rule, key } = found;
    if (!rule.ops.includes(op)) throw spec.badOp(op, path, rule);
    const kind = rule.kind ?? (key !== undefined ? 'map' : 'string');
    const field = rule.field ?? (key !== undefined ? rule.path.slice(1, -2) : rule.path.slice(1)).replace(/\//g, '.');
    const { holder, last } = parentOf(copy, field);
    if (key === undefined && kind === 'list-value') {
      // A list named by its path whose member is the value: add appends it, remove drops it.
      const list = ((holder[last] as string[] | undefined) ?? []).filter((v) => v !== operation.value);
      if (op !== 'remove' && operation.value !== undefined) list.push(operation.value);
      holder[last] = list.length ? list : undefined;
      continue;
    }
    if (key === undefined) {
      if (op === 'remove') delete holder[last];
      else holder[last] = typed(kind, operation.value, path);
      continue;
    }
    if (kind === 'list-item') {
      // The key is the member itself: add appends it, remove drops it, replace swaps it for the value.
      const list = ((holder[last] as string[] | undefined) ?? []).filter((v) => v !== key || op === 'add');
      if (op === 'add' && !list.includes(key)) list.push(key);
      if (op === 'replace' && operation.value !== undefined) list.push(operation.value);
      holder[last] = list.length ? list : undefined;
      continue;
    }
    const map = { ...((holder[last] as Obj | undefined) ?? {}) };
    if ((op === 'remove' || op === 'replace') && !(key in map) && rule.missing) throw notFound(rule.missing);
    if (op === 'remove') delete map[key];
    else map[key] = typed(kind === 'boolean-map' ? 'boolean' : 'string', operation.value, path);
    holder[last] = Object.keys(map).length ? map : undefined;
  }
  return copy as unknown as T;
}
