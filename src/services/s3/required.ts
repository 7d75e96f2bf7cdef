// S3 checks its own required members, with S3's answers rather than the generic validation text: a
// request document that is missing altogether is MissingRequestBodyError, one missing a required
// element is MalformedXML, and a missing required header has its operation's own error.

import { ServiceError } from '../../errors.js';
import { loadModel, type ServiceModel, type Shape, type ShapeRef } from '../../protocols/model.js';
import { malformedXml } from './errors.js';

const missingBody = () => new ServiceError('MissingRequestBodyError', 'Request Body is empty');

export const missingObjectAttributes = () =>
  new ServiceError('InvalidRequest', 'The x-amz-object-attributes header specifying the attributes to be retrieved is either missing or empty');

/** Required headers whose absence S3 answers in its own words. */
const MISSING_HEADER: Record<string, () => ServiceError> = {
  'GetObjectAttributes.ObjectAttributes': missingObjectAttributes,
};

let model: ServiceModel | undefined;
const resolved = new WeakMap<ShapeRef, Shape>();

function resolve(ref: ShapeRef | undefined): Shape {
  if (!ref) return { type: 'structure', members: {} };
  let shape = resolved.get(ref);
  if (!shape) resolved.set(ref, (shape = model!.resolve(ref)));
  return shape;
}

/** Absent, or a header list with nothing in it. */
const isEmpty = (value: unknown) => value === undefined || (Array.isArray(value) && value.every((v) => v === ''));

/** Throws S3's error for the first required member missing from an operation's input. */
export function checkRequired(operation: string, input: Record<string, unknown>): void {
  model ??= loadModel('s3-2006-03-01');
  const op = model.operations[operation];
  if (!op?.input) return;
  const shape = resolve(op.input);
  for (const name of shape.required ?? []) {
    const member = resolve(shape.members?.[name]);
    if (member.location === 'uri' || !isEmpty(input[name])) continue;
    const own = MISSING_HEADER[`${operation}.${name}`];
    if (own) throw own();
    if (member.location === 'header') throw new ServiceError('InvalidRequest', `Missing required header for this request: ${member.locationName ?? name}`);
    if (member.location === 'querystring') throw new ServiceError('InvalidRequest', `Missing required parameter for this request: ${member.locationName ?? name}`);
    // The payload itself: an empty request body (a blob payload, such as a policy, is its handler's to judge).
    if (member.type === 'structure') throw missingBody();
  }
  const payload = shape.payload;
  if (payload && input[payload] !== undefined) walk(resolve(shape.members?.[payload]), input[payload]);
  else if (!payload) for (const [name, ref] of Object.entries(shape.members ?? {})) if (!resolve(ref).location && input[name] !== undefined) walk(resolve(ref), input[name]);
}

/** Required elements inside a request document. */
function walk(shape: Shape, value: unknown): void {
  if (value === null || typeof value !== 'object' || Buffer.isBuffer(value) || value instanceof Date) return;
  if (shape.type === 'structure') {
    const record = value as Record<string, unknown>;
    for (const name of shape.required ?? []) if (record[name] === undefined) throw malformedXml();
    for (const [name, ref] of Object.entries(shape.members ?? {})) if (record[name] !== undefined) walk(resolve(ref), record[name]);
  } else if (shape.type === 'list' && Array.isArray(value)) {
    const member = resolve(shape.member);
    for (const item of value) walk(member, item);
  } else if (shape.type === 'map') {
    const member = resolve(shape.value);
    for (const item of Object.values(value as Record<string, unknown>)) walk(member, item);
  }
}
