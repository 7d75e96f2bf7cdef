// An acknowledged write survives kill -9: Fogbank is killed mid-flight after answering, restarted
// on the same data directory, and every write is there.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { clientConfig } from '../support/fogbank.js';
import { exited, spawnFogbank } from '../support/process.js';

describe('durability', () => {
  it('keeps every acknowledged write across kill -9', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fogbank-kill-'));
    try {
      const first = await spawnFogbank(['--port', '0', '--data-dir', dir]);
      const sts = new STSClient(clientConfig(first.endpoint));
      // Acknowledged writes, some of them concurrent: each AssumeRole stores an issued credential.
      const issued = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${String(100000000000 + i)}:role/r${i}`, RoleSessionName: `s${i}` })),
        ),
      );
      first.child.kill('SIGKILL');
      assert.equal((await exited(first.child)).signal, 'SIGKILL');

      const second = await spawnFogbank(['--port', '0', '--data-dir', dir]);
      try {
        for (const [i, result] of issued.entries()) {
          const c = result.Credentials!;
          const asRole = new STSClient(clientConfig(second.endpoint, 'us-east-1', { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken }));
          const identity = await asRole.send(new GetCallerIdentityCommand({}));
          assert.equal(identity.Account, String(100000000000 + i), `credential ${i} survived`);
        }
      } finally {
        second.child.kill('SIGKILL');
        await exited(second.child);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
