// PutLogEvents with AWS's batch rules: size limits, chronological order and the 24-hour span fail
// the whole call; events too old, too new or past the group's retention are rejected one by one
// (reported as index ranges) while the rest are stored. Sequence tokens are ignored, as AWS now does.

import type * as CWL from '@aws-sdk/client-cloudwatch-logs';
import type { Handler } from '../types.js';
import { invalidParameter } from './errors.js';
import { appendEvents } from './ingest.js';
import { retentionCutoff } from './retention.js';
import { LogsData, messageBytes } from './state.js';
import { sequenceToken } from './tokens.js';

export const MAX_BATCH_BYTES = 1_048_576;
export const EVENT_OVERHEAD_BYTES = 26;
const MAX_EVENT_BYTES = 1_048_576;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MAX_AGE = 14 * DAY;
const MAX_FUTURE = 2 * HOUR;
const MAX_SPAN = DAY;

type InputEvent = { timestamp: number; message: string };

function checkBatch(events: InputEvent[], now: number): void {
  let total = 0;
  for (const event of events) {
    const size = messageBytes(event.message) + EVENT_OVERHEAD_BYTES;
    if (size > MAX_EVENT_BYTES) throw invalidParameter(`Log event too large: ${size} bytes exceeds limit of ${MAX_EVENT_BYTES}`);
    total += size;
  }
  if (total > MAX_BATCH_BYTES) throw invalidParameter(`Upload too large: ${total} bytes exceeds limit of ${MAX_BATCH_BYTES}`);
  for (let i = 1; i < events.length; i++) {
    if (events[i]!.timestamp < events[i - 1]!.timestamp) throw invalidParameter('Log events in a single PutLogEvents request must be in chronological order.');
  }
  // The span counts only events inside the accepted window (14 days back to 2 hours ahead).
  const window = events.filter((e) => e.timestamp >= now - MAX_AGE && e.timestamp <= now + MAX_FUTURE);
  if (window.length > 1 && window[window.length - 1]!.timestamp - window[0]!.timestamp > MAX_SPAN) {
    throw invalidParameter('The batch of log events in a single PutLogEvents request cannot span more than 24 hours.');
  }
}

/** The count of leading events (the batch is sorted) whose timestamp is below the limit. */
function countBefore(events: InputEvent[], limit: number): number {
  let n = 0;
  while (n < events.length && events[n]!.timestamp < limit) n++;
  return n;
}

export const putLogEvents: Handler<CWL.PutLogEventsRequest, CWL.PutLogEventsResponse> = (input, ctx) => {
  const events = input.logEvents as InputEvent[];
  const now = ctx.clock.now();
  checkBatch(events, now);
  const data = LogsData.of(ctx);
  const group = data.group(input.logGroupName!);
  const stream = data.stream(group.name, input.logStreamName!);

  const tooOldEnd = countBefore(events, now - MAX_AGE);
  const expiredEnd = countBefore(events, retentionCutoff(group, now) ?? -Infinity);
  const tooNewStart = countBefore(events, now + MAX_FUTURE + 1);
  const start = Math.max(tooOldEnd, expiredEnd);
  const accepted = events.slice(start, Math.max(start, tooNewStart));

  data.transaction(() => {
    if (accepted.length > 0) appendEvents(data, group, stream, accepted, now);
  });

  const rejected: CWL.RejectedLogEventsInfo = {};
  if (tooOldEnd > 0) rejected.tooOldLogEventEndIndex = tooOldEnd;
  if (expiredEnd > tooOldEnd) rejected.expiredLogEventEndIndex = expiredEnd;
  if (tooNewStart < events.length) rejected.tooNewLogEventStartIndex = tooNewStart;
  return {
    // appendEvents counted this upload on the stream record.
    nextSequenceToken: sequenceToken(stream.number, stream.uploads),
    rejectedLogEventsInfo: Object.keys(rejected).length > 0 ? rejected : undefined,
  };
};
