// What SQS checks in a message before accepting it: the body's characters, message attributes
// (names, types, values), system attributes, FIFO ids, and the size limit, with AWS's messages.

import type * as SQS from '@aws-sdk/client-sqs';
import { invalidMessageContents, invalidParameterValue, invalidValue, missingParameter } from './errors.js';
import type { StoredAttribute } from './state.js';

/** #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF, and nothing else. */
const INVALID_CHARACTER = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const ATTRIBUTE_NAME = /^[A-Za-z0-9_.\-\u00C0-\u017F]+$/;
const FIFO_ID = /^[\x21-\x7E]{1,128}$/;
const MAX_ATTRIBUTES = 10;

export function hasInvalidCharacters(text: string): boolean {
  return INVALID_CHARACTER.test(text);
}

export function checkBody(body: string): void {
  if (body.length === 0) throw missingParameter('MessageBody');
  if (hasInvalidCharacters(body)) throw invalidMessageContents();
}

export interface CheckedAttributes {
  attributes?: Record<string, StoredAttribute>;
  /** Bytes the attributes count toward the message size: names, types and values. */
  size: number;
}

export function checkMessageAttributes(input: Record<string, SQS.MessageAttributeValue> | undefined): CheckedAttributes {
  if (!input) return { size: 0 };
  const names = Object.keys(input);
  if (names.length === 0) return { size: 0 };
  if (names.length > MAX_ATTRIBUTES) throw invalidParameterValue(`Number of message attributes [${names.length}] exceeds the allowed maximum [${MAX_ATTRIBUTES}].`);
  const attributes: Record<string, StoredAttribute> = {};
  let size = 0;
  for (const name of names) {
    checkAttributeName(name);
    const value = input[name]!;
    const type = value.DataType;
    if (!type) throw invalidParameterValue(`The message attribute '${name}' must contain non-empty message attribute type.`);
    if (Buffer.byteLength(type) > 256) throw invalidParameterValue(`Message (user) attribute '${name}' type must be shorter than 256 bytes.`);
    const base = /^(String|Number|Binary)(\..*)?$/.exec(type)?.[1];
    if (!base) {
      throw invalidParameterValue(`The type of message (user) attribute '${name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.`);
    }
    if (value.StringListValues?.length || value.BinaryListValues?.length) {
      throw invalidParameterValue(`Message (user) attribute '${name}' uses the reserved list types, which SQS does not support.`);
    }
    if (base === 'Binary') {
      const bytes = value.BinaryValue;
      if (!bytes || bytes.length === 0) throw invalidParameterValue(`Message (user) attribute '${name}' must contain a non-empty value of type 'Binary'.`);
      const buffer = Buffer.from(bytes);
      attributes[name] = { DataType: type, BinaryValue: buffer.toString('base64') };
      size += buffer.length;
    } else {
      const text = value.StringValue;
      if (!text) throw invalidParameterValue(`Message (user) attribute '${name}' must contain a non-empty value of type '${base}'.`);
      if (base === 'Number' && !/^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(text)) {
        throw invalidParameterValue(`Can't cast the value of message (user) attribute '${name}' to a number.`);
      }
      if (hasInvalidCharacters(text)) throw invalidParameterValue(invalidMessageContents().message);
      attributes[name] = { DataType: type, StringValue: text };
      size += Buffer.byteLength(text);
    }
    size += Buffer.byteLength(name) + Buffer.byteLength(type);
  }
  return { attributes, size };
}

function checkAttributeName(name: string): void {
  if (Buffer.byteLength(name) > 256) throw invalidParameterValue('Message (user) attribute name must be shorter than 256 bytes.');
  if (!ATTRIBUTE_NAME.test(name)) {
    throw invalidParameterValue('Message (user) attributes name can only contain upper and lower score characters, digits, periods, hyphens and underscores.');
  }
  if (/^(aws|amazon)\./i.test(name)) {
    throw invalidParameterValue("You can't use message attribute names beginning with 'AWS.' or 'Amazon.'. These strings are reserved for internal use.");
  }
  if (name.startsWith('.') || name.endsWith('.') || name.includes('..')) {
    throw invalidParameterValue(`Message (user) attribute name '${name}' can't start or end with a period or contain two periods in a row.`);
  }
}

/** Only AWSTraceHeader may be sent as a system attribute, as a String. */
export function checkSystemAttributes(input: Record<string, SQS.MessageSystemAttributeValue> | undefined): { traceHeader?: string; attributes?: Record<string, StoredAttribute> } {
  if (!input || Object.keys(input).length === 0) return {};
  const attributes: Record<string, StoredAttribute> = {};
  for (const [name, value] of Object.entries(input)) {
    if (name !== 'AWSTraceHeader') throw invalidParameterValue(`Message system attribute name '${name}' is invalid.`);
    if (value.DataType !== 'String' || !value.StringValue) {
      throw invalidParameterValue(`Message system attribute '${name}' must contain a non-empty value of type 'String'.`);
    }
    attributes[name] = { DataType: 'String', StringValue: value.StringValue };
  }
  return { traceHeader: attributes.AWSTraceHeader?.StringValue, attributes };
}

export function checkFifoId(value: string | undefined, parameter: 'MessageGroupId' | 'MessageDeduplicationId'): void {
  if (value !== undefined && !FIFO_ID.test(value)) {
    throw invalidValue(value, parameter, `${parameter} can only include alphanumeric and punctuation characters. 1 to 128 in length.`);
  }
}

export function messageTooLong(limit: number, inBatch: boolean): ReturnType<typeof invalidParameterValue> {
  const lead = inBatch ? 'One or more parameters cannot be validated.' : 'One or more parameters are invalid.';
  return invalidParameterValue(`${lead} Reason: Message must be shorter than ${limit} bytes.`);
}
