// API Gateway HTTP APIs: APIs (with quick create, CORS configuration, tags and OpenAPI 3 import and
// export), routes, integrations, stages, deployments and authorizers (JWT against the issuer's
// keys; Lambda REQUEST with simple or IAM responses, cached for AuthorizerResultTtlInSeconds).
// A stage serves its deployment (deployments.ts): a manual stage the one it names, an auto-deploy
// stage a new one after every change; served.ts keeps each stage's deployment compiled for the
// invoke path. invoke.ts serves the execute-api URLs with Lambda (payload 1.0 and 2.0) and
// HTTP_PROXY integrations, parameter mapping (mapping.ts), preflights answered from the CORS
// configuration, the 10 MB limit and the integration timeout (503, as AWS answers). Stages'
// DefaultRouteSettings and RouteSettings throttle each route (throttling.ts, 429 Too Many
// Requests); AccessLogSettings write one line per request to CloudWatch Logs (access-log.ts).
// Custom domain names and API mappings (domain-names.ts) share apigateway's records, as on AWS; a
// request whose Host header is a configured name is served by its mapping key
// (../apigateway/invoke/custom-domains.ts). Certificates are accepted as given (no ACM).
// Messages marked "unconfirmed" are Fogbank's wording, not checked against AWS.
// Not yet: WebSocket APIs; AWS service integrations (integration subtypes); route and integration
// responses (WebSocket only); overwrite:path for Lambda integrations (accepted, not applied);
// mutual TLS on domain names (truststores stored, not checked), VPC links, models;
// Swagger 2 import, import Basepath and FailOnWarnings; access logs to Kinesis Data Firehose;
// detailed metrics and logging levels (stored, not acted on); the account-level throttle.

import { stopAccessLogs } from '../apigateway/invoke/access-log.js';
import type { Handler, ServiceImplementation } from '../types.js';
import { autoDeploy, createDeployment, deleteDeployment, getDeployment, getDeployments, updateDeployment } from './deployments.js';
import { forgetApi, forgetAuthorizerAnswers } from './served.js';
import { deleteAccessLogSettings, deleteRouteSettings } from './stage-settings.js';
import { createApiMapping, createDomainName, deleteApiMapping, deleteDomainName, getApiMapping, getApiMappings, getDomainName, getDomainNames, updateApiMapping, updateDomainName } from './domain-names.js';
import { exportApi, importApi, reimportApi } from './openapi.js';
import { getTags, tagResource, untagResource } from './tags.js';
import {
  createAuthorizer,
  deleteAuthorizer,
  deleteCorsConfiguration,
  deleteIntegration,
  deleteRoute,
  deleteStage,
  getAuthorizer,
  getAuthorizers,
  getIntegration,
  getRoute,
  getStage,
  updateApi,
  updateAuthorizer,
  updateIntegration,
  updateRoute,
  updateStage,
} from './changes.js';
import { createApi, createIntegration, createRoute, createStage, deleteApi, getApi, getApis, getIntegrations, getRoutes, getStages } from './operations.js';

/** Operations that change what an API serves: auto-deploy stages redeploy after them. */
function redeploying<I extends { ApiId?: string }>(handler: Handler<I>): Handler<I> {
  return (input, ctx) => {
    const out = handler(input, ctx);
    autoDeploy(ctx, input.ApiId!);
    forgetApi(ctx.store, input.ApiId!);
    return out;
  };
}

/** Other changes (stages, deployments, deleting the API): the invoke path's cache of the API is dropped. */
function forgetting<I extends { ApiId?: string }>(handler: Handler<I>): Handler<I> {
  return (input, ctx) => {
    const out = handler(input, ctx);
    forgetApi(ctx.store, input.ApiId!);
    return out;
  };
}

/** Changes to an authorizer also drop its cached answers. */
function reauthorizing<I extends { ApiId?: string; AuthorizerId?: string }>(handler: Handler<I>): Handler<I> {
  const inner = redeploying(handler);
  return (input, ctx) => {
    const out = inner(input, ctx);
    forgetAuthorizerAnswers(ctx.store, input.ApiId!, input.AuthorizerId!);
    return out;
  };
}

export const apigatewayV2: ServiceImplementation = {
  // Access log lines still in memory are stored before the store closes.
  shutdown: (store) => stopAccessLogs(store),
  // API Gateway answers a model constraint it fails with BadRequestException (its model has no ValidationException).
  errorStyle: { validationCode: 'BadRequestException' },
  operations: {
    CreateApi: createApi,
    GetApi: getApi,
    GetApis: getApis,
    UpdateApi: redeploying(updateApi),
    DeleteApi: forgetting(deleteApi),
    DeleteCorsConfiguration: redeploying(deleteCorsConfiguration),
    CreateRoute: redeploying(createRoute),
    GetRoute: getRoute,
    GetRoutes: getRoutes,
    UpdateRoute: redeploying(updateRoute),
    DeleteRoute: redeploying(deleteRoute),
    CreateIntegration: redeploying(createIntegration),
    GetIntegration: getIntegration,
    GetIntegrations: getIntegrations,
    UpdateIntegration: redeploying(updateIntegration),
    DeleteIntegration: redeploying(deleteIntegration),
    CreateAuthorizer: redeploying(createAuthorizer),
    GetAuthorizer: getAuthorizer,
    GetAuthorizers: getAuthorizers,
    UpdateAuthorizer: reauthorizing(updateAuthorizer),
    DeleteAuthorizer: reauthorizing(deleteAuthorizer),
    CreateStage: forgetting(createStage),
    GetStage: getStage,
    GetStages: getStages,
    UpdateStage: forgetting(updateStage),
    DeleteStage: forgetting(deleteStage),
    DeleteAccessLogSettings: forgetting(deleteAccessLogSettings),
    DeleteRouteSettings: forgetting(deleteRouteSettings),
    CreateDeployment: forgetting(createDeployment),
    GetDeployment: getDeployment,
    GetDeployments: getDeployments,
    UpdateDeployment: updateDeployment,
    DeleteDeployment: deleteDeployment,
    CreateDomainName: createDomainName,
    GetDomainName: getDomainName,
    GetDomainNames: getDomainNames,
    UpdateDomainName: updateDomainName,
    DeleteDomainName: deleteDomainName,
    CreateApiMapping: createApiMapping,
    GetApiMapping: getApiMapping,
    GetApiMappings: getApiMappings,
    UpdateApiMapping: updateApiMapping,
    DeleteApiMapping: deleteApiMapping,
    TagResource: tagResource,
    UntagResource: untagResource,
    GetTags: getTags,
    ImportApi: importApi,
    ReimportApi: redeploying(reimportApi),
    ExportApi: exportApi,
  },
};
