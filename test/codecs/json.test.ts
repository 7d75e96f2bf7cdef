// JSON bodies by shape: what the json and rest-json codecs accept and write.

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ServiceError } from '../../src/errors.js';
import { fromJson, toJson } from '../../src/protocols/json-body.js';
import { ServiceModel } from '../../src/protocols/model.js';

const model = new ServiceModel({
  metadata: { apiVersion: '1', endpointPrefix: 'x', protocol: 'json', serviceId: 'X', uid: 'x-1' },
  operations: {},
  shapes: {},
});
const shape = model.resolve({ type: 'structure', members: { ratio: { type: 'double' }, when: { type: 'timestamp' }, data: { type: 'blob' }, tags: { type: 'map', key: {}, value: {} } } });

it('reads and writes non-finite floats as the strings the SDKs use', () => {
  const input = fromJson({ ratio: 'NaN' }, shape, model, '') as { ratio: number };
  assert.ok(Number.isNaN(input.ratio));
  assert.equal((fromJson({ ratio: '-Infinity' }, shape, model, '') as { ratio: number }).ratio, -Infinity);
  assert.deepEqual(toJson({ ratio: Infinity }, shape, model), { ratio: 'Infinity' });
  assert.throws(() => fromJson({ ratio: 'lots' }, shape, model, ''), (e: unknown) => e instanceof ServiceError && e.code === 'SerializationException');
});

it('writes timestamps as epoch seconds and blobs as base64, and keeps odd map keys', () => {
  const out = toJson({ when: new Date(1_500_000_000_250), data: Buffer.from('hi'), tags: JSON.parse('{"__proto__":"x"}') }, shape, model) as Record<string, unknown>;
  assert.equal(out.when, 1_500_000_000.25);
  assert.equal(out.data, 'aGk=');
  assert.deepEqual(Object.entries(out.tags as object), [['__proto__', 'x']]);
});
