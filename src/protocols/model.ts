// AWS's published service models, read from the JSON API models the aws-sdk v2 package ships.
// Models load on a service's first request, so start-up pays for none of them.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export type ShapeType =
  | 'structure' | 'list' | 'map' | 'string' | 'integer' | 'long' | 'float' | 'double'
  | 'boolean' | 'timestamp' | 'blob' | 'bigdecimal' | 'biginteger';

/** A shape with its reference already resolved: member-level traits override the target's. */
export interface Shape {
  type: ShapeType;
  members?: Record<string, ShapeRef>;
  member?: ShapeRef;
  key?: ShapeRef;
  value?: ShapeRef;
  required?: string[];
  location?: 'uri' | 'querystring' | 'header' | 'headers' | 'statusCode';
  locationName?: string;
  queryName?: string;
  flattened?: boolean;
  xmlNamespace?: { uri: string; prefix?: string };
  xmlAttribute?: boolean;
  payload?: string;
  streaming?: boolean;
  timestampFormat?: 'iso8601' | 'rfc822' | 'unixTimestamp';
  jsonvalue?: boolean;
  resultWrapper?: string;
  idempotencyToken?: boolean;
  eventstream?: boolean;
  document?: boolean;
}

/** A shape as written in the model: inline, or a reference to a named shape plus overrides. */
export type ShapeRef = Partial<Shape> & { shape?: string };

export interface Operation {
  name: string;
  http?: { method?: string; requestUri?: string; responseCode?: number };
  input?: ShapeRef;
  output?: ShapeRef;
  /** Superseded by another operation, often on the same URI (S3's PutBucketLifecycle). */
  deprecated?: boolean;
}

export interface ServiceMetadata {
  apiVersion: string;
  endpointPrefix: string;
  protocol: string;
  serviceId: string;
  signingName?: string;
  targetPrefix?: string;
  jsonVersion?: string;
  xmlNamespace?: string;
  uid: string;
  awsQueryCompatible?: Record<string, unknown>;
}

/** A model as written in a JSON file: what ServiceModel is built from. */
export interface RawServiceModel {
  metadata: ServiceMetadata;
  operations: Record<string, Omit<Operation, 'name'>>;
  shapes: Record<string, ShapeRef>;
}

export class ServiceModel {
  readonly metadata: ServiceMetadata;
  readonly operations: Record<string, Operation>;
  private readonly shapes: Record<string, ShapeRef>;
  /** The name of the model file (aws-sdk/apis/<id>.min.json), which its data files share. */
  readonly id: string;

  constructor(raw: RawServiceModel, id?: string) {
    this.metadata = raw.metadata;
    // Usually the metadata's uid; DynamoDB Streams' file is streams.dynamodb-..., its uid streams-dynamodb-...
    this.id = id ?? raw.metadata.uid;
    this.shapes = raw.shapes ?? {};
    // No prototype: a request naming "toString" or "__proto__" must find no operation.
    this.operations = Object.create(null) as Record<string, Operation>;
    for (const [name, op] of Object.entries(raw.operations)) this.operations[name] = { name, ...op };
  }

  /** Resolved references, by reference: models never change once loaded, and every request resolves the same few. */
  private readonly resolved = new WeakMap<ShapeRef, Shape>();

  /** Resolves a reference into a full shape (type defaults to string, as in the minified models). */
  resolve(ref: ShapeRef | undefined): Shape {
    if (!ref) return { type: 'structure', members: {} };
    let shape = this.resolved.get(ref);
    if (!shape) {
      shape = this.resolveRef(ref);
      this.resolved.set(ref, shape);
    }
    return shape;
  }

  private resolveRef(ref: ShapeRef): Shape {
    if (ref.shape === undefined) return ref.type ? (ref as Shape) : ({ ...ref, type: 'string' } as Shape);
    const { shape, ...overrides } = ref;
    const target = this.resolve(Object.hasOwn(this.shapes, shape) ? this.shapes[shape] : undefined);
    return Object.keys(overrides).length === 0 ? target : { ...target, ...overrides };
  }

  input(op: Operation): Shape {
    return this.resolve(op.input);
  }

  output(op: Operation): Shape {
    return this.resolve(op.output);
  }
}

const require = createRequire(import.meta.url);
const loaded = new Map<string, ServiceModel>();

/** Loads a model by its uid, such as "secretsmanager-2017-10-17". */
export function loadModel(uid: string): ServiceModel {
  let model = loaded.get(uid);
  if (!model) {
    const file = require.resolve(`aws-sdk/apis/${uid}.min.json`);
    model = new ServiceModel(JSON.parse(readFileSync(file, 'utf8')), uid);
    loaded.set(uid, model);
  }
  return model;
}
