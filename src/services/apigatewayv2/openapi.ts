// ImportApi, ReimportApi and ExportApi: an HTTP API as an OpenAPI 3 definition (JSON or YAML).
// Paths and methods (x-amazon-apigateway-any-method for ANY, the $default path for the $default
// route) are routes; x-amazon-apigateway-integration their integrations; securitySchemes with
// x-amazon-apigateway-authorizer the JWT and Lambda authorizers routes name in `security`;
// x-amazon-apigateway-cors the CORS configuration. Imports go through the same handlers the
// control plane calls, so the same checks apply. Messages are Fogbank's wording (unconfirmed).

import type * as AG2 from '@aws-sdk/client-apigatewayv2';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import type { Handler, RequestContext } from '../types.js';
import { createAuthorizer } from './changes.js';
import { deployments, getHttpApi, authorizers, badRequest, httpApis, integrations, routes, stages, type AuthorizerRecord, type DeploymentSnapshot, type IntegrationRecord, type RouteRecord } from './state.js';
import { apiView, createApi, createIntegration, createRoute } from './operations.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = Record<string, any>;

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'x-amazon-apigateway-any-method'];
const INVALID = 'Invalid OpenAPI input.';

function parseDefinition(body: unknown): Doc {
  const text = String(body ?? '');
  let doc: unknown;
  try {
    doc = text.trimStart().startsWith('{') ? JSON.parse(text) : parseYaml(text);
  } catch {
    throw badRequest(INVALID);
  }
  if (!doc || typeof doc !== 'object' || typeof (doc as Doc).openapi !== 'string' || !(doc as Doc).openapi.startsWith('3.')) throw badRequest(INVALID);
  if (typeof (doc as Doc).info?.title !== 'string' || !(doc as Doc).info.title) throw badRequest(`${INVALID} The info.title of the definition is required.`);
  return doc as Doc;
}

const identitySources = (value: unknown): string[] | undefined =>
  Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter(Boolean) : undefined;

/** Validates the whole definition's pieces in order, creating the API's routes, integrations and authorizers. */
function importInto(ctx: RequestContext, apiId: string, doc: Doc): void {
  const authorizerIds = new Map<string, AuthorizerRecord>();
  for (const [name, scheme] of Object.entries((doc.components?.securitySchemes ?? {}) as Doc)) {
    const a = scheme?.['x-amazon-apigateway-authorizer'];
    if (!a) continue;
    const jwt = String(a.type).toLowerCase() === 'jwt';
    const created = createAuthorizer(
      {
        ApiId: apiId,
        Name: name,
        AuthorizerType: jwt ? 'JWT' : 'REQUEST',
        IdentitySource: identitySources(a.identitySource) ?? [],
        JwtConfiguration: jwt ? { Issuer: a.jwtConfiguration?.issuer, Audience: a.jwtConfiguration?.audience } : undefined,
        AuthorizerUri: a.authorizerUri,
        AuthorizerPayloadFormatVersion: a.authorizerPayloadFormatVersion,
        AuthorizerResultTtlInSeconds: a.authorizerResultTtlInSeconds,
        EnableSimpleResponses: a.enableSimpleResponses,
      },
      ctx,
    ) as AG2.CreateAuthorizerResponse;
    authorizerIds.set(name, authorizers(ctx).get(`${apiId}/${created.AuthorizerId}`)!);
  }
  for (const [path, item] of Object.entries((doc.paths ?? {}) as Doc)) {
    for (const [verb, op] of Object.entries((item ?? {}) as Doc)) {
      if (!METHODS.includes(verb) || !op || typeof op !== 'object') continue;
      const method = verb === 'x-amazon-apigateway-any-method' ? 'ANY' : verb.toUpperCase();
      const routeKey = path === '$default' ? '$default' : `${method} ${path}`;
      const i = op['x-amazon-apigateway-integration'];
      const integration = i
        ? (createIntegration(
            {
              ApiId: apiId,
              IntegrationType: String(i.type ?? '').toUpperCase() as AG2.IntegrationType,
              IntegrationUri: i.uri,
              IntegrationMethod: i.httpMethod,
              PayloadFormatVersion: i.payloadFormatVersion,
              ConnectionType: i.connectionType,
              TimeoutInMillis: i.timeoutInMillis,
              RequestParameters: i.requestParameters,
              ResponseParameters: i.responseParameters,
            },
            ctx,
          ) as AG2.CreateIntegrationResult)
        : undefined;
      const [security] = (op.security ?? doc.security ?? []) as Array<Record<string, string[]>>;
      const [schemeName, scopes] = Object.entries(security ?? {})[0] ?? [];
      const authorizer = schemeName ? authorizerIds.get(schemeName) : undefined;
      if (schemeName && !authorizer) throw badRequest(`${INVALID} Security scheme ${schemeName} of ${routeKey} is not defined.`);
      createRoute(
        {
          ApiId: apiId,
          RouteKey: routeKey,
          Target: integration ? `integrations/${integration.IntegrationId}` : undefined,
          AuthorizationType: authorizer ? (authorizer.authorizerType === 'JWT' ? 'JWT' : 'CUSTOM') : undefined,
          AuthorizerId: authorizer?.authorizerId,
          AuthorizationScopes: authorizer?.authorizerType === 'JWT' && scopes?.length ? scopes : undefined,
          OperationName: op.operationId,
        },
        ctx,
      );
    }
  }
}

const corsOf = (c: Doc | undefined): AG2.Cors | undefined =>
  c && { AllowOrigins: c.allowOrigins, AllowMethods: c.allowMethods, AllowHeaders: c.allowHeaders, ExposeHeaders: c.exposeHeaders, MaxAge: c.maxAge, AllowCredentials: c.allowCredentials };

export const importApi: Handler<AG2.ImportApiRequest, AG2.ImportApiResponse> = (input, ctx) => {
  const doc = parseDefinition(input.Body);
  return ctx.store.transaction(() => {
    const api = createApi({ Name: doc.info.title, ProtocolType: 'HTTP', Description: doc.info.description, Version: doc.info.version, CorsConfiguration: corsOf(doc['x-amazon-apigateway-cors']) }, ctx) as AG2.CreateApiResponse;
    importInto(ctx, api.ApiId!, doc);
    return apiView(ctx, getHttpApi(ctx, api.ApiId!));
  });
};

/** Replaces the API's routes, integrations, authorizers and CORS configuration with the definition's; stages and deployments stay. */
export const reimportApi: Handler<AG2.ReimportApiRequest, AG2.ReimportApiResponse> = (input, ctx) => {
  const api = getHttpApi(ctx, input.ApiId!);
  const doc = parseDefinition(input.Body);
  return ctx.store.transaction(() => {
    for (const c of [routes(ctx), integrations(ctx), authorizers(ctx)]) c.deletePrefix(`${api.apiId}/`);
    httpApis(ctx).put(api.apiId, { ...api, name: doc.info.title, description: doc.info.description, version: doc.info.version, corsConfiguration: corsOf(doc['x-amazon-apigateway-cors']) });
    importInto(ctx, api.apiId, doc);
    return apiView(ctx, getHttpApi(ctx, api.apiId));
  });
};

function integrationExtension(i: IntegrationRecord): Doc {
  return {
    type: i.integrationType.toLowerCase(),
    httpMethod: i.integrationMethod,
    uri: i.integrationUri,
    payloadFormatVersion: i.payloadFormatVersion,
    connectionType: i.connectionType,
    timeoutInMillis: i.timeoutInMillis,
    requestParameters: i.requestParameters,
    responseParameters: i.responseParameters,
  };
}

function authorizerScheme(a: AuthorizerRecord, extensions: boolean): Doc {
  const scheme: Doc = a.authorizerType === 'JWT' ? { type: 'oauth2', flows: {} } : { type: 'apiKey', name: a.identitySource?.[0]?.split('.').pop() ?? 'Unused', in: 'header' };
  if (!extensions) return scheme;
  scheme['x-amazon-apigateway-authorizer'] =
    a.authorizerType === 'JWT'
      ? { type: 'jwt', identitySource: a.identitySource?.join(', '), jwtConfiguration: { issuer: a.jwtConfiguration?.Issuer, audience: a.jwtConfiguration?.Audience } }
      : {
          type: 'request',
          identitySource: a.identitySource?.join(', '),
          authorizerUri: a.authorizerUri,
          authorizerPayloadFormatVersion: a.authorizerPayloadFormatVersion,
          authorizerResultTtlInSeconds: a.authorizerResultTtlInSeconds,
          enableSimpleResponses: a.enableSimpleResponses,
        };
  return scheme;
}

/** The OpenAPI document of a configuration: the API's live one, or a stage's deployment. */
function exportDocument(ctx: RequestContext, apiId: string, snapshot: DeploymentSnapshot, extensions: boolean, stageName?: string): Doc {
  const api = getHttpApi(ctx, apiId);
  const integrationsById = new Map(snapshot.integrations.map((i) => [i.integrationId, i]));
  const authorizersById = new Map(snapshot.authorizers.map((a) => [a.authorizerId, a]));
  const paths: Doc = {};
  const sorted = [...snapshot.routes].sort((a, b) => a.routeKey.localeCompare(b.routeKey));
  for (const r of sorted) {
    const [method, path] = r.routeKey === '$default' ? ['ANY', '$default'] : (r.routeKey.split(' ') as [string, string]);
    const op: Doc = { responses: { default: { description: `Default response for ${r.routeKey}` } } };
    if (r.operationName) op.operationId = r.operationName;
    const params = [...path.matchAll(/\{([^}+]+)\+?\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    if (params.length) op.parameters = params;
    const authorizer = r.authorizerId ? authorizersById.get(r.authorizerId) : undefined;
    if (authorizer) op.security = [{ [authorizer.name]: r.authorizationScopes ?? [] }];
    const integration = r.target ? integrationsById.get(r.target.replace(/^integrations\//, '')) : undefined;
    if (integration && extensions) op['x-amazon-apigateway-integration'] = integrationExtension(integration);
    (paths[path] ??= {})[method === 'ANY' ? 'x-amazon-apigateway-any-method' : method.toLowerCase()] = op;
  }
  const doc: Doc = {
    openapi: '3.0.1',
    info: { title: api.name, version: api.version ?? new Date(api.created).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'UTC'), ...(api.description ? { description: api.description } : {}) },
    servers: [{ url: `${apiView(ctx, api).ApiEndpoint}/{basePath}`, variables: { basePath: { default: stageName && stageName !== '$default' ? stageName : '' } } }],
    paths,
  };
  if (snapshot.authorizers.length) doc.components = { securitySchemes: Object.fromEntries(snapshot.authorizers.map((a) => [a.name, authorizerScheme(a, extensions)])) };
  if (extensions && snapshot.cors) doc['x-amazon-apigateway-cors'] = Object.fromEntries(Object.entries({ allowOrigins: snapshot.cors.AllowOrigins, allowMethods: snapshot.cors.AllowMethods, allowHeaders: snapshot.cors.AllowHeaders, exposeHeaders: snapshot.cors.ExposeHeaders, maxAge: snapshot.cors.MaxAge, allowCredentials: snapshot.cors.AllowCredentials }).filter(([, v]) => v !== undefined));
  if (extensions) doc['x-amazon-apigateway-importexport-version'] = '1.0';
  return JSON.parse(JSON.stringify(doc)) as Doc;
}

export const exportApi: Handler<AG2.ExportApiRequest, { body: Buffer }> = (input, ctx) => {
  const api = getHttpApi(ctx, input.ApiId!);
  if (input.Specification !== 'OAS30') throw badRequest(`Unsupported specification: ${input.Specification}. Only OAS30 is supported.`);
  if (input.OutputType !== 'JSON' && input.OutputType !== 'YAML') throw badRequest(`Unsupported output type: ${input.OutputType}. Use JSON or YAML.`);
  if (input.ExportVersion !== undefined && input.ExportVersion !== '1.0') throw badRequest(`Unsupported export version: ${input.ExportVersion}`);
  let snapshot: DeploymentSnapshot;
  if (input.StageName !== undefined) {
    const stage = stages(ctx).get(`${api.apiId}/${input.StageName}`);
    if (!stage) throw badRequest('Invalid stage identifier specified');
    const deployment = stage.deploymentId ? deployments(ctx).get(`${api.apiId}/${stage.deploymentId}`) : undefined;
    if (!deployment) throw badRequest(`Stage ${input.StageName} has no deployment to export.`);
    snapshot = deployment.snapshot;
  } else {
    const prefix = { prefix: `${api.apiId}/` };
    snapshot = { routes: routes(ctx).values(prefix) as RouteRecord[], integrations: integrations(ctx).values(prefix), authorizers: authorizers(ctx).values(prefix), cors: api.corsConfiguration };
  }
  const doc = exportDocument(ctx, api.apiId, snapshot, input.IncludeExtensions !== false, input.StageName);
  return { body: Buffer.from(input.OutputType === 'YAML' ? toYaml(doc) : JSON.stringify(doc)) };
};
