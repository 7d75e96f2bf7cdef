// Bodies stream: an upload far beyond the edge's 20 MiB buffer and the heap limit goes to disk
// without being held, comes back by streaming, and the process's peak memory stays bounded.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Readable } from 'node:stream';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { MAX_BODY_BYTES } from '../../src/edge/listener.js';
import { SIGNED } from '../support/http.js';
import { exited, spawnFogbank } from '../support/process.js';
import { createBucket, s3Client } from './support.js';

const MiB = 1024 * 1024;

/** Deterministic bytes, generated chunk by chunk so the test never holds the whole body either. */
function* pattern(total: number): Generator<Buffer> {
  // A fresh buffer each time: a stream may still hold the previous one.
  for (let sent = 0; sent < total; sent += MiB) yield Buffer.alloc(Math.min(MiB, total - sent), (sent / MiB) % 251);
}

function patternMd5(total: number): string {
  const hash = createHash('md5');
  for (const chunk of pattern(total)) hash.update(chunk);
  return hash.digest('hex');
}

function peakRssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

function rawPut(endpoint: string, path: string, total: number): Promise<number> {
  const url = new URL(path, endpoint);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'PUT', headers: { authorization: SIGNED('s3'), 'content-length': String(total) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    Readable.from(pattern(total)).pipe(req);
  });
}

describe('S3 large objects', () => {
  it('streams a 320 MiB upload and download through a process capped at a 64 MiB heap', { timeout: 180_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fogbank-s3-large-'));
    const fogbank = await spawnFogbank(['--port', '0', '--data-dir', dir], { NODE_OPTIONS: '--max-old-space-size=64' });
    try {
      const s3 = s3Client(fogbank.endpoint);
      const Bucket = await createBucket(s3);
      const total = 320 * MiB;
      const before = peakRssMiB(fogbank.child.pid!);
      assert.equal(await rawPut(fogbank.endpoint, `/${Bucket}/big.bin`, total), 200);
      const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'big.bin' }));
      assert.equal(head.ContentLength, total);
      assert.equal(head.ETag, `"${patternMd5(total)}"`);
      const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'big.bin' }));
      const hash = createHash('md5');
      let length = 0;
      for await (const chunk of got.Body as Readable) {
        hash.update(chunk as Buffer);
        length += (chunk as Buffer).length;
      }
      assert.equal(length, total);
      assert.equal(hash.digest('hex'), patternMd5(total));
      const peak = peakRssMiB(fogbank.child.pid!);
      assert.ok(peak - before < 160, `peak RSS grew by ${Math.round(peak - before)} MiB for a ${total / MiB} MiB object`);
    } finally {
      fogbank.child.kill('SIGKILL');
      await exited(fogbank.child);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes an SDK upload beyond the edge buffer limit (aws-chunked with a CRC32 trailer)', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fogbank-s3-sdk-large-'));
    const fogbank = await spawnFogbank(['--port', '0', '--data-dir', dir]);
    try {
      const s3 = s3Client(fogbank.endpoint);
      const Bucket = await createBucket(s3);
      const total = MAX_BODY_BYTES + 3 * MiB;
      const put = await s3.send(new PutObjectCommand({ Bucket, Key: 'sdk.bin', Body: Readable.from(pattern(total)), ContentLength: total }));
      assert.equal(put.ETag, `"${patternMd5(total)}"`);
      assert.ok(put.ChecksumCRC32);
      const range = await s3.send(new GetObjectCommand({ Bucket, Key: 'sdk.bin', Range: `bytes=${total - 10}-` }));
      assert.equal(range.ContentRange, `bytes ${total - 10}-${total - 1}/${total}`);
      assert.equal((await range.Body!.transformToByteArray()).length, 10);
    } finally {
      fogbank.child.kill('SIGKILL');
      await exited(fogbank.child);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
