// The JSONPath subset the States language uses: $ and $$ (the context object), .name and
// ['name'], [index] (negative from the end), [*] and .* wildcards, [start:end] slices and ..name
// deep scan. Written here rather than taken from a package: ASL needs only this subset, and the
// maintained JSONPath packages now require Node 22. Filter expressions ([?(...)]) are not supported.

import { runtimeError } from './errors.js';
import { scopeOf } from './variables.js';

type Segment = { kind: 'name'; name: string } | { kind: 'index'; index: number } | { kind: 'wildcard' } | { kind: 'slice'; start?: number; end?: number } | { kind: 'deep'; name: string };

export interface ParsedPath {
  context: boolean;
  /** `$name...`: the path starts at a workflow variable. */
  variable?: string;
  segments: Segment[];
  /** Whether the path names one value (no wildcard, slice or deep scan). */
  definite: boolean;
}

const cache = new Map<string, ParsedPath>();

export function parsePath(path: string): ParsedPath {
  const known = cache.get(path);
  if (known) return known;
  const parsed = parse(path);
  if (cache.size > 5000) cache.clear();
  cache.set(path, parsed);
  return parsed;
}

function parse(path: string): ParsedPath {
  if (!path.startsWith('$')) throw new SyntaxError(`path must start with '$'`);
  let i = 1;
  let context = false;
  let variable: string | undefined;
  if (path[1] === '$') {
    context = true;
    i = 2;
  } else {
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(path.slice(1));
    if (name) {
      variable = name[0];
      i = 1 + name[0].length;
    }
  }
  const segments: Segment[] = [];
  while (i < path.length) {
    const c = path[i];
    if (c === '.') {
      if (path[i + 1] === '.') {
        const m = /^[^.[\]]+/.exec(path.slice(i + 2));
        if (!m) throw new SyntaxError(`bad deep scan at ${i}`);
        segments.push({ kind: 'deep', name: m[0] });
        i += 2 + m[0].length;
        continue;
      }
      if (path[i + 1] === '*') {
        segments.push({ kind: 'wildcard' });
        i += 2;
        continue;
      }
      const m = /^[^.[\]]+/.exec(path.slice(i + 1));
      if (!m) throw new SyntaxError(`empty name at ${i}`);
      segments.push({ kind: 'name', name: m[0] });
      i += 1 + m[0].length;
    } else if (c === '[') {
      const close = findClose(path, i);
      const inner = path.slice(i + 1, close).trim();
      i = close + 1;
      if (inner === '*') segments.push({ kind: 'wildcard' });
      else if (/^-?\d+$/.test(inner)) segments.push({ kind: 'index', index: Number(inner) });
      else if (/^(-?\d+)?:(-?\d+)?$/.test(inner)) {
        const [a, b] = inner.split(':');
        segments.push({ kind: 'slice', start: a ? Number(a) : undefined, end: b ? Number(b) : undefined });
      } else if (/^'.*'$|^".*"$/.test(inner)) segments.push({ kind: 'name', name: inner.slice(1, -1) });
      else throw new SyntaxError(`unsupported bracket expression [${inner}]`);
    } else {
      throw new SyntaxError(`unexpected '${c}' at ${i}`);
    }
  }
  return { context, variable, segments, definite: segments.every((s) => s.kind === 'name' || s.kind === 'index') };
}

function findClose(path: string, open: number): number {
  let quote: string | undefined;
  for (let j = open + 1; j < path.length; j++) {
    const c = path[j];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === ']') return j;
  }
  throw new SyntaxError('unclosed [');
}

export function isValidPath(path: string): boolean {
  try {
    parsePath(path);
    return true;
  } catch {
    return false;
  }
}

/** A Reference Path (ResultPath, Variable): only names and indexes, one value. */
export function isReferencePath(path: string): boolean {
  try {
    const p = parsePath(path);
    return !p.context && !p.variable && p.definite;
  } catch {
    return false;
  }
}


/** Reads a path; returns `undefined` when a definite path finds nothing. */
export function readPath(path: string, data: unknown, context?: unknown): unknown {
  const parsed = parsePath(path);
  let root: unknown;
  if (parsed.variable !== undefined) {
    const scope = scopeOf(context);
    if (!scope?.has(parsed.variable)) return undefined;
    root = scope.get(parsed.variable);
  } else root = parsed.context ? context : data;
  let current: unknown[] = [root];
  for (const segment of parsed.segments) {
    const next: unknown[] = [];
    for (const value of current) step(segment, value, next);
    current = next;
  }
  if (parsed.definite) return current.length ? current[0] : undefined;
  return current;
}

/** Reads a path the way InputPath, OutputPath and `.$` fields do: finding nothing is States.Runtime. */
export function selectPath(path: string, data: unknown, context?: unknown): unknown {
  const value = readPath(path, data, context);
  if (value === undefined) throw runtimeError(`Invalid path '${path}' : No results for path: ${canonical(path)}`);
  return value;
}

export function pathExists(path: string, data: unknown, context?: unknown): boolean {
  return readPath(path, data, context) !== undefined;
}

function step(segment: Segment, value: unknown, out: unknown[]): void {
  switch (segment.kind) {
    case 'name':
      if (isObject(value) && Object.prototype.hasOwnProperty.call(value, segment.name)) out.push(value[segment.name]);
      return;
    case 'index':
      if (Array.isArray(value)) {
        const i = segment.index < 0 ? value.length + segment.index : segment.index;
        if (i >= 0 && i < value.length) out.push(value[i]);
      }
      return;
    case 'wildcard':
      if (Array.isArray(value)) out.push(...value);
      else if (isObject(value)) out.push(...Object.values(value));
      return;
    case 'slice':
      if (Array.isArray(value)) out.push(...value.slice(segment.start, segment.end));
      return;
    case 'deep':
      deepScan(segment.name, value, out);
      return;
  }
}

function deepScan(name: string, value: unknown, out: unknown[]): void {
  if (Array.isArray(value)) for (const v of value) deepScan(name, v, out);
  else if (isObject(value)) {
    if (Object.prototype.hasOwnProperty.call(value, name)) out.push(value[name]);
    for (const v of Object.values(value)) deepScan(name, v, out);
  }
}

/** Writes value at a Reference Path inside a copy of data (ResultPath), creating objects on the way. */
export function writePath(path: string, data: unknown, value: unknown): unknown {
  const parsed = parsePath(path);
  if (!parsed.segments.length) return value;
  const root = isObject(data) || Array.isArray(data) ? structuredClone(data) : {};
  let node = root as Record<string | number, unknown>;
  parsed.segments.forEach((segment, n) => {
    const last = n === parsed.segments.length - 1;
    const key = segment.kind === 'name' ? segment.name : segment.kind === 'index' ? segment.index : undefined;
    if (key === undefined) throw runtimeError(`Invalid path '${path}': ResultPath must be a Reference Path`);
    if (last) node[key] = value;
    else {
      const child = node[key];
      if (!(isObject(child) || Array.isArray(child))) node[key] = {};
      node = node[key] as Record<string | number, unknown>;
    }
  });
  return root;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** $.a.b[0] as AWS prints it in messages: $['a']['b'][0]. */
function canonical(path: string): string {
  try {
    const p = parsePath(path);
    return (p.context ? '$$' : '$') + p.segments.map((s) => (s.kind === 'name' ? `['${s.name}']` : s.kind === 'index' ? `[${s.index}]` : s.kind === 'wildcard' ? '[*]' : s.kind === 'deep' ? `..['${s.name}']` : `[${s.start ?? ''}:${s.end ?? ''}]`)).join('');
  } catch {
    return path;
  }
}

