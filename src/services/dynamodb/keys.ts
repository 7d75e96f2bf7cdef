// Primary and index keys: checking them against a schema, and encoding them into store keys
// that sort as DynamoDB sorts. A store key is a 4-hex-digit bucket (a hash of the partition
// key, as DynamoDB spreads partitions; parallel scan segments are bucket ranges) followed by
// self-delimiting, order-preserving encodings of the key attributes, so a Query reads exactly
// its partition's key range.

import { invalidParameter, validation } from './errors.js';
import { encodeNumberKey } from './numbers.js';
import { utf8Length, type AttributeMap, type AttributeValue } from './values.js';

export type ScalarType = 'S' | 'N' | 'B';

export interface KeyPart {
  name: string;
  type: ScalarType;
}

/** A key schema with its attribute types resolved. */
export interface KeyShape {
  hash: KeyPart;
  range?: KeyPart;
}

export const BUCKETS = 0x10000;

/** FNV-1a over the encoded partition key, folded to 16 bits. */
export function bucketOf(hashPart: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < hashPart.length; i++) {
    h ^= hashPart.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return ((h >>> 16) ^ h) & 0xffff;
}

export function bucketText(bucket: number): string {
  return bucket.toString(16).padStart(4, '0');
}

// Text and binary keys: NUL is escaped as NUL U+00FF and the value ends with NUL U+0001, which
// sorts below any continuation, so shorter values sort first and encodings can be concatenated.
const END = '\u0000\u0001';

function escapeText(text: string): string {
  return text.includes('\u0000') ? text.replace(/\u0000/g, '\u0000\u00ff') : text;
}

function binaryText(base64: string): string {
  return Buffer.from(base64, 'base64').toString('latin1');
}

/** The order-preserving encoding of one key value, without its terminator (for begins_with). */
export function encodePrefix(type: ScalarType, value: AttributeValue): string {
  if (type === 'S') return escapeText(value.S!);
  if (type === 'B') return escapeText(binaryText(value.B!));
  return encodeNumberKey(value.N!);
}

export function encodePart(type: ScalarType, value: AttributeValue): string {
  if (type === 'N') return encodeNumberKey(value.N!);
  return encodePrefix(type, value) + END;
}

/** Partition bucket plus encoded partition key: every key of one partition starts with this. */
export function partitionPrefix(shape: KeyShape, hashValue: AttributeValue): string {
  const hash = encodePart(shape.hash.type, hashValue);
  return bucketText(bucketOf(hash)) + hash;
}

/** The store key of an item (or of a key) under a table's schema. */
export function storeKey(shape: KeyShape, item: AttributeMap): string {
  const prefix = partitionPrefix(shape, item[shape.hash.name]!);
  return shape.range ? prefix + encodePart(shape.range.type, item[shape.range.name]!) : prefix;
}

/** The key attributes alone, in schema order. */
export function keyOf(shape: KeyShape, item: AttributeMap): AttributeMap {
  const key: AttributeMap = { [shape.hash.name]: item[shape.hash.name]! };
  if (shape.range) key[shape.range.name] = item[shape.range.name]!;
  return key;
}

function checkKeyValue(part: KeyPart, value: AttributeValue, isHash: boolean): void {
  const type = part.type;
  if ((type === 'S' && value.S === '') || (type === 'B' && value.B === '')) {
    throw validation(
      `One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty ${type === 'S' ? 'string' : 'binary'} value. Key: ${part.name}`,
    );
  }
  if (type === 'N') return;
  const size = type === 'S' ? utf8Length(value.S!) : Buffer.byteLength(value.B!, 'base64');
  if (isHash && size > 2048) throw invalidParameter('Size of hashkey has exceeded the maximum size limit of2048 bytes');
  if (!isHash && size > 1024) throw invalidParameter('Aggregated size of all range keys has exceeded the size limit of 1024 bytes');
}

/** A Key parameter (GetItem, DeleteItem, UpdateItem, ...) must name exactly the schema's attributes. */
export function checkKey(shape: KeyShape, key: AttributeMap): void {
  const count = Object.keys(key).length;
  if (count !== (shape.range ? 2 : 1)) throw validation('The provided key element does not match the schema');
  for (const [part, isHash] of [[shape.hash, true], [shape.range, false]] as const) {
    if (!part) continue;
    const value = key[part.name];
    if (!value || value[part.type] === undefined) throw validation('The provided key element does not match the schema');
    checkKeyValue(part, value, isHash);
  }
}

/** An item written whole (PutItem) must carry the table's key attributes with their types. */
export function checkItemKey(shape: KeyShape, item: AttributeMap): void {
  for (const [part, isHash] of [[shape.hash, true], [shape.range, false]] as const) {
    if (!part) continue;
    const value = item[part.name];
    if (!value) throw invalidParameter(`Missing the key ${part.name} in the item`);
    if (value[part.type] === undefined) {
      throw invalidParameter(`Type mismatch for key ${part.name} expected: ${part.type} actual: ${Object.keys(value)[0]}`);
    }
    checkKeyValue(part, value, isHash);
  }
}
