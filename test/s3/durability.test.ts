// Acknowledged objects (plain and multipart) survive kill -9 with their bodies, metadata and
// in-progress uploads; an overwritten object's old body is not what comes back.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CompleteMultipartUploadCommand, CreateMultipartUploadCommand, GetObjectCommand, ListMultipartUploadsCommand, ListObjectsV2Command, PutObjectCommand, UploadPartCommand } from '@aws-sdk/client-s3';
import { exited, spawnFogbank } from '../support/process.js';
import { createBucket, s3Client } from './support.js';

describe('S3 durability', () => {
  it('keeps acknowledged objects and uploads across kill -9', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fogbank-s3-kill-'));
    try {
      const first = await spawnFogbank(['--port', '0', '--data-dir', dir]);
      const before = s3Client(first.endpoint);
      const Bucket = await createBucket(before);
      await Promise.all(Array.from({ length: 20 }, (_, i) => before.send(new PutObjectCommand({ Bucket, Key: `obj/${i}`, Body: `body-${i}`, Metadata: { n: String(i) } }))));
      await before.send(new PutObjectCommand({ Bucket, Key: 'obj/0', Body: 'overwritten' }));
      const { UploadId } = await before.send(new CreateMultipartUploadCommand({ Bucket, Key: 'multi' }));
      const part1 = await before.send(new UploadPartCommand({ Bucket, Key: 'multi', UploadId, PartNumber: 1, Body: Buffer.alloc(5 * 1024 * 1024, 1) }));
      const part2 = await before.send(new UploadPartCommand({ Bucket, Key: 'multi', UploadId, PartNumber: 2, Body: 'end' }));
      await before.send(new CompleteMultipartUploadCommand({ Bucket, Key: 'multi', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part1.ETag }, { PartNumber: 2, ETag: part2.ETag }] } }));
      const pending = await before.send(new CreateMultipartUploadCommand({ Bucket, Key: 'pending' }));
      first.child.kill('SIGKILL');
      await exited(first.child);

      const second = await spawnFogbank(['--port', '0', '--data-dir', dir]);
      try {
        const after = s3Client(second.endpoint);
        const listed = await after.send(new ListObjectsV2Command({ Bucket }));
        assert.equal(listed.KeyCount, 21);
        assert.equal(await (await after.send(new GetObjectCommand({ Bucket, Key: 'obj/0' }))).Body!.transformToString(), 'overwritten');
        const seven = await after.send(new GetObjectCommand({ Bucket, Key: 'obj/7' }));
        assert.equal(await seven.Body!.transformToString(), 'body-7');
        assert.deepEqual(seven.Metadata, { n: '7' });
        const multi = await after.send(new GetObjectCommand({ Bucket, Key: 'multi' }));
        assert.equal(multi.ContentLength, 5 * 1024 * 1024 + 3);
        assert.match(multi.ETag!, /-2"$/);
        const uploads = await after.send(new ListMultipartUploadsCommand({ Bucket }));
        assert.deepEqual(uploads.Uploads!.map((u) => u.UploadId), [pending.UploadId]);
      } finally {
        second.child.kill('SIGKILL');
        await exited(second.child);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
