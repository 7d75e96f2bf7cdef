import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { createFunction, decode, lambdaClient, useLambdaFogbank } from './support.js';

const env = useLambdaFogbank();

/** The version an interpreter on PATH reports, or undefined when it does not run here. */
function versionOf(interpreter: string): number[] | undefined {
  try {
    return JSON.parse(execFileSync(interpreter, ['-c', 'import sys, json; print(json.dumps(list(sys.version_info[:3])))'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as number[];
  } catch {
    return undefined;
  }
}

const python3 = versionOf('python3');

describe('Runtimes run on the interpreter of their version where the host has it', () => {
  it('a pythonX.Y function runs on pythonX.Y when it runs here, else on python3', { skip: !python3 && 'needs python3' }, async () => {
    const client = lambdaClient(env.endpoint);
    const handler = 'import sys\ndef handler(event, context):\n    return list(sys.version_info[:3])\n';
    for (const runtime of ['python3.9', 'python3.11', 'python3.12', 'python3.13']) {
      const fn = await createFunction(client, { Runtime: runtime as 'python3.12', Handler: 'app.handler', files: { 'app.py': handler } });
      const out = await client.send(new InvokeCommand({ FunctionName: fn.FunctionName }));
      assert.equal(out.FunctionError, undefined, Buffer.from(out.Payload ?? []).toString());
      const versioned = versionOf(runtime);
      const expected = versioned ?? python3!;
      assert.deepEqual(decode(out.Payload), expected, runtime);
      if (versioned) assert.equal(`python${expected[0]}.${expected[1]}`, runtime);
    }
  });

  it('a nodejsNN.x function runs on the host node, whatever NN', async () => {
    const client = lambdaClient(env.endpoint);
    for (const runtime of ['nodejs18.x', 'nodejs22.x']) {
      const fn = await createFunction(client, { Runtime: runtime as 'nodejs18.x', files: { 'index.mjs': 'export const handler = async () => process.version;' } });
      const out = await client.send(new InvokeCommand({ FunctionName: fn.FunctionName }));
      assert.equal(decode(out.Payload), process.version);
    }
  });
});
