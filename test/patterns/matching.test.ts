// The shared pattern engine's matching, driven by the examples in AWS's EventBridge "Content
// filtering" and SNS "Subscription filter policies" pages.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compilePattern } from '../../src/services/common/patterns/index.js';

const EVENT = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: {
    'instance-id': 'i-1234567890abcdef0',
    state: 'terminated',
    'c-count': 5,
    'd-count': 3,
    'x-limit': 301.8,
    sourceIPAddress: '10.0.0.255',
    ipv6: '2001:db8::1',
    FileName: 'image.png',
    location: 'arn:aws:events:us-east-1:123456789012:event-bus/default',
    flag: true,
    nothing: null,
    empty: '',
  },
};

function matches(pattern: Record<string, unknown>, event: unknown = EVENT): boolean {
  return compilePattern(JSON.stringify(pattern)).matches(event);
}

describe('pattern matching', () => {
  it('exact strings, numbers (compared numerically), booleans, null and the empty string', () => {
    assert.ok(matches({ source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'] }));
    assert.ok(!matches({ source: ['aws.s3'] }));
    assert.ok(matches({ source: ['aws.s3', 'aws.ec2'] }), 'a value list is an OR');
    assert.ok(matches({ detail: { 'c-count': [5.0] } }));
    assert.ok(matches({ detail: { 'x-limit': [3.018e2] } }));
    assert.ok(!matches({ detail: { 'c-count': ['5'] } }), 'a string does not match a number');
    assert.ok(!matches({ account: [111122223333] }), 'a number does not match a string');
    assert.ok(matches({ detail: { flag: [true] } }));
    assert.ok(!matches({ detail: { flag: ['true'] } }));
    assert.ok(matches({ detail: { nothing: [null] } }));
    assert.ok(!matches({ detail: { missing: [null] } }), 'null matches null, not absence');
    assert.ok(matches({ detail: { empty: [''] } }));
  });

  it('every field must match (AND); an event field the pattern does not name is ignored', () => {
    assert.ok(matches({ source: ['aws.ec2'], detail: { state: ['terminated'] } }));
    assert.ok(!matches({ source: ['aws.ec2'], detail: { state: ['running'] } }));
    assert.ok(!matches({ nope: ['x'] }));
  });

  it('arrays in the event match when any element matches', () => {
    assert.ok(matches({ resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0', 'other'] }));
    const event = { tags: ['a', 'b', 'c'], items: [{ id: 1, kind: 'x' }, { id: 2, kind: 'y' }] };
    assert.ok(matches({ tags: ['c'] }, event));
    assert.ok(!matches({ tags: ['d'] }, event));
    assert.ok(matches({ items: { id: [2], kind: ['y'] } }, event));
    assert.ok(!matches({ items: { id: [1], kind: ['y'] } }, event), 'fields must match within one array element');
  });

  it('prefix and suffix, with their equals-ignore-case variants', () => {
    assert.ok(matches({ time: [{ prefix: '2017-12-22' }] }));
    assert.ok(!matches({ time: [{ prefix: '2018' }] }));
    assert.ok(matches({ source: [{ prefix: { 'equals-ignore-case': 'AWS.' } }] }));
    assert.ok(matches({ detail: { FileName: [{ suffix: '.png' }] } }));
    assert.ok(!matches({ detail: { FileName: [{ suffix: '.PNG' }] } }));
    assert.ok(matches({ detail: { FileName: [{ suffix: { 'equals-ignore-case': '.PNG' } }] } }));
    assert.ok(!matches({ detail: { 'c-count': [{ prefix: '5' }] } }), 'prefix matches strings only');
  });

  it('anything-but: a value, a list of strings or numbers, prefix, suffix, equals-ignore-case, wildcard', () => {
    assert.ok(matches({ detail: { state: [{ 'anything-but': 'initializing' }] } }));
    assert.ok(!matches({ detail: { state: [{ 'anything-but': 'terminated' }] } }));
    assert.ok(matches({ detail: { 'x-limit': [{ 'anything-but': 123 }] } }));
    assert.ok(!matches({ detail: { 'c-count': [{ 'anything-but': [5, 6] }] } }));
    assert.ok(!matches({ detail: { state: [{ 'anything-but': ['stopped', 'terminated'] }] } }));
    assert.ok(matches({ detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } }));
    assert.ok(!matches({ detail: { state: [{ 'anything-but': { prefix: 'term' } }] } }));
    assert.ok(matches({ detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }));
    assert.ok(!matches({ detail: { FileName: [{ 'anything-but': { suffix: '.png' } }] } }));
    assert.ok(matches({ detail: { FileName: [{ 'anything-but': { suffix: ['.txt', '.doc'] } }] } }));
    assert.ok(!matches({ detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['Stopped', 'TERMINATED'] } }] } }));
    assert.ok(matches({ detail: { state: [{ 'anything-but': { 'equals-ignore-case': 'Stopped' } }] } }));
    assert.ok(!matches({ detail: { location: [{ 'anything-but': { wildcard: '*:event-bus/*' } }] } }));
    assert.ok(matches({ detail: { location: [{ 'anything-but': { wildcard: ['*/lib/*', '*.txt'] } }] } }));
    assert.ok(!matches({ detail: { absent: [{ 'anything-but': 'x' }] } }), 'anything-but needs the field present');
    assert.ok(matches({ tags: [{ 'anything-but': 'a' }] }, { tags: ['a', 'b'] }), 'one element that differs is enough');
  });

  it('numeric ranges with =, <, <=, >, >= and two-sided ranges', () => {
    assert.ok(matches({ detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] } }));
    assert.ok(!matches({ detail: { 'c-count': [{ numeric: ['>', 0, '<', 5] }] } }));
    assert.ok(matches({ detail: { 'd-count': [{ numeric: ['<', 10] }] } }));
    assert.ok(matches({ detail: { 'x-limit': [{ numeric: ['=', 301.8] }] } }));
    assert.ok(matches({ detail: { 'c-count': [{ numeric: ['>=', 5] }] } }));
    assert.ok(!matches({ detail: { 'c-count': [{ numeric: ['>', 5] }] } }));
    assert.ok(matches({ detail: { 'c-count': [{ numeric: ['<=', 5] }] } }));
    assert.ok(matches({ detail: { 'c-count': [{ numeric: ['>=', 5, '<', 6] }] } }));
    assert.ok(!matches({ detail: { state: [{ numeric: ['>', 0] }] } }), 'numeric needs a number');
  });

  it('exists true and false', () => {
    assert.ok(matches({ detail: { state: [{ exists: true }] } }));
    assert.ok(!matches({ detail: { missing: [{ exists: true }] } }));
    assert.ok(matches({ detail: { missing: [{ exists: false }] } }));
    assert.ok(!matches({ detail: { state: [{ exists: false }] } }));
    assert.ok(matches({ detail: { nothing: [{ exists: true }] } }), 'a null value exists');
    assert.ok(!matches({ detail: [{ exists: true }] }), 'an object is not a leaf value');
    assert.ok(matches({ missing: { deeper: [{ exists: false }] } }));
    // The documented example: c-count holding an object is not a leaf, so it does not exist.
    const documented = { detail: { 'c-count': [{ exists: false }] } };
    assert.ok(matches(documented, { 'detail-type': ['EC2 Instance State-change Notification'], detail: { state: ['initializing', 'running'] } }));
    assert.ok(matches(documented, { detail: { state: ['initializing', 'running'], 'c-count': { c1: 100 } } }));
  });

  it('equals-ignore-case and wildcard', () => {
    assert.ok(matches({ 'detail-type': [{ 'equals-ignore-case': 'ec2 instance state-change notification' }] }));
    assert.ok(!matches({ 'detail-type': [{ 'equals-ignore-case': 'ec2 instance' }] }));
    assert.ok(matches({ detail: { location: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] } }));
    assert.ok(!matches({ detail: { location: [{ wildcard: 'arn:aws:events:us-west-2:*' }] } }));
    assert.ok(matches({ detail: { FileName: [{ wildcard: '*.png' }] } }));
    assert.ok(matches({ v: [{ wildcard: 'a\\*b' }] }, { v: 'a*b' }), 'an escaped star is literal');
    assert.ok(!matches({ v: [{ wildcard: 'a\\*b' }] }, { v: 'axb' }));
    assert.ok(matches({ v: [{ wildcard: 'a.c' }] }, { v: 'a.c' }));
    assert.ok(!matches({ v: [{ wildcard: 'a.c' }] }, { v: 'abc' }), 'regex characters are literal');
  });

  it('cidr for IPv4 and IPv6', () => {
    assert.ok(matches({ detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } }));
    assert.ok(!matches({ detail: { sourceIPAddress: [{ cidr: '10.0.1.0/24' }] } }));
    assert.ok(matches({ detail: { sourceIPAddress: [{ cidr: '10.0.0.255/32' }] } }));
    assert.ok(matches({ detail: { ipv6: [{ cidr: '2001:db8::/64' }] } }));
    assert.ok(!matches({ detail: { ipv6: [{ cidr: '2001:db9::/64' }] } }));
    assert.ok(!matches({ detail: { sourceIPAddress: [{ cidr: '::/0' }] } }), 'IPv4 addresses are not in IPv6 ranges');
    assert.ok(!matches({ detail: { state: [{ cidr: '0.0.0.0/0' }] } }));
  });

  it('$or across fields, nested and combined with other fields', () => {
    const or = { detail: { $or: [{ 'c-count': [{ numeric: ['>', 0, '<=', 5] }] }, { 'd-count': [{ numeric: ['<', 10] }] }, { 'x-limit': [{ numeric: ['=', 3.018e2] }] }] } };
    assert.ok(matches(or));
    assert.ok(!matches(or, { detail: { 'c-count': 9, 'd-count': 20 } }));
    assert.ok(matches({ source: ['aws.ec2'], $or: [{ 'detail-type': ['nope'] }, { detail: { state: ['terminated'] } }] }));
    assert.ok(!matches({ source: ['aws.s3'], $or: [{ 'detail-type': ['nope'] }, { detail: { state: ['terminated'] } }] }));
  });

  it('matches non-object events and large value lists quickly once compiled', () => {
    const pattern = compilePattern({ id: Array.from({ length: 1000 }, (_, i) => `v${i}`) });
    assert.ok(!pattern.matches('text'));
    assert.ok(!pattern.matches(null));
    const started = process.hrtime.bigint();
    let hits = 0;
    for (let i = 0; i < 100_000; i++) if (pattern.matches({ id: `v${i % 2000}` })) hits++;
    assert.equal(hits, 50_000);
    assert.ok(Number(process.hrtime.bigint() - started) / 1e6 < 1000, '100,000 matches take under a second');
  });
});
