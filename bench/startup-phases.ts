// Where Fogbank's start-up time goes, phase by phase, measured inside fresh Node processes
// (startup-phases-child.ts): Node's own bootstrap, importing Fogbank's module graph, opening the
// store, listening, the first and second STS requests, and what other services' models cost.
// Usage: node dist/bench/startup-phases.js [--runs 5]

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { median } from './report.js';

type Phases = Record<string, number>;

const CHILD = fileURLToPath(new URL('./startup-phases-child.js', import.meta.url));

function main(): void {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
  const runs = Math.min(50, Math.max(1, Number(values.runs) || 5));
  for (const mode of ['persistent', 'in-memory'] as const) {
    const samples: Phases[] = [];
    let packages: string[] = [];
    for (let i = 0; i < runs; i++) {
      const result = spawnSync(process.execPath, [CHILD, mode], { encoding: 'utf8', timeout: 30_000 });
      if (result.status !== 0) throw new Error(`phase run failed: ${result.stderr}`);
      const parsed = JSON.parse(result.stdout) as { phases: Phases; packages: string[] };
      samples.push(parsed.phases);
      packages = parsed.packages;
    }
    process.stdout.write(`\nFogbank start-up phases, ${mode} store (median of ${runs} fresh processes, ms):\n`);
    for (const name of Object.keys(samples[0]!)) process.stdout.write(`  ${name.padEnd(42)} ${median(samples.map((s) => s[name]!)).toFixed(1).padStart(6)}\n`);
    process.stdout.write(`  CommonJS packages loaded by then: ${packages.join(', ') || 'none'}\n`);
  }
}

main();
