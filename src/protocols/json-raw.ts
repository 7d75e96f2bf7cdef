// The json protocol for services that take and return plain JSON (ServiceImplementation.rawJson:
// DynamoDB): the body is checked in place against the model with fromJson's rules instead of being
// copied through it, and the answer is sent as the handler built it.

import { contentType, jsonCodec } from './json.js';
import { parseJsonText } from './json-body.js';
import type { ServiceModel, Shape } from './model.js';
import { isBase64, parseTimestamp, serializationError } from './values.js';
import type { ProtocolCodec } from './wire.js';

/**
 * An answer a rawJson handler has already written as JSON text (records spliced in as the store
 * holds them), sent as it is. Internal callers (Dispatcher.call) get it parsed.
 */
export class RawJsonText {
  constructor(readonly text: string) {}
}

/** The json protocol for services that set rawJson: the body goes in and out as plain JSON. */
export const rawJsonCodec: ProtocolCodec = {
  ...jsonCodec,

  parse(req, op, model) {
    const body = parseJsonText(req.body);
    try {
      checkJson(body, model.input(op), model);
    } catch (error) {
      if (!(error instanceof TypeProblem)) throw error;
      const path = error.path.join('.');
      throw serializationError(error.expected === 'base64' ? `Invalid base64 value at '${path}'` : `Unexpected value type at '${path}': expected ${error.expected}`);
    }
    return body as Record<string, unknown>;
  },

  serialize(output, _op, model, meta) {
    return {
      status: 200,
      headers: { 'content-type': contentType(model), 'x-amzn-requestid': meta.requestId },
      body: output instanceof RawJsonText ? output.text : JSON.stringify(output),
    };
  },
};

/** A value of the wrong JSON type, found by checkJson; its path is built only on the way out. */
class TypeProblem {
  readonly path: string[] = [];
  constructor(readonly expected: string) {}
}

function within(segment: string, error: unknown): never {
  if (error instanceof TypeProblem) error.path.unshift(segment);
  throw error;
}

/**
 * Checks raw JSON input in place against the shape, with fromJson's rules but without copying:
 * each value's JSON type, base64 blobs and timestamps readable; nulls and undeclared members
 * are deleted, as fromJson drops them.
 */
function checkJson(value: unknown, shape: Shape, model: ServiceModel): void {
  switch (shape.type) {
    case 'structure': {
      if (shape.document) return;
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TypeProblem('structure');
      const input = value as Record<string, unknown>;
      const members = shape.members ?? {};
      for (const key in input) {
        const ref = Object.hasOwn(members, key) ? members[key] : undefined;
        const member = ref && model.resolve(ref);
        // Members are found by name: rawJson is for models whose body members are not renamed on the wire.
        if (!member || member.location || input[key] === null) {
          delete input[key];
          continue;
        }
        try {
          checkJson(input[key], member, model);
        } catch (error) {
          within(key, error);
        }
      }
      return;
    }
    case 'list': {
      if (!Array.isArray(value)) throw new TypeProblem('list');
      const member = model.resolve(shape.member);
      for (let i = 0; i < value.length; i++) {
        if (value[i] === null) continue;
        try {
          checkJson(value[i], member, model);
        } catch (error) {
          within(String(i + 1), error);
        }
      }
      return;
    }
    case 'map': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TypeProblem('map');
      const input = value as Record<string, unknown>;
      const valueShape = model.resolve(shape.value);
      for (const key in input) {
        if (input[key] === null) {
          delete input[key];
          continue;
        }
        try {
          checkJson(input[key], valueShape, model);
        } catch (error) {
          within(key, error);
        }
      }
      return;
    }
    case 'string':
      if (typeof value !== 'string') throw new TypeProblem('string');
      return;
    case 'boolean':
      if (typeof value !== 'boolean') throw new TypeProblem('boolean');
      return;
    case 'integer':
    case 'long':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw new TypeProblem('integer');
      return;
    case 'float':
    case 'double':
      // Non-finite floats travel as strings, as the SDKs send them.
      if (typeof value !== 'number' && value !== 'NaN' && value !== 'Infinity' && value !== '-Infinity') throw new TypeProblem('number');
      return;
    case 'bigdecimal':
    case 'biginteger':
      if (typeof value !== 'number') throw new TypeProblem('number');
      return;
    case 'timestamp':
      // Left as the client sent it (epoch seconds, or text), once known to be readable.
      try {
        parseTimestamp(value, '');
      } catch {
        throw new TypeProblem('timestamp');
      }
      return;
    case 'blob':
      if (!isBase64(value)) throw new TypeProblem('base64');
      return;
  }
}
