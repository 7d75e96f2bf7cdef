// Scheduled rules fire on Fogbank's clock. Each enabled rule with a ScheduleExpression holds one
// clock timer for its next firing; when it fires, the rule's targets receive the "Scheduled
// Event" envelope and the timer is re-armed for the following firing. Timers live per store (one
// per Fogbank); rules are in the store, so after a restart Fogbank loads EventBridge at start when
// any rule is stored (registry: resumeFrom) and re-arms every scope's timers (events.resume).

import { randomUUID } from 'node:crypto';
import { keyedTimers } from '../common/keyed-timers.js';
import type { RequestContext } from '../types.js';
import { deliverToTargets } from './deliver.js';
import { nextFiring, parseSchedule } from './schedule.js';
import { ruleKey, rules, type RuleRecord } from './state.js';

/** How far back a timer catches up on firings the clock jumped over. */
const CATCH_UP_MS = 24 * 60 * 60 * 1000;

function timerKey(ctx: RequestContext, rule: RuleRecord): string {
  return `${ctx.account}/${ctx.region}/${ruleKey(rule.bus, rule.name)}`;
}

/** Arms every stored scheduled rule of the caller's account and region (at start, after a restart). */
export function armScope(ctx: RequestContext): void {
  for (const rule of rules(ctx).values()) if (rule.scheduleExpression) armRule(ctx, rule);
}

export function disarmRule(ctx: RequestContext, rule: RuleRecord): void {
  keyedTimers(ctx.store, 'events').cancel(timerKey(ctx, rule));
}

/** (Re)arms a rule's timer from its current record: nothing when disabled or not scheduled. */
export function armRule(ctx: RequestContext, rule: RuleRecord, after = ctx.clock.now()): void {
  disarmRule(ctx, rule);
  if (!rule.scheduleExpression || rule.state !== 'ENABLED') return;
  const due = nextFiring(parseSchedule(rule.scheduleExpression), after, rule.scheduleAnchor ?? after);
  if (due === undefined) return;
  const key = timerKey(ctx, rule);
  const timers = keyedTimers(ctx.store, 'events');
  timers.set(
    key,
    ctx.clock.at(due, () => {
      timers.fired(key);
      void fire(ctx, rule.bus, rule.name, due);
    }),
  );
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
