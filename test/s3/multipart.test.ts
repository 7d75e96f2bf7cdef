import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectAttributesCommand,
  GetObjectCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  PutObjectCommand,
  UploadPartCommand,
  UploadPartCopyCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { useFogbank } from '../support/fogbank.js';
import { createBucket, rejectsWith, s3Client } from './support.js';

const env = useFogbank();
const MiB = 1024 * 1024;
const md5 = (data: Buffer) => createHash('md5').update(data).digest();

async function upload(s3: S3Client, Bucket: string, Key: string, UploadId: string, PartNumber: number, body: Buffer) {
  const { ETag } = await s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber, Body: body }));
  return { ETag: ETag!, PartNumber };
}

describe('S3 multipart uploads', () => {
  it('assembles parts in order with the "-N" ETag, and serves each part by partNumber', async () => {
    const s3 = s3Client(env.endpoint);
    const Bucket = await createBucket(s3);
    const Key = 'big file.bin';
    const created = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key, ContentType: 'application/x-big', Metadata: { m: '1' } }));
    assert.equal(created.Bucket, Bucket);
    assert.equal(created.Key, Key);
    const UploadId = created.UploadId!;
    const p1 = Buffer.alloc(5 * MiB, 1);
    const p2 = Buffer.alloc(5 * MiB, 2);
    const p3 = Buffer.from('tail');
    // Parts may arrive in any order; a re-sent part replaces the earlier one.
    const part3 = await upload(s3, Bucket, Key, UploadId, 3, Buffer.from('old tail'));
    const part1 = await upload(s3, Bucket, Key, UploadId, 1, p1);
    const part2 = await upload(s3, Bucket, Key, UploadId, 2, p2);
    const part3b = await upload(s3, Bucket, Key, UploadId, 3, p3);
    assert.notEqual(part3.ETag, part3b.ETag);
    const listed = await s3.send(new ListPartsCommand({ Bucket, Key, UploadId }));
    assert.deepEqual(listed.Parts!.map((p) => [p.PartNumber, p.Size]), [[1, 5 * MiB], [2, 5 * MiB], [3, 4]]);
    const done = await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: [part1, part2, part3b] } }));
    const expected = `"${createHash('md5').update(Buffer.concat([md5(p1), md5(p2), md5(p3)])).digest('hex')}-3"`;
    assert.equal(done.ETag, expected);
    assert.equal(done.Key, Key);
    const got = await s3.send(new GetObjectCommand({ Bucket, Key }));
    assert.equal(got.ETag, expected);
    assert.equal(got.ContentType, 'application/x-big');
    assert.deepEqual(got.Metadata, { m: '1' });
    assert.equal(got.ContentLength, 10 * MiB + 4);
    assert.deepEqual(Buffer.from(await got.Body!.transformToByteArray()), Buffer.concat([p1, p2, p3]));
    const part = await s3.send(new GetObjectCommand({ Bucket, Key, PartNumber: 3 }));
    assert.equal(part.$metadata.httpStatusCode, 206);
    assert.equal(part.PartsCount, 3);
    assert.equal(await part.Body!.transformToString(), 'tail');
    await rejectsWith(s3.send(new ListPartsCommand({ Bucket, Key, UploadId })), { code: 'NoSuchUpload', status: 404, fields: { UploadId } });
  });

  it('enforces part order, known parts and the 5 MiB minimum', async () => {
    const s3 = s3Client(env.endpoint);
    const Bucket = await createBucket(s3);
    const Key = 'k';
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key }));
    const small1 = await upload(s3, Bucket, Key, UploadId!, 1, Buffer.from('small'));
    const small2 = await upload(s3, Bucket, Key, UploadId!, 2, Buffer.from('small too'));
    await rejectsWith(s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: [small2, small1] } })), {
      code: 'InvalidPartOrder',
      status: 400,
      message: 'The list of parts was not in ascending order. Parts must be ordered by part number.',
    });
    await rejectsWith(s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: [small1, { PartNumber: 2, ETag: '"0000"' }] } })), {
      code: 'InvalidPart',
      status: 400,
      message: "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
      fields: { PartNumber: 2 },
    });
    await rejectsWith(s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: [small1, small2] } })), {
      code: 'EntityTooSmall',
      status: 400,
      message: 'Your proposed upload is smaller than the minimum allowed size',
      fields: { ProposedSize: 5, MinSizeAllowed: 5 * MiB, PartNumber: 1 },
    });
    // A single small part is a whole object.
    const one = await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: [small1] } }));
    assert.match(one.ETag!, /^"[0-9a-f]{32}-1"$/);
    assert.equal(await (await s3.send(new GetObjectCommand({ Bucket, Key }))).Body!.transformToString(), 'small');
  });

  it('aborts uploads, lists those in progress, and checks part numbers and upload ids', async () => {
    const s3 = s3Client(env.endpoint);
    const Bucket = await createBucket(s3);
    const a = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'dir/a' }));
    const b = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'dir/b' }));
    await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'other' }));
    const listed = await s3.send(new ListMultipartUploadsCommand({ Bucket, Prefix: 'dir/' }));
    assert.deepEqual(listed.Uploads!.map((u) => [u.Key, u.UploadId]), [['dir/a', a.UploadId], ['dir/b', b.UploadId]]);
    const grouped = await s3.send(new ListMultipartUploadsCommand({ Bucket, Delimiter: '/' }));
    assert.deepEqual(grouped.CommonPrefixes!.map((p) => p.Prefix), ['dir/']);
    assert.deepEqual(grouped.Uploads!.map((u) => u.Key), ['other']);
    const paged = await s3.send(new ListMultipartUploadsCommand({ Bucket, MaxUploads: 1 }));
    assert.equal(paged.IsTruncated, true);
    assert.equal(paged.NextKeyMarker, 'dir/a');
    await rejectsWith(s3.send(new UploadPartCommand({ Bucket, Key: 'dir/a', UploadId: a.UploadId, PartNumber: 10001, Body: 'x' })), {
      code: 'InvalidArgument',
      status: 400,
      message: 'Part number must be an integer between 1 and 10000, inclusive',
    });
    assert.equal((await s3.send(new AbortMultipartUploadCommand({ Bucket, Key: 'dir/a', UploadId: a.UploadId }))).$metadata.httpStatusCode, 204);
    await rejectsWith(s3.send(new UploadPartCommand({ Bucket, Key: 'dir/a', UploadId: a.UploadId, PartNumber: 1, Body: 'x' })), {
      code: 'NoSuchUpload',
      status: 404,
      message: 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
    });
    await rejectsWith(s3.send(new AbortMultipartUploadCommand({ Bucket, Key: 'dir/b', UploadId: 'not-an-upload' })), { code: 'NoSuchUpload', status: 404 });
    const after = await s3.send(new ListMultipartUploadsCommand({ Bucket }));
    assert.deepEqual(after.Uploads!.map((u) => u.Key), ['dir/b', 'other']);
  });

  it('keeps composite CRC32 checksums per part and for the whole upload', async () => {
    const s3 = s3Client(env.endpoint);
    const Bucket = await createBucket(s3);
    const Key = 'checked';
    const { UploadId, ChecksumAlgorithm } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key, ChecksumAlgorithm: 'CRC32' }));
    assert.equal(ChecksumAlgorithm, 'CRC32');
    const p1 = await s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 1, Body: Buffer.alloc(5 * MiB, 7), ChecksumAlgorithm: 'CRC32' }));
    const p2 = await s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 2, Body: 'end', ChecksumAlgorithm: 'CRC32' }));
    assert.ok(p1.ChecksumCRC32 && p2.ChecksumCRC32);
    const done = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket,
        Key,
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.ETag, ChecksumCRC32: p1.ChecksumCRC32 }, { PartNumber: 2, ETag: p2.ETag, ChecksumCRC32: p2.ChecksumCRC32 }] },
      }),
    );
    assert.match(done.ChecksumCRC32!, /^[A-Za-z0-9+/]{6}==-2$/);
    assert.equal(done.ChecksumType, 'COMPOSITE');
    const got = await s3.send(new GetObjectCommand({ Bucket, Key, ChecksumMode: 'ENABLED' }));
    assert.equal(got.ChecksumCRC32, done.ChecksumCRC32);
    const attributes = await s3.send(new GetObjectAttributesCommand({ Bucket, Key, ObjectAttributes: ['ETag', 'Checksum', 'ObjectParts', 'ObjectSize', 'StorageClass'], MaxParts: 1 }));
    assert.equal(`"${attributes.ETag}"`, done.ETag);
    assert.equal(attributes.Checksum!.ChecksumCRC32, done.ChecksumCRC32!.replace(/-2$/, ''));
    assert.equal(attributes.ObjectSize, 5 * MiB + 3);
    assert.equal(attributes.StorageClass, 'STANDARD');
    assert.equal(attributes.ObjectParts!.TotalPartsCount, 2);
    assert.equal(attributes.ObjectParts!.IsTruncated, true);
    assert.deepEqual(attributes.ObjectParts!.Parts, [{ PartNumber: 1, Size: 5 * MiB, ChecksumCRC32: p1.ChecksumCRC32 }]);
    await rejectsWith(s3.send(new GetObjectAttributesCommand({ Bucket, Key, ObjectAttributes: ['Colour' as 'ETag'] })), {
      code: 'InvalidArgument',
      status: 400,
      message: 'Invalid attribute name specified.',
    });
    assert.equal((await got.Body!.transformToByteArray()).length, 5 * MiB + 3);
  });

  it('copies parts from existing objects, whole or by range', async () => {
    const s3 = s3Client(env.endpoint);
    const Bucket = await createBucket(s3);
    const source = Buffer.alloc(6 * MiB, 9);
    source.write('START', 0);
    await s3.send(new PutObjectCommand({ Bucket, Key: 'source', Body: source }));
    await s3.send(new PutObjectCommand({ Bucket, Key: 'small', Body: '0123456789' }));
    const Key = 'assembled';
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key }));
    const p1 = await s3.send(new UploadPartCopyCommand({ Bucket, Key, UploadId, PartNumber: 1, CopySource: `${Bucket}/source` }));
    const p2 = await s3.send(new UploadPartCopyCommand({ Bucket, Key, UploadId, PartNumber: 2, CopySource: `${Bucket}/small`, CopySourceRange: 'bytes=2-4' }));
    assert.equal(p2.CopyPartResult!.ETag, `"${md5(Buffer.from('234')).toString('hex')}"`);
    await rejectsWith(s3.send(new UploadPartCopyCommand({ Bucket, Key, UploadId, PartNumber: 3, CopySource: `${Bucket}/small`, CopySourceRange: 'bytes=5-50' })), {
      code: 'InvalidArgument',
      status: 400,
      message: 'Range specified is not valid for source object of size: 10',
    });
    await rejectsWith(s3.send(new UploadPartCopyCommand({ Bucket, Key, UploadId, PartNumber: 3, CopySource: `${Bucket}/small`, CopySourceRange: '2-4' })), { code: 'InvalidArgument', status: 400 });
    await rejectsWith(s3.send(new UploadPartCopyCommand({ Bucket, Key, UploadId, PartNumber: 3, CopySource: `${Bucket}/absent` })), { code: 'NoSuchKey', status: 404 });
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket,
        Key,
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.CopyPartResult!.ETag }, { PartNumber: 2, ETag: p2.CopyPartResult!.ETag }] },
      }),
    );
    const got = Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket, Key }))).Body!.transformToByteArray());
    assert.equal(got.length, 6 * MiB + 3);
    assert.equal(got.subarray(0, 5).toString(), 'START');
    assert.equal(got.subarray(6 * MiB).toString(), '234');
  });
});
