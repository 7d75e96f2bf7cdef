// API Gateway HTTP APIs: APIs (with quick create), routes, integrations, stages; invoke.ts serves
// them on the execute-api URLs with payload formats 1.0 and 2.0.
// Not yet: WebSocket APIs, Update*/Get single route/integration/stage, DeleteRoute/Integration/
// Stage, deployments (every stage serves the live routes, as if auto-deployed), authorizers (JWT,
// Lambda), CORS configuration, route and integration responses, domain names, VPC links,
// HTTP_PROXY integrations at invoke time, the 30-second integration timeout.

import type { ServiceImplementation } from '../types.js';
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
  },
};
