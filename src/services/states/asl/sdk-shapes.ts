// Between a Task's parameters and Fogbank's own dispatch: ASL writes every member name with a
// capital first letter (Step Functions' own API says stateMachineArn; a state says
// StateMachineArn), and answers come back the same way. The service's model says which keys are
// member names (renamed) and which are map keys (kept: DynamoDB attribute names), and which
// values are blobs or timestamps. Service errors become `<Prefix>.<Name>Exception` errors.

import { ServiceError } from '../../../errors.js';
import { loadModel, type ServiceModel, type Shape } from '../../../protocols/model.js';
import { SERVICES_BY_NAME } from '../../registry.js';
import { StatesError } from './errors.js';
import { isObject } from './jsonpath.js';

const lower = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);
const upper = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

/** Services whose handlers take the JSON body as sent (Fogbank's raw-JSON services). */
const RAW_JSON = new Set(['dynamodb']);

export interface SdkOperation {
  service: string;
  operation: string;
  model: ServiceModel;
}

/** The model operation a service and an ASL action name (putItem, sendMessage) mean, if any. */
export function findOperation(service: string, action: string): SdkOperation | undefined {
  const descriptor = SERVICES_BY_NAME.get(service);
  if (!descriptor) return undefined;
  const model = loadModel(descriptor.modelUid);
  const operation = Object.keys(model.operations).find((name) => lower(name) === lower(action));
  return operation ? { service, operation, model } : undefined;
}

/** A Task's parameters as the operation's handler takes them. */
export function toServiceInput(op: SdkOperation, params: unknown): Record<string, unknown> {
  const shape = op.model.input(op.model.operations[op.operation]!);
  return (convertIn(params, shape, op.model, RAW_JSON.has(op.service)) ?? {}) as Record<string, unknown>;
}

/** The handler's answer as the Task's result: member names capitalised, dates as epoch milliseconds. */
export function fromServiceOutput(op: SdkOperation, output: unknown): unknown {
  return convertOut(output, op.model.output(op.model.operations[op.operation]!), op.model);
}

function convertIn(value: unknown, shape: Shape, model: ServiceModel, raw: boolean): unknown {
  switch (shape.type) {
    case 'structure': {
      if (!isObject(value)) return value;
      const members = shape.members ?? {};
      const names = Object.keys(members);
      const out: Record<string, unknown> = {};
      for (const [key, v] of Object.entries(value)) {
        const member = names.find((n) => n === key) ?? names.find((n) => lower(n) === lower(key));
        out[member ?? key] = member ? convertIn(v, model.resolve(members[member]), model, raw) : v;
      }
      return out;
    }
    case 'list':
      return Array.isArray(value) ? value.map((v) => convertIn(v, model.resolve(shape.member), model, raw)) : value;
    case 'map': {
      if (!isObject(value)) return value;
      const valueShape = model.resolve(shape.value);
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convertIn(v, valueShape, model, raw)]));
    }
    case 'blob':
      return !raw && typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
    case 'timestamp':
      return !raw && (typeof value === 'string' || typeof value === 'number') ? new Date(value) : value;
    default:
      return value;
  }
}

function convertOut(value: unknown, shape: Shape, model: ServiceModel): unknown {
  if (value instanceof Date) return value.getTime();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  switch (shape.type) {
    case 'structure': {
      if (!isObject(value)) return value;
      const members = shape.members ?? {};
      const out: Record<string, unknown> = {};
      for (const [key, v] of Object.entries(value)) if (v !== undefined) out[upper(key)] = convertOut(v, model.resolve(members[key]), model);
      return out;
    }
    case 'list':
      return Array.isArray(value) ? value.map((v) => convertOut(v, model.resolve(shape.member), model)) : value;
    case 'map': {
      if (!isObject(value)) return value;
      const valueShape = model.resolve(shape.value);
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convertOut(v, valueShape, model)]));
    }
    case 'timestamp':
      // Raw-JSON services answer epoch seconds.
      return typeof value === 'number' ? Math.round(value * 1000) : value;
    default:
      return value;
  }
}

/** How an integration names a service's errors and its cause text. */
export interface ErrorStyle {
  /** DynamoDB (optimized integrations) or DynamoDb (aws-sdk integrations). */
  prefix: string;
  /** The SDK's service name in the cause, e.g. AmazonDynamoDBv2. */
  serviceName: string;
  /** aws-sdk integrations (AWS SDK for Java 2.x causes) or optimized ones (1.x causes). */
  sdkV2: boolean;
}

/** A service's error as the Task's error: `DynamoDB.ConditionalCheckFailedException` and the SDK's cause text. */
export function serviceFailure(error: unknown, style: ErrorStyle, requestId: string): StatesError {
  if (!(error instanceof ServiceError)) return new StatesError(`${style.prefix}.SdkClientException`, error instanceof Error ? error.message : String(error));
  const name = error.code.includes('.') ? error.code.split('.').pop()! : error.code;
  const exception = name.endsWith('Exception') ? name : `${name}Exception`;
  const cause = style.sdkV2
    ? `${error.message} (Service: ${style.serviceName}, Status Code: ${error.status}, Request ID: ${requestId})`
    : `${error.message} (Service: ${style.serviceName}; Status Code: ${error.status}; Error Code: ${error.code}; Request ID: ${requestId}; Proxy: null)`;
  return new StatesError(`${style.prefix}.${exception}`, cause);
}
