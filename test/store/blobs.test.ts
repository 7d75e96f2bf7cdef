// Blob storage, on disk and in memory: whole and ranged reads, streams, delete, reset.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FileBlobStore, MemoryBlobStore, type BlobStore } from '../../src/store/blobs.js';

async function collect(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

async function exercise(blobs: BlobStore): Promise<void> {
  blobs.put('obj-1', Buffer.from('hello, world'));
  assert.equal(blobs.get('obj-1')!.toString(), 'hello, world');
  assert.equal(blobs.get('obj-1', 7, 11)!.toString(), 'world');
  assert.equal(blobs.get('obj-1', 7)!.toString(), 'world');
  assert.equal(blobs.size('obj-1'), 12);
  assert.equal(await collect(blobs.stream('obj-1', 0, 4)!), 'hello');
  assert.equal(blobs.get('missing'), undefined);
  assert.equal(blobs.stream('missing'), undefined);
  assert.throws(() => blobs.put('../escape', Buffer.from('x')), /invalid blob id/);
  assert.equal(await blobs.putStream('obj-3', (async function* () {
    yield Buffer.from('str');
    yield Buffer.from('eamed');
  })()), 8);
  assert.equal(blobs.get('obj-3')!.toString(), 'streamed');
  await assert.rejects(blobs.putStream('obj-4', (async function* () {
    yield Buffer.from('partial');
    throw new Error('client went away');
  })()));
  assert.equal(blobs.get('obj-4'), undefined, 'a failed stream leaves no blob');
  blobs.delete('obj-1');
  assert.equal(blobs.size('obj-1'), undefined);
  blobs.put('obj-2', Buffer.from('x'));
  blobs.reset();
  assert.equal(blobs.get('obj-2'), undefined);
}

describe('blob store', () => {
  it('works in memory', async () => {
    await exercise(new MemoryBlobStore());
  });

  it('works on disk', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fogbank-blobs-'));
    try {
      await exercise(new FileBlobStore(dir));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
