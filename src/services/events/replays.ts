// Replays: an archive's events received in a time range, sent again to the rules of the bus they
// came from (all of its rules, or only those Destination.FilterArns names), oldest first, each
// carrying "replay-name". StartReplay answers STARTING; the replay then runs in the background
// (RUNNING, then COMPLETED), and CancelReplay moves a replay still under way to CANCELLING, then
// CANCELLED before its next event. A replay under way when Fogbank stopped carries on at the next
// start after the events it had already sent (resumeReplays); one being cancelled ends CANCELLED.

import type * as EB from '@aws-sdk/client-eventbridge';
import { ServiceError } from '../../errors.js';
import { arn } from '../common/arn.js';
import { paginate } from '../common/pagination.js';
import type { Handler, RequestContext } from '../types.js';
import { archives, eventsInRange } from './archives.js';
import { invalidToken } from './buses.js';
import { routeEvent } from './put-events.js';
import { findBus, notFound, validation } from './state.js';

export interface ReplayRecord {
  name: string;
  arn: string;
  description?: string;
  state: EB.ReplayState;
  stateReason?: string;
  eventSourceArn: string;
  destination: EB.ReplayDestination;
  eventStart: number;
  eventEnd: number;
  lastReplayed?: number;
  /** How many of the range's events were sent: a replay resumed after a restart skips them. */
  replayed?: number;
  started: number;
  ended?: number;
}

function replays(ctx: RequestContext) {
  return ctx.collection<ReplayRecord>('replays');
}

function requireReplay(ctx: RequestContext, name: string): ReplayRecord {
  const replay = replays(ctx).get(name);
  if (!replay) throw notFound(`Replay ${name} does not exist.`);
  return replay;
}

const date = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms));

export const startReplay: Handler<EB.StartReplayRequest, EB.StartReplayResponse> = (input, ctx) => {
  const name = input.ReplayName!;
  if (replays(ctx).has(name)) throw new ServiceError('ResourceAlreadyExistsException', `Replay ${name} already exists.`);
  const [from, to] = [input.EventStartTime!.getTime(), input.EventEndTime!.getTime()];
  if (to <= from) throw validation('Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime.');
  const archiveName = input.EventSourceArn!.split('/').pop()!;
  const archive = archives(ctx).get(archiveName);
  if (!archive || archive.arn !== input.EventSourceArn) throw validation(`Parameter EventSourceArn is not valid. Reason: Archive ${archiveName} does not exist.`);
  const destination = input.Destination!;
  if (destination.Arn !== archive.eventSourceArn) {
    const busName = /event-bus\/(.+)$/.exec(destination.Arn ?? '')?.[1] ?? destination.Arn ?? '';
    if (findBus(ctx, busName)) throw validation('Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted.');
    throw notFound(`Event bus ${busName} does not exist.`);
  }
  const record: ReplayRecord = {
    name,
    arn: arn({ service: 'events', region: ctx.region, account: ctx.account, resource: `replay/${name}` }),
    description: input.Description,
    state: 'STARTING',
    eventSourceArn: archive.arn,
    destination,
    eventStart: from,
    eventEnd: to,
    started: ctx.clock.now(),
  };
  replays(ctx).put(name, record);
  // A store closed under a running replay (Fogbank stopping) ends it quietly.
  setImmediate(() => void run(ctx, name, archive.bus).catch(() => undefined));
  return { ReplayArn: record.arn, State: record.state, ReplayStartTime: new Date(record.started) };
};

function update(ctx: RequestContext, name: string, change: Partial<ReplayRecord>): ReplayRecord | undefined {
  const current = replays(ctx).get(name);
  if (!current) return undefined;
  const next = { ...current, ...change };
  replays(ctx).put(name, next);
  return next;
}

async function run(ctx: RequestContext, name: string, bus: string): Promise<void> {
  const replay = update(ctx, name, { state: 'RUNNING' });
  const archive = replay && archives(ctx).get(replay.eventSourceArn.split('/').pop()!);
  if (!replay || !archive) {
    update(ctx, name, { state: 'FAILED', stateReason: 'The archive no longer exists.', ended: ctx.clock.now() });
    return;
  }
  const only = replay.destination.FilterArns?.length ? new Set(replay.destination.FilterArns) : undefined;
  try {
    const done = replay.replayed ?? 0;
    let seen = 0;
    for (const { event } of eventsInRange(ctx, archive, replay.eventStart, replay.eventEnd)) {
      if (++seen <= done) continue;
      // A long replay lets other requests (CancelReplay among them) in between its events.
      if ((seen - done) % 25 === 0) await new Promise((resolve) => setImmediate(resolve));
      if (replays(ctx).get(name)?.state === 'CANCELLING') {
        update(ctx, name, { state: 'CANCELLED', ended: ctx.clock.now() });
        return;
      }
      await routeEvent(ctx, bus, { ...event, 'replay-name': name }, new Date(ctx.clock.now()).toISOString(), only);
      update(ctx, name, { lastReplayed: Date.parse(String(event.time)), replayed: seen });
    }
    const final = replays(ctx).get(name)?.state === 'CANCELLING' ? 'CANCELLED' : 'COMPLETED';
    update(ctx, name, { state: final, ended: ctx.clock.now() });
  } catch (error) {
    update(ctx, name, { state: 'FAILED', stateReason: (error as Error).message, ended: ctx.clock.now() });
  }
}

/** At start: replays that were under way carry on where they stopped; those being cancelled end. */
export function resumeReplays(ctx: RequestContext): void {
  for (const replay of replays(ctx).values()) {
    if (replay.state === 'CANCELLING') update(ctx, replay.name, { state: 'CANCELLED', ended: ctx.clock.now() });
    else if (replay.state === 'STARTING' || replay.state === 'RUNNING') {
      const bus = archives(ctx).get(replay.eventSourceArn.split('/').pop()!)?.bus ?? '';
      setImmediate(() => void run(ctx, replay.name, bus).catch(() => undefined));
    }
  }
}

export const describeReplay: Handler<EB.DescribeReplayRequest, EB.DescribeReplayResponse> = (input, ctx) => {
  const r = requireReplay(ctx, input.ReplayName!);
  return {
    ReplayName: r.name,
    ReplayArn: r.arn,
    Description: r.description,
    State: r.state,
    StateReason: r.stateReason,
    EventSourceArn: r.eventSourceArn,
    Destination: r.destination,
    EventStartTime: date(r.eventStart),
    EventEndTime: date(r.eventEnd),
    EventLastReplayedTime: date(r.lastReplayed),
    ReplayStartTime: date(r.started),
    ReplayEndTime: date(r.ended),
  };
};

export const listReplays: Handler<EB.ListReplaysRequest, EB.ListReplaysResponse> = (input, ctx) => {
  const matching = replays(ctx)
    .values({ prefix: input.NamePrefix ?? '' })
    .filter((r) => (!input.EventSourceArn || r.eventSourceArn === input.EventSourceArn) && (!input.State || r.state === input.State));
  const page = paginate(matching, (r) => r.name, input.Limit ?? 100, input.NextToken, invalidToken);
  return {
    Replays: page.items.map((r) => ({
      ReplayName: r.name,
      EventSourceArn: r.eventSourceArn,
      State: r.state,
      StateReason: r.stateReason,
      EventStartTime: date(r.eventStart),
      EventEndTime: date(r.eventEnd),
      EventLastReplayedTime: date(r.lastReplayed),
      ReplayStartTime: date(r.started),
      ReplayEndTime: date(r.ended),
    })),
    NextToken: page.nextToken,
  };
};

export const cancelReplay: Handler<EB.CancelReplayRequest, EB.CancelReplayResponse> = (input, ctx) => {
  const r = requireReplay(ctx, input.ReplayName!);
  if (r.state !== 'STARTING' && r.state !== 'RUNNING') throw new ServiceError('IllegalStatusException', `Replay ${r.name} is not in a state that can be cancelled.`);
  update(ctx, r.name, { state: 'CANCELLING' });
  return { ReplayArn: r.arn, State: 'CANCELLING' };
};
