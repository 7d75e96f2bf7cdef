// Lambda authorizers at invoke time: TOKEN authorizers get the identity header, REQUEST ones the
// request's parts; the returned IAM policy must allow the method ARN. Answers as AWS does: 401
// Unauthorized for a missing identity or an "Unauthorized" error, 403 for a deny, 500
// AuthorizerConfigurationException for anything else. A result (the returned policy and context)
// is cached per identity for authorizerResultTtlInSeconds (default 300, 0 = off) on Fogbank's clock,
// and evaluated against each request's method ARN, as API Gateway does.

import { boundedTest } from './bounded-regex.js';
import type * as L from '@aws-sdk/client-lambda';
import type { WireRequest, WireResponse } from '../../../protocols/wire.js';
import type { Store } from '../../../store/store.js';
import type { AuthorizerRecord } from '../authorizers.js';
import { lambdaTarget } from '../lambda-uri.js';
import type { ResponseType } from '../gateway-responses.js';
import { scoped, type ApiLocation } from '../state.js';
import { gatewayError } from './gateway-responses.js';
import type { Invoker } from './serve.js';

/** An allowed request carries the authorizer's context and, for APIs whose apiKeySource is AUTHORIZER, the key it named. */
export type AuthorizerOutcome = { allowed: true; context: Record<string, unknown>; usageIdentifierKey?: string } | { allowed: false; response: WireResponse };

const deny = (type: ResponseType, status: number, errorType: string, message: string | null, body?: unknown): AuthorizerOutcome => ({
  allowed: false,
  response: gatewayError(type, status, errorType, message, undefined, body),
});
const unauthorized = () => deny('UNAUTHORIZED', 401, 'UnauthorizedException', 'Unauthorized');
const misconfigured = () => deny('AUTHORIZER_CONFIGURATION_ERROR', 500, 'AuthorizerConfigurationException', null);

/**
 * A Cognito user pool authorizer: Fogbank has no user pools to issue or verify tokens, so no token
 * can be valid and every request answers 401 Unauthorized, as AWS answers a missing or bad token.
 */
export const cognitoUnauthorized = (): WireResponse => gatewayError('UNAUTHORIZED', 401, 'UnauthorizedException', 'Unauthorized');
// AWS words this one with a capital M, whatever the gateway response template says.
const accessDenied = (message: string) => deny('ACCESS_DENIED', 403, 'AccessDeniedException', message, { Message: message });

/** An identity source's value: method.request.header.X or method.request.querystring.x. */
function identityValue(req: WireRequest, source: string): string | undefined {
  const header = /^method\.request\.header\.(.+)$/i.exec(source);
  if (header) return req.headers[header[1]!.toLowerCase()] || undefined;
  const query = /^method\.request\.querystring\.(.+)$/i.exec(source);
  if (query) return req.query.find(([k]) => k === query[1])?.[1] || undefined;
  return undefined;
}

function matchesExpression(expression: string, token: string): boolean {
  return boundedTest(`^(?:${expression})$`, '', token) === 'match';
}

const glob = (pattern: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined ? [] : [String(v)]);

/** Evaluates the returned policy for execute-api:Invoke on the method ARN: a matching Deny wins. */
function evaluate(policy: unknown, methodArn: string): 'allow' | 'deny' | 'none' | 'invalid' {
  if (!policy || typeof policy !== 'object') return 'invalid';
  const statements = (policy as { Statement?: unknown }).Statement;
  const all = Array.isArray(statements) ? statements : statements ? [statements] : [];
  let result: 'allow' | 'none' = 'none';
  for (const s of all as Array<Record<string, unknown>>) {
    // A statement that is not an object makes the whole policy unusable (AWS answers 500).
    if (!s || typeof s !== 'object' || Array.isArray(s)) return 'invalid';
    const actions = list(s.Action);
    if (!actions.some((a) => glob(a).test('execute-api:Invoke'))) continue;
    if (!list(s.Resource).some((r) => glob(r).test(methodArn))) continue;
    if (s.Effect === 'Deny') return 'deny';
    if (s.Effect === 'Allow') result = 'allow';
  }
  return result;
}

type AuthorizerResult = { principalId?: unknown; policyDocument?: unknown; context?: Record<string, unknown>; usageIdentifierKey?: unknown; errorMessage?: unknown };

/** Cached authorizer results by store, then by authorizer and identity, with their expiry. */
const resultCache = new WeakMap<Store, Map<string, { result: AuthorizerResult; expires: number }>>();

function judge(result: AuthorizerResult, methodArn: string): AuthorizerOutcome {
  if (!result || typeof result !== 'object' || result.principalId === undefined) return misconfigured();
  const verdict = evaluate(result.policyDocument, methodArn);
  if (verdict === 'invalid') return misconfigured();
  if (verdict === 'deny') return accessDenied('User is not authorized to access this resource with an explicit deny');
  if (verdict === 'none') return accessDenied('User is not authorized to access this resource');
  const usageIdentifierKey = typeof result.usageIdentifierKey === 'string' ? result.usageIdentifierKey : undefined;
  return { allowed: true, context: { ...(result.context ?? {}), principalId: result.principalId, integrationLatency: 0 }, usageIdentifierKey };
}

export async function authorize(
  store: Store,
  location: ApiLocation,
  apiId: string,
  authorizerId: string,
  req: WireRequest,
  methodArn: string,
  requestEvent: () => Record<string, unknown>,
  invoke: Invoker,
  now: number,
): Promise<AuthorizerOutcome> {
  const authorizer = scoped<AuthorizerRecord>(store, location, 'authorizers').get(`${apiId}/${authorizerId}`);
  const functionArn = lambdaTarget(authorizer?.authorizerUri);
  if (!authorizer || !functionArn) return misconfigured();
  let event: Record<string, unknown>;
  let identity: string | undefined;
  if (authorizer.type === 'TOKEN') {
    const token = identityValue(req, authorizer.identitySource ?? 'method.request.header.Authorization');
    if (!token) return unauthorized();
    if (authorizer.identityValidationExpression && !matchesExpression(authorizer.identityValidationExpression, token)) return unauthorized();
    event = { type: 'TOKEN', methodArn, authorizationToken: token };
    identity = token;
  } else {
    const sources = (authorizer.identitySource ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    if (sources.some((s) => !identityValue(req, s))) return unauthorized();
    // Without identity sources there is nothing to cache by.
    identity = sources.length ? sources.map((s) => identityValue(req, s)).join('\u0000') : undefined;
    const { body: _body, isBase64Encoded: _encoded, ...request } = requestEvent();
    event = { type: 'REQUEST', methodArn, ...request };
  }
  const ttl = (authorizer.authorizerResultTtlInSeconds ?? 300) * 1000;
  let cache = resultCache.get(store);
  if (!cache) resultCache.set(store, (cache = new Map()));
  const cacheKey = `${location.account}/${location.region}/${apiId}/${authorizerId}/${authorizer.authorizerUri}/${identity}`;
  const cached = ttl > 0 && identity !== undefined ? cache.get(cacheKey) : undefined;
  if (cached && cached.expires > now) return judge(cached.result, methodArn);
  let out: L.InvocationResponse;
  try {
    out = (await invoke(location, { FunctionName: functionArn, Payload: Buffer.from(JSON.stringify(event)) })) as L.InvocationResponse;
  } catch {
    return misconfigured();
  }
  let result: AuthorizerResult;
  try {
    result = JSON.parse(Buffer.from(out.Payload ?? []).toString('utf8'));
  } catch {
    return misconfigured();
  }
  if (out.FunctionError) return result?.errorMessage === 'Unauthorized' ? unauthorized() : misconfigured();
  const outcome = judge(result, methodArn);
  if (ttl > 0 && identity !== undefined && result && typeof result === 'object' && evaluate(result.policyDocument, methodArn) !== 'invalid') cache.set(cacheKey, { result, expires: now + ttl });
  return outcome;
}
