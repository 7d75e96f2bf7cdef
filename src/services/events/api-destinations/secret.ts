// A connection's credentials in Secrets Manager, as AWS keeps them: a secret EventBridge manages,
// named events!connection/<connection name>/<the id in the connection's ARN>, created with the
// connection (DescribeConnection's SecretArn), rewritten when the connection is updated or
// deauthorized, and deleted with it (at once, without a recovery window). Fogbank's Secrets
// Manager takes the name as any user's ('!' is a valid secret-name character), so nothing there
// is loosened for it. The value is the auth parameters as JSON with snake_case keys, the form
// AWS's OAuth connection secrets are seen in (authorization_endpoint, client_id, client_secret,
// oauth_http_parameters.body_parameters[{key, value}]); API key and basic secrets follow the same
// rule. Invocations still read the credentials from the connection's record, so a user editing or
// deleting the secret (which AWS refuses for a managed secret, and Fogbank's Secrets Manager does
// not) leaves the connection working.

import { randomUUID } from 'node:crypto';
import type * as EB from '@aws-sdk/client-eventbridge';
import type { RequestContext } from '../../types.js';
import type { AuthParameters } from './connections.js';

function parameters(list: EB.ConnectionHttpParameters | undefined) {
  if (!list) return undefined;
  const pairs = (items: Array<{ Key?: string; Value?: string }> | undefined) => items?.map((p) => ({ key: p.Key, value: p.Value }));
  return { header_parameters: pairs(list.HeaderParameters), query_string_parameters: pairs(list.QueryStringParameters), body_parameters: pairs(list.BodyParameters) };
}

/** The secret's value for these auth parameters. */
export function secretString(params: AuthParameters): string {
  const oauth = params.OAuthParameters;
  return JSON.stringify({
    api_key_name: params.ApiKeyAuthParameters?.ApiKeyName,
    api_key_value: params.ApiKeyAuthParameters?.ApiKeyValue,
    username: params.BasicAuthParameters?.Username,
    password: params.BasicAuthParameters?.Password,
    authorization_endpoint: oauth?.AuthorizationEndpoint,
    http_method: oauth?.HttpMethod,
    client_id: oauth?.ClientParameters?.ClientID,
    client_secret: oauth?.ClientParameters?.ClientSecret,
    oauth_http_parameters: parameters(oauth?.OAuthHttpParameters),
    invocation_http_parameters: parameters(params.InvocationHttpParameters),
  });
}

/** Creates the connection's secret; answers its ARN. (Internal calls get no SDK-filled ClientRequestToken.) */
export async function createConnectionSecret(ctx: RequestContext, connectionArn: string, params: AuthParameters): Promise<string> {
  const name = `events!${/:(connection\/.+)$/.exec(connectionArn)![1]}`;
  const created = (await ctx.call('secretsmanager', 'CreateSecret', { Name: name, SecretString: secretString(params), ClientRequestToken: randomUUID() })) as { ARN: string };
  return created.ARN;
}

/** Writes the connection's current auth parameters as the secret's new current version. */
export async function updateConnectionSecret(ctx: RequestContext, secretArn: string | undefined, params: AuthParameters): Promise<void> {
  if (!secretArn) return;
  try {
    await ctx.call('secretsmanager', 'PutSecretValue', { SecretId: secretArn, SecretString: secretString(params), ClientRequestToken: randomUUID() });
  } catch {
    // The secret was deleted from outside: the connection keeps its own copy of the credentials.
  }
}

export async function deleteConnectionSecret(ctx: RequestContext, secretArn: string | undefined): Promise<void> {
  if (!secretArn) return;
  try {
    await ctx.call('secretsmanager', 'DeleteSecret', { SecretId: secretArn, ForceDeleteWithoutRecovery: true });
  } catch {
    // Already gone.
  }
}
