// Schedule expressions as EventBridge reads them: rate(<n> <unit>) and AWS's six-field cron
// (minutes hours day-of-month month day-of-week year, in UTC) with ?, L, W and #. A small parser
// of AWS's own syntax: common cron libraries speak the five-field Unix form or Quartz's seconds
// field, neither of which is this one. Anything it cannot read is AWS's one error for schedules.

import { validation } from './state.js';

export type Schedule =
  | { kind: 'rate'; periodMs: number }
  | { kind: 'cron'; minutes: Set<number>; hours: Set<number>; months: Set<number>; years: Set<number>; day: (y: number, m: number, d: number) => boolean };

const INVALID = 'Parameter ScheduleExpression is not valid.';
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const UNIT_MS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

class Invalid extends Error {}

function bad(): never {
  throw new Invalid();
}

export function parseSchedule(expression: string): Schedule {
  try {
    const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
    if (rate) return parseRate(Number(rate[1]), rate[2]!);
    const cron = /^cron\(([^)]*)\)$/.exec(expression);
    if (cron) return parseCron(cron[1]!);
  } catch (error) {
    if (!(error instanceof Invalid)) throw error;
  }
  throw validation(INVALID);
}

function parseRate(value: number, unit: string): Schedule {
  // AWS wants the singular unit for 1 and the plural for anything larger.
  const plural = unit.endsWith('s');
  if (value < 1 || (value === 1) === plural) bad();
  return { kind: 'rate', periodMs: value * UNIT_MS[plural ? unit.slice(0, -1) : unit]! };
}

function number(text: string, min: number, max: number, names?: string[], nameBase = 0): number {
  const named = names?.indexOf(text.toUpperCase()) ?? -1;
  if (named >= 0) return named + nameBase;
  if (!/^\d+$/.test(text)) bad();
  const n = Number(text);
  if (n < min || n > max) bad();
  return n;
}

/** A field of values, ranges and steps: "*", "5", "1-5", "0/15", "*\/2", "MON-FRI", "1,3,5". */
function parseList(field: string, min: number, max: number, names?: string[], nameBase = 0): Set<number> {
  const out = new Set<number>();
  for (const part of field.split(',')) {
    const [range, stepText, extra] = part.split('/');
    if (extra !== undefined || range === undefined || range === '') bad();
    const step = stepText === undefined ? 1 : number(stepText, 1, max);
    let from: number;
    let to: number;
    if (range === '*') [from, to] = [min, max];
    else if (range.includes('-')) {
      const [a, b, more] = range.split('-');
      if (more !== undefined) bad();
      [from, to] = [number(a!, min, max, names, nameBase), number(b!, min, max, names, nameBase)];
      if (from > to) bad();
    } else {
      from = number(range, min, max, names, nameBase);
      to = stepText === undefined ? from : max;
    }
    for (let n = from; n <= to; n += step) out.add(n);
  }
  return out;
}

function daysIn(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function weekday(y: number, m: number, d: number): number {
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 1; // 1 = Sunday, as AWS counts
}

function dayOfMonthMatcher(field: string): (y: number, m: number, d: number) => boolean {
  if (field === 'L') return (y, m, d) => d === daysIn(y, m);
  if (field === 'LW') return (y, m, d) => d === nearestWeekday(y, m, daysIn(y, m));
  const w = /^(\d+)W$/.exec(field);
  if (w) {
    const target = number(w[1]!, 1, 31);
    return (y, m, d) => target <= daysIn(y, m) && d === nearestWeekday(y, m, target);
  }
  const days = parseList(field, 1, 31);
  return (_y, _m, d) => days.has(d);
}

/** The weekday nearest the given day, without leaving the month (the W of cron). */
function nearestWeekday(y: number, m: number, day: number): number {
  const dow = weekday(y, m, day);
  if (dow === 7) return day === 1 ? 3 : day - 1;
  if (dow === 1) return day === daysIn(y, m) ? day - 2 : day + 1;
  return day;
}

function dayOfWeekMatcher(field: string): (y: number, m: number, d: number) => boolean {
  if (field === 'L') return (y, m, d) => weekday(y, m, d) === 7;
  const last = /^([^L#]+)L$/.exec(field);
  if (last) {
    const dow = number(last[1]!, 1, 7, DAYS, 1);
    return (y, m, d) => weekday(y, m, d) === dow && d + 7 > daysIn(y, m);
  }
  const nth = /^([^#]+)#(\d)$/.exec(field);
  if (nth) {
    const dow = number(nth[1]!, 1, 7, DAYS, 1);
    const n = number(nth[2]!, 1, 5);
    return (y, m, d) => weekday(y, m, d) === dow && Math.ceil(d / 7) === n;
  }
  const days = parseList(field, 1, 7, DAYS, 1);
  return (y, m, d) => days.has(weekday(y, m, d));
}

function parseCron(body: string): Schedule {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6) bad();
  const [min, hour, dom, month, dow, year] = fields as [string, string, string, string, string, string];
  // Exactly one of day-of-month and day-of-week is '?'.
  if ((dom === '?') === (dow === '?')) bad();
  const day = dom === '?' ? dayOfWeekMatcher(dow) : dayOfMonthMatcher(dom);
  return {
    kind: 'cron',
    minutes: parseList(min, 0, 59),
    hours: parseList(hour, 0, 23),
    months: parseList(month, 1, 12, MONTHS, 1),
    years: parseList(year, 1970, 2199),
    day,
  };
}

/** The first firing strictly after `after` (ms); for rates, counted in whole periods from `anchor`. */
export function nextFiring(schedule: Schedule, after: number, anchor: number): number | undefined {
  if (schedule.kind === 'rate') {
    const periods = Math.floor((after - anchor) / schedule.periodMs) + 1;
    return anchor + Math.max(1, periods) * schedule.periodMs;
  }
  const start = new Date(Math.floor(after / 60_000) * 60_000 + 60_000);
  const sorted = (s: Set<number>) => [...s].sort((a, b) => a - b);
  const [years, months, hours, minutes] = [sorted(schedule.years), sorted(schedule.months), sorted(schedule.hours), sorted(schedule.minutes)];
  const startYear = start.getUTCFullYear();
  for (const y of years) {
    if (y < startYear) continue;
    for (const m of months) {
      if (y === startYear && m < start.getUTCMonth() + 1) continue;
      for (let d = 1; d <= daysIn(y, m); d++) {
        if (!schedule.day(y, m, d)) continue;
        for (const h of hours) {
          for (const mi of minutes) {
            const t = Date.UTC(y, m - 1, d, h, mi);
            if (t >= start.getTime()) return t;
          }
        }
      }
    }
  }
  return undefined;
}
