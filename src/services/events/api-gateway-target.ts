// API Gateway REST API targets (arn:aws:execute-api:<region>:<account>:<api-id>/<stage>/<METHOD>/<path>):
// EventBridge calls the stage's invoke URL with the ARN's method and path (its * segments filled
// from HttpParameters.PathParameterValues), the target's header and query parameters, and the
// input as the body. Fogbank calls its own invoke URL, so the API's integrations run as for any
// client. Failures are sorted as for API destinations (429 and 5xx are retried).

import type * as EB from '@aws-sdk/client-eventbridge';
import type { RequestContext } from '../types.js';
import { fillPath, valueOf } from './api-destinations/invoke.js';
import { send, type HttpCall } from './api-destinations/http.js';
import { TargetFailure } from './failures.js';
import type { EventEnvelope } from './input.js';

const EXECUTE_API = /^arn:aws[a-z-]*:execute-api:[^:]*:\d{12}:([a-z0-9]{10})\/([^/]+)\/([A-Z*]+)(\/.*)?$/;

export async function invokeApiGateway(ctx: RequestContext, target: EB.Target, input: string, event: EventEnvelope): Promise<void> {
  const match = EXECUTE_API.exec(target.Arn ?? '');
  if (!match) throw new TargetFailure('NO_RESOURCE', `Target ${target.Arn} is not an API Gateway stage route.`, false);
  const [, apiId, stage, method, path = '/'] = match as unknown as [string, string, string, string, string | undefined];
  const http = target.HttpParameters;
  const filled = fillPath(path, (http?.PathParameterValues ?? []).map((v) => valueOf(v, event)));
  const call: HttpCall = {
    method: method === '*' ? 'POST' : method,
    url: new URL(`/restapis/${apiId}/${stage}/_user_request_${filled}`, ctx.endpoint),
    headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'Amazon/EventBridge/CustomEvent' },
    body: input,
  };
  for (const [key, value] of Object.entries(http?.HeaderParameters ?? {})) call.headers[key.toLowerCase()] = valueOf(value, event);
  for (const [key, value] of Object.entries(http?.QueryStringParameters ?? {})) call.url.searchParams.set(key, valueOf(value, event));
  await send(call);
}
