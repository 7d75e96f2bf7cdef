// What every codec reads and writes: a request already off the socket, and a response to send.

import { validateHeaderName, validateHeaderValue } from 'node:http';
import type { Readable } from 'node:stream';
import type { ServiceError } from '../errors.js';
import type { Operation, ServiceModel } from './model.js';

export interface WireRequest {
  method: string;
  /** Path as sent, still percent-encoded, without the query string. */
  path: string;
  /** Query parameters in order, decoded. */
  query: Array<[string, string]>;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: Buffer;
  /**
   * The unread body, for requests a service asked to stream (S3 uploads). When set, `body` is
   * empty and the codec hands this stream to the handler as the blob payload.
   */
  stream?: Readable;
}

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  /** A stream is piped as it is read; its length must then be in the content-length header. */
  body?: Buffer | string | Readable;
}

/** Whether every header can go on the wire (a CR/LF or a space in a name would make Node throw). */
export function headersWritable(headers: Record<string, string>): boolean {
  try {
    for (const [name, value] of Object.entries(headers)) {
      validateHeaderName(name);
      validateHeaderValue(name, value);
    }
    return true;
  } catch {
    return false;
  }
}

export interface ResponseMeta {
  requestId: string;
}

/** Per-service facts about how a service writes errors, where it departs from its protocol's habit. */
export interface ErrorStyle {
  /** JSON error body key for the message: most services say "message", some "Message". */
  messageKey?: string;
  /** Prefix for __type, as DynamoDB's "com.amazonaws.dynamodb.v20120810#". */
  typePrefix?: string;
  /** Whole __type values for codes the framework answers, not the service (DynamoDB's Coral ValidationException). */
  frameworkTypes?: Record<string, string>;
  /** The code a failed model constraint answers: ValidationException (JSON) or ValidationError (query). */
  validationCode?: string;
}

export interface ProtocolCodec {
  /** The operation a request names, or undefined when the service has no such operation. */
  findOperation(req: WireRequest, model: ServiceModel): Operation | undefined;
  /** Decodes the request into the operation's input, throwing ServiceError on malformed input. */
  parse(req: WireRequest, op: Operation, model: ServiceModel): Record<string, unknown>;
  serialize(output: Record<string, unknown>, op: Operation, model: ServiceModel, meta: ResponseMeta): WireResponse;
  serializeError(error: ServiceError, model: ServiceModel, meta: ResponseMeta, style: ErrorStyle): WireResponse;
  /** The error for an operation the service does not have (or Fogbank does not implement). */
  unknownOperationError(name: string | undefined, serviceId: string, known: boolean): ServiceError;
}

export function queryValue(req: WireRequest, name: string): string | undefined {
  for (const [k, v] of req.query) if (k === name) return v;
  return undefined;
}
