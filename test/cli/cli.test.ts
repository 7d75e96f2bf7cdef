// The fogbank command: flags, environment variables, the Ready line, clean shutdown.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { rawRequest } from '../support/http.js';
import { CLI, exited, spawnFogbank } from '../support/process.js';

describe('fogbank start', () => {
  it('prints Ready., serves, and exits cleanly on SIGTERM and SIGINT', async () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const fb = await spawnFogbank(['--port', '0', '--in-memory']);
      assert.match(fb.output(), /^Ready\.$/m);
      assert.equal((await rawRequest(fb.endpoint, { path: '/_fogbank/health' })).status, 200);
      fb.child.kill(signal);
      assert.deepEqual(await exited(fb.child), { code: 0, signal: null });
    }
  });

  it('takes its settings from environment variables, and flags win over them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fogbank-cli-'));
    try {
      const fb = await spawnFogbank(['--port', '0'], { FOGBANK_DATA_DIR: dir, FOGBANK_PORT: '1' });
      assert.ok(existsSync(join(dir, 'fogbank.db')), 'the data directory came from FOGBANK_DATA_DIR');
      assert.notEqual(new URL(fb.endpoint).port, '1', '--port won over FOGBANK_PORT');
      fb.child.kill('SIGTERM');
      await exited(fb.child);
      const mem = await spawnFogbank([], { FOGBANK_PORT: '0', FOGBANK_IN_MEMORY: '1' });
      assert.match(mem.output(), /in memory/);
      mem.child.kill('SIGTERM');
      await exited(mem.child);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects bad flags with usage and exit code 2', () => {
    for (const args of [['start', '--port', 'abc'], ['start', '--bogus'], ['launch'], ['start', '--sync', 'sometimes']]) {
      const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
      assert.equal(result.status, 2, args.join(' '));
      assert.match(result.stderr, /Usage: fogbank start/);
    }
  });

  it('prints its version', () => {
    const result = spawnSync(process.execPath, [CLI, '--version'], { encoding: 'utf8' });
    assert.equal(result.status, 0);
    assert.match(result.stdout, /^\d+\.\d+\.\d+$/m);
  });
});
