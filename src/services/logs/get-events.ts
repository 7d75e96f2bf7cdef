// GetLogEvents: one stream, read forward from the head or a forward token, or backward from the
// tail or a backward token (the default: the newest events, returned oldest first). Tokens are
// positions between events, so following nextForwardToken later returns what arrived since; at
// the end of the stream AWS hands back the very token it was given, and so does Fogbank.

import type * as CWL from '@aws-sdk/client-cloudwatch-logs';
import type { Handler } from '../types.js';
import { requestedGroup } from './names.js';
import { retentionCutoff, sweepExpired } from './retention.js';
import { clampTimestamp, LogsData, MAX_TIMESTAMP, messageBytes, positionKey, seqOfKey, type StoredEvent } from './state.js';
import { EVENT_OVERHEAD_BYTES, MAX_BATCH_BYTES } from './put-events.js';
import { parseStreamToken, streamToken, type Position, type StreamToken } from './tokens.js';

const MAX_EVENTS = 10_000;

function compare(a: Position, b: Position): number {
  return a.t - b.t || a.seq - b.seq;
}

/** Keeps rows while `keep` holds, up to the 1 MB a response may carry (always at least one). */
function takeWithin(rows: Array<[string, StoredEvent]>, keep: (e: StoredEvent) => boolean): Array<[string, StoredEvent]> {
  const out: Array<[string, StoredEvent]> = [];
  let bytes = 0;
  for (const row of rows) {
    if (!keep(row[1])) break;
    bytes += messageBytes(row[1].m) + EVENT_OVERHEAD_BYTES;
    if (bytes > MAX_BATCH_BYTES && out.length > 0) break;
    out.push(row);
  }
  return out;
}

export const getLogEvents: Handler<CWL.GetLogEventsRequest, CWL.GetLogEventsResponse> = (input, ctx) => {
  const data = LogsData.of(ctx);
  const now = ctx.clock.now();
  const group = sweepExpired(data, data.group(requestedGroup(input)), now);
  const stream = data.stream(group.name, input.logStreamName!);
  const token: StreamToken | undefined = input.nextToken === undefined ? undefined : parseStreamToken(input.nextToken);
  const limit = input.limit ?? MAX_EVENTS;
  const start = clampTimestamp(Math.max(input.startTime ?? 0, retentionCutoff(group, now) ?? 0));
  const end = input.endTime === undefined ? MAX_TIMESTAMP : clampTimestamp(input.endTime); // exclusive
  const forward = token ? token.direction === 'f' : input.startFromHead === true;
  const prefix = `${stream.name}:`;
  const events = data.events(group.name);

  let rows: Array<[string, StoredEvent]>;
  let bound: Position;
  if (forward) {
    bound = { t: start, seq: 0 };
    if (token && compare(token.position, bound) > 0) bound = token.position;
    rows = takeWithin(events.list({ prefix, after: prefix + positionKey(bound.t, bound.seq), limit }), (e) => e.t < end);
  } else {
    bound = { t: end, seq: 0 };
    if (token && compare(token.position, bound) < 0) bound = token.position;
    rows = takeWithin(events.list({ prefix, after: prefix + positionKey(bound.t, bound.seq), reverse: true, limit }), (e) => e.t >= start).reverse();
  }

  let nextForwardToken: string;
  let nextBackwardToken: string;
  if (rows.length > 0) {
    const [firstKey, first] = rows[0]!;
    const [lastKey, last] = rows[rows.length - 1]!;
    nextForwardToken = streamToken('f', { t: last.t, seq: seqOfKey(lastKey) });
    nextBackwardToken = streamToken('b', { t: first.t, seq: seqOfKey(firstKey) });
  } else if (token) {
    // At the end in the token's direction: the same token again, and its mirror the other way.
    nextForwardToken = token.direction === 'f' ? input.nextToken! : streamToken('f', token.position);
    nextBackwardToken = token.direction === 'b' ? input.nextToken! : streamToken('b', token.position);
  } else {
    // Nothing in the window: both tokens stand at its start, so following the forward token
    // returns whatever arrives next (all zeros for an empty stream, as AWS shows).
    const at = { t: clampTimestamp(input.startTime ?? 0), seq: 0 };
    nextForwardToken = streamToken('f', at);
    nextBackwardToken = streamToken('b', at);
  }
  return {
    events: rows.map(([, e]) => ({ timestamp: e.t, message: e.m, ingestionTime: e.i })),
    nextForwardToken,
    nextBackwardToken,
  };
};
