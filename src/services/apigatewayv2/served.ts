// What the invoke path reads, kept compiled in memory so a request costs no store reads: per API,
// its location and record, and per stage the stage with its deployment's routes (ready for
// matching), integrations, authorizers and CORS configuration. Every control-plane change to an
// API forgets that API (index.ts), and a store reset forgets everything.

import type * as AG2 from '@aws-sdk/client-apigatewayv2';
import type { Store } from '../../store/store.js';
import type { ResourceRecord } from '../apigateway/state.js';
import type { CachedAnswer } from './authorize.js';
import { httpApiIndex, scopedV2, type AuthorizerRecord, type DeploymentRecord, type HttpApiRecord, type IntegrationRecord, type RouteRecord, type StageRecord } from './state.js';

export interface ServedDeployment {
  /** Keyed routes, a method before ANY, as routing.ts's findRoute takes them. */
  keyed: RouteRecord[];
  resources: ResourceRecord[];
  fallback?: RouteRecord;
  integrations: Map<string, IntegrationRecord>;
  authorizers: Map<string, AuthorizerRecord>;
  cors?: AG2.Cors;
}

export interface ServedStage {
  stage: StageRecord;
  deployment?: ServedDeployment;
}

export interface ServedApi {
  location: { account: string; region: string };
  api: HttpApiRecord;
  stages: Map<string, ServedStage | undefined>;
}

const answersByStore = new WeakMap<Store, Map<string, CachedAnswer>>();

/** Lambda authorizer answers cached for the store's APIs (authorize.ts); a store reset forgets them. */
export function authorizerCache(store: Store): Map<string, CachedAnswer> {
  let answers = answersByStore.get(store);
  if (!answers) {
    const created = new Map<string, CachedAnswer>();
    store.onReset(() => created.clear());
    answersByStore.set(store, created);
    answers = created;
  }
  return answers;
}

const byStore = new WeakMap<Store, Map<string, ServedApi>>();
/** Unknown stage names are remembered too, up to this many per API (the path form's first segment is arbitrary). */
const MAX_STAGE_ENTRIES = 256;

function apisOf(store: Store): Map<string, ServedApi> {
  let apis = byStore.get(store);
  if (!apis) {
    const created = new Map<string, ServedApi>();
    store.onReset(() => created.clear());
    byStore.set(store, created);
    apis = created;
  }
  return apis;
}

/** Drops what is cached for an API: called after every change to it. */
export function forgetApi(store: Store, apiId: string): void {
  byStore.get(store)?.delete(apiId);
}

export function servedApi(store: Store, apiId: string): ServedApi | undefined {
  const apis = apisOf(store);
  const cached = apis.get(apiId);
  if (cached) return cached;
  // Unknown ids are not remembered: any host name can ask, and REST API ids come here too.
  const location = httpApiIndex(store).get(apiId);
  const api = location && scopedV2<HttpApiRecord>(store, location, 'apis').get(apiId);
  if (!location || !api) return undefined;
  const served: ServedApi = { location, api, stages: new Map() };
  apis.set(apiId, served);
  return served;
}

/** Drops an authorizer's cached answers: called when the authorizer changes or goes. */
export function forgetAuthorizerAnswers(store: Store, apiId: string, authorizerId: string): void {
  const answers = answersByStore.get(store);
  if (!answers) return;
  const prefix = `${apiId}/${authorizerId}/`;
  for (const key of answers.keys()) if (key.startsWith(prefix)) answers.delete(key);
}

function compile(d: DeploymentRecord): ServedDeployment {
  const keyed = d.snapshot.routes.filter((r) => r.routeKey !== '$default').sort((a, b) => Number(a.routeKey.startsWith('ANY ')) - Number(b.routeKey.startsWith('ANY ')));
  const resources: ResourceRecord[] = keyed.map((r) => {
    const [verb, routePath] = r.routeKey.split(' ') as [string, string];
    return { id: r.routeId, path: routePath.length > 1 ? routePath.replace(/\/+$/, '') : '/', methods: { [verb]: { httpMethod: verb } } };
  });
  return {
    keyed,
    resources,
    fallback: d.snapshot.routes.find((r) => r.routeKey === '$default'),
    integrations: new Map(d.snapshot.integrations.map((i) => [i.integrationId, i])),
    authorizers: new Map(d.snapshot.authorizers.map((a) => [a.authorizerId, a])),
    cors: d.snapshot.cors,
  };
}

export function servedStage(store: Store, served: ServedApi, name: string): ServedStage | undefined {
  if (served.stages.has(name)) return served.stages.get(name);
  const stage = scopedV2<StageRecord>(store, served.location, 'stages').get(`${served.api.apiId}/${name}`);
  const deployment = stage?.deploymentId ? scopedV2<DeploymentRecord>(store, served.location, 'deployments').get(`${served.api.apiId}/${stage.deploymentId}`) : undefined;
  const entry = stage ? { stage, deployment: deployment && compile(deployment) } : undefined;
  if (entry || served.stages.size < MAX_STAGE_ENTRIES) served.stages.set(name, entry);
  return entry;
}
