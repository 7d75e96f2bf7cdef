// What an HTTP API's invoke URL serves (the API's location and record, its stages, its routes
// ready for matching, its integrations), kept in memory between requests: reading, parsing and
// ordering them from the store on every request was most of the gateway's own cost. Every write
// of them is counted (apigateway/state.ts); a changed count (or a store reset) empties the cache,
// so a request never sees an older state than the store holds. Cached records are shared between
// requests: the invoke path only reads them.

import type { Store } from '../../store/store.js';
import { apiWrites, type ResourceRecord } from '../apigateway/state.js';
import { httpApiIndex, scopedV2, type HttpApiRecord, type IntegrationRecord, type RouteRecord, type StageRecord } from './state.js';

export interface ServedHttpApi {
  location: { account: string; region: string };
  api?: HttpApiRecord;
  /** Routes other than $default, methods before ANY (so that at equal specificity the method wins). */
  keyed: RouteRecord[];
  /** The keyed routes as resources, for findRoute (which compiles them once for this list). */
  resources: ResourceRecord[];
  fallback?: RouteRecord;
  stage(name: string): StageRecord | undefined;
  integration(id: string): IntegrationRecord | undefined;
}

interface Cache {
  writes: number;
  /** By API id; null: no HTTP API has that id. */
  byApi: Map<string, ServedHttpApi | null>;
}

const caches = new WeakMap<Store, Cache>();
/** Ids come from the URL: a bound keeps made-up ones from growing the cache without end. */
const MAX_APIS = 1000;

function cacheOf(store: Store): Cache {
  let cache = caches.get(store);
  if (!cache) {
    const created: Cache = { writes: apiWrites(store), byApi: new Map() };
    caches.set(store, (cache = created));
    store.onReset(() => created.byApi.clear());
  }
  if (cache.writes !== apiWrites(store) || cache.byApi.size >= MAX_APIS) {
    cache.writes = apiWrites(store);
    cache.byApi.clear();
  }
  return cache;
}

/** Lookups by key, remembered (misses too) until the cache is emptied. */
function remembered<T>(read: (key: string) => T | undefined): (key: string) => T | undefined {
  const seen = new Map<string, T | null>();
  return (key) => {
    let value = seen.get(key);
    if (value === undefined) {
      value = read(key) ?? null;
      // Stage names come from the URL too.
      if (seen.size >= MAX_APIS) seen.clear();
      seen.set(key, value);
    }
    return value ?? undefined;
  };
}

function load(store: Store, apiId: string): ServedHttpApi | null {
  const location = httpApiIndex(store).get(apiId);
  if (!location) return null;
  const all = scopedV2<RouteRecord>(store, location, 'routes').values({ prefix: `${apiId}/` });
  const keyed = all.filter((r) => r.routeKey !== '$default').sort((a, b) => Number(a.routeKey.startsWith('ANY ')) - Number(b.routeKey.startsWith('ANY ')));
  const stages = scopedV2<StageRecord>(store, location, 'stages');
  const integrations = scopedV2<IntegrationRecord>(store, location, 'integrations');
  return {
    location,
    api: scopedV2<HttpApiRecord>(store, location, 'apis').get(apiId),
    keyed,
    resources: keyed.map((r) => {
      const [verb, routePath] = r.routeKey.split(' ') as [string, string];
      return { id: r.routeId, path: routePath.length > 1 ? routePath.replace(/\/+$/, '') : '/', methods: { [verb]: { httpMethod: verb } } };
    }),
    fallback: all.find((r) => r.routeKey === '$default'),
    stage: remembered((name) => stages.get(`${apiId}/${name}`)),
    integration: remembered((id) => integrations.get(`${apiId}/${id}`)),
  };
}

/** The HTTP API an invoke URL names, or undefined when no HTTP API has the id. */
export function servedHttpApi(store: Store, apiId: string): ServedHttpApi | undefined {
  const cache = cacheOf(store);
  let served = cache.byApi.get(apiId);
  if (served === undefined) cache.byApi.set(apiId, (served = load(store, apiId)));
  return served ?? undefined;
}
