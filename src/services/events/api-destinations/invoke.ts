// One event delivered to an API destination: the endpoint with its * path segments filled from
// the target's PathParameterValues, the connection's and the target's header and query
// parameters, the connection's authorization, and the target's input as the body. Target
// parameter values that are JSON paths ($.detail.id) take their value from the event, as on AWS.

import type * as EB from '@aws-sdk/client-eventbridge';
import type { RequestContext } from '../../types.js';
import { readPath, type EventEnvelope } from '../input.js';
import { TargetFailure } from '../failures.js';
import { connectionByArn, type ConnectionRecord } from './connections.js';
import { destinationByArn } from './destinations.js';
import { applyParameters, send, type HttpCall } from './http.js';
import { fetchToken, forgetToken } from './oauth.js';

/** A parameter value: constant text, or the event's value at a JSON path. */
export function valueOf(text: string, event: EventEnvelope): string {
  if (!text.startsWith('$.')) return text;
  const value = readPath(event, text);
  return value === undefined || value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
}

export function fillPath(endpoint: string, values: string[]): string {
  let index = 0;
  return endpoint.replace(/\*/g, () => encodeURIComponent(values[index++] ?? ''));
}

async function authorization(ctx: RequestContext, connection: ConnectionRecord): Promise<[string, string]> {
  const p = connection.authParameters;
  switch (connection.authorizationType) {
    case 'API_KEY':
      return [p.ApiKeyAuthParameters!.ApiKeyName!.toLowerCase(), p.ApiKeyAuthParameters!.ApiKeyValue ?? ''];
    case 'BASIC':
      return ['authorization', `Basic ${Buffer.from(`${p.BasicAuthParameters!.Username}:${p.BasicAuthParameters!.Password}`).toString('base64')}`];
    default:
      try {
        return ['authorization', `Bearer ${await fetchToken(ctx, connection)}`];
      } catch (error) {
        if (error instanceof TargetFailure) throw error;
        throw new TargetFailure('NO_PERMISSIONS', (error as Error).message, false);
      }
  }
}

export async function invokeApiDestination(ctx: RequestContext, target: EB.Target, input: string, event: EventEnvelope): Promise<void> {
  const destination = destinationByArn(ctx, target.Arn!);
  if (!destination) throw new TargetFailure('NO_RESOURCE', `API destination ${target.Arn} does not exist.`, false);
  const connection = connectionByArn(ctx, destination.connectionArn);
  if (!connection) throw new TargetFailure('NO_RESOURCE', `Connection ${destination.connectionArn} does not exist.`, false);
  if (connection.state !== 'AUTHORIZED') throw new TargetFailure('NO_PERMISSIONS', `Connection ${connection.name} is ${connection.state}, not AUTHORIZED.`, false);
  const http = target.HttpParameters;
  const call: HttpCall = {
    method: destination.method,
    url: new URL(fillPath(destination.endpoint, (http?.PathParameterValues ?? []).map((v) => valueOf(v, event)))),
    headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'Amazon/EventBridge/ApiDestinations' },
    body: input,
  };
  applyParameters(call, connection.authParameters.InvocationHttpParameters);
  for (const [key, value] of Object.entries(http?.HeaderParameters ?? {})) call.headers[key.toLowerCase()] = valueOf(value, event);
  for (const [key, value] of Object.entries(http?.QueryStringParameters ?? {})) call.url.searchParams.set(key, valueOf(value, event));
  const [header, value] = await authorization(ctx, connection);
  call.headers[header] = value;
  try {
    await send(call);
  } catch (error) {
    // A refused token is fetched afresh on the next attempt.
    if (connection.authorizationType === 'OAUTH_CLIENT_CREDENTIALS' && (error as TargetFailure).message.includes('HTTP 401')) forgetToken(connection.arn);
    throw error;
  }
}
