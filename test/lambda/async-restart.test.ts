// Queued Event invocations survive kill -9: events waiting for a retry, and events not yet run,
// all reach their destinations after Fogbank restarts on the same data directory.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { InvokeCommand, PutFunctionEventInvokeConfigCommand } from '@aws-sdk/client-lambda';
import { newQueue } from '../support/queues.js';
import { exited, spawnFogbank } from '../support/process.js';
import { createFunction, lambdaClient } from './support.js';
import { drainMessages, runsOf, until } from './async-helpers.js';

const FAILING = { files: { 'index.mjs': 'export const handler = async () => { throw new Error("later"); };' } };
const ECHO = { files: { 'index.mjs': 'export const handler = async (event) => event;' } };

async function advance(endpoint: string, seconds: number): Promise<void> {
  await fetch(`${endpoint}/_fogbank/clock/advance`, { method: 'POST', body: JSON.stringify({ seconds }) });
}

describe('asynchronous invocation: restart', () => {
  it('loses no queued event across kill -9', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fogbank-async-'));
    try {
      const first = await spawnFogbank(['--port', '0', '--data-dir', dir]);
      let ids: { retrying: string[]; fresh: string[] };
      let queues: { failure: { url: string }; success: { url: string } };
      try {
        const lambda = lambdaClient(first.endpoint);
        const failure = await newQueue(first.endpoint);
        const success = await newQueue(first.endpoint);
        queues = { failure, success };
        const failing = await createFunction(lambda, FAILING);
        await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: failing.FunctionName, MaximumRetryAttempts: 1, DestinationConfig: { OnFailure: { Destination: failure.arn } } }));
        const echo = await createFunction(lambda, ECHO);
        await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: echo.FunctionName, DestinationConfig: { OnSuccess: { Destination: success.arn } } }));
        const send = async (name: string, i: number) =>
          (await lambda.send(new InvokeCommand({ FunctionName: name, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify({ i })) }))).$metadata.requestId!;
        const retrying = await Promise.all(Array.from({ length: 10 }, (_, i) => send(failing.FunctionName!, i)));
        // Every failing event has run once and now waits a minute for its retry.
        await until('ten first runs', async () => ((await runsOf(first.endpoint, failing.FunctionName!)) >= 10 ? true : undefined));
        // These are killed while queued or running.
        const fresh = await Promise.all(Array.from({ length: 10 }, (_, i) => send(echo.FunctionName!, i)));
        ids = { retrying, fresh };
      } finally {
        first.child.kill('SIGKILL');
        await exited(first.child);
      }

      const second = await spawnFogbank(['--port', '0', '--data-dir', dir]);
      try {
        const successes = await drainMessages(second.endpoint, queues.success.url, 10);
        const seen = new Set(successes.map((m) => JSON.parse(m.Body!).requestContext.requestId));
        for (const id of ids.fresh) assert.ok(seen.has(id), `event ${id} ran after the restart`);

        // Received messages come back as the clock passes their visibility timeout: keep one per event.
        const records = new Map<string, { requestContext: { condition: string } }>();
        await until('ten failure records', async () => {
          await advance(second.endpoint, 61);
          for (const m of await drainMessages(second.endpoint, queues.failure.url, 0)) {
            const record = JSON.parse(m.Body!);
            records.set(record.requestContext.requestId, record);
          }
          return records.size >= 10 ? true : undefined;
        });
        assert.deepEqual(new Set(records.keys()), new Set(ids.retrying));
        for (const r of records.values()) assert.equal(r.requestContext.condition, 'RetriesExhausted');
      } finally {
        second.child.kill('SIGKILL');
        await exited(second.child);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
