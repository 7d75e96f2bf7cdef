// What Lambda keeps: one record per function ($LATEST configuration, code blob, tags), keyed by
// name in the caller's account and region, and the ways a caller may name a function.

import type { Collection, Store } from '../../store/store.js';
import type { RequestContext } from '../types.js';
import { arn } from '../common/arn.js';
import { functionNotFound, invalidParameter, resourceNotFound } from './errors.js';

export interface FunctionRecord {
  name: string;
  runtime: string;
  role: string;
  handler: string;
  description: string;
  timeout: number;
  memorySize: number;
  environment?: Record<string, string>;
  layers: string[];
  /** CodeSize of each layer, as the configuration reports it. */
  layerSizes?: Record<string, number>;
  architectures: string[];
  ephemeralStorage: number;
  tracingMode: string;
  /** AWS's LastModified text: 2024-01-01T00:00:00.000+0000. */
  lastModified: string;
  revisionId: string;
  codeSha256: string;
  codeSize: number;
  /** Blob id of the deployment package ('' for hot-reload code). */
  codeBlob: string;
  /** Hot-reload code: the local folder the function runs from, read afresh. */
  hotReloadPath?: string;
  tags: Record<string, string>;
  loggingConfig: { LogFormat: string; LogGroup: string; ApplicationLogLevel?: string; SystemLogLevel?: string };
  reservedConcurrency?: number;
  /** DeadLetterConfig.TargetArn: where discarded asynchronous events go (async/queue.ts). */
  deadLetterTarget?: string;
  /** The last published version number (0 before any). */
  lastVersion?: number;
}

/**
 * Functions' records as Invoke last read them (it reads one on every call), per store, keyed by
 * account/region/name. Every write goes through functions() below, which drops the record it
 * touches (before writing, so a write rolled back leaves nothing stale either); a reset empties it.
 */
const invokeCache = new WeakMap<Store, Map<string, Readonly<FunctionRecord>>>();
const writers = new WeakMap<Collection<FunctionRecord>, Collection<FunctionRecord>>();

function cacheOf(store: Store): Map<string, Readonly<FunctionRecord>> {
  let cache = invokeCache.get(store);
  if (!cache) {
    const made = new Map<string, Readonly<FunctionRecord>>();
    store.onReset(() => made.clear());
    invokeCache.set(store, (cache = made));
  }
  return cache;
}

export function functions(ctx: RequestContext): Collection<FunctionRecord> {
  const stored = ctx.collection<FunctionRecord>('functions');
  let collection = writers.get(stored);
  if (!collection) {
    const cache = cacheOf(ctx.store);
    const scope = `${ctx.account}/${ctx.region}/`;
    collection = {
      ...stored,
      put: (key, value) => {
        cache.delete(scope + key);
        stored.put(key, value);
      },
      delete: (key) => {
        cache.delete(scope + key);
        return stored.delete(key);
      },
      deletePrefix: (prefix) => {
        cache.clear();
        return stored.deletePrefix(prefix);
      },
    };
    writers.set(stored, collection);
  }
  return collection;
}

export function functionArn(ctx: { account: string; region: string }, name: string, qualifier?: string): string {
  return arn({ service: 'lambda', region: ctx.region, account: ctx.account, resource: `function:${name}${qualifier ? `:${qualifier}` : ''}` });
}

export interface FunctionRef {
  name: string;
  qualifier?: string;
  /** The account an ARN names when it is not the caller's (only when the operation asked for it). */
  owner?: string;
}

const FULL_ARN = /^arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\d{12}):function:([a-zA-Z0-9-_]+)(?::(\$LATEST|[a-zA-Z0-9-_]+))?$/;
const PARTIAL_ARN = /^(\d{12}):function:([a-zA-Z0-9-_]+)(?::(\$LATEST|[a-zA-Z0-9-_]+))?$/;
const PLAIN = /^([a-zA-Z0-9-_]+)(?::(\$LATEST|[a-zA-Z0-9-_]+))?$/;

/**
 * Reads a FunctionName as AWS accepts it: a name, a partial ARN (account:function:name) or a full
 * ARN, each optionally with a qualifier. A name from another account or region is not found here,
 * unless the operation reaches other accounts (crossAccount: Invoke), which gets the ARN's account
 * as the ref's owner; another region is out of reach, as AWS says.
 */
export function parseFunctionName(ctx: RequestContext, text: string, qualifier?: string, crossAccount = false): FunctionRef {
  let name: string | undefined;
  let inName: string | undefined;
  let owner: string | undefined;
  let m = FULL_ARN.exec(text);
  if (m) {
    if (crossAccount && m[1] !== ctx.region) throw resourceNotFound(`Functions from '${m[1]}' are not reachable in this region ('${ctx.region}')`);
    if (m[1] !== ctx.region || (m[2] !== ctx.account && !crossAccount)) throw functionNotFound(text);
    if (m[2] !== ctx.account) owner = m[2];
    [name, inName] = [m[3], m[4]];
  } else if ((m = PARTIAL_ARN.exec(text))) {
    if (m[1] !== ctx.account && !crossAccount) throw functionNotFound(text);
    if (m[1] !== ctx.account) owner = m[1];
    [name, inName] = [m[2], m[3]];
  } else if ((m = PLAIN.exec(text))) {
    [name, inName] = [m[1], m[2]];
  } else {
    throw functionNotFound(functionArn(ctx, text));
  }
  if (inName !== undefined && qualifier !== undefined && inName !== qualifier) {
    throw invalidParameter('The derived qualifier from the function name does not match the specified qualifier.');
  }
  return owner ? { name: name!, qualifier: qualifier ?? inName, owner } : { name: name!, qualifier: qualifier ?? inName };
}

/** The function's record, or AWS's not-found error naming the ARN the caller meant. */
export function getFunction(ctx: RequestContext, ref: FunctionRef): FunctionRecord {
  const record = functions(ctx).get(ref.name);
  if (!record) throw functionNotFound(functionArn(ctx, ref.name, ref.qualifier));
  return record;
}

/**
 * getFunction for Invoke: the same record, kept between calls until it changes, and frozen (shared
 * by every invocation, so nothing may change it in place).
 */
export function functionToRun(ctx: RequestContext, ref: FunctionRef): Readonly<FunctionRecord> {
  const cache = cacheOf(ctx.store);
  const key = `${ctx.account}/${ctx.region}/${ref.name}`;
  let record = cache.get(key);
  if (!record) {
    record = deepFreeze(getFunction(ctx, ref));
    cache.set(key, record);
  }
  return record;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** AWS's LastModified format: ISO 8601 with milliseconds and a +0000 offset. */
export function lastModifiedText(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

/** A published version: an immutable copy of $LATEST's configuration and code at publish time. */
export interface VersionRecord extends FunctionRecord {
  version: string;
}

export function versions(ctx: RequestContext) {
  return ctx.collection<VersionRecord>('versions');
}

/** Versions sort numerically under their function. */
export function versionKey(name: string, version: string): string {
  return `${name}:${version.padStart(10, '0')}`;
}

export interface AliasRecord {
  name: string;
  functionName: string;
  functionVersion: string;
  description: string;
  weights?: Record<string, number>;
  revisionId: string;
}

export function aliases(ctx: RequestContext) {
  return ctx.collection<AliasRecord>('aliases');
}

export interface Target {
  /** The configuration to run or show. */
  config: FunctionRecord;
  /** '$LATEST' or the version number. */
  version: string;
  alias?: AliasRecord;
}

/** What a qualifier names: $LATEST (or nothing), a published version, or an alias (and its version). */
export function resolveQualifier(ctx: RequestContext, record: FunctionRecord, qualifier: string | undefined): Target {
  if (qualifier === undefined || qualifier === '$LATEST') return { config: record, version: '$LATEST' };
  const notFound = () => functionNotFound(functionArn(ctx, record.name, qualifier));
  if (/^\d+$/.test(qualifier)) {
    const version = versions(ctx).get(versionKey(record.name, qualifier));
    if (!version) throw notFound();
    return { config: version, version: qualifier };
  }
  const alias = aliases(ctx).get(`${record.name}:${qualifier}`);
  if (!alias) throw notFound();
  const target = resolveQualifier(ctx, record, alias.functionVersion);
  return { ...target, alias };
}
