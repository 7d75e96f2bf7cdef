// Methods, method responses, integrations and integration responses: all stored inside their
// resource record, since AWS reads and deploys them as one tree.

import type * as AG from '@aws-sdk/client-api-gateway';
import type { Handler } from '../types.js';
import { hasAuthorizer } from './authorizers.js';
import { lambdaTarget } from './lambda-uri.js';
import { applyPatch, plainErrors, type PatchSpec } from './patch.js';
import { hasModel, hasValidator } from './validators.js';
import { badRequest, conflict, findMethod, findResource, notFound, putResource, type IntegrationRecord, type MethodRecord } from './state.js';

export function integrationView(integration: IntegrationRecord): AG.Integration {
  const responses = Object.entries(integration.integrationResponses ?? {});
  return { ...integration, integrationResponses: responses.length ? Object.fromEntries(responses) : undefined };
}

export function methodView(method: MethodRecord): AG.Method {
  const responses = Object.entries(method.methodResponses ?? {});
  return {
    ...method,
    methodResponses: responses.length ? Object.fromEntries(responses) : undefined,
    methodIntegration: method.methodIntegration ? integrationView(method.methodIntegration) : undefined,
  };
}

export const putMethod: Handler<AG.PutMethodRequest, AG.Method> = (input, ctx) => {
  const resource = findResource(ctx, input.restApiId!, input.resourceId!);
  const httpMethod = input.httpMethod!.toUpperCase();
  if (resource.methods[httpMethod]) throw conflict('Method already exists for this resource');
  const needsAuthorizer = input.authorizationType === 'CUSTOM' || input.authorizationType === 'COGNITO_USER_POOLS';
  if (needsAuthorizer && (!input.authorizerId || !hasAuthorizer(ctx, input.restApiId!, input.authorizerId))) {
    throw badRequest('Invalid authorizer ID specified. Setting the authorization type to CUSTOM or COGNITO_USER_POOLS requires a valid authorizer.');
  }
  if (input.requestValidatorId && !hasValidator(ctx, input.restApiId!, input.requestValidatorId)) throw badRequest('Invalid Request Validator identifier specified');
  for (const name of Object.values(input.requestModels ?? {})) {
    if (!hasModel(ctx, input.restApiId!, name)) throw badRequest(`Invalid model identifier specified: ${name}`);
  }
  const method: MethodRecord = {
    httpMethod,
    authorizationType: input.authorizationType,
    authorizerId: input.authorizerId,
    apiKeyRequired: input.apiKeyRequired ?? false,
    requestValidatorId: input.requestValidatorId,
    operationName: input.operationName,
    requestParameters: input.requestParameters && Object.keys(input.requestParameters).length ? input.requestParameters : undefined,
    requestModels: input.requestModels && Object.keys(input.requestModels).length ? input.requestModels : undefined,
    authorizationScopes: input.authorizationScopes?.length ? input.authorizationScopes : undefined,
  };
  resource.methods[httpMethod] = method;
  putResource(ctx, input.restApiId!, resource);
  return methodView(method);
};

export const getMethodHandler: Handler<AG.GetMethodRequest, AG.Method> = (input, ctx) =>
  methodView(findMethod(ctx, input.restApiId!, input.resourceId!, input.httpMethod!).method);

export const deleteMethod: Handler<AG.DeleteMethodRequest, Record<string, never>> = (input, ctx) => {
  const { resource, method } = findMethod(ctx, input.restApiId!, input.resourceId!, input.httpMethod!);
  delete resource.methods[method.httpMethod!];
  putResource(ctx, input.restApiId!, resource);
  return {};
};

export const putMethodResponse: Handler<AG.PutMethodResponseRequest, AG.MethodResponse> = (input, ctx) => {
  const { resource, method } = findMethod(ctx, input.restApiId!, input.resourceId!, input.httpMethod!);
  const response: AG.MethodResponse = { statusCode: input.statusCode, responseParameters: input.responseParameters, responseModels: input.responseModels };
  method.methodResponses = { ...method.methodResponses, [input.statusCode!]: response };
  putResource(ctx, input.restApiId!, resource);
  return response;
};

export const getMethodResponse: Handler<AG.GetMethodResponseRequest, AG.MethodResponse> = (input, ctx) => {
  const { method } = findMethod(ctx, input.restApiId!, input.resourceId!, input.httpMethod!);
  const response = method.methodResponses?.[input.statusCode!];
  if (!response) throw notFound('Invalid Response status code specified');
  return response;
};

const NEEDS_HTTP_METHOD = new Set(['AWS', 'AWS_PROXY', 'HTTP', 'HTTP_PROXY']);

export const putIntegration: Handler<AG.PutIntegrationRequest, AG.Integration> = (input, ctx) => {
  const { resource, method } = findMethod(ctx, input.restApiId!, input.resourceId!, input.httpMethod!);
  const type = input.type!;
  if (NEEDS_HTTP_METHOD.has(type) && !input.integrationHttpMethod) throw badRequest('Enumeration value for HttpMethod must be non-empty');
  if (type === 'AWS_PROXY' && !lambdaTarget(input.uri)) {
    if (input.uri && !input.uri.startsWith('arn:')) throw badRequest('Invalid ARN specified in the request');
    throw badRequest("Integrations of type 'AWS_PROXY' currently only supports Lambda function and Firehose stream invocations.");
  }
  if ((type === 'HTTP' || type === 'HTTP_PROXY') && !/^https?:\/\/[^/]+/.test(input.uri ?? '')) throw badRequest('Invalid HTTP endpoint specified for URI');
  if (input.timeoutInMillis !== undefined && (input.timeoutInMillis < 50 || input.timeoutInMillis > 29000)) throw badRequest('Timeout should be between 50 ms and 29000 ms');
  const integration: IntegrationRecord = {
    type,
    httpMethod: input.integrationHttpMethod?.toUpperCase(),
    uri: input.uri,
    connectionType: input.connectionType,
    connectionId: input.connectionId,
    credentials: input.credentials,
    requestParameters: input.requestParameters && Object.keys(input.requestParameters).length ? input.requestParameters : undefined,
    requestTemplates: input.requestTemplates && Object.keys(input.requestTemplates).length ? input.requestTemplates : undefined,
    passthroughBehavior: input.passthroughBehavior ?? 'WHEN_NO_MATCH',
    contentHandling: input.contentHandling,
    timeoutInMillis: input.timeoutInMillis ?? 29000,
    cacheNamespace: input.cacheNamespace ?? resource.id,
    cacheKeyParameters: input.cacheKeyParameters ?? [],
    tlsConfig: input.tlsConfig,
  };
  method.methodIntegration = integration;
  putResource(ctx, input.restApiId!, resource);
  return integrationView(integration);
};

function integrationOf(method: MethodRecord): IntegrationRecord {
  if (!method.methodIntegration) throw notFound('Invalid Integration identifier specified');
  return method.methodIntegration;
}

export const getIntegration: Handler<AG.GetIntegrationRequest, AG.Integration> = (input, ctx) =>
  integrationView(integrationOf(findMethod(ctx, input.restApiId!, input.resourceId!, input.httpMethod!).method));

export const deleteIntegration: Handler<AG.DeleteIntegrationRequest, Record<string, never>> = (input, ctx) => {
  const { resource, method } = findMethod(ctx, input.restApiId!, input.resourceId!, input.httpMethod!);
  integrationOf(method);
  delete method.methodIntegration;
  putResource(ctx, input.restApiId!, resource);
  return {};
};

export const putIntegrationResponse: Handler<AG.PutIntegrationResponseRequest, AG.IntegrationResponse> = (input, ctx) => {
  const { resource, method } = findMethod(ctx, input.restApiId!, input.resourceId!, input.httpMethod!);
  const integration = integrationOf(method);
  const response: AG.IntegrationResponse = {
    statusCode: input.statusCode,
    selectionPattern: input.selectionPattern,
    responseParameters: input.responseParameters,
    responseTemplates: input.responseTemplates,
    contentHandling: input.contentHandling,
  };
  integration.integrationResponses = { ...integration.integrationResponses, [input.statusCode!]: response };
  putResource(ctx, input.restApiId!, resource);
  return response;
};

export const getIntegrationResponse: Handler<AG.GetIntegrationResponseRequest, AG.IntegrationResponse> = (input, ctx) => {
  const { method } = findMethod(ctx, input.restApiId!, input.resourceId!, input.httpMethod!);
  const response = integrationOf(method).integrationResponses?.[input.statusCode!];
  if (!response) throw notFound('Invalid Response status code specified');
  return response;
};

// Update*: the paths AWS accepts on methods, method responses, integrations and their responses.

const METHOD_PATCH: PatchSpec = {
  rules: [
    { path: '/authorizationType', ops: ['replace'] },
    { path: '/authorizerId', ops: ['replace'] },
    { path: '/apiKeyRequired', ops: ['replace'], kind: 'boolean' },
    { path: '/operationName', ops: ['replace'] },
    { path: '/requestValidatorId', ops: ['replace'] },
    { path: '/authorizationScopes', ops: ['add', 'remove'], kind: 'list-value' },
    { path: '/requestParameters/*', ops: ['add', 'remove', 'replace'], kind: 'boolean-map', missing: 'Invalid parameter name specified' },
    { path: '/requestModels/*', ops: ['add', 'remove', 'replace'], missing: 'Content-Type specified was not found' },
  ],
  ...plainErrors,
};

const METHOD_RESPONSE_PATCH: PatchSpec = {
  rules: [
    { path: '/responseParameters/*', ops: ['add', 'remove', 'replace'], kind: 'boolean-map', missing: 'Invalid parameter name specified' },
    { path: '/responseModels/*', ops: ['add', 'remove', 'replace'], missing: 'Content-Type specified was not found' },
  ],
  ...plainErrors,
};

const INTEGRATION_PATCH: PatchSpec = {
  rules: [
    ...['/cacheNamespace', '/connectionId', '/connectionType', '/contentHandling', '/credentials', '/httpMethod', '/passthroughBehavior', '/uri'].map((path) => ({ path, ops: ['replace' as const] })),
    { path: '/timeoutInMillis', ops: ['replace'], kind: 'integer' },
    { path: '/tlsConfig/insecureSkipVerification', ops: ['replace'], kind: 'boolean' },
    { path: '/requestParameters/*', ops: ['add', 'remove', 'replace'], missing: 'Invalid parameter name specified' },
    { path: '/requestTemplates/*', ops: ['add', 'remove', 'replace'], missing: 'Content-Type specified was not found' },
    { path: '/cacheKeyParameters/*', ops: ['add', 'remove'], kind: 'list-item' },
  ],
  ...plainErrors,
};

const INTEGRATION_RESPONSE_PATCH: PatchSpec = {
  rules: [
    { path: '/selectionPattern', ops: ['replace'] },
    { path: '/contentHandling', ops: ['replace'] },
    { path: '/responseParameters/*', ops: ['add', 'remove', 'replace'], missing: 'Invalid parameter name specified' },
    { path: '/responseTemplates/*', ops: ['add', 'remove', 'replace'], missing: 'Content-Type specified was not found' },
  ],
  ...plainErrors,
};

export const updateMethod: Handler<AG.UpdateMethodRequest, AG.Method> = (input, ctx) => {
  const { resource, method } = findMethod(ctx, input.restApiId!, input.resourceId!, input.httpMethod!);
  const updated = applyPatch(method, input.patchOperations, METHOD_PATCH);
  const needsAuthorizer = updated.authorizationType === 'CUSTOM' || updated.authorizationType === 'COGNITO_USER_POOLS';
  if (needsAuthorizer && (!updated.authorizerId || !hasAuthorizer(ctx, input.restApiId!, updated.authorizerId))) {
    throw badRequest('Invalid authorizer ID specified. Setting the authorization type to CUSTOM or COGNITO_USER_POOLS requires a valid authorizer.');
  }
  if (!needsAuthorizer) delete updated.authorizerId;
  if (updated.requestValidatorId && !hasValidator(ctx, input.restApiId!, updated.requestValidatorId)) throw badRequest('Invalid Request Validator identifier specified');
  resource.methods[method.httpMethod!] = updated;
  putResource(ctx, input.restApiId!, resource);
  return methodView(updated);
};

export const updateMethodResponse: Handler<AG.UpdateMethodResponseRequest, AG.MethodResponse> = (input, ctx) => {
  const { resource, method } = findMethod(ctx, input.restApiId!, input.resourceId!, input.httpMethod!);
  const response = method.methodResponses?.[input.statusCode!];
  if (!response) throw notFound('Invalid Response status code specified');
  const updated = applyPatch(response, input.patchOperations, METHOD_RESPONSE_PATCH);
  method.methodResponses = { ...method.methodResponses, [input.statusCode!]: updated };
  putResource(ctx, input.restApiId!, resource);
  return updated;
};

export const updateIntegration: Handler<AG.UpdateIntegrationRequest, AG.Integration> = (input, ctx) => {
  const { resource, method } = findMethod(ctx, input.restApiId!, input.resourceId!, input.httpMethod!);
  const updated = applyPatch(integrationOf(method), input.patchOperations, INTEGRATION_PATCH);
  if (updated.timeoutInMillis !== undefined && (updated.timeoutInMillis < 50 || updated.timeoutInMillis > 29000)) {
    throw badRequest('Timeout should be between 50 ms and 29000 ms');
  }
  method.methodIntegration = updated;
  putResource(ctx, input.restApiId!, resource);
  return integrationView(updated);
};

export const updateIntegrationResponse: Handler<AG.UpdateIntegrationResponseRequest, AG.IntegrationResponse> = (input, ctx) => {
  const { resource, method } = findMethod(ctx, input.restApiId!, input.resourceId!, input.httpMethod!);
  const integration = integrationOf(method);
  const response = integration.integrationResponses?.[input.statusCode!];
  if (!response) throw notFound('Invalid Response status code specified');
  const updated = applyPatch(response, input.patchOperations, INTEGRATION_RESPONSE_PATCH);
  integration.integrationResponses = { ...integration.integrationResponses, [input.statusCode!]: updated };
  putResource(ctx, input.restApiId!, resource);
  return updated;
};
