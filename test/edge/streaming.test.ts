// Bodies a service asks to stream (S3 uploads) bypass the edge's buffer and size limit, and a
// handler may answer with a stream. The dispatcher here is a fixture; the listener is under test.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { it } from 'node:test';
import { Clock } from '../../src/clock.js';
import { Dispatcher } from '../../src/edge/dispatch.js';
import { createRequestListener, MAX_BODY_BYTES } from '../../src/edge/listener.js';
import type { WireRequest, WireResponse } from '../../src/protocols/wire.js';
import { MemoryBlobStore } from '../../src/store/blobs.js';
import { openSqliteStore } from '../../src/store/sqlite.js';

class StreamingFixture extends Dispatcher {
  readonly blobs = new MemoryBlobStore();

  override async streamsRequest(): Promise<boolean> {
    return true;
  }

  override async handleWire(req: WireRequest): Promise<WireResponse> {
    assert.ok(req.stream, 'the body arrives unread');
    assert.equal(req.body.length, 0);
    const length = await this.blobs.putStream('upload', req.stream);
    const size = length * 2;
    async function* twice(blobs: MemoryBlobStore) {
      yield blobs.get('upload')!;
      yield blobs.get('upload')!;
    }
    return { status: 200, headers: { 'content-length': String(size), 'x-received': String(length) }, body: Readable.from(twice(this.blobs)) };
  }
}

it('streams a PUT body larger than the buffer limit in, and a stream out', async () => {
  const dispatcher = new StreamingFixture({ clock: new Clock(), store: openSqliteStore({ inMemory: true }), newRequestId: randomUUID, onUnexpectedError: (e) => assert.fail(String(e)), endpoint: () => 'http://127.0.0.1:4566' });
  const server = createServer(createRequestListener({ dispatcher, store: openSqliteStore({ inMemory: true }), clock: new Clock(), accountOfAccessKey: () => undefined, control: { health: () => ({}), reset: () => {}, advanceClock: () => {}, now: () => 0, onUnexpectedError: () => {} } }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const size = MAX_BODY_BYTES + 5 * 1024 * 1024;
    const body = Buffer.alloc(size, 7);
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/bucket/big.bin`, { method: 'PUT', body, headers: { authorization: 'AWS4-HMAC-SHA256 Credential=test/20261127/us-east-1/s3/aws4_request, Signature=0' } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-received'), String(size));
    const echoed = Buffer.from(await res.arrayBuffer());
    assert.equal(echoed.length, size * 2);
    assert.equal(echoed[size * 2 - 1], 7);
  } finally {
    server.closeAllConnections();
    server.close();
  }
});
