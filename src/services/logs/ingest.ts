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
  data.streams(group.name).put(stream.name, stream);
  data.groups().put(group.name, group);
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
  const data = LogsData.of(target);
  const now = target.clock.now();
  data.transaction(() => {
    const group = data.groups().get(groupName) ?? newGroupRecord(groupName, now);
    let stream = data.streams(groupName).get(streamName);
    if (!stream) stream = newStreamRecord(group, streamName, now);
    const cutoff = retentionCutoff(group, now) ?? -Infinity;
    const kept = events.filter((e) => e.timestamp >= cutoff).sort((a, b) => a.timestamp - b.timestamp);
    if (kept.length === 0) {
      data.groups().put(groupName, group);
      data.streams(groupName).put(streamName, stream);
      return;
    }
    appendEvents(data, group, stream, kept, now);
  });
}
