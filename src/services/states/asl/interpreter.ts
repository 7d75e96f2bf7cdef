// Runs a state machine (or a Parallel branch, or a Map iteration) from StartAt to its end:
// each state records its Entered event, works on its input in its query language (JSONPath here,
// JSONata in jsonata-states.ts), records Exited, moves on.

import { chooseNext, type ChoiceRule } from './choice.js';
import { Aborted, StatesError, runtimeError } from './errors.js';
import { runMapState, type ReaderConfig } from './distributed.js';
import { runParallel } from './flow.js';
import { contextObject, json, type Host, type Thread } from './host.js';
import { applyInputPath, applyOutputPath, applyResultPath, effectiveInput, resolveTemplate, stateOutput, type StateIo } from './io.js';
import { runJsonataState } from './jsonata-states.js';
import { selectPath } from './jsonpath.js';
import { asStatesError, findCatcher, withRetries, type Catcher, type Retrier } from './retry.js';
import { newToken } from '../tokens.js';
import { needsToken, runTask, type TaskState } from './task.js';
import type { Definition, StateDefinition } from './validate.js';
import { PAYLOAD_LIMIT, Scope } from './variables.js';

export type QueryLanguage = 'JSONPath' | 'JSONata';

export interface Step {
  output: unknown;
  next?: string;
}

/** Where a state runs: its execution, its history line, its variables, its machine's language. */
export interface Frame {
  host: Host;
  thread: Thread;
  scope: Scope;
  language: QueryLanguage;
  /** Context object fields of a Map iteration. */
  extra: Record<string, unknown>;
}

/** One state being run, with what both query languages need to finish it. */
export interface StateRun {
  frame: Frame;
  name: string;
  state: StateDefinition;
  input: unknown;
  enteredId: number;
  context(retryCount?: number): Record<string, unknown>;
  exit(output: unknown, next?: string): Step;
  /** Runs a Parallel branch or Map iteration in a scope nested in this state's. */
  branch(host: Host, machine: Definition, input: unknown, thread: Thread, extra?: Record<string, unknown>): Promise<unknown>;
}

/** For the top level of an execution: where to start (a resumed one), and a hook before each state. */
export interface TopLevel {
  startAt?: string;
  beforeState?(name: string, input: unknown, scope: Scope): void;
}

/** Runs states until one ends the machine; returns its output or throws a StatesError. */
export async function runMachine(host: Host, machine: Definition, input: unknown, thread: Thread, extra: Record<string, unknown> = {}, scope = new Scope(), inherited: QueryLanguage = 'JSONPath', top: TopLevel = {}): Promise<unknown> {
  const frame: Frame = { host, thread, scope, language: (machine.QueryLanguage as QueryLanguage | undefined) ?? inherited, extra };
  let name = top.startAt ?? machine.StartAt;
  let data = input;
  for (;;) {
    host.checkAborted();
    const state = machine.States[name];
    if (!state) throw runtimeError(`The state '${name}' does not exist`);
    top.beforeState?.(name, data, scope);
    const step = await runState(frame, name, state, data);
    if (step.next === undefined) return step.output;
    name = step.next;
    data = step.output;
  }
}

async function runState(frame: Frame, name: string, state: StateDefinition, input: unknown): Promise<Step> {
  const { host, thread } = frame;
  const type = state.Type;
  const enteredAt = host.ctx.clock.now();
  const enteredId = host.emit(thread, `${type}StateEntered`, { stateEnteredEventDetails: { name, input: json(input), inputDetails: { truncated: false } } });
  const run: StateRun = {
    frame,
    name,
    state,
    input,
    enteredId,
    context: (retryCount = 0) => contextObject(host, name, enteredAt, retryCount, frame.extra, frame.scope),
    exit: (output, next = state.End ? undefined : (state.Next as string | undefined)) => {
      const text = json(output);
      if (Buffer.byteLength(text) > PAYLOAD_LIMIT) throw dataLimit(name);
      host.emit(thread, `${type}StateExited`, { stateExitedEventDetails: { name, output: text, outputDetails: { truncated: false } } });
      return { output, next };
    },
    branch: (h, machine, branchInput, line, extra) => runMachine(h, machine, branchInput, line, extra, new Scope(frame.scope), frame.language),
  };
  try {
    const language = (state.QueryLanguage as QueryLanguage | undefined) ?? frame.language;
    return await (language === 'JSONata' ? runJsonataState(run) : runJsonPathState(run));
  } catch (error) {
    throw locate(error, name, enteredId);
  }
}

/** A state's output over 256 KiB: States.DataLimitExceeded, which States.ALL does not catch. */
function dataLimit(name: string): StatesError {
  const error = new StatesError('States.DataLimitExceeded', `The state/task '${name}' returned a result with a size exceeding the maximum number of bytes service limit.`);
  error.located = true;
  return error;
}

/** Errors in a state's own processing name the state, as AWS's causes do. */
function locate(error: unknown, name: string, enteredId: number): unknown {
  if (!(error instanceof StatesError) || error.located) return error;
  if (error.error !== 'States.Runtime' && error.error !== 'States.QueryEvaluationError') return error;
  const located = new StatesError(error.error, `An error occurred while executing the state '${name}' (entered at the event id #${enteredId}). ${error.cause ?? ''}`);
  located.located = true;
  return located;
}

/** Variables a JSONPath Assign sets: `name.$` fields read from `data` (the state's result, or input). */
function jsonPathAssign(template: unknown, data: unknown, context: unknown): Record<string, unknown> | undefined {
  if (template === undefined) return undefined;
  return resolveTemplate(template, data, context) as Record<string, unknown>;
}

async function runJsonPathState(run: StateRun): Promise<Step> {
  const { frame, name, state, input, context, exit } = run;
  const io = state as StateIo;
  const assign = (values: Record<string, unknown> | undefined) => values && frame.scope.assign(values);
  switch (state.Type) {
    case 'Pass': {
      const effective = effectiveInput(io, input, context());
      const result = 'Result' in state ? state.Result : effective;
      const values = jsonPathAssign(state.Assign, result, context());
      const output = applyOutputPath(io.OutputPath, applyResultPath(io.ResultPath, input, result), context());
      assign(values);
      return exit(output);
    }
    case 'Succeed':
      return exit(applyOutputPath(io.OutputPath, applyInputPath(io.InputPath, input, context()), context()), undefined);
    case 'Fail': {
      const error = state.ErrorPath ? String(selectPath(String(state.ErrorPath), input, context())) : (state.Error as string | undefined);
      const cause = state.CausePath ? String(selectPath(String(state.CausePath), input, context())) : (state.Cause as string | undefined);
      const failure = new StatesError(error ?? 'States.Fail', cause);
      failure.located = true;
      throw failure;
    }
    case 'Choice': {
      const effective = applyInputPath(io.InputPath, input, context());
      const rules = state.Choices as ChoiceRule[];
      const next = chooseNext(rules, effective, context());
      const target = next ?? (state.Default as string | undefined);
      if (target === undefined) throw new StatesError('States.NoChoiceMatched', `No Choice Rules matched and no Default was specified for state '${name}'`);
      const rule = next === undefined ? undefined : rules.find((r) => r.Next === next);
      const values = { ...jsonPathAssign(state.Assign, effective, context()), ...jsonPathAssign(rule?.Assign, effective, context()) };
      const output = applyOutputPath(io.OutputPath, effective, context());
      assign(values);
      return exit(output, target);
    }
    case 'Wait': {
      const effective = applyInputPath(io.InputPath, input, context());
      const until = waitUntil(state, effective, frame.host.ctx.clock.now(), context());
      frame.host.noteWait?.(until);
      await frame.host.sleepUntil(until);
      const values = jsonPathAssign(state.Assign, effective, context());
      const output = applyOutputPath(io.OutputPath, effective, context());
      assign(values);
      return exit(output);
    }
    case 'Task':
    case 'Parallel':
    case 'Map':
      return withHandlers(
        run,
        async (retryCount) => {
          const ctx = context(retryCount);
          if (state.Type === 'Task') {
            const token = needsToken(String(state.Resource)) ? newToken() : undefined;
            const taskContext = token ? { ...ctx, Task: { Token: token } } : ctx;
            const timeout = state.TimeoutSecondsPath ? Number(selectPath(String(state.TimeoutSecondsPath), input, ctx)) : (state.TimeoutSeconds as number | undefined);
            const heartbeat = state.HeartbeatSecondsPath ? Number(selectPath(String(state.HeartbeatSecondsPath), input, ctx)) : (state.HeartbeatSeconds as number | undefined);
            return runTask(frame.host, frame.thread, state as unknown as TaskState, effectiveInput(io, input, taskContext), { timeout, heartbeat, token }, run.name);
          }
          const effective = applyInputPath(io.InputPath, input, ctx);
          if (state.Type === 'Parallel') return runParallel(frame.host, frame.thread, state.Branches as Definition[], state.Parameters === undefined ? effective : resolveTemplate(state.Parameters, effective, ctx), run.branch);
          return jsonPathMap(run, effective, ctx);
        },
        (result) => {
          const selected = io.ResultSelector === undefined ? result : resolveTemplate(io.ResultSelector, result, context());
          const values = jsonPathAssign(state.Assign, selected, context());
          const output = applyOutputPath(io.OutputPath, applyResultPath(io.ResultPath, input, selected), context());
          assign(values);
          return output;
        },
        (catcher, errorOutput) => {
          const values = jsonPathAssign(catcher.Assign, errorOutput, context());
          const output = applyResultPath(catcher.ResultPath, input, errorOutput);
          assign(values);
          return output;
        },
      );
    default:
      throw runtimeError(`Unsupported state type ${state.Type}`);
  }
}

/** A JSONPath Map: items from ItemsPath (or Items, or the ItemReader), ItemSelector per item. */
function jsonPathMap(run: StateRun, effective: unknown, context: Record<string, unknown>): Promise<unknown> {
  const { state, name, frame } = run;
  const items = state.ItemReader ? undefined : Array.isArray(state.Items) ? state.Items : state.ItemsPath === undefined ? effective : selectPath(String(state.ItemsPath), effective, context);
  if (items !== undefined && !Array.isArray(items)) throw runtimeError(`Map state '${name}': the items at ${String(state.ItemsPath ?? '$')} are not a JSON array`);
  const selector = state.ItemSelector ?? state.Parameters;
  const number = (value: unknown, path: unknown) => (typeof path === 'string' ? Number(selectPath(path, effective, context)) : value === undefined ? undefined : Number(value));
  const reader = state.ItemReader as { Parameters?: unknown; ReaderConfig?: ReaderConfig & { MaxItemsPath?: string } } | undefined;
  const writer = state.ResultWriter as { Parameters?: unknown } | undefined;
  const readerConfig = reader?.ReaderConfig && { ...reader.ReaderConfig, MaxItems: number(reader.ReaderConfig.MaxItems, reader.ReaderConfig.MaxItemsPath) };
  return runMapState(
    frame.host,
    frame.thread,
    state,
    {
      name,
      items: items as unknown[] | undefined,
      processor: (state.ItemProcessor ?? state.Iterator) as Definition,
      limit: number(state.MaxConcurrency, state.MaxConcurrencyPath) ?? 0,
      tolerance: { count: number(state.ToleratedFailureCount, state.ToleratedFailureCountPath), percentage: number(state.ToleratedFailurePercentage, state.ToleratedFailurePercentagePath) },
      itemInput: (_index, mapContext) => (selector === undefined ? (mapContext.Map as { Item: { Value: unknown } }).Item.Value : resolveTemplate(selector, effective, { ...context, ...mapContext })),
    },
    { readerParams: reader && resolveTemplate(reader.Parameters ?? {}, effective, context), readerConfig, writerParams: writer && resolveTemplate(writer.Parameters ?? {}, effective, context) },
    run.branch,
  );
}

/**
 * Task, Parallel and Map: `attempt` is retried per Retry; its result goes through `complete`
 * (output and Assign); an error a catcher matches goes through `recover` to the catcher's Next.
 */
export async function withHandlers(run: StateRun, attempt: (retryCount: number) => Promise<unknown>, complete: (result: unknown) => unknown, recover: (catcher: Catcher, errorOutput: Record<string, string>) => unknown): Promise<Step> {
  const { frame, state, name } = run;
  try {
    const result = await withRetries(frame.host, state.Retry as Retrier[] | undefined, attempt);
    return run.exit(await complete(result));
  } catch (error) {
    if (error instanceof Aborted) throw error;
    const failure = asStatesError(locate(error, name, run.enteredId));
    const found = findCatcher(state.Catch as Catcher[] | undefined, failure);
    if (!found) throw failure;
    return run.exit(await recover(found.catcher, found.errorOutput), found.catcher.Next);
  }
}

function waitUntil(state: StateDefinition, input: unknown, now: number, context: unknown): number {
  if (typeof state.Seconds === 'number') return now + state.Seconds * 1000;
  if (typeof state.Timestamp === 'string') return Date.parse(state.Timestamp);
  if (typeof state.SecondsPath === 'string') {
    const seconds = selectPath(state.SecondsPath, input, context);
    if (typeof seconds !== 'number' || seconds < 0) throw runtimeError(`Invalid value for SecondsPath '${state.SecondsPath}': expected a non-negative number`);
    return now + seconds * 1000;
  }
  const timestamp = selectPath(String(state.TimestampPath), input, context);
  const at = typeof timestamp === 'string' ? Date.parse(timestamp) : NaN;
  if (Number.isNaN(at)) throw runtimeError(`Invalid value for TimestampPath '${String(state.TimestampPath)}': expected an ISO-8601 timestamp`);
  return at;
}
