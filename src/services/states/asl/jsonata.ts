// The JSONata query language as Step Functions runs it: jsonata 2.0.6 (the version AWS documents)
// with `$states` and the workflow variables bound, AWS's added functions ($partition, $range,
// $hash, $random with a seed, $uuid, $parse), no $eval, and $now/$millis on Fogbank's clock.
// Failures are States.QueryEvaluationError with AWS's "The JSONata expression ..." causes.

import { createHash, randomUUID } from 'node:crypto';
import jsonata from 'jsonata';
import { StatesError } from './errors.js';
import { isObject } from './jsonpath.js';
import type { Scope } from './variables.js';

/** What `$states` holds for one evaluation. */
export interface StatesBinding {
  input: unknown;
  context: unknown;
  result?: unknown;
  errorOutput?: unknown;
}

export interface JsonataEnv {
  states: StatesBinding;
  scope: Scope;
  now: number;
}

/** A string value that is a JSONata expression: `{%` first and `%}` last, no spaces around. */
export function isExpression(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith('{%') && value.endsWith('%}') && value.length >= 4;
}

export function expressionBody(text: string): string {
  return text.slice(2, -2).trim();
}

const compiled = new Map<string, jsonata.Expression>();

/** Compiles (once) an expression's body; throws jsonata's syntax error. */
export function compile(body: string): jsonata.Expression {
  let expression = compiled.get(body);
  if (expression) return expression;
  expression = jsonata(body);
  for (const [name, fn, signature] of AWS_FUNCTIONS) expression.registerFunction(name, fn, signature);
  if (compiled.size > 5000) compiled.clear();
  compiled.set(body, expression);
  return expression;
}

const fromMillis = jsonata('$fromMillis($ms, $picture, $zone)');

function bindings(env: JsonataEnv): Record<string, unknown> {
  return {
    ...env.scope.all(),
    states: env.states,
    // AWS leaves $eval out ($parse replaces it): calling it is calling nothing.
    eval: undefined,
    now: (picture?: string, zone?: string) => fromMillis.evaluate({}, { ms: env.now, picture, zone }),
    millis: () => env.now,
  };
}

/** Evaluates one `{% %}` expression for a field; the result as plain JSON. */
export async function evaluateExpression(text: string, env: JsonataEnv, field: string): Promise<unknown> {
  const body = expressionBody(text);
  let value: unknown;
  try {
    value = await compile(body).evaluate(null, bindings(env));
  } catch (error) {
    const e = error as { code?: string; message?: string };
    throw queryError(`The JSONata expression '${body}' specified for the field '${field}' threw an error during evaluation. ${e.code ? `${e.code}: ` : ''}${e.message ?? String(error)}`);
  }
  if (value === undefined) throw queryError(`The JSONata expression '${body}' specified for the field '${field}' returned nothing (undefined).`);
  return plain(value);
}

/** Resolves a field's value: every `{% %}` string in it (at any depth) replaced by its result. */
export async function resolveJsonata(template: unknown, env: JsonataEnv, field: string): Promise<unknown> {
  if (isExpression(template)) return evaluateExpression(template, env, field);
  if (Array.isArray(template)) {
    const out: unknown[] = [];
    for (let i = 0; i < template.length; i++) out.push(await resolveJsonata(template[i], env, `${field}[${i}]`));
    return out;
  }
  if (!isObject(template)) return template;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(template)) out[key] = await resolveJsonata(value, env, `${field}/${key}`);
  return out;
}

export function queryError(cause: string): StatesError {
  return new StatesError('States.QueryEvaluationError', cause);
}

/** Checks a resolved field's type, with AWS's "returned an unexpected result type" cause. */
export function expectType(value: unknown, expected: 'boolean' | 'number' | 'string' | 'array' | 'integer', text: unknown, field: string): void {
  const actual = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
  const ok = expected === 'integer' ? Number.isInteger(value) : actual === expected;
  if (ok) return;
  const body = typeof text === 'string' && isExpression(text) ? expressionBody(text) : JSON.stringify(text);
  throw queryError(`The JSONata expression '${body}' specified for the field '${field}' returned an unexpected result type. Expected '${expected}', but was '${actual}' for value: ${JSON.stringify(value)}`);
}

/** JSONata results carry sequence markers and may hold functions: keep what JSON can say. */
function plain(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return typeof value === 'function' ? {} : value;
  return JSON.parse(JSON.stringify(value)) as unknown;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type JsonataFunction = [string, (...args: any[]) => unknown, string];

function fail(message: string): never {
  throw new Error(message);
}

/** A seeded generator (mulberry32) for $random(seed): the same seed gives the same number. */
function seeded(seed: number): number {
  let t = (Math.trunc(seed) + 0x6d2b79f5) | 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

const HASHES: Record<string, string> = { MD5: 'md5', 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

const AWS_FUNCTIONS: JsonataFunction[] = [
  [
    'partition',
    (array: unknown[], size: number) => {
      if (!Number.isInteger(size) || size <= 0) fail('The chunk size must be a positive integer');
      const out: unknown[][] = [];
      for (let i = 0; i < array.length; i += size) out.push(array.slice(i, i + size));
      return out;
    },
    '<an:a>',
  ],
  [
    'range',
    (start: number, end: number, step: number) => {
      if (![start, end, step].every(Number.isInteger) || step === 0) fail('The start, end and step must be integers, and the step not 0');
      const out: number[] = [];
      for (let n = start; step > 0 ? n <= end : n >= end; n += step) {
        out.push(n);
        if (out.length > 1000) fail('The range has more than 1000 items');
      }
      return out;
    },
    '<nnn:a<n>>',
  ],
  [
    'hash',
    (data: string, algorithm: string) => {
      const name = HASHES[algorithm];
      if (!name) fail(`The hash algorithm '${algorithm}' is not supported; use one of ${Object.keys(HASHES).join(', ')}`);
      return createHash(name).update(data).digest('hex');
    },
    '<ss:s>',
  ],
  ['random', (seed?: number) => (seed === undefined ? Math.random() : seeded(seed)), '<n?:n>'],
  ['uuid', () => randomUUID(), '<:s>'],
  [
    'parse',
    (text: string) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return fail(`The string is not valid JSON: ${text}`);
      }
    },
    '<s:x>',
  ],
];
