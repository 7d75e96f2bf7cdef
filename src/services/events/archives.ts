// Archives: every event a bus receives that matches the archive's pattern (or every event, with
// no pattern) is kept, for RetentionDays (0: indefinitely), to be replayed later. Replayed events
// are not archived again. As on AWS, each archive has a managed rule on its bus
// (Events-Archive-<name>, archive-rule.ts) that ListRules shows; Fogbank matches the archives
// themselves when events arrive. Events past their retention are skipped by replays and dropped when the archive is
// read, not swept on a timer.

import type * as EB from '@aws-sdk/client-eventbridge';
import { ServiceError } from '../../errors.js';
import { arn } from '../common/arn.js';
import { paginate } from '../common/pagination.js';
import type { Handler, RequestContext } from '../types.js';
import { invalidToken } from './buses.js';
import type { EventEnvelope } from './input.js';
import { patternOf } from './rules.js';
import { deleteArchiveRule, putArchiveRule } from './archive-rule.js';
import { busNameOf, invalidating, notFound, requireBus, routingCache } from './state.js';

export interface ArchiveRecord {
  name: string;
  arn: string;
  bus: string;
  eventSourceArn: string;
  description?: string;
  eventPattern?: string;
  retentionDays: number;
  state: EB.ArchiveState;
  created: number;
}

export interface ArchivedEvent {
  /** When the bus received it (ms): replays select by this. */
  at: number;
  event: EventEnvelope;
}

export function archives(ctx: RequestContext) {
  return invalidating(ctx, ctx.collection<ArchiveRecord>('archives'));
}

export function archivedEvents(ctx: RequestContext) {
  return ctx.collection<ArchivedEvent>('archived-events');
}

/** Archived events sort by archive, then receipt time, then id. */
export function archivedKey(archive: string, at: number, id: string): string {
  return `${archive}\u0000${String(at).padStart(15, '0')}\u0000${id}`;
}

export function requireArchive(ctx: RequestContext, name: string): ArchiveRecord {
  const archive = archives(ctx).get(name);
  if (!archive) throw notFound(`Archive ${name} does not exist.`);
  return archive;
}

/** Keeps the bus's new events in each of its archives whose pattern they match. */
export function archiveEvents(ctx: RequestContext, bus: string, received: Array<{ event: EventEnvelope }>, at: number): void {
  const cache = routingCache<ArchiveRecord[]>(ctx);
  let onBus = cache.get(`archives\u0000${bus}`);
  if (!onBus) {
    onBus = archives(ctx)
      .values()
      .filter((a) => a.bus === bus && a.state === 'ENABLED');
    cache.set(`archives\u0000${bus}`, onBus);
  }
  if (!onBus.length) return;
  for (const { event } of received) {
    if ('replay-name' in event) continue;
    for (const archive of onBus) {
      if (archive.eventPattern === undefined || patternOf(archive.eventPattern).matches(event)) {
        archivedEvents(ctx).put(archivedKey(archive.name, at, String(event.id)), { at, event });
      }
    }
  }
}

/** The archive's events received in [from, to], oldest first, without those past retention. */
export function eventsInRange(ctx: RequestContext, archive: ArchiveRecord, from: number, to: number): ArchivedEvent[] {
  const oldest = archive.retentionDays > 0 ? Math.max(from, ctx.clock.now() - archive.retentionDays * 86_400_000) : from;
  if (oldest > to) return [];
  return archivedEvents(ctx).values({ from: archivedKey(archive.name, oldest, ''), to: archivedKey(archive.name, to, '\uffff') });
}

function stats(ctx: RequestContext, archive: ArchiveRecord) {
  const kept = eventsInRange(ctx, archive, 0, Number.MAX_SAFE_INTEGER);
  return { EventCount: kept.length, SizeBytes: kept.reduce((sum, e) => sum + Buffer.byteLength(JSON.stringify(e.event)), 0) };
}

export const createArchive: Handler<EB.CreateArchiveRequest, EB.CreateArchiveResponse> = (input, ctx) => {
  const name = input.ArchiveName!;
  if (archives(ctx).has(name)) throw new ServiceError('ResourceAlreadyExistsException', `Archive ${name} already exists.`);
  const bus = requireBus(ctx, busNameOf(input.EventSourceArn));
  if (input.EventPattern !== undefined) patternOf(input.EventPattern);
  const record: ArchiveRecord = {
    name,
    arn: arn({ service: 'events', region: ctx.region, account: ctx.account, resource: `archive/${name}` }),
    bus: bus.name,
    eventSourceArn: bus.arn,
    description: input.Description,
    eventPattern: input.EventPattern,
    retentionDays: input.RetentionDays ?? 0,
    state: 'ENABLED',
    created: ctx.clock.now(),
  };
  archives(ctx).put(name, record);
  putArchiveRule(ctx, record);
  return { ArchiveArn: record.arn, State: record.state, CreationTime: new Date(record.created) };
};

export const describeArchive: Handler<EB.DescribeArchiveRequest, EB.DescribeArchiveResponse> = (input, ctx) => {
  const a = requireArchive(ctx, input.ArchiveName!);
  return {
    ArchiveArn: a.arn,
    ArchiveName: a.name,
    EventSourceArn: a.eventSourceArn,
    Description: a.description,
    EventPattern: a.eventPattern,
    State: a.state,
    RetentionDays: a.retentionDays,
    ...stats(ctx, a),
    CreationTime: new Date(a.created),
  };
};

export const listArchives: Handler<EB.ListArchivesRequest, EB.ListArchivesResponse> = (input, ctx) => {
  if (input.EventSourceArn) requireBus(ctx, busNameOf(input.EventSourceArn));
  const matching = archives(ctx)
    .values({ prefix: input.NamePrefix ?? '' })
    .filter((a) => (!input.EventSourceArn || a.eventSourceArn === input.EventSourceArn) && (!input.State || a.state === input.State));
  const page = paginate(matching, (a) => a.name, input.Limit ?? 100, input.NextToken, invalidToken);
  return {
    Archives: page.items.map((a) => ({ ArchiveName: a.name, EventSourceArn: a.eventSourceArn, State: a.state, RetentionDays: a.retentionDays, ...stats(ctx, a), CreationTime: new Date(a.created) })),
    NextToken: page.nextToken,
  };
};

export const updateArchive: Handler<EB.UpdateArchiveRequest, EB.UpdateArchiveResponse> = (input, ctx) => {
  const a = requireArchive(ctx, input.ArchiveName!);
  if (input.EventPattern !== undefined) patternOf(input.EventPattern);
  const record: ArchiveRecord = {
    ...a,
    description: input.Description ?? a.description,
    eventPattern: input.EventPattern ?? a.eventPattern,
    retentionDays: input.RetentionDays ?? a.retentionDays,
  };
  archives(ctx).put(a.name, record);
  putArchiveRule(ctx, record);
  return { ArchiveArn: record.arn, State: record.state, CreationTime: new Date(record.created) };
};

export const deleteArchive: Handler<EB.DeleteArchiveRequest, object> = (input, ctx) => {
  const a = requireArchive(ctx, input.ArchiveName!);
  archivedEvents(ctx).deletePrefix(`${a.name}\u0000`);
  archives(ctx).delete(a.name);
  deleteArchiveRule(ctx, a);
  return {};
};
