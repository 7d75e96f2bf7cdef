// Reading a DynamoDB stream for a mapping: a short poll on Fogbank's clock from the mapping's
// position, one synchronous invocation per batch with the records in order, the position moved
// past the batch only when the function succeeds. A failed batch is retried (for ever by default,
// as AWS does with MaximumRetryAttempts -1, else that many times before it is skipped).

import type { RequestContext } from '../../types.js';
import { lambdaEventRecord, locateStream, readStreamRecords } from '../../dynamodb/streams/read.js';
import { active, type Poller } from './pollers.js';
import { invokeFunction } from './invoke-batch.js';
import { mappings, type MappingRecord } from './state.js';

/** Idle polls are cheap (one store read); a hook from the stream writer would remove them. */
const POLL_MS = 100;

function wait(ctx: RequestContext, ms: number): Promise<void> {
  return new Promise((resolve) => ctx.clock.at(ctx.clock.now() + ms, resolve));
}

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

/** One round: returns whether records were delivered or tried (so the next round comes at once). */
async function pollOnce(ctx: RequestContext, uuid: string, failures: { count: number }): Promise<boolean> {
  let record = mappings(ctx).get(uuid)!;
  if (!record.positioned) {
    fixPosition(ctx, record);
    record = mappings(ctx).get(uuid)!;
    if (!record.positioned) return false;
  }
  const now = ctx.clock.now();
  const read = readStreamRecords(ctx.store, record.eventSourceArn, record.position, record.batchSize, now);
  if (!read) return false;
  if (read.trimmed) {
    // Records past retention are lost to the mapping, as in AWS; go on from the oldest left.
    save(ctx, uuid, { position: undefined });
    return true;
  }
  if (read.records.length === 0) return false;
  const at = locateStream(ctx.store, record.eventSourceArn, now)!;
  const event = { Records: read.records.map((r) => lambdaEventRecord(at.meta, at.scope.region, r)) };
  const result = await invokeFunction(ctx, record.functionArn, event);
  const last = read.records[read.records.length - 1]!.seq;
  if (result.ok) {
    failures.count = 0;
    save(ctx, uuid, { position: last, lastProcessingResult: 'OK' });
    return true;
  }
  failures.count += 1;
  const retries = record.maximumRetryAttempts ?? -1;
  if (retries >= 0 && failures.count > retries) {
    failures.count = 0;
    save(ctx, uuid, { position: last, lastProcessingResult: 'PROBLEM: Function call failed' });
    return true;
  }
  save(ctx, uuid, { lastProcessingResult: 'PROBLEM: Function call failed' });
  // A failed batch is retried after a pause, not in a tight loop.
  return false;
}

export async function pollStream(ctx: RequestContext, poller: Poller): Promise<void> {
  const failures = { count: 0 };
  while (active(ctx, poller)) {
    let busy = false;
    try {
      busy = await pollOnce(ctx, poller.uuid, failures);
    } catch {
      busy = false;
    }
    if (!busy) await wait(ctx, POLL_MS);
  }
}
