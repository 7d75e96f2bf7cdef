// HTTP API operations: creating and listing APIs (with quick create), routes, integrations and
// stages; changes.ts has the single-item reads, updates and deletes, and the authorizers.

import type * as AG2 from '@aws-sdk/client-apigatewayv2';
import { paginate } from '../common/pagination.js';
import { newId } from '../apigateway/state.js';
import type { Handler, RequestContext } from '../types.js';
import { checkRouteAuthorization } from './changes.js';
import { autoDeployStage, findDeployment } from './deployments.js';
import { mergeStageSettings, settingsView } from './stage-settings.js';
import { checkRequestParameters, checkResponseParameters } from './mapping.js';
import { checkTags } from './tags.js';
import {
  authorizers,
  badRequest,
  conflict,
  deployments,
  getHttpApi,
  httpApiIndex,
  httpApis,
  integrations,
  routes,
  stages,
  type HttpApiRecord,
  type IntegrationRecord,
  type RouteRecord,
  type StageRecord,
} from './state.js';

/** Where Fogbank serves the API: the execute-api host form, on Fogbank's port. */
function apiEndpoint(ctx: RequestContext, apiId: string): string {
  const port = /:(\d+)\/?$/.exec(ctx.endpoint)?.[1] ?? '4566';
  return `http://${apiId}.execute-api.localhost.localstack.cloud:${port}`;
}

export const apiView = (ctx: RequestContext, a: HttpApiRecord): AG2.Api => ({
  ApiEndpoint: apiEndpoint(ctx, a.apiId),
  ApiId: a.apiId,
  ApiKeySelectionExpression: a.apiKeySelectionExpression,
  CorsConfiguration: a.corsConfiguration,
  CreatedDate: new Date(a.created),
  Description: a.description,
  DisableExecuteApiEndpoint: a.disableExecuteApiEndpoint,
  Name: a.name,
  ProtocolType: a.protocolType as AG2.ProtocolType,
  RouteSelectionExpression: a.routeSelectionExpression,
  Tags: a.tags ?? {},
  Version: a.version,
});

export const routeView = (r: RouteRecord): AG2.Route => ({
  ApiGatewayManaged: r.apiGatewayManaged,
  ApiKeyRequired: r.apiKeyRequired,
  AuthorizationScopes: r.authorizationScopes,
  AuthorizationType: r.authorizationType as AG2.AuthorizationType,
  AuthorizerId: r.authorizerId,
  OperationName: r.operationName,
  RouteId: r.routeId,
  RouteKey: r.routeKey,
  Target: r.target,
});

export const integrationView = (i: IntegrationRecord): AG2.CreateIntegrationResult => ({
  ApiGatewayManaged: i.apiGatewayManaged,
  ConnectionType: i.connectionType as AG2.ConnectionType,
  Description: i.description,
  IntegrationId: i.integrationId,
  IntegrationMethod: i.integrationMethod,
  IntegrationType: i.integrationType as AG2.IntegrationType,
  IntegrationUri: i.integrationUri,
  PayloadFormatVersion: i.payloadFormatVersion,
  RequestParameters: i.requestParameters,
  ResponseParameters: i.responseParameters,
  TimeoutInMillis: i.timeoutInMillis,
});

export const stageView = (s: StageRecord): AG2.Stage => ({
  ApiGatewayManaged: s.apiGatewayManaged,
  AutoDeploy: s.autoDeploy,
  CreatedDate: new Date(s.created),
  DeploymentId: s.deploymentId,
  Description: s.description,
  // AWS reports the last deployment's status only for stages that deploy themselves.
  LastDeploymentStatusMessage: s.autoDeploy ? s.lastDeploymentStatusMessage : undefined,
  LastUpdatedDate: new Date(s.updated),
  ...settingsView(s),
  StageName: s.stageName,
  StageVariables: s.stageVariables ?? {},
  Tags: s.tags ?? {},
});

export const nonEmpty = <T extends object>(o: T | undefined): T | undefined => (o && Object.keys(o).length ? o : undefined);

const ROUTE_KEY = /^(\$default|(GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS|ANY) \/\S*)$/;

function addIntegration(ctx: RequestContext, apiId: string, input: AG2.CreateIntegrationRequest, managed?: boolean): IntegrationRecord {
  if (input.IntegrationType === 'AWS_PROXY' && !input.PayloadFormatVersion && !managed) {
    throw badRequest('PayloadFormatVersion is required for AWS_PROXY integrations of HTTP APIs');
  }
  if (input.PayloadFormatVersion && !['1.0', '2.0'].includes(input.PayloadFormatVersion)) throw badRequest(`Unsupported payload format version: ${input.PayloadFormatVersion}`);
  checkRequestParameters(input.RequestParameters);
  checkResponseParameters(input.ResponseParameters);
  const record: IntegrationRecord = {
    integrationId: newId(7),
    integrationType: input.IntegrationType!,
    integrationUri: input.IntegrationUri,
    integrationMethod: input.IntegrationMethod ?? (input.IntegrationType === 'AWS_PROXY' ? 'POST' : undefined),
    payloadFormatVersion: input.PayloadFormatVersion ?? (input.IntegrationType === 'HTTP_PROXY' ? '1.0' : '2.0'),
    timeoutInMillis: input.TimeoutInMillis ?? 30000,
    connectionType: input.ConnectionType ?? 'INTERNET',
    description: input.Description,
    apiGatewayManaged: managed,
    requestParameters: nonEmpty(input.RequestParameters),
    responseParameters: nonEmpty(input.ResponseParameters),
  };
  integrations(ctx).put(`${apiId}/${record.integrationId}`, record);
  return record;
}

type RouteInput = { RouteKey?: string; Target?: string; AuthorizationType?: string; AuthorizerId?: string; AuthorizationScopes?: string[]; ApiKeyRequired?: boolean; OperationName?: string };

function addRoute(ctx: RequestContext, apiId: string, input: RouteInput, managed?: boolean): RouteRecord {
  if (!ROUTE_KEY.test(input.RouteKey!)) throw badRequest(`Unable to create route ${input.RouteKey}. Route key must be $default or of the form '<METHOD> /<path>'.`);
  if (routes(ctx).values({ prefix: `${apiId}/` }).some((r) => r.routeKey === input.RouteKey)) throw conflict(`Unable to create route ${input.RouteKey}. A route with the same key already exists.`);
  const target = input.Target;
  if (target && !integrations(ctx).has(`${apiId}/${target.replace(/^integrations\//, '')}`)) throw badRequest(`Unable to create route ${input.RouteKey}. Integration ${target} does not exist.`);
  checkRouteAuthorization(ctx, apiId, input.AuthorizationType, input.AuthorizerId);
  const record: RouteRecord = {
    routeId: newId(7),
    routeKey: input.RouteKey!,
    target,
    authorizationType: input.AuthorizationType ?? 'NONE',
    authorizerId: input.AuthorizerId,
    authorizationScopes: input.AuthorizationScopes?.length ? input.AuthorizationScopes : undefined,
    apiKeyRequired: input.ApiKeyRequired ?? false,
    operationName: input.OperationName,
    apiGatewayManaged: managed,
  };
  routes(ctx).put(`${apiId}/${record.routeId}`, record);
  return record;
}

function addStage(ctx: RequestContext, apiId: string, input: AG2.CreateStageRequest, managed?: boolean): StageRecord {
  const key = `${apiId}/${input.StageName}`;
  if (stages(ctx).has(key)) throw conflict(`Stage already exists`);
  if (input.DeploymentId !== undefined) findDeployment(ctx, apiId, input.DeploymentId);
  checkTags(input.Tags);
  const now = ctx.clock.now();
  const record: StageRecord = {
    stageName: input.StageName!,
    autoDeploy: input.AutoDeploy ?? false,
    description: input.Description,
    stageVariables: input.StageVariables,
    apiGatewayManaged: managed,
    deploymentId: input.DeploymentId,
    ...mergeStageSettings(ctx, input),
    tags: input.Tags,
    created: now,
    updated: now,
  };
  stages(ctx).put(key, record);
  return record.autoDeploy ? autoDeployStage(ctx, apiId, record) : record;
}

export const createApi: Handler<AG2.CreateApiRequest, AG2.CreateApiResponse> = (input, ctx) => {
  checkTags(input.Tags);
  if (input.ProtocolType !== 'HTTP') throw badRequest('Fogbank supports HTTP APIs only (WebSocket APIs are not implemented).');
  const api: HttpApiRecord = {
    apiId: newId(),
    name: input.Name!,
    protocolType: 'HTTP',
    description: input.Description,
    version: input.Version,
    routeSelectionExpression: input.RouteSelectionExpression ?? '${request.method} ${request.path}',
    apiKeySelectionExpression: input.ApiKeySelectionExpression ?? '$request.header.x-api-key',
    disableExecuteApiEndpoint: input.DisableExecuteApiEndpoint ?? false,
    tags: input.Tags,
    corsConfiguration: input.CorsConfiguration,
    created: ctx.clock.now(),
  };
  ctx.store.transaction(() => {
    httpApis(ctx).put(api.apiId, api);
    httpApiIndex(ctx.store).put(api.apiId, { account: ctx.account, region: ctx.region });
    // Quick create: an integration to the target, a route to it ($default unless named) and an auto-deployed $default stage.
    if (input.Target) {
      const integration = addIntegration(ctx, api.apiId, { ApiId: api.apiId, IntegrationType: 'AWS_PROXY', IntegrationUri: input.Target, PayloadFormatVersion: '2.0' }, true);
      addRoute(ctx, api.apiId, { RouteKey: input.RouteKey ?? '$default', Target: `integrations/${integration.integrationId}` }, true);
      addStage(ctx, api.apiId, { ApiId: api.apiId, StageName: '$default', AutoDeploy: true }, true);
    }
  });
  return apiView(ctx, api);
};

export const getApi: Handler<AG2.GetApiRequest, AG2.GetApiResponse> = (input, ctx) => apiView(ctx, getHttpApi(ctx, input.ApiId!));

export const getApis: Handler<AG2.GetApisRequest, AG2.GetApisResponse> = (input, ctx) => {
  const page = paginate(httpApis(ctx).values(), (a) => a.apiId, Number(input.MaxResults ?? 100), input.NextToken, () => badRequest('Invalid NextToken'));
  return { Items: page.items.map((a) => apiView(ctx, a)), NextToken: page.nextToken };
};

export const deleteApi: Handler<AG2.DeleteApiRequest, Record<string, never>> = (input, ctx) => {
  const api = getHttpApi(ctx, input.ApiId!);
  ctx.store.transaction(() => {
    for (const c of [routes(ctx), integrations(ctx), stages(ctx), authorizers(ctx), deployments(ctx)]) c.deletePrefix(`${api.apiId}/`);
    httpApis(ctx).delete(api.apiId);
    httpApiIndex(ctx.store).delete(api.apiId);
  });
  return {};
};

export const createRoute: Handler<AG2.CreateRouteRequest, AG2.CreateRouteResult> = (input, ctx) => routeView(addRoute(ctx, getHttpApi(ctx, input.ApiId!).apiId, input));

export const getRoutes: Handler<AG2.GetRoutesRequest, AG2.GetRoutesResponse> = (input, ctx) => {
  getHttpApi(ctx, input.ApiId!);
  return { Items: routes(ctx).values({ prefix: `${input.ApiId}/` }).map(routeView) };
};

export const createIntegration: Handler<AG2.CreateIntegrationRequest, AG2.CreateIntegrationResult> = (input, ctx) =>
  integrationView(addIntegration(ctx, getHttpApi(ctx, input.ApiId!).apiId, input));

export const getIntegrations: Handler<AG2.GetIntegrationsRequest, AG2.GetIntegrationsResponse> = (input, ctx) => {
  getHttpApi(ctx, input.ApiId!);
  return { Items: integrations(ctx).values({ prefix: `${input.ApiId}/` }).map(integrationView) };
};

export const createStage: Handler<AG2.CreateStageRequest, AG2.CreateStageResponse> = (input, ctx) => stageView(addStage(ctx, getHttpApi(ctx, input.ApiId!).apiId, input));

export const getStages: Handler<AG2.GetStagesRequest, AG2.GetStagesResponse> = (input, ctx) => {
  getHttpApi(ctx, input.ApiId!);
  return { Items: stages(ctx).values({ prefix: `${input.ApiId}/` }).map(stageView) };
};
