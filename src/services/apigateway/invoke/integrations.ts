// REST API integrations other than the Lambda proxy: AWS (Lambda, non-proxy), HTTP and MOCK with
// request and response mapping templates, and HTTP_PROXY (the request passed through to a real
// HTTP endpoint and its answer passed back). Integration responses are chosen by selectionPattern:
// against the backend's status code (HTTP), the function's errorMessage (Lambda) or the status a
// MOCK request template names.

import { boundedTest } from './bounded-regex.js';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type * as AG from '@aws-sdk/client-api-gateway';
import type * as L from '@aws-sdk/client-lambda';
import type { WireRequest, WireResponse } from '../../../protocols/wire.js';
import { lambdaTarget, withStageVariables } from '../lambda-uri.js';
import type { ApiLocation, IntegrationRecord } from '../state.js';
import { jsonPath, pickTemplate, renderTemplate, type MappingInput, type RequestParams } from './mapping.js';
import type { Invoker } from './serve.js';

/** What the backend answered, before integration responses map it. */
export interface BackendAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** What selectionPattern is matched against. */
  selector: string;
}

export class IntegrationFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const HOP_BY_HOP = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'content-length', 'te', 'trailer', 'proxy-authorization']);

/** A parameter mapping's source: 'literal', method.request.<where>.<name>, method.request.body, stageVariables.x, context.x. */
function source(expr: string, m: MappingInput): string | undefined {
  const literal = /^'(.*)'$/s.exec(expr);
  if (literal) return literal[1];
  const param = /^method\.request\.(path|querystring|header)\.(.+)$/.exec(expr);
  if (param) {
    const where = m.params[param[1] as keyof RequestParams];
    if (param[1] !== 'header') return where[param[2]!];
    return Object.entries(where).find(([k]) => k.toLowerCase() === param[2]!.toLowerCase())?.[1];
  }
  if (expr === 'method.request.body') return m.body;
  const body = /^method\.request\.body\.(.+)$/.exec(expr);
  if (body) return stringOf(jsonPath(safeJson(m.body), `$.${body[1]}`));
  const stage = /^stageVariables\.(.+)$/.exec(expr);
  if (stage) return m.stageVariables?.[stage[1]!];
  const context = /^context\.(.+)$/.exec(expr);
  if (context) return stringOf(jsonPath(m.context, `$.${context[1]}`));
  return undefined;
}

const safeJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};
const stringOf = (v: unknown) => (v === undefined || v === null ? undefined : typeof v === 'string' ? v : JSON.stringify(v));

/** The integration request's path, query and header parameters, from its requestParameters mapping. */
function mappedParams(integration: IntegrationRecord, m: MappingInput): RequestParams {
  const out: RequestParams = { path: {}, querystring: {}, header: {} };
  for (const [target, expr] of Object.entries(integration.requestParameters ?? {})) {
    const t = /^integration\.request\.(path|querystring|header)\.(.+)$/.exec(target);
    const value = source(expr, m);
    if (t && value !== undefined) out[t[1] as keyof RequestParams][t[2]!] = value;
  }
  return out;
}

/** The endpoint URL: stage variables and {path} parameters substituted, query parameters added. */
function endpointUrl(uri: string, params: RequestParams, m: MappingInput, proxy: boolean, rawQuery: Array<[string, string]>): URL {
  const withVariables = uri.replace(/\$\{stageVariables\.([^}]+)\}/g, (_, name: string) => m.stageVariables?.[name] ?? '');
  const withPath = withVariables.replace(/\{([^}+]+)\+?\}/g, (whole, name: string) => {
    // A greedy {proxy} keeps its slashes; other parameters are one encoded segment.
    const value = params.path[name] ?? (proxy ? m.params.path[name] : undefined);
    if (value === undefined) return whole;
    return whole.endsWith('+}') || name === 'proxy' ? value.split('/').map(encodeURIComponent).join('/') : encodeURIComponent(value);
  });
  const url = new URL(withPath);
  if (proxy) for (const [k, v] of rawQuery) url.searchParams.append(k, v);
  for (const [k, v] of Object.entries(params.querystring)) url.searchParams.set(k, v);
  return url;
}

function send(url: URL, method: string, headers: Record<string, string>, body: Buffer, insecure: boolean): Promise<BackendAnswer> {
  return new Promise((resolve, reject) => {
    const call = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = call(url, { method, headers: { ...headers, 'content-length': String(body.length) }, rejectUnauthorized: !insecure }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const out: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = Array.isArray(v) ? v.join(', ') : v;
        resolve({ status: res.statusCode ?? 502, headers: out, body: Buffer.concat(chunks), selector: String(res.statusCode ?? '') });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The integration request's body: a matching template rendered, or the client's body as passthroughBehavior allows. */
export function requestBody(integration: IntegrationRecord, req: WireRequest, m: MappingInput): Buffer {
  const templates = integration.requestTemplates;
  const { template } = pickTemplate(templates, req.headers['content-type']);
  if (template !== undefined) return Buffer.from(renderTemplate(template, m));
  const anyTemplates = !!templates && Object.keys(templates).length > 0;
  const behavior = integration.passthroughBehavior ?? 'WHEN_NO_MATCH';
  if (behavior === 'NEVER' || (behavior === 'WHEN_NO_TEMPLATES' && anyTemplates)) throw new IntegrationFailure(415, 'Unsupported Media Type');
  return req.body;
}

/** Calls the backend of an AWS (Lambda), HTTP, HTTP_PROXY or MOCK integration. */
export async function callBackend(integration: IntegrationRecord, req: WireRequest, m: MappingInput, location: ApiLocation, invoke: Invoker): Promise<BackendAnswer> {
  const proxy = integration.type === 'HTTP_PROXY';
  if (integration.type === 'MOCK') {
    const body = requestBody(integration, req, m).toString('utf8');
    const status = /"statusCode"\s*:\s*"?(\d{3})/.exec(body)?.[1] ?? '200';
    return { status: Number(status), headers: {}, body: Buffer.alloc(0), selector: status };
  }
  if (integration.type === 'AWS') {
    const functionArn = lambdaTarget(withStageVariables(integration.uri, m.stageVariables));
    if (!functionArn) throw new IntegrationFailure(500, 'Internal server error');
    const payload = requestBody(integration, req, m);
    const out = (await invoke(location, { FunctionName: functionArn, Payload: payload.length ? payload : Buffer.from('{}') })) as L.InvocationResponse;
    const body = Buffer.from(out.Payload ?? []);
    const selector = out.FunctionError ? String((safeJson(body.toString('utf8')) as { errorMessage?: unknown } | undefined)?.errorMessage ?? '') : '';
    return { status: 200, headers: { 'content-type': 'application/json' }, body, selector };
  }
  const params = mappedParams(integration, m);
  const url = endpointUrl(integration.uri ?? '', params, m, proxy, req.query);
  const method = !integration.httpMethod || integration.httpMethod === 'ANY' ? req.method : integration.httpMethod;
  const headers: Record<string, string> = {};
  if (proxy) for (const [k, v] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(k)) headers[k] = v;
  for (const [k, v] of Object.entries(params.header)) headers[k.toLowerCase()] = v;
  const body = proxy ? req.body : requestBody(integration, req, m);
  if (!proxy) headers['content-type'] ??= req.headers['content-type'] ?? 'application/json';
  try {
    return await send(url, method, headers, body, integration.tlsConfig?.insecureSkipVerification === true);
  } catch {
    throw new IntegrationFailure(500, 'Internal server error');
  }
}

/** The integration response a backend answer selects: the first whose pattern matches, else the default. */
function selectResponse(integration: IntegrationRecord, selector: string): AG.IntegrationResponse | undefined {
  const responses = Object.values(integration.integrationResponses ?? {});
  const matched = responses.find((r) => {
    if (!r.selectionPattern) return false;
    return boundedTest(`^(?:${r.selectionPattern})$`, 's', selector) === 'match';
  });
  return matched ?? responses.find((r) => !r.selectionPattern);
}

/** Maps a backend answer through the selected integration response: status, header parameters, template. */
export function mapResponse(integration: IntegrationRecord, answer: BackendAnswer, req: WireRequest, m: MappingInput): WireResponse {
  const chosen = selectResponse(integration, answer.selector);
  if (!chosen) throw new IntegrationFailure(500, 'Internal server error');
  const text = answer.body.toString('utf8');
  const headers: Record<string, string> = {};
  for (const [param, expr] of Object.entries(chosen.responseParameters ?? {})) {
    const name = /^method\.response\.header\.(.+)$/.exec(param)?.[1];
    if (!name) continue;
    const literal = /^'(.*)'$/s.exec(expr)?.[1];
    const header = /^integration\.response\.header\.(.+)$/.exec(expr)?.[1];
    const bodyPath = /^integration\.response\.body(?:\.(.+))?$/.exec(expr);
    const value = literal ?? (header ? answer.headers[header.toLowerCase()] : bodyPath ? (bodyPath[1] ? stringOf(jsonPath(safeJson(text), `$.${bodyPath[1]}`)) : text) : undefined);
    if (value !== undefined) headers[name.toLowerCase()] = value;
  }
  const accept = req.headers.accept?.split(',')[0]?.trim();
  const byAccept = pickTemplate(chosen.responseTemplates, accept && accept !== '*/*' ? accept : undefined);
  const picked = byAccept.template !== undefined ? byAccept : pickTemplate(chosen.responseTemplates, Object.keys(chosen.responseTemplates ?? {})[0]);
  let body: string | Buffer = answer.body;
  if (picked.template !== undefined && picked.template !== '') {
    body = renderTemplate(picked.template, { ...m, body: text });
  } else if (integration.type === 'MOCK') {
    body = '';
  }
  headers['content-type'] ??= picked.contentType ?? answer.headers['content-type'] ?? 'application/json';
  return { status: Number(chosen.statusCode), headers, body };
}

/** HTTP_PROXY answers pass through unchanged. */
export function proxyAnswer(answer: BackendAnswer): WireResponse {
  return { status: answer.status, headers: answer.headers, body: answer.body };
}
