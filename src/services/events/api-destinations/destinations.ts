// API destinations: an HTTP endpoint and method, called through a connection. Fogbank accepts
// http:// endpoints as well as https:// (local services rarely have certificates); AWS takes
// HTTPS only. InvocationRateLimitPerSecond is stored and shown but not enforced.

import { randomUUID } from 'node:crypto';
import type * as EB from '@aws-sdk/client-eventbridge';
import { ServiceError } from '../../../errors.js';
import { arn } from '../../common/arn.js';
import { paginate } from '../../common/pagination.js';
import type { Handler, RequestContext } from '../../types.js';
import { invalidToken } from '../buses.js';
import { notFound, validation } from '../state.js';
import { connectionByArn, connectionNotFound } from './connections.js';

const DEFAULT_RATE_LIMIT = 300;

export interface ApiDestinationRecord {
  name: string;
  arn: string;
  description?: string;
  connectionArn: string;
  endpoint: string;
  method: EB.ApiDestinationHttpMethod;
  rateLimit: number;
  state: EB.ApiDestinationState;
  created: number;
  modified: number;
}

export function apiDestinations(ctx: RequestContext) {
  return ctx.collection<ApiDestinationRecord>('api-destinations');
}

function requireDestination(ctx: RequestContext, name: string): ApiDestinationRecord {
  const destination = apiDestinations(ctx).get(name);
  if (!destination) throw notFound(`Failed to describe the api-destination(s). An api-destination '${name}' does not exist.`);
  return destination;
}

/** The destination an ARN names (api-destination/<name>/<id>), if it is still that destination. */
export function destinationByArn(ctx: RequestContext, destinationArn: string): ApiDestinationRecord | undefined {
  const name = /:api-destination\/([^/]+)\//.exec(destinationArn)?.[1];
  const destination = name === undefined ? undefined : apiDestinations(ctx).get(name);
  return destination?.arn === destinationArn ? destination : undefined;
}

function checkEndpoint(endpoint: string): void {
  let url: URL;
  try {
    url = new URL(endpoint.replaceAll('*', 'x'));
  } catch {
    throw validation(`Parameter InvocationEndpoint is not valid. Reason: ${endpoint} is not a valid URL.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw validation(`Parameter InvocationEndpoint is not valid. Reason: ${endpoint} is not a valid URL.`);
}

function checkConnection(ctx: RequestContext, connectionArn: string): void {
  if (!connectionByArn(ctx, connectionArn)) throw connectionNotFound(/:connection\/([^/]+)/.exec(connectionArn)?.[1] ?? connectionArn);
}

function times(d: ApiDestinationRecord) {
  return { CreationTime: new Date(d.created), LastModifiedTime: new Date(d.modified) };
}

export const createApiDestination: Handler<EB.CreateApiDestinationRequest, EB.CreateApiDestinationResponse> = (input, ctx) => {
  const name = input.Name!;
  if (apiDestinations(ctx).has(name)) throw new ServiceError('ResourceAlreadyExistsException', `An api-destination '${name}' already exists.`);
  checkEndpoint(input.InvocationEndpoint!);
  checkConnection(ctx, input.ConnectionArn!);
  const now = ctx.clock.now();
  const record: ApiDestinationRecord = {
    name,
    arn: arn({ service: 'events', region: ctx.region, account: ctx.account, resource: `api-destination/${name}/${randomUUID()}` }),
    description: input.Description,
    connectionArn: input.ConnectionArn!,
    endpoint: input.InvocationEndpoint!,
    method: input.HttpMethod!,
    rateLimit: input.InvocationRateLimitPerSecond ?? DEFAULT_RATE_LIMIT,
    state: 'ACTIVE',
    created: now,
    modified: now,
  };
  apiDestinations(ctx).put(name, record);
  return { ApiDestinationArn: record.arn, ApiDestinationState: record.state, ...times(record) };
};

function describe(d: ApiDestinationRecord) {
  return {
    ApiDestinationArn: d.arn,
    Name: d.name,
    Description: d.description,
    ApiDestinationState: d.state,
    ConnectionArn: d.connectionArn,
    InvocationEndpoint: d.endpoint,
    HttpMethod: d.method,
    InvocationRateLimitPerSecond: d.rateLimit,
    ...times(d),
  };
}

export const describeApiDestination: Handler<EB.DescribeApiDestinationRequest, EB.DescribeApiDestinationResponse> = (input, ctx) =>
  describe(requireDestination(ctx, input.Name!));

export const listApiDestinations: Handler<EB.ListApiDestinationsRequest, EB.ListApiDestinationsResponse> = (input, ctx) => {
  const matching = apiDestinations(ctx)
    .values({ prefix: input.NamePrefix ?? '' })
    .filter((d) => !input.ConnectionArn || d.connectionArn === input.ConnectionArn);
  const page = paginate(matching, (d) => d.name, input.Limit ?? 100, input.NextToken, invalidToken);
  // List entries carry no Description.
  return { ApiDestinations: page.items.map((d) => ({ ...describe(d), Description: undefined })), NextToken: page.nextToken };
};

export const updateApiDestination: Handler<EB.UpdateApiDestinationRequest, EB.UpdateApiDestinationResponse> = (input, ctx) => {
  const d = requireDestination(ctx, input.Name!);
  if (input.InvocationEndpoint !== undefined) checkEndpoint(input.InvocationEndpoint);
  if (input.ConnectionArn !== undefined) checkConnection(ctx, input.ConnectionArn);
  const record: ApiDestinationRecord = {
    ...d,
    description: input.Description ?? d.description,
    connectionArn: input.ConnectionArn ?? d.connectionArn,
    endpoint: input.InvocationEndpoint ?? d.endpoint,
    method: input.HttpMethod ?? d.method,
    rateLimit: input.InvocationRateLimitPerSecond ?? d.rateLimit,
    modified: ctx.clock.now(),
  };
  apiDestinations(ctx).put(d.name, record);
  return { ApiDestinationArn: record.arn, ApiDestinationState: record.state, ...times(record) };
};

export const deleteApiDestination: Handler<EB.DeleteApiDestinationRequest, object> = (input, ctx) => {
  apiDestinations(ctx).delete(requireDestination(ctx, input.Name!).name);
  return {};
};
