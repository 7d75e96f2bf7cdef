// Where Lambda's files live on the host: unpacked packages and the shipped bootstraps, under the
// system's temporary folder, one tree per Fogbank installation.

import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** This installation's node_modules (dist/src/runtime/ is three levels below the package root). */
export const FOGBANK_NODE_MODULES = fileURLToPath(new URL('../../../node_modules', import.meta.url));

const installId = createHash('sha256').update(FOGBANK_NODE_MODULES).digest('hex').slice(0, 10);

export const LAMBDA_ROOT = join(tmpdir(), `fogbank-lambda-${installId}`);

/** The shipped bootstraps (LAMBDA_RUNTIME_DIR). */
export const RUNTIME_DIR = join(LAMBDA_ROOT, 'runtime');

/** The folder packages are unpacked into. */
export function codeRoot(): string {
  return join(LAMBDA_ROOT, 'code');
}
