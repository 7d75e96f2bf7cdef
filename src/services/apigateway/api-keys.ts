// API keys and usage plans: a method with apiKeyRequired answers only requests whose x-api-key is
// an enabled key attached to a usage plan that covers the API's stage; invoke/throttling.ts then
// applies the plan's throttle and quota (usage.ts meters it). Update* take AWS's patch paths.

import { randomBytes } from 'node:crypto';
import type * as AG from '@aws-sdk/client-api-gateway';
import type { Store } from '../../store/store.js';
import { paginate } from '../common/pagination.js';
import type { Handler, RequestContext } from '../types.js';
import { applyPatch, listingErrors, plainErrors, type PatchSpec, operationsOf } from './patch.js';
import { badRequest, conflict, newId, notFound, scoped, stages, type ApiLocation } from './state.js';

export interface ApiKeyRecord {
  id: string;
  value: string;
  name?: string;
  description?: string;
  customerId?: string;
  enabled: boolean;
  tags?: Record<string, string>;
  created: number;
  updated: number;
}

export interface UsagePlanRecord {
  id: string;
  name: string;
  description?: string;
  apiStages: AG.ApiStage[];
  throttle?: AG.ThrottleSettings;
  quota?: AG.QuotaSettings;
  productCode?: string;
  tags?: Record<string, string>;
  /** Ids of the API keys attached to the plan. */
  keyIds: string[];
  /** When the plan was made: its quota's offset applies to the period that holds this instant. */
  created?: number;
}

const apiKeys = (ctx: RequestContext) => ctx.collection<ApiKeyRecord>('api-keys');
const usagePlans = (ctx: RequestContext) => ctx.collection<UsagePlanRecord>('usage-plans');

function keyView(key: ApiKeyRecord, includeValue: boolean): AG.ApiKey {
  return {
    id: key.id,
    value: includeValue ? key.value : undefined,
    name: key.name,
    customerId: key.customerId,
    description: key.description,
    enabled: key.enabled,
    createdDate: new Date(key.created),
    lastUpdatedDate: new Date(key.updated),
    stageKeys: [],
    tags: key.tags,
  };
}

const planView = (plan: UsagePlanRecord): AG.UsagePlan => ({
  id: plan.id,
  name: plan.name,
  description: plan.description,
  apiStages: plan.apiStages,
  throttle: plan.throttle,
  quota: plan.quota,
  productCode: plan.productCode,
  tags: plan.tags,
});

const KEY_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A generated key value, as AWS's: 40 alphanumerics. */
function generatedKeyValue(): string {
  return [...randomBytes(40)].map((b) => KEY_CHARS[b % KEY_CHARS.length]).join('');
}

export function getKey(ctx: RequestContext, id: string): ApiKeyRecord {
  const key = apiKeys(ctx).get(id);
  if (!key) throw notFound('Invalid API Key identifier specified');
  return key;
}

export function getPlan(ctx: RequestContext, id: string): UsagePlanRecord {
  const plan = usagePlans(ctx).get(id);
  if (!plan) throw notFound('Invalid Usage Plan ID specified');
  return plan;
}

export const createApiKey: Handler<AG.CreateApiKeyRequest, AG.ApiKey> = (input, ctx) => {
  const value = input.value ?? generatedKeyValue();
  if (apiKeys(ctx).values().some((k) => k.value === value)) throw conflict('API Key already exists');
  const now = ctx.clock.now();
  const key: ApiKeyRecord = { id: newId(), value, name: input.name, description: input.description, customerId: input.customerId, enabled: input.enabled ?? false, tags: input.tags, created: now, updated: now };
  apiKeys(ctx).put(key.id, key);
  return keyView(key, true);
};

export const getApiKey: Handler<AG.GetApiKeyRequest, AG.ApiKey> = (input, ctx) => keyView(getKey(ctx, input.apiKey!), input.includeValue ?? false);

export const getApiKeys: Handler<AG.GetApiKeysRequest, AG.ApiKeys> = (input, ctx) => {
  const all = apiKeys(ctx).values().filter((k) => (!input.nameQuery || k.name?.startsWith(input.nameQuery)) && (!input.customerId || k.customerId === input.customerId));
  const page = paginate(all, (k) => k.id, input.limit ?? 25, input.position, () => badRequest('Invalid position parameter'));
  return { items: page.items.map((k) => keyView(k, input.includeValues ?? false)), position: page.nextToken };
};

export const deleteApiKey: Handler<AG.DeleteApiKeyRequest, Record<string, never>> = (input, ctx) => {
  const key = getKey(ctx, input.apiKey!);
  ctx.store.transaction(() => {
    for (const plan of usagePlans(ctx).values()) {
      if (plan.keyIds.includes(key.id)) usagePlans(ctx).put(plan.id, { ...plan, keyIds: plan.keyIds.filter((k) => k !== key.id) });
    }
    apiKeys(ctx).delete(key.id);
  });
  return {};
};

export const createUsagePlan: Handler<AG.CreateUsagePlanRequest, AG.UsagePlan> = (input, ctx) => {
  for (const s of input.apiStages ?? []) {
    if (!stages(ctx).has(`${s.apiId}/${s.stage}`)) throw notFound(`API Stage not found: ${s.apiId}:${s.stage}`);
  }
  const plan: UsagePlanRecord = { id: newId(6), name: input.name!, description: input.description, apiStages: input.apiStages ?? [], throttle: input.throttle, quota: input.quota, tags: input.tags, keyIds: [], created: ctx.clock.now() };
  usagePlans(ctx).put(plan.id, plan);
  return planView(plan);
};

export const getUsagePlan: Handler<AG.GetUsagePlanRequest, AG.UsagePlan> = (input, ctx) => planView(getPlan(ctx, input.usagePlanId!));

export const getUsagePlans: Handler<AG.GetUsagePlansRequest, AG.UsagePlans> = (input, ctx) => {
  const all = usagePlans(ctx).values().filter((p) => !input.keyId || p.keyIds.includes(input.keyId));
  const page = paginate(all, (p) => p.id, input.limit ?? 25, input.position, () => badRequest('Invalid position parameter'));
  return { items: page.items.map(planView), position: page.nextToken };
};

export const deleteUsagePlan: Handler<AG.DeleteUsagePlanRequest, Record<string, never>> = (input, ctx) => {
  const plan = getPlan(ctx, input.usagePlanId!);
  ctx.store.transaction(() => {
    usagePlans(ctx).delete(plan.id);
    // Its metering (usage.ts) goes with it.
    ctx.collection('usage').deletePrefix(`${plan.id}/`);
  });
  return {};
};

const planKeyView = (key: ApiKeyRecord): AG.UsagePlanKey => ({ id: key.id, type: 'API_KEY', value: key.value, name: key.name });

export const createUsagePlanKey: Handler<AG.CreateUsagePlanKeyRequest, AG.UsagePlanKey> = (input, ctx) => {
  const plan = getPlan(ctx, input.usagePlanId!);
  if (input.keyType !== 'API_KEY') throw badRequest('Invalid key type specified');
  const key = getKey(ctx, input.keyId!);
  if (!plan.keyIds.includes(key.id)) usagePlans(ctx).put(plan.id, { ...plan, keyIds: [...plan.keyIds, key.id] });
  return planKeyView(key);
};

export const getUsagePlanKeys: Handler<AG.GetUsagePlanKeysRequest, AG.UsagePlanKeys> = (input, ctx) => {
  const plan = getPlan(ctx, input.usagePlanId!);
  const keys = plan.keyIds.map((id) => apiKeys(ctx).get(id)).filter((k): k is ApiKeyRecord => !!k && (!input.nameQuery || !!k.name?.startsWith(input.nameQuery)));
  const page = paginate(keys, (k) => k.id, input.limit ?? 25, input.position, () => badRequest('Invalid position parameter'));
  return { items: page.items.map(planKeyView), position: page.nextToken };
};

export const deleteUsagePlanKey: Handler<AG.DeleteUsagePlanKeyRequest, Record<string, never>> = (input, ctx) => {
  const plan = getPlan(ctx, input.usagePlanId!);
  if (!plan.keyIds.includes(input.keyId!)) throw notFound('Invalid API Key identifier specified');
  usagePlans(ctx).put(plan.id, { ...plan, keyIds: plan.keyIds.filter((k) => k !== input.keyId) });
  return {};
};

/** The enabled key with this value and the usage plan through which it opens the API's stage, if any. */
export function planForKey(store: Store, location: ApiLocation, apiId: string, stage: string, value: string | undefined): { key: ApiKeyRecord; plan: UsagePlanRecord } | undefined {
  if (!value) return undefined;
  const key = scoped<ApiKeyRecord>(store, location, 'api-keys').values().find((k) => k.value === value);
  if (!key?.enabled) return undefined;
  const plan = scoped<UsagePlanRecord>(store, location, 'usage-plans')
    .values()
    .find((p) => p.keyIds.includes(key.id) && p.apiStages.some((s) => s.apiId === apiId && s.stage === stage));
  return plan && { key, plan };
}

const API_KEY_PATCH = {
  rules: [
    { path: '/description', ops: ['replace' as const] },
    { path: '/enabled', ops: ['replace' as const], kind: 'boolean' as const },
    { path: '/name', ops: ['replace' as const] },
    { path: '/customerId', ops: ['replace' as const] },
  ],
  ...listingErrors(['/description', '/enabled', '/name', '/customerId']),
};

export const updateApiKey: Handler<AG.UpdateApiKeyRequest, AG.ApiKey> = (input, ctx) => {
  const key = getKey(ctx, input.apiKey!);
  const updated = { ...applyPatch(key, input.patchOperations, API_KEY_PATCH), updated: ctx.clock.now() };
  apiKeys(ctx).put(key.id, updated);
  return keyView(updated, false);
};

const USAGE_PLAN_PATCH: PatchSpec = {
  rules: [
    { path: '/name', ops: ['replace'] },
    { path: '/description', ops: ['replace'] },
    { path: '/productCode', ops: ['replace'] },
    { path: '/throttle', ops: ['remove'] },
    { path: '/throttle/burstLimit', ops: ['replace'], kind: 'integer' },
    { path: '/throttle/rateLimit', ops: ['replace'], kind: 'number' },
    { path: '/quota', ops: ['remove'] },
    { path: '/quota/limit', ops: ['replace'], kind: 'integer' },
    { path: '/quota/offset', ops: ['replace'], kind: 'integer' },
    { path: '/quota/period', ops: ['replace'] },
  ],
  ...plainErrors,
};

/** /apiStages takes "apiId:stage" values: add checks the stage exists, remove that the plan has it. */
function patchApiStages(ctx: RequestContext, plan: UsagePlanRecord, op: string, value: string | undefined): void {
  const [apiId, stage, extra] = (value ?? '').split(':');
  if (!apiId || !stage || extra !== undefined) throw badRequest('Invalid API Stage specified');
  const invalid = () => notFound(`Invalid API Stage {api: ${apiId}, stage: ${stage}} specified for usageplan ${plan.id}`);
  if (op === 'add') {
    if (!stages(ctx).has(`${apiId}/${stage}`)) throw invalid();
    if (!plan.apiStages.some((s) => s.apiId === apiId && s.stage === stage)) plan.apiStages = [...plan.apiStages, { apiId, stage }];
  } else if (op === 'remove') {
    if (!plan.apiStages.some((s) => s.apiId === apiId && s.stage === stage)) throw invalid();
    plan.apiStages = plan.apiStages.filter((s) => !(s.apiId === apiId && s.stage === stage));
  } else {
    throw badRequest(`Invalid patch operation specified. Must be one of: [add, remove]`);
  }
}

export const updateUsagePlan: Handler<AG.UpdateUsagePlanRequest, AG.UsagePlan> = (input, ctx) => {
  const plan = structuredClone(getPlan(ctx, input.usagePlanId!));
  const rest = operationsOf(input.patchOperations).filter((o) => {
    if (o.path !== '/apiStages') return true;
    patchApiStages(ctx, plan, o.op ?? '', o.value);
    return false;
  });
  const updated = applyPatch(plan, rest, USAGE_PLAN_PATCH);
  const period = updated.quota?.period;
  if (period !== undefined && !['DAY', 'WEEK', 'MONTH'].includes(period)) throw badRequest(`Invalid quota period specified: ${period}`);
  usagePlans(ctx).put(plan.id, updated);
  return planView(updated);
};
