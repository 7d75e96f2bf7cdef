// A model-driven bad-input sweep for rest-json services: for every operation of an AWS model it
// builds requests as an SDK would (URI labels, query strings, headers, JSON body) and then breaks
// them — members of the wrong JSON type, overlong/empty/control-character strings, malformed
// bodies, undecodable URI labels, unknown patch operations, foreign ARNs, missing required members —
// and checks every answer is AWS-shaped: a 2xx/4xx (or a 5xx AWS itself documents) carrying the
// protocol's error shape, never a stack trace.

import { createRequire } from 'node:module';
import { request } from 'node:http';
import { SIGNED } from './http.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Shape = any;

export interface SweepAnswer {
  status: number;
  errorType: string | undefined;
  body: string;
}

export interface SweepCase {
  operation: string;
  variant: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | Buffer | undefined;
}

/** Values for URI labels, query strings and body members, by member or label name, so requests reach existing resources. */
export type Known = Record<string, string>;

const require = createRequire(import.meta.url);

export function loadModel(file: string): { operations: Record<string, Shape>; shapes: Record<string, Shape> } {
  return require(`aws-sdk/apis/${file}`);
}

/** A small seeded generator (mulberry32), so a failure names a case that can be run again. */
export function generator(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const BAD_VALUES: unknown[] = [
  'not-a-number',
  {},
  [],
  ['a', 1, null],
  null,
  1e308,
  -1,
  -9007199254740993,
  true,
  'x'.repeat(70_000),
  '',
  '\u0000\u0007\u001b[31m\u202e😀\ud800',
  '../../etc/passwd',
  { nested: { deeper: [1, 2, { x: 'y' }] } },
];

export const FOREIGN_ARNS = [
  'arn:aws:s3:::some-bucket',
  'arn:aws:lambda:eu-west-1:111111111111:function:elsewhere',
  'arn:aws:lambda:us-east-1:999999999999:function:other-account',
  'arn:aws:apigateway:us-west-2::/restapis/abc123',
  'arn:aws:sqs:us-east-1:000000000000:queue',
  'arn:',
  'not-an-arn',
  'arn:aws:lambda:us-east-1:000000000000:function:',
  'arn:aws:lambda:us-east-1:000000000000:function:f:1:2:3',
];

export const BAD_LABELS = ['%zz', '..', '%00', '%C0%AF', '%', 'x'.repeat(3000), '%2F%2F', 'a%20b', '~!*()', '-1', '9'.repeat(40)];

export const MALFORMED_BODIES: Array<string | Buffer> = ['{', '[]', 'null', '"x"', '{"a":', '{"a":1,}', '12', Buffer.from([0xff, 0xfe, 0x00, 0x81]), '{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}}}', '{"a":' + '['.repeat(5000)];

export const BAD_PATCHES: unknown[] = [
  [{ op: 'bogus', path: '/name', value: 'x' }],
  [{ op: 'replace', path: '/nope/deeper', value: 'x' }],
  [{ op: 'replace', path: '', value: null }],
  [{ op: 'add', path: '/', value: 'x' }],
  [{ op: 'remove', path: '/*/*/metrics/enabled' }],
  [{ op: 'replace', path: '/~1~0~2/x', value: '' }],
  [{ op: 'copy', from: '/nope', path: '/description' }],
  [{ op: 'move', from: '/description', path: '/name' }],
  [{ op: 'replace', path: '/description' }],
  [{ op: 'replace', path: '/name', value: 12 }],
  [{ op: 'replace', path: '/variables/a', value: { x: 1 } }],
  [{ op: 'replace', path: '/*/*/throttling/rateLimit', value: 'fast' }],
  [{ op: 'replace', path: '/*/*/throttling/burstLimit', value: '-5' }],
  [{}],
  [null],
  'replace',
];

/** A valid-looking value for a shape, honouring enums and known names. */
function sample(model: { shapes: Record<string, Shape> }, shape: Shape, name: string, known: Known, depth: number): unknown {
  const s = resolve(model, shape);
  if (known[name] !== undefined) return known[name];
  switch (s.type ?? 'string') {
    case 'structure': {
      if (depth > 3) return {};
      const out: Record<string, unknown> = {};
      for (const [k, m] of Object.entries<Shape>(s.members ?? {})) {
        if (m.location) continue;
        if (!(s.required ?? []).includes(k) && known[k] === undefined) continue;
        out[m.locationName ?? k] = sample(model, m, k, known, depth + 1);
      }
      return out;
    }
    case 'list':
      return depth > 3 ? [] : [sample(model, s.member, name, known, depth + 1)];
    case 'map':
      return depth > 3 ? {} : { k: sample(model, s.value, name, known, depth + 1) };
    case 'integer':
    case 'long':
      return 1;
    case 'double':
    case 'float':
      return 1.5;
    case 'boolean':
      return true;
    case 'timestamp':
      return 1_700_000_000;
    case 'blob':
      return 'AA==';
    default:
      return s.enum ? s.enum[0] : name.toLowerCase().endsWith('arn') ? FOREIGN_ARNS[1] : 'x';
  }
}

function resolve(model: { shapes: Record<string, Shape> }, shape: Shape): Shape {
  let s = shape;
  while (s && s.shape) s = { ...model.shapes[s.shape], ...s, shape: undefined };
  return s ?? {};
}

interface Parts {
  labels: Record<string, string>;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: Record<string, unknown>;
  payload: string | undefined;
}

function build(model: { shapes: Record<string, Shape> }, op: Shape, known: Known): { parts: Parts; input: Shape } {
  const input = resolve(model, op.input ?? {});
  const parts: Parts = { labels: {}, query: {}, headers: {}, body: {}, payload: undefined };
  for (const [name, raw] of Object.entries<Shape>(input.members ?? {})) {
    const m = resolve(model, raw);
    const wire = raw.locationName ?? name;
    // The base request carries only required and known members, so it gets past validation and
    // each broken variant below differs from it in one member.
    if (!(input.required ?? []).includes(name) && known[wire] === undefined && known[name] === undefined && raw.location !== 'uri') continue;
    const value = known[wire] ?? known[name] ?? sample(model, raw, name, known, 1);
    if (raw.location === 'uri') parts.labels[wire] = String(value);
    else if (raw.location === 'querystring') {
      if (m.type === 'map') continue;
      parts.query[wire] = Array.isArray(value) ? String(value[0]) : String(value);
    } else if (raw.location === 'header') {
      if (m.type === 'blob' || name === 'ClientContext') continue;
      parts.headers[wire] = String(value);
    } else if (raw.location === 'headers') continue;
    else if (input.payload === name) parts.payload = m.type === 'blob' ? '{"hello":"world"}' : JSON.stringify(value);
    else parts.body[wire] = value;
  }
  return { parts, input };
}

function render(op: Shape, parts: Parts, service: string): Omit<SweepCase, 'operation' | 'variant'> {
  const [rawPath, rawQuery] = String(op.http.requestUri).split('?');
  const path = rawPath!.replace(/\{([^}+]+)\+?\}/g, (_m, label: string) => {
    const v = parts.labels[label];
    if (v === undefined) return 'x';
    return /%|\.\.|^x{3000}$/.test(v) ? v : encodeURIComponent(v);
  });
  const query = new URLSearchParams(rawQuery ?? '');
  for (const [k, v] of Object.entries(parts.query)) query.append(k, v);
  const qs = query.toString();
  const hasBody = Object.keys(parts.body).length > 0 || parts.payload !== undefined;
  const method = op.http.method ?? 'POST';
  return {
    method,
    path: qs ? `${path}?${qs}` : path,
    headers: { authorization: SIGNED(service), 'x-amz-date': '20261127T000000Z', 'content-type': 'application/json', ...parts.headers },
    body: parts.payload ?? (hasBody || method === 'POST' || method === 'PUT' || method === 'PATCH' ? JSON.stringify(parts.body) : undefined),
  };
}

/** Every case for one model: a valid request per operation, then broken variants of it. */
export function* sweepCases(modelFile: string, service: string, known: Known, seed: number): Generator<SweepCase> {
  const model = loadModel(modelFile);
  const random = generator(seed);
  const pick = <T>(a: T[]): T => a[Math.floor(random() * a.length)]!;
  const names = Object.keys(model.operations);
  // Destructive operations last, so the others still find the fixtures.
  const ordered = [...names.filter((n) => !/^(Delete|Remove)/.test(n)), ...names.filter((n) => /^(Delete|Remove)/.test(n))];
  for (const operation of ordered) {
    const op = model.operations[operation];
    const { parts, input } = build(model, op, known);
    const make = (variant: string, p: Parts, extra: Partial<SweepCase> = {}): SweepCase => ({ operation, variant, ...render(op, p, service), ...extra });
    const clone = (): Parts => JSON.parse(JSON.stringify(parts));

    yield make('valid', parts);
    // Missing resources.
    if (Object.keys(parts.labels).length) {
      const p = clone();
      for (const k of Object.keys(p.labels)) p.labels[k] = 'doesnotexist0';
      yield make('missing resource', p);
      for (const label of Object.keys(parts.labels)) {
        for (const bad of [pick(BAD_LABELS), pick(BAD_LABELS), '%zz', '..']) {
          const q = clone();
          q.labels[label] = bad;
          yield make(`label ${label}=${bad.slice(0, 20)}`, q);
        }
      }
    }
    // Missing required members: an empty body and no query string.
    {
      const p = clone();
      p.body = {};
      p.query = {};
      p.payload = undefined;
      yield make('missing required', p);
    }
    // Wrong JSON types in every body member.
    const bodyMembers = Object.entries<Shape>(input.members ?? {}).filter(([, m]) => !m.location && input.payload === undefined).map(([n, m]) => m.locationName ?? n);
    for (const member of bodyMembers) {
      for (let i = 0; i < 3; i++) {
        const p = clone();
        const bad = pick(BAD_VALUES);
        p.body[member] = bad;
        yield make(`body ${member}=${JSON.stringify(bad)?.slice(0, 30)}`, p);
      }
      if (/arn|role|uri|target/i.test(member)) {
        for (const arn of FOREIGN_ARNS) {
          const p = clone();
          p.body[member] = arn;
          yield make(`arn ${member}=${arn}`, p);
        }
      }
    }
    // Wrong values in query strings and headers.
    for (const key of Object.keys(parts.query)) {
      for (const bad of ['', 'abc', '-1', '99999999999999999999', '%zz', '\u0000']) {
        const p = clone();
        p.query[key] = bad;
        yield make(`query ${key}=${bad}`, p);
      }
    }
    for (const key of Object.keys(parts.headers)) {
      for (const bad of ['', 'Bogus', '-1', '\t x']) {
        const p = clone();
        p.headers[key] = bad;
        yield make(`header ${key}=${bad}`, p);
      }
    }
    // Unknown patch operations and paths.
    if ((input.members ?? {}).patchOperations) {
      for (const patch of BAD_PATCHES) {
        const p = clone();
        p.body.patchOperations = patch;
        yield make(`patch ${JSON.stringify(patch).slice(0, 60)}`, p);
      }
    }
    // Malformed bodies.
    for (const body of MALFORMED_BODIES) yield make(`malformed ${String(body).slice(0, 20)}`, parts, { body });
  }
}

export function send(endpoint: string, c: SweepCase): Promise<SweepAnswer> {
  const url = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const headers = c.body === undefined ? c.headers : { ...c.headers, 'content-length': String(Buffer.byteLength(c.body)) };
    const req = request({ host: url.hostname, port: url.port, method: c.method, path: c.path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (b: Buffer) => chunks.push(b));
      res.on('end', () => {
        const type = res.headers['x-amzn-errortype'];
        resolve({ status: res.statusCode ?? 0, errorType: Array.isArray(type) ? type[0] : type, body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', reject);
    });
    req.setTimeout(15_000, () => req.destroy(new Error(`timeout: ${c.operation} ${c.variant}`)));
    req.on('error', reject);
    req.end(c.body);
  });
}

/** What is wrong with an answer, or undefined if it is AWS-shaped. */
export function problem(answer: SweepAnswer, allowed5xx: RegExp): string | undefined {
  if (/\n\s+at .+:\d+:\d+\)?/.test(answer.body) || /node:internal|file:\/\//.test(answer.body)) return 'stack trace in body';
  // 501 UnknownOperationException is how Fogbank answers an operation it does not implement yet.
  if (answer.status === 501 && answer.errorType === 'UnknownOperationException') return undefined;
  if (answer.status >= 500) return allowed5xx.test(answer.errorType ?? '') ? undefined : `status ${answer.status}`;
  if (answer.status >= 400) {
    let parsed: any;
    try {
      parsed = JSON.parse(answer.body);
    } catch {
      return 'error body is not JSON';
    }
    if (!answer.errorType && !(parsed && (parsed.__type || parsed.message || parsed.Message))) return 'error without x-amzn-errortype, __type or message';
    return undefined;
  }
  if (answer.status < 200) return `status ${answer.status}`;
  return undefined;
}
