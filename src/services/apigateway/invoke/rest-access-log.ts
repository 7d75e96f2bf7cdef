// REST API access logs: what serveRestApi saw of a request (its stage, route, ids and authorizer),
// turned into the $context values of the stage's format once the answer is known, and written to
// the stage's log group (access-log.ts). A request for a stage without access log settings costs
// one property check.

import type { Clock } from '../../../clock.js';
import type { WireRequest, WireResponse } from '../../../protocols/wire.js';
import type { Store } from '../../../store/store.js';
import type { ApiLocation, StageRecord } from '../state.js';
import { accessLogStream, authorizerValues, renderAccessLog, writeAccessLog, type AccessLogValues } from './access-log.js';
import { requestTime } from './proxy-event.js';
import type { Route } from './routing.js';
import type { Target } from './serve.js';

/** Filled in by serveRestApi as it goes; read only when the stage logs access. */
export interface RestSeen {
  location?: ApiLocation;
  stage?: StageRecord;
  requestId?: string;
  now?: number;
  route?: Route;
  extendedRequestId?: string;
  authorizer?: Record<string, unknown>;
  /** The integration's answer status and how long it took, when it was called. */
  integrationStatus?: number;
  integrationLatency?: number;
}

/** The message of an error the gateway answered itself ({"message": ...}), for $context.error.message. */
function gatewayMessage(response: WireResponse): string | undefined {
  if (!response.headers['x-amzn-errortype'] || typeof response.body !== 'string') return undefined;
  try {
    const message = (JSON.parse(response.body) as { message?: unknown }).message;
    return typeof message === 'string' ? message : undefined;
  } catch {
    return undefined;
  }
}

/** The answer's body length; a streamed body's is in its content-length header. */
export function bodyLength(response: WireResponse): number {
  const { body } = response;
  if (typeof body === 'string') return Buffer.byteLength(body);
  if (Buffer.isBuffer(body)) return body.length;
  return Number(response.headers['content-length'] ?? 0) || 0;
}

export function logRestAccess(store: Store, clock: Clock, req: WireRequest, target: Target, seen: RestSeen, response: WireResponse): void {
  const settings = seen.stage?.accessLogSettings;
  if (!settings?.destinationArn || !settings.format || !seen.location || !seen.stage || seen.now === undefined) return;
  const { location, stage, now } = seen;
  const values: AccessLogValues = {
    accountId: location.account,
    apiId: target.apiId,
    domainName: target.domainName,
    domainPrefix: target.domainName.split('.')[0],
    'error.message': gatewayMessage(response),
    'error.messageString': gatewayMessage(response) === undefined ? undefined : JSON.stringify(gatewayMessage(response)),
    extendedRequestId: seen.extendedRequestId,
    httpMethod: req.method,
    integrationLatency: seen.integrationLatency,
    'integration.latency': seen.integrationLatency,
    integrationStatus: seen.integrationStatus,
    'integration.status': seen.integrationStatus,
    'integration.integrationStatus': seen.integrationStatus,
    'identity.sourceIp': (req.headers['x-forwarded-for'] ?? '127.0.0.1').split(',')[0]!.trim(),
    'identity.userAgent': req.headers['user-agent'],
    'identity.apiKey': req.headers['x-api-key'],
    path: `/${stage.stageName}${target.path}`,
    protocol: 'HTTP/1.1',
    requestId: seen.requestId,
    requestTime: requestTime(now),
    requestTimeEpoch: now,
    resourceId: seen.route?.resource.id,
    resourcePath: seen.route?.resource.path,
    responseLatency: Math.max(0, clock.now() - now),
    responseLength: bodyLength(response),
    stage: stage.stageName,
    status: response.status,
  };
  authorizerValues(values, seen.authorizer);
  writeAccessLog(store, clock, location, settings.destinationArn, accessLogStream(target.apiId, stage.stageName), now, renderAccessLog(settings.format, values));
}
