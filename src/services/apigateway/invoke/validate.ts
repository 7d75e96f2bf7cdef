// Request validation before the integration runs, as a method's request validator asks: required
// parameters (query string, headers, path) and the body against the model of its content type,
// a JSON Schema draft 4 subset. A $ref names another model of the API by its URL
// (https://apigateway.amazonaws.com/restapis/{api}/models/{name}), a place in the same schema
// (#/definitions/x), or, as imported OpenAPI definitions keep them, a model (#/definitions/Name,
// #/components/schemas/Name). Failures answer 400 with API Gateway's messages.

import type { Store } from '../../../store/store.js';
import type { ApiLocation, MethodRecord } from '../state.js';
import { modelAt, validatorAt } from '../validators.js';
import type { RequestParams } from './mapping.js';
import { boundedTest } from './bounded-regex.js';

type Schema = Record<string, unknown>;

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function typeMatches(expected: unknown, value: unknown): boolean {
  const actual = typeOf(value);
  const types = Array.isArray(expected) ? expected : [expected];
  return types.some((t) => t === actual || (t === 'number' && actual === 'integer'));
}

/**
 * A schema pattern that is not a valid regular expression constrains nothing; one that cannot
 * decide within its time budget rejects the value.
 */
function safeTest(pattern: string, value: string): boolean {
  const outcome = boundedTest(pattern, 'u', value);
  return outcome === 'match' || outcome === 'invalid';
}

/** Where a schema's $refs lead: the document it sits in, and the API's other models by name. */
interface Scope {
  root: Schema;
  model(name: string): Schema | undefined;
  /** $refs followed so far on this path: a schema that only refers to itself must end somewhere. */
  depth: number;
}

const MODEL_URL = /^https?:\/\/[^/]+\/restapis\/([^/]+)\/models\/([^/?#]+)$/;

function pointer(root: Schema, path: string): Schema | undefined {
  let at: unknown = root;
  for (const raw of path.split('/').slice(1)) {
    const part = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!at || typeof at !== 'object' || !Object.hasOwn(at, part)) return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return at && typeof at === 'object' ? (at as Schema) : undefined;
}

/** The schema a $ref names, with the document its own local refs resolve in. */
function follow(ref: string, scope: Scope, apiId: string | undefined): Scope & { schema: Schema } | undefined {
  const url = MODEL_URL.exec(ref);
  if (url) {
    const model = url[1] === apiId ? scope.model(decodeURIComponent(url[2]!)) : undefined;
    return model && { ...scope, root: model, schema: model, depth: scope.depth + 1 };
  }
  if (!ref.startsWith('#')) return undefined;
  const local = ref === '#' ? scope.root : pointer(scope.root, ref.slice(1));
  if (local) return { ...scope, schema: local, depth: scope.depth + 1 };
  const named = /^#\/(?:definitions|components\/schemas)\/([^/]+)$/.exec(ref);
  const model = named ? scope.model(decodeURIComponent(named[1]!)) : undefined;
  return model && { ...scope, root: model, schema: model, depth: scope.depth + 1 };
}

/** Whether the value satisfies the schema (keywords outside the subset, and $refs that lead nowhere, are ignored). */
export function conforms(schema: Schema, value: unknown, scope?: Scope & { apiId?: string }): boolean {
  if (typeof schema.$ref === 'string') {
    // In draft 4 a $ref replaces the schema it sits in.
    const next = scope && scope.depth < 32 ? follow(schema.$ref, scope, scope.apiId) : undefined;
    return next ? conforms(next.schema, value, { ...next, apiId: scope!.apiId }) : true;
  }
  if (schema.type !== undefined && !typeMatches(schema.type, value)) return false;
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) return false;
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && (schema.exclusiveMinimum === true ? value <= schema.minimum : value < schema.minimum)) return false;
    if (typeof schema.maximum === 'number' && (schema.exclusiveMaximum === true ? value >= schema.maximum : value > schema.maximum)) return false;
  }
  if (typeof value === 'string') {
    if (typeof schema.minLength === 'number' && [...value].length < schema.minLength) return false;
    if (typeof schema.maxLength === 'number' && [...value].length > schema.maxLength) return false;
    if (typeof schema.pattern === 'string' && !safeTest(schema.pattern, value)) return false;
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) return false;
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) return false;
    const items = schema.items;
    if (items && typeof items === 'object' && !Array.isArray(items) && !value.every((v) => conforms(items as Schema, v, scope))) return false;
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const object = value as Record<string, unknown>;
    if (Array.isArray(schema.required) && schema.required.some((k) => !Object.hasOwn(object, String(k)))) return false;
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    for (const [key, v] of Object.entries(object)) {
      if (Object.hasOwn(properties, key)) {
        if (!conforms(properties[key]!, v, scope)) return false;
      } else if (schema.additionalProperties === false) {
        return false;
      } else if (schema.additionalProperties && typeof schema.additionalProperties === 'object' && !conforms(schema.additionalProperties as Schema, v, scope)) {
        return false;
      }
    }
  }
  for (const sub of ['allOf', 'anyOf', 'oneOf'] as const) {
    const list = schema[sub];
    if (!Array.isArray(list)) continue;
    const passed = list.filter((s) => conforms(s as Schema, value, scope)).length;
    if ((sub === 'allOf' && passed !== list.length) || (sub === 'anyOf' && passed === 0) || (sub === 'oneOf' && passed !== 1)) return false;
  }
  if (schema.not && typeof schema.not === 'object' && conforms(schema.not as Schema, value, scope)) return false;
  return true;
}

function parseSchema(text: string | undefined): Schema | undefined {
  if (!text) return undefined;
  try {
    const schema: unknown = JSON.parse(text);
    return schema && typeof schema === 'object' ? (schema as Schema) : undefined;
  } catch {
    return undefined;
  }
}

/** The message a failed validation answers, or undefined when the request may go on. */
export function validateRequest(store: Store, location: ApiLocation, apiId: string, method: MethodRecord, params: RequestParams, body: string, contentType: string | undefined): string | undefined {
  if (!method.requestValidatorId) return undefined;
  const validator = validatorAt(store, location, apiId, method.requestValidatorId);
  if (!validator) return undefined;
  if (validator.validateRequestParameters) {
    const missing: string[] = [];
    for (const [name, required] of Object.entries(method.requestParameters ?? {})) {
      const m = /^method\.request\.(querystring|header|path)\.(.+)$/.exec(name);
      if (!required || !m) continue;
      const where = params[m[1] as keyof RequestParams];
      const present = m[1] === 'header' ? Object.keys(where).some((k) => k.toLowerCase() === m[2]!.toLowerCase()) : Object.hasOwn(where, m[2]!);
      if (!present) missing.push(m[2]!);
    }
    if (missing.length) return `Missing required request parameters: [${missing.join(', ')}]`;
  }
  if (validator.validateRequestBody && method.requestModels) {
    const type = (contentType ?? 'application/json').split(';')[0]!.trim().toLowerCase();
    const modelName = method.requestModels[type] ?? method.requestModels.$default;
    const model = modelName ? modelAt(store, location, apiId, modelName) : undefined;
    if (model?.schema) {
      let value: unknown;
      try {
        value = JSON.parse(body);
      } catch {
        return 'Invalid request body';
      }
      const root = JSON.parse(model.schema) as Schema;
      const scope = { root, apiId, depth: 0, model: (name: string) => parseSchema(modelAt(store, location, apiId, name)?.schema) };
      if (!conforms(root, value, scope)) return 'Invalid request body';
    }
  }
  return undefined;
}
