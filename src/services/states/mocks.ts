// Mocked service integrations in the format of AWS Step Functions Local's mock configuration file:
// StateMachines -> <machine name> -> TestCases -> <test case> -> <state name> -> <response name>,
// and MockedResponses -> <response name> -> {"0": {"Return": ...}, "1-2": {"Throw": {Error, Cause}}}.
// As in Step Functions Local, the file is named by the SFN_MOCK_CONFIG environment variable and a
// test case is chosen by StartExecution on `<state machine ARN>#<test case>`; each Task state of
// that execution then answers its mocked responses in turn (counting retries) instead of calling.

import { readFileSync, statSync } from 'node:fs';
import { ServiceError } from '../../errors.js';

export interface MockResponse {
  Return?: unknown;
  Throw?: { Error?: string; Cause?: string };
}

interface MockConfig {
  StateMachines?: Record<string, { TestCases?: Record<string, Record<string, string>> }>;
  MockedResponses?: Record<string, Record<string, MockResponse>>;
}

let cached: { path: string; mtimeMs: number; config: MockConfig } | undefined;

function loadConfig(): MockConfig {
  const path = process.env.SFN_MOCK_CONFIG;
  if (!path) throw new ServiceError('ValidationException', 'No mock configuration: set SFN_MOCK_CONFIG to the mock configuration file to run a test case');
  let mtimeMs: number;
  try {
    mtimeMs = statSync(path).mtimeMs;
  } catch {
    throw new ServiceError('ValidationException', `The mock configuration file '${path}' cannot be read`);
  }
  if (cached?.path === path && cached.mtimeMs === mtimeMs) return cached.config;
  let config: MockConfig;
  try {
    config = JSON.parse(readFileSync(path, 'utf8')) as MockConfig;
  } catch (error) {
    throw new ServiceError('ValidationException', `The mock configuration file '${path}' is not valid JSON: ${(error as Error).message}`);
  }
  cached = { path, mtimeMs, config };
  return config;
}

/** Checks a test case exists for a machine (at StartExecution), so a typo fails the call, not the run. */
export function checkTestCase(machineName: string, testCase: string): void {
  mockedStates(machineName, testCase);
}

/** The response each mocked state gives at its nth call in one execution. */
export function mockedStates(machineName: string, testCase: string): (stateName: string, call: number) => MockResponse | undefined {
  const config = loadConfig();
  const states = config.StateMachines?.[machineName]?.TestCases?.[testCase];
  if (!states) throw new ServiceError('ValidationException', `Test case '${testCase}' of state machine '${machineName}' is not in the mock configuration file`);
  return (stateName, call) => {
    const responseName = states[stateName];
    if (responseName === undefined) return undefined;
    const responses = config.MockedResponses?.[responseName];
    if (!responses) throw new ServiceError('ValidationException', `Mocked response '${responseName}' is not in the mock configuration file`);
    for (const [key, response] of Object.entries(responses)) {
      const [from, to] = key.split('-').map(Number);
      if (call >= from! && call <= (to ?? from!)) return response;
    }
    return { Throw: { Error: 'States.Runtime', Cause: `Mocked response '${responseName}' has no response for call ${call} of state '${stateName}'` } };
  };
}
