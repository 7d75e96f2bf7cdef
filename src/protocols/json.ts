// The json protocol (awsJson1_0 / awsJson1_1): POST / with X-Amz-Target naming the operation.

import { ServiceError } from '../errors.js';
import { fromJson, parseJsonText, toJson } from './json-body.js';
import type { ServiceModel } from './model.js';
import type { ErrorStyle, ProtocolCodec, ResponseMeta, WireResponse } from './wire.js';

export function contentType(model: ServiceModel): string {
  return `application/x-amz-json-${model.metadata.jsonVersion ?? '1.0'}`;
}

/** The JSON error body and headers json and rest-json share. */
export function jsonErrorResponse(error: ServiceError, model: ServiceModel, meta: ResponseMeta, style: ErrorStyle, type: string): WireResponse {
  const errorType = (style.frameworkTypes && Object.hasOwn(style.frameworkTypes, error.code) ? style.frameworkTypes[error.code] : undefined) ?? (style.typePrefix ?? '') + error.code;
  const body: Record<string, unknown> = { __type: errorType, [style.messageKey ?? 'message']: error.message, ...error.fields };
  const headers: Record<string, string> = {
    'content-type': type,
    'x-amzn-requestid': meta.requestId,
    'x-amzn-errortype': error.code,
    ...error.headers,
  };
  if (model.metadata.awsQueryCompatible) headers['x-amzn-query-error'] = `${error.queryCode ?? error.code};${error.senderFault ? 'Sender' : 'Receiver'}`;
  return { status: error.status, headers, body: JSON.stringify(body) };
}

export const jsonCodec: ProtocolCodec = {
  findOperation(req, model) {
    const target = req.headers['x-amz-target'] ?? '';
    const dot = target.lastIndexOf('.');
    if (dot < 0 || target.slice(0, dot) !== model.metadata.targetPrefix) return undefined;
    return model.operations[target.slice(dot + 1)];
  },

  parse(req, op, model) {
    const body = parseJsonText(req.body);
    return (fromJson(body, model.input(op), model, '') ?? {}) as Record<string, unknown>;
  },

  serialize(output, op, model, meta) {
    const body = toJson(output, model.output(op), model) ?? {};
    return {
      status: 200,
      headers: { 'content-type': contentType(model), 'x-amzn-requestid': meta.requestId },
      body: JSON.stringify(body),
    };
  },

  serializeError(error, model, meta, style) {
    return jsonErrorResponse(error, model, meta, style, contentType(model));
  },

  unknownOperationError(name, serviceId) {
    return new ServiceError('UnknownOperationException', name ? `Operation ${name} is not supported by ${serviceId} in Fogbank.` : 'Missing or unknown operation in X-Amz-Target.');
  },
};

