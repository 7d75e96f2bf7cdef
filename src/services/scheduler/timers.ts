// Schedules fire on Fogbank's clock. Each enabled schedule holds one clock timer for its next
// firing; when it fires, the target is invoked and the timer re-armed. A one-time at() schedule
// fires once, then is deleted (ActionAfterCompletion DELETE) or kept as completed. Timers live per
// store (one per Fogbank); after a restart Fogbank loads Scheduler at start when any schedule is
// stored (registry: resumeFrom) and re-arms every scope's timers (scheduler.resume).

import type { Timer } from '../../clock.js';
import type { Store } from '../../store/store.js';
import type { RequestContext } from '../types.js';
import { invokeTarget } from './deliver.js';
import { nextFiring, parseExpression } from './expression.js';
import { scheduleKey, schedules, type ScheduleRecord } from './state.js';

/** How far back a timer catches up on firings the clock jumped over. */
const CATCH_UP_MS = 24 * 60 * 60 * 1000;

interface StoreTimers {
  timers: Map<string, Timer>;
  armedScopes: Set<string>;
}

const byStore = new WeakMap<Store, StoreTimers>();

function timersOf(store: Store): StoreTimers {
  let entry = byStore.get(store);
  if (!entry) byStore.set(store, (entry = { timers: new Map(), armedScopes: new Set() }));
  return entry;
}

function timerKey(ctx: RequestContext, schedule: ScheduleRecord): string {
  return `${ctx.account}/${ctx.region}/${scheduleKey(schedule.group, schedule.name)}`;
}

/** The schedule's first firing after `after`, inside its StartDate and EndDate. */
export function dueAfter(schedule: ScheduleRecord, after: number): number | undefined {
  const expression = parseExpression(schedule.scheduleExpression);
  const from = schedule.startDate === undefined ? after : Math.max(after, schedule.startDate - 1);
  const due = nextFiring(expression, schedule.timezone, from, schedule.startDate ?? schedule.lastModificationDate);
  if (due === undefined || (schedule.endDate !== undefined && due > schedule.endDate)) return undefined;
  return due;
}

/** Arms every stored schedule of the caller's account and region, once per process. */
export function armScope(ctx: RequestContext): void {
  const entry = timersOf(ctx.store);
  const scope = `${ctx.account}/${ctx.region}`;
  if (entry.armedScopes.has(scope)) return;
  entry.armedScopes.add(scope);
  for (const schedule of schedules(ctx).values()) {
    // A one-time schedule whose moment passed while Fogbank was stopped still fires once.
    const oneTime = schedule.scheduleExpression.startsWith('at(');
    armSchedule(ctx, schedule, oneTime ? schedule.lastModificationDate : ctx.clock.now());
  }
}

export function disarmSchedule(ctx: RequestContext, schedule: ScheduleRecord): void {
  const entry = timersOf(ctx.store);
  const key = timerKey(ctx, schedule);
  entry.timers.get(key)?.cancel();
  entry.timers.delete(key);
}

/** (Re)arms a schedule's timer from its current record: nothing when disabled or finished. */
export function armSchedule(ctx: RequestContext, schedule: ScheduleRecord, after = ctx.clock.now()): void {
  disarmSchedule(ctx, schedule);
  if (schedule.state !== 'ENABLED' || schedule.completed) return;
  const due = dueAfter(schedule, after);
  if (due === undefined) return;
  const key = timerKey(ctx, schedule);
  const timer = ctx.clock.at(due, () => {
    timersOf(ctx.store).timers.delete(key);
    void fire(ctx, schedule.group, schedule.name, due);
  });
  timersOf(ctx.store).timers.set(key, timer);
}

async function fire(ctx: RequestContext, group: string, name: string, due: number): Promise<void> {
  const key = scheduleKey(group, name);
  const schedule = schedules(ctx).get(key);
  if (!schedule || schedule.state !== 'ENABLED' || schedule.completed) return;
  const oneTime = schedule.scheduleExpression.startsWith('at(');
  const after = Math.max(due, ctx.clock.now() - CATCH_UP_MS);
  const following = oneTime ? undefined : dueAfter(schedule, after);
  if (following !== undefined) armSchedule(ctx, schedule, after);
  // The last invocation completes the schedule: deleted, or (one-time) kept and never fired again.
  else if (schedule.actionAfterCompletion === 'DELETE') schedules(ctx).delete(key);
  else if (oneTime) schedules(ctx).put(key, { ...schedule, completed: true });
  await invokeTarget(ctx, schedule, due);
}
