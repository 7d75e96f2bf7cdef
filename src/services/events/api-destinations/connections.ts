// Connections: how EventBridge authorizes its calls to API destinations (API key, basic, or OAuth
// client credentials), with extra header, query and body parameters for every invocation.
// API_KEY and BASIC connections are AUTHORIZED at once. OAUTH_CLIENT_CREDENTIALS ones answer
// AUTHORIZING and then ask the authorization endpoint for a token, becoming AUTHORIZED or
// DEAUTHORIZED (with the reason). Deauthorizing forgets the credentials. Responses to Delete and
// Deauthorize show the transitional states (DELETING, DEAUTHORIZING) AWS answers with.
// The credentials are also kept, as AWS keeps them, in a Secrets Manager secret the connection
// manages (SecretArn; secret.ts).

import { randomUUID } from 'node:crypto';
import type * as EB from '@aws-sdk/client-eventbridge';
import { ServiceError } from '../../../errors.js';
import { arn } from '../../common/arn.js';
import { paginate } from '../../common/pagination.js';
import type { Handler, RequestContext } from '../../types.js';
import { invalidToken } from '../buses.js';
import { notFound, validation } from '../state.js';
import { fetchToken, forgetToken } from './oauth.js';
import { createConnectionSecret, deleteConnectionSecret, updateConnectionSecret } from './secret.js';

export type AuthParameters = EB.CreateConnectionAuthRequestParameters;

export interface ConnectionRecord {
  name: string;
  arn: string;
  description?: string;
  authorizationType: EB.ConnectionAuthorizationType;
  authParameters: AuthParameters;
  state: EB.ConnectionState;
  stateReason?: string;
  created: number;
  modified: number;
  lastAuthorized?: number;
  /** The Secrets Manager secret holding the credentials. */
  secretArn?: string;
}

export function connections(ctx: RequestContext) {
  return ctx.collection<ConnectionRecord>('connections');
}

export function connectionNotFound(name: string): ServiceError {
  return notFound(`Failed to describe the connection(s). Connection '${name}' does not exist.`);
}

export function requireConnection(ctx: RequestContext, name: string): ConnectionRecord {
  const connection = connections(ctx).get(name);
  if (!connection) throw connectionNotFound(name);
  return connection;
}

/** The connection an ARN names (connection/<name>/<id>), if it is still that connection. */
export function connectionByArn(ctx: RequestContext, connectionArn: string): ConnectionRecord | undefined {
  const name = /:connection\/([^/]+)\//.exec(connectionArn)?.[1];
  const connection = name === undefined ? undefined : connections(ctx).get(name);
  return connection?.arn === connectionArn ? connection : undefined;
}

const REQUIRED: Record<string, keyof AuthParameters> = {
  API_KEY: 'ApiKeyAuthParameters',
  BASIC: 'BasicAuthParameters',
  OAUTH_CLIENT_CREDENTIALS: 'OAuthParameters',
};

function checkAuth(type: string, params: AuthParameters): void {
  const member = REQUIRED[type];
  if (member && !params[member]) throw validation(`${member} must be specified for authorization type ${type}.`);
}

/** OAuth connections get their token in the background: AUTHORIZING until it answers. */
function authorize(ctx: RequestContext, connection: ConnectionRecord): ConnectionRecord {
  if (connection.authorizationType !== 'OAUTH_CLIENT_CREDENTIALS') {
    return { ...connection, state: 'AUTHORIZED', stateReason: undefined, lastAuthorized: ctx.clock.now() };
  }
  forgetToken(connection.arn);
  void fetchToken(ctx, connection)
    .then(
      () => settle(ctx, connection, 'AUTHORIZED', undefined),
      (error: Error) => settle(ctx, connection, 'DEAUTHORIZED', error.message),
    )
    .catch(() => undefined); // the store closed meanwhile (Fogbank stopping)
  return { ...connection, state: 'AUTHORIZING', stateReason: undefined };
}

function settle(ctx: RequestContext, connection: ConnectionRecord, state: EB.ConnectionState, reason: string | undefined): void {
  const current = connections(ctx).get(connection.name);
  if (current?.arn !== connection.arn || current.state !== 'AUTHORIZING') return;
  const authorized = state === 'AUTHORIZED' ? { lastAuthorized: ctx.clock.now() } : {};
  connections(ctx).put(connection.name, { ...current, state, stateReason: reason, ...authorized });
}

function times(c: ConnectionRecord) {
  return {
    CreationTime: new Date(c.created),
    LastModifiedTime: new Date(c.modified),
    LastAuthorizedTime: c.lastAuthorized === undefined ? undefined : new Date(c.lastAuthorized),
  };
}

export const createConnection: Handler<EB.CreateConnectionRequest, EB.CreateConnectionResponse> = async (input, ctx) => {
  const name = input.Name!;
  if (connections(ctx).has(name)) throw new ServiceError('ResourceAlreadyExistsException', `Connection ${name} already exists.`);
  checkAuth(input.AuthorizationType!, input.AuthParameters!);
  const now = ctx.clock.now();
  const record = authorize(ctx, {
    name,
    arn: arn({ service: 'events', region: ctx.region, account: ctx.account, resource: `connection/${name}/${randomUUID()}` }),
    description: input.Description,
    authorizationType: input.AuthorizationType!,
    authParameters: input.AuthParameters!,
    state: 'CREATING',
    created: now,
    modified: now,
  });
  connections(ctx).put(name, record);
  const secretArn = await createConnectionSecret(ctx, record.arn, record.authParameters);
  // Re-read: an OAuth authorization may have settled meanwhile.
  const current = connections(ctx).get(name);
  if (current?.arn === record.arn) connections(ctx).put(name, { ...current, secretArn });
  const { LastAuthorizedTime: _, ...rest } = times(record);
  return { ConnectionArn: record.arn, ConnectionState: record.state, ...rest };
};

/** Invocation parameters as Describe shows them: values marked secret are left out. */
function shownParameters(params: EB.ConnectionHttpParameters | undefined): EB.ConnectionHttpParameters | undefined {
  if (!params) return undefined;
  const hide = <T extends { IsValueSecret?: boolean; Value?: string }>(list: T[] | undefined) => list?.map((p) => (p.IsValueSecret ? { ...p, Value: undefined } : p));
  return { HeaderParameters: hide(params.HeaderParameters), QueryStringParameters: hide(params.QueryStringParameters), BodyParameters: hide(params.BodyParameters) };
}

export const describeConnection: Handler<EB.DescribeConnectionRequest, EB.DescribeConnectionResponse> = (input, ctx) => {
  const c = requireConnection(ctx, input.Name!);
  const p = c.authParameters;
  const oauth = p.OAuthParameters;
  return {
    ConnectionArn: c.arn,
    Name: c.name,
    Description: c.description,
    ConnectionState: c.state,
    StateReason: c.stateReason,
    AuthorizationType: c.authorizationType,
    SecretArn: c.secretArn,
    AuthParameters: {
      ApiKeyAuthParameters: p.ApiKeyAuthParameters && { ApiKeyName: p.ApiKeyAuthParameters.ApiKeyName },
      BasicAuthParameters: p.BasicAuthParameters && { Username: p.BasicAuthParameters.Username },
      OAuthParameters: oauth && {
        ClientParameters: { ClientID: oauth.ClientParameters?.ClientID },
        AuthorizationEndpoint: oauth.AuthorizationEndpoint,
        HttpMethod: oauth.HttpMethod,
        OAuthHttpParameters: shownParameters(oauth.OAuthHttpParameters),
      },
      InvocationHttpParameters: shownParameters(p.InvocationHttpParameters),
    },
    ...times(c),
  };
};

export const listConnections: Handler<EB.ListConnectionsRequest, EB.ListConnectionsResponse> = (input, ctx) => {
  const matching = connections(ctx)
    .values({ prefix: input.NamePrefix ?? '' })
    .filter((c) => !input.ConnectionState || c.state === input.ConnectionState);
  const page = paginate(matching, (c) => c.name, input.Limit ?? 100, input.NextToken, invalidToken);
  return {
    Connections: page.items.map((c) => ({ ConnectionArn: c.arn, Name: c.name, ConnectionState: c.state, StateReason: c.stateReason, AuthorizationType: c.authorizationType, ...times(c) })),
    NextToken: page.nextToken,
  };
};

/** Each auth parameter given replaces the stored one, member by member. */
function mergeAuth(stored: AuthParameters, update: EB.UpdateConnectionAuthRequestParameters | undefined): AuthParameters {
  if (!update) return stored;
  const merged: Record<string, unknown> = { ...stored };
  for (const [key, value] of Object.entries(update)) {
    if (value === undefined) continue;
    const before = (stored as Record<string, unknown>)[key];
    merged[key] = before && typeof value === 'object' && !Array.isArray(value) ? { ...(before as object), ...value } : value;
  }
  return merged as AuthParameters;
}

export const updateConnection: Handler<EB.UpdateConnectionRequest, EB.UpdateConnectionResponse> = async (input, ctx) => {
  const c = requireConnection(ctx, input.Name!);
  const type = input.AuthorizationType ?? c.authorizationType;
  const authParameters = mergeAuth(c.authParameters, input.AuthParameters);
  checkAuth(type, authParameters);
  const record = authorize(ctx, { ...c, description: input.Description ?? c.description, authorizationType: type, authParameters, modified: ctx.clock.now() });
  connections(ctx).put(c.name, record);
  await updateConnectionSecret(ctx, record.secretArn, authParameters);
  return { ConnectionArn: record.arn, ConnectionState: record.state, ...times(record) };
};

export const deauthorizeConnection: Handler<EB.DeauthorizeConnectionRequest, EB.DeauthorizeConnectionResponse> = async (input, ctx) => {
  const c = requireConnection(ctx, input.Name!);
  forgetToken(c.arn);
  // The credentials are dropped; names (API key name, user name, client id) are kept.
  const p = c.authParameters;
  const authParameters: AuthParameters = {
    ApiKeyAuthParameters: p.ApiKeyAuthParameters && { ApiKeyName: p.ApiKeyAuthParameters.ApiKeyName, ApiKeyValue: undefined },
    BasicAuthParameters: p.BasicAuthParameters && { Username: p.BasicAuthParameters.Username, Password: undefined },
    OAuthParameters: p.OAuthParameters && { ...p.OAuthParameters, ClientParameters: { ClientID: p.OAuthParameters.ClientParameters?.ClientID, ClientSecret: undefined } },
    InvocationHttpParameters: p.InvocationHttpParameters,
  };
  const record = { ...c, authParameters, state: 'DEAUTHORIZED' as const, stateReason: undefined, modified: ctx.clock.now() };
  connections(ctx).put(c.name, record);
  await updateConnectionSecret(ctx, record.secretArn, authParameters);
  return { ConnectionArn: c.arn, ConnectionState: 'DEAUTHORIZING', ...times(record) };
};

export const deleteConnection: Handler<EB.DeleteConnectionRequest, EB.DeleteConnectionResponse> = async (input, ctx) => {
  const c = requireConnection(ctx, input.Name!);
  forgetToken(c.arn);
  connections(ctx).delete(c.name);
  await deleteConnectionSecret(ctx, c.secretArn);
  return { ConnectionArn: c.arn, ConnectionState: 'DELETING', ...times(c) };
};
