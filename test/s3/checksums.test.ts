import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Readable } from 'node:stream';
import { GetObjectCommand, PutObjectCommand, type ChecksumAlgorithm } from '@aws-sdk/client-s3';
import { useFogbank } from '../support/fogbank.js';
import { rawRequest, SIGNED } from '../support/http.js';
import { createBucket, rejectsWith, s3Client } from './support.js';

const env = useFogbank();

describe('S3 checksums and aws-chunked bodies', () => {
  it('accepts the SDK default: a streamed body sent aws-chunked with an unsigned CRC32 trailer', async () => {
    const s3 = s3Client(env.endpoint);
    const Bucket = await createBucket(s3);
    const body = Buffer.alloc(200_000, 'abc');
    const put = await s3.send(new PutObjectCommand({ Bucket, Key: 'streamed', Body: Readable.from([body.subarray(0, 70_000), body.subarray(70_000)]), ContentLength: body.length }));
    assert.ok(put.ChecksumCRC32);
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'streamed', ChecksumMode: 'ENABLED' }));
    assert.equal(got.ContentEncoding, undefined);
    assert.equal(got.ChecksumCRC32, put.ChecksumCRC32);
    assert.deepEqual(Buffer.from(await got.Body!.transformToByteArray()), body);
  });

  for (const algorithm of ['CRC32', 'CRC32C', 'SHA1', 'SHA256', 'CRC64NVME'] as ChecksumAlgorithm[]) {
    it(`stores and returns a ${algorithm} checksum, and the SDK validates it on GetObject`, async () => {
      const s3 = s3Client(env.endpoint);
      const Bucket = await createBucket(s3);
      const put = await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: '123456789', ChecksumAlgorithm: algorithm }));
      const member = `Checksum${algorithm}` as 'ChecksumCRC32';
      assert.ok(put[member], `${member} in the PutObject answer`);
      const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'k', ChecksumMode: 'ENABLED' }));
      assert.equal(got[member], put[member]);
      assert.equal(got.ChecksumType, 'FULL_OBJECT');
      assert.equal(await got.Body!.transformToString(), '123456789');
    });
  }

  it('computes CRC-64/NVME and CRC32C as specified', async () => {
    const s3 = s3Client(env.endpoint);
    const Bucket = await createBucket(s3);
    // Check values of "123456789" from the CRC catalogue.
    const crc64 = Buffer.from('ae8b14860a799888', 'hex').toString('base64');
    const crc32c = Buffer.from('e3069283', 'hex').toString('base64');
    assert.equal((await s3.send(new PutObjectCommand({ Bucket, Key: 'a', Body: '123456789', ChecksumCRC64NVME: crc64 } as never))).ETag !== undefined, true);
    assert.equal((await s3.send(new PutObjectCommand({ Bucket, Key: 'b', Body: '123456789', ChecksumCRC32C: crc32c }))).ChecksumCRC32C, crc32c);
  });

  it('refuses a checksum that does not match the body, or is malformed', async () => {
    const s3 = s3Client(env.endpoint);
    const Bucket = await createBucket(s3);
    await rejectsWith(s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'data', ChecksumCRC32: 'AAAAAA==' })), {
      code: 'BadDigest',
      status: 400,
      message: 'The CRC32 you specified did not match the calculated checksum.',
    });
    await rejectsWith(s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'data', ChecksumSHA256: 'AAAAAA==' })), {
      code: 'InvalidRequest',
      status: 400,
      message: 'Value for x-amz-checksum-sha256 header is invalid.',
    });
    await rejectsWith(s3.send(new GetObjectCommand({ Bucket, Key: 'k' })), { code: 'NoSuchKey', status: 404 });
  });

  it('decodes signed aws-chunked bodies (STREAMING-AWS4-HMAC-SHA256-PAYLOAD)', async () => {
    const s3 = s3Client(env.endpoint);
    const Bucket = await createBucket(s3);
    const sig = 'chunk-signature=' + '0'.repeat(64);
    const body = `5;${sig}\r\nhello\r\n6;${sig}\r\n world\r\n0;${sig}\r\n\r\n`;
    const res = await rawRequest(env.endpoint, {
      method: 'PUT',
      path: `/${Bucket}/chunked`,
      headers: {
        authorization: SIGNED('s3'),
        'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
        'content-encoding': 'aws-chunked',
        'x-amz-decoded-content-length': '11',
        'content-type': 'text/plain',
      },
      body,
    });
    assert.equal(res.status, 200, res.body);
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'chunked' }));
    assert.equal(await got.Body!.transformToString(), 'hello world');
    assert.equal(got.ContentEncoding, undefined);
    assert.equal(got.ContentType, 'text/plain');
  });

  it('answers IncompleteBody for a truncated or inconsistent aws-chunked body', async () => {
    const s3 = s3Client(env.endpoint);
    const Bucket = await createBucket(s3);
    const headers = { authorization: SIGNED('s3'), 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', 'content-encoding': 'aws-chunked' };
    for (const [body, extra] of [
      ['a\r\nshort\r\n', {}],
      ['zz\r\n', {}],
      ['5\r\nhello\r\n0\r\n\r\n', { 'x-amz-decoded-content-length': '6' }],
    ] as Array<[string, Record<string, string>]>) {
      const res = await rawRequest(env.endpoint, { method: 'PUT', path: `/${Bucket}/bad`, headers: { ...headers, ...extra }, body });
      assert.equal(res.status, 400);
      assert.match(res.body, /<Code>IncompleteBody<\/Code>/);
    }
    await rejectsWith(s3.send(new GetObjectCommand({ Bucket, Key: 'bad' })), { code: 'NoSuchKey', status: 404 });
  });

  it('checks an unsigned trailer checksum against the decoded body', async () => {
    const s3 = s3Client(env.endpoint);
    const Bucket = await createBucket(s3);
    const res = await rawRequest(env.endpoint, {
      method: 'PUT',
      path: `/${Bucket}/trailer`,
      headers: {
        authorization: SIGNED('s3'),
        'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
        'content-encoding': 'aws-chunked',
        'x-amz-trailer': 'x-amz-checksum-crc32',
        'x-amz-decoded-content-length': '5',
      },
      body: '5\r\nhello\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n',
    });
    assert.equal(res.status, 400);
    assert.match(res.body, /<Code>BadDigest<\/Code><Message>The CRC32 you specified did not match the calculated checksum.<\/Message>/);
  });
});
