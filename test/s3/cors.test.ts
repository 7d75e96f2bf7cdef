// Bucket CORS honoured: preflights are answered from the bucket's rules (or refused with S3's
// AccessForbidden), and actual requests from an allowed origin carry the rule's headers.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PutBucketCorsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { useFogbank } from '../support/fogbank.js';
import { rawRequest, SIGNED } from '../support/http.js';
import { createBucket, s3Client } from './support.js';

const env = useFogbank();
const ORIGIN = 'https://app.example.com';
const NOT_ALLOWED =
  "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.";

function preflight(path: string, headers: Record<string, string>) {
  return rawRequest(env.endpoint, { method: 'OPTIONS', path, headers });
}

async function bucketWithRules(): Promise<string> {
  const s3 = s3Client(env.endpoint);
  const Bucket = await createBucket(s3);
  await s3.send(
    new PutBucketCorsCommand({
      Bucket,
      CORSConfiguration: {
        CORSRules: [
          { AllowedOrigins: [ORIGIN], AllowedMethods: ['GET', 'PUT'], AllowedHeaders: ['x-amz-*', 'Content-Type'], ExposeHeaders: ['ETag', 'x-amz-version-id'], MaxAgeSeconds: 3000 },
          { AllowedOrigins: ['http://*.example.org'], AllowedMethods: ['GET'] },
          { AllowedOrigins: ['*'], AllowedMethods: ['HEAD'] },
        ],
      },
    }),
  );
  await s3.send(new PutObjectCommand({ Bucket, Key: 'photo.jpg', Body: 'jpeg' }));
  return Bucket;
}

describe('S3 bucket CORS', () => {
  it('answers a matching preflight with the rule\'s headers', async () => {
    const Bucket = await bucketWithRules();
    const res = await preflight(`/${Bucket}/photo.jpg`, { origin: ORIGIN, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'X-Amz-Date, content-type' });
    assert.equal(res.status, 200);
    assert.equal(res.body, '');
    assert.equal(res.headers['access-control-allow-origin'], ORIGIN);
    assert.equal(res.headers['access-control-allow-methods'], 'GET, PUT');
    assert.equal(res.headers['access-control-allow-headers'], 'x-amz-date, content-type');
    assert.equal(res.headers['access-control-allow-credentials'], 'true');
    assert.equal(res.headers['access-control-expose-headers'], 'ETag, x-amz-version-id');
    assert.equal(res.headers['access-control-max-age'], '3000');
    assert.equal(res.headers['vary'], 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method');

    const wildcard = await preflight(`/${Bucket}`, { origin: 'http://shop.example.org', 'access-control-request-method': 'GET' });
    assert.equal(wildcard.status, 200);
    assert.equal(wildcard.headers['access-control-allow-origin'], 'http://shop.example.org');
    const anyone = await preflight(`/${Bucket}/photo.jpg`, { origin: 'http://elsewhere.test', 'access-control-request-method': 'HEAD' });
    assert.equal(anyone.headers['access-control-allow-origin'], '*');
    assert.equal(anyone.headers['access-control-allow-credentials'], undefined);
  });

  it('refuses preflights no rule allows with S3\'s AccessForbidden', async () => {
    const Bucket = await bucketWithRules();
    const cases: Array<[Record<string, string>, string, string]> = [
      [{ origin: 'https://evil.example.net', 'access-control-request-method': 'GET' }, 'GET', 'OBJECT'],
      [{ origin: ORIGIN, 'access-control-request-method': 'DELETE' }, 'DELETE', 'OBJECT'],
      [{ origin: ORIGIN, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'authorization' }, 'PUT', 'OBJECT'],
    ];
    for (const [headers, method, resourceType] of cases) {
      const res = await preflight(`/${Bucket}/photo.jpg`, headers);
      assert.equal(res.status, 403, JSON.stringify(headers));
      assert.match(res.body, new RegExp(`<Error><Code>AccessForbidden</Code><Message>${escape(NOT_ALLOWED)}</Message><Method>${method}</Method><ResourceType>${resourceType}</ResourceType><RequestId>`));
      assert.equal(res.headers['access-control-allow-origin'], undefined);
    }
    const noOrigin = await preflight(`/${Bucket}/photo.jpg`, { 'access-control-request-method': 'GET' });
    assert.equal(noOrigin.status, 400);
    assert.match(noOrigin.body, /<Code>BadRequest<\/Code><Message>Insufficient information. Origin request header needed.<\/Message>/);
  });

  it('refuses preflights to buckets without CORS and to missing buckets', async () => {
    const s3 = s3Client(env.endpoint);
    const plain = await createBucket(s3);
    const none = await preflight(`/${plain}/k`, { origin: ORIGIN, 'access-control-request-method': 'PUT' });
    assert.equal(none.status, 403);
    assert.match(none.body, /<Code>AccessForbidden<\/Code><Message>CORSResponse: CORS is not enabled for this bucket.<\/Message><Method>PUT<\/Method><ResourceType>BUCKET<\/ResourceType>/);
    const originOnly = await preflight(`/${plain}`, { origin: ORIGIN });
    assert.match(originOnly.body, /<Method>OPTIONS<\/Method>/);
    const missing = await preflight('/no-such-bucket-here/k', { origin: ORIGIN, 'access-control-request-method': 'GET' });
    assert.equal(missing.status, 403);
    assert.match(missing.body, /<Code>AccessForbidden<\/Code><Message>CORSResponse: Bucket not found<\/Message>/);
  });

  it('puts the rule\'s headers on actual responses from an allowed origin only', async () => {
    const Bucket = await bucketWithRules();
    const auth = { authorization: SIGNED('s3') };
    const allowed = await rawRequest(env.endpoint, { path: `/${Bucket}/photo.jpg`, headers: { ...auth, origin: ORIGIN } });
    assert.equal(allowed.status, 200);
    assert.equal(allowed.body, 'jpeg');
    assert.equal(allowed.headers['access-control-allow-origin'], ORIGIN);
    assert.equal(allowed.headers['access-control-allow-methods'], 'GET, PUT');
    assert.equal(allowed.headers['access-control-expose-headers'], 'ETag, x-amz-version-id');
    assert.equal(allowed.headers['vary'], 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method');

    const other = await rawRequest(env.endpoint, { path: `/${Bucket}/photo.jpg`, headers: { ...auth, origin: 'https://evil.example.net' } });
    assert.equal(other.status, 200);
    assert.equal(other.headers['access-control-allow-origin'], undefined);
    assert.equal(other.headers['vary'], undefined);
    // DELETE is not allowed for the origin: the request is served, without CORS headers.
    const deleted = await rawRequest(env.endpoint, { method: 'DELETE', path: `/${Bucket}/photo.jpg`, headers: { ...auth, origin: ORIGIN } });
    assert.equal(deleted.status, 204);
    assert.equal(deleted.headers['access-control-allow-origin'], undefined);
  });

  it('leaves preflights that name no bucket to the edge', async () => {
    for (const path of ['/', '/_localstack/health']) {
      const res = await preflight(path, { origin: ORIGIN, 'access-control-request-method': 'POST' });
      assert.equal(res.status, 200, path);
      assert.equal(res.headers['access-control-allow-origin'], ORIGIN);
    }
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&').replace(/'/g, "(?:'|&apos;)");
}
