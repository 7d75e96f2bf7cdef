// Velocity mapping templates as API Gateway runs them (velocityjs renders): $input over a body
// (json, path, body, params), $context, $stageVariables and $util. Request templates see the
// client's body; response templates see the integration's, with the same request parameters.

import velocity from 'velocityjs';

export interface RequestParams {
  path: Record<string, string>;
  querystring: Record<string, string>;
  header: Record<string, string>;
}

export interface MappingInput {
  body: string;
  params: RequestParams;
  context: Record<string, unknown>;
  stageVariables?: Record<string, string>;
}

function parseBody(body: string): unknown {
  if (body.trim() === '') return {};
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/**
 * A JSONPath of the forms API Gateway templates use: $, $.a.b, $.a[0], $['a b'], $.a[*].b.
 * A wildcard yields the list of matches; a missing member yields undefined.
 */
export function jsonPath(root: unknown, path: string): unknown {
  const expr = path.trim();
  if (!expr.startsWith('$')) return undefined;
  const steps: Array<string | number | '*'> = [];
  const re = /\.([A-Za-z0-9_$-]+|\*)|\[\s*(?:'([^']*)'|"([^"]*)"|(\d+)|(\*))\s*\]/y;
  re.lastIndex = 1;
  while (re.lastIndex < expr.length) {
    const m = re.exec(expr);
    if (!m) return undefined;
    steps.push(m[1] === '*' || m[5] ? '*' : m[1] ?? m[2] ?? m[3] ?? Number(m[4]));
  }
  let current: unknown[] = [root];
  let many = false;
  for (const step of steps) {
    const next: unknown[] = [];
    for (const value of current) {
      if (value === null || typeof value !== 'object') continue;
      if (step === '*') {
        many = true;
        next.push(...(Array.isArray(value) ? value : Object.values(value)));
      } else if (Object.hasOwn(value, step)) {
        next.push((value as Record<string | number, unknown>)[step]);
      }
    }
    current = next;
  }
  return many ? current : current[0];
}

/** $util as API Gateway documents it. */
const util = {
  escapeJavaScript: (s: unknown) =>
    JSON.stringify(String(s ?? ''))
      .slice(1, -1)
      .replace(/'/g, "\\'"),
  parseJson: (s: unknown) => JSON.parse(String(s)),
  urlEncode: (s: unknown) => encodeURIComponent(String(s ?? '')).replace(/%20/g, '+'),
  urlDecode: (s: unknown) => decodeURIComponent(String(s ?? '').replace(/\+/g, ' ')),
  base64Encode: (s: unknown) => Buffer.from(String(s ?? ''), 'utf8').toString('base64'),
  base64Decode: (s: unknown) => Buffer.from(String(s ?? ''), 'base64').toString('utf8'),
};

/** Velocity renders objects as Java maps would; templates that print a value expect JSON-ish text. */
function inputOf(m: MappingInput) {
  let body: unknown;
  let parsedOnce = false;
  const root = () => {
    if (!parsedOnce) {
      body = parseBody(m.body);
      parsedOnce = true;
    }
    return body;
  };
  return {
    body: m.body,
    json: (path: string) => {
      const value = jsonPath(root(), path);
      return value === undefined ? '' : JSON.stringify(value);
    },
    path: (path: string) => jsonPath(root(), path),
    params: (name?: string) => {
      if (name === undefined) return m.params;
      const header = Object.entries(m.params.header).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
      return m.params.path[name] ?? m.params.querystring[name] ?? header ?? '';
    },
  };
}

/** Parsed templates by text: parsing costs more than rendering, and templates repeat per request. */
const parsed = new Map<string, ReturnType<typeof velocity.parse>>();

function astOf(template: string): ReturnType<typeof velocity.parse> {
  let ast = parsed.get(template);
  if (!ast) {
    ast = velocity.parse(template);
    if (parsed.size >= 500) parsed.clear();
    parsed.set(template, ast);
  }
  return ast;
}

// Fogbank's own guard, not an AWS limit: a range literal ([1..100000000]) or nested #foreach
// loops would otherwise hold the one event loop for seconds and allocate without bound. Past
// these, rendering throws and the request answers 500 like any template that cannot run.
const MAX_RANGE = 1_000_000;
const MAX_BLOCKS = 1_000_000;

type Literal = { isRange?: boolean; value: unknown[] };

class BoundedCompile extends velocity.Compile {
  private blocks = 0;

  getArray(literal: Literal): unknown {
    if (literal.isRange === true) {
      const self = this as unknown as { getReferences(exp: unknown): unknown };
      const [begin, end] = literal.value.map((exp) => Number(typeof exp === 'string' ? parseInt(exp, 10) : typeof exp === 'number' ? exp : self.getReferences(exp)));
      if (Math.abs(end! - begin!) > MAX_RANGE) throw new Error('Velocity range too large');
    }
    return (velocity.Compile.prototype as unknown as { getArray(l: Literal): unknown }).getArray.call(this, literal);
  }

  override renderAstList(...args: Parameters<velocity.Compile['renderAstList']>): string {
    if (++this.blocks > MAX_BLOCKS) throw new Error('Velocity template ran too long');
    return super.renderAstList(...args);
  }
}

/** Renders a template; a template Velocity cannot parse or run throws (the caller answers 500). */
export function renderTemplate(template: string, m: MappingInput): string {
  const context = {
    input: inputOf(m),
    context: m.context,
    stageVariables: m.stageVariables ?? {},
    util,
  };
  // Silent: a reference to nothing renders empty, as API Gateway's engine renders it.
  return new BoundedCompile(astOf(template), { escape: false }).render(context, {}, true);
}

/** The template for a content type: exact match, then application/json, as API Gateway picks. */
export function pickTemplate(templates: Record<string, string> | undefined, contentType: string | undefined): { template?: string; contentType?: string } {
  if (!templates || !Object.keys(templates).length) return {};
  const type = (contentType ?? 'application/json').split(';')[0]!.trim().toLowerCase();
  for (const [key, template] of Object.entries(templates)) if (key.toLowerCase() === type) return { template, contentType: key };
  return {};
}
