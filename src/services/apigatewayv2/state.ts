// HTTP API state: APIs, routes, integrations, stages, authorizers and deployments, keyed <api-id>/<id>. HTTP API ids share
// the execute-api host names with REST APIs, so they have their own account-wide index.

import type * as AG2 from '@aws-sdk/client-apigatewayv2';
import { ServiceError } from '../../errors.js';
import type { Store } from '../../store/store.js';
import type { RequestContext } from '../types.js';

export interface HttpApiRecord {
  apiId: string;
  name: string;
  protocolType: string;
  description?: string;
  version?: string;
  routeSelectionExpression: string;
  apiKeySelectionExpression: string;
  disableExecuteApiEndpoint: boolean;
  tags?: Record<string, string>;
  corsConfiguration?: AG2.Cors;
  created: number;
}

export interface RouteRecord {
  routeId: string;
  routeKey: string;
  target?: string;
  authorizationType: string;
  apiKeyRequired: boolean;
  authorizerId?: string;
  authorizationScopes?: string[];
  operationName?: string;
  apiGatewayManaged?: boolean;
}

export interface AuthorizerRecord {
  authorizerId: string;
  name: string;
  authorizerType: 'JWT' | 'REQUEST';
  identitySource?: string[];
  jwtConfiguration?: AG2.JWTConfiguration;
  authorizerUri?: string;
  authorizerCredentialsArn?: string;
  authorizerPayloadFormatVersion?: string;
  authorizerResultTtlInSeconds?: number;
  enableSimpleResponses?: boolean;
  identityValidationExpression?: string;
}

export interface IntegrationRecord {
  integrationId: string;
  integrationType: string;
  integrationUri?: string;
  integrationMethod?: string;
  payloadFormatVersion: string;
  timeoutInMillis: number;
  connectionType: string;
  description?: string;
  apiGatewayManaged?: boolean;
  /** Parameter mapping (mapping.ts): "<action>:<where>.<name>" -> value expression. */
  requestParameters?: Record<string, string>;
  /** Status code -> response parameter mapping. */
  responseParameters?: Record<string, Record<string, string>>;
}

export interface StageRecord {
  stageName: string;
  autoDeploy: boolean;
  description?: string;
  stageVariables?: Record<string, string>;
  apiGatewayManaged?: boolean;
  /** The deployment the stage serves; a stage without one answers 404. */
  deploymentId?: string;
  lastDeploymentStatusMessage?: string;
  accessLogSettings?: AG2.AccessLogSettings;
  defaultRouteSettings?: AG2.RouteSettings;
  /** Keyed by route key. */
  routeSettings?: Record<string, AG2.RouteSettings>;
  tags?: Record<string, string>;
  created: number;
  updated: number;
}

/** What a deployment froze: the API's routes, integrations, authorizers and CORS configuration. */
export interface DeploymentSnapshot {
  routes: RouteRecord[];
  integrations: IntegrationRecord[];
  authorizers: AuthorizerRecord[];
  cors?: AG2.Cors;
}

export interface DeploymentRecord {
  deploymentId: string;
  description?: string;
  autoDeployed: boolean;
  created: number;
  snapshot: DeploymentSnapshot;
}

export const httpApis = (ctx: RequestContext) => ctx.collection<HttpApiRecord>('apis');
export const routes = (ctx: RequestContext) => ctx.collection<RouteRecord>('routes');
export const integrations = (ctx: RequestContext) => ctx.collection<IntegrationRecord>('integrations');
export const stages = (ctx: RequestContext) => ctx.collection<StageRecord>('stages');
export const authorizers = (ctx: RequestContext) => ctx.collection<AuthorizerRecord>('authorizers');
export const deployments = (ctx: RequestContext) => ctx.collection<DeploymentRecord>('deployments');

export function httpApiIndex(store: Store) {
  return store.collection<{ account: string; region: string }>('apigatewayv2', 'api-index', { account: '', region: '' });
}

export function scopedV2<T>(store: Store, location: { account: string; region: string }, name: string) {
  return store.collection<T>('apigatewayv2', name, location);
}

export const notFound = (message: string) => new ServiceError('NotFoundException', message, { status: 404 });
export const badRequest = (message: string) => new ServiceError('BadRequestException', message, { status: 400 });
export const conflict = (message: string) => new ServiceError('ConflictException', message, { status: 409 });

export function getHttpApi(ctx: RequestContext, apiId: string): HttpApiRecord {
  const api = httpApis(ctx).get(apiId);
  if (!api) throw notFound(`Invalid API identifier specified ${ctx.account}:${apiId}`);
  return api;
}
