// What an invoke URL's API id and stage name resolve to (the API's location and record, the stage,
// its deployment), kept in memory between requests: reading and parsing those four records from
// the store on every request was most of the gateway's own cost. state.ts counts every write of
// an API, deployment, stage or index entry; a changed count (or a store reset) empties the cache,
// so a request never sees an older state than the store holds. Cached records are shared between
// requests: the invoke path only reads them.

import type { Store } from '../../../store/store.js';
import { apiIndex, apiWrites, scoped, type ApiLocation, type DeploymentRecord, type RestApiRecord, type StageRecord } from '../state.js';

export interface ServedStage {
  location: ApiLocation;
  api?: RestApiRecord;
  /** Absent when the API has no stage of that name, or the stage's deployment is gone. */
  stage?: StageRecord;
  deployment?: DeploymentRecord;
}

interface Cache {
  writes: number;
  entries: number;
  /** By API id, then stage name; null: no REST API has that id. */
  byApi: Map<string, { location: ApiLocation; api?: RestApiRecord; stages: Map<string, ServedStage> } | null>;
}

const caches = new WeakMap<Store, Cache>();
/** Ids and stage names come from the URL: a bound keeps made-up ones from growing the cache without end. */
const MAX_ENTRIES = 1000;

function cacheOf(store: Store): Cache {
  let cache = caches.get(store);
  if (!cache) {
    const created: Cache = { writes: apiWrites(store), entries: 0, byApi: new Map() };
    caches.set(store, (cache = created));
    store.onReset(() => ((created.entries = 0), created.byApi.clear()));
  }
  if (cache.writes !== apiWrites(store) || cache.entries >= MAX_ENTRIES) {
    cache.writes = apiWrites(store);
    cache.entries = 0;
    cache.byApi.clear();
  }
  return cache;
}

/** The REST API and stage an invoke URL names, or undefined when no REST API has the id. */
export function servedStage(store: Store, apiId: string, stageName: string | undefined): ServedStage | undefined {
  const cache = cacheOf(store);
  let api = cache.byApi.get(apiId);
  if (api === undefined) {
    const location = apiIndex(store).get(apiId);
    api = location ? { location, api: scoped<RestApiRecord>(store, location, 'rest-apis').get(apiId), stages: new Map() } : null;
    cache.byApi.set(apiId, api);
    cache.entries++;
  }
  if (!api) return undefined;
  if (stageName === undefined) return { location: api.location, api: api.api };
  let served = api.stages.get(stageName);
  if (!served) {
    const stage = scoped<StageRecord>(store, api.location, 'stages').get(`${apiId}/${stageName}`);
    const deployment = stage ? scoped<DeploymentRecord>(store, api.location, 'deployments').get(`${apiId}/${stage.deploymentId}`) : undefined;
    served = { location: api.location, api: api.api, stage, deployment };
    api.stages.set(stageName, served);
    cache.entries++;
  }
  return served;
}
