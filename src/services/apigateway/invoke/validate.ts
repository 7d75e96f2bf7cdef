// Request validation before the integration runs, as a method's request validator asks: required
// parameters (query string, headers, path) and the body against the model of its content type,
// a JSON Schema draft 4 subset. Failures answer 400 with API Gateway's messages.

import type { Store } from '../../../store/store.js';
import type { ApiLocation, MethodRecord } from '../state.js';
import { modelAt, validatorAt } from '../validators.js';
import type { RequestParams } from './mapping.js';

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

/** A schema pattern that is not a valid regular expression constrains nothing. */
function safeTest(pattern: string, value: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(value);
  } catch {
    return true;
  }
}

/** Whether the value satisfies the schema (keywords outside the subset are ignored). */
export function conforms(schema: Schema, value: unknown): boolean {
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
    if (items && typeof items === 'object' && !Array.isArray(items) && !value.every((v) => conforms(items as Schema, v))) return false;
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const object = value as Record<string, unknown>;
    if (Array.isArray(schema.required) && schema.required.some((k) => !Object.hasOwn(object, String(k)))) return false;
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    for (const [key, v] of Object.entries(object)) {
      if (Object.hasOwn(properties, key)) {
        if (!conforms(properties[key]!, v)) return false;
      } else if (schema.additionalProperties === false) {
        return false;
      } else if (schema.additionalProperties && typeof schema.additionalProperties === 'object' && !conforms(schema.additionalProperties as Schema, v)) {
        return false;
      }
    }
  }
  for (const sub of ['allOf', 'anyOf', 'oneOf'] as const) {
    const list = schema[sub];
    if (!Array.isArray(list)) continue;
    const passed = list.filter((s) => conforms(s as Schema, value)).length;
    if ((sub === 'allOf' && passed !== list.length) || (sub === 'anyOf' && passed === 0) || (sub === 'oneOf' && passed !== 1)) return false;
  }
  if (schema.not && typeof schema.not === 'object' && conforms(schema.not as Schema, value)) return false;
  return true;
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
      if (!conforms(JSON.parse(model.schema) as Schema, value)) return 'Invalid request body';
    }
  }
  return undefined;
}
