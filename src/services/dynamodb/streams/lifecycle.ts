// A stream's life: opened when CreateTable or UpdateTable enables it, closed (kept readable for 24
// hours) when UpdateTable disables it or the table is deleted.

import { randomBytes } from 'node:crypto';
import type { RequestContext } from '../../types.js';
import type { TableRecord } from '../tables/state.js';
import { streamMetas, type StreamMeta } from './state.js';

function scopeOf(ctx: RequestContext) {
  return { account: ctx.account, region: ctx.region };
}

/** Records the table's newly enabled stream (table.stream must be enabled, with arn and label). */
export function openStream(ctx: RequestContext, table: TableRecord): void {
  const { stream } = table;
  if (!stream.enabled || !stream.arn || !stream.label || !stream.viewType) return;
  const now = ctx.clock.now();
  const meta: StreamMeta = {
    arn: stream.arn,
    label: stream.label,
    tableName: table.name,
    tableId: table.id,
    viewType: stream.viewType,
    keySchema: table.keySchema,
    createdAt: now,
    shardId: `shardId-${String(now).padStart(20, '0')}-${randomBytes(4).toString('hex')}`,
  };
  streamMetas(ctx.store, scopeOf(ctx)).put(meta.arn, meta);
}

/** Closes the stream that `arn` names; its records stay readable for 24 hours. */
export function closeStream(ctx: RequestContext, arn: string | undefined): void {
  if (!arn) return;
  const metas = streamMetas(ctx.store, scopeOf(ctx));
  const meta = metas.get(arn);
  if (meta && meta.disabledAt === undefined) metas.put(arn, { ...meta, disabledAt: ctx.clock.now() });
}
