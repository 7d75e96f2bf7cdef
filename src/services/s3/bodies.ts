// Where object and part bodies live. Small ones (up to INLINE_MAX bytes) are rows of the store:
// writing one is a single SQLite write, as durable as every other record, instead of a file to
// create, sync, rename and later unlink. Larger ones are blob files (temporary file, synced, renamed).
// Either way the body is stored before the record that names it, so a crash leaves at worst an
// orphan. Body ids say where: inline ones start with "i-", blob files are bare UUIDs.

import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { RequestContext } from '../types.js';
import type { Collection } from '../../store/store.js';

export const INLINE_MAX = 32 * 1024;

const INLINE = 'i-';

/** Inline bodies as base64, keyed by body id; kept apart from object records so listings never read them. */
function inlineBodies(ctx: RequestContext): Collection<string> {
  return ctx.store.collection<string>('s3', 'bodies', { account: 's3', region: '' });
}

export const isInline = (id: string) => id.startsWith(INLINE);

export interface StoredBodyId {
  id: string;
  /** An inline body not yet saved (with `defer`): saveBody it in the transaction that commits its record. */
  pending?: Buffer;
}

/**
 * Stores a body as it streams in: held in memory while it stays small, spilled to a blob file once
 * it does not. With `defer`, a small body is returned unsaved, for the caller's transaction.
 */
export async function storeBody(ctx: RequestContext, chunks: AsyncIterable<Buffer>, defer = false): Promise<StoredBodyId> {
  const iterator = chunks[Symbol.asyncIterator]();
  const held: Buffer[] = [];
  let heldBytes = 0;
  for (;;) {
    const next = await iterator.next();
    if (next.done) {
      const id = `${INLINE}${randomUUID()}`;
      const bytes = held.length === 1 ? held[0]! : Buffer.concat(held);
      if (defer) return { id, pending: bytes };
      saveBody(ctx, id, bytes);
      return { id };
    }
    held.push(next.value);
    heldBytes += next.value.length;
    if (heldBytes > INLINE_MAX) break;
  }
  async function* all(): AsyncGenerator<Buffer> {
    yield* held;
    held.length = 0;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }
  const id = randomUUID();
  await ctx.store.blobs.putStream(id, all());
  return { id };
}

export function saveBody(ctx: RequestContext, id: string, bytes: Buffer): void {
  inlineBodies(ctx).put(id, bytes.toString('base64'));
}

/** Bytes [start, end] (inclusive) of a body, or all of it. */
export function readBody(ctx: RequestContext, id: string, start?: number, end?: number): Buffer | undefined {
  if (!isInline(id)) return ctx.store.blobs.get(id, start, end);
  const text = inlineBodies(ctx).get(id);
  if (text === undefined) return undefined;
  const whole = Buffer.from(text, 'base64');
  return start === undefined ? whole : whole.subarray(start, end === undefined ? undefined : end + 1);
}

/** A stream of a body (or of bytes [start, end]), for bodies too large to hold. */
export function streamBody(ctx: RequestContext, id: string, start?: number, end?: number): Readable | undefined {
  if (!isInline(id)) return ctx.store.blobs.stream(id, start, end);
  const bytes = readBody(ctx, id, start, end);
  return bytes && Readable.from([bytes]);
}

/** Frees a body no record names any more (no id: nothing to free, as for delete markers). */
export function freeBody(ctx: RequestContext, id: string | undefined): void {
  if (!id) return;
  if (isInline(id)) inlineBodies(ctx).delete(id);
  else ctx.store.blobs.delete(id);
}
