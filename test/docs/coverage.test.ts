import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { COVERAGE_PATH, renderCoverage } from '../../scripts/coverage-doc.js';

it('docs/coverage.md matches the registry (run `npm run coverage-doc` after adding operations)', async () => {
  assert.equal(readFileSync(COVERAGE_PATH, 'utf8'), await renderCoverage());
});
