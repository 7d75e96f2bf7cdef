// OAuth client credentials for connections: EventBridge asks the authorization endpoint for a
// token (client id and secret as basic auth, plus the connection's OAuth HTTP parameters) and
// sends it as a bearer token until it expires or the endpoint refuses it. Tokens are kept in
// memory per connection, their expiry read on Fogbank's clock.

import type { RequestContext } from '../../types.js';
import type { ConnectionRecord } from './connections.js';
import { applyParameters, send, type HttpCall } from './http.js';

interface Token {
  value: string;
  expiresAt: number;
}

const tokens = new Map<string, Token>();

export function forgetToken(connectionArn: string): void {
  tokens.delete(connectionArn);
}

/** A valid access token for the connection, fetched when there is none. */
export async function fetchToken(ctx: RequestContext, connection: ConnectionRecord): Promise<string> {
  const cached = tokens.get(connection.arn);
  if (cached && cached.expiresAt > ctx.clock.now()) return cached.value;
  const oauth = connection.authParameters.OAuthParameters!;
  const client = oauth.ClientParameters;
  const call: HttpCall = {
    method: oauth.HttpMethod ?? 'POST',
    url: new URL(oauth.AuthorizationEndpoint!),
    headers: {
      authorization: `Basic ${Buffer.from(`${client?.ClientID ?? ''}:${client?.ClientSecret ?? ''}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
  };
  applyParameters(call, oauth.OAuthHttpParameters, true);
  const { text } = await send(call);
  let answer: { access_token?: unknown; expires_in?: unknown };
  try {
    answer = JSON.parse(text) as typeof answer;
  } catch {
    throw new Error('The authorization endpoint did not answer JSON.');
  }
  if (typeof answer.access_token !== 'string') throw new Error('The authorization endpoint answered no access_token.');
  const lifetime = typeof answer.expires_in === 'number' ? answer.expires_in * 1000 : 3_600_000;
  tokens.set(connection.arn, { value: answer.access_token, expiresAt: ctx.clock.now() + lifetime });
  return answer.access_token;
}
