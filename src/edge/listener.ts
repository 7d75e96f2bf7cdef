// The one HTTP listener. For every request: request id, CORS preflight, Fogbank's own routes,
// body, detection of service and caller, dispatch, response. Nothing a client sends can take the
// server down: every failure becomes an AWS-shaped error.

import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ServiceError } from '../errors.js';
import { CODECS } from '../protocols/index.js';
import { loadModel } from '../protocols/model.js';
import type { WireRequest, WireResponse } from '../protocols/wire.js';
import type { Caller } from '../services/types.js';
import type { Clock } from '../clock.js';
import type { Store } from '../store/store.js';
import { DEFAULT_ACCOUNT, DEFAULT_REGION, accountFromAccessKey, readCredential, type Credential } from './auth.js';
import { corsHeaders, isPreflight, preflightHeaders } from './cors.js';
import { detectService, type Detection } from './detect.js';
import type { Dispatcher } from './dispatch.js';
import { findDataPlane } from './data-planes.js';
import { handleInternalRoute } from './internal-routes.js';
import type { FogbankControl } from './internal-routes.js';

/** Bodies above this are refused before they are read into memory. */
export const MAX_BODY_BYTES = 20 * 1024 * 1024;

export interface ListenerDeps {
  dispatcher: Dispatcher;
  store: Store;
  clock: Clock;
  control: FogbankControl;
  /** Maps an access key Fogbank issued (STS) to its account. */
  accountOfAccessKey(accessKeyId: string): string | undefined;
}

export function createRequestListener(deps: ListenerDeps) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res, deps).catch((error) => {
      // A client that hangs up mid-body is not a server fault.
      if ((error as NodeJS.ErrnoException).code !== 'ECONNRESET') deps.control.onUnexpectedError(error);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('Internal error');
    });
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, deps: ListenerDeps): Promise<void> {
  const requestId = randomUUID();
  const rawUrl = req.url ?? '/';
  const q = rawUrl.indexOf('?');
  const path = pathOf(q < 0 ? rawUrl : rawUrl.slice(0, q));
  const query: Array<[string, string]> = q < 0 ? [] : [...new URLSearchParams(rawUrl.slice(q + 1))];
  // Traffic to what users deployed (function URLs) answers with its own CORS and errors.
  const plane = findDataPlane(req.headers.host ?? '', path, deps.store);
  if (plane) {
    const body = await readBody(req, MAX_BODY_BYTES);
    const wire: WireRequest = { method: req.method ?? 'GET', path, query, headers: flatHeaders(req), body: body ?? EMPTY };
    if (body === undefined) return send(req, res, { status: 413, headers: { 'content-type': 'application/json' }, body: '{"Message":"Request must be smaller than 20971520 bytes."}' });
    return send(req, res, await plane.serve(wire, { store: deps.store, clock: deps.clock, call: (service, op, input, caller) => deps.dispatcher.call(service, op, input, caller) }), plane.ownCors ? {} : undefined);
  }
  if (req.method === 'OPTIONS') {
    // A service with cross-origin rules of its own (S3's bucket CORS) answers its preflights.
    const wire: WireRequest = { method: 'OPTIONS', path, query, headers: flatHeaders(req), body: EMPTY };
    const credential = readCredential(wire);
    const own = await deps.dispatcher.preflight(detectService(wire, credential).service, wire, callerOf(credential, deps), requestId);
    if (own) {
      req.resume();
      return send(req, res, own, {});
    }
  }
  if (isPreflight(req)) {
    req.resume();
    res.writeHead(200, { ...preflightHeaders(req), 'x-amzn-requestid': requestId, 'content-length': '0' });
    res.end();
    return;
  }
  if (path.startsWith('/_')) {
    const internal = await handleInternalRoute(req, path, deps.control);
    if (internal) return send(req, res, internal);
  }

  const wire: WireRequest = { method: req.method ?? 'GET', path, query, headers: flatHeaders(req), body: EMPTY };
  const credential = readCredential(wire);
  // Only PUTs may stream (S3 uploads); no query-protocol request is a PUT, so the service is
  // known from the headers alone before the body is touched.
  if (wire.method === 'PUT') {
    const early = detectService(wire, credential);
    if (await deps.dispatcher.streamsRequest(early.service, wire)) {
      wire.stream = req;
      return dispatch(req, res, deps, wire, early, credential, requestId);
    }
  }
  const declared = Number(req.headers['content-length'] ?? 0);
  const body = declared > MAX_BODY_BYTES ? undefined : await readBody(req, MAX_BODY_BYTES);
  if (body) wire.body = body;
  const detection = detectService(wire, credential);
  if (body === undefined) {
    req.resume();
    res.setHeader('connection', 'close');
    const error = new ServiceError('RequestEntityTooLarge', `Request body exceeds the maximum allowed size of ${MAX_BODY_BYTES} bytes.`, { status: 413 });
    const model = loadModel(detection.service.modelUid);
    return send(req, res, CODECS[detection.protocol].serializeError(error, model, { requestId }, {}));
  }
  return dispatch(req, res, deps, wire, detection, credential, requestId);
}

function callerOf(credential: Credential, deps: ListenerDeps): Caller {
  return {
    accessKeyId: credential.accessKeyId,
    region: credential.region && /^[a-z]{2}(-[a-z]+)+-\d$/.test(credential.region) ? credential.region : DEFAULT_REGION,
    account: accountFromAccessKey(credential.accessKeyId) ?? (credential.accessKeyId && deps.accountOfAccessKey(credential.accessKeyId)) ?? DEFAULT_ACCOUNT,
  };
}

async function dispatch(req: IncomingMessage, res: ServerResponse, deps: ListenerDeps, wire: WireRequest, detection: Detection, credential: Credential, requestId: string): Promise<void> {
  const caller = callerOf(credential, deps);
  const response = await deps.dispatcher.handleWire(wire, detection.service, detection.protocol, caller, requestId);
  // A handler that answered without reading a streamed body: drain it so the connection stays usable.
  if (wire.stream && !wire.stream.readableEnded) wire.stream.resume();
  const cors = req.headers.origin ? await deps.dispatcher.corsHeaders(detection.service, wire, caller, requestId) : undefined;
  send(req, res, response, cors);
}

const EMPTY = Buffer.alloc(0);

function pathOf(target: string): string {
  // Absolute-form request targets (proxies) carry scheme and host.
  if (target.startsWith('/')) return target;
  try {
    return new URL(target).pathname;
  } catch {
    return '/';
  }
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  const source = req.headers;
  for (const name in source) {
    const value = source[name];
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks, size)));
    req.on('error', reject);
  });
}

/** `cors`: the service's own Access-Control-* headers, instead of the edge's permissive ones. */
function send(req: IncomingMessage, res: ServerResponse, response: WireResponse, cors?: Record<string, string>): void {
  const headers: Record<string, string> = { ...(cors ?? corsHeaders(req)), ...response.headers };
  if (response.body instanceof Readable) {
    const stream = response.body;
    res.writeHead(response.status, headers);
    if (req.method === 'HEAD') {
      stream.destroy();
      res.end();
      return;
    }
    pipeline(stream, res).catch(() => res.destroy());
    return;
  }
  const body = response.body ?? '';
  if (response.status === 304 || response.status === 204) {
    // No body may follow, so no length either.
    delete headers['content-length'];
    res.writeHead(response.status, headers);
    res.end();
    return;
  }
  // A HEAD answer describes the body a GET would carry (S3's HeadObject sets the object's length).
  if (req.method !== 'HEAD' || headers['content-length'] === undefined) headers['content-length'] = String(Buffer.byteLength(body));
  res.writeHead(response.status, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
}
