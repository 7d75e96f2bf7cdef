// Scheduler's schedule expressions: at(yyyy-mm-ddThh:mm:ss) for one-time schedules, rate() and
// cron() for recurring ones, read in the schedule's IANA time zone. cron() is EventBridge's
// six-field syntax, so its parser is reused; Scheduler's rate() also takes "rate(2 minute)"
// (AWS accepts the unit's number loosely here, unlike EventBridge rules).

import { nextFiring as nextCronFiring, parseSchedule, type Schedule } from '../events/schedule.js';
import { validation } from './state.js';

export type Expression = { kind: 'at'; wallMs: number } | { kind: 'rate'; periodMs: number } | { kind: 'cron'; schedule: Schedule };

const UNIT_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

export function parseExpression(expression: string): Expression {
  const invalid = () => validation(`Invalid Schedule Expression ${expression}.`);
  const at = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/.exec(expression);
  if (at) {
    const [y, mo, d, h, mi, s] = at.slice(1).map(Number) as [number, number, number, number, number, number];
    const wallMs = Date.UTC(y, mo - 1, d, h, mi, s);
    const back = new Date(wallMs);
    // Date.UTC rolls 2025-02-30 over into March: a date that does not exist is invalid.
    if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) throw invalid();
    return { kind: 'at', wallMs };
  }
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (rate) {
    const value = Number(rate[1]);
    if (value < 1) throw invalid();
    return { kind: 'rate', periodMs: value * UNIT_MS[rate[2]!.replace(/s$/, '')]! };
  }
  if (/^cron\(.*\)$/.test(expression)) {
    try {
      return { kind: 'cron', schedule: parseSchedule(expression) };
    } catch {
      throw invalid();
    }
  }
  throw invalid();
}

/** Whether Node's Intl knows the IANA zone name. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at the instant utcMs, in ms (wall clock = UTC + offset). */
function offsetAt(zone: string, utcMs: number): number {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(zone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(utcMs)).map((p) => [p.type, p.value]));
  const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return wall - Math.floor(utcMs / 1000) * 1000;
}

/** The UTC instant a wall-clock time in the zone names (the later one in a DST overlap is not chosen). */
export function wallToUtc(zone: string, wallMs: number): number {
  const guess = wallMs - offsetAt(zone, wallMs);
  return wallMs - offsetAt(zone, guess);
}

/**
 * The first firing strictly after `after` (UTC ms). Rates count whole periods from `anchor`; cron
 * fields and at() are wall-clock times in the zone.
 */
export function nextFiring(expression: Expression, zone: string, after: number, anchor: number): number | undefined {
  if (expression.kind === 'rate') {
    const periods = Math.floor((after - anchor) / expression.periodMs) + 1;
    return anchor + Math.max(1, periods) * expression.periodMs;
  }
  if (expression.kind === 'at') {
    const due = wallToUtc(zone, expression.wallMs);
    return due > after ? due : undefined;
  }
  let wallAfter = after + offsetAt(zone, after);
  // A few tries cover wall times that a DST change skips or repeats.
  for (let i = 0; i < 4; i++) {
    const wall = nextCronFiring(expression.schedule, wallAfter, wallAfter);
    if (wall === undefined) return undefined;
    const due = wallToUtc(zone, wall);
    if (due > after) return due;
    wallAfter = wall;
  }
  return undefined;
}
