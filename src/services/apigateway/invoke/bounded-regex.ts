// Regular expressions from an API's configuration (model patterns, selection patterns, identity
// validation expressions) run on client-controlled text. One that backtracks without end
// ("^(a+)+$" on "aaa…!") would hold Fogbank's one event loop for minutes, so long subjects are
// tested in a sandbox with a time budget. Short ones run directly: exponential backtracking needs
// a subject of a few dozen characters before it costs anything.

import { createContext, Script } from 'node:vm';

export type RegexOutcome = 'match' | 'no-match' | 'invalid' | 'timeout';

const sandbox = createContext({ source: '', flags: '', value: '' });
const test = new Script('new RegExp(source, flags).test(value)');
const BUDGET_MS = 100;
const DIRECT_MAX_LENGTH = 20;

export function boundedTest(source: string, flags: string, value: string): RegexOutcome {
  try {
    if (value.length <= DIRECT_MAX_LENGTH) return new RegExp(source, flags).test(value) ? 'match' : 'no-match';
    sandbox.source = source;
    sandbox.flags = flags;
    sandbox.value = value;
    return test.runInContext(sandbox, { timeout: BUDGET_MS }) === true ? 'match' : 'no-match';
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT' ? 'timeout' : 'invalid';
  }
}
