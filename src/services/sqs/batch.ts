// What every *Batch action checks before looking at entries, in AWS's order, and how it reports
// an entry that failed.

import type * as SQS from '@aws-sdk/client-sqs';
import { ServiceError } from '../../errors.js';
import { batchEntryCode, batchEntryIdsNotDistinct, emptyBatchRequest, invalidBatchEntryId, tooManyEntriesInBatchRequest } from './errors.js';

export const MAX_BATCH_ENTRIES = 10;
const BATCH_ID = /^[A-Za-z0-9_-]{1,80}$/;

/**
 * Empty, too many, then each id's form; `perEntry` adds checks of its own (FIFO ids for sends)
 * before the duplicate check, as AWS orders them.
 */
export function checkBatch<E extends { Id?: string }>(entries: E[] | undefined, entryShape: string, perEntry?: (entry: E) => void): E[] {
  if (!entries || entries.length === 0) throw emptyBatchRequest(entryShape);
  if (entries.length > MAX_BATCH_ENTRIES) throw tooManyEntriesInBatchRequest(entries.length);
  const seen = new Set<string>();
  for (const entry of entries) {
    const id = entry.Id ?? '';
    if (!BATCH_ID.test(id)) throw invalidBatchEntryId();
    perEntry?.(entry);
    if (seen.has(id)) throw batchEntryIdsNotDistinct(id);
    seen.add(id);
  }
  return entries;
}

export function failedEntry(id: string, error: unknown): SQS.BatchResultErrorEntry {
  if (!(error instanceof ServiceError)) throw error;
  return { Id: id, SenderFault: error.senderFault, Code: batchEntryCode(error), Message: error.message };
}
