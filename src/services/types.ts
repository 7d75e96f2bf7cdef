// What a service is to the rest of Fogbank: a table of operation handlers that take and return
// plain objects, plus the context each call runs in.

import type { Clock } from '../clock.js';
import type { Collection, Store } from '../store/store.js';
import type { RawServiceModel, ShapeRef } from '../protocols/model.js';
import type { ErrorStyle, WireRequest } from '../protocols/wire.js';

export interface Caller {
  account: string;
  region: string;
  accessKeyId?: string;
}

export interface RequestContext extends Caller {
  service: string;
  operation: string;
  requestId: string;
  clock: Clock;
  /** This service's state in the caller's account and region (or account-wide with { global: true }). */
  collection<T>(name: string, options?: { global?: boolean }): Collection<T>;
  /** The whole store, for state read across services (STS credentials, IAM roles). */
  store: Store;
  /** Calls another service's operation as this caller, through the same dispatch a client uses. */
  call(service: string, operation: string, input: Record<string, unknown>): Promise<Record<string, unknown>>;
  /**
   * This operation's context acting in another account and region: a resource's owner, where a
   * cross-account request (allowed by the resource's policy) runs and keeps its state.
   */
  actingIn(scope: Caller): RequestContext;
  /** Request headers (lower case); empty for internal calls. */
  headers: Record<string, string>;
  /** Where this Fogbank answers, as processes on this machine reach it (Lambda's AWS_ENDPOINT_URL). */
  endpoint: string;
  /** Query parameters as sent (S3's presigned URLs carry X-Amz-Expires); empty for internal calls. */
  query: Array<[string, string]>;
}

// Handlers are typed by the AWS SDK's own request and response interfaces where a service wants it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Handler<I = any, O = any> = (input: I, ctx: RequestContext) => O | Promise<O>;

export interface ServiceImplementation {
  /** Operation name -> handler. An operation missing here answers AWS's unsupported-operation error. */
  operations: Record<string, Handler>;
  errorStyle?: ErrorStyle;
  /** The service checks its own input (S3, whose errors are not the Coral validation messages). */
  validatesOwnInput?: boolean;
  /**
   * Checks of an operation's input that the service makes before the generic validation, where
   * the real service answers its own message first (DynamoDB's missing or short TableName).
   */
  inputChecks?: Record<string, (input: Record<string, unknown>) => void>;
  /**
   * json protocol only: the service takes the parsed JSON body as its input (checked in place for
   * JSON types, nulls and undeclared members removed; blobs stay base64 text, timestamps as sent)
   * and returns a JSON-ready object (timestamps as epoch seconds, blobs as base64), sent as it is.
   */
  rawJson?: boolean;
  /**
   * Corrections to AWS's minified model, as data: traits merged into an operation's output
   * reference (S3's XML root element names and namespace, which the minified model drops).
   */
  outputFixes?: Record<string, Partial<ShapeRef>>;
  /**
   * Whether to hand this request's body to the handler unread, as a stream (S3's PutObject and
   * UploadPart), instead of buffering it under the edge's size limit. Asked only of PUT requests.
   */
  streamsRequest?(req: WireRequest): boolean;
  /**
   * Cross-origin rules the service keeps itself (S3's bucket CORS). `preflight` answers an OPTIONS
   * request with the headers of a 200 or throws the service's refusal; `responseHeaders` gives an
   * actual response's Access-Control-* headers. Either returns undefined to leave the request to
   * the edge's permissive CORS.
   */
  cors?: {
    preflight(req: WireRequest, ctx: RequestContext): Record<string, string> | undefined;
    responseHeaders(req: WireRequest, ctx: RequestContext): Record<string, string> | undefined;
  };
  /**
   * The model for requests in the query protocol, when the service's own model is JSON (SQS, whose
   * older query wire names the JSON model no longer carries). Member names must match the JSON
   * model's, so handlers see the same input either way.
   */
  queryModel?: RawServiceModel;
  /** Rewrites a request before its operation is looked up (S3's virtual-hosted buckets). */
  rewriteRequest?(req: WireRequest): void;
  /**
   * Picks up, when Fogbank starts, work kept in the store (see ServiceDescriptor.resumeFrom): called
   * with each account/region scope that holds such records, and a context acting in that scope.
   */
  resume?(contextFor: (scope: Caller) => RequestContext, scopes: Caller[]): void;
  /**
   * Releases what the service holds for one Fogbank (worker processes, parked requests, timers)
   * when that Fogbank stops. Implementations are shared by every Fogbank in a process, so anything
   * they hold must be keyed by the store.
   */
  shutdown?(store: Store): void | Promise<void>;
}
