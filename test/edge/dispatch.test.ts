// The dispatcher's hooks for services whose model needs help: output fixes as data, and a
// request rewrite before routing (S3's virtual-hosted buckets).

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { it } from 'node:test';
import { Clock } from '../../src/clock.js';
import { Dispatcher } from '../../src/edge/dispatch.js';
import type { WireRequest } from '../../src/protocols/wire.js';
import type { ServiceDescriptor } from '../../src/services/registry.js';
import { openSqliteStore } from '../../src/store/sqlite.js';

it('applies output fixes and request rewrites', async () => {
  const dispatcher = new Dispatcher({ clock: new Clock(), store: openSqliteStore({ inMemory: true }), newRequestId: randomUUID, onUnexpectedError: (e) => assert.fail(String(e)), endpoint: () => 'http://127.0.0.1:4566' });
  const descriptor: ServiceDescriptor = {
    name: 'test-s3',
    modelUid: 's3-2006-03-01',
    protocol: 'rest-xml',
    signingName: 's3',
    load: async () => ({
      operations: { ListObjectsV2: (input: { Bucket: string }) => ({ Name: input.Bucket, KeyCount: 0, IsTruncated: false }) },
      outputFixes: { ListObjectsV2: { locationName: 'ListBucketResult', xmlNamespace: { uri: 'http://s3.amazonaws.com/doc/2006-03-01/' } } },
      rewriteRequest(req: WireRequest) {
        const bucket = /^([^.]+)\.s3\./.exec(req.headers.host ?? '')?.[1];
        if (bucket) req.path = `/${bucket}${req.path}`;
      },
    }),
  };
  const req: WireRequest = { method: 'GET', path: '/', query: [['list-type', '2']], headers: { host: 'photos.s3.localhost.localstack.cloud:4566' }, body: Buffer.alloc(0) };
  const res = await dispatcher.handleWire(req, descriptor, 'rest-xml', { account: '000000000000', region: 'us-east-1' }, 'req-1');
  assert.equal(res.status, 200);
  assert.equal(
    String(res.body),
    '<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><IsTruncated>false</IsTruncated><Name>photos</Name><KeyCount>0</KeyCount></ListBucketResult>',
  );
});
