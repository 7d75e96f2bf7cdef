// How CloudWatch Logs keeps its state in the store. Each log group owns its own collections, so a
// group's streams list in name order and its events sit together:
//   groups                      name -> LogGroupRecord
//   streams/<group>             stream name -> LogStreamRecord
//   events/<group>              "<stream>:<timestamp>:<seq>" -> StoredEvent
//   metric-filters/<group>, subscription-filters/<group>
// An event key sorts a stream's events by timestamp, then by arrival (seq), so appending is one
// put per event and reading a stream in order — forward or backward, from any time — is one
// ranged scan. Stream names cannot contain ':', so "<stream>:" never prefixes another stream.

import type * as CWL from '@aws-sdk/client-cloudwatch-logs';
import type { Collection, Scope, Store } from '../../store/store.js';
import { groupNotFound, streamNotFound } from './errors.js';

export interface LogGroupRecord {
  name: string;
  creationTime: number;
  retentionInDays?: number;
  kmsKeyId?: string;
  logGroupClass: string;
  tags: Record<string, string>;
  storedBytes: number;
  /** A lower bound of the oldest stored event's timestamp: retention sweeps run only when it is due. */
  oldestEvent?: number;
  /** Numbers streams for event ids. */
  streamsCreated: number;
}

export interface LogStreamRecord {
  name: string;
  number: number;
  creationTime: number;
  firstEventTimestamp?: number;
  lastEventTimestamp?: number;
  lastIngestionTime?: number;
  storedBytes: number;
  /** The seq of the last event appended; the first event gets 1. */
  lastSeq: number;
  /** Accepted PutLogEvents calls, which the upload sequence token counts. */
  uploads: number;
}

/** One event, kept short because there are many. */
export interface StoredEvent {
  /** timestamp */
  t: number;
  /** message */
  m: string;
  /** ingestionTime */
  i: number;
}

export interface MetricFilterRecord {
  filterName: string;
  filterPattern: string;
  metricTransformations: CWL.MetricTransformation[];
  creationTime: number;
  logGroupName: string;
}

export interface SubscriptionFilterRecord {
  filterName: string;
  logGroupName: string;
  filterPattern: string;
  destinationArn: string;
  roleArn?: string;
  distribution: string;
  creationTime: number;
}

/** The largest timestamp an event key can hold (year 33658); AWS rejects anything near it anyway. */
export const MAX_TIMESTAMP = 999_999_999_999_999;
export const MAX_SEQ = 999_999_999_999;

export function clampTimestamp(ts: number): number {
  return Math.min(Math.max(0, Math.trunc(ts)), MAX_TIMESTAMP);
}

/** The part of an event key after "<stream>:": fixed width, so string order is (timestamp, seq) order. */
export function positionKey(t: number, seq: number): string {
  return `${String(clampTimestamp(t)).padStart(15, '0')}:${String(seq).padStart(12, '0')}`;
}

export function eventKey(stream: string, t: number, seq: number): string {
  return `${stream}:${positionKey(t, seq)}`;
}

export function seqOfKey(key: string): number {
  return Number(key.slice(-12));
}

export function messageBytes(message: string): number {
  return Buffer.byteLength(message, 'utf8');
}

/** CloudWatch Logs' state in one account and region. Works from a request's context or from Lambda's. */
export class LogsData {
  constructor(
    private readonly store: Store,
    private readonly scope: Scope,
  ) {}

  static of(ctx: { store: Store; account: string; region: string }): LogsData {
    return new LogsData(ctx.store, { account: ctx.account, region: ctx.region });
  }

  transaction<R>(fn: () => R): R {
    return this.store.transaction(fn);
  }

  private collection<T>(name: string): Collection<T> {
    return this.store.collection<T>('logs', name, this.scope);
  }

  groups(): Collection<LogGroupRecord> {
    return this.collection('groups');
  }

  streams(group: string): Collection<LogStreamRecord> {
    return this.collection(`streams/${group}`);
  }

  events(group: string): Collection<StoredEvent> {
    return this.collection(`events/${group}`);
  }

  metricFilters(group: string): Collection<MetricFilterRecord> {
    return this.collection(`metric-filters/${group}`);
  }

  subscriptionFilters(group: string): Collection<SubscriptionFilterRecord> {
    return this.collection(`subscription-filters/${group}`);
  }

  group(name: string): LogGroupRecord {
    const group = this.groups().get(name);
    if (!group) throw groupNotFound();
    return group;
  }

  stream(group: string, name: string): LogStreamRecord {
    const stream = this.streams(group).get(name);
    if (!stream) throw streamNotFound();
    return stream;
  }

  /** Forgets a group and everything in it. */
  dropGroup(name: string): void {
    this.groups().delete(name);
    this.streams(name).deletePrefix('');
    this.events(name).deletePrefix('');
    this.metricFilters(name).deletePrefix('');
    this.subscriptionFilters(name).deletePrefix('');
  }
}

export function newGroupRecord(name: string, now: number, options: { kmsKeyId?: string; logGroupClass?: string; tags?: Record<string, string> } = {}): LogGroupRecord {
  return {
    name,
    creationTime: now,
    kmsKeyId: options.kmsKeyId,
    logGroupClass: options.logGroupClass ?? 'STANDARD',
    tags: options.tags ?? {},
    storedBytes: 0,
    streamsCreated: 0,
  };
}

/** A new stream record; bumps the group's stream counter, which the caller saves. */
export function newStreamRecord(group: LogGroupRecord, name: string, now: number): LogStreamRecord {
  group.streamsCreated += 1;
  return { name, number: group.streamsCreated, creationTime: now, storedBytes: 0, lastSeq: 0, uploads: 0 };
}
