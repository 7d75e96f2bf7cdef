// Function URL configurations: one per function or alias, each with its own URL id. An account-
// less index maps the id to its function, so a request to the URL (url-invoke.ts) finds it.

import { randomBytes } from 'node:crypto';
import type * as L from '@aws-sdk/client-lambda';
import { lambdaRuntime } from '../../runtime/index.js';
import type { Store } from '../../store/store.js';
import { paginate } from '../common/pagination.js';
import type { Handler, RequestContext } from '../types.js';
import { invalidParameter, resourceConflict, resourceNotFound } from './errors.js';
import { functionArn, getFunction, lastModifiedText, parseFunctionName, resolveQualifier } from './state.js';

export interface UrlConfigRecord {
  urlId: string;
  account: string;
  region: string;
  functionName: string;
  qualifier?: string;
  authType: string;
  cors?: L.Cors;
  invokeMode: string;
  created: string;
  modified: string;
}

/** url id -> config, across accounts and regions (the URL's host is all a request carries). */
export function urlIndex(store: Store) {
  return store.collection<UrlConfigRecord>('lambda', 'function-urls', { account: '', region: '' });
}

function urlConfigs(ctx: RequestContext) {
  return ctx.collection<string>('function-url-ids');
}

/** The URL Fogbank serves a function at: LocalStack's host form, on Fogbank's port. */
export function functionUrl(store: Store, config: UrlConfigRecord): string {
  const port = /:(\d+)$/.exec(lambdaRuntime(store).endpoint)?.[1] ?? '4566';
  return `http://${config.urlId}.lambda-url.${config.region}.localhost.localstack.cloud:${port}/`;
}

function target(ctx: RequestContext, functionName: string, qualifier: string | undefined) {
  lambdaRuntime(ctx.store).configureEndpoint(ctx.endpoint);
  const ref = parseFunctionName(ctx, functionName, qualifier);
  const record = getFunction(ctx, ref);
  if (ref.qualifier !== undefined && ref.qualifier !== '$LATEST') {
    if (/^\d+$/.test(ref.qualifier)) throw invalidParameter('Function URLs can be attached to $LATEST or an alias, not to a published version.');
    resolveQualifier(ctx, record, ref.qualifier);
  }
  const qualifierPart = ref.qualifier === '$LATEST' ? undefined : ref.qualifier;
  return { name: record.name, qualifier: qualifierPart, key: `${record.name}:${qualifierPart ?? ''}`, arn: functionArn(ctx, record.name, qualifierPart) };
}

function find(ctx: RequestContext, key: string): UrlConfigRecord {
  const id = urlConfigs(ctx).get(key);
  const config = id ? urlIndex(ctx.store).get(id) : undefined;
  if (!config) throw resourceNotFound('The resource you requested does not exist.');
  return config;
}

function view(ctx: RequestContext, config: UrlConfigRecord) {
  return {
    FunctionUrl: functionUrl(ctx.store, config),
    FunctionArn: functionArn(ctx, config.functionName, config.qualifier),
    AuthType: config.authType as L.FunctionUrlAuthType,
    Cors: config.cors,
    CreationTime: config.created,
    LastModifiedTime: config.modified,
    InvokeMode: config.invokeMode as L.InvokeMode,
  };
}

export const createFunctionUrlConfig: Handler<L.CreateFunctionUrlConfigRequest, L.CreateFunctionUrlConfigResponse> = (input, ctx) => {
  const t = target(ctx, input.FunctionName!, input.Qualifier);
  if (urlConfigs(ctx).has(t.key)) {
    throw resourceConflict(`Failed to create function url config for [functionArn = ${t.arn}]. Error message:  FunctionUrlConfig exists for this Lambda function`);
  }
  const now = lastModifiedText(ctx.clock.now());
  const config: UrlConfigRecord = {
    urlId: randomBytes(16).toString('hex'),
    account: ctx.account,
    region: ctx.region,
    functionName: t.name,
    qualifier: t.qualifier,
    authType: input.AuthType!,
    cors: input.Cors,
    invokeMode: input.InvokeMode ?? 'BUFFERED',
    created: now,
    modified: now,
  };
  urlIndex(ctx.store).put(config.urlId, config);
  urlConfigs(ctx).put(t.key, config.urlId);
  const { LastModifiedTime: _modified, ...created } = view(ctx, config);
  return created;
};

export const getFunctionUrlConfig: Handler<L.GetFunctionUrlConfigRequest, L.GetFunctionUrlConfigResponse> = (input, ctx) => {
  return view(ctx, find(ctx, target(ctx, input.FunctionName!, input.Qualifier).key));
};

export const updateFunctionUrlConfig: Handler<L.UpdateFunctionUrlConfigRequest, L.UpdateFunctionUrlConfigResponse> = (input, ctx) => {
  const config = find(ctx, target(ctx, input.FunctionName!, input.Qualifier).key);
  if (input.AuthType !== undefined) config.authType = input.AuthType;
  if (input.Cors !== undefined) config.cors = input.Cors;
  if (input.InvokeMode !== undefined) config.invokeMode = input.InvokeMode;
  config.modified = lastModifiedText(ctx.clock.now());
  urlIndex(ctx.store).put(config.urlId, config);
  return view(ctx, config);
};

export const deleteFunctionUrlConfig: Handler<L.DeleteFunctionUrlConfigRequest, object> = (input, ctx) => {
  const t = target(ctx, input.FunctionName!, input.Qualifier);
  const config = find(ctx, t.key);
  urlIndex(ctx.store).delete(config.urlId);
  urlConfigs(ctx).delete(t.key);
  return {};
};

export const listFunctionUrlConfigs: Handler<L.ListFunctionUrlConfigsRequest, L.ListFunctionUrlConfigsResponse> = (input, ctx) => {
  const name = target(ctx, input.FunctionName!, undefined).name;
  const configs = urlConfigs(ctx)
    .list({ prefix: `${name}:` })
    .map(([key, id]) => [key, urlIndex(ctx.store).get(id)] as const)
    .filter((entry): entry is readonly [string, UrlConfigRecord] => entry[1] !== undefined);
  const page = paginate(configs, ([key]) => key, input.MaxItems ?? 50, input.Marker, () => invalidParameter('Invalid Marker'));
  return { FunctionUrlConfigs: page.items.map(([, config]) => view(ctx, config)), NextMarker: page.nextToken };
};

/** Forgets a deleted function's URLs. */
export function deleteFunctionUrls(ctx: RequestContext, name: string): void {
  for (const [, id] of urlConfigs(ctx).list({ prefix: `${name}:` })) urlIndex(ctx.store).delete(id);
  urlConfigs(ctx).deletePrefix(`${name}:`);
}
