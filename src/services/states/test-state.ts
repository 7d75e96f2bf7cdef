// TestState: runs one state on an input, outside any execution, and reports its output, its next
// state, or its error (FAILED, CAUGHT_ERROR by a catcher, RETRIABLE by a retrier), with the
// JSONPath processing steps as inspectionData at DEBUG and TRACE. Waits do not wait.

import type * as SFN from '@aws-sdk/client-sfn';
import { ServiceError } from '../../errors.js';
import type { Handler } from '../types.js';
import { errorMatches, StatesError } from './asl/errors.js';
import { json, type ExecutionInfo, type Host, type Thread } from './asl/host.js';
import { runMachine } from './asl/interpreter.js';
import { applyInputPath, applyResultPath, effectiveInput, resolveTemplate, type StateIo } from './asl/io.js';
import { isObject } from './asl/jsonpath.js';
import { checkDefinition, describeDiagnostics, type StateDefinition } from './asl/validate.js';
import { executionArn } from './state.js';

const NAME = 'TestState';

export const testState: Handler<SFN.TestStateInput, SFN.TestStateOutput> = async (input, ctx) => {
  let state: StateDefinition;
  try {
    state = JSON.parse(input.definition!) as StateDefinition;
  } catch (error) {
    throw new ServiceError('InvalidDefinition', describeDiagnostics([{ code: 'INVALID_JSON_DESCRIPTION', message: (error as Error).message }]));
  }
  if (!isObject(state)) throw new ServiceError('InvalidDefinition', describeDiagnostics([{ code: 'SCHEMA_VALIDATION_FAILED', message: 'The state definition must be a JSON object', location: '/' }]));
  // The state alone, ending the machine: its Next (or a catcher's) is reported, not followed.
  const { Next: next, Catch: catchers, Retry: retriers, ...rest } = state as StateDefinition & { Catch?: Array<{ ErrorEquals: string[]; Next: string; ResultPath?: string | null }>; Retry?: Array<{ ErrorEquals: string[] }> };
  const alone: StateDefinition = { ...rest, Type: state.Type };
  const states: Record<string, StateDefinition> = { [NAME]: alone };
  if (state.Type === 'Choice') {
    // Each target becomes a Succeed state named "#<target>": entering one tells which was chosen.
    const target = (t: unknown) => {
      states[`#${String(t)}`] = { Type: 'Succeed' };
      return `#${String(t)}`;
    };
    alone.Choices = Array.isArray(alone.Choices) ? alone.Choices.map((c: Record<string, unknown>) => ({ ...c, Next: target(c.Next) })) : alone.Choices;
    if (alone.Default !== undefined) alone.Default = target(alone.Default);
  } else if (!['Succeed', 'Fail'].includes(String(state.Type))) alone.End = true;
  const checked = checkDefinition(JSON.stringify({ StartAt: NAME, States: states }));
  if (!checked.definition) throw new ServiceError('InvalidDefinition', describeDiagnostics(checked.diagnostics));
  let data: unknown;
  try {
    data = JSON.parse(input.input ?? '{}');
  } catch {
    throw new ServiceError('InvalidExecutionInput', `Invalid State Machine Execution Input: 'Unexpected character: ${(input.input ?? '').slice(0, 1)}'`);
  }
  const results: unknown[] = [];
  const host = testHost(ctx, results, input.roleArn!, data);
  const inspection = () => (input.inspectionLevel === 'DEBUG' || input.inspectionLevel === 'TRACE' ? jsonPathSteps(state, data, results[0]) : undefined);
  try {
    const output = await runMachine(host, checked.definition, data, { prev: 0 });
    const nextState = host.chosen ?? (typeof next === 'string' ? next : undefined);
    return { status: 'SUCCEEDED', output: json(output), nextState, inspectionData: inspection() };
  } catch (error) {
    if (!(error instanceof StatesError)) throw error;
    if ((retriers ?? []).some((r) => errorMatches(r.ErrorEquals, error.error))) return { status: 'RETRIABLE', error: error.error, cause: error.cause, inspectionData: inspection() };
    const catcher = (catchers ?? []).find((c) => errorMatches(c.ErrorEquals, error.error));
    if (catcher) {
      const errorOutput = error.cause === undefined ? { Error: error.error } : { Error: error.error, Cause: error.cause };
      return { status: 'CAUGHT_ERROR', error: error.error, cause: error.cause, nextState: catcher.Next, output: json(applyResultPath(catcher.ResultPath, data, errorOutput)), inspectionData: inspection() };
    }
    return { status: 'FAILED', error: error.error, cause: error.cause, inspectionData: inspection() };
  }
};

/** A host that records nothing but task results, and whose waits end at once. */
function testHost(ctx: Parameters<Handler>[1], results: unknown[], roleArn: string, input: unknown): Host & { chosen?: string } {
  const execution: ExecutionInfo = { Id: executionArn(ctx, 'TestState', 'TestState'), Input: input, Name: 'TestState', RoleArn: roleArn, StartTime: new Date(ctx.clock.now()).toISOString(), RedriveCount: 0 };
  const host: Host & { chosen?: string } = {
    ctx,
    execution,
    stateMachine: { Id: execution.Id, Name: 'TestState' },
    emit: (thread: Thread, type: string, details?: Record<string, unknown>) => {
      const detail = details && (Object.values(details)[0] as { output?: string } | undefined);
      if (/(Task|LambdaFunction|Activity)Succeeded$/.test(type) && detail?.output !== undefined) results.push(JSON.parse(detail.output));
      const entered = (detail as { name?: string } | undefined)?.name;
      if (type === 'SucceedStateEntered' && entered?.startsWith('#')) host.chosen = entered.slice(1);
      return ++thread.prev;
    },
    checkAborted: () => undefined,
    aborted: () => new Promise<never>(() => undefined),
    sleepUntil: () => Promise.resolve(),
    waitForExecution: () => Promise.resolve(),
  };
  return host;
}

/** inspectionData for a JSONPath state: the input after each processing step. */
function jsonPathSteps(state: StateDefinition, input: unknown, result: unknown): Record<string, string | undefined> {
  if (state.QueryLanguage === 'JSONata') return { input: json(input) };
  const io = state as StateIo;
  const context = {};
  try {
    const afterInputPath = applyInputPath(io.InputPath, input, context);
    const afterParameters = effectiveInput(io, input, context);
    const steps: Record<string, string | undefined> = { input: json(input), afterInputPath: json(afterInputPath), afterParameters: json(afterParameters) };
    if (result === undefined) return steps;
    const selected = io.ResultSelector === undefined ? result : resolveTemplate(io.ResultSelector, result, context);
    return { ...steps, result: json(result), afterResultSelector: json(selected), afterResultPath: json(applyResultPath(io.ResultPath, input, selected)) };
  } catch {
    return { input: json(input) };
  }
}
