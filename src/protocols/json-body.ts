// JSON bodies as the json and rest-json protocols write them: timestamps as epoch seconds,
// blobs as base64, and only the members the shape declares.

import type { ServiceModel, Shape } from './model.js';
import { formatTimestamp, parseBase64, parseTimestamp, serializationError, setEntry, toBuffer } from './values.js';

export function parseJsonText(body: Buffer): unknown {
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw serializationError('Start of structure or map found where not expected.');
  }
}

/** Converts decoded JSON into handler input, checking each value's type against the shape. */
export function fromJson(value: unknown, shape: Shape, model: ServiceModel, path: string): unknown {
  if (value === null || value === undefined) return undefined;
  switch (shape.type) {
    case 'structure': {
      if (shape.document) return value;
      if (typeof value !== 'object' || Array.isArray(value)) throw typeError(path, 'structure');
      const out: Record<string, unknown> = {};
      const input = value as Record<string, unknown>;
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        const member = model.resolve(ref);
        if (member.location) continue;
        const key = member.locationName ?? name;
        if (!(key in input)) continue;
        const converted = fromJson(input[key], member, model, `${path}.${name}`);
        if (converted !== undefined) out[name] = converted;
      }
      return out;
    }
    case 'list': {
      if (!Array.isArray(value)) throw typeError(path, 'list');
      const member = model.resolve(shape.member);
      return value.map((v, i) => fromJson(v, member, model, `${path}.${i + 1}`) ?? null);
    }
    case 'map': {
      if (typeof value !== 'object' || Array.isArray(value)) throw typeError(path, 'map');
      const out: Record<string, unknown> = {};
      const valueShape = model.resolve(shape.value);
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        const converted = fromJson(v, valueShape, model, `${path}.${k}`);
        if (converted !== undefined) setEntry(out, k, converted);
      }
      return out;
    }
    case 'string':
      if (typeof value !== 'string') throw typeError(path, 'string');
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw typeError(path, 'boolean');
      return value;
    case 'integer':
    case 'long':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw typeError(path, 'integer');
      return value;
    case 'float':
    case 'double':
      // Non-finite floats travel as strings, as the SDKs send them.
      if (value === 'NaN' || value === 'Infinity' || value === '-Infinity') return Number(value);
      if (typeof value !== 'number') throw typeError(path, 'number');
      return value;
    case 'bigdecimal':
    case 'biginteger':
      if (typeof value !== 'number') throw typeError(path, 'number');
      return value;
    case 'timestamp':
      return parseTimestamp(value, path);
    case 'blob':
      return parseBase64(value, path);
  }
}

/** Converts handler output into JSON-ready values, dropping members the shape does not declare. */
export function toJson(value: unknown, shape: Shape, model: ServiceModel): unknown {
  if (value === null || value === undefined) return undefined;
  switch (shape.type) {
    case 'structure': {
      if (shape.document) return value;
      const out: Record<string, unknown> = {};
      const input = value as Record<string, unknown>;
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        if (input[name] === undefined || input[name] === null) continue;
        const member = model.resolve(ref);
        if (member.location) continue;
        out[member.locationName ?? name] = toJson(input[name], member, model);
      }
      return out;
    }
    case 'list': {
      const member = model.resolve(shape.member);
      return (value as unknown[]).map((v) => toJson(v, member, model) ?? null);
    }
    case 'map': {
      const valueShape = model.resolve(shape.value);
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) setEntry(out, k, toJson(v, valueShape, model) ?? null);
      return out;
    }
    case 'timestamp':
      return formatTimestamp(value, shape.timestampFormat ?? 'unixTimestamp');
    case 'blob':
      return toBuffer(value).toString('base64');
    case 'float':
    case 'double':
      return typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
    default:
      return value;
  }
}

function typeError(path: string, expected: string): Error {
  return serializationError(`Unexpected value type at '${path.replace(/^\./, '')}': expected ${expected}`);
}
