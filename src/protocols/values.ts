// Scalar conversions shared by every codec: timestamps in AWS's three formats, blobs, numbers.
// Handlers see timestamps as Date and blobs as Buffer; they may return timestamps as Date or
// as epoch milliseconds.

import { ServiceError } from '../errors.js';

export type TimestampFormat = 'iso8601' | 'rfc822' | 'unixTimestamp';

export function serializationError(message: string): ServiceError {
  return new ServiceError('SerializationException', message);
}

export function toDate(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'number') return new Date(value);
  if (typeof value === 'string') return new Date(value);
  throw new TypeError(`not a timestamp: ${String(value)}`);
}

export function formatTimestamp(value: unknown, format: TimestampFormat): string | number {
  const date = toDate(value);
  switch (format) {
    case 'unixTimestamp':
      return date.getTime() / 1000;
    case 'rfc822':
      return date.toUTCString();
    case 'iso8601':
      return date.toISOString().replace(/\.000Z$/, 'Z');
  }
}

/** Reads a timestamp in any of AWS's formats (SDKs are lenient, and so are we). */
export function parseTimestamp(value: unknown, path: string): Date {
  let date: Date;
  if (typeof value === 'number') date = new Date(value * 1000);
  else if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) date = new Date(Number(value) * 1000);
  else if (typeof value === 'string') date = new Date(value);
  else throw serializationError(`Expected a timestamp at '${path}'`);
  if (Number.isNaN(date.getTime())) throw serializationError(`Invalid timestamp '${String(value)}' at '${path}'`);
  return date;
}

export function toBuffer(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  throw new TypeError('not a blob');
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function isBase64(value: unknown): value is string {
  return typeof value === 'string' && value.length % 4 !== 1 && BASE64.test(value.replace(/\s/g, ''));
}

export function parseBase64(value: unknown, path: string): Buffer {
  if (!isBase64(value)) throw serializationError(`Invalid base64 value at '${path}'`);
  return Buffer.from(value, 'base64');
}

export function parseIntegerText(value: string, path: string): number {
  if (!/^[+-]?\d+$/.test(value.trim())) throw serializationError(`Invalid integer '${value}' at '${path}'`);
  return Number(value);
}

export function parseNumberText(value: string, path: string): number {
  const n = Number(value);
  if (value.trim() === '' || Number.isNaN(n)) throw serializationError(`Invalid number '${value}' at '${path}'`);
  return n;
}

export function parseBooleanText(value: string, path: string): boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw serializationError(`Invalid boolean '${value}' at '${path}'`);
}

/** Sets a map entry as an own property, even for keys such as "__proto__" that assignment would eat. */
export function setEntry(map: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
}
