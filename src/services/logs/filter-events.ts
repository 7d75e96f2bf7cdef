// FilterLogEvents: the events of a group's streams, interleaved by time (always, as AWS does since
// 2019), filtered by time range and filter pattern, paged. Each stream is read as an ordered range
// from its first event at or after startTime, and the streams are merged through a small heap, so a
// tail of recent events reads only the streams that have recent events and only those events.

import type * as CWL from '@aws-sdk/client-cloudwatch-logs';
import type { Collection } from '../../store/store.js';
import type { Handler } from '../types.js';
import { invalidParameter, invalidToken } from './errors.js';
import { requestedGroup } from './names.js';
import { compileFilterPattern } from './pattern/index.js';
import { EVENT_OVERHEAD_BYTES, MAX_BATCH_BYTES } from './put-events.js';
import { retentionCutoff, sweepExpired } from './retention.js';
import { clampTimestamp, LogsData, MAX_SEQ, MAX_TIMESTAMP, messageBytes, positionKey, seqOfKey, type LogStreamRecord, type StoredEvent } from './state.js';
import { eventId, pageToken, readPageToken } from './tokens.js';

const MAX_EVENTS = 10_000;
// A stream is read a chunk at a time, small at first (most streams contribute little to a page).
const FIRST_CHUNK = 64;
const MAX_CHUNK = 1024;

/** Where the previous page stopped: the last event returned, as (timestamp, stream, seq). */
type After = [number, string, number];

interface Head {
  key: string;
  event: StoredEvent;
  seq: number;
}

/** Reads one stream in order, a chunk at a time, up to the inclusive end time. */
class StreamCursor {
  private rows: Array<[string, StoredEvent]> = [];
  private index = 0;
  private drained = false;
  private chunk = FIRST_CHUNK;

  constructor(
    private readonly events: Collection<StoredEvent>,
    readonly stream: LogStreamRecord,
    private after: string,
    private readonly end: number,
  ) {}

  peek(): Head | undefined {
    if (this.index >= this.rows.length) {
      if (this.drained) return undefined;
      this.rows = this.events.list({ prefix: `${this.stream.name}:`, after: this.after, limit: this.chunk });
      this.index = 0;
      if (this.rows.length < this.chunk) this.drained = true;
      this.chunk = Math.min(this.chunk * 2, MAX_CHUNK);
    }
    const row = this.rows[this.index];
    if (!row || row[1].t > this.end) {
      this.drained = true;
      this.rows = [];
      return undefined;
    }
    return { key: row[0], event: row[1], seq: seqOfKey(row[0]) };
  }

  advance(): void {
    this.after = this.rows[this.index]![0];
    this.index++;
  }
}

function before(a: StreamCursor, b: StreamCursor): boolean {
  const x = a.peek()!;
  const y = b.peek()!;
  if (x.event.t !== y.event.t) return x.event.t < y.event.t;
  if (a.stream.name !== b.stream.name) return a.stream.name < b.stream.name;
  return x.seq < y.seq;
}

/** A binary min-heap of cursors by their next event's (timestamp, stream, seq). */
class CursorHeap {
  private readonly items: StreamCursor[] = [];

  push(cursor: StreamCursor): void {
    if (!cursor.peek()) return;
    const items = this.items;
    items.push(cursor);
    for (let i = items.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!before(items[i]!, items[parent]!)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }

  pop(): StreamCursor | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last) {
      items[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let min = i;
        if (l < items.length && before(items[l]!, items[min]!)) min = l;
        if (r < items.length && before(items[r]!, items[min]!)) min = r;
        if (min === i) break;
        [items[i], items[min]] = [items[min]!, items[i]!];
        i = min;
      }
    }
    return top;
  }

  get size(): number {
    return this.items.length;
  }
}

function readAfter(token: string | undefined): After | undefined {
  if (token === undefined) return undefined;
  const value = readPageToken(token);
  const ok = Array.isArray(value) && value.length === 3 && typeof value[0] === 'number' && typeof value[1] === 'string' && typeof value[2] === 'number';
  if (!ok) throw invalidToken();
  return value as After;
}

/** The key a stream's read starts after, given the time range start and the previous page. */
function startKey(stream: string, start: number, after: After | undefined): string {
  let position = positionKey(start, 0);
  if (after) {
    const [t, name, seq] = after;
    const resume = positionKey(t, stream < name ? MAX_SEQ : stream === name ? seq : 0);
    if (resume > position) position = resume;
  }
  return `${stream}:${position}`;
}

export const filterLogEvents: Handler<CWL.FilterLogEventsRequest, CWL.FilterLogEventsResponse> = (input, ctx) => {
  if (input.logStreamNames !== undefined && input.logStreamNamePrefix !== undefined) {
    throw invalidParameter('Cannot specify both logStreamNames and logStreamNamePrefix.');
  }
  const data = LogsData.of(ctx);
  const now = ctx.clock.now();
  const group = sweepExpired(data, data.group(requestedGroup(input)), now);
  const pattern = compileFilterPattern(input.filterPattern);
  const after = readAfter(input.nextToken);
  const limit = input.limit ?? MAX_EVENTS;
  const start = clampTimestamp(Math.max(input.startTime ?? 0, retentionCutoff(group, now) ?? 0));
  const end = input.endTime === undefined ? MAX_TIMESTAMP : clampTimestamp(input.endTime); // inclusive

  const streams = data.streams(group.name);
  const named = input.logStreamNames?.map((name) => streams.get(name)).filter((s): s is LogStreamRecord => s !== undefined);
  const candidates = (named ?? streams.values({ prefix: input.logStreamNamePrefix })).filter(
    (s) => s.firstEventTimestamp !== undefined && s.lastEventTimestamp! >= Math.max(start, after?.[0] ?? 0) && s.firstEventTimestamp <= end,
  );
  const events = data.events(group.name);
  const cursors = candidates.map((s) => new StreamCursor(events, s, startKey(s.name, start, after), end));
  const heap = new CursorHeap();
  for (const cursor of cursors) heap.push(cursor);

  const found: CWL.FilteredLogEvent[] = [];
  let bytes = 0;
  let last: After | undefined;
  while (heap.size > 0 && found.length < limit) {
    const cursor = heap.pop()!;
    const { event, seq } = cursor.peek()!;
    if (pattern.matches(event.m)) {
      bytes += messageBytes(event.m) + EVENT_OVERHEAD_BYTES;
      if (bytes > MAX_BATCH_BYTES && found.length > 0) {
        heap.push(cursor);
        break;
      }
      found.push({ logStreamName: cursor.stream.name, timestamp: event.t, message: event.m, ingestionTime: event.i, eventId: eventId(event.t, cursor.stream.number, seq) });
      last = [event.t, cursor.stream.name, seq];
    }
    cursor.advance();
    heap.push(cursor);
  }
  return {
    events: found,
    searchedLogStreams: cursors.map((c) => ({ logStreamName: c.stream.name, searchedCompletely: c.peek() === undefined })),
    nextToken: heap.size > 0 && last ? pageToken(last) : undefined,
  };
};
