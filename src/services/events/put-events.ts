// PutEvents: each entry becomes an event envelope, is matched against every enabled rule with a
// pattern and targets on its bus, and is delivered to those rules' targets before the call answers (so a test
// that publishes and then reads the queue sees the message). Entries fail one by one with AWS's
// per-entry codes; only the request-wide size limit fails the whole call. Events are then kept in
// the bus's archives (archives.ts). Also TestEventPattern.

import { randomUUID } from 'node:crypto';
import type * as EB from '@aws-sdk/client-eventbridge';
import type { CompiledPattern } from '../common/patterns/index.js';
import type { Handler, RequestContext } from '../types.js';
import { isArchiveRule } from './archive-rule.js';
import { archiveEvents } from './archives.js';
import { deliverAll, deliveriesFor, type Delivery } from './deliver.js';
import type { EventEnvelope } from './input.js';
import { patternOf } from './rules.js';
import { busNameOf, findBus, routingCache, ruleKey, rules, validation, type RuleRecord } from './state.js';

const MAX_REQUEST_BYTES = 256 * 1024;

/** AWS's entry size: Time counts 14 bytes, then the UTF-8 bytes of each text field. */
function entrySize(entry: EB.PutEventsRequestEntry): number {
  let size = entry.Time ? 14 : 0;
  for (const text of [entry.Source, entry.DetailType, entry.Detail, ...(entry.Resources ?? [])]) if (text) size += Buffer.byteLength(text, 'utf8');
  return size;
}

/** EventBridge's timestamps: ISO 8601 to the second. */
export function eventTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function invalidArgument(field: string): EB.PutEventsResultEntry {
  return { ErrorCode: 'InvalidArgument', ErrorMessage: `Parameter ${field} is not valid. Reason: ${field} is a required argument.` };
}

function checkEntry(entry: EB.PutEventsRequestEntry): EB.PutEventsResultEntry | { detail: unknown } {
  if (!entry.Source) return invalidArgument('Source');
  if (!entry.DetailType) return invalidArgument('DetailType');
  if (!entry.Detail) return invalidArgument('Detail');
  let detail: unknown;
  try {
    detail = JSON.parse(entry.Detail);
  } catch {
    detail = undefined;
  }
  if (detail === null || typeof detail !== 'object' || Array.isArray(detail)) return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
  return { detail };
}

interface Routable {
  rule: RuleRecord;
  pattern: CompiledPattern;
}

/** The bus's rules that can receive events (enabled, with a pattern and targets), compiled; cached until a rule changes. */
function routableRules(ctx: RequestContext, bus: string): Routable[] {
  const cache = routingCache<Routable[]>(ctx);
  let routable = cache.get(bus);
  if (!routable) {
    routable = rules(ctx)
      .values({ prefix: ruleKey(bus, '') })
      .filter((rule) => rule.state === 'ENABLED' && rule.eventPattern !== undefined && rule.targets.length > 0 && !isArchiveRule(rule))
      .map((rule) => ({ rule, pattern: patternOf(rule.eventPattern!) }));
    cache.set(bus, routable);
  }
  return routable;
}

export const putEvents: Handler<EB.PutEventsRequest, EB.PutEventsResponse> = async (input, ctx) => {
  const entries = input.Entries!;
  if (entries.reduce((sum, e) => sum + entrySize(e), 0) > MAX_REQUEST_BYTES) {
    throw validation('Total size of the entries in the request is over the limit.');
  }
  const results: EB.PutEventsResultEntry[] = [];
  const accepted: Array<{ bus: string; event: EventEnvelope }> = [];
  const ingested = new Date(ctx.clock.now()).toISOString();
  for (const entry of entries) {
    const checked = checkEntry(entry);
    if (!('detail' in checked)) {
      results.push(checked);
      continue;
    }
    const id = randomUUID();
    results.push({ EventId: id });
    // An event for a bus that does not exist is accepted and goes nowhere, as in AWS.
    const busName = busNameOf(entry.EventBusName);
    if (!findBus(ctx, busName)) continue;
    accepted.push({
      bus: busName,
      event: {
        version: '0',
        id,
        'detail-type': entry.DetailType,
        source: entry.Source,
        account: ctx.account,
        time: eventTime(entry.Time ? entry.Time.getTime() : ctx.clock.now()),
        region: ctx.region,
        resources: entry.Resources ?? [],
        detail: checked.detail,
      },
    });
  }
  // Each bus's rules are read once per request, then every event is matched against them.
  const byBus = new Map<string, Routable[]>();
  const deliveries: Delivery[] = [];
  for (const { bus, event } of accepted) {
    let candidates = byBus.get(bus);
    if (!candidates) byBus.set(bus, (candidates = routableRules(ctx, bus)));
    deliveries.push(...matching(candidates, event, ingested));
  }
  await deliverAll(ctx, deliveries);
  for (const bus of byBus.keys()) archiveEvents(ctx, bus, accepted.filter((a) => a.bus === bus), ctx.clock.now());
  return { FailedEntryCount: results.filter((r) => r.ErrorCode).length, Entries: results };
};

function matching(candidates: Routable[], event: EventEnvelope, ingested: string): Delivery[] {
  const out: Delivery[] = [];
  for (const { rule, pattern } of candidates) if (pattern.matches(event)) out.push(...deliveriesFor(rule, event, ingested));
  return out;
}

/** Sends one event (a replayed one) through the bus's rules, or only those whose ARNs are given. */
export async function routeEvent(ctx: RequestContext, bus: string, event: EventEnvelope, ingested: string, onlyRules?: Set<string>): Promise<void> {
  const candidates = routableRules(ctx, bus).filter(({ rule }) => !onlyRules || onlyRules.has(rule.arn));
  await deliverAll(ctx, matching(candidates, event, ingested));
}

const REQUIRED_EVENT_FIELDS = ['id', 'account', 'source', 'time', 'region', 'detail-type'];

export const testEventPattern: Handler<EB.TestEventPatternRequest, EB.TestEventPatternResponse> = (input) => {
  const pattern = patternOf(input.EventPattern!);
  let event: unknown;
  try {
    event = JSON.parse(input.Event!);
  } catch {
    throw validation('Parameter Event is not valid.');
  }
  if (event === null || typeof event !== 'object' || Array.isArray(event) || REQUIRED_EVENT_FIELDS.some((f) => !(f in (event as object)))) {
    throw validation('Parameter Event is not valid.');
  }
  return { Result: pattern.matches(event) };
};
