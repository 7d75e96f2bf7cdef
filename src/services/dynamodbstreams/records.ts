// GetShardIterator and GetRecords. An iterator is the stream ARN, then an opaque part holding the
// shard, the position (the sequence number it reads after) and when it was issued; it expires 15
// minutes after that on Fogbank's clock. Positions before the stream's trim point (records older
// than 24 hours) answer TrimmedDataAccessException.

import type * as DS from '@aws-sdk/client-dynamodb-streams';
import { ServiceError } from '../../errors.js';
import { readStreamRecords, trimmedThrough, wireRecord } from '../dynamodb/streams/read.js';
import { formatSequence, parseSequence, type StreamMeta } from '../dynamodb/streams/state.js';
import type { Handler, RequestContext } from '../types.js';
import { requireStream } from './streams.js';

const ITERATOR_LIFETIME_MS = 15 * 60 * 1000;
const MAX_RECORDS = 1000;
const MAX_BYTES = 1024 * 1024;

interface Position {
  arn: string;
  shard: string;
  /** Read records strictly after this sequence number. */
  after: string;
  issuedAt: number;
}

function validation(message: string): ServiceError {
  return new ServiceError('ValidationException', message);
}

function trimmed(): ServiceError {
  return new ServiceError('TrimmedDataAccessException', 'The operation attempted to read past the oldest stream record in a shard.');
}

function encode(position: Position): string {
  const opaque = Buffer.from(JSON.stringify([position.shard, position.after, position.issuedAt])).toString('base64');
  return `${position.arn}|1|${opaque}`;
}

function decode(iterator: string): Position {
  const at = iterator.lastIndexOf('|1|');
  try {
    if (at < 0) throw new Error();
    const [shard, after, issuedAt] = JSON.parse(Buffer.from(iterator.slice(at + 3), 'base64').toString()) as [string, string, number];
    if (typeof shard !== 'string' || typeof after !== 'string' || typeof issuedAt !== 'number') throw new Error();
    return { arn: iterator.slice(0, at), shard, after, issuedAt };
  } catch {
    throw validation('Invalid ShardIterator');
  }
}

function requireShard(meta: StreamMeta, shardId: string): void {
  if (shardId !== meta.shardId) {
    throw new ServiceError('ResourceNotFoundException', `Requested resource not found: Shard does not exist`);
  }
}

function sequenceArgument(input: DS.GetShardIteratorInput): number {
  if (input.SequenceNumber === undefined) {
    throw validation(`SequenceNumber is required when ShardIteratorType is ${input.ShardIteratorType}`);
  }
  const n = parseSequence(input.SequenceNumber);
  if (n === undefined) throw validation(`Invalid SequenceNumber: ${input.SequenceNumber}`);
  return n;
}

function startPosition(ctx: RequestContext, input: DS.GetShardIteratorInput): string {
  const at = requireStream(ctx, input.StreamArn!);
  requireShard(at.meta, input.ShardId!);
  const trimPoint = trimmedThrough(ctx.store, at, ctx.clock.now());
  const floor = trimPoint ?? formatSequence(0);
  switch (input.ShardIteratorType) {
    case 'TRIM_HORIZON':
      return floor;
    case 'LATEST':
      return at.records.list({ reverse: true, limit: 1 })[0]?.[0] ?? floor;
    case 'AT_SEQUENCE_NUMBER': {
      const after = formatSequence(Math.max(0, sequenceArgument(input) - 1));
      if (after < floor) throw trimmed();
      return after;
    }
    case 'AFTER_SEQUENCE_NUMBER': {
      const after = formatSequence(sequenceArgument(input));
      if (after < floor) throw trimmed();
      return after;
    }
  }
  throw validation(`Invalid ShardIteratorType: ${input.ShardIteratorType}`);
}

export const getShardIterator: Handler<DS.GetShardIteratorInput, DS.GetShardIteratorOutput> = (input, ctx) => {
  const after = startPosition(ctx, input);
  return { ShardIterator: encode({ arn: input.StreamArn!, shard: input.ShardId!, after, issuedAt: ctx.clock.now() }) };
};

export const getRecords: Handler<DS.GetRecordsInput, DS.GetRecordsOutput> = (input, ctx) => {
  const position = decode(input.ShardIterator!);
  const now = ctx.clock.now();
  if (now - position.issuedAt > ITERATOR_LIFETIME_MS) {
    throw new ServiceError(
      'ExpiredIteratorException',
      `Iterator expired. The iterator was created at time ${new Date(position.issuedAt).toUTCString()} while right now it is ${new Date(now).toUTCString()} which is further in the future than the tolerated delay of ${ITERATOR_LIFETIME_MS} milliseconds.`,
    );
  }
  const { meta } = requireStream(ctx, position.arn);
  requireShard(meta, position.shard);
  const read = readStreamRecords(ctx.store, position.arn, position.after, Math.min(input.Limit ?? MAX_RECORDS, MAX_RECORDS), now)!;
  if (read.trimmed) throw trimmed();
  const records: DS._Record[] = [];
  let bytes = 0;
  let last = position.after;
  for (const record of read.records) {
    if (records.length > 0 && bytes + record.sizeBytes > MAX_BYTES) break;
    bytes += record.sizeBytes;
    records.push(wireRecord(meta, ctx.region, record) as unknown as DS._Record);
    last = record.seq;
  }
  const out: DS.GetRecordsOutput = { Records: records };
  // A closed shard that has been read to its end has no next iterator.
  const exhausted = read.closed && records.length === read.records.length && records.length < (input.Limit ?? MAX_RECORDS);
  if (!exhausted) out.NextShardIterator = encode({ ...position, after: last, issuedAt: now });
  return out;
};
