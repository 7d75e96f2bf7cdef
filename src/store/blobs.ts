// Large opaque bodies (S3 objects, Lambda code) live outside SQLite: as files under
// <data-dir>/blobs, or in memory with --in-memory. A blob is written whole (to a temporary file,
// synced, then renamed) before the record that names it is committed, so a crash (even of the
// machine) leaves at worst an orphan file, never a record without its body.

import { closeSync, createReadStream, createWriteStream, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

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
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  private file(id: string): string {
    checkId(id);
    // Two levels of fan-out keep directories small.
    return join(this.dir, id.slice(0, 2), id);
  }

  put(id: string, data: Buffer): void {
    const file = this.file(id);
    mkdirSync(join(this.dir, id.slice(0, 2)), { recursive: true });
    const temporary = `${file}.tmp-${process.pid}`;
    writeFileSync(temporary, data, { flush: true });
    renameSync(temporary, file);
  }

  async putStream(id: string, data: AsyncIterable<Uint8Array>): Promise<number> {
    const file = this.file(id);
    mkdirSync(join(this.dir, id.slice(0, 2)), { recursive: true });
    const temporary = `${file}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
    let length = 0;
    try {
      await pipeline(
        data,
        async function* (chunks: AsyncIterable<Uint8Array>) {
          for await (const chunk of chunks) {
            length += chunk.length;
            yield chunk;
          }
        },
        createWriteStream(temporary, { flush: true }),
      );
      renameSync(temporary, file);
    } catch (error) {
      rmSync(temporary, { force: true });
      throw error;
    }
    return length;
  }

  get(id: string, start?: number, end?: number): Buffer | undefined {
    const file = this.file(id);
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
    try {
      return statSync(this.file(id)).size;
    } catch {
      return undefined;
    }
  }

  delete(id: string): void {
    rmSync(this.file(id), { force: true });
  }

  reset(): void {
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
