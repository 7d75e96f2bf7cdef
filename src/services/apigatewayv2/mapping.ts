// HTTP API parameter mapping: an integration's RequestParameters change the request before it
// reaches the backend (append|overwrite|remove:header.<name>, append|overwrite|remove:querystring.<name>,
// overwrite:path), and its ResponseParameters, per status code the backend answers, change the
// answer (append|overwrite|remove:header.<name>, overwrite:statuscode). Values are static text with
// $request.*, $response.*, $context.* and $stageVariables.* expressions, bare or as ${...}.
// Validation messages are Fogbank's wording (unconfirmed); the reserved headers are AWS's list.

import type { WireRequest, WireResponse } from '../../protocols/wire.js';
import { badRequest } from './state.js';

/** What expressions read at run time. */
export interface MappingSources {
  req: WireRequest;
  path: string;
  pathParameters: Record<string, string>;
  stageVariables?: Record<string, string>;
  context: Record<string, unknown>;
  response?: WireResponse;
}

const EXPRESSION = /\$\{([^}]*)\}|\$((?:request|response|context|stageVariables)(?:\.[A-Za-z0-9_\-[\]]+)*)/g;
const REQUEST_SOURCE = /^(request\.(header|querystring|path)\.[^.\s]+|request\.path|request\.body(\.[^\s]+)?|context\.[A-Za-z0-9._]+|stageVariables\.[A-Za-z0-9_]+)$/;
const RESPONSE_SOURCE = /^(response\.header\.[^.\s]+|response\.body(\.[^\s]+)?|context\.[A-Za-z0-9._]+|stageVariables\.[A-Za-z0-9_]+)$/;
const RESERVED = /^(access-control-.*|apigw-.*|authorization|connection|content-encoding|content-length|content-location|forwarded|keep-alive|origin|proxy-authenticate|proxy-authorization|te|trailers?|transfer-encoding|upgrade|x-amz-.*|x-amzn-.*|x-forwarded-for|x-forwarded-host|x-forwarded-proto|via)$/i;

function checkValue(value: string, allowed: RegExp, key: string): void {
  for (const m of value.matchAll(EXPRESSION)) {
    const source = m[1] ?? m[2]!;
    if (!allowed.test(source)) throw badRequest(`Invalid mapping expression specified: ${value} for ${key}`);
  }
}

function checkHeader(name: string, key: string): void {
  if (!name || RESERVED.test(name)) throw badRequest(`Invalid mapping key specified: ${key}. Header ${name} is reserved.`);
}

export function checkRequestParameters(params: Record<string, string> | undefined): void {
  for (const [key, value] of Object.entries(params ?? {})) {
    const m = /^(append|overwrite|remove):(header|querystring)\.(.+)$/.exec(key);
    if (!m && key !== 'overwrite:path') throw badRequest(`Invalid mapping key specified: ${key}`);
    if (m?.[2] === 'header') checkHeader(m[3]!, key);
    checkValue(value, REQUEST_SOURCE, key);
  }
}

export function checkResponseParameters(params: Record<string, Record<string, string>> | undefined): void {
  for (const [status, mappings] of Object.entries(params ?? {})) {
    if (!/^[1-5]\d\d$/.test(status)) throw badRequest(`Invalid status code specified: ${status}`);
    for (const [key, value] of Object.entries(mappings ?? {})) {
      const m = /^(append|overwrite|remove):header\.(.+)$/.exec(key);
      if (!m && key !== 'overwrite:statuscode') throw badRequest(`Invalid mapping key specified: ${key}`);
      if (m) checkHeader(m[2]!, key);
      checkValue(value, RESPONSE_SOURCE, key);
      if (key === 'overwrite:statuscode' && !value.includes('$') && !/^[1-5]\d\d$/.test(value)) throw badRequest(`Invalid status code specified: ${value}`);
    }
  }
}

/** a.b[0].c of a parsed JSON value. */
function walk(value: unknown, path: string): unknown {
  let at = value;
  for (const part of path.split(/\.|\[(\d+)\]/).filter((p) => p !== undefined && p !== '')) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return at;
}

const text = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : typeof v === 'string' ? v : JSON.stringify(v));

/** A body as text (a streamed body is not read). */
const bodyText = (body: WireResponse['body']): string => (Buffer.isBuffer(body) ? body.toString('utf8') : typeof body === 'string' ? body : '');

function parsed(body: WireResponse['body']): unknown {
  try {
    return JSON.parse(bodyText(body));
  } catch {
    return undefined;
  }
}

function source(expr: string, s: MappingSources): string | undefined {
  const [root, where, ...rest] = expr.split('.');
  const name = rest.join('.');
  if (root === 'stageVariables') return s.stageVariables?.[[where, ...rest].join('.')];
  if (root === 'context') return text(walk(s.context, [where, ...rest].join('.')));
  const headers = root === 'request' ? s.req.headers : s.response?.headers ?? {};
  if (where === 'header') {
    const wanted = name.toLowerCase();
    return Object.entries(headers).find(([k]) => k.toLowerCase() === wanted)?.[1];
  }
  if (where === 'body') {
    const body = root === 'request' ? s.req.body : s.response?.body ?? '';
    if (!name) return bodyText(body);
    return text(walk(parsed(body), name));
  }
  if (root !== 'request') return undefined;
  if (where === 'querystring') {
    const values = s.req.query.filter(([k]) => k === name).map(([, v]) => v);
    return values.length ? values.join(',') : undefined;
  }
  if (where === 'path') return name ? s.pathParameters[name] : s.path;
  return undefined;
}

/** A mapping value with its expressions filled in; undefined when it is one expression that has no value. */
function evaluate(value: string, s: MappingSources): string | undefined {
  const whole = /^\$\{([^}]*)\}$|^\$((?:request|response|context|stageVariables)\S*)$/.exec(value);
  if (whole) return source(whole[1] ?? whole[2]!, s);
  return value.replace(EXPRESSION, (_, braced: string | undefined, bare: string | undefined) => source(braced ?? bare!, s) ?? '');
}

/** The request as the backend receives it: headers, query and path after the request parameters. */
export function mapRequest(params: Record<string, string>, s: MappingSources): { headers: Record<string, string>; query: Array<[string, string]>; path?: string } {
  const headers = { ...s.req.headers };
  let query = [...s.req.query];
  let path: string | undefined;
  const entries = Object.entries(params).map(([key, value]) => ({ key, value: key.startsWith('remove:') ? undefined : evaluate(value, s) }));
  // Every value reads the client's request; removals apply first, then overwrites, then appends.
  for (const action of ['remove', 'overwrite', 'append']) {
    for (const { key, value } of entries) {
      if (!key.startsWith(`${action}:`)) continue;
      if (key === 'overwrite:path') {
        if (value !== undefined) path = value;
        continue;
      }
      const [, where, name] = /^\w+:(header|querystring)\.(.+)$/.exec(key)!;
      if (where === 'header') {
        const lower = name!.toLowerCase();
        if (action === 'remove') delete headers[lower];
        else if (value !== undefined) headers[lower] = action === 'append' && headers[lower] !== undefined ? `${headers[lower]},${value}` : value;
      } else if (action === 'remove' || (action === 'overwrite' && value !== undefined)) {
        query = query.filter(([k]) => k !== name);
        if (action === 'overwrite') query.push([name!, value!]);
      } else if (value !== undefined) {
        query.push([name!, value]);
      }
    }
  }
  return { headers, query, path };
}

/** The answer after the response parameters for its status code, if any. */
export function mapResponse(params: Record<string, Record<string, string>>, response: WireResponse, s: MappingSources): WireResponse {
  const mappings = params[String(response.status)];
  if (!mappings) return response;
  const sources = { ...s, response };
  const headers = { ...response.headers };
  let status = response.status;
  for (const action of ['remove', 'overwrite', 'append']) {
    for (const [key, raw] of Object.entries(mappings)) {
      if (!key.startsWith(`${action}:`)) continue;
      const value = action === 'remove' ? undefined : evaluate(raw, sources);
      if (key === 'overwrite:statuscode') {
        const code = Number(value);
        if (Number.isInteger(code) && code >= 100 && code <= 599) status = code;
        continue;
      }
      const lower = key.slice(key.indexOf('.') + 1).toLowerCase();
      if (action === 'remove') delete headers[lower];
      else if (value !== undefined) headers[lower] = action === 'append' && headers[lower] !== undefined ? `${headers[lower]},${value}` : value;
    }
  }
  return { ...response, status, headers };
}
