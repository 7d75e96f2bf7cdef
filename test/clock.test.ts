// The one clock: tests move it; timers fire in due order whether time passes or is advanced.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Clock } from '../src/clock.js';

describe('clock', () => {
  it('advance moves now() and fires due timers earliest first', () => {
    const clock = new Clock();
    const start = clock.now();
    const fired: string[] = [];
    clock.after(5_000, () => fired.push('5s'));
    clock.after(1_000, () => fired.push('1s'));
    const cancelled = clock.after(2_000, () => fired.push('2s'));
    clock.after(60_000, () => fired.push('1m'));
    cancelled.cancel();
    clock.advance(10_000);
    assert.deepEqual(fired, ['1s', '5s']);
    assert.ok(clock.now() - start >= 10_000);
    clock.cancelAll();
  });

  it('fires timers when real time passes', async () => {
    const clock = new Clock();
    // Clock timers do not hold the process open (the server does); this test must.
    const keepAlive = setTimeout(() => {}, 1_000);
    const fired = await new Promise<boolean>((resolve) => clock.after(5, () => resolve(true)));
    clearTimeout(keepAlive);
    assert.equal(fired, true);
  });

  it('only moves forward', () => {
    const clock = new Clock();
    assert.throws(() => clock.advance(-1), RangeError);
    const t = clock.now() + 86_400_000;
    clock.setTime(t);
    assert.ok(clock.now() >= t);
  });
});
