// Route authorization for HTTP APIs: JWT authorizers (jwt.ts) and Lambda REQUEST authorizers with
// payload 1.0 or 2.0, answering either simple responses ({ isAuthorized, context }) or IAM
// policies. Answers as API Gateway does: 401 {"message":"Unauthorized"} for a missing identity or
// a rejected token, 403 {"message":"Forbidden"} for a denial, 500 for an authorizer that fails.
// With AuthorizerResultTtlInSeconds, a Lambda authorizer's answer is cached per API, authorizer
// and identity source values on Fogbank's clock; a cached IAM policy is checked against each
// route it is used for.

import type * as L from '@aws-sdk/client-lambda';
import type { WireRequest } from '../../protocols/wire.js';
import type { Invoker } from '../apigateway/invoke/serve.js';
import { claimStrings, verifyJwt } from './jwt.js';
import type { AuthorizerRecord, RouteRecord } from './state.js';

export type Authorization = { allowed: true; authorizer?: Record<string, unknown> } | { allowed: false; status: number; message: string; headers?: Record<string, string> };

/** A Lambda authorizer's valid answer as cached: what it returned, until when. */
export interface CachedAnswer {
  result: Record<string, unknown>;
  expires: number;
}

/** Entries past this many are pruned of expired ones (then cleared if still too many). */
const MAX_CACHED = 10_000;

export interface AuthorizeInput {
  /** Cached Lambda authorizer answers, keyed <api>/<authorizer>/<identity values>. */
  cache: Map<string, CachedAnswer>;
  /** The deployment's authorizers by id. */
  authorizers: Map<string, AuthorizerRecord>;
  location: { account: string; region: string };
  apiId: string;
  route: RouteRecord;
  req: WireRequest;
  now: number;
  routeArn: string;
  stageVariables?: Record<string, string>;
  /** $context variables, for identity sources that name one. */
  context(): Record<string, unknown>;
  /** The integration's event (payload 2.0 or 1.0), which the Lambda authorizer's event is built from. */
  event(version: '1.0' | '2.0'): Record<string, unknown>;
  invoke: Invoker;
}

const denied = (status: number, message: string, headers?: Record<string, string>): Authorization => ({ allowed: false, status, message, headers });

/** An identity source's value: $request.header.X, $request.querystring.x, $context.x, $stageVariables.x. */
function identityValue(source: string, input: AuthorizeInput): string | undefined {
  const header = /^\$request\.header\.(.+)$/i.exec(source);
  if (header) return input.req.headers[header[1]!.toLowerCase()] || undefined;
  const query = /^\$request\.querystring\.(.+)$/i.exec(source);
  if (query) return input.req.query.find(([k]) => k === query[1])?.[1] || undefined;
  const stage = /^\$stageVariables\.(.+)$/.exec(source);
  if (stage) return input.stageVariables?.[stage[1]!] || undefined;
  const context = /^\$context\.(.+)$/.exec(source);
  if (context) {
    let at: unknown = input.context();
    for (const part of context[1]!.split('.')) at = at && typeof at === 'object' ? (at as Record<string, unknown>)[part] : undefined;
    return at === undefined || at === null || at === '' ? undefined : String(at);
  }
  return undefined;
}

function allowsInvoke(policy: unknown, arn: string): boolean {
  const statements = (policy as { Statement?: unknown } | undefined)?.Statement;
  const list = Array.isArray(statements) ? statements : statements ? [statements] : [];
  const matches = (pattern: unknown) => new RegExp(`^${String(pattern).replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(arn);
  let allowed = false;
  for (const s of list as Array<Record<string, unknown>>) {
    if (!s || typeof s !== 'object') continue;
    const resources = Array.isArray(s.Resource) ? s.Resource : [s.Resource];
    if (!resources.some(matches)) continue;
    if (s.Effect === 'Deny') return false;
    if (s.Effect === 'Allow') allowed = true;
  }
  return allowed;
}

async function callAuthorizer(a: AuthorizerRecord, input: AuthorizeInput, values: string[]): Promise<{ answer: Record<string, unknown> } | { denial: Authorization }> {
  const functionArn = /functions\/(arn:[^/]+)\/invocations$/.exec(a.authorizerUri ?? '')?.[1] ?? a.authorizerUri;
  const v2 = a.authorizerPayloadFormatVersion === '2.0';
  const base = input.event(v2 ? '2.0' : '1.0');
  const { body: _body, isBase64Encoded: _encoded, ...request } = base;
  const event = v2
    ? { ...request, version: '2.0', type: 'REQUEST', routeArn: input.routeArn, identitySource: values }
    : { ...request, version: '1.0', type: 'REQUEST', methodArn: input.routeArn, identitySource: values.join(','), authorizationToken: values[0] };
  const failed = denied(500, 'Internal Server Error');
  try {
    const out = (await input.invoke(input.location, { FunctionName: functionArn, Payload: Buffer.from(JSON.stringify(event)) })) as L.InvocationResponse;
    const result = JSON.parse(Buffer.from(out.Payload ?? []).toString('utf8')) as unknown;
    if (out.FunctionError) return { denial: (result as { errorMessage?: unknown } | null)?.errorMessage === 'Unauthorized' ? denied(401, 'Unauthorized') : failed };
    if (!result || typeof result !== 'object' || Array.isArray(result)) return { denial: failed };
    const answer = result as Record<string, unknown>;
    const valid = a.enableSimpleResponses ? typeof answer.isAuthorized === 'boolean' : answer.principalId !== undefined && !!answer.policyDocument;
    return valid ? { answer } : { denial: failed };
  } catch {
    return { denial: failed };
  }
}

function remember(cache: Map<string, CachedAnswer>, key: string, answer: CachedAnswer, now: number): void {
  if (cache.size >= MAX_CACHED) {
    for (const [k, v] of cache) if (v.expires <= now) cache.delete(k);
    if (cache.size >= MAX_CACHED) cache.clear();
  }
  cache.set(key, answer);
}

async function lambdaAuthorize(a: AuthorizerRecord, input: AuthorizeInput): Promise<Authorization> {
  const sources = a.identitySource ?? [];
  const values = sources.map((s) => identityValue(s, input));
  // A missing identity source is refused without calling the authorizer.
  if (values.some((v) => v === undefined)) return denied(401, 'Unauthorized');
  const ttl = a.authorizerResultTtlInSeconds ?? 0;
  const key = ttl > 0 && sources.length ? `${input.apiId}/${a.authorizerId}/${JSON.stringify(values)}` : undefined;
  const cached = key ? input.cache.get(key) : undefined;
  let result: Record<string, unknown>;
  if (cached && cached.expires > input.now) {
    result = cached.result;
  } else {
    const called = await callAuthorizer(a, input, values as string[]);
    if ('denial' in called) return called.denial;
    result = called.answer;
    if (key) remember(input.cache, key, { result, expires: input.now + ttl * 1000 }, input.now);
  }
  const context = (result.context && typeof result.context === 'object' ? result.context : {}) as Record<string, unknown>;
  if (a.enableSimpleResponses) {
    if (!result.isAuthorized) return denied(403, 'Forbidden');
  } else if (!allowsInvoke(result.policyDocument, input.routeArn)) {
    return denied(403, 'Forbidden');
  }
  const principal = result.principalId === undefined ? {} : { principalId: result.principalId };
  return { allowed: true, authorizer: a.authorizerPayloadFormatVersion === '2.0' ? { lambda: context, ...principal } : { ...context, ...principal, integrationLatency: 0 } };
}

export async function authorizeRoute(input: AuthorizeInput): Promise<Authorization> {
  const { route } = input;
  if (route.authorizationType !== 'JWT' && route.authorizationType !== 'CUSTOM') return { allowed: true };
  const a = route.authorizerId ? input.authorizers.get(route.authorizerId) : undefined;
  if (!a) return denied(500, 'Internal Server Error');
  if (a.authorizerType === 'REQUEST') return lambdaAuthorize(a, input);
  const token = identityValue(a.identitySource?.[0] ?? '$request.header.Authorization', input);
  if (!token) return denied(401, 'Unauthorized');
  const outcome = await verifyJwt(a, token, route.authorizationScopes, input.now);
  if (!outcome.ok) {
    const wwwAuthenticate = `Bearer scope="${(route.authorizationScopes ?? []).join(' ')}" error="${outcome.status === 403 ? 'insufficient_scope' : 'invalid_token'}" error_description="${outcome.description}"`;
    return denied(outcome.status, outcome.status === 403 ? 'Forbidden' : 'Unauthorized', { 'www-authenticate': wwwAuthenticate });
  }
  return { allowed: true, authorizer: { jwt: { claims: claimStrings(outcome.claims), scopes: outcome.scopes } } };
}
