// GetExport: a stage's deployment as OpenAPI 3 (oas30) or Swagger 2 (swagger), JSON or YAML as
// the Accept header asks, with the x-amazon-apigateway-integration extension when the
// "extensions" parameter names integrations or apigateway. ImportRestApi reads it back.

import type * as AG from '@aws-sdk/client-api-gateway';
import { stringify as toYaml } from 'yaml';
import type { Handler, RequestContext } from '../types.js';
import { badRequest, deployments, getApi, notFound, stages, type IntegrationRecord, type MethodRecord } from './state.js';

type Doc = Record<string, unknown>;

function integrationExtension(i: IntegrationRecord): Doc {
  const responses: Doc = {};
  for (const r of Object.values(i.integrationResponses ?? {})) {
    responses[r.selectionPattern || 'default'] = { statusCode: r.statusCode, responseParameters: r.responseParameters, responseTemplates: r.responseTemplates, contentHandling: r.contentHandling };
  }
  return {
    type: i.type?.toLowerCase(),
    httpMethod: i.httpMethod,
    uri: i.uri,
    credentials: i.credentials,
    requestParameters: i.requestParameters,
    requestTemplates: i.requestTemplates,
    passthroughBehavior: i.passthroughBehavior?.toLowerCase(),
    timeoutInMillis: i.timeoutInMillis,
    contentHandling: i.contentHandling,
    responses: Object.keys(responses).length ? responses : undefined,
  };
}

function operation(method: MethodRecord, oas3: boolean, extensions: boolean, schemaRef: (name: string) => string): Doc {
  const parameters = Object.entries(method.requestParameters ?? {}).flatMap(([name, required]) => {
    const m = /^method\.request\.(querystring|header|path)\.(.+)$/.exec(name);
    if (!m) return [];
    const where = m[1] === 'querystring' ? 'query' : m[1];
    return [oas3 ? { name: m[2], in: where, required: where === 'path' || required, schema: { type: 'string' } } : { name: m[2], in: where, required: where === 'path' || required, type: 'string' }];
  });
  const models = Object.entries(method.requestModels ?? {});
  const responses: Doc = {};
  for (const r of Object.values(method.methodResponses ?? {})) {
    const headers = Object.keys(r.responseParameters ?? {}).map((p) => p.replace(/^method\.response\.header\./, ''));
    const model = Object.entries(r.responseModels ?? {})[0];
    responses[r.statusCode!] = {
      description: `${r.statusCode} response`,
      headers: headers.length ? Object.fromEntries(headers.map((h) => [h, oas3 ? { schema: { type: 'string' } } : { type: 'string' }])) : undefined,
      ...(model ? (oas3 ? { content: { [model[0]]: { schema: { $ref: schemaRef(model[1]) } } } } : { schema: { $ref: schemaRef(model[1]) } }) : {}),
    };
  }
  const body = models.length
    ? oas3
      ? { requestBody: { content: Object.fromEntries(models.map(([type, name]) => [type, { schema: { $ref: schemaRef(name) } }])), required: true } }
      : { consumes: models.map(([type]) => type) }
    : {};
  if (!oas3 && models.length) parameters.push({ in: 'body', name: models[0]![1], required: true, schema: { $ref: schemaRef(models[0]![1]) } } as never);
  return {
    operationId: method.operationName,
    parameters: parameters.length ? parameters : undefined,
    ...body,
    responses,
    security: method.apiKeyRequired ? [{ api_key: [] }] : undefined,
    ...(extensions && method.methodIntegration ? { 'x-amazon-apigateway-integration': integrationExtension(method.methodIntegration) } : {}),
  };
}

/** Drops undefined members, which neither JSON nor YAML should show. */
const clean = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

export const getExport: Handler<AG.GetExportRequest, AG.ExportResponse> = (input, ctx: RequestContext) => {
  const api = getApi(ctx, input.restApiId!);
  const stage = stages(ctx).get(`${api.id}/${input.stageName}`);
  if (!stage) throw notFound('Invalid Stage identifier specified');
  const exportType = input.exportType!;
  if (exportType !== 'oas30' && exportType !== 'swagger') throw badRequest(`Invalid export type: ${exportType}. Supported export types are oas30 and swagger.`);
  const oas3 = exportType === 'oas30';
  const extensions = /integrations|apigateway/.test(input.parameters?.extensions ?? '');
  const deployment = deployments(ctx).get(`${api.id}/${stage.deploymentId}`);
  const schemaRef = (name: string) => (oas3 ? `#/components/schemas/${name}` : `#/definitions/${name}`);
  const paths: Doc = {};
  for (const resource of [...(deployment?.resources ?? [])].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    const methods = Object.entries(resource.methods);
    if (!methods.length) continue;
    paths[resource.path] = Object.fromEntries(methods.map(([verb, m]) => [verb === 'ANY' ? 'x-amazon-apigateway-any-method' : verb.toLowerCase(), operation(m, oas3, extensions, schemaRef)]));
  }
  const models = Object.fromEntries(ctx.collection<AG.Model>('models').values({ prefix: `${api.id}/` }).map((m) => [m.name!, JSON.parse(m.schema ?? '{}')]));
  const keyScheme = { type: 'apiKey', name: 'x-api-key', in: 'header' };
  const host = `${api.id}.execute-api.${ctx.region}.amazonaws.com`;
  const info = { title: api.name, description: api.description, version: api.version ?? new Date(deployment?.created ?? api.created).toISOString() };
  const doc = oas3
    ? { openapi: '3.0.1', info, servers: [{ url: `https://${host}/{basePath}`, variables: { basePath: { default: stage.stageName } } }], paths, components: { schemas: models, securitySchemes: { api_key: keyScheme } } }
    : { swagger: '2.0', info, host, basePath: `/${stage.stageName}`, schemes: ['https'], paths, securityDefinitions: { api_key: keyScheme }, definitions: models };
  const withBinary: Doc = api.binaryMediaTypes?.length && extensions ? { ...doc, 'x-amazon-apigateway-binary-media-types': api.binaryMediaTypes } : doc;
  // The deployment's customized gateway responses, as ImportRestApi reads them back.
  const responses = Object.values(deployment?.gatewayResponses ?? {});
  if (extensions && responses.length) {
    withBinary['x-amazon-apigateway-gateway-responses'] = Object.fromEntries(
      responses.map((r) => [r.responseType, { statusCode: r.statusCode, responseParameters: r.responseParameters, responseTemplates: r.responseTemplates }]),
    );
  }
  const yaml = /yaml/.test(input.accepts ?? '');
  const body = yaml ? toYaml(clean(withBinary)) : JSON.stringify(clean(withBinary), null, 2);
  return {
    contentType: yaml ? 'application/yaml' : 'application/json',
    contentDisposition: `attachment; filename="${exportType}_${new Date(ctx.clock.now()).toISOString()}.${yaml ? 'yaml' : 'json'}"`,
    body: Buffer.from(body),
  };
};
