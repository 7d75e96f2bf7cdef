// `npm run bench`: every benchmark, one after the other, each side by side with its peers.
// Each part is a standalone script (also `npm run bench:<part>`); this runs them in sequence so
// one part's servers never share the machine with another's. Usage: node dist/bench/all.js [part ...]

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Order: the foundation first, then services in the order their issues build on each other. */
const PARTS = ['run', 'dynamodb', 's3', 'sqs', 'lambda', 'plumbing', 'apigateway', 'events', 'states'];

const wanted = process.argv.slice(2);
const unknown = wanted.filter((part) => !PARTS.includes(part));
if (unknown.length > 0) {
  process.stderr.write(`unknown part(s): ${unknown.join(', ')}; parts: ${PARTS.join(', ')}\n`);
  process.exit(2);
}
let failed = 0;
for (const part of wanted.length > 0 ? wanted : PARTS) {
  const script = fileURLToPath(new URL(`./${part}.js`, import.meta.url));
  if (!existsSync(script)) continue;
  process.stdout.write(`\n=== bench: ${part} ===\n`);
  const result = spawnSync(process.execPath, [script], { stdio: 'inherit' });
  if (result.status !== 0) {
    failed += 1;
    process.stdout.write(`bench part ${part} failed (exit ${result.status ?? result.signal})\n`);
  }
}
process.exitCode = failed > 0 ? 1 : 0;
