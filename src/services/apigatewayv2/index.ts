// API Gateway HTTP APIs: APIs (with quick create and CORS configuration), routes, integrations,
// stages and authorizers (JWT against the issuer's keys, Lambda REQUEST with simple or IAM
// responses); invoke.ts serves them on the execute-api URLs with Lambda (payload 1.0 and 2.0) and
// HTTP_PROXY integrations, preflights answered from the CORS configuration, the 10 MB limit and
// the integration timeout (503, as AWS answers). Messages marked "unconfirmed" in changes.ts and
// invoke.ts are Fogbank's wording, not checked against AWS (authorizer validation, the 413).
// Not yet: WebSocket APIs, deployments (every stage serves the live routes, as if auto-deployed),
// AWS service integrations, route and integration responses, parameter mapping,
// Lambda authorizer result caching, domain names, VPC links, models, tags, import/export.

import type { ServiceImplementation } from '../types.js';
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

export const apigatewayV2: ServiceImplementation = {
  operations: {
    CreateApi: createApi,
    GetApi: getApi,
    GetApis: getApis,
    DeleteApi: deleteApi,
    CreateRoute: createRoute,
    GetRoutes: getRoutes,
    CreateIntegration: createIntegration,
    GetIntegrations: getIntegrations,
    CreateStage: createStage,
    GetStages: getStages,
    UpdateApi: updateApi,
    DeleteCorsConfiguration: deleteCorsConfiguration,
    GetRoute: getRoute,
    UpdateRoute: updateRoute,
    DeleteRoute: deleteRoute,
    GetIntegration: getIntegration,
    UpdateIntegration: updateIntegration,
    DeleteIntegration: deleteIntegration,
    GetStage: getStage,
    UpdateStage: updateStage,
    DeleteStage: deleteStage,
    CreateAuthorizer: createAuthorizer,
    GetAuthorizer: getAuthorizer,
    GetAuthorizers: getAuthorizers,
    UpdateAuthorizer: updateAuthorizer,
    DeleteAuthorizer: deleteAuthorizer,
  },
};
