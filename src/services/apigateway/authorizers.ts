// Lambda authorizers (TOKEN and REQUEST) of a REST API. Invoke URLs read them live, not from the
// deployment. COGNITO_USER_POOLS authorizers are stored; Fogbank has no user pools to check tokens
// against, so methods using one answer 401 Unauthorized as AWS does for a missing or invalid token.

import type * as AG from '@aws-sdk/client-api-gateway';
import { paginate } from '../common/pagination.js';
import type { Handler, RequestContext } from '../types.js';
import { applyPatch, plainErrors, type PatchSpec } from './patch.js';
import { lambdaTarget } from './lambda-uri.js';
import { badRequest, getApi, newId, notFound } from './state.js';

export type AuthorizerRecord = AG.Authorizer & { id: string };

const authorizers = (ctx: RequestContext) => ctx.collection<AuthorizerRecord>('authorizers');

export function findAuthorizer(ctx: RequestContext, apiId: string, id: string): AuthorizerRecord {
  getApi(ctx, apiId);
  const authorizer = authorizers(ctx).get(`${apiId}/${id}`);
  if (!authorizer) throw notFound('Invalid Authorizer identifier specified');
  return authorizer;
}

export function hasAuthorizer(ctx: RequestContext, apiId: string, id: string): boolean {
  return authorizers(ctx).has(`${apiId}/${id}`);
}

export const createAuthorizer: Handler<AG.CreateAuthorizerRequest, AG.Authorizer> = (input, ctx) => {
  getApi(ctx, input.restApiId!);
  if ((input.type === 'TOKEN' || input.type === 'REQUEST') && !lambdaTarget(input.authorizerUri)) throw badRequest('Invalid Authorizer URI specified');
  const authorizer: AuthorizerRecord = {
    id: newId(6),
    name: input.name,
    type: input.type,
    providerARNs: input.providerARNs,
    authType: input.authType ?? 'custom',
    authorizerUri: input.authorizerUri,
    authorizerCredentials: input.authorizerCredentials,
    identitySource: input.identitySource ?? (input.type === 'TOKEN' ? 'method.request.header.Authorization' : undefined),
    identityValidationExpression: input.identityValidationExpression,
    authorizerResultTtlInSeconds: input.authorizerResultTtlInSeconds ?? 300,
  };
  authorizers(ctx).put(`${input.restApiId}/${authorizer.id}`, authorizer);
  return authorizer;
};

export const getAuthorizer: Handler<AG.GetAuthorizerRequest, AG.Authorizer> = (input, ctx) => findAuthorizer(ctx, input.restApiId!, input.authorizerId!);

export const getAuthorizers: Handler<AG.GetAuthorizersRequest, AG.Authorizers> = (input, ctx) => {
  getApi(ctx, input.restApiId!);
  const all = authorizers(ctx).values({ prefix: `${input.restApiId}/` });
  const page = paginate(all, (a) => a.id, input.limit ?? 25, input.position, () => badRequest('Invalid position parameter'));
  return { items: page.items, position: page.nextToken };
};

export const deleteAuthorizer: Handler<AG.DeleteAuthorizerRequest, Record<string, never>> = (input, ctx) => {
  const authorizer = findAuthorizer(ctx, input.restApiId!, input.authorizerId!);
  authorizers(ctx).delete(`${input.restApiId}/${authorizer.id}`);
  return {};
};

const AUTHORIZER_PATCH: PatchSpec = {
  rules: [
    ...['/name', '/type', '/authType', '/authorizerUri', '/authorizerCredentials', '/identitySource', '/identityValidationExpression'].map((path) => ({ path, ops: ['replace' as const] })),
    { path: '/authorizerResultTtlInSeconds', ops: ['replace'], kind: 'integer' },
    { path: '/providerARNs', ops: ['add', 'remove'], kind: 'list-value' },
  ],
  ...plainErrors,
};

export const updateAuthorizer: Handler<AG.UpdateAuthorizerRequest, AG.Authorizer> = (input, ctx) => {
  const authorizer = findAuthorizer(ctx, input.restApiId!, input.authorizerId!);
  const updated = applyPatch(authorizer, input.patchOperations, AUTHORIZER_PATCH);
  if ((updated.type === 'TOKEN' || updated.type === 'REQUEST') && !lambdaTarget(updated.authorizerUri)) throw badRequest('Invalid Authorizer URI specified');
  const ttl = updated.authorizerResultTtlInSeconds ?? 0;
  if (ttl < 0 || ttl > 3600) throw badRequest('Authorizer result TTL must be between 0 and 3600 seconds');
  authorizers(ctx).put(`${input.restApiId}/${authorizer.id}`, updated);
  return updated;
};
