// Serving REST API invoke URLs: find the API by id (the URL carries nothing else), the stage, the
// route in that stage's deployment, then run the integration (Lambda proxy or MOCK) and answer
// as API Gateway does, including its error bodies.

import { randomBytes, randomUUID } from 'node:crypto';
import type * as L from '@aws-sdk/client-lambda';
import type { WireRequest, WireResponse } from '../../../protocols/wire.js';
import type { Store } from '../../../store/store.js';
import type { Caller } from '../../types.js';
import { apiKeyAllows } from '../api-keys.js';
import { authorize } from './authorize.js';
import { lambdaTarget } from '../lambda-uri.js';
import { apiIndex, scoped, type DeploymentRecord, type IntegrationRecord, type StageRecord } from '../state.js';
import { partitionOf } from '../../common/arn.js';
import { proxyEventV1, proxyResponseV1, type EventContext } from './proxy-event.js';
import { findRoute } from './routing.js';

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

function errorResponse(status: number, type: string, message: string, requestId: string): WireResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': type, 'x-amzn-requestid': requestId },
    body: JSON.stringify({ message }),
  };
}

const missingToken = (requestId: string) => errorResponse(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token', requestId);
const internalError = (requestId: string) => errorResponse(502, 'InternalServerErrorException', 'Internal server error', requestId);

/** MOCK: the request template's statusCode picks the integration response, whose template is the body. */
function mockResponse(integration: IntegrationRecord, req: WireRequest, requestId: string): WireResponse {
  const templates = integration.requestTemplates ?? {};
  const template = templates[req.headers['content-type'] ?? 'application/json'] ?? templates['application/json'] ?? Object.values(templates)[0] ?? '';
  const status = /"statusCode"\s*:\s*(\d{3})/.exec(template)?.[1] ?? '200';
  const responses = Object.values(integration.integrationResponses ?? {});
  const chosen =
    responses.find((r) => r.selectionPattern && new RegExp(`^(?:${r.selectionPattern})$`).test(status)) ?? responses.find((r) => !r.selectionPattern);
  if (!chosen) return errorResponse(500, 'InternalServerErrorException', 'Internal server error', requestId);
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-amzn-requestid': requestId };
  for (const [param, value] of Object.entries(chosen.responseParameters ?? {})) {
    const name = /^method\.response\.header\.(.+)$/.exec(param)?.[1];
    const literal = /^'(.*)'$/.exec(value)?.[1];
    if (name && literal !== undefined) headers[name.toLowerCase()] = literal;
  }
  return { status: Number(chosen.statusCode), headers, body: chosen.responseTemplates?.['application/json'] ?? '' };
}

export async function serveRestApi(store: Store, req: WireRequest, target: Target, invoke: Invoker, now: number): Promise<WireResponse | undefined> {
  const requestId = randomUUID();
  const location = apiIndex(store).get(target.apiId);
  if (!location) return undefined;
  const stage = target.stage ? scoped<StageRecord>(store, location, 'stages').get(`${target.apiId}/${target.stage}`) : undefined;
  const deployment = stage ? scoped<DeploymentRecord>(store, location, 'deployments').get(`${target.apiId}/${stage.deploymentId}`) : undefined;
  if (!stage || !deployment) return missingToken(requestId);
  const route = findRoute(deployment.resources, req.method, target.path);
  const integration = route?.method.methodIntegration;
  if (!route || !integration) return missingToken(requestId);
  const eventContext: EventContext = {
    apiId: target.apiId,
    account: location.account,
    stage: stage.stageName,
    stageVariables: stage.variables,
    path: target.path,
    requestId,
    extendedRequestId: randomBytes(8).toString('base64url').slice(0, 14) + '=',
    now,
    domainName: target.domainName,
  };
  let authorizer: Record<string, unknown> | undefined;
  if (route.method.authorizationType === 'CUSTOM' && route.method.authorizerId) {
    const methodArn = `arn:${partitionOf(location.region)}:execute-api:${location.region}:${location.account}:${target.apiId}/${stage.stageName}/${req.method}${target.path}`;
    const outcome = await authorize(store, location, target.apiId, route.method.authorizerId, req, methodArn, () => proxyEventV1(req, route, eventContext), invoke);
    if (!outcome.allowed) return { ...outcome.response, headers: { ...outcome.response.headers, 'x-amzn-requestid': requestId } };
    authorizer = outcome.context;
  }
  if (route.method.apiKeyRequired && !apiKeyAllows(store, location, target.apiId, stage.stageName, req.headers['x-api-key'])) {
    return errorResponse(403, 'ForbiddenException', 'Forbidden', requestId);
  }
  if (integration.type === 'MOCK') return mockResponse(integration, req, requestId);
  const functionArn = integration.type === 'AWS_PROXY' ? lambdaTarget(integration.uri) : undefined;
  if (!functionArn) return errorResponse(500, 'InternalServerErrorException', 'Internal server error', requestId);
  const event = proxyEventV1(req, route, { ...eventContext, authorizer });
  let out: L.InvocationResponse;
  try {
    out = (await invoke(location, { FunctionName: functionArn, Payload: Buffer.from(JSON.stringify(event)) })) as L.InvocationResponse;
  } catch {
    return errorResponse(500, 'InternalServerErrorException', 'Internal server error', requestId);
  }
  const response = out.FunctionError ? undefined : proxyResponseV1(Buffer.from(out.Payload ?? []));
  if (!response) return internalError(requestId);
  response.headers = { ...response.headers, 'x-amzn-requestid': requestId, 'x-amz-apigw-id': eventContext.extendedRequestId };
  return response;
}
