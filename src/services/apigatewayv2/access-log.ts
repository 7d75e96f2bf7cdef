// HTTP API access logs: what serveHttpApi saw of a request (stage, route key, ids, authorizer,
// integration status) turned into the $context values of the stage's format once the answer is
// known, and written to the stage's log group (apigateway/invoke/access-log.ts). A request for a
// stage without access log settings costs one property check.

import type { Clock } from '../../clock.js';
import type { WireRequest, WireResponse } from '../../protocols/wire.js';
import type { Store } from '../../store/store.js';
import { accessLogStream, authorizerValues, renderAccessLog, writeAccessLog, type AccessLogValues } from '../apigateway/invoke/access-log.js';
import { requestTime } from '../apigateway/invoke/proxy-event.js';
import { bodyLength } from '../apigateway/invoke/rest-access-log.js';
import type { StageRecord } from './state.js';

/** Filled in by serveHttpApi as it goes; read only when the stage logs access. */
export interface HttpSeen {
  location?: { account: string; region: string };
  stage?: StageRecord;
  requestId?: string;
  now?: number;
  rawPath?: string;
  routeKey?: string;
  authorizer?: Record<string, unknown>;
  /** The status the integration answered with, when it was called. */
  integrationStatus?: number;
  integrationLatency?: number;
  /** The integration answered, but the gateway made the answer (a function error, a malformed proxy answer). */
  gatewayAnswered?: boolean;
}

/** The message of an answer the gateway gave itself ({"message": ...}), for $context.error.message. */
function gatewayMessage(response: WireResponse): string | undefined {
  if (response.status < 400 || typeof response.body !== 'string') return undefined;
  try {
    const message = (JSON.parse(response.body) as { message?: unknown }).message;
    return typeof message === 'string' ? message : undefined;
  } catch {
    return undefined;
  }
}

export function logHttpAccess(store: Store, clock: Clock, req: WireRequest, apiId: string, domainName: string, seen: HttpSeen, response: WireResponse): void {
  const settings = seen.stage?.accessLogSettings;
  if (!settings?.DestinationArn || !settings.Format || !seen.location || !seen.stage || seen.now === undefined) return;
  const { location, stage, now } = seen;
  const error = seen.integrationStatus === undefined || seen.gatewayAnswered ? gatewayMessage(response) : undefined;
  const values: AccessLogValues = {
    accountId: location.account,
    apiId,
    dataProcessed: req.body.length + bodyLength(response),
    domainName,
    domainPrefix: domainName.split('.')[0],
    'error.message': error,
    'error.messageString': error === undefined ? undefined : JSON.stringify(error),
    extendedRequestId: seen.requestId,
    httpMethod: req.method,
    'identity.sourceIp': '127.0.0.1',
    'identity.userAgent': req.headers['user-agent'],
    integrationLatency: seen.integrationLatency,
    'integration.latency': seen.integrationLatency,
    integrationStatus: seen.integrationStatus,
    'integration.status': seen.integrationStatus,
    'integration.integrationStatus': seen.integrationStatus,
    path: seen.rawPath,
    protocol: 'HTTP/1.1',
    requestId: seen.requestId,
    requestTime: requestTime(now),
    requestTimeEpoch: Math.floor(now / 1000),
    responseLatency: Math.max(0, clock.now() - now),
    responseLength: bodyLength(response),
    routeKey: seen.routeKey,
    stage: stage.stageName,
    status: response.status,
  };
  authorizerValues(values, seen.authorizer);
  writeAccessLog(store, clock, location, settings.DestinationArn, accessLogStream(apiId, stage.stageName), now, renderAccessLog(settings.Format, values));
}
