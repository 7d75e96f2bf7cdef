// Runs a state machine (or a Parallel branch, or a Map iteration) from StartAt to its end:
// each state records its Entered event, works on its effective input, records Exited, moves on.

import { chooseNext, type ChoiceRule } from './choice.js';
import { Aborted, StatesError, runtimeError } from './errors.js';
import { runMap, runParallel } from './flow.js';
import { contextObject, json, type Host, type Thread } from './host.js';
import { applyInputPath, applyOutputPath, applyResultPath, effectiveInput, resolveTemplate, stateOutput, type StateIo } from './io.js';
import { selectPath } from './jsonpath.js';
import { asStatesError, caught, withRetries, type Catcher, type Retrier } from './retry.js';
import { runTask, type TaskState } from './task.js';
import type { Definition, StateDefinition } from './validate.js';

interface Step {
  output: unknown;
  next?: string;
}

/** Runs states until one ends the machine; returns its output or throws a StatesError. */
export async function runMachine(host: Host, machine: Definition, input: unknown, thread: Thread, extraContext: Record<string, unknown> = {}): Promise<unknown> {
  let name = machine.StartAt;
  let data = input;
  for (;;) {
    host.checkAborted();
    const state = machine.States[name];
    if (!state) throw runtimeError(`The state '${name}' does not exist`);
    const step = await runState(host, name, state, data, thread, extraContext);
    if (step.next === undefined) return step.output;
    name = step.next;
    data = step.output;
  }
}

async function runState(host: Host, name: string, state: StateDefinition, input: unknown, thread: Thread, extraContext: Record<string, unknown>): Promise<Step> {
  const type = state.Type;
  const enteredAt = host.ctx.clock.now();
  host.emit(thread, `${type}StateEntered`, { stateEnteredEventDetails: { name, input: json(input), inputDetails: { truncated: false } } });
  const context = (retryCount = 0) => contextObject(host, name, enteredAt, retryCount, extraContext);
  const io = state as StateIo;
  const exit = (output: unknown, next = state.End ? undefined : (state.Next as string | undefined)): Step => {
    host.emit(thread, `${type}StateExited`, { stateExitedEventDetails: { name, output: json(output), outputDetails: { truncated: false } } });
    return { output, next };
  };
  switch (type) {
    case 'Pass': {
      const effective = effectiveInput(io, input, context());
      const result = 'Result' in state ? state.Result : effective;
      return exit(applyOutputPath(io.OutputPath, applyResultPath(io.ResultPath, input, result), context()));
    }
    case 'Succeed':
      return exit(applyOutputPath(io.OutputPath, applyInputPath(io.InputPath, input, context()), context()), undefined);
    case 'Fail': {
      const error = state.ErrorPath ? String(selectPath(String(state.ErrorPath), input, context())) : (state.Error as string | undefined);
      const cause = state.CausePath ? String(selectPath(String(state.CausePath), input, context())) : (state.Cause as string | undefined);
      throw new StatesError(error ?? 'States.Fail', cause);
    }
    case 'Choice': {
      const effective = applyInputPath(io.InputPath, input, context());
      const next = chooseNext(state.Choices as ChoiceRule[], effective, context()) ?? (state.Default as string | undefined);
      if (next === undefined) throw new StatesError('States.NoChoiceMatched', `No Choice Rules matched and no Default was specified for state '${name}'`);
      return exit(applyOutputPath(io.OutputPath, effective, context()), next);
    }
    case 'Wait': {
      const effective = applyInputPath(io.InputPath, input, context());
      await host.sleepUntil(waitUntil(state, effective, host.ctx.clock.now()));
      return exit(applyOutputPath(io.OutputPath, effective, context()));
    }
    case 'Task':
    case 'Parallel':
    case 'Map':
      return runWithHandlers(host, name, state, input, thread, context, exit);
    default:
      throw runtimeError(`Unsupported state type ${type}`);
  }
}

/** Task, Parallel and Map: the work, retried and caught per the state's Retry and Catch. */
async function runWithHandlers(host: Host, name: string, state: StateDefinition, input: unknown, thread: Thread, context: (retryCount?: number) => Record<string, unknown>, exit: (output: unknown, next?: string) => Step): Promise<Step> {
  const io = state as StateIo;
  try {
    const result = await withRetries(host, state.Retry as Retrier[] | undefined, async (retryCount) => {
      if (state.Type === 'Task') {
        const effective = effectiveInput(io, input, context(retryCount));
        return runTask(host, thread, state as unknown as TaskState, effective, input);
      }
      const effective = applyInputPath(io.InputPath, input, context(retryCount));
      if (state.Type === 'Parallel') return runParallel(host, thread, state, state.Parameters === undefined ? effective : resolveTemplate(state.Parameters, effective, context(retryCount)), runMachine);
      return runMap(host, thread, name, state, effective, context(retryCount), runMachine);
    });
    return exit(stateOutput(io, input, result, context()));
  } catch (error) {
    if (error instanceof Aborted) throw error;
    const failure = asStatesError(error);
    const handled = caught(state.Catch as Catcher[] | undefined, failure, input);
    if (!handled) throw failure;
    return exit(handled.output, handled.next);
  }
}

function waitUntil(state: StateDefinition, input: unknown, now: number): number {
  if (typeof state.Seconds === 'number') return now + state.Seconds * 1000;
  if (typeof state.Timestamp === 'string') return Date.parse(state.Timestamp);
  if (typeof state.SecondsPath === 'string') {
    const seconds = selectPath(state.SecondsPath, input);
    if (typeof seconds !== 'number' || seconds < 0) throw runtimeError(`Invalid value for SecondsPath '${state.SecondsPath}': expected a non-negative number`);
    return now + seconds * 1000;
  }
  const timestamp = selectPath(String(state.TimestampPath), input);
  const at = typeof timestamp === 'string' ? Date.parse(timestamp) : NaN;
  if (Number.isNaN(at)) throw runtimeError(`Invalid value for TimestampPath '${String(state.TimestampPath)}': expected an ISO-8601 timestamp`);
  return at;
}
