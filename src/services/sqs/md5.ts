// The digests SQS returns and SDKs verify: MD5 of the body's UTF-8 bytes, and MD5 of message
// attributes in AWS's binary encoding — attributes sorted by name, each as length-prefixed name,
// length-prefixed data type, a transport byte (1 string, 2 binary) and the length-prefixed value.

import { createHash } from 'node:crypto';
import type { StoredAttribute } from './state.js';

export function md5OfBody(body: string): string {
  return createHash('md5').update(body, 'utf8').digest('hex');
}

function lengthPrefixed(bytes: Buffer): Buffer[] {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return [length, bytes];
}

export function md5OfAttributes(attributes: Record<string, StoredAttribute>): string | undefined {
  const names = Object.keys(attributes).sort();
  if (names.length === 0) return undefined;
  const hash = createHash('md5');
  for (const name of names) {
    const attribute = attributes[name]!;
    for (const part of lengthPrefixed(Buffer.from(name, 'utf8'))) hash.update(part);
    for (const part of lengthPrefixed(Buffer.from(attribute.DataType, 'utf8'))) hash.update(part);
    if (attribute.StringValue !== undefined) {
      hash.update(Buffer.of(1));
      for (const part of lengthPrefixed(Buffer.from(attribute.StringValue, 'utf8'))) hash.update(part);
    } else if (attribute.BinaryValue !== undefined) {
      hash.update(Buffer.of(2));
      for (const part of lengthPrefixed(Buffer.from(attribute.BinaryValue, 'base64'))) hash.update(part);
    }
  }
  return hash.digest('hex');
}
