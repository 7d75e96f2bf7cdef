// Scheduled rules fire on Fogbank's clock. Each enabled rule with a ScheduleExpression holds one
// clock timer for its next firing; when it fires, the rule's targets receive the "Scheduled
// Event" envelope and the timer is re-armed for the following firing. Timers live per store (one
// per Fogbank); rules are in the store, so after a restart Fogbank loads EventBridge at start when
// any rule is stored (registry: resumeFrom) and re-arms every scope's timers (events.resume).

import { randomUUID } from 'node:crypto';
import type { Timer } from '../../clock.js';
import type { Store } from '../../store/store.js';
import type { RequestContext } from '../types.js';
import { deliverToTargets } from './deliver.js';
import { nextFiring, parseSchedule } from './schedule.js';
import { ruleKey, rules, type RuleRecord } from './state.js';

/** How far back a timer catches up on firings the clock jumped over. */
const CATCH_UP_MS = 24 * 60 * 60 * 1000;

interface StoreTimers {
  timers: Map<string, Timer>;
  /** account/region scopes whose stored rules have been armed since this process started. */
  armedScopes: Set<string>;
}

const byStore = new WeakMap<Store, StoreTimers>();

function timersOf(store: Store): StoreTimers {
  let entry = byStore.get(store);
  if (!entry) byStore.set(store, (entry = { timers: new Map(), armedScopes: new Set() }));
  return entry;
}

function timerKey(ctx: RequestContext, rule: RuleRecord): string {
  return `${ctx.account}/${ctx.region}/${ruleKey(rule.bus, rule.name)}`;
}

/** Arms every stored scheduled rule of the caller's account and region, once per process. */
export function armScope(ctx: RequestContext): void {
  const entry = timersOf(ctx.store);
  const scope = `${ctx.account}/${ctx.region}`;
  if (entry.armedScopes.has(scope)) return;
  entry.armedScopes.add(scope);
  for (const rule of rules(ctx).values()) if (rule.scheduleExpression) armRule(ctx, rule);
}

export function disarmRule(ctx: RequestContext, rule: RuleRecord): void {
  const entry = timersOf(ctx.store);
  const key = timerKey(ctx, rule);
  entry.timers.get(key)?.cancel();
  entry.timers.delete(key);
}

/** (Re)arms a rule's timer from its current record: nothing when disabled or not scheduled. */
export function armRule(ctx: RequestContext, rule: RuleRecord, after = ctx.clock.now()): void {
  disarmRule(ctx, rule);
  if (!rule.scheduleExpression || rule.state !== 'ENABLED') return;
  const due = nextFiring(parseSchedule(rule.scheduleExpression), after, rule.scheduleAnchor ?? after);
  if (due === undefined) return;
  const key = timerKey(ctx, rule);
  const timer = ctx.clock.at(due, () => {
    timersOf(ctx.store).timers.delete(key);
    void fire(ctx, rule.bus, rule.name, due);
  });
  timersOf(ctx.store).timers.set(key, timer);
}

async function fire(ctx: RequestContext, bus: string, name: string, due: number): Promise<void> {
  const rule = rules(ctx).get(ruleKey(bus, name));
  if (!rule?.scheduleExpression || rule.state !== 'ENABLED') return;
  armRule(ctx, rule, Math.max(due, ctx.clock.now() - CATCH_UP_MS));
  const time = new Date(due).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const event = {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: ctx.account,
    time,
    region: ctx.region,
    resources: [rule.arn],
    detail: {},
  };
  await deliverToTargets(ctx, rule, event, new Date(ctx.clock.now()).toISOString());
}
