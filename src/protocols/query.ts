// The query protocol (IAM, STS, SNS, and SQS's older wire form): form-encoded Action=...&Version=...
// parameters in, XML out, with lists as Name.member.N and maps as Name.entry.N.key.

import { ServiceError } from '../errors.js';
import type { ServiceModel, Shape } from './model.js';
import { setEntry } from './values.js';
import { escapeXml, membersToXml, scalarFromText } from './xml-body.js';
import type { ProtocolCodec, WireRequest } from './wire.js';

const paramsCache = new WeakMap<WireRequest, Map<string, string>>();

/** Query-string and form-body parameters together (the body wins). */
export function queryParams(req: WireRequest): Map<string, string> {
  let params = paramsCache.get(req);
  if (!params) {
    params = new Map(req.query);
    const type = req.headers['content-type'] ?? '';
    if (req.body.length && (type.startsWith('application/x-www-form-urlencoded') || type === '')) {
      for (const [k, v] of new URLSearchParams(req.body.toString('utf8'))) params.set(k, v);
    }
    paramsCache.set(req, params);
  }
  return params;
}

function hasPrefix(params: Map<string, string>, prefix: string): boolean {
  if (params.has(prefix)) return true;
  const dotted = prefix + '.';
  for (const key of params.keys()) if (key.startsWith(dotted)) return true;
  return false;
}

/**
 * Where a list's items start: Name.member.N, or for a flattened list Name.N, where a named item
 * replaces the list's own name (SQS's AttributeNames are sent as AttributeName.1, AttributeName.2).
 */
function listPrefixOf(prefix: string, shape: Shape, model: ServiceModel): string {
  const member = model.resolve(shape.member);
  if (!shape.flattened) return `${prefix}.${member.locationName ?? 'member'}`;
  return member.locationName ? prefix.split('.').slice(0, -1).concat(member.locationName).join('.') : prefix;
}

export function fromQuery(params: Map<string, string>, prefix: string, shape: Shape, model: ServiceModel): unknown {
  switch (shape.type) {
    case 'structure': {
      const out: Record<string, unknown> = {};
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        const member = model.resolve(ref);
        const key = (prefix ? prefix + '.' : '') + (member.queryName ?? member.locationName ?? name);
        if (!hasPrefix(params, key) && !(member.type === 'list' && hasPrefix(params, listPrefixOf(key, member, model)))) continue;
        const value = fromQuery(params, key, member, model);
        if (value !== undefined) out[name] = value;
      }
      return out;
    }
    case 'list': {
      if (params.get(prefix) === '') return [];
      const member = model.resolve(shape.member);
      const listPrefix = listPrefixOf(prefix, shape, model);
      const items: unknown[] = [];
      for (let i = 1; hasPrefix(params, `${listPrefix}.${i}`); i++) items.push(fromQuery(params, `${listPrefix}.${i}`, member, model));
      return items;
    }
    case 'map': {
      const keyShape = model.resolve(shape.key);
      const valueShape = model.resolve(shape.value);
      const entryPrefix = shape.flattened ? prefix : `${prefix}.entry`;
      const out: Record<string, unknown> = {};
      for (let i = 1; hasPrefix(params, `${entryPrefix}.${i}`); i++) {
        const key = params.get(`${entryPrefix}.${i}.${keyShape.locationName ?? 'key'}`);
        if (key === undefined) continue;
        setEntry(out, key, fromQuery(params, `${entryPrefix}.${i}.${valueShape.locationName ?? 'value'}`, valueShape, model));
      }
      return out;
    }
    default: {
      const text = params.get(prefix);
      return text === undefined ? undefined : scalarFromText(text, shape, prefix);
    }
  }
}

function namespace(model: ServiceModel): string {
  return model.metadata.xmlNamespace ?? `https://${model.metadata.endpointPrefix}.amazonaws.com/doc/${model.metadata.apiVersion}/`;
}

export const queryCodec: ProtocolCodec = {
  findOperation(req, model) {
    const action = queryParams(req).get('Action');
    return action ? model.operations[action] : undefined;
  },

  parse(req, op, model) {
    return fromQuery(queryParams(req), '', model.input(op), model) as Record<string, unknown>;
  },

  serialize(output, op, model, meta) {
    const shape = model.output(op);
    const wrapper = op.output?.resultWrapper ?? shape.resultWrapper;
    const result = wrapper ? `<${wrapper}>${membersToXml(output, shape, model)}</${wrapper}>` : '';
    const body =
      `<${op.name}Response xmlns="${namespace(model)}">${result}` +
      `<ResponseMetadata><RequestId>${meta.requestId}</RequestId></ResponseMetadata></${op.name}Response>`;
    return { status: 200, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': meta.requestId }, body };
  },

  serializeError(error, model, meta) {
    const extra = Object.entries(error.fields).map(([k, v]) => `<${k}>${escapeXml(String(v))}</${k}>`).join('');
    const body =
      `<ErrorResponse xmlns="${namespace(model)}"><Error><Type>${error.senderFault ? 'Sender' : 'Receiver'}</Type>` +
      `<Code>${escapeXml(error.queryCode ?? error.code)}</Code><Message>${escapeXml(error.message)}</Message>${extra}</Error>` +
      `<RequestId>${meta.requestId}</RequestId></ErrorResponse>`;
    return { status: error.status, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': meta.requestId, ...error.headers }, body };
  },

  unknownOperationError(name, serviceId, known) {
    if (!name) return new ServiceError('MissingAction', 'Missing Action');
    const message = known ? `The action ${name} is not implemented by ${serviceId} in Fogbank.` : `The action ${name} is not valid for this web service.`;
    return new ServiceError('InvalidAction', message);
  },
};
