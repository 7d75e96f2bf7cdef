// CreateRestApi, GetRestApi, GetRestApis, UpdateRestApi, DeleteRestApi. Creating an API also creates its root
// resource "/", as AWS does.

import type * as AG from '@aws-sdk/client-api-gateway';
import { paginate } from '../common/pagination.js';
import type { Handler, RequestContext } from '../types.js';
import { applyPatch, plainErrors, type PatchSpec } from './patch.js';
import { addDefaultModels } from './validators.js';
import { apiIndex, apis, badRequest, deployments, getApi, newId, putResource, resources, stages, type RestApiRecord } from './state.js';

export function restApiView(api: RestApiRecord): AG.RestApi {
  return {
    id: api.id,
    name: api.name,
    description: api.description,
    version: api.version,
    createdDate: new Date(api.created),
    binaryMediaTypes: api.binaryMediaTypes,
    minimumCompressionSize: api.minimumCompressionSize,
    apiKeySource: api.apiKeySource as AG.ApiKeySourceType,
    endpointConfiguration: api.endpointConfiguration,
    policy: api.policy,
    tags: api.tags,
    disableExecuteApiEndpoint: api.disableExecuteApiEndpoint,
    rootResourceId: api.rootResourceId,
  };
}

export const createRestApi: Handler<AG.CreateRestApiRequest, AG.RestApi> = (input, ctx) => {
  if (input.cloneFrom) throw badRequest('Cloning a REST API is not supported by Fogbank yet.');
  const id = newId();
  const rootResourceId = newId();
  const api: RestApiRecord = {
    id,
    name: input.name!,
    description: input.description,
    version: input.version,
    created: ctx.clock.now(),
    binaryMediaTypes: input.binaryMediaTypes?.length ? input.binaryMediaTypes : undefined,
    minimumCompressionSize: input.minimumCompressionSize,
    apiKeySource: input.apiKeySource ?? 'HEADER',
    endpointConfiguration: input.endpointConfiguration ?? { types: ['EDGE'] },
    policy: input.policy,
    tags: input.tags && Object.keys(input.tags).length ? input.tags : undefined,
    disableExecuteApiEndpoint: input.disableExecuteApiEndpoint ?? false,
    rootResourceId,
  };
  apis(ctx).put(id, api);
  putResource(ctx, id, { id: rootResourceId, path: '/', methods: {} });
  addDefaultModels(ctx, id);
  apiIndex(ctx.store).put(id, { account: ctx.account, region: ctx.region });
  return restApiView(api);
};

export const getRestApi: Handler<AG.GetRestApiRequest, AG.RestApi> = (input, ctx) => restApiView(getApi(ctx, input.restApiId!));

export const getRestApis: Handler<AG.GetRestApisRequest, AG.RestApis> = (input, ctx) => {
  const page = paginate(apis(ctx).values(), (a) => a.id, input.limit ?? 25, input.position, () => badRequest('Invalid position parameter'));
  return { items: page.items.map(restApiView), position: page.nextToken };
};

/** Forgets everything under one API (its resources, deployments and stages). */
function deleteChildren(ctx: RequestContext, id: string): void {
  resources(ctx).deletePrefix(`${id}/`);
  deployments(ctx).deletePrefix(`${id}/`);
  stages(ctx).deletePrefix(`${id}/`);
  for (const name of ['authorizers', 'request-validators', 'models', 'gateway-responses']) ctx.collection(name).deletePrefix(`${id}/`);
}

export const deleteRestApi: Handler<AG.DeleteRestApiRequest, Record<string, never>> = (input, ctx) => {
  const api = getApi(ctx, input.restApiId!);
  ctx.store.transaction(() => {
    deleteChildren(ctx, api.id);
    apis(ctx).delete(api.id);
    apiIndex(ctx.store).delete(api.id);
  });
  return {};
};

const REST_API_PATCH: PatchSpec = {
  rules: [
    { path: '/name', ops: ['replace'] },
    { path: '/description', ops: ['replace'] },
    { path: '/version', ops: ['replace'] },
    { path: '/apiKeySource', ops: ['replace'] },
    { path: '/policy', ops: ['replace'] },
    { path: '/minimumCompressionSize', ops: ['replace'] },
    { path: '/disableExecuteApiEndpoint', ops: ['replace'], kind: 'boolean' },
    { path: '/binaryMediaTypes/*', ops: ['add', 'remove', 'replace'], kind: 'list-item' },
    { path: '/endpointConfiguration/types/*', ops: ['replace'], kind: 'list-item' },
  ],
  ...plainErrors,
};

const MAX_COMPRESSION = 10485760;

export const updateRestApi: Handler<AG.UpdateRestApiRequest, AG.RestApi> = (input, ctx) => {
  const api = getApi(ctx, input.restApiId!);
  const updated = applyPatch(api, input.patchOperations, REST_API_PATCH);
  const size = updated.minimumCompressionSize as unknown;
  if (typeof size === 'string') {
    const n = Number(size);
    if (size !== '' && (!Number.isInteger(n) || n < 0 || n > MAX_COMPRESSION)) throw badRequest(`Invalid minimum compression size, must be between 0 and ${MAX_COMPRESSION}`);
    updated.minimumCompressionSize = size === '' ? undefined : n;
  }
  if (updated.apiKeySource !== 'HEADER' && updated.apiKeySource !== 'AUTHORIZER') throw badRequest(`Invalid API Key source specified: ${updated.apiKeySource}`);
  const types = updated.endpointConfiguration.types ?? [];
  if (types.some((t) => !['REGIONAL', 'EDGE', 'PRIVATE'].includes(t))) throw badRequest('Invalid EndpointTypes specified. Valid options are REGIONAL,EDGE,PRIVATE');
  if (!updated.name) throw badRequest('Invalid REST API name specified');
  apis(ctx).put(api.id, updated);
  return restApiView(updated);
};
