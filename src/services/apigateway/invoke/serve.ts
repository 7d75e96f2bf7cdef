// Serving REST API invoke URLs: find the API by id (the URL carries nothing else), the stage, the
// route in that stage's deployment; authorize, check the API key and the request validator; then
// run the integration (Lambda proxy here, the others in integrations.ts) under its timeout and
// answer as API Gateway does, including its error bodies.

import { randomUUID } from 'node:crypto';
import type * as L from '@aws-sdk/client-lambda';
import type { WireRequest, WireResponse } from '../../../protocols/wire.js';
import type { Store } from '../../../store/store.js';
import type { Caller } from '../../types.js';
import { authorize, cognitoUnauthorized } from './authorize.js';
import { randomBase64url } from './entropy.js';
import { gatewayError } from './gateway-responses.js';
import { admit } from './throttling.js';
import { lambdaTarget, withStageVariables } from '../lambda-uri.js';
import { partitionOf } from '../../common/arn.js';
import { proxyEventV1, proxyResponseV1, type EventContext } from './proxy-event.js';
import { findRoute } from './routing.js';
import type { Clock } from '../../../clock.js';
import { callBackend, IntegrationFailure, mapResponse, proxyAnswer } from './integrations.js';
import type { MappingInput, RequestParams } from './mapping.js';
import { mappingContext } from './proxy-event.js';
import { servedStage } from './stage-cache.js';
import { validateRequest } from './validate.js';
import type { RestSeen } from './rest-access-log.js';

export type Invoker = (caller: Caller, input: Record<string, unknown>) => Promise<Record<string, unknown>>;

const HOST_FORM = /^([a-z0-9]{10})\.execute-api\./;
const PATH_FORM = /^\/restapis\/([a-z0-9]{10})\/([^/]+)\/_user_request_(\/.*)?$/;

/** Whether a request is for an invoke URL (by host, or by LocalStack's /_user_request_ path form). */
export function isInvokeUrl(host: string, path: string): boolean {
  return HOST_FORM.test(host) || PATH_FORM.test(path);
}

export interface Target {
  apiId: string;
  /** Whether the URL named the API by host (the stage is then the first path segment) or by path. */
  form: 'host' | 'path';
  /** Everything after the host: /<stage>/<path> for REST APIs. */
  stage?: string;
  path: string;
  domainName: string;
  /** A custom domain's whole request path (base path included), which the event's paths show. */
  requestPath?: string;
}

export function targetOf(req: WireRequest): Target | undefined {
  const host = (req.headers.host ?? '').toLowerCase().replace(/:\d+$/, '');
  const byHost = HOST_FORM.exec(host);
  if (byHost) {
    const [, stage, rest] = /^\/([^/]*)(\/.*)?$/.exec(req.path) ?? [];
    return { apiId: byHost[1]!, form: 'host', stage: stage || undefined, path: rest ?? '/', domainName: host };
  }
  const byPath = PATH_FORM.exec(req.path);
  if (!byPath) return undefined;
  return { apiId: byPath[1]!, form: 'path', stage: byPath[2], path: byPath[3] ?? '/', domainName: `${byPath[1]}.execute-api.localhost.localstack.cloud` };
}

const errorResponse = gatewayError;
const missingToken = (requestId: string) => errorResponse('MISSING_AUTHENTICATION_TOKEN', 403, 'MissingAuthenticationTokenException', 'Missing Authentication Token', requestId);
const internalError = (requestId: string) => errorResponse('DEFAULT_5XX', 502, 'InternalServerErrorException', 'Internal server error', requestId);

const GATEWAY_TIMEOUT_BODY = 'Endpoint request timed out';
/** API Gateway's payload limit for REST APIs. */
export const MAX_PAYLOAD = 10 * 1024 * 1024;

/** Whether a content type is one of the API's binary media types (which may use wildcards). */
export function isBinary(binaryMediaTypes: string[] | undefined, contentType: string | undefined): boolean {
  if (!binaryMediaTypes?.length || !contentType) return false;
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return binaryMediaTypes.some((t) => {
    const [major, minor] = t.toLowerCase().split('/');
    const [tMajor, tMinor] = type.split('/');
    return (major === '*' || major === tMajor) && (minor === '*' || minor === tMinor);
  });
}

/**
 * Races an integration call against its timeout on Fogbank's clock: a real timer in normal runs,
 * and a timer tests fire by advancing the clock.
 */
export function withTimeout<T>(clock: Clock, ms: number, call: () => Promise<T>): Promise<T | 'timeout'> {
  return new Promise((resolve, reject) => {
    const timer = clock.after(ms, () => resolve('timeout'));
    call().then(
      (value) => (timer.cancel(), resolve(value)),
      (error: unknown) => (timer.cancel(), reject(error)),
    );
  });
}

function requestParams(req: WireRequest, pathParameters: Record<string, string>): RequestParams {
  const querystring: Record<string, string> = {};
  for (const [k, v] of req.query) querystring[k] = v;
  return { path: pathParameters, querystring, header: req.headers };
}

export async function serveRestApi(store: Store, req: WireRequest, target: Target, invoke: Invoker, clock: Clock, seen?: RestSeen): Promise<WireResponse | undefined> {
  const requestId = randomUUID();
  const now = clock.now();
  const served = servedStage(store, target.apiId, target.stage);
  if (!served) return undefined;
  const { location, api, stage, deployment } = served;
  if (!stage || !deployment) return missingToken(requestId);
  if (seen) Object.assign(seen, { location, stage, requestId, now });
  const route = findRoute(deployment.resources, req.method, target.path);
  const integration = route?.method.methodIntegration;
  if (!route || !integration) return missingToken(requestId);
  if (req.body.length > MAX_PAYLOAD) return errorResponse('REQUEST_TOO_LARGE', 413, 'RequestTooLarge', 'Request Too Long', requestId);
  const eventContext: EventContext = {
    apiId: target.apiId,
    account: location.account,
    stage: stage.stageName,
    stageVariables: stage.variables,
    path: target.path,
    requestId,
    // API Gateway's form: 11 base64url characters and "=".
    extendedRequestId: randomBase64url(8) + '=',
    now,
    domainName: target.domainName,
    requestPath: target.requestPath,
    binary: isBinary(api?.binaryMediaTypes, req.headers['content-type']),
  };
  if (seen) Object.assign(seen, { route, extendedRequestId: eventContext.extendedRequestId });
  let authorizer: Record<string, unknown> | undefined;
  let authorizerKey: string | undefined;
  if (route.method.authorizationType === 'COGNITO_USER_POOLS') {
    const response = cognitoUnauthorized();
    return { ...response, headers: { ...response.headers, 'x-amzn-requestid': requestId } };
  } else if (route.method.authorizationType === 'CUSTOM' && route.method.authorizerId) {
    const methodArn = `arn:${partitionOf(location.region)}:execute-api:${location.region}:${location.account}:${target.apiId}/${stage.stageName}/${req.method}${target.path}`;
    const outcome = await authorize(store, location, target.apiId, route.method.authorizerId, req, methodArn, () => proxyEventV1(req, route, eventContext), invoke, now);
    if (!outcome.allowed) return { ...outcome.response, headers: { ...outcome.response.headers, 'x-amzn-requestid': requestId } };
    authorizer = outcome.context;
    authorizerKey = outcome.usageIdentifierKey;
    if (seen) seen.authorizer = authorizer;
  }
  const refused = admit({ store, location, apiId: target.apiId, stage, route, req, apiKey: api?.apiKeySource === 'AUTHORIZER' ? authorizerKey : req.headers['x-api-key'], now, requestId });
  if (refused) return refused;
  const params = requestParams(req, route.pathParameters);
  const invalid = validateRequest(store, location, target.apiId, route.method, params, req.body.toString('utf8'), req.headers['content-type']);
  if (invalid) return errorResponse(invalid.startsWith('Missing required') ? 'BAD_REQUEST_PARAMETERS' : 'BAD_REQUEST_BODY', 400, 'BadRequestException', invalid, requestId);
  const timeoutMs = integration.timeoutInMillis ?? 29000;
  const started = clock.now();
  if (integration.type !== 'AWS_PROXY') {
    // A copy: templates may set members, and the stage record is shared between requests.
    const m: MappingInput = { body: req.body.toString('utf8'), params, stageVariables: stage.variables && { ...stage.variables }, context: mappingContext(req, route, eventContext, authorizer) };
    try {
      const answer = await withTimeout(clock, timeoutMs, () => callBackend(integration, req, m, location, invoke));
      if (answer === 'timeout') return errorResponse('INTEGRATION_TIMEOUT', 504, 'InternalServerErrorException', GATEWAY_TIMEOUT_BODY, requestId);
      if (seen) Object.assign(seen, { integrationStatus: answer.status, integrationLatency: clock.now() - started });
      const response = integration.type === 'HTTP_PROXY' ? proxyAnswer(answer) : mapResponse(integration, answer, req, m);
      response.headers = { ...response.headers, 'x-amzn-requestid': requestId };
      return response;
    } catch (error) {
      if (error instanceof IntegrationFailure) return error.status === 415 ? errorResponse('UNSUPPORTED_MEDIA_TYPE', 415, 'UnsupportedMediaTypeException', error.message, requestId) : errorResponse('DEFAULT_5XX', error.status, 'InternalServerErrorException', error.message, requestId);
      return errorResponse('DEFAULT_5XX', 500, 'InternalServerErrorException', 'Internal server error', requestId);
    }
  }
  const functionArn = lambdaTarget(withStageVariables(integration.uri, stage.variables));
  if (!functionArn) return errorResponse('DEFAULT_5XX', 500, 'InternalServerErrorException', 'Internal server error', requestId);
  // Set, not spread: a spread with members added takes a slow path in V8 (about 0.5 µs a copy).
  eventContext.authorizer = authorizer;
  const event = proxyEventV1(req, route, eventContext);
  let out: L.InvocationResponse | 'timeout';
  try {
    out = (await withTimeout(clock, timeoutMs, () => invoke(location, { FunctionName: functionArn, Payload: Buffer.from(JSON.stringify(event)) }))) as L.InvocationResponse | 'timeout';
  } catch {
    return errorResponse('DEFAULT_5XX', 500, 'InternalServerErrorException', 'Internal server error', requestId);
  }
  if (out === 'timeout') return errorResponse('INTEGRATION_TIMEOUT', 504, 'InternalServerErrorException', GATEWAY_TIMEOUT_BODY, requestId);
  // Lambda's own answer (200), not the function's statusCode.
  if (seen) Object.assign(seen, { integrationStatus: 200, integrationLatency: clock.now() - started });
  const response = out.FunctionError ? undefined : proxyResponseV1(Buffer.from(out.Payload ?? []), (type) => isBinary(api?.binaryMediaTypes, type) || isBinary(api?.binaryMediaTypes, req.headers.accept));
  if (!response) return internalError(requestId);
  response.headers['x-amzn-requestid'] = requestId;
  response.headers['x-amz-apigw-id'] = eventContext.extendedRequestId;
  return response;
}
