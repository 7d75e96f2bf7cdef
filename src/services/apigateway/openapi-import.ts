// ImportRestApi and PutRestApi: an OpenAPI 3 or Swagger 2 definition (JSON or YAML) becomes the
// API's resources, methods, integrations (x-amazon-apigateway-integration), method and integration
// responses, models, request validators, Lambda authorizers (x-amazon-apigateway-authorizer), gateway
// responses (x-amazon-apigateway-gateway-responses) and API key requirements. Each piece goes through the same handlers the control plane calls, so
// the same checks apply.

import type * as AG from '@aws-sdk/client-api-gateway';
import { importGatewayResponses } from './gateway-responses.js';
import { parse as parseYaml } from 'yaml';
import type { Handler, RequestContext } from '../types.js';
import { ServiceError } from '../../errors.js';
import { createAuthorizer } from './authorizers.js';
import { putIntegration, putIntegrationResponse, putMethod, putMethodResponse } from './methods.js';
import { apiResources, createResource } from './resources.js';
import { createRestApi, restApiView } from './rest-apis.js';
import { apis, badRequest, getApi, putResource, resources, type ResourceRecord } from './state.js';
import { createRequestValidator, deleteAllModelsAndValidators, importModel } from './validators.js';

type Doc = Record<string, any>;

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'x-amazon-apigateway-any-method'];

function parseDefinition(body: unknown): Doc {
  const text = Buffer.isBuffer(body) || body instanceof Uint8Array ? Buffer.from(body).toString('utf8') : String(body ?? '');
  let doc: unknown;
  try {
    doc = text.trimStart().startsWith('{') ? JSON.parse(text) : parseYaml(text);
  } catch {
    throw badRequest('Invalid OpenAPI input.');
  }
  if (!doc || typeof doc !== 'object' || (!('openapi' in doc) && !('swagger' in doc))) throw badRequest('Invalid OpenAPI input.');
  return doc as Doc;
}

/** A local $ref (#/definitions/X, #/components/schemas/X) names a model. */
const refName = (ref: unknown) => (typeof ref === 'string' ? ref.split('/').pop() : undefined);

/** Finds or creates the resource for a path, one segment at a time. */
function resourceFor(ctx: RequestContext, apiId: string, rootId: string, path: string): string {
  let parentId = rootId;
  let current = '';
  for (const part of path.split('/').filter(Boolean)) {
    current += `/${part}`;
    const existing = apiResources(ctx, apiId).find((r) => r.path === current);
    parentId = existing ? existing.id : (createResource({ restApiId: apiId, parentId, pathPart: part }, ctx) as AG.Resource).id!;
  }
  return parentId;
}

function requestParameters(op: Doc, shared: Doc[]): Record<string, boolean> | undefined {
  const out: Record<string, boolean> = {};
  const list = (v: unknown) => (Array.isArray(v) ? (v as Doc[]) : []);
  for (const p of [...list(shared), ...list(op.parameters)]) {
    if (!p || typeof p !== 'object') continue;
    const where = p.in === 'query' ? 'querystring' : p.in;
    if (['querystring', 'header', 'path'].includes(where)) out[`method.request.${where}.${p.name}`] = p.required === true;
  }
  return Object.keys(out).length ? out : undefined;
}

function requestModels(op: Doc): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const [type, media] of Object.entries((op.requestBody?.content ?? {}) as Doc)) {
    const name = refName((media as Doc | null)?.schema?.$ref);
    if (name) out[type] = name;
  }
  const bodyParam = (Array.isArray(op.parameters) ? op.parameters : []).find((p: Doc) => p?.in === 'body');
  const name = refName(bodyParam?.schema?.$ref);
  if (name) for (const type of Array.isArray(op.consumes) ? op.consumes : ['application/json']) out[String(type)] = name;
  return Object.keys(out).length ? out : undefined;
}

/** Security requirements: a Lambda authorizer scheme sets CUSTOM, an api_key scheme apiKeyRequired. */
function security(op: Doc, doc: Doc, authorizers: Map<string, string>, apiKeySchemes: Set<string>) {
  const requirements = (op.security ?? doc.security ?? []) as Doc[];
  const names = requirements.flatMap((r) => Object.keys(r));
  const authorizer = names.find((n) => authorizers.has(n));
  return { authorizerId: authorizer ? authorizers.get(authorizer) : undefined, apiKeyRequired: names.some((n) => apiKeySchemes.has(n)) };
}

function importMethod(ctx: RequestContext, apiId: string, resourceId: string, verb: string, op: Doc, shared: Doc[], doc: Doc, env: ImportEnv): void {
  const httpMethod = verb === 'x-amazon-apigateway-any-method' ? 'ANY' : verb.toUpperCase();
  const auth = security(op, doc, env.authorizers, env.apiKeySchemes);
  const validatorName = op['x-amazon-apigateway-request-validator'] ?? doc['x-amazon-apigateway-request-validator'];
  putMethod(
    {
      restApiId: apiId,
      resourceId,
      httpMethod,
      authorizationType: auth.authorizerId ? 'CUSTOM' : 'NONE',
      authorizerId: auth.authorizerId,
      apiKeyRequired: auth.apiKeyRequired,
      operationName: op.operationId,
      requestParameters: requestParameters(op, shared),
      requestModels: requestModels(op),
      requestValidatorId: validatorName ? env.validators.get(validatorName) : undefined,
    },
    ctx,
  );
  for (const [statusCode, response] of Object.entries((op.responses ?? {}) as Doc)) {
    if (!/^[1-5]\d\d$/.test(statusCode) || !response || typeof response !== 'object') continue;
    const headers = Object.keys((response as Doc).headers ?? {});
    const responseParameters = headers.length ? Object.fromEntries(headers.map((h) => [`method.response.header.${h}`, false])) : undefined;
    const models: Record<string, string> = {};
    for (const [type, media] of Object.entries(((response as Doc).content ?? {}) as Doc)) {
      const name = refName((media as Doc | null)?.schema?.$ref);
      if (name) models[type] = name;
    }
    putMethodResponse({ restApiId: apiId, resourceId, httpMethod, statusCode, responseParameters, responseModels: Object.keys(models).length ? models : undefined }, ctx);
  }
  const integration = op['x-amazon-apigateway-integration'] as Doc | undefined;
  if (!integration || typeof integration !== 'object') return;
  putIntegration(
    {
      restApiId: apiId,
      resourceId,
      httpMethod,
      type: String(integration.type ?? '').toUpperCase() as AG.IntegrationType,
      integrationHttpMethod: integration.httpMethod,
      uri: integration.uri,
      credentials: integration.credentials,
      connectionType: integration.connectionType,
      connectionId: integration.connectionId,
      requestParameters: integration.requestParameters,
      requestTemplates: integration.requestTemplates,
      passthroughBehavior: integration.passthroughBehavior?.toUpperCase(),
      contentHandling: integration.contentHandling,
      timeoutInMillis: integration.timeoutInMillis,
      cacheNamespace: integration.cacheNamespace,
      cacheKeyParameters: integration.cacheKeyParameters,
      tlsConfig: integration.tlsConfig,
    },
    ctx,
  );
  for (const [pattern, response] of Object.entries((integration.responses ?? {}) as Doc)) {
    const r = (response ?? {}) as Doc;
    putIntegrationResponse(
      {
        restApiId: apiId,
        resourceId,
        httpMethod,
        statusCode: String(r.statusCode ?? '200'),
        selectionPattern: pattern === 'default' ? undefined : pattern,
        responseParameters: r.responseParameters,
        responseTemplates: r.responseTemplates,
        contentHandling: r.contentHandling,
      },
      ctx,
    );
  }
}

interface ImportEnv {
  authorizers: Map<string, string>;
  apiKeySchemes: Set<string>;
  validators: Map<string, string>;
}

/** Everything below the API itself, from the definition. */
function importInto(ctx: RequestContext, apiId: string, doc: Doc): void {
  const api = getApi(ctx, apiId);
  const schemas = (doc.definitions ?? doc.components?.schemas ?? {}) as Doc;
  for (const [name, schema] of Object.entries(schemas)) {
    importModel(ctx, apiId, name, JSON.stringify(schema));
  }
  const env: ImportEnv = { authorizers: new Map(), apiKeySchemes: new Set(), validators: new Map() };
  for (const [name, v] of Object.entries((doc['x-amazon-apigateway-request-validators'] ?? {}) as Doc)) {
    if (!v || typeof v !== 'object') continue;
    const created = createRequestValidator({ restApiId: apiId, name, validateRequestBody: v.validateRequestBody, validateRequestParameters: v.validateRequestParameters }, ctx);
    env.validators.set(name, (created as AG.RequestValidator).id!);
  }
  for (const [name, scheme] of Object.entries((doc.securityDefinitions ?? doc.components?.securitySchemes ?? {}) as Doc)) {
    if (!scheme || typeof scheme !== 'object') continue;
    const authorizer = scheme['x-amazon-apigateway-authorizer'] as Doc | undefined;
    if (authorizer) {
      const created = createAuthorizer(
        {
          restApiId: apiId,
          name,
          type: String(authorizer.type ?? 'token').toUpperCase() as AG.AuthorizerType,
          authorizerUri: authorizer.authorizerUri,
          authorizerCredentials: authorizer.authorizerCredentials,
          identitySource: authorizer.identitySource ?? (scheme.in === 'header' ? `method.request.header.${scheme.name}` : undefined),
          identityValidationExpression: authorizer.identityValidationExpression,
          authorizerResultTtlInSeconds: authorizer.authorizerResultTtlInSeconds,
        },
        ctx,
      );
      env.authorizers.set(name, (created as AG.Authorizer).id!);
    } else if (scheme.type === 'apiKey' && String(scheme.name).toLowerCase() === 'x-api-key') {
      env.apiKeySchemes.add(name);
    }
  }
  for (const [path, item] of Object.entries((doc.paths ?? {}) as Doc)) {
    if (!item || typeof item !== 'object') continue;
    const resourceId = resourceFor(ctx, apiId, api.rootResourceId, path);
    for (const verb of METHODS) {
      if (item[verb] && typeof item[verb] === 'object') importMethod(ctx, apiId, resourceId, verb, item[verb], item.parameters ?? [], doc, env);
    }
  }
  importGatewayResponses(ctx, apiId, doc['x-amazon-apigateway-gateway-responses']);
  const binary = doc['x-amazon-apigateway-binary-media-types'];
  const latest = getApi(ctx, apiId);
  apis(ctx).put(apiId, {
    ...latest,
    binaryMediaTypes: Array.isArray(binary) && binary.length ? [...new Set([...(latest.binaryMediaTypes ?? []), ...binary.map(String)])] : latest.binaryMediaTypes,
    apiKeySource: doc['x-amazon-apigateway-api-key-source'] ?? latest.apiKeySource,
  });
}

/**
 * Imports the definition; a member of the wrong JSON type deep in it (an integration uri that is a
 * number, a null where a map belongs) is an invalid definition, not a server fault.
 */
function importChecked(ctx: RequestContext, apiId: string, doc: Doc): void {
  try {
    importInto(ctx, apiId, doc);
  } catch (error) {
    if (error instanceof ServiceError) throw error;
    throw badRequest('Invalid OpenAPI input.');
  }
}

// One transaction each: a definition that fails half way leaves nothing behind.
export const importRestApi: Handler<AG.ImportRestApiRequest, AG.RestApi> = (input, ctx) => {
  const doc = parseDefinition(input.body);
  const types = input.parameters?.endpointConfigurationTypes;
  return ctx.store.transaction(() => {
    const api = createRestApi(
      {
        name: doc.info?.title ?? 'imported',
        description: doc.info?.description,
        version: doc.info?.version,
        endpointConfiguration: types ? { types: types.split(',') as AG.EndpointType[] } : undefined,
      },
      ctx,
    ) as AG.RestApi;
    importChecked(ctx, api.id!, doc);
    return restApiView(getApi(ctx, api.id!));
  });
};

export const putRestApi: Handler<AG.PutRestApiRequest, AG.RestApi> = (input, ctx) => {
  const api = getApi(ctx, input.restApiId!);
  const doc = parseDefinition(input.body);
  const mode = input.mode ?? 'merge';
  if (mode !== 'merge' && mode !== 'overwrite') throw badRequest(`Invalid mode specified: ${mode}`);
  return ctx.store.transaction(() => {
    if (mode === 'overwrite') {
      // Everything the definition describes is replaced: the tree (back to a bare root), models,
      // validators and authorizers; the API's name and description come from the definition.
      resources(ctx).deletePrefix(`${api.id}/`);
      const root: ResourceRecord = { id: api.rootResourceId, path: '/', methods: {} };
      putResource(ctx, api.id, root);
      deleteAllModelsAndValidators(ctx, api.id);
      ctx.collection('authorizers').deletePrefix(`${api.id}/`);
      ctx.collection('gateway-responses').deletePrefix(`${api.id}/`);
      apis(ctx).put(api.id, { ...api, name: doc.info?.title ?? api.name, description: doc.info?.description, version: doc.info?.version, binaryMediaTypes: undefined });
    }
    importChecked(ctx, api.id, doc);
    return restApiView(getApi(ctx, api.id));
  });
};
