// API Gateway REST APIs: the control plane (APIs, resources, methods, integrations, deployments,
// stages, API keys and usage plans) and, in invoke/, the invoke URLs that serve a stage's
// deployment. CORS works as in AWS: an OPTIONS method with a MOCK integration whose integration
// response sets the Access-Control-* headers.
// Lambda authorizers (TOKEN, REQUEST) are read live rather than from the deployment; their results
// are cached per identity for the authorizer's TTL.
// Update* operations take AWS's patch operations with each resource's own paths (patch.ts).
// Invoke URLs run AWS_PROXY, AWS (Lambda), HTTP, HTTP_PROXY and MOCK integrations with Velocity
// mapping templates (velocityjs), selection patterns, request validators (a JSON Schema draft 4
// subset, with $ref between models), binary media types, the 10 MB payload limit and the
// integration timeout (504) on Fogbank's clock.
// ImportRestApi and PutRestApi read OpenAPI 3 and Swagger 2 (JSON or YAML) with API Gateway's
// extensions (integrations, authorizers, validators, binary media types, gateway responses);
// GetExport writes oas30 or swagger, JSON or YAML (with gateway responses, without authorizers or
// validators).
// Usage plans meter API keys (from the x-api-key header, or from the Lambda authorizer when the
// API's apiKeySource is AUTHORIZER): per-client throttles (and per-method overrides), stage method
// throttling and quotas are enforced on invoke (invoke/throttling.ts, usage.ts). Gateway responses
// reword every error the gateway answers itself (gateway-responses.ts, invoke/gateway-responses.ts).
// Stage access logs (accessLogSettings, checked as AWS checks them) write one line per request to
// the CloudWatch Logs group, $context variables substituted (invoke/access-log.ts,
// invoke/rest-access-log.ts).
// Tags on APIs, stages, API keys and usage plans (tags.ts).
// Custom domain names and base path mappings (domain-names.ts), shared with apigatewayv2 as on AWS;
// requests whose Host header is a configured name are served by base path (invoke/custom-domains.ts).
// Fogbank has no ACM: certificate ARNs and names are accepted as given, and names are AVAILABLE at
// once; a name is unique across Fogbank's accounts and regions (one port routes it one place).
// Fogbank's own guards, not AWS limits: a mapping template stops after a million render steps
// (500), and configured regular expressions (model patterns, selection patterns, identity
// validation expressions) get 100 ms per test on long text (invoke/bounded-regex.ts).
// Not yet: Cognito user pools (methods with a COGNITO_USER_POOLS authorizer answer 401, as for an
// invalid token, since Fogbank has no user pools), private and mutual-TLS domain names (truststores
// are stored, not checked), domain name access associations, VPC links, documentation, SDK
// export; AWS integrations to services other than Lambda; content handling (CONVERT_TO_TEXT/BINARY)
// in non-proxy integrations; the account-level throttle; UpdateUsagePlan paths for per-method
// throttles; execution logs (methodSettings logging) and the account's CloudWatch role (access
// logging does not require one); access logs to Kinesis Data Firehose; access log variables for
// what Fogbank does not model (WAF, request overrides, client certificates: written "-").

import { stopAccessLogs } from './invoke/access-log.js';
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
  updateApiKey,
  updateUsagePlan,
} from './api-keys.js';
import { createAuthorizer, deleteAuthorizer, getAuthorizer, getAuthorizers, updateAuthorizer } from './authorizers.js';
import { createDeployment, createStage, deleteDeployment, deleteStage, getDeployment, getDeployments, getStage, getStages, updateDeployment, updateStage } from './deployments.js';
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
  updateIntegration,
  updateIntegrationResponse,
  updateMethod,
  updateMethodResponse,
} from './methods.js';
import {
  createBasePathMapping,
  createDomainName,
  deleteBasePathMapping,
  deleteDomainName,
  getBasePathMapping,
  getBasePathMappings,
  getDomainName,
  getDomainNames,
  updateBasePathMapping,
  updateDomainName,
} from './domain-names.js';
import { deleteGatewayResponse, getGatewayResponse, getGatewayResponses, putGatewayResponse, updateGatewayResponse } from './gateway-responses.js';
import { getExport } from './openapi-export.js';
import { getTags, tagResource, untagResource } from './tags.js';
import { getUsage, updateUsage } from './usage.js';
import { importRestApi, putRestApi } from './openapi-import.js';
import { createResource, deleteResource, getResource, getResources, updateResource } from './resources.js';
import { createRestApi, deleteRestApi, getRestApi, getRestApis, updateRestApi } from './rest-apis.js';
import {
  createModel,
  createRequestValidator,
  deleteModel,
  deleteRequestValidator,
  getModel,
  getModels,
  getRequestValidator,
  getRequestValidators,
  updateModel,
  updateRequestValidator,
} from './validators.js';

export const apigateway: ServiceImplementation = {
  // Access log lines still in memory are stored before the store closes.
  shutdown: (store) => stopAccessLogs(store),
  operations: {
    CreateRestApi: createRestApi,
    GetRestApi: getRestApi,
    GetRestApis: getRestApis,
    UpdateRestApi: updateRestApi,
    ImportRestApi: importRestApi,
    PutRestApi: putRestApi,
    GetExport: getExport,
    DeleteRestApi: deleteRestApi,
    GetResources: getResources,
    GetResource: getResource,
    CreateResource: createResource,
    UpdateResource: updateResource,
    DeleteResource: deleteResource,
    PutMethod: putMethod,
    GetMethod: getMethodHandler,
    UpdateMethod: updateMethod,
    DeleteMethod: deleteMethod,
    PutMethodResponse: putMethodResponse,
    GetMethodResponse: getMethodResponse,
    UpdateMethodResponse: updateMethodResponse,
    PutIntegration: putIntegration,
    GetIntegration: getIntegration,
    UpdateIntegration: updateIntegration,
    DeleteIntegration: deleteIntegration,
    PutIntegrationResponse: putIntegrationResponse,
    GetIntegrationResponse: getIntegrationResponse,
    UpdateIntegrationResponse: updateIntegrationResponse,
    CreateDeployment: createDeployment,
    GetDeployment: getDeployment,
    GetDeployments: getDeployments,
    UpdateDeployment: updateDeployment,
    DeleteDeployment: deleteDeployment,
    CreateStage: createStage,
    GetStage: getStage,
    GetStages: getStages,
    UpdateStage: updateStage,
    DeleteStage: deleteStage,
    CreateAuthorizer: createAuthorizer,
    GetAuthorizer: getAuthorizer,
    GetAuthorizers: getAuthorizers,
    UpdateAuthorizer: updateAuthorizer,
    DeleteAuthorizer: deleteAuthorizer,
    CreateApiKey: createApiKey,
    GetApiKey: getApiKey,
    GetApiKeys: getApiKeys,
    UpdateApiKey: updateApiKey,
    DeleteApiKey: deleteApiKey,
    CreateUsagePlan: createUsagePlan,
    GetUsagePlan: getUsagePlan,
    GetUsagePlans: getUsagePlans,
    UpdateUsagePlan: updateUsagePlan,
    DeleteUsagePlan: deleteUsagePlan,
    CreateUsagePlanKey: createUsagePlanKey,
    GetUsagePlanKeys: getUsagePlanKeys,
    DeleteUsagePlanKey: deleteUsagePlanKey,
    GetUsage: getUsage,
    UpdateUsage: updateUsage,
    CreateRequestValidator: createRequestValidator,
    GetRequestValidator: getRequestValidator,
    GetRequestValidators: getRequestValidators,
    UpdateRequestValidator: updateRequestValidator,
    DeleteRequestValidator: deleteRequestValidator,
    CreateModel: createModel,
    GetModel: getModel,
    GetModels: getModels,
    UpdateModel: updateModel,
    DeleteModel: deleteModel,
    PutGatewayResponse: putGatewayResponse,
    GetGatewayResponse: getGatewayResponse,
    GetGatewayResponses: getGatewayResponses,
    UpdateGatewayResponse: updateGatewayResponse,
    DeleteGatewayResponse: deleteGatewayResponse,
    CreateDomainName: createDomainName,
    GetDomainName: getDomainName,
    GetDomainNames: getDomainNames,
    UpdateDomainName: updateDomainName,
    DeleteDomainName: deleteDomainName,
    CreateBasePathMapping: createBasePathMapping,
    GetBasePathMapping: getBasePathMapping,
    GetBasePathMappings: getBasePathMappings,
    UpdateBasePathMapping: updateBasePathMapping,
    DeleteBasePathMapping: deleteBasePathMapping,
    TagResource: tagResource,
    UntagResource: untagResource,
    GetTags: getTags,
  },
};
