// Errors the gateway itself answers, and their rewording by the deployment's gateway responses.
// Every such error is built by gatewayError(), which tags it with its response type; the invoke
// entry point hands each answer to withGatewayResponse(), which returns untagged answers (the
// integration's) unchanged and rewrites tagged ones when the stage's deployment customizes their
// type or its DEFAULT_4XX/5XX family: status code, headers mapped from the request ('static',
// method.request.*, stageVariables.*, context.*) and a template with simple $context and
// $stageVariables substitution (not Velocity, as in AWS).

import type { WireRequest, WireResponse } from '../../../protocols/wire.js';
import type { Store } from '../../../store/store.js';
import { DEFAULT_TEMPLATE, effectiveResponse, familyOf, type GatewayResponseRecord, type ResponseType } from '../gateway-responses.js';
import type { DeploymentRecord, StageRecord } from '../state.js';
import { servedStage } from './stage-cache.js';
import { requestTime } from './proxy-event.js';
import { findRoute, type Route } from './routing.js';
import type { Target } from './serve.js';

const GATEWAY_ERROR = Symbol('apigateway.gatewayError');

interface GatewayError {
  type: ResponseType;
  message: string | null;
}

type TaggedResponse = WireResponse & { [GATEWAY_ERROR]?: GatewayError };

/**
 * An error answered by the gateway: AWS's default body ({"message": ...} unless given) and its
 * x-amzn-ErrorType, tagged with the gateway response type that may reword it.
 */
export function gatewayError(type: ResponseType, status: number, errorType: string, message: string | null, requestId?: string, body: unknown = { message }): WireResponse {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-amzn-errortype': errorType };
  if (requestId) headers['x-amzn-requestid'] = requestId;
  const response: TaggedResponse = { status, headers, body: JSON.stringify(body) };
  response[GATEWAY_ERROR] = { type, message };
  return response;
}

/** The stage's deployment, from the invoke path's in-memory cache (stage-cache.ts). */
function deploymentFor(store: Store, target: Target): { deployment: DeploymentRecord; stage: StageRecord; account: string } | undefined {
  const served = servedStage(store, target.apiId, target.stage);
  return served?.stage && served.deployment ? { deployment: served.deployment, stage: served.stage, account: served.location.account } : undefined;
}

const text = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : typeof v === 'string' ? v : JSON.stringify(v));

function dotted(root: unknown, path: string): unknown {
  let value = root;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

interface Inputs {
  req: WireRequest;
  route?: Route;
  stageVariables: Record<string, string>;
  context: Record<string, unknown>;
}

/** A header mapping's value: 'static', method.request.{header,querystring,path,multivalue*}.x, stageVariables.x, context.x. */
function headerValue(expr: string, input: Inputs): string | undefined {
  const literal = /^'(.*)'$/s.exec(expr);
  if (literal) return literal[1];
  const m = /^method\.request\.(header|querystring|path|multivalueheader|multivaluequerystring)\.(.+)$/.exec(expr);
  if (m) {
    const name = m[2]!;
    if (m[1] === 'header' || m[1] === 'multivalueheader') return input.req.headers[name.toLowerCase()];
    if (m[1] === 'path') return input.route?.pathParameters[name];
    const values = input.req.query.filter(([k]) => k === name).map(([, v]) => v);
    if (!values.length) return undefined;
    return m[1] === 'querystring' ? values[values.length - 1] : values.join(',');
  }
  const stage = /^stageVariables\.(.+)$/.exec(expr);
  if (stage) return input.stageVariables[stage[1]!];
  const context = /^context\.(.+)$/.exec(expr);
  if (context) return text(dotted(input.context, context[1]!));
  return undefined;
}

/** Simple substitution of $context.a.b / ${context.a.b} and $stageVariables.x; unknown names render empty. */
function substitute(template: string, input: Inputs): string {
  return template.replace(/\$\{(context|stageVariables)((?:\.\w+)+)\}|\$(context|stageVariables)((?:\.\w+)+)/g, (_whole, braced, bracedPath, bare, barePath) => {
    const root = (braced ?? bare) === 'context' ? input.context : input.stageVariables;
    return text(dotted(root, String(bracedPath ?? barePath).slice(1))) ?? '';
  });
}

/** The template for the client's Accept type, else application/json, else the first. */
function pickTemplate(templates: Record<string, string>, accept: string | undefined): [string, string] | undefined {
  const entries = Object.entries(templates);
  const wanted = accept?.split(',')[0]?.split(';')[0]?.trim().toLowerCase();
  return entries.find(([k]) => k.toLowerCase() === wanted) ?? entries.find(([k]) => k.toLowerCase() === 'application/json') ?? entries[0];
}

/** The answer as the deployment's gateway responses word it (untagged answers pass through). */
export function withGatewayResponse(store: Store, req: WireRequest, target: Target, response: WireResponse, now: number): WireResponse {
  const error = (response as TaggedResponse)[GATEWAY_ERROR];
  if (!error) return response;
  const found = deploymentFor(store, target);
  const customized: Record<string, GatewayResponseRecord> = found?.deployment.gatewayResponses ?? {};
  const family = familyOf(error.type) ?? error.type;
  if (!found || (!customized[error.type] && !customized[family])) return response;
  const chosen = effectiveResponse(error.type, customized);
  const { deployment, stage } = found;
  const route = findRoute(deployment.resources, req.method, target.path);
  const requestId = response.headers['x-amzn-requestid'];
  const input: Inputs = {
    req,
    route,
    stageVariables: stage.variables ?? {},
    context: {
      accountId: found.account,
      apiId: target.apiId,
      domainName: target.domainName,
      domainPrefix: target.domainName.split('.')[0],
      httpMethod: req.method,
      path: `/${stage.stageName}${target.path}`,
      protocol: 'HTTP/1.1',
      requestId,
      requestTime: requestTime(now),
      requestTimeEpoch: now,
      resourceId: route?.resource.id,
      resourcePath: route?.resource.path,
      stage: stage.stageName,
      identity: { sourceIp: (req.headers['x-forwarded-for'] ?? '127.0.0.1').split(',')[0]!.trim(), userAgent: req.headers['user-agent'] },
      error: { message: error.message, messageString: JSON.stringify(error.message), responseType: error.type, validationErrorString: '' },
    },
  };
  const status = Number(chosen.statusCode);
  const headers: Record<string, string> = { ...response.headers };
  for (const [param, expr] of Object.entries(chosen.responseParameters)) {
    const name = /^gatewayresponse\.header\.(.+)$/.exec(param)?.[1];
    const value = name ? headerValue(expr, input) : undefined;
    if (name && value !== undefined) headers[name.toLowerCase()] = value;
  }
  const picked = pickTemplate(chosen.responseTemplates, req.headers.accept);
  let body: WireResponse['body'] = '';
  if (picked) {
    headers['content-type'] = picked[0];
    // The default template words each error as the gateway did (ACCESS_DENIED's "Message", for one).
    body = picked[1] === DEFAULT_TEMPLATE ? response.body : substitute(picked[1], input);
  }
  return { status: Number.isInteger(status) && status >= 100 && status <= 599 ? status : response.status, headers, body };
}
