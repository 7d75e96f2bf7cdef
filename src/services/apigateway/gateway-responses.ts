// Gateway responses: how a REST API words the errors API Gateway itself answers (403 Missing
// Authentication Token, 401 Unauthorized, 429 throttled, 504 timeout...). Every type has a default;
// PutGatewayResponse customizes one (status code, header mappings, simple-substitution templates).
// A type not customized takes DEFAULT_4XX's or DEFAULT_5XX's customization, as AWS lists them.
// Deployments freeze the customized set (deployments.ts); invoke/gateway-responses.ts applies it.

import { operationsOf } from './patch.js';
import type * as AG from '@aws-sdk/client-api-gateway';
import { validationError } from '../../errors.js';
import type { Handler, RequestContext } from '../types.js';
import { badRequest, getApi, notFound } from './state.js';

/** AWS's enum, in the order its validation message lists it; each with its default status. */
const DEFAULT_STATUS: Record<string, string | undefined> = {
  REQUEST_TOO_LARGE: '413',
  RESOURCE_NOT_FOUND: '404',
  AUTHORIZER_CONFIGURATION_ERROR: '500',
  MISSING_AUTHENTICATION_TOKEN: '403',
  BAD_REQUEST_BODY: '400',
  INVALID_SIGNATURE: '403',
  INVALID_API_KEY: '403',
  BAD_REQUEST_PARAMETERS: '400',
  AUTHORIZER_FAILURE: '500',
  UNAUTHORIZED: '401',
  INTEGRATION_TIMEOUT: '504',
  ACCESS_DENIED: '403',
  DEFAULT_4XX: undefined,
  DEFAULT_5XX: undefined,
  WAF_FILTERED: '403',
  QUOTA_EXCEEDED: '429',
  THROTTLED: '429',
  API_CONFIGURATION_ERROR: '500',
  UNSUPPORTED_MEDIA_TYPE: '415',
  INTEGRATION_FAILURE: '504',
  EXPIRED_TOKEN: '403',
};

export type ResponseType = AG.GatewayResponseType;
export type GatewayResponseRecord = Required<Pick<AG.GatewayResponse, 'responseType' | 'responseParameters' | 'responseTemplates'>> & { statusCode?: string };

export const DEFAULT_TEMPLATE = '{"message":$context.error.messageString}';

const gatewayResponses = (ctx: RequestContext) => ctx.collection<GatewayResponseRecord>('gateway-responses');

/** The generic model validation checks requests; imported definitions come through here. */
function checkType(type: string | undefined): ResponseType {
  if (!type || !Object.hasOwn(DEFAULT_STATUS, type)) {
    throw validationError(`1 validation error detected: Value '${type}' at 'responseType' failed to satisfy constraint: Member must satisfy enum value set: [${Object.keys(DEFAULT_STATUS).join(', ')}]`);
  }
  return type as ResponseType;
}

function builtIn(type: ResponseType, statusCode = DEFAULT_STATUS[type]): GatewayResponseRecord {
  return { responseType: type, statusCode, responseParameters: {}, responseTemplates: { 'application/json': DEFAULT_TEMPLATE } };
}

/** The default family of a type: DEFAULT_5XX for 5xx types, DEFAULT_4XX for the rest. */
export function familyOf(type: ResponseType): ResponseType | undefined {
  const status = DEFAULT_STATUS[type];
  if (status === undefined) return undefined;
  return status >= '500' ? 'DEFAULT_5XX' : 'DEFAULT_4XX';
}

/**
 * What answers for a type given the customized set: its own customization, else its family's
 * customization (with the type's own status when the family sets none), else the built-in default.
 */
export function effectiveResponse(type: ResponseType, customized: Record<string, GatewayResponseRecord>): GatewayResponseRecord & { defaultResponse: boolean } {
  const own = customized[type];
  if (own) return { ...own, defaultResponse: false };
  const family = familyOf(type);
  const inherited = family ? customized[family] : undefined;
  if (!inherited) return { ...builtIn(type), defaultResponse: true };
  return { ...inherited, responseType: type, statusCode: inherited.statusCode ?? DEFAULT_STATUS[type], defaultResponse: true };
}

/** The customized responses of an API, by type: what a deployment freezes. */
export function customizedResponses(ctx: RequestContext, apiId: string): Record<string, GatewayResponseRecord> {
  const out: Record<string, GatewayResponseRecord> = {};
  for (const r of gatewayResponses(ctx).values({ prefix: `${apiId}/` })) out[r.responseType] = r;
  return out;
}

const view = (r: GatewayResponseRecord & { defaultResponse: boolean }): AG.GatewayResponse => ({
  responseType: r.responseType,
  statusCode: r.statusCode,
  responseParameters: r.responseParameters,
  responseTemplates: r.responseTemplates,
  defaultResponse: r.defaultResponse,
});

export const putGatewayResponse: Handler<AG.PutGatewayResponseRequest, AG.GatewayResponse> = (input, ctx) => {
  getApi(ctx, input.restApiId!);
  const type = checkType(input.responseType);
  const record: GatewayResponseRecord = {
    responseType: type,
    statusCode: input.statusCode ?? DEFAULT_STATUS[type],
    responseParameters: input.responseParameters ?? {},
    responseTemplates: input.responseTemplates ?? { 'application/json': DEFAULT_TEMPLATE },
  };
  gatewayResponses(ctx).put(`${input.restApiId}/${type}`, record);
  return view({ ...record, defaultResponse: false });
};

export const getGatewayResponse: Handler<AG.GetGatewayResponseRequest, AG.GatewayResponse> = (input, ctx) => {
  getApi(ctx, input.restApiId!);
  const type = checkType(input.responseType);
  return view(effectiveResponse(type, customizedResponses(ctx, input.restApiId!)));
};

export const getGatewayResponses: Handler<AG.GetGatewayResponsesRequest, AG.GatewayResponses> = (input, ctx) => {
  getApi(ctx, input.restApiId!);
  const customized = customizedResponses(ctx, input.restApiId!);
  return { items: (Object.keys(DEFAULT_STATUS) as ResponseType[]).map((type) => view(effectiveResponse(type, customized))) };
};

export const deleteGatewayResponse: Handler<AG.DeleteGatewayResponseRequest, Record<string, never>> = (input, ctx) => {
  getApi(ctx, input.restApiId!);
  const type = checkType(input.responseType);
  if (!gatewayResponses(ctx).delete(`${input.restApiId}/${type}`)) throw notFound('Gateway response type not defined on api');
  return {};
};

/** /statusCode takes replace; /responseParameters/<name> and /responseTemplates/<type> take add, replace and remove. */
export const updateGatewayResponse: Handler<AG.UpdateGatewayResponseRequest, AG.GatewayResponse> = (input, ctx) => {
  getApi(ctx, input.restApiId!);
  const type = checkType(input.responseType);
  const key = `${input.restApiId}/${type}`;
  // Updating a type not customized yet starts from its built-in default.
  const record = structuredClone(gatewayResponses(ctx).get(key) ?? builtIn(type));
  for (const operation of operationsOf(input.patchOperations)) {
    const op = operation.op ?? '';
    const path = operation.path ?? 'null';
    if (path === '/statusCode') {
      if (op !== 'replace') throw badRequest(`Invalid patch path ${path}`);
      record.statusCode = operation.value;
      continue;
    }
    const m = /^\/(responseParameters|responseTemplates)\/(.+)$/.exec(path);
    if (!m || !['add', 'replace', 'remove'].includes(op)) throw badRequest(`Invalid patch path ${path}`);
    const field = m[1] as 'responseParameters' | 'responseTemplates';
    const name = m[2]!.replace(/~1/g, '/').replace(/~0/g, '~');
    if (op === 'replace' && !Object.hasOwn(record[field], name)) throw notFound('Invalid parameter name specified');
    if (op === 'remove') {
      delete record[field][name];
      continue;
    }
    if (!operation.value) throw badRequest(`Invalid null or empty value in ${field}`);
    record[field][name] = operation.value;
  }
  gatewayResponses(ctx).put(key, record);
  return view({ ...record, defaultResponse: false });
};

/** Customizations from an OpenAPI definition's x-amazon-apigateway-gateway-responses, each replacing its type's. */
export function importGatewayResponses(ctx: RequestContext, apiId: string, responses: unknown): void {
  if (!responses || typeof responses !== 'object') return;
  for (const [type, value] of Object.entries(responses as Record<string, Record<string, unknown>>)) {
    const responseType = checkType(type);
    const v = value ?? {};
    const record: GatewayResponseRecord = {
      responseType,
      statusCode: v.statusCode !== undefined ? String(v.statusCode) : DEFAULT_STATUS[responseType],
      responseParameters: (v.responseParameters as Record<string, string>) ?? {},
      responseTemplates: (v.responseTemplates as Record<string, string>) ?? { 'application/json': DEFAULT_TEMPLATE },
    };
    gatewayResponses(ctx).put(`${apiId}/${responseType}`, record);
  }
}
