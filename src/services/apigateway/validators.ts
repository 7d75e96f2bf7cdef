// Request validators and models: a method names a validator (check the body, the required
// parameters, or both) and, per content type, the model whose JSON schema the body must satisfy.
// invoke/validate.ts applies them to requests.

import type * as AG from '@aws-sdk/client-api-gateway';
import type { Store } from '../../store/store.js';
import { paginate } from '../common/pagination.js';
import type { Handler, RequestContext } from '../types.js';
import { applyPatch, listingErrors } from './patch.js';
import { badRequest, conflict, getApi, newId, notFound, scoped, type ApiLocation } from './state.js';

export type ValidatorRecord = Required<Pick<AG.RequestValidator, 'id' | 'validateRequestBody' | 'validateRequestParameters'>> & { name?: string };
export type ModelRecord = AG.Model & { id: string; name: string };

const validators = (ctx: RequestContext) => ctx.collection<ValidatorRecord>('request-validators');
const models = (ctx: RequestContext) => ctx.collection<ModelRecord>('models');

export function hasValidator(ctx: RequestContext, apiId: string, id: string): boolean {
  return validators(ctx).has(`${apiId}/${id}`);
}

export function hasModel(ctx: RequestContext, apiId: string, name: string): boolean {
  return models(ctx).has(`${apiId}/${name}`);
}

/** For invoke time: the validator and models of an API, read from the store by location. */
export function validatorAt(store: Store, location: ApiLocation, apiId: string, id: string) {
  return scoped<ValidatorRecord>(store, location, 'request-validators').get(`${apiId}/${id}`);
}
export function modelAt(store: Store, location: ApiLocation, apiId: string, name: string) {
  return scoped<ModelRecord>(store, location, 'models').get(`${apiId}/${name}`);
}

function findValidator(ctx: RequestContext, apiId: string, id: string): ValidatorRecord {
  getApi(ctx, apiId);
  const validator = validators(ctx).get(`${apiId}/${id}`);
  if (!validator) throw notFound('Invalid Request Validator identifier specified');
  return validator;
}

export const createRequestValidator: Handler<AG.CreateRequestValidatorRequest, AG.RequestValidator> = (input, ctx) => {
  getApi(ctx, input.restApiId!);
  const validator: ValidatorRecord = {
    id: newId(6),
    name: input.name,
    validateRequestBody: input.validateRequestBody ?? false,
    validateRequestParameters: input.validateRequestParameters ?? false,
  };
  validators(ctx).put(`${input.restApiId}/${validator.id}`, validator);
  return validator;
};

export const getRequestValidator: Handler<AG.GetRequestValidatorRequest, AG.RequestValidator> = (input, ctx) =>
  findValidator(ctx, input.restApiId!, input.requestValidatorId!);

export const getRequestValidators: Handler<AG.GetRequestValidatorsRequest, AG.RequestValidators> = (input, ctx) => {
  getApi(ctx, input.restApiId!);
  const page = paginate(validators(ctx).values({ prefix: `${input.restApiId}/` }), (v) => v.id, input.limit ?? 25, input.position, () => badRequest('Invalid position parameter'));
  return { items: page.items, position: page.nextToken };
};

const VALIDATOR_PATCH = {
  rules: [
    { path: '/name', ops: ['replace' as const] },
    { path: '/validateRequestParameters', ops: ['replace' as const], kind: 'boolean' as const },
    { path: '/validateRequestBody', ops: ['replace' as const], kind: 'boolean' as const },
  ],
  ...listingErrors(['/name', '/validateRequestParameters', '/validateRequestBody']),
};

export const updateRequestValidator: Handler<AG.UpdateRequestValidatorRequest, AG.RequestValidator> = (input, ctx) => {
  const validator = findValidator(ctx, input.restApiId!, input.requestValidatorId!);
  const updated = applyPatch(validator, input.patchOperations, VALIDATOR_PATCH);
  validators(ctx).put(`${input.restApiId}/${validator.id}`, updated);
  return updated;
};

export const deleteRequestValidator: Handler<AG.DeleteRequestValidatorRequest, Record<string, never>> = (input, ctx) => {
  const validator = findValidator(ctx, input.restApiId!, input.requestValidatorId!);
  validators(ctx).delete(`${input.restApiId}/${validator.id}`);
  return {};
};

function findModel(ctx: RequestContext, apiId: string, name: string): ModelRecord {
  getApi(ctx, apiId);
  const model = models(ctx).get(`${apiId}/${name}`);
  if (!model) throw notFound(`Invalid model name specified: ${name}`);
  return model;
}

function checkSchema(schema: string | undefined): void {
  if (!schema) throw badRequest('Model schema must have at least 1 property or array items defined');
  try {
    JSON.parse(schema);
  } catch {
    throw badRequest('Invalid model specified: Validation Result: warnings : [], errors : [Invalid model schema specified]');
  }
}

/** The two models every new REST API has. */
export function addDefaultModels(ctx: RequestContext, apiId: string): void {
  const schema = (title: string, body: object) => JSON.stringify({ $schema: 'http://json-schema.org/draft-04/schema#', title, ...body });
  models(ctx).put(`${apiId}/Empty`, { id: newId(6), name: 'Empty', contentType: 'application/json', description: 'This is a default empty schema model', schema: schema('Empty Schema', { type: 'object' }) });
  models(ctx).put(`${apiId}/Error`, {
    id: newId(6),
    name: 'Error',
    contentType: 'application/json',
    description: 'This is a default error schema model',
    schema: schema('Error Schema', { type: 'object', properties: { message: { type: 'string' } } }),
  });
}

export const createModel: Handler<AG.CreateModelRequest, AG.Model> = (input, ctx) => {
  getApi(ctx, input.restApiId!);
  if (!input.name) throw badRequest('Model name must be non-empty');
  if (!/^[a-zA-Z0-9]+$/.test(input.name)) throw badRequest('Model name must be alphanumeric');
  if (models(ctx).has(`${input.restApiId}/${input.name}`)) throw conflict('Model name already exists for this REST API');
  checkSchema(input.schema);
  const model: ModelRecord = { id: newId(6), name: input.name, contentType: input.contentType, description: input.description, schema: input.schema };
  models(ctx).put(`${input.restApiId}/${model.name}`, model);
  return model;
};

export const getModel: Handler<AG.GetModelRequest, AG.Model> = (input, ctx) => findModel(ctx, input.restApiId!, input.modelName!);

export const getModels: Handler<AG.GetModelsRequest, AG.Models> = (input, ctx) => {
  getApi(ctx, input.restApiId!);
  const page = paginate(models(ctx).values({ prefix: `${input.restApiId}/` }), (m) => m.name, input.limit ?? 25, input.position, () => badRequest('Invalid position parameter'));
  return { items: page.items, position: page.nextToken };
};

const MODEL_PATCH = {
  rules: [
    { path: '/description', ops: ['replace' as const] },
    { path: '/schema', ops: ['replace' as const] },
  ],
  ...listingErrors(['/description', '/schema']),
};

export const updateModel: Handler<AG.UpdateModelRequest, AG.Model> = (input, ctx) => {
  const model = findModel(ctx, input.restApiId!, input.modelName!);
  const updated = applyPatch(model, input.patchOperations, MODEL_PATCH);
  checkSchema(updated.schema);
  models(ctx).put(`${input.restApiId}/${model.name}`, updated);
  return updated;
};

export const deleteModel: Handler<AG.DeleteModelRequest, Record<string, never>> = (input, ctx) => {
  const model = findModel(ctx, input.restApiId!, input.modelName!);
  models(ctx).delete(`${input.restApiId}/${model.name}`);
  return {};
};

/** For PutRestApi's overwrite mode: no validators, and only the default models. */
export function deleteAllModelsAndValidators(ctx: RequestContext, apiId: string): void {
  validators(ctx).deletePrefix(`${apiId}/`);
  models(ctx).deletePrefix(`${apiId}/`);
  addDefaultModels(ctx, apiId);
}

/** A model from an imported definition, replacing one of the same name. */
export function importModel(ctx: RequestContext, apiId: string, name: string, schema: string): void {
  if (!/^[a-zA-Z0-9]+$/.test(name)) throw badRequest(`Invalid model name specified: ${name}`);
  const existing = models(ctx).get(`${apiId}/${name}`);
  models(ctx).put(`${apiId}/${name}`, { id: existing?.id ?? newId(6), name, contentType: 'application/json', schema });
}
