// ListStreams and DescribeStream. Streams live in DynamoDB's state (they are written in the same
// transaction as items); this service reads them. Each stream has one shard, open while the
// stream is enabled and closed (with an ending sequence number) once it is disabled.

import type * as DS from '@aws-sdk/client-dynamodb-streams';
import { ServiceError } from '../../errors.js';
import { locateStream, type StreamLocation } from '../dynamodb/streams/read.js';
import { formatSequence, streamMetas, streamVisible, type StreamMeta } from '../dynamodb/streams/state.js';
import type { Handler, RequestContext } from '../types.js';

export function streamNotFound(arn: string): ServiceError {
  return new ServiceError('ResourceNotFoundException', `Requested resource not found: Stream: ${arn} not found`);
}

/** The stream an ARN names, in the caller's account and region, or ResourceNotFoundException. */
export function requireStream(ctx: RequestContext, arn: string): StreamLocation {
  const at = locateStream(ctx.store, arn, ctx.clock.now());
  if (!at || at.scope.account !== ctx.account || at.scope.region !== ctx.region) throw streamNotFound(arn);
  return at;
}

export function startingSequence(meta: StreamMeta): string {
  return formatSequence(meta.createdAt * 1000);
}

export const listStreams: Handler<DS.ListStreamsInput, DS.ListStreamsOutput> = (input, ctx) => {
  const now = ctx.clock.now();
  const limit = input.Limit ?? 100;
  const metas = streamMetas(ctx.store, ctx);
  // Few streams per account and region: read them all, keep the visible ones, page in memory.
  const all = metas.values().filter((m) => streamVisible(m, now) && (!input.TableName || m.tableName === input.TableName));
  const start = input.ExclusiveStartStreamArn ? all.findIndex((m) => m.arn > input.ExclusiveStartStreamArn!) : 0;
  const page = start < 0 ? [] : all.slice(start, start + limit);
  const out: DS.ListStreamsOutput = { Streams: page.map((m) => ({ StreamArn: m.arn, TableName: m.tableName, StreamLabel: m.label })) };
  if (start >= 0 && start + limit < all.length) out.LastEvaluatedStreamArn = page[page.length - 1]!.arn;
  return out;
};

export const describeStream: Handler<DS.DescribeStreamInput, DS.DescribeStreamOutput> = (input, ctx) => {
  const { meta, records } = requireStream(ctx, input.StreamArn!);
  const closed = meta.disabledAt !== undefined;
  const range: DS.SequenceNumberRange = { StartingSequenceNumber: startingSequence(meta) };
  if (closed) range.EndingSequenceNumber = records.list({ reverse: true, limit: 1 })[0]?.[0] ?? range.StartingSequenceNumber;
  const shards: DS.Shard[] = input.ExclusiveStartShardId && input.ExclusiveStartShardId >= meta.shardId ? [] : [{ ShardId: meta.shardId, SequenceNumberRange: range }];
  return {
    StreamDescription: {
      StreamArn: meta.arn,
      StreamLabel: meta.label,
      StreamStatus: closed ? 'DISABLED' : 'ENABLED',
      StreamViewType: meta.viewType,
      CreationRequestDateTime: new Date(meta.createdAt),
      TableName: meta.tableName,
      KeySchema: meta.keySchema as DS.KeySchemaElement[],
      Shards: shards,
    },
  };
};
