// Usage plan metering: each request an API key makes through a plan counts against the key's
// quota for the current period (DAY, WEEK or MONTH, in UTC; a week starts on Sunday) and into a
// per-day log that GetUsage reports as [used, remaining] pairs. The quota's offset is taken off
// the limit in the plan's first period. UpdateUsage grants more (or fewer) remaining requests.

import { operationsOf } from './patch.js';
import type * as AG from '@aws-sdk/client-api-gateway';
import type { Store } from '../../store/store.js';
import { paginate } from '../common/pagination.js';
import type { Handler, RequestContext } from '../types.js';
import { getKey, getPlan, type UsagePlanRecord } from './api-keys.js';
import { badRequest, notFound, scoped, type ApiLocation } from './state.js';

interface UsageRecord {
  /** Start of the quota period the count belongs to (ms since the epoch). */
  periodStart: number;
  used: number;
  /** By UTC day (YYYY-MM-DD): requests that day, and what remained of the quota at its last. */
  days: Record<string, [number, number]>;
}

const DAY_MS = 86_400_000;

export function periodStart(period: string | undefined, at: number): number {
  const d = new Date(at);
  const midnight = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  if (period === 'WEEK') return midnight - d.getUTCDay() * DAY_MS;
  if (period === 'MONTH') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  return midnight;
}

const dayOf = (at: number) => new Date(at).toISOString().slice(0, 10);

/** The quota's limit in the period that starts at `start`: the offset comes off in the plan's first one. */
function limitIn(plan: UsagePlanRecord, start: number): number | undefined {
  const quota = plan.quota;
  if (quota?.limit === undefined) return undefined;
  const first = plan.created !== undefined && periodStart(quota.period, plan.created) === start;
  return quota.limit - (first ? (quota.offset ?? 0) : 0);
}

function current(record: UsageRecord | undefined, plan: UsagePlanRecord, now: number): UsageRecord {
  const start = periodStart(plan.quota?.period, now);
  if (record && record.periodStart === start) return record;
  return { periodStart: start, used: 0, days: record?.days ?? {} };
}

const usageOf = (store: Store, location: ApiLocation) => scoped<UsageRecord>(store, location, 'usage');

/** Counts one request of the key through the plan; false (and nothing counted) when its quota is spent. */
export function consumeQuota(store: Store, location: ApiLocation, plan: UsagePlanRecord, keyId: string, now: number): boolean {
  const usage = usageOf(store, location);
  const key = `${plan.id}/${keyId}`;
  const record = current(usage.get(key), plan, now);
  const limit = limitIn(plan, record.periodStart);
  if (limit !== undefined && record.used >= limit) return false;
  record.used += 1;
  const day = dayOf(now);
  record.days[day] = [(record.days[day]?.[0] ?? 0) + 1, limit === undefined ? 0 : limit - record.used];
  usage.put(key, record);
  return true;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function parseDay(value: string | undefined, which: string): number {
  const at = value && DATE.test(value) ? Date.parse(`${value}T00:00:00Z`) : NaN;
  if (!Number.isFinite(at)) throw badRequest(`Invalid ${which} date specified: ${value}`);
  return at;
}

/** Each day's [used, remaining]: a day with no requests shows what remained when it began. */
function log(plan: UsagePlanRecord, record: UsageRecord | undefined, from: number, to: number): number[][] {
  const out: number[][] = [];
  let remaining: number | undefined;
  let period: number | undefined;
  for (let at = from; at <= to; at += DAY_MS) {
    const start = periodStart(plan.quota?.period, at);
    if (start !== period) {
      period = start;
      remaining = limitIn(plan, start) ?? 0;
    }
    const day = record?.days[dayOf(at)];
    if (day) remaining = day[1];
    out.push([day?.[0] ?? 0, remaining ?? 0]);
  }
  return out;
}

export const getUsage: Handler<AG.GetUsageRequest, AG.Usage> = (input, ctx) => {
  const plan = getPlan(ctx, input.usagePlanId!);
  const from = parseDay(input.startDate, 'start');
  const to = parseDay(input.endDate, 'end');
  if (to < from) throw badRequest('The end date must be after the start date');
  if (input.keyId !== undefined && !plan.keyIds.includes(input.keyId)) throw notFound('Invalid Key identifier specified');
  const usage = usageOf(ctx.store, { account: ctx.account, region: ctx.region });
  const keyIds = input.keyId !== undefined ? [input.keyId] : [...plan.keyIds].sort();
  const page = paginate(keyIds, (k) => k, input.limit ?? 25, input.position, () => badRequest('Invalid position parameter'));
  const items: Record<string, number[][]> = {};
  for (const keyId of page.items) items[keyId] = log(plan, usage.get(`${plan.id}/${keyId}`), from, to);
  return { usagePlanId: plan.id, startDate: input.startDate, endDate: input.endDate, items, position: page.nextToken };
};

/** Patch "replace /remaining": what the key may still make in the current period. */
export const updateUsage: Handler<AG.UpdateUsageRequest, AG.Usage> = (input, ctx: RequestContext) => {
  const plan = getPlan(ctx, input.usagePlanId!);
  getKey(ctx, input.keyId!);
  if (!plan.keyIds.includes(input.keyId!)) throw notFound('Invalid Key identifier specified');
  const now = ctx.clock.now();
  const usage = usageOf(ctx.store, { account: ctx.account, region: ctx.region });
  const key = `${plan.id}/${input.keyId}`;
  const record = current(usage.get(key), plan, now);
  const limit = limitIn(plan, record.periodStart);
  for (const operation of operationsOf(input.patchOperations)) {
    if (operation.path !== '/remaining') throw badRequest(`Invalid patch path ${operation.path ?? 'null'}`);
    if (operation.op !== 'replace') throw badRequest('Invalid patch operation specified. Must be one of: [replace]');
    const remaining = Number(operation.value);
    if (operation.value === undefined || !Number.isInteger(remaining) || remaining < 0) throw badRequest(`Invalid remaining quota value: ${operation.value ?? 'null'}`);
    if (limit === undefined) throw badRequest('Usage plan does not have a quota');
    record.used = limit - remaining;
    const day = dayOf(now);
    record.days[day] = [record.days[day]?.[0] ?? 0, remaining];
  }
  usage.put(key, record);
  const today = dayOf(now);
  return { usagePlanId: plan.id, startDate: today, endDate: today, items: { [input.keyId!]: [record.days[today] ?? [0, limit ?? 0]] } };
};
