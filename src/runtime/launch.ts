// How each runtime's worker process is started: Node.js and Python through the bootstraps Fogbank
// ships, custom runtimes (provided.*) through the package's own executable `bootstrap`, or else
// the one its layers put in /opt (a bash or PHP runtime layer), as AWS looks for them.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PYTHON_BOOTSTRAP } from './bootstraps/python.js';
import { FOGBANK_NODE_MODULES } from './paths.js';

export type RuntimeKind = 'nodejs' | 'python' | 'provided';

const pythonExecutables = new Map<string, string>();

/** The interpreter's own path, or undefined when it does not run (a version manager's shim of a version not selected). */
function resolvePython(name: string): string | undefined {
  try {
    return execFileSync(name, ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The host's interpreter for a runtime (python3.12): pythonX.Y when it runs here, else python3.
 * Resolved once per runtime (version managers' shims are slow to start).
 */
export function pythonFor(runtime: string): string {
  let executable = pythonExecutables.get(runtime);
  if (!executable) {
    const versioned = /^python\d+\.\d+$/.test(runtime) ? resolvePython(runtime) : undefined;
    executable = versioned ?? resolvePython('python3') ?? 'python3';
    pythonExecutables.set(runtime, executable);
  }
  return executable;
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

/** AWS's message when neither /var/task nor /opt holds a bootstrap (it names Lambda's paths, not the host's). */
export const NO_BOOTSTRAP = "Couldn't find valid bootstrap(s): [/var/task/bootstrap /opt/bootstrap]";

/** A custom runtime's bootstrap: the package's own, else its layers' (opt: the folder standing in for /opt). */
export function customBootstrap(taskRoot: string, opt: string | undefined | (() => string | undefined)): string | undefined {
  const own = join(taskRoot, 'bootstrap');
  if (existsSync(own)) return own;
  // Asked lazily: finding the layers' folder costs store reads a package with its own bootstrap skips.
  const folder = typeof opt === 'function' ? opt() : opt;
  const layers = folder ? join(folder, 'bootstrap') : undefined;
  return layers && existsSync(layers) ? layers : undefined;
}

/**
 * How to start a runtime's worker. Node.js runs on the host's own node whatever the runtime's
 * version; Python on pythonX.Y when the host has it (pythonFor). opt: the function's merged
 * layers, where a custom runtime's bootstrap may be.
 */
export function commandFor(kind: RuntimeKind, taskRoot: string, runtimeDir: string, memorySize = 128, runtime = '', opt?: string): Command {
  switch (kind) {
    case 'nodejs': {
      const bootstrap = fileURLToPath(new URL('./bootstraps/node.js', import.meta.url));
      // AWS's order after the layers' folders: the runtime's modules (Fogbank's own stand in for the
      // AWS SDK that AWS's Node.js runtimes carry), then the task root, so require('lib/x') works.
      return { command: process.execPath, args: [...nodeMemoryFlags(memorySize), bootstrap], env: { NODE_PATH: `${FOGBANK_NODE_MODULES}:${taskRoot}` } };
    }
    case 'python':
      return { command: pythonFor(runtime), args: ['-u', pythonBootstrapFile(runtimeDir)], env: { PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1' } };
    case 'provided': {
      const bootstrap = customBootstrap(taskRoot, opt);
      return { command: bootstrap ?? join(taskRoot, 'bootstrap'), args: [], env: {}, missing: bootstrap ? undefined : NO_BOOTSTRAP };
    }
  }
}
