// Reading a stream: GetRecords uses this, and so can Lambda's event source mapping, in process
// and without HTTP: readStreamRecords(store, streamArn, afterSequence, limit, now).

import type { Collection, Scope, Store } from '../../../store/store.js';
import { parseArn } from '../../common/arn.js';
import { wireMap, type AttributeMap } from '../values.js';
import { changeRecords, RETENTION_MS, streamMetas, streamVisible, type ChangeRecord, type StreamMeta } from './state.js';
import { trimStream } from './trim.js';

/** The DynamoDB Streams wire form of one record (timestamps as Date, binaries as Buffer). */
export interface WireStreamRecord {
  eventID: string;
  eventName: string;
  eventVersion: string;
  eventSource: string;
  awsRegion: string;
  dynamodb: {
    ApproximateCreationDateTime: Date;
    Keys: AttributeMap;
    NewImage?: AttributeMap;
    OldImage?: AttributeMap;
    SequenceNumber: string;
    SizeBytes: number;
    StreamViewType: string;
  };
  userIdentity?: { PrincipalId: string; Type: string };
}

export interface StreamLocation {
  meta: StreamMeta;
  scope: Scope;
  records: Collection<ChangeRecord>;
}

/** The stream an ARN names, if it exists and is still visible at `now`. */
export function locateStream(store: Store, streamArn: string, now: number): StreamLocation | undefined {
  const parts = parseArn(streamArn);
  if (!parts || parts.service !== 'dynamodb') return undefined;
  const scope = { account: parts.account, region: parts.region };
  const metas = streamMetas(store, scope);
  const meta = metas.get(streamArn);
  if (!meta) return undefined;
  const records = changeRecords(store, scope, meta.tableId, meta.label);
  if (!streamVisible(meta, now)) {
    // Disabled more than 24 hours ago: nothing of it can be read any more, so it goes.
    store.transaction(() => {
      records.deletePrefix('');
      metas.delete(streamArn);
    });
    return undefined;
  }
  return { meta, scope, records };
}

/** Deletes records past retention (when any are) and returns the stream's trim point. */
export function trimmedThrough(store: Store, at: StreamLocation, now: number): string | undefined {
  const oldest = at.records.list({ limit: 1 })[0];
  if (oldest && oldest[1].at < now - RETENTION_MS) {
    trimStream(store, at.scope, at.meta.tableId, at.meta.label, at.meta.arn, now);
    return streamMetas(store, at.scope).get(at.meta.arn)?.trimmedThrough;
  }
  return at.meta.trimmedThrough;
}

export interface StreamRead {
  records: ChangeRecord[];
  /** Set when records after `afterSequence` were trimmed before they could be read. */
  trimmed: boolean;
  /** Whether the stream (and so its only shard) is closed. */
  closed: boolean;
}

/**
 * Up to `limit` records after `afterSequence` (from the oldest retained record when undefined),
 * in the stored form (images with base64 binaries, as Lambda's events carry them). Undefined when
 * the stream does not exist or is gone.
 */
export function readStreamRecords(store: Store, streamArn: string, afterSequence: string | undefined, limit: number, now: number): StreamRead | undefined {
  const at = locateStream(store, streamArn, now);
  if (!at) return undefined;
  const trimPoint = trimmedThrough(store, at, now);
  const trimmed = afterSequence !== undefined && trimPoint !== undefined && afterSequence < trimPoint;
  const records = trimmed ? [] : at.records.values({ after: afterSequence, limit });
  return { records, trimmed, closed: at.meta.disabledAt !== undefined };
}

/** A stored record as GetRecords answers it. */
export function wireRecord(meta: StreamMeta, region: string, record: ChangeRecord): WireStreamRecord {
  const out: WireStreamRecord = {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: region,
    dynamodb: {
      // AWS rounds the creation time down to the second.
      ApproximateCreationDateTime: new Date(Math.floor(record.at / 1000) * 1000),
      Keys: wireMap(record.keys),
      SequenceNumber: record.seq,
      SizeBytes: record.sizeBytes,
      StreamViewType: meta.viewType,
    },
  };
  if (record.newImage) out.dynamodb.NewImage = wireMap(record.newImage);
  if (record.oldImage) out.dynamodb.OldImage = wireMap(record.oldImage);
  if (record.ttl) out.userIdentity = { PrincipalId: 'dynamodb.amazonaws.com', Type: 'Service' };
  return out;
}

/** A stored record as Lambda delivers it in a DynamoDB event (JSON: seconds, base64 binaries). */
export function lambdaEventRecord(meta: StreamMeta, region: string, record: ChangeRecord): Record<string, unknown> {
  const dynamodb: Record<string, unknown> = {
    ApproximateCreationDateTime: Math.floor(record.at / 1000),
    Keys: record.keys,
    SequenceNumber: record.seq,
    SizeBytes: record.sizeBytes,
    StreamViewType: meta.viewType,
  };
  if (record.newImage) dynamodb.NewImage = record.newImage;
  if (record.oldImage) dynamodb.OldImage = record.oldImage;
  const out: Record<string, unknown> = {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: region,
    dynamodb,
    eventSourceARN: meta.arn,
  };
  if (record.ttl) out.userIdentity = { type: 'Service', principalId: 'dynamodb.amazonaws.com' };
  return out;
}
