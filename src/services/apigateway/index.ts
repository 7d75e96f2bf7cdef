// API Gateway REST APIs: the control plane (APIs, resources, methods, integrations, deployments,
// stages, API keys and usage plans) and, in invoke/, the invoke URLs that serve a stage's
// deployment. CORS works as in AWS: an OPTIONS method with a MOCK integration whose integration
// response sets the Access-Control-* headers.
// Lambda authorizers (TOKEN, REQUEST) run on every request: results are not cached, and are read
// live rather than from the deployment.
// Not yet: the Update* (patch) operations, ImportRestApi/PutRestApi (OpenAPI), Cognito
// authorizers (stored, not enforced), request validators, models, gateway responses, domain names, VPC links, documentation, SDK
// export, tag operations; usage plan throttles and quotas (stored, not enforced), API key sources
// other than the header; Velocity mapping templates (a MOCK integration answers its integration
// response's template text as is and reads only "statusCode" from its request template);
// HTTP/HTTP_PROXY/AWS integrations at invoke time; binary media types; the 29-second timeout.

import type { ServiceImplementation } from '../types.js';
import {
  createApiKey,
  createUsagePlan,
  createUsagePlanKey,
  deleteApiKey,
  deleteUsagePlan,
  deleteUsagePlanKey,
  getApiKey,
  getApiKeys,
  getUsagePlan,
  getUsagePlanKeys,
  getUsagePlans,
} from './api-keys.js';
import { createAuthorizer, deleteAuthorizer, getAuthorizer, getAuthorizers } from './authorizers.js';
import { createDeployment, createStage, deleteDeployment, deleteStage, getDeployment, getDeployments, getStage, getStages } from './deployments.js';
import {
  deleteIntegration,
  deleteMethod,
  getIntegration,
  getIntegrationResponse,
  getMethodHandler,
  getMethodResponse,
  putIntegration,
  putIntegrationResponse,
  putMethod,
  putMethodResponse,
} from './methods.js';
import { createResource, deleteResource, getResource, getResources } from './resources.js';
import { createRestApi, deleteRestApi, getRestApi, getRestApis } from './rest-apis.js';

export const apigateway: ServiceImplementation = {
  operations: {
    CreateRestApi: createRestApi,
    GetRestApi: getRestApi,
    GetRestApis: getRestApis,
    DeleteRestApi: deleteRestApi,
    GetResources: getResources,
    GetResource: getResource,
    CreateResource: createResource,
    DeleteResource: deleteResource,
    PutMethod: putMethod,
    GetMethod: getMethodHandler,
    DeleteMethod: deleteMethod,
    PutMethodResponse: putMethodResponse,
    GetMethodResponse: getMethodResponse,
    PutIntegration: putIntegration,
    GetIntegration: getIntegration,
    DeleteIntegration: deleteIntegration,
    PutIntegrationResponse: putIntegrationResponse,
    GetIntegrationResponse: getIntegrationResponse,
    CreateDeployment: createDeployment,
    GetDeployment: getDeployment,
    GetDeployments: getDeployments,
    DeleteDeployment: deleteDeployment,
    CreateStage: createStage,
    GetStage: getStage,
    GetStages: getStages,
    DeleteStage: deleteStage,
    CreateAuthorizer: createAuthorizer,
    GetAuthorizer: getAuthorizer,
    GetAuthorizers: getAuthorizers,
    DeleteAuthorizer: deleteAuthorizer,
    CreateApiKey: createApiKey,
    GetApiKey: getApiKey,
    GetApiKeys: getApiKeys,
    DeleteApiKey: deleteApiKey,
    CreateUsagePlan: createUsagePlan,
    GetUsagePlan: getUsagePlan,
    GetUsagePlans: getUsagePlans,
    DeleteUsagePlan: deleteUsagePlan,
    CreateUsagePlanKey: createUsagePlanKey,
    GetUsagePlanKeys: getUsagePlanKeys,
    DeleteUsagePlanKey: deleteUsagePlanKey,
  },
};
