// Deployments and stages (and their Update* patch paths). A deployment freezes the API's resource tree as it is now; a stage names
// one deployment and carries stage variables. Invoke URLs serve a stage's deployment, never the
// live tree, so changes show only after the next deployment, as in AWS.

import type * as AG from '@aws-sdk/client-api-gateway';
import { paginate } from '../common/pagination.js';
import type { Handler, RequestContext } from '../types.js';
import { applyPatch, plainErrors, type PatchOperation, type PatchSpec, operationsOf } from './patch.js';
import { customizedResponses } from './gateway-responses.js';
import { checkAccessLogSettings } from './invoke/access-log.js';
import { apiResources } from './resources.js';
import { badRequest, conflict, deployments, getApi, newId, notFound, stages, type DeploymentRecord, type StageRecord } from './state.js';

const deploymentView = (d: DeploymentRecord): AG.Deployment => ({ id: d.id, description: d.description, createdDate: new Date(d.created) });

function stageView(s: StageRecord): AG.Stage {
  return {
    deploymentId: s.deploymentId,
    stageName: s.stageName,
    description: s.description,
    cacheClusterEnabled: s.cacheClusterEnabled ?? false,
    cacheClusterSize: s.cacheClusterSize as AG.CacheClusterSize | undefined,
    cacheClusterStatus: 'NOT_AVAILABLE',
    clientCertificateId: s.clientCertificateId,
    accessLogSettings: s.accessLogSettings && Object.keys(s.accessLogSettings).length ? s.accessLogSettings : undefined,
    methodSettings: s.methodSettings ?? {},
    variables: s.variables && Object.keys(s.variables).length ? s.variables : undefined,
    tracingEnabled: s.tracingEnabled ?? false,
    tags: s.tags && Object.keys(s.tags).length ? s.tags : undefined,
    createdDate: new Date(s.created),
    lastUpdatedDate: new Date(s.updated),
  };
}

function getDeploymentRecord(ctx: RequestContext, apiId: string, id: string): DeploymentRecord {
  getApi(ctx, apiId);
  const deployment = deployments(ctx).get(`${apiId}/${id}`);
  if (!deployment) throw notFound('Invalid Deployment identifier specified');
  return deployment;
}

function getStageRecord(ctx: RequestContext, apiId: string, name: string): StageRecord {
  getApi(ctx, apiId);
  const stage = stages(ctx).get(`${apiId}/${name}`);
  if (!stage) throw notFound('Invalid Stage identifier specified');
  return stage;
}

export const createDeployment: Handler<AG.CreateDeploymentRequest, AG.Deployment> = (input, ctx) => {
  const api = getApi(ctx, input.restApiId!);
  const tree = apiResources(ctx, api.id);
  const methods = tree.flatMap((r) => Object.values(r.methods));
  if (!methods.length) throw badRequest("The REST API doesn't contain any methods");
  if (methods.some((m) => !m.methodIntegration)) throw badRequest('No integration defined for method');
  const now = ctx.clock.now();
  const deployment: DeploymentRecord = { id: newId(), description: input.description, created: now, resources: tree, gatewayResponses: customizedResponses(ctx, api.id) };
  ctx.store.transaction(() => {
    deployments(ctx).put(`${api.id}/${deployment.id}`, deployment);
    if (input.stageName) {
      const existing = stages(ctx).get(`${api.id}/${input.stageName}`);
      const stage: StageRecord = existing
        ? { ...existing, deploymentId: deployment.id, variables: { ...existing.variables, ...input.variables }, updated: now }
        : {
            stageName: input.stageName,
            deploymentId: deployment.id,
            description: input.stageDescription,
            variables: input.variables,
            tracingEnabled: input.tracingEnabled,
            cacheClusterEnabled: input.cacheClusterEnabled,
            created: now,
            updated: now,
          };
      stages(ctx).put(`${api.id}/${stage.stageName}`, stage);
    }
  });
  return deploymentView(deployment);
};

export const getDeployment: Handler<AG.GetDeploymentRequest, AG.Deployment> = (input, ctx) =>
  deploymentView(getDeploymentRecord(ctx, input.restApiId!, input.deploymentId!));

export const getDeployments: Handler<AG.GetDeploymentsRequest, AG.Deployments> = (input, ctx) => {
  getApi(ctx, input.restApiId!);
  const all = deployments(ctx).values({ prefix: `${input.restApiId}/` });
  const page = paginate(all, (d) => d.id, input.limit ?? 25, input.position, () => badRequest('Invalid position parameter'));
  return { items: page.items.map(deploymentView), position: page.nextToken };
};

export const deleteDeployment: Handler<AG.DeleteDeploymentRequest, Record<string, never>> = (input, ctx) => {
  const deployment = getDeploymentRecord(ctx, input.restApiId!, input.deploymentId!);
  const inUse = stages(ctx).values({ prefix: `${input.restApiId}/` }).some((s) => s.deploymentId === deployment.id);
  if (inUse) throw badRequest('Active stages pointing to this deployment must be moved or deleted');
  deployments(ctx).delete(`${input.restApiId}/${deployment.id}`);
  return {};
};

export const createStage: Handler<AG.CreateStageRequest, AG.Stage> = (input, ctx) => {
  getDeploymentRecord(ctx, input.restApiId!, input.deploymentId!);
  const key = `${input.restApiId}/${input.stageName}`;
  if (stages(ctx).has(key)) throw conflict('Stage already exists');
  const now = ctx.clock.now();
  const stage: StageRecord = {
    stageName: input.stageName!,
    deploymentId: input.deploymentId!,
    description: input.description,
    variables: input.variables,
    tracingEnabled: input.tracingEnabled,
    cacheClusterEnabled: input.cacheClusterEnabled,
    tags: input.tags,
    created: now,
    updated: now,
  };
  stages(ctx).put(key, stage);
  return stageView(stage);
};

export const getStage: Handler<AG.GetStageRequest, AG.Stage> = (input, ctx) => stageView(getStageRecord(ctx, input.restApiId!, input.stageName!));

export const getStages: Handler<AG.GetStagesRequest, AG.Stages> = (input, ctx) => {
  getApi(ctx, input.restApiId!);
  const all = stages(ctx).values({ prefix: `${input.restApiId}/` }).filter((s) => !input.deploymentId || s.deploymentId === input.deploymentId);
  return { item: all.map(stageView) };
};

export const deleteStage: Handler<AG.DeleteStageRequest, Record<string, never>> = (input, ctx) => {
  getStageRecord(ctx, input.restApiId!, input.stageName!);
  stages(ctx).delete(`${input.restApiId}/${input.stageName}`);
  return {};
};

const DEPLOYMENT_PATCH: PatchSpec = { rules: [{ path: '/description', ops: ['replace'] }], ...plainErrors };

export const updateDeployment: Handler<AG.UpdateDeploymentRequest, AG.Deployment> = (input, ctx) => {
  const deployment = getDeploymentRecord(ctx, input.restApiId!, input.deploymentId!);
  const updated = applyPatch(deployment, input.patchOperations, DEPLOYMENT_PATCH);
  deployments(ctx).put(`${input.restApiId}/${deployment.id}`, updated);
  return deploymentView(updated);
};

// The paths AWS lists, in its order and with its own spacing, when a stage patch path is unknown.
const STAGE_PATHS =
  '[/deploymentId, /description, /cacheClusterEnabled, /cacheClusterSize, /clientCertificateId, /accessLogSettings, /accessLogSettings/destinationArn, /accessLogSettings/format, ' +
  '/{resourcePath}/{httpMethod}/metrics/enabled, /{resourcePath}/{httpMethod}/logging/dataTrace, /{resourcePath}/{httpMethod}/logging/loglevel, ' +
  '/{resourcePath}/{httpMethod}/throttling/burstLimit/{resourcePath}/{httpMethod}/throttling/rateLimit/{resourcePath}/{httpMethod}/caching/ttlInSeconds, ' +
  '/{resourcePath}/{httpMethod}/caching/enabled, /{resourcePath}/{httpMethod}/caching/dataEncrypted, /{resourcePath}/{httpMethod}/caching/requireAuthorizationForCacheControl, ' +
  '/{resourcePath}/{httpMethod}/caching/unauthorizedCacheControlHeaderStrategy, /*/*/metrics/enabled, /*/*/logging/dataTrace, /*/*/logging/loglevel, ' +
  '/*/*/throttling/burstLimit /*/*/throttling/rateLimit /*/*/caching/ttlInSeconds, /*/*/caching/enabled, /*/*/caching/dataEncrypted, ' +
  '/*/*/caching/requireAuthorizationForCacheControl, /*/*/caching/unauthorizedCacheControlHeaderStrategy, /variables/{variable_name}, /tracingEnabled]';

const STAGE_PATCH: PatchSpec = {
  rules: [
    { path: '/deploymentId', ops: ['replace'] },
    { path: '/description', ops: ['replace'] },
    { path: '/cacheClusterEnabled', ops: ['replace'], kind: 'boolean' },
    { path: '/cacheClusterSize', ops: ['replace'] },
    { path: '/clientCertificateId', ops: ['replace'] },
    { path: '/accessLogSettings', ops: ['remove'] },
    { path: '/accessLogSettings/destinationArn', ops: ['replace'] },
    { path: '/accessLogSettings/format', ops: ['replace'] },
    { path: '/tracingEnabled', ops: ['replace'], kind: 'boolean' },
    { path: '/variables/*', ops: ['add', 'remove', 'replace'] },
  ],
  unknownPath: (_op, path) => badRequest(`Invalid method setting path: ${path}. Must be one of: ${STAGE_PATHS}`),
  badOp: (op, path) => badRequest(`Invalid ${op} operation with path: ${path}`),
};

/** Method settings paths: /<resource path, ~1-escaped, or *>/<method or *>/<group>/<setting>. */
const METHOD_SETTING = /^\/(.+)\/([^/]+)\/(metrics|logging|throttling|caching)\/([a-zA-Z]+)$/;
const SETTINGS: Record<string, [keyof AG.MethodSetting, 'boolean' | 'number' | 'string']> = {
  'metrics/enabled': ['metricsEnabled', 'boolean'],
  'logging/dataTrace': ['dataTraceEnabled', 'boolean'],
  'logging/loglevel': ['loggingLevel', 'string'],
  'throttling/burstLimit': ['throttlingBurstLimit', 'number'],
  'throttling/rateLimit': ['throttlingRateLimit', 'number'],
  'caching/ttlInSeconds': ['cacheTtlInSeconds', 'number'],
  'caching/enabled': ['cachingEnabled', 'boolean'],
  'caching/dataEncrypted': ['cacheDataEncrypted', 'boolean'],
  'caching/requireAuthorizationForCacheControl': ['requireAuthorizationForCacheControl', 'boolean'],
  'caching/unauthorizedCacheControlHeaderStrategy': ['unauthorizedCacheControlHeaderStrategy', 'string'],
};

/** Applies one method-setting operation, or answers false when the path is not one. */
function applyMethodSetting(stage: StageRecord, operation: PatchOperation): boolean {
  const m = METHOD_SETTING.exec(operation.path ?? '');
  const setting = m && SETTINGS[`${m[3]}/${m[4]}`];
  if (!m || !setting) return false;
  const key = `${m[1]!.replace(/~1/g, '/').replace(/^\//, '')}/${m[2]}`;
  const current: AG.MethodSetting = { ...stage.methodSettings?.[key] };
  const [field, type] = setting;
  const value = operation.value ?? '';
  (current as Record<string, unknown>)[field] = type === 'boolean' ? value.toLowerCase() === 'true' : type === 'number' ? Number(value) : value;
  stage.methodSettings = { ...stage.methodSettings, [key]: current };
  return true;
}

export const updateStage: Handler<AG.UpdateStageRequest, AG.Stage> = (input, ctx) => {
  const stage = getStageRecord(ctx, input.restApiId!, input.stageName!);
  const plain: PatchOperation[] = [];
  const updated = structuredClone(stage);
  for (const operation of operationsOf(input.patchOperations)) {
    if (operation.op === 'remove' && /^\/?\*\/\*\/?$/.test(operation.path ?? '')) {
      if (!updated.methodSettings?.['*/*']) throw badRequest('Cannot remove method setting */* because there is no method setting for this method ');
      delete updated.methodSettings['*/*'];
    } else if (!applyMethodSetting(updated, operation)) {
      plain.push(operation);
    }
  }
  const patched = applyPatch(updated, plain, STAGE_PATCH);
  if (patched.deploymentId !== stage.deploymentId) getDeploymentRecord(ctx, input.restApiId!, patched.deploymentId);
  const log = patched.accessLogSettings;
  if (log && (log.destinationArn !== stage.accessLogSettings?.destinationArn || log.format !== stage.accessLogSettings?.format)) {
    checkAccessLogSettings('REST', ctx, log.destinationArn, log.format);
  }
  patched.updated = ctx.clock.now();
  stages(ctx).put(`${input.restApiId}/${stage.stageName}`, patched);
  return stageView(patched);
};
