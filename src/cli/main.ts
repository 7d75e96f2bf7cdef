#!/usr/bin/env node
// The fogbank command: `fogbank start [--host H] [--port P] [--data-dir D] [--in-memory]`.
// Flags win over environment variables (FOGBANK_HOST, FOGBANK_PORT, FOGBANK_DATA_DIR,
// FOGBANK_IN_MEMORY, FOGBANK_SYNC), which win over the defaults.

import { parseArgs } from 'node:util';
import { Fogbank, VERSION } from '../fogbank.js';

const USAGE = `Usage: fogbank start [options]

Options:
  --host <address>     address to listen on (FOGBANK_HOST, default 127.0.0.1)
  --port <number>      port to listen on (FOGBANK_PORT, default 4566)
  --data-dir <path>    where state is kept (FOGBANK_DATA_DIR, default .fogbank)
  --in-memory          keep state in memory only (FOGBANK_IN_MEMORY=1)
  --sync <mode>        normal (kill -9 safe) or full (power-loss safe) (FOGBANK_SYNC)
  --version            print the version
`;

function fail(message: string): never {
  process.stderr.write(`fogbank: ${message}\n\n${USAGE}`);
  process.exit(2);
}

async function main(argv: string[]): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        'data-dir': { type: 'string' },
        'in-memory': { type: 'boolean' },
        sync: { type: 'string' },
        version: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    fail((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.version) return void process.stdout.write(`${VERSION}\n`);
  if (values.help) return void process.stdout.write(USAGE);
  const command = positionals[0] ?? 'start';
  if (command !== 'start') fail(`unknown command '${command}'`);

  const env = process.env;
  const port = Number(values.port ?? env.FOGBANK_PORT ?? 4566);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`invalid port '${values.port ?? env.FOGBANK_PORT}'`);
  const sync = values.sync ?? env.FOGBANK_SYNC ?? 'normal';
  if (sync !== 'normal' && sync !== 'full') fail(`invalid sync mode '${sync}'`);
  const inMemory = values['in-memory'] ?? ['1', 'true', 'yes'].includes((env.FOGBANK_IN_MEMORY ?? '').toLowerCase());

  const fogbank = new Fogbank({
    host: values.host ?? env.FOGBANK_HOST ?? '127.0.0.1',
    port,
    dataDir: values['data-dir'] ?? env.FOGBANK_DATA_DIR ?? '.fogbank',
    inMemory,
    sync,
  });
  try {
    await fogbank.listen();
  } catch (error) {
    fail(`cannot listen: ${(error as Error).message}`);
  }
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    fogbank.stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.stdout.write(`Fogbank ${VERSION} on ${fogbank.endpoint} (${inMemory ? 'in memory' : `data in ${fogbank.store.location}`})\nReady.\n`);
}

main(process.argv.slice(2)).catch((error) => {
  process.stderr.write(`fogbank: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
