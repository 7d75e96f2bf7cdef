// A Standard execution running when Fogbank is killed goes on after the restart, from the state
// it was in: its variables, its history numbering and a Wait's end survive.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { exited, spawnFogbank } from '../support/process.js';
import { createMachine, history, sfnClient, waitForEnd, waitForEvent } from './support.js';

describe('Step Functions executions across a restart', () => {
  it('resumes a Standard execution in a one-hour Wait after kill -9, with its variables and history', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fogbank-sfn-restart-'));
    try {
      const first = await spawnFogbank(['--port', '0', '--data-dir', dir]);
      const before = sfnClient(first.endpoint);
      const definition = {
        StartAt: 'Remember',
        States: {
          Remember: { Type: 'Pass', Assign: { 'order.$': '$.order' }, Next: 'Note' },
          Note: { Type: 'Pass', Result: 'remembered', ResultPath: '$.note', Next: 'Hold' },
          Hold: { Type: 'Wait', Seconds: 3600, Next: 'Finish' },
          Finish: { Type: 'Pass', Parameters: { 'order.$': '$order', 'note.$': '$.note' }, End: true },
        },
      };
      const arn = await createMachine(before, definition);
      const { executionArn } = await before.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{"order":42}' }));
      await waitForEvent(before, executionArn!, 'WaitStateEntered');
      // Let the checkpoint reach the disk (written with the events, one turn later).
      await new Promise((r) => setTimeout(r, 100));
      first.child.kill('SIGKILL');
      await exited(first.child);

      const second = await spawnFogbank(['--port', '0', '--data-dir', dir]);
      try {
        const after = sfnClient(second.endpoint);
        const advanced = await fetch(`${second.endpoint}/_fogbank/clock/advance`, { method: 'POST', body: JSON.stringify({ seconds: 3600 }) });
        assert.equal(advanced.status, 200);
        const done = await waitForEnd(after, executionArn!);
        assert.equal(done.status, 'SUCCEEDED', done.cause);
        assert.deepEqual(JSON.parse(done.output!), { order: 42, note: 'remembered' });
        const events = await history(after, executionArn!);
        // The Wait is entered again after the restart, under the same event id: ids have no gaps or repeats.
        assert.deepEqual(events.map((e) => e.id), events.map((_, i) => i + 1));
        assert.deepEqual(events.map((e) => e.type), ['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'PassStateEntered', 'PassStateExited', 'WaitStateEntered', 'WaitStateExited', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);
      } finally {
        second.child.kill('SIGKILL');
        await exited(second.child);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
