// Trimming: records older than 24 hours on Fogbank's clock are deleted, and the stream remembers
// the newest sequence number it trimmed so a reader positioned before it gets
// TrimmedDataAccessException instead of silently skipping records.

import type { Scope, Store } from '../../../store/store.js';
import { changeRecords, RETENTION_MS, streamMetas } from './state.js';

const PAGE = 1000;

export function trimStream(store: Store, scope: Scope, tableId: string, label: string, arn: string, now: number): void {
  const records = changeRecords(store, scope, tableId, label);
  const cutoff = now - RETENTION_MS;
  let newest: string | undefined;
  store.transaction(() => {
    for (;;) {
      // Read a page, then delete: the store cannot write while a read is open.
      const old = records.list({ limit: PAGE }).filter(([, r]) => r.at < cutoff);
      for (const [seq] of old) records.delete(seq);
      if (old.length) newest = old[old.length - 1]![0];
      if (old.length < PAGE) break;
    }
    if (newest === undefined) return;
    const metas = streamMetas(store, scope);
    const meta = metas.get(arn);
    if (meta) metas.put(arn, { ...meta, trimmedThrough: newest });
  });
}
