// Reading a DynamoDB stream for a mapping: from the mapping's position, one synchronous invocation
// per batch with the records in order, the position moved past the batch only when the function
// succeeds. The poller sleeps until a write to the table wakes it (no polling while idle).
// - A batching window holds a short batch until it fills or its oldest record is that old.
// - Records the mapping's filters reject are skipped; records older than MaximumRecordAgeInSeconds
//   are discarded (RecordAgeExceeded) without running the function.
// - A failed batch is retried (for ever by default, as AWS does with MaximumRetryAttempts -1, else
//   that many times); with BisectBatchOnFunctionError it is first split in halves, down to single
//   records, and splitting does not count as a retry. ReportBatchItemFailures moves the position
//   up to the first record the function names and retries from there.
// - A batch given up on goes to the OnFailure destination (SQS or SNS) as AWS's metadata record.

import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../../types.js';
import { lambdaEventRecord, locateStream, readStreamRecords } from '../../dynamodb/streams/read.js';
import type { ChangeRecord } from '../../dynamodb/streams/state.js';
import { deliver } from '../async/destinations.js';
import { active, sleep, type Poller } from './pollers.js';
import { invokeFunction, type BatchResult } from './invoke-batch.js';
import { passes } from './filters.js';
import { mappings, type MappingRecord } from './state.js';

/** A failed batch is tried again after this long on Fogbank's clock (writes to the table do not hurry it). */
const RETRY_MS = 100;
const RETRY = 'retry';

function save(ctx: RequestContext, uuid: string, change: Partial<MappingRecord>): void {
  const current = mappings(ctx).get(uuid);
  if (current) mappings(ctx).put(uuid, { ...current, ...change });
}

/** LATEST starts after the newest record present when the mapping first polls. */
function fixPosition(ctx: RequestContext, record: MappingRecord): void {
  let position: string | undefined;
  if (record.startingPosition === 'LATEST') {
    const at = locateStream(ctx.store, record.eventSourceArn, ctx.clock.now());
    if (!at) return;
    position = at.records.list({ reverse: true, limit: 1 })[0]?.[1].seq;
  }
  save(ctx, record.uuid, { positioned: true, position });
}

/** What a poller remembers between rounds about the batch it is failing on. */
interface Progress {
  /** Invocations of the current (failing) batch so far. */
  attempts: number;
  /** Sizes of the halves still to run, after bisecting (first = next). */
  pieces: number[];
}

const isoSeconds = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/** Sends AWS's metadata record for records given up on to the mapping's OnFailure destination. */
async function discard(ctx: RequestContext, record: MappingRecord, records: ChangeRecord[], condition: string, attempts: number, result?: BatchResult): Promise<void> {
  if (!record.onFailure || records.length === 0) return;
  const at = locateStream(ctx.store, record.eventSourceArn, ctx.clock.now());
  const first = records[0]!;
  const last = records[records.length - 1]!;
  const body: Record<string, unknown> = {
    requestContext: { requestId: randomUUID(), functionArn: record.functionArn, condition, approximateInvokeCount: attempts },
    ...(result?.response ? { responseContext: result.response } : {}),
    version: '1.0',
    timestamp: new Date(ctx.clock.now()).toISOString(),
    DDBStreamBatchInfo: {
      shardId: at?.meta.shardId,
      startSequenceNumber: first.seq,
      endSequenceNumber: last.seq,
      approximateArrivalOfFirstRecord: isoSeconds(first.at),
      approximateArrivalOfLastRecord: isoSeconds(last.at),
      batchSize: records.length,
      streamArn: record.eventSourceArn,
    },
  };
  await deliver(ctx, record.onFailure, body, record.functionArn);
}

/** The first record a ReportBatchItemFailures answer names, or -1 (none) / 0 (not a valid report: all failed). */
function firstReported(payload: unknown, records: ChangeRecord[]): number {
  if (payload === null || typeof payload !== 'object' || !('batchItemFailures' in payload)) return -1;
  const list = (payload as { batchItemFailures: unknown }).batchItemFailures;
  if (list === null || list === undefined || (Array.isArray(list) && list.length === 0)) return -1;
  if (!Array.isArray(list)) return 0;
  let first = records.length;
  for (const item of list) {
    const id = (item as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    const index = records.findIndex((r) => r.seq === id);
    if (index < 0) return 0;
    first = Math.min(first, index);
  }
  return first;
}

/** One round; returns how long to sleep before the next (0 = go on at once, undefined = until woken, RETRY = a failure's pause). */
async function pollOnce(ctx: RequestContext, uuid: string, progress: Progress): Promise<number | undefined | typeof RETRY> {
  let record = mappings(ctx).get(uuid)!;
  if (!record.positioned) {
    fixPosition(ctx, record);
    record = mappings(ctx).get(uuid)!;
    if (!record.positioned) return undefined;
  }
  const now = ctx.clock.now();
  const limit = progress.pieces[0] ?? record.batchSize;
  const read = readStreamRecords(ctx.store, record.eventSourceArn, record.position, limit, now);
  if (!read) return undefined;
  if (read.trimmed) {
    // Records past retention are lost to the mapping, as in AWS; go on from the oldest left.
    save(ctx, uuid, { position: undefined });
    return 0;
  }
  let records = read.records;
  if (records.length === 0) return undefined;
  // A batching window: a short batch waits for more records until its oldest is that old.
  const windowEnds = records[0]!.at + record.batchingWindow * 1000;
  if (progress.pieces.length === 0 && records.length < record.batchSize && windowEnds > now) return windowEnds - now;

  const maxAge = record.maximumRecordAgeInSeconds ?? -1;
  if (maxAge >= 0) {
    const aged = records.filter((r) => now - r.at > maxAge * 1000);
    if (aged.length) {
      await discard(ctx, record, aged, 'RecordAgeExceeded', 0);
      save(ctx, uuid, { position: aged[aged.length - 1]!.seq });
      progress.pieces = [];
      progress.attempts = 0;
      return 0;
    }
  }
  const at = locateStream(ctx.store, record.eventSourceArn, now)!;
  const events = records.map((r) => lambdaEventRecord(at.meta, at.scope.region, r));
  const kept = events.map((e) => passes(record.filters, e, 'dynamodb'));
  if (!kept.some(Boolean)) {
    save(ctx, uuid, { position: records[records.length - 1]!.seq });
    return 0;
  }
  const result = await invokeFunction(ctx, record.functionArn, { Records: events.filter((_, i) => kept[i]) });
  progress.attempts += 1;
  let failedFrom = result.ok ? -1 : 0;
  if (result.ok && record.functionResponseTypes.includes('ReportBatchItemFailures')) {
    const reported = firstReported(result.payload, records.filter((_, i) => kept[i]));
    // Indices count kept records; map back to the batch.
    failedFrom = reported < 0 ? -1 : records.indexOf(records.filter((_, i) => kept[i])[reported]!);
  }
  if (failedFrom < 0) {
    save(ctx, uuid, { position: records[records.length - 1]!.seq, lastProcessingResult: 'OK' });
    progress.attempts = 0;
    progress.pieces.shift();
    return 0;
  }
  // The records before the first failure are done.
  if (failedFrom > 0) {
    save(ctx, uuid, { position: records[failedFrom - 1]!.seq });
    records = records.slice(failedFrom);
    progress.pieces = [records.length];
  }
  if (record.bisectBatchOnFunctionError && records.length > 1) {
    const half = Math.ceil(records.length / 2);
    progress.pieces.splice(0, 1, half, records.length - half);
    progress.attempts = 0;
    save(ctx, uuid, { lastProcessingResult: 'PROBLEM: Function call failed' });
    return 0;
  }
  const retries = record.maximumRetryAttempts ?? -1;
  if (retries >= 0 && progress.attempts > retries) {
    await discard(ctx, record, records, 'RetryAttemptsExhausted', progress.attempts, result);
    save(ctx, uuid, { position: records[records.length - 1]!.seq, lastProcessingResult: 'PROBLEM: Function call failed' });
    progress.attempts = 0;
    progress.pieces.shift();
    return 0;
  }
  save(ctx, uuid, { lastProcessingResult: 'PROBLEM: Function call failed' });
  // A failed batch is retried after a pause, not in a tight loop.
  return RETRY;
}

export async function pollStream(ctx: RequestContext, poller: Poller): Promise<void> {
  const progress: Progress = { attempts: 0, pieces: [] };
  while (active(ctx, poller)) {
    let next: number | undefined | typeof RETRY;
    try {
      next = await pollOnce(ctx, poller.uuid, progress);
    } catch {
      next = RETRY;
    }
    if (next === RETRY) await new Promise<void>((resolve) => ctx.clock.after(RETRY_MS, resolve));
    else if (next !== 0) await sleep(ctx, poller, next);
  }
}
