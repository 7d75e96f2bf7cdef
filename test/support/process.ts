// Fogbank as a separate process, started through its CLI, for tests of the command itself and
// of what survives kill -9.

import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

export interface FogbankProcess {
  child: ChildProcess;
  endpoint: string;
  output: () => string;
}

/** Spawns `fogbank start ...` and resolves once it prints Ready. */
export function spawnFogbank(args: string[], env: Record<string, string> = {}, timeoutMs = 10_000): Promise<FogbankProcess> {
  const child = spawn(process.execPath, [CLI, 'start', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`fogbank did not become ready:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const endpoint = /on (http:\/\/\S+)/.exec(output)?.[1];
      if (endpoint && /^Ready\.$/m.test(output)) {
        clearTimeout(timer);
        resolve({ child, endpoint, output: () => output });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`fogbank exited with ${code} before it was ready:\n${output}`));
    });
  });
}

export function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}
