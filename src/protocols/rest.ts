// The rest-json and rest-xml protocols: the operation is found by method and URI template, and
// members bind to path labels, query parameters, headers and the body as the model's traits say.

import { Readable } from 'node:stream';
import { ServiceError } from '../errors.js';
import { fromJson, parseJsonText, toJson } from './json-body.js';
import { jsonErrorResponse } from './json.js';
import type { Operation, ServiceModel, Shape } from './model.js';
import { formatTimestamp, serializationError, setEntry, toBuffer } from './values.js';
import { elementToXml, escapeXml, escapeXmlAttribute, fromXml, membersToXml, parseXmlDocument, scalarFromText } from './xml-body.js';
import type { ProtocolCodec, WireRequest, WireResponse } from './wire.js';

interface Segment {
  literal?: string;
  label?: string;
  greedy?: boolean;
}

interface Route {
  op: Operation;
  method: string;
  segments: Segment[];
  /** Query parameters the URI template or a required member needs, with the value it requires (if any). */
  queryLiterals: Array<[string, string | undefined]>;
  /** Headers that required members are bound to: S3's CopyObject is PutObject's URI plus x-amz-copy-source. */
  requiredHeaders: string[];
  score: number;
}

const routesCache = new WeakMap<ServiceModel, Route[]>();
interface RouteMatch {
  op: Operation;
  labels: Record<string, string>;
  /** Query parameters the route itself names: not part of a query-string map member. */
  queryLiterals: string[];
}

const matchCache = new WeakMap<WireRequest, RouteMatch | null>();

function compileRoutes(model: ServiceModel): Route[] {
  let routes = routesCache.get(model);
  if (routes) return routes;
  routes = [];
  for (const op of Object.values(model.operations)) {
    if (!op.http) continue;
    const [pathPart, queryPart = ''] = (op.http.requestUri ?? '/').split('?');
    const segments: Segment[] = pathPart!.split('/').filter((s, i) => i > 0 && s !== '').map((s) => {
      const m = /^\{([^}+]+)(\+)?\}$/.exec(s);
      return m ? { label: m[1]!, greedy: m[2] === '+' } : { literal: s };
    });
    // x-id names the operation for the SDKs' own logging; clients that omit it still mean the same operation.
    const queryLiterals = [...new URLSearchParams(queryPart)]
      .filter(([k]) => k !== 'x-id')
      .map(([k, v]): [string, string | undefined] => [k, v === '' ? undefined : v]);
    const input = model.input(op);
    const requiredHeaders: string[] = [];
    for (const name of input.required ?? []) {
      const member = model.resolve(input.members?.[name]);
      if (member.location === 'header') requiredHeaders.push((member.locationName ?? name).toLowerCase());
      if (member.location === 'querystring' && !queryLiterals.some(([k]) => k === (member.locationName ?? name))) queryLiterals.push([member.locationName ?? name, undefined]);
    }
    const literals = segments.filter((s) => s.literal).length;
    // Ties go to the non-greedy route, and to the current operation over a deprecated twin.
    const score = literals * 100 + (queryLiterals.length + requiredHeaders.length) * 10 - (segments.some((s) => s.greedy) ? 1 : 0) - (op.deprecated ? 5 : 0);
    // The models leave out the method where it is POST, the rest protocols' default.
    routes.push({ op, method: op.http.method ?? 'POST', segments, queryLiterals, requiredHeaders, score });
  }
  routes.sort((a, b) => b.score - a.score);
  routesCache.set(model, routes);
  return routes;
}

function decode(text: string): string {
  // Most segments carry no escapes: nothing to decode (every route tried decodes them again).
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    throw new ServiceError('InvalidURI', "Couldn't parse the specified URI.");
  }
}

function matchRoute(route: Route, parts: string[], req: WireRequest): Record<string, string> | undefined {
  if (route.method !== req.method) return undefined;
  const labels: Record<string, string> = {};
  let i = 0;
  for (const segment of route.segments) {
    if (segment.greedy) {
      const rest = parts.slice(i).join('/');
      if (rest === '') return undefined;
      labels[segment.label!] = decode(rest);
      i = parts.length;
      break;
    }
    const part = parts[i++];
    if (part === undefined || part === '') return undefined;
    if (segment.literal !== undefined ? decode(part) !== segment.literal : false) return undefined;
    if (segment.label) labels[segment.label] = decode(part);
  }
  // A single trailing slash is not a segment of its own.
  if (i < parts.length && !(i === parts.length - 1 && parts[i] === '')) return undefined;
  for (const header of route.requiredHeaders) if (req.headers[header] === undefined) return undefined;
  for (const [name, value] of route.queryLiterals) {
    const found = req.query.find(([k]) => k === name);
    if (!found || (value !== undefined && found[1] !== value)) return undefined;
  }
  return labels;
}

function findRoute(req: WireRequest, model: ServiceModel): RouteMatch | undefined {
  if (matchCache.has(req)) return matchCache.get(req) ?? undefined;
  const parts = req.path.split('/').slice(1);
  let found: RouteMatch | null = null;
  for (const route of compileRoutes(model)) {
    const labels = matchRoute(route, parts, req);
    if (labels) {
      found = { op: route.op, labels, queryLiterals: route.queryLiterals.map(([k]) => k) };
      break;
    }
  }
  matchCache.set(req, found);
  return found ?? undefined;
}

function headerValue(text: string, shape: Shape, model: ServiceModel, path: string): unknown {
  if (shape.type === 'list') {
    const item = model.resolve(shape.member);
    // HTTP dates contain a comma of their own ("Fri, 02 Jan 2026 ..."): split only after GMT.
    const parts = item.type === 'timestamp' ? text.split(/(?<=GMT)\s*,\s*/) : text.split(',');
    return parts.map((part) => scalarFromText(part.trim(), item, path));
  }
  if (shape.jsonvalue) {
    try {
      return JSON.parse(Buffer.from(text, 'base64').toString('utf8'));
    } catch {
      throw serializationError(`Invalid JSON value in header for '${path}'`);
    }
  }
  return scalarFromText(text, shape, path);
}

function headerText(value: unknown, shape: Shape): string {
  if (shape.type === 'timestamp') return String(formatTimestamp(value, shape.timestampFormat ?? 'rfc822'));
  if (shape.jsonvalue) return Buffer.from(JSON.stringify(value)).toString('base64');
  if (shape.type === 'list') return (value as unknown[]).map(String).join(',');
  if (shape.type === 'blob') return toBuffer(value).toString('base64');
  return String(value);
}

type BodyFormat = 'json' | 'xml';

function parseBody(body: Buffer, shape: Shape, model: ServiceModel, format: BodyFormat): Record<string, unknown> {
  if (body.length === 0) return {};
  if (format === 'json') return (fromJson(parseJsonText(body), shape, model, '') ?? {}) as Record<string, unknown>;
  const doc = parseXmlDocument(body);
  return fromXml(doc.children, shape, model, '', doc.attributes) as Record<string, unknown>;
}

function parseRest(req: WireRequest, op: Operation, model: ServiceModel, format: BodyFormat): Record<string, unknown> {
  const shape = model.input(op);
  const match = findRoute(req, model);
  const labels = match?.labels ?? {};
  const input: Record<string, unknown> = {};
  const boundQuery = new Set<string>(match?.queryLiterals);
  let queryMapMember: [string, Shape] | undefined;
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    const member = model.resolve(ref);
    const wireName = member.locationName ?? name;
    switch (member.location) {
      case 'uri':
        if (labels[wireName] !== undefined) input[name] = scalarFromText(labels[wireName]!, member, name);
        break;
      case 'querystring': {
        if (member.type === 'map') {
          queryMapMember = [name, member];
          break;
        }
        boundQuery.add(wireName);
        const values = req.query.filter(([k]) => k === wireName).map(([, v]) => v);
        if (values.length === 0) break;
        if (member.type === 'list') input[name] = values.map((v) => scalarFromText(v, model.resolve(member.member), name));
        else input[name] = scalarFromText(values[0]!, member, name);
        break;
      }
      case 'header': {
        const text = req.headers[wireName.toLowerCase()];
        if (text !== undefined) input[name] = headerValue(text, member, model, name);
        break;
      }
      case 'headers': {
        const prefix = wireName.toLowerCase();
        const map: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) if (k.startsWith(prefix)) setEntry(map, k.slice(prefix.length), v);
        if (Object.keys(map).length) input[name] = map;
        break;
      }
    }
  }
  if (queryMapMember) {
    const [name, member] = queryMapMember;
    const listValued = model.resolve(member.value).type === 'list';
    const map: Record<string, string | string[]> = {};
    for (const [k, v] of req.query) {
      if (boundQuery.has(k)) continue;
      const existing = Object.hasOwn(map, k) ? map[k] : undefined;
      if (listValued) setEntry(map, k, [...((existing as string[] | undefined) ?? []), v]);
      else if (existing === undefined) setEntry(map, k, v);
    }
    if (Object.keys(map).length) input[name] = map;
  }
  if (shape.payload) {
    const member = model.resolve(shape.members![shape.payload]);
    if (member.type === 'blob') input[shape.payload] = req.stream ?? req.body;
    else if (member.type === 'string') {
      if (req.body.length) input[shape.payload] = req.body.toString('utf8');
    }
    else if (req.body.length) input[shape.payload] = parseBody(req.body, member, model, format);
  } else {
    Object.assign(input, parseBody(req.body, shape, model, format));
  }
  return input;
}

function serializeRest(output: Record<string, unknown>, op: Operation, model: ServiceModel, requestId: string, format: BodyFormat): WireResponse {
  const shape = model.output(op);
  // S3 names its request id differently from every other rest service.
  const headers: Record<string, string> = format === 'xml' ? { 'x-amz-request-id': requestId, 'x-amz-id-2': hostId(requestId) } : { 'x-amzn-requestid': requestId };
  let status = op.http?.responseCode ?? 200;
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    const value = output[name];
    if (value === undefined || value === null) continue;
    const member = model.resolve(ref);
    if (member.location === 'header') headers[(member.locationName ?? name).toLowerCase()] = headerText(value, member);
    else if (member.location === 'headers') {
      for (const [k, v] of Object.entries(value as Record<string, string>)) headers[(member.locationName ?? '').toLowerCase() + k] = v;
    } else if (member.location === 'statusCode') status = Number(value);
  }
  let body: Buffer | string | Readable | undefined;
  const contentType = format === 'json' ? 'application/json' : 'application/xml';
  if (shape.payload) {
    const member = model.resolve(shape.members![shape.payload]);
    const value = output[shape.payload];
    if (value !== undefined && value !== null) {
      if (value instanceof Readable) body = value;
      else if (member.type === 'blob' || member.type === 'string') body = typeof value === 'string' ? value : toBuffer(value);
      else if (format === 'json') body = JSON.stringify(toJson(value, member, model));
      else body = xmlDocument(elementToXml(member.locationName ?? shape.payload, value, member, model));
      if (member.type === 'structure') headers['content-type'] ??= contentType;
    }
  } else if (Object.values(shape.members ?? {}).some((ref) => !model.resolve(ref).location)) {
    headers['content-type'] = contentType;
    if (format === 'json') body = JSON.stringify(toJson(output, shape, model));
    else {
      const root = shape.locationName ?? `${op.name}Result`;
      const ns = shape.xmlNamespace?.uri ?? (model.metadata.xmlNamespace ? model.metadata.xmlNamespace : undefined);
      body = xmlDocument(`<${root}${ns ? ` xmlns="${escapeXmlAttribute(ns)}"` : ''}>${membersToXml(output, shape, model)}</${root}>`);
    }
  }
  return { status, headers, body };
}

/** S3's x-amz-id-2: an opaque base64 token; derived from the request id so it is stable per request. */
export function hostId(requestId: string): string {
  return Buffer.from(requestId.replace(/-/g, '').repeat(2), 'hex').toString('base64');
}

function xmlDocument(xml: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${xml}`;
}

function unknownRestOperation(name: string | undefined, serviceId: string, known: boolean, code: string): ServiceError {
  if (known) return new ServiceError(code, `The operation ${name} is not implemented by ${serviceId} in Fogbank.`, { status: 501 });
  return new ServiceError('UnknownOperationException', `No ${serviceId} operation matches this request.`, { status: 404 });
}

export const restJsonCodec: ProtocolCodec = {
  findOperation: (req, model) => findRoute(req, model)?.op,
  parse: (req, op, model) => parseRest(req, op, model, 'json'),
  serialize: (output, op, model, meta) => serializeRest(output, op, model, meta.requestId, 'json'),
  serializeError: (error, model, meta, style) => jsonErrorResponse(error, model, meta, style, 'application/json'),
  unknownOperationError: (name, serviceId, known) => unknownRestOperation(name, serviceId, known, 'UnknownOperationException'),
};

export const restXmlCodec: ProtocolCodec = {
  findOperation: (req, model) => findRoute(req, model)?.op,
  parse: (req, op, model) => parseRest(req, op, model, 'xml'),
  serialize: (output, op, model, meta) => serializeRest(output, op, model, meta.requestId, 'xml'),
  serializeError(error, _model, meta) {
    const extra = Object.entries(error.fields).map(([k, v]) => `<${k}>${escapeXml(String(v))}</${k}>`).join('');
    const body = xmlDocument(
      `<Error><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message>${extra}<RequestId>${meta.requestId}</RequestId></Error>`,
    );
    return { status: error.status, headers: { 'content-type': 'application/xml', 'x-amz-request-id': meta.requestId, 'x-amz-id-2': hostId(meta.requestId), ...error.headers }, body };
  },
  unknownOperationError: (name, serviceId, known) =>
    known ? unknownRestOperation(name, serviceId, known, 'NotImplemented') : new ServiceError('MethodNotAllowed', 'The specified method is not allowed against this resource.', { status: 405 }),
};
