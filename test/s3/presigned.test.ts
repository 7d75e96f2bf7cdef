// Presigned URLs expire on Fogbank's clock: signed with the SDK's SigV4 presigner at Fogbank's
// time, they work until X-Amz-Date + X-Amz-Expires and answer S3's "Request has expired" after.

import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { SignatureV4 } from '@smithy/signature-v4';
import { TEST_CREDENTIALS, useFogbank } from '../support/fogbank.js';
import { createBucket, s3Client } from './support.js';

const env = useFogbank();

class Sha256 {
  private readonly hash;
  constructor(secret?: unknown) {
    this.hash = secret ? createHmac('sha256', secret as string | Uint8Array) : createHash('sha256');
  }
  update(data: string | Uint8Array): void {
    this.hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return this.hash.digest();
  }
}

/** A presigned URL for method on /bucket/key, signed at Fogbank's current time. */
async function presign(method: 'GET' | 'PUT', bucket: string, key: string, expiresIn: number): Promise<string> {
  const url = new URL(`${env.endpoint}/${bucket}/${encodeURIComponent(key)}`);
  const signer = new SignatureV4({ service: 's3', region: 'us-east-1', credentials: TEST_CREDENTIALS, sha256: Sha256, uriEscapePath: false });
  const signed = await signer.presign(
    { method, protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: url.pathname, query: {}, headers: { host: url.host } },
    { expiresIn, signingDate: new Date(env.fogbank.clock.now()) },
  );
  const query = new URLSearchParams(signed.query as Record<string, string>).toString();
  return `${url.origin}${signed.path}?${query}`;
}

const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

describe('S3 presigned URLs', () => {
  it('serve GET and PUT until they expire on Fogbank\'s clock, then answer AccessDenied "Request has expired"', async () => {
    const s3 = s3Client(env.endpoint);
    const Bucket = await createBucket(s3);
    await s3.send(new PutObjectCommand({ Bucket, Key: 'report.txt', Body: 'quarterly' }));
    const signedAt = Math.floor(env.fogbank.clock.now() / 1000) * 1000;
    const get = await presign('GET', Bucket, 'report.txt', 60);
    const put = await presign('PUT', Bucket, 'upload.txt', 60);
    assert.equal(await (await fetch(get)).text(), 'quarterly');
    env.fogbank.advanceClock(55_000);
    assert.equal((await fetch(put, { method: 'PUT', body: 'in time' })).status, 200);

    env.fogbank.advanceClock(6_000);
    const late = await fetch(get);
    assert.equal(late.status, 403);
    const body = await late.text();
    assert.match(body, /^<\?xml version="1.0" encoding="UTF-8"\?>\n?<Error><Code>AccessDenied<\/Code><Message>Request has expired<\/Message>/);
    assert.match(body, new RegExp(`<X-Amz-Expires>60</X-Amz-Expires><Expires>${isoSeconds(signedAt + 60_000)}</Expires><ServerTime>${isoSeconds(env.fogbank.clock.now())}</ServerTime>`));
    assert.match(body, /<RequestId>[^<]+<\/RequestId>/);

    // An expired PUT stores nothing, and the server goes on answering.
    const latePut = await fetch(put, { method: 'PUT', body: 'too late' });
    assert.equal(latePut.status, 403);
    assert.match(await latePut.text(), /<Code>AccessDenied<\/Code><Message>Request has expired<\/Message>/);
    const stored = await s3.send(new GetObjectCommand({ Bucket, Key: 'upload.txt' }));
    assert.equal(await stored.Body!.transformToString(), 'in time');
  });

  it('answers AuthorizationQueryParametersError for expiry parameters S3 refuses', async () => {
    const s3 = s3Client(env.endpoint);
    const Bucket = await createBucket(s3);
    await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'v' }));
    const valid = new URL(await presign('GET', Bucket, 'k', 60));
    const cases: Array<[string, string, string]> = [
      ['X-Amz-Expires', '604801', 'X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds'],
      ['X-Amz-Expires', 'soon', 'X-Amz-Expires should be a number'],
      ['X-Amz-Expires', '-5', 'X-Amz-Expires must be non-negative'],
      ['X-Amz-Date', '2024-01-01', `X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`],
    ];
    for (const [name, value, message] of cases) {
      const url = new URL(valid);
      url.searchParams.set(name, value);
      const res = await fetch(url);
      assert.equal(res.status, 400, `${name}=${value}`);
      const text = await res.text();
      assert.match(text, /<Code>AuthorizationQueryParametersError<\/Code>/);
      assert.ok(text.includes(`<Message>${message}</Message>`), text);
    }
    assert.equal((await fetch(valid)).status, 200);
  });

  it('expires SigV2 presigned URLs at their Expires time', async () => {
    const s3 = s3Client(env.endpoint);
    const Bucket = await createBucket(s3);
    await s3.send(new PutObjectCommand({ Bucket, Key: 'old-style', Body: 'v2' }));
    const expires = Math.floor(env.fogbank.clock.now() / 1000) + 30;
    const url = `${env.endpoint}/${Bucket}/old-style?AWSAccessKeyId=test&Expires=${expires}&Signature=abc%3D`;
    assert.equal(await (await fetch(url)).text(), 'v2');
    env.fogbank.advanceClock(31_000);
    const res = await fetch(url);
    assert.equal(res.status, 403);
    const body = await res.text();
    assert.match(body, new RegExp(`<Code>AccessDenied</Code><Message>Request has expired</Message><Expires>${isoSeconds(expires * 1000)}</Expires><ServerTime>`));
  });
});
