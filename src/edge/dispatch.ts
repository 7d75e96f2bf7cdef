// Runs one operation: find it in the service's model, decode and validate its input, call the
// handler, encode the answer. Clients reach it through the listener; services reach each other
// through call(), which skips only the wire.

import type { Clock } from '../clock.js';
import { ServiceError, internalError } from '../errors.js';
import { CODECS, type ProtocolName } from '../protocols/index.js';
import { RawJsonText, rawJsonCodec } from '../protocols/json-raw.js';
import { loadModel, ServiceModel } from '../protocols/model.js';
import { queryParams } from '../protocols/query.js';
import { validateInput } from '../protocols/validate.js';
import type { ErrorStyle, WireRequest, WireResponse } from '../protocols/wire.js';
import { SERVICES, SERVICES_BY_NAME, type ServiceDescriptor } from '../services/registry.js';
import type { Caller, Handler, RequestContext, ServiceImplementation } from '../services/types.js';
import { GLOBAL_REGION, type Store } from '../store/store.js';

interface LoadedService {
  descriptor: ServiceDescriptor;
  model: ServiceModel;
  /** The query protocol's model, for a JSON service that also speaks query (SQS). */
  queryModel?: ServiceModel;
  implementation?: ServiceImplementation;
}

export interface DispatcherDeps {
  clock: Clock;
  store: Store;
  newRequestId(): string;
  /** Fogbank's endpoint for processes on this machine. */
  endpoint(): string;
  onUnexpectedError(error: unknown): void;
}

export class Dispatcher {
  private readonly loaded = new Map<string, Promise<LoadedService>>();

  constructor(private readonly deps: DispatcherDeps) {}

  /** Services whose code has been loaded, for the health document. */
  loadedServices(): string[] {
    return [...this.loaded.keys()];
  }

  /** Services loaded already, for requests that need not wait a turn to find theirs. */
  private readonly ready = new Map<string, LoadedService>();

  load(descriptor: ServiceDescriptor): Promise<LoadedService> {
    let service = this.loaded.get(descriptor.name);
    if (!service) {
      service = (async () => {
        const model = loadModel(descriptor.modelUid);
        const implementation = descriptor.load ? await descriptor.load() : undefined;
        for (const [name, fix] of Object.entries(implementation?.outputFixes ?? {})) {
          const op = model.operations[name];
          if (op) op.output = { ...(op.output ?? { type: 'structure', members: {} }), ...fix };
        }
        const queryModel = implementation?.queryModel && new ServiceModel(implementation.queryModel);
        const loaded = { descriptor, model, queryModel, implementation };
        this.ready.set(descriptor.name, loaded);
        return loaded;
      })();
      service.catch(() => this.loaded.delete(descriptor.name));
      this.loaded.set(descriptor.name, service);
    }
    return service;
  }

  /** Whether the service wants this request's body as a stream rather than a buffer. */
  async streamsRequest(descriptor: ServiceDescriptor, req: WireRequest): Promise<boolean> {
    try {
      const service = await this.load(descriptor);
      return service.implementation?.streamsRequest?.(req) ?? false;
    } catch {
      return false;
    }
  }

  /** The service's own answer to an OPTIONS request, when it keeps cross-origin rules (S3's bucket CORS). */
  async preflight(descriptor: ServiceDescriptor, req: WireRequest, caller: Caller, requestId: string): Promise<WireResponse | undefined> {
    const service = await this.load(descriptor).catch(() => undefined);
    const cors = service?.implementation?.cors;
    if (!service || !cors) return undefined;
    try {
      const headers = cors.preflight(req, this.context(descriptor, 'OPTIONS', caller, requestId, req.headers, req.query));
      return headers && { status: 200, headers: { ...headers, 'content-length': '0' }, body: '' };
    } catch (error) {
      return CODECS[descriptor.protocol].serializeError(this.asServiceError(error), service.model, { requestId }, errorStyle(service, descriptor.protocol));
    }
  }

  /** An actual response's Access-Control-* headers, when the service keeps cross-origin rules. */
  async corsHeaders(descriptor: ServiceDescriptor, req: WireRequest, caller: Caller, requestId: string): Promise<Record<string, string> | undefined> {
    const service = await this.load(descriptor).catch(() => undefined);
    try {
      return service?.implementation?.cors?.responseHeaders(req, this.context(descriptor, 'CORS', caller, requestId, req.headers, req.query));
    } catch (error) {
      this.deps.onUnexpectedError(error);
      return {};
    }
  }

  /** Loads the services that have stored work to pick up (scheduled rules) and lets them resume it. */
  async resumeStoredWork(): Promise<void> {
    for (const descriptor of SERVICES) {
      if (!descriptor.resumeFrom) continue;
      const found = [descriptor.resumeFrom].flat().flatMap((name) => this.deps.store.scopesOf(descriptor.name, name));
      const scopes = [...new Map(found.map((s) => [`${s.account}/${s.region}`, s])).values()];
      if (scopes.length === 0) continue;
      const service = await this.load(descriptor);
      service.implementation?.resume?.((scope) => this.context(descriptor, 'resume', scope, this.deps.newRequestId(), {}, []), scopes);
    }
  }

  /** Lets every loaded service release what it holds for this Fogbank. */
  async shutdown(): Promise<void> {
    const services = await Promise.allSettled(this.loaded.values());
    for (const result of services) {
      if (result.status === 'fulfilled') await result.value.implementation?.shutdown?.(this.deps.store);
    }
  }

  async handleWire(req: WireRequest, descriptor: ServiceDescriptor, protocol: ProtocolName, caller: Caller, requestId: string): Promise<WireResponse> {
    const meta = { requestId };
    let service: LoadedService;
    try {
      service = this.ready.get(descriptor.name) ?? (await this.load(descriptor));
    } catch (error) {
      this.deps.onUnexpectedError(error);
      return { status: 500, headers: { 'content-type': 'text/plain' }, body: 'Fogbank could not load this service.' };
    }
    const codec = protocol === 'json' && service.implementation?.rawJson ? rawJsonCodec : CODECS[protocol];
    const model = (protocol === 'query' && service.queryModel) || service.model;
    const style = errorStyle(service, protocol);
    try {
      service.implementation?.rewriteRequest?.(req);
      const op = codec.findOperation(req, model);
      if (!op) throw codec.unknownOperationError(requestedName(req, protocol), model.metadata.serviceId, false);
      // Input is checked before asking whether Fogbank implements the operation, so bad input
      // gets the same answer either way.
      const input = codec.parse(req, op, model);
      inputCheckOf(service, op.name)?.(input);
      if (!service.implementation?.validatesOwnInput) validateInput(input, model.input(op), model, style.validationCode!);
      const handler = handlerOf(service, op.name);
      if (!handler) throw codec.unknownOperationError(op.name, model.metadata.serviceId, true);
      let output = handler(input, this.context(descriptor, op.name, caller, requestId, req.headers, req.query));
      if (output instanceof Promise) output = await output;
      return codec.serialize(output ?? {}, op, model, meta);
    } catch (error) {
      return codec.serializeError(this.asServiceError(error), model, meta, style);
    }
  }

  /** Internal dispatch: another service's operation, as the given caller, with the same validation. */
  async call(serviceName: string, operation: string, input: Record<string, unknown>, caller: Caller): Promise<Record<string, unknown>> {
    const descriptor = SERVICES_BY_NAME.get(serviceName);
    if (!descriptor) throw new Error(`unknown service ${serviceName}`);
    const service = await this.load(descriptor);
    const op = service.model.operations[operation];
    const handler = handlerOf(service, operation);
    if (!op || !handler) throw CODECS[descriptor.protocol].unknownOperationError(operation, service.model.metadata.serviceId, !!op);
    inputCheckOf(service, operation)?.(input);
    if (!service.implementation?.validatesOwnInput) validateInput(input, service.model.input(op), service.model, errorStyle(service, descriptor.protocol).validationCode!);
    const output = (await handler(input, this.context(descriptor, operation, caller, this.deps.newRequestId(), {}, []))) ?? {};
    return output instanceof RawJsonText ? (JSON.parse(output.text) as Record<string, unknown>) : output;
  }

  private context(descriptor: ServiceDescriptor, operation: string, caller: Caller, requestId: string, headers: Record<string, string>, query: Array<[string, string]>): RequestContext {
    const { store, clock } = this.deps;
    // Fields named one by one: V8 builds `{ ...caller, more }` through a slow path (microseconds a request).
    return {
      account: caller.account,
      region: caller.region,
      accessKeyId: caller.accessKeyId,
      service: descriptor.name,
      operation,
      requestId,
      clock,
      headers,
      query,
      endpoint: this.deps.endpoint(),
      collection: (name, options) =>
        store.collection(descriptor.name, name, { account: caller.account, region: options?.global || descriptor.global ? GLOBAL_REGION : caller.region }),
      store,
      call: (service, op, input) => this.call(service, op, input, caller),
      actingIn: (scope) => this.context(descriptor, operation, scope, requestId, headers, query),
    };
  }

  private asServiceError(error: unknown): ServiceError {
    if (error instanceof ServiceError) return error;
    this.deps.onUnexpectedError(error);
    return internalError();
  }
}

function handlerOf(service: LoadedService, operation: string): Handler | undefined {
  const operations = service.implementation?.operations;
  return operations && Object.hasOwn(operations, operation) ? operations[operation] : undefined;
}

function inputCheckOf(service: LoadedService, operation: string): ((input: Record<string, unknown>) => void) | undefined {
  const checks = service.implementation?.inputChecks;
  return checks && Object.hasOwn(checks, operation) ? checks[operation] : undefined;
}

const errorStyles = new WeakMap<LoadedService, Partial<Record<ProtocolName, ErrorStyle>>>();

/** The service's error style for a protocol, made once (every request needs it at hand). */
function errorStyle(service: LoadedService, protocol: ProtocolName): ErrorStyle {
  let styles = errorStyles.get(service);
  if (!styles) errorStyles.set(service, (styles = {}));
  return (styles[protocol] ??= { validationCode: protocol === 'query' ? 'ValidationError' : 'ValidationException', ...service.implementation?.errorStyle });
}

function requestedName(req: WireRequest, protocol: ProtocolName): string | undefined {
  if (protocol === 'json') {
    const target = req.headers['x-amz-target'];
    return target?.slice(target.lastIndexOf('.') + 1) || undefined;
  }
  if (protocol === 'query') return queryParams(req).get('Action');
  return undefined;
}
