// Retention on Fogbank's clock: readers never see events older than the group's retention, and
// the next operation that touches the group deletes them (a sweep that runs only when the group's
// oldest event can be due, so it costs nothing most of the time).

import { invalidParameter } from './errors.js';
import { messageBytes, type LogGroupRecord, type LogsData } from './state.js';

export const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

const DAY_MS = 86_400_000;

export function checkRetention(days: number): void {
  if (!RETENTION_DAYS.includes(days)) {
    throw invalidParameter(`1 validation error detected: Value '${days}' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [${RETENTION_DAYS.join(', ')}]`);
  }
}

/** The oldest timestamp the group still keeps, or undefined when it keeps everything. */
export function retentionCutoff(group: LogGroupRecord, now: number): number | undefined {
  return group.retentionInDays === undefined ? undefined : now - group.retentionInDays * DAY_MS;
}

const SWEEP_BATCH = 1000;

/** Deletes the group's expired events and returns the group as it now is. */
export function sweepExpired(data: LogsData, group: LogGroupRecord, now: number): LogGroupRecord {
  const cutoff = retentionCutoff(group, now);
  if (cutoff === undefined || group.oldestEvent === undefined || group.oldestEvent >= cutoff) return group;
  return data.transaction(() => {
    const streams = data.streams(group.name);
    const events = data.events(group.name);
    let oldest: number | undefined;
    let freed = 0;
    for (const stream of streams.values()) {
      if (stream.firstEventTimestamp !== undefined && stream.firstEventTimestamp < cutoff) {
        let first: number | undefined;
        for (;;) {
          const batch = events.list({ prefix: `${stream.name}:`, limit: SWEEP_BATCH });
          const expired = batch.filter(([, e]) => e.t < cutoff);
          for (const [key, e] of expired) {
            events.delete(key);
            const bytes = messageBytes(e.m);
            freed += bytes;
            stream.storedBytes -= bytes;
          }
          if (expired.length < batch.length) {
            first = batch[expired.length]![1].t;
            break;
          }
          if (batch.length < SWEEP_BATCH) break;
        }
        stream.firstEventTimestamp = first;
        streams.put(stream.name, stream);
      }
      if (stream.firstEventTimestamp !== undefined) oldest = Math.min(oldest ?? Infinity, stream.firstEventTimestamp);
    }
    const updated: LogGroupRecord = { ...group, storedBytes: Math.max(0, group.storedBytes - freed), oldestEvent: oldest };
    data.groups().put(group.name, updated);
    return updated;
  });
}
