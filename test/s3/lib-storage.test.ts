// Upload from @aws-sdk/lib-storage with the SDK's default checksum settings: a stream larger than
// one part becomes a multipart upload (CRC32 per part, a composite checksum on completion); a small
// body becomes one PutObject.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { GetObjectAttributesCommand, GetObjectCommand, HeadObjectCommand, ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { useFogbank } from '../support/fogbank.js';
import { createBucket, s3Client } from './support.js';

const env = useFogbank();
const MiB = 1024 * 1024;

/** Deterministic bytes, different in every part. */
function bytes(size: number): Buffer {
  const out = Buffer.alloc(size);
  for (let i = 0; i + 4 <= size; i += 4) out.writeUInt32LE(Math.imul(i, 2654435761) >>> 0, i);
  return out;
}

describe('S3 with @aws-sdk/lib-storage Upload', () => {
  it('uploads a stream in parts with the SDK\'s default checksums, and reads back the same bytes', async () => {
    const s3 = s3Client(env.endpoint);
    const Bucket = await createBucket(s3);
    const body = bytes(12 * MiB + 12345);
    const upload = new Upload({ client: s3, params: { Bucket, Key: 'videos/clip.mp4', Body: Readable.from([body.subarray(0, 7 * MiB), body.subarray(7 * MiB)]), ContentType: 'video/mp4' }, partSize: 5 * MiB, queueSize: 2 });
    const parts: number[] = [];
    upload.on('httpUploadProgress', (p) => p.part !== undefined && parts.push(p.part));
    const out = await upload.done();
    assert.match(out.ETag!, /^"[0-9a-f]{32}-3"$/);
    assert.equal(new Set(parts).size, 3);

    const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'videos/clip.mp4', ChecksumMode: 'ENABLED' }));
    assert.equal(head.ContentLength, body.length);
    assert.equal(head.ContentType, 'video/mp4');
    assert.equal(head.ETag, out.ETag);
    // The SDK's default: CRC32 per part, so S3 keeps a composite checksum over the three parts.
    assert.match(head.ChecksumCRC32!, /^[A-Za-z0-9+/]{6}==-3$/);
    assert.equal(head.ChecksumType, 'COMPOSITE');
    const attributes = await s3.send(new GetObjectAttributesCommand({ Bucket, Key: 'videos/clip.mp4', ObjectAttributes: ['ObjectParts', 'Checksum'] }));
    assert.equal(attributes.ObjectParts?.TotalPartsCount, 3);
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'videos/clip.mp4' }));
    const back = Buffer.from(await got.Body!.transformToByteArray());
    assert.equal(createHash('sha256').update(back).digest('hex'), createHash('sha256').update(body).digest('hex'));
    assert.deepEqual((await s3.send(new ListMultipartUploadsCommand({ Bucket }))).Uploads ?? [], []);
  });

  it('sends a body smaller than one part as a single PutObject', async () => {
    const s3 = s3Client(env.endpoint);
    const Bucket = await createBucket(s3);
    const out = await new Upload({ client: s3, params: { Bucket, Key: 'small.txt', Body: 'just a few bytes' } }).done();
    assert.equal(out.ETag, `"${createHash('md5').update('just a few bytes').digest('hex')}"`);
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'small.txt' }));
    assert.equal(await got.Body!.transformToString(), 'just a few bytes');
  });
});
