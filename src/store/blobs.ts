// Large opaque bodies (S3 objects, Lambda code) live outside SQLite: as files under
// <data-dir>/blobs, or in memory with --in-memory. A blob is written whole (to a temporary file,
// synced, then renamed) before the record that names it is committed, so a crash (even of the
// machine) leaves at worst an orphan file, never a record without its body.

import { closeSync, createReadStream, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, statSync, unlink, writeFileSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';

/** Bytes gathered before one writev: a 1 MiB body is 4 writes rather than a write per socket chunk. */
const WRITE_BATCH = 256 * 1024;

/** Writes buffers at the file's position, again after a short write. */
async function writeAll(handle: FileHandle, buffers: Buffer[]): Promise<void> {
  let rest = buffers;
  while (rest.length) {
    let { bytesWritten } = await handle.writev(rest);
    while (rest.length && bytesWritten >= rest[0]!.length) {
      bytesWritten -= rest[0]!.length;
      rest = rest.slice(1);
    }
    if (rest.length && bytesWritten > 0) rest = [rest[0]!.subarray(bytesWritten), ...rest.slice(1)];
  }
}

export interface BlobStore {
  put(id: string, data: Buffer): void;
  /** Writes a stream as the blob (whole, or not at all); resolves with its length. */
  putStream(id: string, data: AsyncIterable<Uint8Array>): Promise<number>;
  /** The whole blob, or bytes [start, end] inclusive. */
  get(id: string, start?: number, end?: number): Buffer | undefined;
  /** A stream of the blob (or of bytes [start, end] inclusive), for bodies too large to hold. */
  stream(id: string, start?: number, end?: number): Readable | undefined;
  size(id: string): number | undefined;
  delete(id: string): void;
  /** Forgets every blob. */
  reset(): void;
}

/** Blob ids become file names: keep them to safe characters. */
function checkId(id: string): void {
  if (!/^[A-Za-z0-9._-]{1,200}$/.test(id)) throw new Error(`invalid blob id: ${id}`);
}

export class FileBlobStore implements BlobStore {
  /** Blobs being unlinked in the background: already absent to readers. */
  private readonly deleting = new Set<string>();
  /** Fan-out directories known to exist. */
  private readonly made = new Set<string>();

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  /** Makes the blob's fan-out directory, once per process (a syscall saved per write). */
  private fanOut(id: string): void {
    const prefix = id.slice(0, 2);
    if (this.made.has(prefix)) return;
    mkdirSync(join(this.dir, prefix), { recursive: true });
    this.made.add(prefix);
  }

  private file(id: string): string {
    checkId(id);
    // Two levels of fan-out keep directories small.
    return join(this.dir, id.slice(0, 2), id);
  }

  put(id: string, data: Buffer): void {
    const file = this.file(id);
    this.fanOut(id);
    const temporary = `${file}.tmp-${process.pid}`;
    writeFileSync(temporary, data, { flush: true });
    renameSync(temporary, file);
  }

  async putStream(id: string, data: AsyncIterable<Uint8Array>): Promise<number> {
    const file = this.file(id);
    this.fanOut(id);
    const temporary = `${file}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
    let length = 0;
    let handle: FileHandle | undefined;
    // One write in flight while the next batch gathers; its rejection is awaited, never left unhandled.
    let writing: Promise<void> = Promise.resolve();
    try {
      handle = await open(temporary, 'w');
      const target = handle;
      let batch: Buffer[] = [];
      let batchBytes = 0;
      const flush = async () => {
        await writing;
        writing = writeAll(target, batch);
        writing.catch(() => undefined);
        batch = [];
        batchBytes = 0;
      };
      for await (const chunk of data) {
        const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
        length += bytes.length;
        batch.push(bytes);
        batchBytes += bytes.length;
        if (batchBytes >= WRITE_BATCH) await flush();
      }
      if (batch.length) await flush();
      await writing;
      // The body's bytes (and size) are on disk before the rename makes the name point at them.
      await target.datasync();
      const closing = target.close();
      handle = undefined;
      await closing;
      renameSync(temporary, file);
    } catch (error) {
      await writing.catch(() => undefined);
      await handle?.close().catch(() => undefined);
      rmSync(temporary, { force: true });
      throw error;
    }
    return length;
  }

  get(id: string, start?: number, end?: number): Buffer | undefined {
    const file = this.file(id);
    if (this.deleting.has(id)) return undefined;
    try {
      if (start === undefined) return readFileSync(file);
      const length = Math.max(0, (end ?? statSync(file).size - 1) - start + 1);
      const buffer = Buffer.alloc(length);
      const fd = openSync(file, 'r');
      try {
        const read = readSync(fd, buffer, 0, length, start);
        return buffer.subarray(0, read);
      } finally {
        closeSync(fd);
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  stream(id: string, start?: number, end?: number): Readable | undefined {
    if (this.size(id) === undefined) return undefined;
    return createReadStream(this.file(id), { start, end });
  }

  size(id: string): number | undefined {
    if (this.deleting.has(id)) return undefined;
    try {
      return statSync(this.file(id)).size;
    } catch {
      return undefined;
    }
  }

  delete(id: string): void {
    const file = this.file(id);
    // Unlinking a large file frees its extents, which can wait on the filesystem journal: do it off
    // the event loop. The blob is gone for readers at once; a crash before the unlink lands leaves
    // an orphan file, as a crash between commit and delete always could.
    this.deleting.add(id);
    unlink(file, () => this.deleting.delete(id));
  }

  reset(): void {
    this.deleting.clear();
    this.made.clear();
    rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(this.dir, { recursive: true });
  }
}

export class MemoryBlobStore implements BlobStore {
  private readonly blobs = new Map<string, Buffer>();

  put(id: string, data: Buffer): void {
    checkId(id);
    this.blobs.set(id, Buffer.from(data));
  }

  async putStream(id: string, data: AsyncIterable<Uint8Array>): Promise<number> {
    checkId(id);
    const chunks: Buffer[] = [];
    for await (const chunk of data) chunks.push(Buffer.from(chunk));
    const blob = Buffer.concat(chunks);
    this.blobs.set(id, blob);
    return blob.length;
  }

  get(id: string, start?: number, end?: number): Buffer | undefined {
    const blob = this.blobs.get(id);
    if (!blob || start === undefined) return blob;
    return blob.subarray(start, end === undefined ? undefined : end + 1);
  }

  stream(id: string, start?: number, end?: number): Readable | undefined {
    const blob = this.get(id, start ?? 0, end);
    return blob ? Readable.from([blob]) : undefined;
  }

  size(id: string): number | undefined {
    return this.blobs.get(id)?.length;
  }

  delete(id: string): void {
    this.blobs.delete(id);
  }

  reset(): void {
    this.blobs.clear();
  }
}
