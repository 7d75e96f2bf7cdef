// Event patterns as AWS reads them (EventBridge rules, SNS filter policies, Lambda filter
// criteria): an object whose fields hold either nested objects or arrays of match values, with
// "$or" offering alternative sets of fields. Compiled once into a tree of field rules; matching
// walks the event object directly, so nothing is re-parsed per event.

import { compileFieldRule, fieldMatches, PatternError, type FieldRule, type Leaf, type LeafOptions } from './leaf.js';

interface PatternNode {
  /** Fields whose pattern is an array of match values. */
  leaves: Array<{ key: string; rule: FieldRule }>;
  /** Fields whose pattern is a nested object. */
  children: Array<{ key: string; node: PatternNode }>;
  /** Each "$or": the node matches only if one of the alternatives does too. */
  ors: PatternNode[][];
}

export interface CompileOptions extends Partial<LeafOptions> {
  /** SNS's MessageAttributes scope allows no nesting. */
  nested?: boolean;
}

/** Field names that may not appear inside "$or" alternatives (the operators themselves). */
const RESERVED_IN_OR = new Set(['anything-but', 'cidr', 'equals-ignore-case', 'exactly', 'exists', 'numeric', 'prefix', 'suffix', 'wildcard']);

function fail(reason: string): never {
  throw new PatternError(reason);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function compileNode(pattern: Record<string, unknown>, options: LeafOptions & { nested: boolean }, insideOr: boolean): PatternNode {
  const node: PatternNode = { leaves: [], children: [], ors: [] };
  const keys = Object.keys(pattern);
  if (keys.length === 0) fail('Empty objects are not allowed');
  for (const key of keys) {
    const value = pattern[key];
    if (key === '$or') {
      if (!Array.isArray(value)) fail('It must be an Array followed with $or.');
      const alternatives = value.map((alternative) => {
        if (!isObject(alternative)) fail('Only JSON object is allowed in array of $or relationship.');
        return compileNode(alternative, options, true);
      });
      if (alternatives.length < 2) fail('There must have at least 2 Objects in $or relationship.');
      node.ors.push(alternatives);
      continue;
    }
    if (insideOr && RESERVED_IN_OR.has(key)) fail(`${key} is Ruler reserved fieldName which cannot be used inside $or.`);
    if (Array.isArray(value)) node.leaves.push({ key, rule: compileFieldRule(value, options) });
    else if (isObject(value)) {
      if (!options.nested) fail('Filter policy scope MessageAttributes does not support nested filter policy');
      node.children.push({ key, node: compileNode(value, options, insideOr) });
    } else fail(`"${key}" must be an object or an array`);
  }
  return node;
}

/** The leaf values at a field: scalars, or the scalars inside an array (arrays of arrays flatten). */
function leavesOf(value: unknown, out: Leaf[] = []): Leaf[] {
  if (value === undefined) return out;
  if (Array.isArray(value)) {
    for (const item of value) if (!isObject(item)) leavesOf(item, out);
  } else if (!isObject(value)) out.push(value as Leaf);
  return out;
}

function matchNode(node: PatternNode, event: unknown): boolean {
  // An array of objects matches when one element matches all of the node's fields together.
  if (Array.isArray(event)) {
    const objects = event.filter(isObject);
    if (objects.length) return objects.some((item) => matchNode(node, item));
    event = undefined;
  }
  const object = isObject(event) ? event : undefined;
  for (const { key, rule } of node.leaves) {
    if (!fieldMatches(rule, leavesOf(object?.[key]))) return false;
  }
  for (const { key, node: child } of node.children) {
    if (!matchNode(child, object?.[key])) return false;
  }
  for (const alternatives of node.ors) {
    if (!alternatives.some((alternative) => matchNode(alternative, event))) return false;
  }
  return true;
}

export interface CompiledPattern {
  /** The pattern as parsed, for limit checks and for echoing back. */
  readonly source: Record<string, unknown>;
  matches(event: unknown): boolean;
}

/**
 * Validates and compiles a pattern given as JSON text or a parsed object. Throws PatternError
 * with AWS's reason; each service words it its own way (see errors.ts).
 */
export function compilePattern(pattern: string | Record<string, unknown>, options: CompileOptions = {}): CompiledPattern {
  let source: unknown = pattern;
  if (typeof pattern === 'string') {
    try {
      source = JSON.parse(pattern);
    } catch (error) {
      fail(`${(error as Error).message}`);
    }
  }
  if (!isObject(source)) fail('Filter is not an object');
  const root = compileNode(source, { dialect: options.dialect ?? 'eventbridge', nested: options.nested ?? true }, false);
  return { source, matches: (event) => matchNode(root, event) };
}
