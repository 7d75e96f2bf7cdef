// Figure 4: requests per second with wrk replaying one fixed request through a small Lua script.
// Any non-2xx answer or socket error makes the measurement count as failed.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchRequest } from './requests.js';

export interface WrkSettings {
  threads: number;
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
}

export interface WrkResult {
  requestsPerSecond: number;
  totalRequests: number;
  non2xx: number;
  socketErrors: number;
  /** Why the figure must not be trusted, if it must not. */
  failure?: string;
}

function hasWrk(): boolean {
  return spawnSync('wrk', ['--version'], { stdio: 'ignore', timeout: 10_000 }).error === undefined;
}

/**
 * Makes sure wrk is installed: installs the Debian package when running as root, otherwise says how
 * and returns false so the section is skipped.
 */
export function ensureWrk(log: (line: string) => void): boolean {
  if (hasWrk()) return true;
  if (process.getuid?.() !== 0 || spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).error) {
    log('wrk is not installed; throughput is skipped. Install it with: sudo apt-get install -y wrk');
    return false;
  }
  log('wrk is not installed; installing the Debian package (apt-get update && apt-get install -y wrk)...');
  const update = spawnSync('apt-get', ['update'], { stdio: 'ignore', timeout: 180_000 });
  const install = update.status === 0 ? spawnSync('apt-get', ['install', '-y', 'wrk'], { stdio: 'ignore', timeout: 180_000, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }) : update;
  if (install.status !== 0 || !hasWrk()) {
    log('could not install wrk; throughput is skipped. Install it with: sudo apt-get install -y wrk');
    return false;
  }
  return true;
}

/** A Lua string literal (LuaJIT understands \ddd decimal escapes, not \u). */
function luaString(value: string): string {
  let out = '"';
  for (const byte of Buffer.from(value, 'utf8')) {
    const ch = String.fromCharCode(byte);
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (byte >= 0x20 && byte < 0x7f) out += ch;
    else out += `\\${byte}`;
  }
  return `${out}"`;
}

export function luaScript(req: BenchRequest): string {
  const lines = [`wrk.method = ${luaString(req.method)}`, `wrk.path = ${luaString(req.path)}`, `wrk.body = ${luaString(req.body)}`];
  for (const [name, value] of Object.entries(req.headers)) lines.push(`wrk.headers[${luaString(name)}] = ${luaString(value)}`);
  if (req.pathCycle) {
    lines.push('local n = 0', `request = function() n = (n + 1) % ${req.pathCycle}; return wrk.format(nil, wrk.path .. n) end`);
  }
  return `${lines.join('\n')}\n`;
}

function parse(output: string): Omit<WrkResult, 'failure'> {
  const number = (pattern: RegExp): number => Number(pattern.exec(output)?.[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  return {
    requestsPerSecond: number(/Requests\/sec:\s+([\d.]+)/),
    totalRequests: number(/(\d+) requests in /),
    non2xx: number(/Non-2xx or 3xx responses: (\d+)/),
    socketErrors: socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0,
  };
}

function runOnce(port: number, script: string, settings: WrkSettings, seconds: number): Promise<string> {
  const args = [`-t${settings.threads}`, `-c${settings.connections}`, `-d${seconds}s`, '--timeout', '5s', '-s', script, `http://127.0.0.1:${port}/`];
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    // wrk stops by itself; this only guards against it hanging.
    const guard = setTimeout(() => child.kill('SIGKILL'), (seconds + 20) * 1000);
    child.once('error', (error) => (clearTimeout(guard), reject(error)));
    child.once('exit', (code) => {
      clearTimeout(guard);
      if (code === 0) resolve(output);
      else reject(new Error(`wrk exited with ${code}: ${output.trim().slice(-300)}`));
    });
  });
}

/** A warm-up run (discarded), then the measured run. */
export async function measureThroughput(port: number, req: BenchRequest, settings: WrkSettings): Promise<WrkResult> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-wrk-'));
  try {
    const script = join(dir, 'request.lua');
    writeFileSync(script, luaScript(req));
    if (settings.warmupSeconds > 0) await runOnce(port, script, settings, settings.warmupSeconds);
    const result = parse(await runOnce(port, script, settings, settings.durationSeconds));
    const problems: string[] = [];
    if (result.non2xx > 0) problems.push(`${result.non2xx} non-2xx answers`);
    if (result.socketErrors > 0) problems.push(`${result.socketErrors} socket errors`);
    if (result.totalRequests === 0) problems.push('no requests completed');
    return problems.length > 0 ? { ...result, failure: problems.join(', ') } : result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
