// Appending events to a stream: what PutLogEvents does once a batch is accepted, and the entry
// point Lambda (or any service) uses to write a function's output without the API's batch rules.

import type { Clock } from '../../clock.js';
import type { Store } from '../../store/store.js';
import { retentionCutoff } from './retention.js';
import { eventKey, LogsData, messageBytes, newGroupRecord, newStreamRecord, type LogGroupRecord, type LogStreamRecord } from './state.js';

export interface NewLogEvent {
  timestamp: number;
  message: string;
}

/**
 * Stores events in a stream and updates the stream's and group's statistics. The events are
 * already accepted; within one call they keep their order for equal timestamps.
 */
export function appendEvents(data: LogsData, group: LogGroupRecord, stream: LogStreamRecord, events: readonly NewLogEvent[], now: number): void {
  storeEvents(data, group, stream, events, now);
  data.streams(group.name).put(stream.name, stream);
  data.groups().put(group.name, group);
}

/** appendEvents without saving the stream and group records, which the caller does. */
function storeEvents(data: LogsData, group: LogGroupRecord, stream: LogStreamRecord, events: readonly NewLogEvent[], now: number): void {
  const collection = data.events(group.name);
  let bytes = 0;
  for (const event of events) {
    stream.lastSeq += 1;
    collection.put(eventKey(stream.name, event.timestamp, stream.lastSeq), { t: event.timestamp, m: event.message, i: now });
    bytes += messageBytes(event.message);
    stream.firstEventTimestamp = Math.min(stream.firstEventTimestamp ?? Infinity, event.timestamp);
    stream.lastEventTimestamp = Math.max(stream.lastEventTimestamp ?? -Infinity, event.timestamp);
    group.oldestEvent = Math.min(group.oldestEvent ?? Infinity, event.timestamp);
  }
  stream.lastIngestionTime = now;
  stream.storedBytes += bytes;
  stream.uploads += 1;
  group.storedBytes += bytes;
}

export interface LogsTarget {
  store: Store;
  account: string;
  region: string;
  clock: Clock;
}

/**
 * Writes a function's log lines the way Lambda does in AWS: the group and stream are created when
 * missing, lines are ordered by timestamp, and lines already past the group's retention are dropped.
 * One transaction, one put per line.
 */
export function writeLogEvents(target: LogsTarget, groupName: string, streamName: string, events: readonly NewLogEvent[]): void {
  LogsData.of(target).transaction(() => {
    const batch = new LogWriteBatch(target);
    batch.write(groupName, streamName, events);
    batch.finish();
  });
}

/**
 * Many writeLogEvents calls inside one transaction (Lambda stores the invocations of the last few
 * milliseconds together): each group and stream record is read once and saved once, in finish(),
 * instead of once per call; each call still counts as its own upload with its own ingestion time.
 * Valid only within the transaction that runs it, which must call finish() before it commits.
 */
export class LogWriteBatch {
  private readonly data: LogsData;
  private readonly groups = new Map<string, { record: LogGroupRecord; streams: Map<string, LogStreamRecord> }>();

  constructor(private readonly target: LogsTarget) {
    this.data = LogsData.of(target);
  }

  write(groupName: string, streamName: string, events: readonly NewLogEvent[]): void {
    const now = this.target.clock.now();
    let group = this.groups.get(groupName);
    if (!group) {
      group = { record: this.data.groups().get(groupName) ?? newGroupRecord(groupName, now), streams: new Map() };
      this.groups.set(groupName, group);
    }
    let stream = group.streams.get(streamName);
    if (!stream) {
      stream = this.data.streams(groupName).get(streamName) ?? newStreamRecord(group.record, streamName, now);
      group.streams.set(streamName, stream);
    }
    const cutoff = retentionCutoff(group.record, now) ?? -Infinity;
    const kept = events.filter((e) => e.timestamp >= cutoff).sort((a, b) => a.timestamp - b.timestamp);
    if (kept.length > 0) storeEvents(this.data, group.record, stream, kept, now);
  }

  /** Saves every stream and group written to. */
  finish(): void {
    for (const [groupName, group] of this.groups) {
      const streams = this.data.streams(groupName);
      for (const [streamName, stream] of group.streams) streams.put(streamName, stream);
      this.data.groups().put(groupName, group.record);
    }
    this.groups.clear();
  }
}
