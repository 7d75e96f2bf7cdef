// The pollers of enabled mappings, per Fogbank (keyed by store, as one process may run several).
// A poller keeps the context of the request that started it (or of Fogbank's start, on resume), so
// it reads the source and invokes the function as the mapping's account and region, through the
// same internal dispatch a client uses. It re-reads its mapping each round and ends when the
// mapping is gone or disabled, or when Fogbank stops. An SQS mapping starts five long-polling
// loops, as AWS starts five pollers, adds one (at most every 200 ms) when a loop receives a full
// batch and more are waiting, and drops back when a long poll comes back empty
// (ScalingConfig.MaximumConcurrency caps them); a stream mapping runs one loop, which sleeps until
// a write to its table wakes it, so an idle mapping costs nothing.

import type { Store } from '../../../store/store.js';
import type { Caller, RequestContext } from '../../types.js';
import { onStreamAppend } from '../../dynamodb/streams/append.js';
import { pollQueue } from './sqs-poller.js';
import { pollStream } from './stream-poller.js';
import { mappings, type MappingRecord } from './state.js';

export interface Poller {
  uuid: string;
  stopped: boolean;
  /** Set when woken while not asleep, so the wake is not lost. */
  woken: boolean;
  /** Ends the current sleep, if any. */
  waiter?: () => void;
  /** Loops still running for this poller. */
  loops: number;
  /** When (Fogbank's clock) a loop last asked the queue whether to scale up (SQS). */
  scaleCheckedAt: number;
  /** Starts one more loop (SQS pollers scaling up). */
  spawn(): void;
}

/** SQS loops per mapping: AWS starts with five pollers; MaximumConcurrency (2-1000) caps them. */
const SQS_LOOPS = 5;
/** How far SQS loops scale up with a backlog: one per warm worker a function may have by default. */
const SQS_MAX_LOOPS = Number(process.env.FOGBANK_LAMBDA_MAX_WORKERS) || 20;

interface StorePollers {
  byUuid: Map<string, Poller>;
  /** Stream ARN -> pollers to wake when a record is appended. */
  byStream: Map<string, Set<Poller>>;
}

const byStore = new WeakMap<Store, StorePollers>();

function pollersOf(store: Store): StorePollers {
  let entry = byStore.get(store);
  if (!entry) {
    const created: StorePollers = { byUuid: new Map(), byStream: new Map() };
    byStore.set(store, (entry = created));
    onStreamAppend(store, (arn) => created.byStream.get(arn)?.forEach(wake));
  }
  return entry;
}

export function wake(poller: Poller): void {
  poller.woken = true;
  const waiter = poller.waiter;
  poller.waiter = undefined;
  waiter?.();
}

/** Sleeps until woken, or until `ms` pass on Fogbank's clock when given. */
export function sleep(ctx: RequestContext, poller: Poller, ms?: number): Promise<void> {
  if (poller.woken || poller.stopped) {
    poller.woken = false;
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const timer = ms !== undefined ? ctx.clock.after(ms, () => wake(poller)) : undefined;
    poller.waiter = () => {
      timer?.cancel();
      poller.woken = false;
      resolve();
    };
  });
}

function forget(store: Store, poller: Poller, record?: MappingRecord): void {
  const all = pollersOf(store);
  if (all.byUuid.get(poller.uuid) === poller) all.byUuid.delete(poller.uuid);
  if (record?.kind === 'dynamodb') all.byStream.get(record.eventSourceArn)?.delete(poller);
}

/** Whether the poller should go on: not stopped, and its mapping still there and enabled. */
export function active(ctx: RequestContext, poller: Poller): boolean {
  if (poller.stopped) return false;
  const record = mappings(ctx).get(poller.uuid);
  if (record?.enabled) return true;
  poller.stopped = true;
  forget(ctx.store, poller, record);
  return false;
}

/** The loops an SQS mapping starts with, and the most it scales up to. */
export function sqsLoops(record: MappingRecord): { base: number; max: number } {
  const cap = record.maximumConcurrency ?? SQS_MAX_LOOPS;
  return { base: Math.min(SQS_LOOPS, cap), max: Math.min(SQS_MAX_LOOPS, cap) };
}

export function startPoller(ctx: RequestContext, uuid: string): void {
  const all = pollersOf(ctx.store);
  if (all.byUuid.has(uuid)) return;
  const record = mappings(ctx).get(uuid);
  if (!record?.enabled) return;
  const poller: Poller = { uuid, stopped: false, woken: false, loops: 0, scaleCheckedAt: 0, spawn: () => launch() };
  all.byUuid.set(uuid, poller);
  if (record.kind === 'dynamodb') {
    let set = all.byStream.get(record.eventSourceArn);
    if (!set) all.byStream.set(record.eventSourceArn, (set = new Set()));
    set.add(poller);
  }
  const launch = () => {
    poller.loops += 1;
    const run = record.kind === 'sqs' ? pollQueue(ctx, poller) : pollStream(ctx, poller);
    void run.catch(() => undefined).finally(() => {
      poller.loops -= 1;
      if (poller.loops === 0) forget(ctx.store, poller, record);
    });
  };
  const loops = record.kind === 'sqs' ? sqsLoops(record).base : 1;
  for (let i = 0; i < loops; i++) launch();
}

export function stopPoller(store: Store, uuid: string): void {
  const poller = pollersOf(store).byUuid.get(uuid);
  if (!poller) return;
  poller.stopped = true;
  pollersOf(store).byUuid.delete(uuid);
  wake(poller);
}

/** A changed mapping (batch size, concurrency, filters) restarts its poller with the new settings. */
export function restartPoller(ctx: RequestContext, uuid: string): void {
  stopPoller(ctx.store, uuid);
  startPoller(ctx, uuid);
}

export function stopAllPollers(store: Store): void {
  const all = pollersOf(store);
  for (const poller of all.byUuid.values()) {
    poller.stopped = true;
    wake(poller);
  }
  all.byUuid.clear();
  all.byStream.clear();
}

/** Restarts the pollers of every enabled mapping kept in the store (Fogbank's start). */
export function resumePollers(contextFor: (scope: Caller) => RequestContext, scopes: Caller[]): void {
  for (const scope of scopes) {
    const ctx = contextFor(scope);
    for (const record of mappings(ctx).values()) if (record.enabled) startPoller(ctx, record.uuid);
  }
}

/** Waits `ms` of real time without holding the process open. */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
