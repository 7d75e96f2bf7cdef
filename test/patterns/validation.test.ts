// Invalid patterns: the reasons AWS gives, EventBridge's wording, and SNS's dialect and limits.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkSnsPolicyLimits, compilePattern, eventBridgePatternMessage, PatternError } from '../../src/services/common/patterns/index.js';

function reason(pattern: unknown, options: Parameters<typeof compilePattern>[1] = {}): string {
  try {
    compilePattern(JSON.stringify(pattern), options);
  } catch (error) {
    assert.ok(error instanceof PatternError);
    return error.message;
  }
  throw new Error(`pattern ${JSON.stringify(pattern)} compiled`);
}

describe('pattern validation', () => {
  it('structure errors', () => {
    assert.equal(reason(['a']), 'Filter is not an object');
    assert.equal(reason('a'), 'Filter is not an object');
    assert.equal(reason({}), 'Empty objects are not allowed');
    assert.equal(reason({ a: {} }), 'Empty objects are not allowed');
    assert.equal(reason({ a: 'x' }), '"a" must be an object or an array');
    assert.equal(reason({ a: [] }), 'Empty arrays are not allowed');
    assert.equal(reason({ a: [['x']] }), 'Match value must be String, number, true, false, or null');
    assert.equal(reason({ a: [{}] }), 'Match expression name not found');
    assert.equal(reason({ a: [{ regex: 'x' }] }), 'Unrecognized match type regex');
    assert.equal(reason({ a: [{ prefix: 'x', suffix: 'y' }] }), 'Only one key allowed in match expression');
  });

  it('operator value errors', () => {
    assert.equal(reason({ a: [{ prefix: 1 }] }), 'prefix match pattern must be a string');
    assert.equal(reason({ a: [{ suffix: null }] }), 'suffix match pattern must be a string');
    assert.equal(reason({ a: [{ prefix: { other: 'x' } }] }), 'Unsupported prefix pattern: other');
    assert.equal(reason({ a: [{ 'equals-ignore-case': 5 }] }), 'equals-ignore-case match pattern must be a string');
    assert.equal(reason({ a: [{ wildcard: 5 }] }), 'wildcard match pattern must be a string');
    assert.equal(reason({ a: [{ wildcard: 'a**b' }] }), 'Consecutive wildcard characters at pos 2');
    assert.equal(reason({ a: [{ wildcard: 'a\\b' }] }), 'Invalid escape character at pos 1');
    assert.equal(reason({ a: [{ exists: 'yes' }] }), 'exists match pattern must be either true or false.');
    assert.equal(reason({ a: [{ cidr: 5 }] }), 'prefix match pattern must be a string');
    assert.equal(reason({ a: [{ cidr: '10.0.0.0' }] }), "Malformed CIDR, one '/' required");
    assert.equal(reason({ a: [{ cidr: '10.0.0.0/x' }] }), 'Malformed CIDR, mask bits must be an integer');
    assert.equal(reason({ a: [{ cidr: '10.0.0.300/24' }] }), 'Nonstandard IP address: 10.0.0.300');
  });

  it('anything-but errors', () => {
    assert.equal(reason({ a: [{ 'anything-but': [1, 'x'] }] }), 'Inside anything but list, either all values are number or string, mixed type is not supported');
    assert.equal(reason({ a: [{ 'anything-but': [null] }] }), 'Inside anything but list, start|null|boolean is not supported.');
    assert.equal(reason({ a: [{ 'anything-but': true }] }), 'Inside anything-but list, start|null|boolean is not supported.');
    assert.equal(reason({ a: [{ 'anything-but': { exists: true } }] }), 'Unsupported anything-but pattern: exists');
    assert.equal(reason({ a: [{ 'anything-but': { prefix: '' } }] }), 'Null prefix/suffix not allowed');
    assert.equal(reason({ a: [{ 'anything-but': { prefix: 5 } }] }), 'prefix/suffix match pattern must be a string');
    assert.equal(reason({ a: [{ 'anything-but': { 'equals-ignore-case': [1] } }] }), 'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.');
    assert.equal(reason({ a: [{ 'anything-but': { wildcard: 'a**' } }] }), 'Consecutive wildcard characters at pos 2');
  });

  it('numeric errors', () => {
    assert.equal(reason({ a: [{ numeric: 5 }] }), 'Value of numeric must be an array.');
    assert.equal(reason({ a: [{ numeric: [5] }] }), 'Invalid member in numeric match: 5');
    assert.equal(reason({ a: [{ numeric: ['!=', 5] }] }), 'Unrecognized numeric range operator: !=');
    assert.equal(reason({ a: [{ numeric: ['=', 'x'] }] }), 'Value of equals must be numeric');
    assert.equal(reason({ a: [{ numeric: ['<', 1, '>', 0] }] }), 'Too many elements in numeric expression');
    assert.equal(reason({ a: [{ numeric: ['>', 1, '>', 0] }] }), 'Bad numeric range operator: >');
    assert.equal(reason({ a: [{ numeric: ['>', 1, '<', 'x'] }] }), 'Value of < must be numeric');
    assert.equal(reason({ a: [{ numeric: ['>', 5, '<', 1] }] }), 'Bottom must be less than top');
    assert.equal(reason({ a: [{ numeric: ['>', 0, '<', 5, 6] }] }), 'Too many terms in numeric range expression');
    assert.equal(reason({ a: [{ numeric: ['>', 6e9] }] }), 'Value must be between -5.0E9 and 5.0E9, inclusive');
  });

  it('$or errors', () => {
    assert.equal(reason({ $or: { a: [1] } }), 'It must be an Array followed with $or.');
    assert.equal(reason({ $or: [{ a: [1] }] }), 'There must have at least 2 Objects in $or relationship.');
    assert.equal(reason({ $or: [{ a: [1] }, 'b'] }), 'Only JSON object is allowed in array of $or relationship.');
    assert.equal(reason({ $or: [{ a: [1] }, { prefix: ['b'] }] }), 'prefix is Ruler reserved fieldName which cannot be used inside $or.');
  });

  it('EventBridge wording', () => {
    assert.equal(eventBridgePatternMessage(reason({ a: 'x' })), 'Event pattern is not valid. Reason: "a" must be an object or an array');
  });

  it("SNS's dialect: no wildcard, anything-but takes only prefix, no nesting on attributes", () => {
    assert.equal(reason({ a: [{ wildcard: '*' }] }, { dialect: 'sns' }), 'Unrecognized match type wildcard');
    assert.equal(reason({ a: [{ 'anything-but': { suffix: 'x' } }] }, { dialect: 'sns' }), 'Unsupported anything-but pattern: suffix');
    assert.equal(reason({ a: { b: ['x'] } }, { dialect: 'sns', nested: false }), 'Filter policy scope MessageAttributes does not support nested filter policy');
    assert.ok(compilePattern({ a: { b: ['x'] } }, { dialect: 'sns', nested: true }).matches({ a: { b: 'x' } }));
    // SNS reads exists: true as "has a non-null, non-empty value"; EventBridge as "is present".
    const sns = compilePattern({ a: [{ exists: true }] }, { dialect: 'sns' });
    const eventBridge = compilePattern({ a: [{ exists: true }] });
    for (const value of [null, '']) {
      assert.ok(!sns.matches({ a: value }));
      assert.ok(eventBridge.matches({ a: value }));
    }
    assert.ok(sns.matches({ a: 'x' }));
  });

  it("SNS's limits: five keys and 150 combinations", () => {
    const limit = (policy: Record<string, unknown>): string | undefined => {
      try {
        checkSnsPolicyLimits(policy);
        return undefined;
      } catch (error) {
        return (error as Error).message;
      }
    };
    assert.equal(limit({ a: [1], b: [1], c: [1], d: [1], e: [1], f: [1] }), 'Filter policy can not have more than 5 keys');
    assert.equal(limit({ a: [1], b: [1], c: [1], d: [1], e: [1] }), undefined);
    const values = (n: number) => Array.from({ length: n }, (_, i) => `v${i}`);
    assert.equal(limit({ a: values(10), b: values(15) }), undefined, '10 x 15 = 150');
    assert.equal(limit({ a: values(10), b: values(16) }), 'Filter policy is too complex');
    // The documented nested example: 3 x 4 x 2 x 3 = 72.
    assert.equal(limit({ key_a: { key_b: { key_c: values(4) } }, key_d: { key_e: values(3) } }), undefined);
    assert.equal(limit({ key_a: { key_b: { key_c: values(13) } }, key_d: { key_e: values(3) } }), 'Filter policy is too complex');
    assert.equal(limit({ $or: [{ a: values(100) }, { b: values(50) }] }), undefined, '$or alternatives add up');
    assert.equal(limit({ $or: [{ a: values(100) }, { b: values(51) }] }), 'Filter policy is too complex');
  });
});
