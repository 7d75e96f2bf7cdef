// Log streams: create, delete, describe (by name or by last event time, either direction, paged).

import type * as CWL from '@aws-sdk/client-cloudwatch-logs';
import type { Handler } from '../types.js';
import { alreadyExists, invalidParameter, invalidToken } from './errors.js';
import { checkNameLength, requestedGroup, streamArn } from './names.js';
import { sweepExpired } from './retention.js';
import { LogsData, newStreamRecord, type LogStreamRecord } from './state.js';
import { pageToken, readPageToken, sequenceToken } from './tokens.js';

const DESCRIBE_LIMIT = 50;

export const createLogStream: Handler<CWL.CreateLogStreamRequest, Record<string, never>> = (input, ctx) => {
  const name = input.logStreamName!;
  checkNameLength(name);
  const data = LogsData.of(ctx);
  const group = data.group(input.logGroupName!);
  if (data.streams(group.name).has(name)) throw alreadyExists('log stream');
  data.transaction(() => {
    const stream = newStreamRecord(group, name, ctx.clock.now());
    data.streams(group.name).put(name, stream);
    data.groups().put(group.name, group);
  });
  return {};
};

export const deleteLogStream: Handler<CWL.DeleteLogStreamRequest, Record<string, never>> = (input, ctx) => {
  const data = LogsData.of(ctx);
  const group = data.group(input.logGroupName!);
  const stream = data.stream(group.name, input.logStreamName!);
  data.transaction(() => {
    data.events(group.name).deletePrefix(`${stream.name}:`);
    data.streams(group.name).delete(stream.name);
    data.groups().put(group.name, { ...group, storedBytes: Math.max(0, group.storedBytes - stream.storedBytes) });
  });
  return {};
};

type SortKey = [number, string];

function byLastEvent(stream: LogStreamRecord): SortKey {
  return [stream.lastEventTimestamp ?? 0, stream.name];
}

function compareKeys(a: SortKey, b: SortKey): number {
  return a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);
}

function isSortKey(value: unknown): value is SortKey {
  return Array.isArray(value) && value.length === 2 && typeof value[0] === 'number' && typeof value[1] === 'string';
}

export const describeLogStreams: Handler<CWL.DescribeLogStreamsRequest, CWL.DescribeLogStreamsResponse> = (input, ctx) => {
  const byTime = input.orderBy === 'LastEventTime';
  if (byTime && input.logStreamNamePrefix !== undefined) throw invalidParameter('Cannot order by LastEventTime with a logStreamNamePrefix.');
  const data = LogsData.of(ctx);
  const group = sweepExpired(data, data.group(requestedGroup(input)), ctx.clock.now());
  const descending = input.descending === true;
  const limit = input.limit ?? DESCRIBE_LIMIT;
  // Paging positions are sort keys: [lastEventTime, name] by time, [0, name] by name.
  const keyOf = (s: LogStreamRecord): SortKey => (byTime ? byLastEvent(s) : [0, s.name]);
  let after: SortKey | undefined;
  if (input.nextToken !== undefined) {
    const position = readPageToken(input.nextToken);
    if (!isSortKey(position)) throw invalidToken();
    after = position;
  }
  const streams = data.streams(group.name).values({ prefix: input.logStreamNamePrefix });
  if (byTime) streams.sort((a, b) => compareKeys(byLastEvent(a), byLastEvent(b)));
  if (descending) streams.reverse();
  const remaining = after === undefined ? streams : streams.filter((s) => (descending ? compareKeys(keyOf(s), after!) < 0 : compareKeys(keyOf(s), after!) > 0));
  const page = remaining.slice(0, limit);
  return {
    logStreams: page.map((s) => ({
      logStreamName: s.name,
      creationTime: s.creationTime,
      firstEventTimestamp: s.firstEventTimestamp,
      lastEventTimestamp: s.lastEventTimestamp,
      lastIngestionTime: s.lastIngestionTime,
      uploadSequenceToken: s.uploads > 0 ? sequenceToken(s.number, s.uploads) : undefined,
      arn: streamArn(ctx, group.name, s.name),
      // AWS reports zero for streams since 2019; only groups count stored bytes.
      storedBytes: 0,
    })),
    nextToken: remaining.length > limit ? pageToken(keyOf(page[page.length - 1]!)) : undefined,
  };
};
