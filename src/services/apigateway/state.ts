// REST API state: APIs, their resource trees (methods and integrations inside each resource),
// deployments (each a frozen copy of the resource tree) and stages. An account-wide index maps
// API ids to their account and region so invoke URLs, which carry only the id, can find them.

import { randomBytes } from 'node:crypto';
import type * as AG from '@aws-sdk/client-api-gateway';
import { ServiceError } from '../../errors.js';
import type { Collection, Store } from '../../store/store.js';
import type { RequestContext } from '../types.js';
import type { GatewayResponseRecord } from './gateway-responses.js';

export interface RestApiRecord {
  id: string;
  name: string;
  description?: string;
  version?: string;
  created: number;
  binaryMediaTypes?: string[];
  minimumCompressionSize?: number;
  apiKeySource: string;
  endpointConfiguration: AG.EndpointConfiguration;
  policy?: string;
  tags?: Record<string, string>;
  disableExecuteApiEndpoint: boolean;
  rootResourceId: string;
}

export interface IntegrationRecord extends Omit<AG.Integration, 'integrationResponses'> {
  integrationResponses?: Record<string, AG.IntegrationResponse>;
}

export interface MethodRecord extends Omit<AG.Method, 'methodResponses' | 'methodIntegration'> {
  methodResponses?: Record<string, AG.MethodResponse>;
  methodIntegration?: IntegrationRecord;
}

export interface ResourceRecord {
  id: string;
  parentId?: string;
  pathPart?: string;
  path: string;
  methods: Record<string, MethodRecord>;
}

export interface DeploymentRecord {
  id: string;
  description?: string;
  created: number;
  /** The resource tree as it was when deployed: what the stages pointing here serve. */
  resources: ResourceRecord[];
  /** The API's customized gateway responses, by type, as they were when deployed. */
  gatewayResponses?: Record<string, GatewayResponseRecord>;
}

export interface StageRecord {
  stageName: string;
  deploymentId: string;
  description?: string;
  variables?: Record<string, string>;
  tracingEnabled?: boolean;
  cacheClusterEnabled?: boolean;
  cacheClusterSize?: string;
  clientCertificateId?: string;
  accessLogSettings?: AG.AccessLogSettings;
  /** Keyed "<resource path without its leading slash>/<method>", or "*\/*" for all. */
  methodSettings?: Record<string, AG.MethodSetting>;
  tags?: Record<string, string>;
  created: number;
  updated: number;
}

export interface ApiLocation {
  account: string;
  region: string;
}

const ID_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** An id in API Gateway's form: 10 lowercase alphanumerics. */
export function newId(length = 10): string {
  const bytes = randomBytes(length);
  let id = '';
  for (const b of bytes) id += ID_CHARS[b % ID_CHARS.length];
  return id;
}

// The REST invoke URLs keep what an API id and stage resolve to in memory (invoke/stage-cache.ts;
// HTTP APIs keep their own, apigatewayv2/served.ts). Every write of an API, deployment, stage or
// index entry goes through collections wrapped by watchWrites, which count the writes per store: a
// changed count tells the cache to start over.
const writeCounts = new WeakMap<Store, number>();
const watchedCollections = new WeakMap<Collection<unknown>, Collection<unknown>>();

/** How many writes of what the invoke URLs serve (REST and HTTP APIs) a store has seen. */
export function apiWrites(store: Store): number {
  return writeCounts.get(store) ?? 0;
}

/** The collection, with its writes counted in apiWrites. */
export function watchWrites<T>(store: Store, inner: Collection<T>): Collection<T> {
  let outer = watchedCollections.get(inner) as Collection<T> | undefined;
  if (!outer) {
    const wrote = () => writeCounts.set(store, apiWrites(store) + 1);
    outer = {
      ...inner,
      put: (key, value) => (wrote(), inner.put(key, value)),
      delete: (key) => (wrote(), inner.delete(key)),
      deletePrefix: (prefix) => (wrote(), inner.deletePrefix(prefix)),
    };
    watchedCollections.set(inner, outer as Collection<unknown>);
  }
  return outer;
}

export const apis = (ctx: RequestContext) => watchWrites(ctx.store, ctx.collection<RestApiRecord>('rest-apis'));
export const resources = (ctx: RequestContext) => ctx.collection<ResourceRecord>('resources');
export const deployments = (ctx: RequestContext) => watchWrites(ctx.store, ctx.collection<DeploymentRecord>('deployments'));
export const stages = (ctx: RequestContext) => watchWrites(ctx.store, ctx.collection<StageRecord>('stages'));

/** Where each REST API lives, by id, for the invoke URLs. */
export function apiIndex(store: Store) {
  return watchWrites(store, store.collection<ApiLocation>('apigateway', 'api-index', { account: '', region: '' }));
}

export function scoped<T>(store: Store, location: ApiLocation, name: string) {
  return store.collection<T>('apigateway', name, location);
}

export function notFound(message: string): ServiceError {
  return new ServiceError('NotFoundException', message, { status: 404 });
}

export function badRequest(message: string): ServiceError {
  return new ServiceError('BadRequestException', message, { status: 400 });
}

export function conflict(message: string): ServiceError {
  return new ServiceError('ConflictException', message, { status: 409 });
}

export function getApi(ctx: RequestContext, id: string): RestApiRecord {
  const api = apis(ctx).get(id);
  if (!api) throw notFound(`Invalid API identifier specified ${ctx.account}:${id}`);
  return api;
}

export function findResource(ctx: RequestContext, apiId: string, resourceId: string): ResourceRecord {
  getApi(ctx, apiId);
  const resource = resources(ctx).get(`${apiId}/${resourceId}`);
  if (!resource) throw notFound('Invalid Resource identifier specified');
  return resource;
}

export function putResource(ctx: RequestContext, apiId: string, resource: ResourceRecord): void {
  resources(ctx).put(`${apiId}/${resource.id}`, resource);
}

export function findMethod(ctx: RequestContext, apiId: string, resourceId: string, httpMethod: string) {
  const resource = findResource(ctx, apiId, resourceId);
  const method = resource.methods[httpMethod.toUpperCase()];
  if (!method) throw notFound('Invalid Method identifier specified');
  return { resource, method };
}
