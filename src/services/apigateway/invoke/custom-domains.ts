// Requests whose Host header is a configured custom domain name: the mapping whose base path (API
// mapping key) is the longest match of the request path's leading segments, the root mapping
// last, names the API and stage; the rest of the path is what the API routes, as its execute-api
// URL would. As AWS builds the events: REST's path and requestContext.path are the whole request
// path (base path included; resource is the API's own), while HTTP APIs' rawPath is what the
// execute-api URL would show (the mapping key dropped, a named stage's segment in front);
// requestContext.domainName is the custom name, domainPrefix its first label.
// A path no mapping claims answers 403 {"message":"Forbidden"}, as API Gateway's custom domains do.

import type { WireRequest, WireResponse } from '../../../protocols/wire.js';
import type { Clock } from '../../../clock.js';
import type { Store } from '../../../store/store.js';
import { domainRecords, type MappingRecord } from '../domain-hosts.js';
import { serveTarget } from './index.js';
import type { Invoker, Target } from './serve.js';

const forbidden = (): WireResponse => ({ status: 403, headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'ForbiddenException' }, body: JSON.stringify({ message: 'Forbidden' }) });

/** The mapping for a path and what follows its base path ('/' when nothing does). */
export function pickMapping(mappings: MappingRecord[], path: string): { mapping: MappingRecord; rest: string } | undefined {
  let best: MappingRecord | undefined;
  for (const m of mappings) {
    if (m.key === '') {
      best ??= m;
      continue;
    }
    const prefix = `/${m.key}`;
    const matches = path === prefix || path.startsWith(`${prefix}/`);
    if (matches && (!best || best.key.length < m.key.length)) best = m;
  }
  if (!best) return undefined;
  const rest = best.key === '' ? path : path.slice(best.key.length + 1);
  return { mapping: best, rest: rest || '/' };
}

export async function serveCustomDomain(store: Store, domainName: string, req: WireRequest, invoke: Invoker, clock: Clock): Promise<WireResponse> {
  const domain = domainRecords(store).get(domainName);
  const picked = domain && pickMapping(domain.mappings, req.path);
  if (!picked) return forbidden();
  const { mapping, rest } = picked;
  let stage = mapping.stage;
  let path = rest;
  if (stage === undefined) {
    // A REST mapping without a stage: callers name it after the base path.
    const [, first, after] = /^\/([^/]*)(\/.*)?$/.exec(rest) ?? [];
    if (!first) return forbidden();
    try {
      stage = decodeURIComponent(first);
    } catch {
      return forbidden();
    }
    path = after ?? '/';
  }
  const target: Target = { apiId: mapping.apiId, form: 'path', stage, path, domainName, requestPath: req.path };
  return (await serveTarget(store, req, target, { stage, path }, invoke, clock)) ?? forbidden();
}
