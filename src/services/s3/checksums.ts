// The checksums S3 accepts beside Content-MD5: CRC32, CRC32C, CRC64NVME, SHA1 and SHA256, each
// sent base64-encoded (big-endian for the CRCs) in x-amz-checksum-<name>.

import { createHash } from 'node:crypto';
import { crc32 as zlibCrc32 } from 'node:zlib';
import type { ChecksumAlgorithm } from './state.js';

export const CHECKSUM_ALGORITHMS: readonly ChecksumAlgorithm[] = ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'];

/** Digest sizes in bytes, to tell a malformed header from a mismatch. */
const DIGEST_BYTES: Record<ChecksumAlgorithm, number> = { CRC32: 4, CRC32C: 4, CRC64NVME: 8, SHA1: 20, SHA256: 32 };

export const checksumHeader = (algorithm: ChecksumAlgorithm) => `x-amz-checksum-${algorithm.toLowerCase()}`;

/** The input/output member name: ChecksumCRC32, ChecksumSHA256... */
export const checksumMember = (algorithm: ChecksumAlgorithm) => `Checksum${algorithm}` as const;

const CRC32C_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

// CRC-64/NVME (reflected polynomial 0x9a6c9329ac4bc9b5), as two 32-bit halves to stay off BigInt.
const CRC64_HI = new Uint32Array(256);
const CRC64_LO = new Uint32Array(256);
{
  const polyHi = 0x9a6c9329;
  const polyLo = 0xac4bc9b5;
  for (let n = 0; n < 256; n++) {
    let hi = 0;
    let lo = n;
    for (let k = 0; k < 8; k++) {
      const lsb = lo & 1;
      lo = ((lo >>> 1) | ((hi & 1) << 31)) >>> 0;
      hi = hi >>> 1;
      if (lsb) {
        hi = (hi ^ polyHi) >>> 0;
        lo = (lo ^ polyLo) >>> 0;
      }
    }
    CRC64_HI[n] = hi;
    CRC64_LO[n] = lo;
  }
}

/** A running checksum, fed chunk by chunk as a body streams through. */
export interface Hasher {
  update(data: Uint8Array): void;
  digest(): Buffer;
}

function uint32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value >>> 0);
  return out;
}

class Crc32 implements Hasher {
  private value = 0;
  update(data: Uint8Array): void {
    this.value = zlibCrc32(data, this.value);
  }
  digest(): Buffer {
    return uint32(this.value);
  }
}

class Crc32c implements Hasher {
  private crc = 0xffffffff;
  update(data: Uint8Array): void {
    let crc = this.crc;
    for (let i = 0; i < data.length; i++) crc = CRC32C_TABLE[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
    this.crc = crc;
  }
  digest(): Buffer {
    return uint32((this.crc ^ 0xffffffff) >>> 0);
  }
}

class Crc64Nvme implements Hasher {
  private hi = 0xffffffff;
  private lo = 0xffffffff;
  update(data: Uint8Array): void {
    let { hi, lo } = this;
    for (let i = 0; i < data.length; i++) {
      const index = (lo ^ data[i]!) & 0xff;
      lo = ((lo >>> 8) | (hi << 24)) ^ CRC64_LO[index]!;
      hi = (hi >>> 8) ^ CRC64_HI[index]!;
    }
    this.hi = hi;
    this.lo = lo;
  }
  digest(): Buffer {
    const out = Buffer.alloc(8);
    out.writeUInt32BE((this.hi ^ 0xffffffff) >>> 0, 0);
    out.writeUInt32BE((this.lo ^ 0xffffffff) >>> 0, 4);
    return out;
  }
}

export function hasher(algorithm: ChecksumAlgorithm | 'MD5'): Hasher {
  switch (algorithm) {
    case 'CRC32':
      return new Crc32();
    case 'CRC32C':
      return new Crc32c();
    case 'CRC64NVME':
      return new Crc64Nvme();
    default: {
      const hash = createHash(algorithm === 'MD5' ? 'md5' : algorithm === 'SHA1' ? 'sha1' : 'sha256');
      return { update: (data) => hash.update(data), digest: () => hash.digest() };
    }
  }
}

export function checksumBytes(algorithm: ChecksumAlgorithm, data: Buffer): Buffer {
  const h = hasher(algorithm);
  h.update(data);
  return h.digest();
}

export function checksumOf(algorithm: ChecksumAlgorithm, data: Buffer): string {
  return checksumBytes(algorithm, data).toString('base64');
}

/** Whether a sent value is well-formed base64 of the algorithm's digest size. */
export function isWellFormedChecksum(algorithm: ChecksumAlgorithm, value: string): boolean {
  return /^[A-Za-z0-9+/]*={0,2}$/.test(value) && Buffer.from(value, 'base64').length === DIGEST_BYTES[algorithm];
}

export function parseAlgorithm(name: string | undefined): ChecksumAlgorithm | undefined {
  const upper = name?.toUpperCase();
  return CHECKSUM_ALGORITHMS.find((a) => a === upper);
}
