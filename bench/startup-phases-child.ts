// One measurement for startup-phases.ts, in a fresh process. It has no static imports, so the
// first timestamp is taken before anything but Node itself has loaded; prints JSON phases.

const bootstrap = performance.now();
const { Fogbank } = await import('../src/fogbank.js');
const imported = performance.now();
const { send, PROBE } = await import('./requests.js');
const { mkdtempSync, rmSync } = await import('node:fs');
const { createRequire } = await import('node:module');
const { tmpdir } = await import('node:os');
const { join } = await import('node:path');

const packagesLoaded = (): string[] => [...new Set(Object.keys(createRequire(import.meta.url).cache).map((path) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? path))];

const inMemory = process.argv[2] === 'in-memory';
const dataDir = mkdtempSync(join(tmpdir(), 'bench-phases-'));
const beforeStore = performance.now();
const fogbank = new Fogbank({ host: '127.0.0.1', port: 0, dataDir, inMemory });
const constructed = performance.now();
await fogbank.listen();
const listening = performance.now();
await send(fogbank.port, PROBE);
const first = performance.now();
await send(fogbank.port, PROBE);
const second = performance.now();
const packages = packagesLoaded();
await fogbank.stop();
rmSync(dataDir, { recursive: true, force: true });

// What each other service's model costs on its first request (STS's is inside the first request).
const { loadModel } = await import('../src/protocols/model.js');
const models: Record<string, number> = {};
for (const uid of ['secretsmanager-2017-10-17', 'ssm-2014-11-06', 'logs-2014-03-28', 'iam-2010-05-08']) {
  const start = performance.now();
  loadModel(uid);
  models[`load model ${uid}`] = performance.now() - start;
}

const phases: Record<string, number> = {
  'node bootstrap (to first line of script)': bootstrap,
  'import Fogbank module graph': imported - bootstrap,
  'new Fogbank (opens the store)': constructed - beforeStore,
  listen: listening - constructed,
  'first STS request (loads STS)': first - listening,
  'second STS request': second - first,
  'sum of the phases to first answer': bootstrap + (imported - bootstrap) + (constructed - beforeStore) + (listening - constructed) + (first - listening),
  ...models,
};
process.stdout.write(`${JSON.stringify({ phases, packages })}\n`);
