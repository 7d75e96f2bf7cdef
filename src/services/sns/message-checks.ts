// What SNS checks on a message before accepting it: attributes (names, types, values), subject,
// message structure, size, and the FIFO ids.

import { createHash } from 'node:crypto';
import type * as SNS from '@aws-sdk/client-sns';
import { invalidParameter, invalidParameterValue } from './errors.js';
import type { ServiceError } from '../../errors.js';

export const MAX_MESSAGE_BYTES = 262_144;
const ATTRIBUTE_NAME_CHARS = /^[A-Za-z0-9_.-]$/;
const SUBJECT = /^[\x21-\x7E][\x20-\x7E]{0,99}$/;

export interface MessageInput {
  Message?: string;
  Subject?: string;
  MessageStructure?: string;
  MessageAttributes?: Record<string, SNS.MessageAttributeValue>;
  MessageDeduplicationId?: string;
  MessageGroupId?: string;
}

function checkAttributeName(name: string): void {
  if (Buffer.byteLength(name) > 256) throw invalidParameterValue('Length of message attribute name must be less than 256 bytes.');
  if (name.startsWith('.')) throw invalidParameterValue("Invalid message attribute name starting with character '.' was found.");
  if (name.endsWith('.')) throw invalidParameterValue("Invalid message attribute name ending with character '.' was found.");
  for (const char of name) {
    if (!ATTRIBUTE_NAME_CHARS.test(char)) {
      throw invalidParameterValue(`Invalid non-alphanumeric character '#x${char.codePointAt(0)!.toString(16).toUpperCase()}' was found in the message attribute name. Can only include alphanumeric characters, hyphens, underscores, or dots.`);
    }
  }
  if (name.includes('..')) throw invalidParameterValue("Message attribute name can not have successive '.' character.");
  if (/^(aws|amazon)\./i.test(name)) throw invalidParameterValue(`The message attribute name '${name}' is reserved for use by AWS.`);
}

/** Validates message attributes; returns their size in bytes (names, types and values). */
export function checkMessageAttributes(attributes: Record<string, SNS.MessageAttributeValue> | undefined): number {
  let bytes = 0;
  for (const [name, attribute] of Object.entries(attributes ?? {})) {
    checkAttributeName(name);
    const type = attribute.DataType ?? '';
    const base = type.split('.')[0];
    if (base !== 'String' && base !== 'Number' && base !== 'Binary') {
      throw invalidParameterValue(`The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`);
    }
    const field = base === 'Binary' ? 'Binary' : 'String';
    const value = base === 'Binary' ? attribute.BinaryValue : attribute.StringValue;
    if (value === undefined) throw invalidParameterValue(`The message attribute '${name}' with type '${type}' must use field '${field}'.`);
    if ((value as { length: number }).length === 0) {
      throw invalidParameterValue(`The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${type}'.`);
    }
    const isArray = type === 'String.Array' || type === 'Number.Array';
    if (base === 'Number' && !isArray && !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(attribute.StringValue!)) {
      throw invalidParameterValue(`Could not cast message attribute '${name}' value to number.`);
    }
    if (isArray) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(attribute.StringValue!);
      } catch {
        parsed = undefined;
      }
      if (!Array.isArray(parsed)) throw invalidParameterValue(`The message attribute '${name}' with type '${type}' does not contain a valid JSON array.`);
    }
    bytes += Buffer.byteLength(name) + Buffer.byteLength(type) + (typeof value === 'string' ? Buffer.byteLength(value) : (value as Uint8Array).length);
  }
  return bytes;
}

/** Validates a message; returns the error instead of throwing, for PublishBatch's per-entry failures. */
export function messageError(input: MessageInput): ServiceError | undefined {
  try {
    checkMessage(input);
    return undefined;
  } catch (error) {
    return error as ServiceError;
  }
}

export function checkMessage(input: MessageInput): void {
  const message = input.Message ?? '';
  if (message === '') throw invalidParameter('Empty message');
  if (input.Subject !== undefined && !SUBJECT.test(input.Subject)) throw invalidParameter('Subject');
  if (input.MessageStructure !== undefined) {
    if (input.MessageStructure !== 'json') throw invalidParameter('MessageStructure');
    let parsed: unknown;
    try {
      parsed = JSON.parse(message);
    } catch {
      throw invalidParameter('Message Structure - JSON message body failed to parse');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalidParameter('Message Structure - JSON message body failed to parse');
    if (typeof (parsed as Record<string, unknown>).default !== 'string') throw invalidParameter('Message Structure - No default entry in JSON message body');
  }
  const bytes = Buffer.byteLength(message) + checkMessageAttributes(input.MessageAttributes);
  if (bytes > MAX_MESSAGE_BYTES) throw invalidParameter('Message too long');
}

/** The FIFO rules: FIFO topics need a group id and a deduplication id (or content-based dedup); standard topics take no deduplication id. */
export function checkFifoIds(input: MessageInput, fifo: boolean, contentBased: boolean): string | undefined {
  if (!fifo) {
    if (input.MessageDeduplicationId !== undefined) {
      throw invalidParameter('MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type');
    }
    return undefined;
  }
  if (!input.MessageGroupId) throw invalidParameter('The MessageGroupId parameter is required for FIFO topics');
  if (input.MessageDeduplicationId) return input.MessageDeduplicationId;
  if (!contentBased) throw invalidParameter('The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
  return createHash('sha256').update(input.Message ?? '').digest('hex');
}
