// How each runtime's worker process is started: Node.js and Python through the bootstraps Fogbank
// ships, custom runtimes (provided.*) through the package's own executable `bootstrap`.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PYTHON_BOOTSTRAP } from './bootstraps/python.js';
import { FOGBANK_NODE_MODULES } from './paths.js';

export type RuntimeKind = 'nodejs' | 'python' | 'provided';

let pythonExecutable: string | undefined;

/** The host's python3, resolved once (version managers' shims are slow to start). */
function python(): string {
  if (!pythonExecutable) {
    try {
      pythonExecutable = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim() || 'python3';
    } catch {
      pythonExecutable = 'python3';
    }
  }
  return pythonExecutable;
}

function pythonBootstrapFile(runtimeDir: string): string {
  // Named by content, so Fogbanks of different versions sharing the folder never clash.
  const hash = createHash('sha256').update(PYTHON_BOOTSTRAP).digest('hex').slice(0, 12);
  const file = join(runtimeDir, 'python', `bootstrap-${hash}.py`);
  if (!existsSync(file)) {
    mkdirSync(join(runtimeDir, 'python'), { recursive: true });
    const staging = `${file}.${process.pid}`;
    writeFileSync(staging, PYTHON_BOOTSTRAP);
    renameSync(staging, file);
  }
  return file;
}

export interface Command {
  command: string;
  args: string[];
  /** Variables the runtime itself adds (module search paths, unbuffered output). */
  env: Record<string, string>;
  /** Set when the package cannot start at all (a custom runtime without its bootstrap). */
  missing?: string;
}

/**
 * The heap limits AWS's Node.js bootstrap derives from the function's memory: a tenth of it for
 * the young generation (half of that per semi-space), the rest for the old generation. A function
 * that outgrows them dies as V8 makes it die in Lambda ("JavaScript heap out of memory", SIGABRT).
 */
export function nodeMemoryFlags(memorySize: number): string[] {
  const newSpace = Math.floor(memorySize / 10);
  return [`--max-semi-space-size=${Math.max(1, Math.floor(newSpace / 2))}`, `--max-old-space-size=${memorySize - newSpace}`];
}

export function commandFor(kind: RuntimeKind, taskRoot: string, runtimeDir: string, memorySize = 128): Command {
  switch (kind) {
    case 'nodejs': {
      const bootstrap = fileURLToPath(new URL('./bootstraps/node.js', import.meta.url));
      // AWS's order after the layers' folders: the runtime's modules (Fogbank's own stand in for the
      // AWS SDK that AWS's Node.js runtimes carry), then the task root, so require('lib/x') works.
      return { command: process.execPath, args: [...nodeMemoryFlags(memorySize), bootstrap], env: { NODE_PATH: `${FOGBANK_NODE_MODULES}:${taskRoot}` } };
    }
    case 'python':
      return { command: python(), args: ['-u', pythonBootstrapFile(runtimeDir)], env: { PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1' } };
    case 'provided': {
      const bootstrap = join(taskRoot, 'bootstrap');
      return { command: bootstrap, args: [], env: {}, missing: existsSync(bootstrap) ? undefined : `Couldn't find valid bootstrap(s): [${bootstrap}]` };
    }
  }
}
