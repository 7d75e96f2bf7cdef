// Deployment packages: checked and measured as AWS does (CodeSha256 is the base64 SHA-256 of the
// zip, CodeSize its length), kept in the blob store, and unpacked once per distinct package into
// a cache folder the workers run from.

import { createHash, randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync, type Dirent } from 'node:fs';
import { dirname, isAbsolute, join, normalize } from 'node:path';
import { unzipSync } from 'fflate';
import { codeRoot } from '../../runtime/paths.js';
import type { Store } from '../../store/store.js';
import { invalidParameter } from './errors.js';

/** AWS's limit on a package's unzipped size. */
const MAX_UNZIPPED = 262_144_000;

export interface CodeInfo {
  sha256: string;
  size: number;
  /** Blob id of the stored zip ('' for hot-reload code). */
  blob: string;
  /** The local folder of hot-reload code. */
  hotReload?: string;
}

function unzip(zip: Buffer): Record<string, Uint8Array> {
  try {
    return unzipSync(zip);
  } catch {
    throw invalidParameter('Could not unzip uploaded file. Please check your file, then try to upload again.');
  }
}

/** Checks a zip, stores it, and returns what the configuration reports about it. */
export function storeCode(store: Store, zip: Buffer): CodeInfo {
  if (zip.length === 0) throw invalidParameter('Could not unzip uploaded file. Please check your file, then try to upload again.');
  const files = unzip(zip);
  let total = 0;
  for (const data of Object.values(files)) total += data.length;
  if (total > MAX_UNZIPPED) throw invalidParameter(`Unzipped size must be smaller than ${MAX_UNZIPPED} bytes`);
  const blob = `lambda-code-${randomUUID()}`;
  store.blobs.put(blob, zip);
  return { sha256: createHash('sha256').update(zip).digest('base64'), size: zip.length, blob };
}

/** Unix permission bits per entry, from the central directory's external attributes (fflate does not report them). */
function entryModes(zip: Buffer): Map<string, number> {
  const modes = new Map<string, number>();
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 65_535); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return modes;
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  for (let n = 0; n < count && at + 46 <= zip.length && zip.readUInt32LE(at) === 0x02014b50; n++) {
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const madeBy = zip.readUInt8(at + 5);
    const external = zip.readUInt32LE(at + 38);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    // Host 3 is Unix: the high 16 bits are st_mode.
    if (madeBy === 3 && external >>> 16) modes.set(name, (external >>> 16) & 0o777);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return modes;
}

/**
 * The folder holding the unpacked package (the function's task root). Packages are unpacked once
 * per content hash; a half-written folder never becomes visible, because it is renamed into place.
 */
export function unpackedCode(store: Store, code: CodeInfo): string {
  const hex = Buffer.from(code.sha256, 'base64').toString('hex');
  const dir = join(codeRoot(), hex);
  if (existsSync(dir)) return dir;
  const zip = store.blobs.get(code.blob);
  if (!zip) throw new Error(`function code blob ${code.blob} is missing`);
  const staging = `${dir}.tmp-${process.pid}-${randomUUID()}`;
  mkdirSync(staging, { recursive: true });
  const modes = entryModes(zip);
  for (const [name, data] of Object.entries(unzip(zip))) {
    const relative = normalize(name);
    if (relative.startsWith('..') || relative.startsWith('/')) continue;
    const target = join(staging, relative);
    if (name.endsWith('/')) {
      mkdirSync(target, { recursive: true });
      continue;
    }
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, data);
    // Packages built without Unix modes still need an executable custom-runtime bootstrap.
    const mode = modes.get(name) ?? (relative === 'bootstrap' ? 0o755 : 0o644);
    chmodSync(target, mode | 0o400);
  }
  try {
    renameSync(staging, dir);
  } catch {
    // Another unpack of the same package won the race; its folder is identical.
    rmSync(staging, { recursive: true, force: true });
  }
  return dir;
}

/** LocalStack's hot-reload convention: code "in" this bucket is the local folder its key names. */
export const HOT_RELOAD_BUCKET = 'hot-reload';

/** Code that lives in a local folder and is read afresh, instead of a stored package. */
export function hotReloadCode(path: string): CodeInfo {
  if (!isAbsolute(path)) throw invalidParameter(`When the S3Bucket is ${HOT_RELOAD_BUCKET}, the S3Key must be the absolute path of a local folder: ${path}`);
  return { sha256: createHash('sha256').update(path).digest('base64'), size: 0, blob: '', hotReload: path };
}

/** Forgets a stored package (hot-reload code has none). */
export function dropCode(store: Store, blob: string): void {
  if (blob) store.blobs.delete(blob);
}

/** The folder a function runs from: its hot-reload folder, or its unpacked package. */
export function taskRootOf(store: Store, code: { codeSha256: string; codeSize: number; codeBlob: string; hotReloadPath?: string }): string {
  return code.hotReloadPath ?? unpackedCode(store, { sha256: code.codeSha256, size: code.codeSize, blob: code.codeBlob });
}

/**
 * What a hot-reload folder looks like now (file count and newest change): when it differs from the
 * warm workers', they are retired so the next invocation runs the edited code. Looks at no more
 * than 5,000 entries.
 */
export function folderFingerprint(path: string): string {
  let newest = 0;
  let count = 0;
  const pending = [path];
  while (pending.length && count < 5000) {
    const dir = pending.pop()!;
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
      newest = Math.max(newest, statSync(dir).mtimeMs);
    } catch {
      continue;
    }
    for (const entry of entries) {
      count++;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) pending.push(full);
      else {
        try {
          newest = Math.max(newest, statSync(full).mtimeMs);
        } catch {
          // removed while we looked
        }
      }
    }
  }
  return `${count}:${newest}`;
}
