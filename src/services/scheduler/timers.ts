// Schedules fire on Fogbank's clock. Each enabled schedule holds one clock timer for its next
// firing; when it fires, the target is invoked and the timer re-armed. A one-time at() schedule
// fires once, then is deleted (ActionAfterCompletion DELETE) or kept as completed. Timers live per
// store (one per Fogbank); after a restart Fogbank loads Scheduler at start when any schedule is
// stored (registry: resumeFrom) and re-arms every scope's timers (scheduler.resume).
// A FLEXIBLE time window moves each invocation into the window after its scheduled time: AWS picks
// a random moment there, Fogbank always the window's middle (deterministic, so tests can tell).
// The scheduled time the target sees (<aws.scheduler.scheduled-time>) stays the scheduled one.

import { keyedTimers } from '../common/keyed-timers.js';
import type { RequestContext } from '../types.js';
import { invokeTarget } from './deliver.js';
import { nextFiring, parseExpression } from './expression.js';
import { scheduleKey, schedules, type ScheduleRecord } from './state.js';

/** How far back a timer catches up on firings the clock jumped over. */
const CATCH_UP_MS = 24 * 60 * 60 * 1000;

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

/** Arms every stored schedule of the caller's account and region (at start, after a restart). */
export function armScope(ctx: RequestContext): void {
  for (const schedule of schedules(ctx).values()) {
    // A one-time schedule whose moment passed while Fogbank was stopped still fires once.
    const oneTime = schedule.scheduleExpression.startsWith('at(');
    armSchedule(ctx, schedule, oneTime ? schedule.lastModificationDate : ctx.clock.now());
  }
}

export function disarmSchedule(ctx: RequestContext, schedule: ScheduleRecord): void {
  keyedTimers(ctx.store, 'scheduler').cancel(timerKey(ctx, schedule));
}

/** (Re)arms a schedule's timer from its current record: nothing when disabled or finished. */
export function armSchedule(ctx: RequestContext, schedule: ScheduleRecord, after = ctx.clock.now()): void {
  disarmSchedule(ctx, schedule);
  if (schedule.state !== 'ENABLED' || schedule.completed) return;
  const due = dueAfter(schedule, after);
  if (due === undefined) return;
  const key = timerKey(ctx, schedule);
  const timers = keyedTimers(ctx.store, 'scheduler');
  timers.set(
    key,
    ctx.clock.at(due + flexibleDelay(schedule), () => {
      timers.fired(key);
      void fire(ctx, schedule.group, schedule.name, due);
    }),
  );
}

/** Where in its flexible window an invocation runs: the middle (0 when the window is OFF). */
export function flexibleDelay(schedule: ScheduleRecord): number {
  const window = schedule.flexibleTimeWindow;
  return window.Mode === 'FLEXIBLE' ? ((window.MaximumWindowInMinutes ?? 0) * 60_000) / 2 : 0;
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
