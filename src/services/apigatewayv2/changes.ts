// HTTP API operations on single items: Get, Update and Delete for routes, integrations and
// stages, UpdateApi (CORS configuration included), and the authorizers (JWT and Lambda REQUEST).
// Update* take the members to change; what is not given stays.

import type * as AG2 from '@aws-sdk/client-apigatewayv2';
import { newId } from '../apigateway/state.js';
import type { Handler, RequestContext } from '../types.js';
import { autoDeployStage, findDeployment } from './deployments.js';
import { checkRequestParameters, checkResponseParameters } from './mapping.js';
import { mergeStageSettings } from './stage-settings.js';
import { apiView, integrationView, nonEmpty, routeView, stageView } from './operations.js';
import {
  authorizers,
  badRequest,
  getHttpApi,
  httpApis,
  integrations,
  notFound,
  routes,
  stages,
  type AuthorizerRecord,
  type IntegrationRecord,
  type RouteRecord,
  type StageRecord,
} from './state.js';

const defined = <T extends object>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

function findRoute(ctx: RequestContext, apiId: string, routeId: string): RouteRecord {
  getHttpApi(ctx, apiId);
  const route = routes(ctx).get(`${apiId}/${routeId}`);
  if (!route) throw notFound(`Invalid Route identifier specified ${routeId}`);
  return route;
}

function findIntegration(ctx: RequestContext, apiId: string, integrationId: string): IntegrationRecord {
  getHttpApi(ctx, apiId);
  const integration = integrations(ctx).get(`${apiId}/${integrationId}`);
  if (!integration) throw notFound(`Invalid Integration identifier specified ${integrationId}`);
  return integration;
}

function findStage(ctx: RequestContext, apiId: string, stageName: string): StageRecord {
  getHttpApi(ctx, apiId);
  const stage = stages(ctx).get(`${apiId}/${stageName}`);
  if (!stage) throw notFound('Invalid stage identifier specified');
  return stage;
}

function findAuthorizer(ctx: RequestContext, apiId: string, authorizerId: string): AuthorizerRecord {
  getHttpApi(ctx, apiId);
  const authorizer = authorizers(ctx).get(`${apiId}/${authorizerId}`);
  if (!authorizer) throw notFound(`Invalid Authorizer identifier specified ${authorizerId}`);
  return authorizer;
}

/** A route's authorization must name an authorizer of the matching kind. */
export function checkRouteAuthorization(ctx: RequestContext, apiId: string, type: string | undefined, authorizerId: string | undefined): void {
  if (!type || type === 'NONE' || type === 'AWS_IAM') return;
  if (!authorizerId) throw badRequest(`Unable to update route. Authorizer Id must be specified for authorization type ${type}.`);
  const authorizer = findAuthorizer(ctx, apiId, authorizerId);
  const expected = type === 'JWT' ? 'JWT' : 'REQUEST';
  if (authorizer.authorizerType !== expected) throw badRequest(`Unable to update route. Authorizer type ${authorizer.authorizerType} does not match authorization type ${type}.`);
}

export const updateApi: Handler<AG2.UpdateApiRequest, AG2.UpdateApiResponse> = (input, ctx) => {
  const api = getHttpApi(ctx, input.ApiId!);
  const updated = {
    ...api,
    ...defined({
      name: input.Name,
      description: input.Description,
      version: input.Version,
      routeSelectionExpression: input.RouteSelectionExpression,
      apiKeySelectionExpression: input.ApiKeySelectionExpression,
      disableExecuteApiEndpoint: input.DisableExecuteApiEndpoint,
      corsConfiguration: input.CorsConfiguration,
    }),
  };
  httpApis(ctx).put(api.apiId, updated);
  return apiView(ctx, updated);
};

export const deleteCorsConfiguration: Handler<AG2.DeleteCorsConfigurationRequest, Record<string, never>> = (input, ctx) => {
  const api = getHttpApi(ctx, input.ApiId!);
  httpApis(ctx).put(api.apiId, { ...api, corsConfiguration: undefined });
  return {};
};

export const getRoute: Handler<AG2.GetRouteRequest, AG2.GetRouteResult> = (input, ctx) => routeView(findRoute(ctx, input.ApiId!, input.RouteId!));

export const updateRoute: Handler<AG2.UpdateRouteRequest, AG2.UpdateRouteResult> = (input, ctx) => {
  const route = findRoute(ctx, input.ApiId!, input.RouteId!);
  const updated: RouteRecord = {
    ...route,
    ...defined({
      routeKey: input.RouteKey,
      target: input.Target,
      authorizationType: input.AuthorizationType,
      authorizerId: input.AuthorizerId,
      authorizationScopes: input.AuthorizationScopes,
      apiKeyRequired: input.ApiKeyRequired,
      operationName: input.OperationName,
    }),
  };
  if (updated.authorizationType === 'NONE') delete updated.authorizerId;
  checkRouteAuthorization(ctx, input.ApiId!, updated.authorizationType, updated.authorizerId);
  if (updated.target && !integrations(ctx).has(`${input.ApiId}/${updated.target.replace(/^integrations\//, '')}`)) {
    throw badRequest(`Unable to update route ${updated.routeKey}. Integration ${updated.target} does not exist.`);
  }
  routes(ctx).put(`${input.ApiId}/${route.routeId}`, updated);
  return routeView(updated);
};

export const deleteRoute: Handler<AG2.DeleteRouteRequest, Record<string, never>> = (input, ctx) => {
  const route = findRoute(ctx, input.ApiId!, input.RouteId!);
  routes(ctx).delete(`${input.ApiId}/${route.routeId}`);
  return {};
};

export const getIntegration: Handler<AG2.GetIntegrationRequest, AG2.GetIntegrationResult> = (input, ctx) => integrationView(findIntegration(ctx, input.ApiId!, input.IntegrationId!));

export const updateIntegration: Handler<AG2.UpdateIntegrationRequest, AG2.UpdateIntegrationResult> = (input, ctx) => {
  const integration = findIntegration(ctx, input.ApiId!, input.IntegrationId!);
  if (input.PayloadFormatVersion && !['1.0', '2.0'].includes(input.PayloadFormatVersion)) throw badRequest(`Unsupported payload format version: ${input.PayloadFormatVersion}`);
  const updated: IntegrationRecord = {
    ...integration,
    ...defined({
      integrationType: input.IntegrationType,
      integrationUri: input.IntegrationUri,
      integrationMethod: input.IntegrationMethod,
      payloadFormatVersion: input.PayloadFormatVersion,
      timeoutInMillis: input.TimeoutInMillis,
      connectionType: input.ConnectionType,
      description: input.Description,
    }),
  };
  // Given mappings merge into the existing ones; an empty value (or an empty status code map) removes one.
  if (input.RequestParameters) {
    checkRequestParameters(input.RequestParameters);
    const merged = { ...integration.requestParameters, ...input.RequestParameters };
    for (const [k, v] of Object.entries(input.RequestParameters)) if (v === '') delete merged[k];
    updated.requestParameters = nonEmpty(merged);
  }
  if (input.ResponseParameters) {
    checkResponseParameters(input.ResponseParameters);
    const merged = { ...integration.responseParameters, ...input.ResponseParameters };
    for (const [k, v] of Object.entries(input.ResponseParameters)) if (!v || !Object.keys(v).length) delete merged[k];
    updated.responseParameters = nonEmpty(merged);
  }
  integrations(ctx).put(`${input.ApiId}/${integration.integrationId}`, updated);
  return integrationView(updated);
};

export const deleteIntegration: Handler<AG2.DeleteIntegrationRequest, Record<string, never>> = (input, ctx) => {
  const integration = findIntegration(ctx, input.ApiId!, input.IntegrationId!);
  const target = `integrations/${integration.integrationId}`;
  const user = routes(ctx).values({ prefix: `${input.ApiId}/` }).find((r) => r.target === target);
  if (user) throw badRequest(`Cannot delete Integration ${integration.integrationId} because it is the target of route ${user.routeId}.`);
  integrations(ctx).delete(`${input.ApiId}/${integration.integrationId}`);
  return {};
};

export const getStage: Handler<AG2.GetStageRequest, AG2.GetStageResponse> = (input, ctx) => stageView(findStage(ctx, input.ApiId!, input.StageName!));

export const updateStage: Handler<AG2.UpdateStageRequest, AG2.UpdateStageResponse> = (input, ctx) => {
  const stage = findStage(ctx, input.ApiId!, input.StageName!);
  if (input.DeploymentId !== undefined) {
    findDeployment(ctx, input.ApiId!, input.DeploymentId);
    // Unconfirmed wording: AWS refuses a DeploymentId for a stage that deploys itself.
    if (input.AutoDeploy ?? stage.autoDeploy) throw badRequest('DeploymentId cannot be set on a stage with AutoDeploy enabled.');
  }
  const updated: StageRecord = {
    ...stage,
    ...defined({ autoDeploy: input.AutoDeploy, description: input.Description, deploymentId: input.DeploymentId }),
    stageVariables: input.StageVariables ? { ...stage.stageVariables, ...input.StageVariables } : stage.stageVariables,
    ...mergeStageSettings(ctx, input, stage),
    updated: ctx.clock.now(),
  };
  stages(ctx).put(`${input.ApiId}/${stage.stageName}`, updated);
  // Turning AutoDeploy on deploys the API as it is now.
  return stageView(updated.autoDeploy && !stage.autoDeploy ? autoDeployStage(ctx, input.ApiId!, updated) : updated);
};

export const deleteStage: Handler<AG2.DeleteStageRequest, Record<string, never>> = (input, ctx) => {
  const stage = findStage(ctx, input.ApiId!, input.StageName!);
  stages(ctx).delete(`${input.ApiId}/${stage.stageName}`);
  return {};
};

const authorizerView = (a: AuthorizerRecord): AG2.Authorizer => ({
  AuthorizerId: a.authorizerId,
  Name: a.name,
  AuthorizerType: a.authorizerType,
  IdentitySource: a.identitySource,
  JwtConfiguration: a.jwtConfiguration,
  AuthorizerUri: a.authorizerUri,
  AuthorizerCredentialsArn: a.authorizerCredentialsArn,
  AuthorizerPayloadFormatVersion: a.authorizerPayloadFormatVersion,
  AuthorizerResultTtlInSeconds: a.authorizerResultTtlInSeconds,
  EnableSimpleResponses: a.enableSimpleResponses,
  IdentityValidationExpression: a.identityValidationExpression,
});

// Unconfirmed: the wording of these checks is Fogbank's.
function checkAuthorizer(a: AuthorizerRecord): void {
  if (a.authorizerType === 'JWT') {
    if (!a.jwtConfiguration?.Issuer) throw badRequest('JWT authorizers require an issuer in JwtConfiguration.');
    if (!a.identitySource?.length) throw badRequest('IdentitySource is required for JWT authorizers.');
  } else if (a.authorizerType === 'REQUEST') {
    if (!a.authorizerUri) throw badRequest('AuthorizerUri is required for REQUEST authorizers.');
    if (!a.authorizerPayloadFormatVersion) throw badRequest('AuthorizerPayloadFormatVersion is required for REQUEST authorizers of HTTP APIs.');
    if (a.enableSimpleResponses && a.authorizerPayloadFormatVersion !== '2.0') throw badRequest('Simple responses are only supported with authorizer payload format version 2.0.');
    if ((a.authorizerResultTtlInSeconds ?? 0) > 0 && !a.identitySource?.length) throw badRequest('IdentitySource is required when authorizer caching is enabled (AuthorizerResultTtlInSeconds greater than 0).');
  } else {
    throw badRequest(`Invalid authorizer type specified: ${String(a.authorizerType)}`);
  }
}

export const createAuthorizer: Handler<AG2.CreateAuthorizerRequest, AG2.CreateAuthorizerResponse> = (input, ctx) => {
  getHttpApi(ctx, input.ApiId!);
  const record: AuthorizerRecord = {
    authorizerId: newId(6),
    name: input.Name!,
    authorizerType: input.AuthorizerType as AuthorizerRecord['authorizerType'],
    identitySource: input.IdentitySource,
    jwtConfiguration: input.JwtConfiguration,
    authorizerUri: input.AuthorizerUri,
    authorizerCredentialsArn: input.AuthorizerCredentialsArn,
    authorizerPayloadFormatVersion: input.AuthorizerPayloadFormatVersion,
    authorizerResultTtlInSeconds: input.AuthorizerType === 'REQUEST' ? (input.AuthorizerResultTtlInSeconds ?? 0) : undefined,
    enableSimpleResponses: input.AuthorizerType === 'REQUEST' ? (input.EnableSimpleResponses ?? false) : undefined,
    identityValidationExpression: input.IdentityValidationExpression,
  };
  checkAuthorizer(record);
  authorizers(ctx).put(`${input.ApiId}/${record.authorizerId}`, record);
  return authorizerView(record);
};

export const getAuthorizer: Handler<AG2.GetAuthorizerRequest, AG2.GetAuthorizerResponse> = (input, ctx) => authorizerView(findAuthorizer(ctx, input.ApiId!, input.AuthorizerId!));

export const getAuthorizers: Handler<AG2.GetAuthorizersRequest, AG2.GetAuthorizersResponse> = (input, ctx) => {
  getHttpApi(ctx, input.ApiId!);
  return { Items: authorizers(ctx).values({ prefix: `${input.ApiId}/` }).map(authorizerView) };
};

export const updateAuthorizer: Handler<AG2.UpdateAuthorizerRequest, AG2.UpdateAuthorizerResponse> = (input, ctx) => {
  const authorizer = findAuthorizer(ctx, input.ApiId!, input.AuthorizerId!);
  const updated: AuthorizerRecord = {
    ...authorizer,
    ...defined({
      name: input.Name,
      authorizerType: input.AuthorizerType as AuthorizerRecord['authorizerType'] | undefined,
      identitySource: input.IdentitySource,
      jwtConfiguration: input.JwtConfiguration,
      authorizerUri: input.AuthorizerUri,
      authorizerCredentialsArn: input.AuthorizerCredentialsArn,
      authorizerPayloadFormatVersion: input.AuthorizerPayloadFormatVersion,
      authorizerResultTtlInSeconds: input.AuthorizerResultTtlInSeconds,
      enableSimpleResponses: input.EnableSimpleResponses,
      identityValidationExpression: input.IdentityValidationExpression,
    }),
  };
  checkAuthorizer(updated);
  authorizers(ctx).put(`${input.ApiId}/${authorizer.authorizerId}`, updated);
  return authorizerView(updated);
};

export const deleteAuthorizer: Handler<AG2.DeleteAuthorizerRequest, Record<string, never>> = (input, ctx) => {
  const authorizer = findAuthorizer(ctx, input.ApiId!, input.AuthorizerId!);
  const user = routes(ctx).values({ prefix: `${input.ApiId}/` }).find((r) => r.authorizerId === authorizer.authorizerId);
  if (user) throw badRequest(`Cannot delete authorizer ${authorizer.authorizerId}: it is used by route ${user.routeId}.`);
  authorizers(ctx).delete(`${input.ApiId}/${authorizer.authorizerId}`);
  return {};
};
