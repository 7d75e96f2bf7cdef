// JWT authorizers of HTTP APIs: the token's RSA signature is checked with node:crypto against the
// issuer's JSON Web Key Set, found as API Gateway finds it (the issuer's OpenID discovery document's
// jwks_uri, else <issuer>/.well-known/jwks.json, fetched over HTTP and kept for two hours), then
// issuer, audience (aud or client_id), expiry and not-before on Fogbank's clock, and the route's
// scopes. Answers as API Gateway does: 401 with a WWW-Authenticate header, 403 for missing scopes.

import { createPublicKey, verify, type JsonWebKey } from 'node:crypto';
import type { AuthorizerRecord } from './state.js';

export type JwtOutcome = { ok: true; claims: Record<string, unknown>; scopes: string[] | null } | { ok: false; status: 401 | 403; description: string };

const JWKS_TTL_MS = 2 * 60 * 60 * 1000;
const keySets = new Map<string, { keys: JsonWebKey[]; fetchedAt: number }>();

const ALGORITHMS: Record<string, string> = { RS256: 'sha256', RS384: 'sha384', RS512: 'sha512' };

async function getJson(url: string): Promise<Record<string, unknown> | undefined> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
    if (!res.ok) return undefined;
    return (await res.json()) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

async function keysOf(issuer: string, now: number): Promise<JsonWebKey[]> {
  const cached = keySets.get(issuer);
  if (cached && now - cached.fetchedAt < JWKS_TTL_MS) return cached.keys;
  const base = issuer.replace(/\/+$/, '');
  const discovery = await getJson(`${base}/.well-known/openid-configuration`);
  const jwksUri = typeof discovery?.jwks_uri === 'string' ? discovery.jwks_uri : `${base}/.well-known/jwks.json`;
  const set = await getJson(jwksUri);
  const keys = Array.isArray(set?.keys) ? (set.keys as JsonWebKey[]) : [];
  if (keys.length) keySets.set(issuer, { keys, fetchedAt: now });
  return keys;
}

function decodePart(part: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

const fail = (status: 401 | 403, description: string): JwtOutcome => ({ ok: false, status, description });

/** Verifies a bearer token for a route, at `now` (ms). */
export async function verifyJwt(authorizer: AuthorizerRecord, rawToken: string, routeScopes: string[] | undefined, now: number): Promise<JwtOutcome> {
  const token = rawToken.replace(/^Bearer\s+/i, '').trim();
  const parts = token.split('.');
  if (parts.length !== 3) return fail(401, 'the token is malformed');
  const header = decodePart(parts[0]!);
  const claims = decodePart(parts[1]!);
  if (!header || !claims) return fail(401, 'the token is malformed');
  const hash = ALGORITHMS[String(header.alg)];
  if (!hash) return fail(401, `signing method ${String(header.alg)} is invalid`);
  const issuer = authorizer.jwtConfiguration?.Issuer ?? '';
  const jwk = (await keysOf(issuer, now)).find((k) => (header.kid === undefined || (k as { kid?: string }).kid === header.kid) && k.kty === 'RSA');
  if (!jwk) return fail(401, 'the signing key was not found');
  let valid = false;
  try {
    valid = verify(hash, Buffer.from(`${parts[0]}.${parts[1]}`), createPublicKey({ key: jwk, format: 'jwk' }), Buffer.from(parts[2]!, 'base64url'));
  } catch {
    valid = false;
  }
  if (!valid) return fail(401, 'signature is invalid');
  if (claims.iss !== issuer) return fail(401, 'the token has an invalid issuer');
  const audiences = authorizer.jwtConfiguration?.Audience ?? [];
  const tokenAudiences = Array.isArray(claims.aud) ? claims.aud.map(String) : claims.aud !== undefined ? [String(claims.aud)] : [];
  if (claims.client_id !== undefined) tokenAudiences.push(String(claims.client_id));
  if (!tokenAudiences.some((a) => audiences.includes(a))) return fail(401, 'the token does not have a valid audience');
  const seconds = now / 1000;
  if (typeof claims.exp !== 'number' || claims.exp <= seconds) return fail(401, 'the token has expired');
  if (typeof claims.nbf === 'number' && claims.nbf > seconds) return fail(401, 'the token is not valid yet');
  const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : Array.isArray(claims.scp) ? claims.scp.map(String) : null;
  if (routeScopes?.length && !routeScopes.some((s) => scopes?.includes(s))) return fail(403, 'the token does not have the required scopes');
  return { ok: true, claims, scopes };
}

/** Claims as HTTP APIs hand them to the integration: strings, lists as "[a b]". */
export function claimStrings(claims: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(claims)) out[k] = typeof v === 'string' ? v : Array.isArray(v) ? `[${v.join(' ')}]` : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return out;
}
