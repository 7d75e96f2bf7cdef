// The json protocol for services that take and return plain JSON (ServiceImplementation.rawJson:
// DynamoDB): the body is checked in place against the model with fromJson's rules instead of being
// copied through it, a value of the wrong type answering Coral's SerializationException message,
// and the answer is sent as the handler built it.

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
      // Minified models inline the input structure; AWS's models name it <Operation>Input.
      checkJson(body, model.input(op), model, false, op.input?.shape ?? `${op.name}Input`);
    } catch (error) {
      if (!(error instanceof TypeProblem)) throw error;
      // Coral's JSON reader names the token it could not convert, not where it was.
      throw serializationError(error.message);
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

/** A value of the wrong JSON type, found by checkJson, with the message Coral's JSON reader gives. */
class TypeProblem {
  constructor(readonly message: string) {}
}

const STRUCTURE_HERE = 'Start of structure or map found where not expected';

/** The Java class Coral generated for a model shape: com.amazonaws.dynamodb.v20120810.AttributeValue. */
function javaClass(model: ServiceModel, shapeName: string): string | undefined {
  // The minified models rename shared shapes (S6): their real names, and so the class, are unknown.
  if (/^S\d+$/.test(shapeName)) return undefined;
  return `com.amazonaws.${model.metadata.endpointPrefix}.v${model.metadata.apiVersion.replace(/-/g, '')}.${shapeName}`;
}

/** Jackson's name for the JSON token a scalar value is. */
function tokenName(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'TRUE_VALUE' : 'FALSE_VALUE';
  if (typeof value === 'number') return Number.isInteger(value) ? 'NUMBER_VALUE' : 'DECIMAL_VALUE';
  return 'STRING_VALUE';
}

/** A scalar member given something else: the Java type it should have been. */
function notScalar(value: unknown, javaType: string): TypeProblem {
  if (Array.isArray(value)) return new TypeProblem(`Unrecognized collection type class java.lang.${javaType}`);
  if (typeof value === 'object') return new TypeProblem(STRUCTURE_HERE);
  return new TypeProblem(`${tokenName(value)} cannot be converted to ${javaType}`);
}

/**
 * Checks raw JSON input in place against the shape, with fromJson's rules but without copying:
 * each value's JSON type, base64 blobs and timestamps readable; nulls and undeclared members
 * are deleted, as fromJson drops them. `inCollection`: the value is a list or map element.
 */
function checkJson(value: unknown, shape: Shape, model: ServiceModel, inCollection: boolean, name?: string): void {
  switch (shape.type) {
    case 'structure': {
      if (shape.document) return;
      if (typeof value !== 'object' || value === null) throw new TypeProblem(inCollection ? 'Unexpected value type in payload' : 'Unexpected field type');
      const structureClass = Array.isArray(value) && name ? javaClass(model, name) : undefined;
      if (Array.isArray(value)) throw new TypeProblem(structureClass ? `Unrecognized collection type class ${structureClass}` : 'Unexpected field type');
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
        checkJson(input[key], member, model, false, ref.shape);
      }
      return;
    }
    case 'list': {
      if (!Array.isArray(value)) throw new TypeProblem(typeof value === 'object' ? STRUCTURE_HERE : 'Unexpected field type');
      const member = model.resolve(shape.member);
      for (let i = 0; i < value.length; i++) {
        if (value[i] !== null) checkJson(value[i], member, model, true, shape.member?.shape);
      }
      return;
    }
    case 'map': {
      if (typeof value !== 'object' || value === null) throw new TypeProblem('Unexpected field type');
      const valueShape = model.resolve(shape.value);
      if (Array.isArray(value)) {
        const valueClass = valueShape.type === 'string' ? 'java.lang.String' : shape.value?.shape ? javaClass(model, shape.value.shape) : undefined;
        throw new TypeProblem(valueClass ? `Unrecognized collection type java.util.Map<java.lang.String, ${valueClass}>` : 'Unexpected field type');
      }
      const input = value as Record<string, unknown>;
      for (const key in input) {
        if (input[key] === null) delete input[key];
        else checkJson(input[key], valueShape, model, true, shape.value?.shape);
      }
      return;
    }
    case 'string':
      if (typeof value !== 'string') throw notScalar(value, 'String');
      return;
    case 'boolean':
      if (typeof value !== 'boolean') throw notScalar(value, 'Boolean');
      return;
    case 'integer':
    case 'long':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw notScalar(value, shape.type === 'integer' ? 'Integer' : 'Long');
      return;
    case 'float':
    case 'double':
      // Non-finite floats travel as strings, as the SDKs send them.
      if (typeof value !== 'number' && value !== 'NaN' && value !== 'Infinity' && value !== '-Infinity') throw notScalar(value, 'Double');
      return;
    case 'bigdecimal':
    case 'biginteger':
      if (typeof value !== 'number') throw notScalar(value, shape.type === 'bigdecimal' ? 'BigDecimal' : 'BigInteger');
      return;
    case 'timestamp':
      // Left as the client sent it (epoch seconds, or text), once known to be readable.
      try {
        parseTimestamp(value, '');
      } catch {
        throw notScalar(value, 'Date');
      }
      return;
    case 'blob':
      if (typeof value === 'object' && value !== null) throw new TypeProblem(Array.isArray(value) ? 'Unrecognized collection type class java.nio.ByteBuffer' : STRUCTURE_HERE);
      if (typeof value !== 'string') throw new TypeProblem('only base-64-encoded strings are convertible to bytes');
      if (!isBase64(value)) throw new TypeProblem('Invalid last non-pad Base64 character dectected');
      return;
  }
}
