// States in the JSONata query language: Arguments in, Output out (the result by default), Assign
// evaluated beside Output against the same variables, Conditions in Choice, Items and
// ItemSelector in Map, and TimeoutSeconds, Seconds, Timestamp, Error, Cause as expressions.

import { StatesError } from './errors.js';
import { runMapState, type ReaderConfig } from './distributed.js';
import { runParallel } from './flow.js';
import type { Step, StateRun } from './interpreter.js';
import { withHandlers } from './interpreter.js';
import { evaluateExpression, expectType, isExpression, resolveJsonata, type JsonataEnv, type StatesBinding } from './jsonata.js';
import { isObject } from './jsonpath.js';
import { isTimestamp } from './choice.js';
import { newToken } from '../tokens.js';
import { needsToken, runTask, type TaskState } from './task.js';
import type { Definition } from './validate.js';

export async function runJsonataState(run: StateRun): Promise<Step> {
  const { frame, name, state, input, exit } = run;
  const env = (extra: Partial<StatesBinding> = {}, retryCount = 0): JsonataEnv => ({
    states: { input, context: run.context(retryCount), ...extra },
    scope: frame.scope,
    now: frame.host.ctx.clock.now(),
  });
  /** Output (or `fallback`) and Assign, both evaluated before any variable changes. */
  const finish = async (at: JsonataEnv, fallback: unknown, output = state.Output, assign = state.Assign): Promise<unknown> => {
    const value = output === undefined ? fallback : await resolveJsonata(output, at, 'Output');
    const values = assign === undefined ? undefined : ((await resolveJsonata(assign, at, 'Assign')) as Record<string, unknown>);
    if (values) frame.scope.assign(values);
    return value;
  };
  switch (state.Type) {
    case 'Pass':
      return exit(await finish(env(), input));
    case 'Succeed':
      return exit(await finish(env(), input), undefined);
    case 'Fail': {
      const at = env();
      const error = state.Error === undefined ? undefined : await resolveJsonata(state.Error, at, 'Error');
      const cause = state.Cause === undefined ? undefined : await resolveJsonata(state.Cause, at, 'Cause');
      if (error !== undefined) expectType(error, 'string', state.Error, 'Error');
      if (cause !== undefined) expectType(cause, 'string', state.Cause, 'Cause');
      const failure = new StatesError((error as string | undefined) ?? 'States.Fail', cause as string | undefined);
      failure.located = true;
      throw failure;
    }
    case 'Choice': {
      const at = env();
      for (const rule of state.Choices as Array<Record<string, unknown>>) {
        const matched = await resolveJsonata(rule.Condition, at, 'Condition');
        expectType(matched, 'boolean', rule.Condition, 'Condition');
        if (!matched) continue;
        // A rule's own Assign adds to (and overrides) the state's; its Output replaces the state's.
        const assign = rule.Assign === undefined ? state.Assign : { ...(state.Assign as object), ...(rule.Assign as object) };
        return exit(await finish(at, input, rule.Output ?? state.Output, assign), rule.Next as string);
      }
      if (state.Default === undefined) throw new StatesError('States.NoChoiceMatched', `No Choice Rules matched and no Default was specified for state '${name}'`);
      return exit(await finish(at, input), state.Default as string);
    }
    case 'Wait': {
      const at = env();
      const now = frame.host.ctx.clock.now();
      let until: number;
      if (state.Seconds !== undefined) {
        const seconds = await resolveJsonata(state.Seconds, at, 'Seconds');
        expectType(seconds, 'integer', state.Seconds, 'Seconds');
        until = now + Math.max(0, seconds as number) * 1000;
      } else {
        const timestamp = await resolveJsonata(state.Timestamp, at, 'Timestamp');
        expectType(timestamp, 'string', state.Timestamp, 'Timestamp');
        if (!isTimestamp(timestamp)) throw new StatesError('States.Runtime', `The Timestamp value '${String(timestamp)}' is not a valid ISO-8601 timestamp`);
        until = Date.parse(timestamp as string);
      }
      frame.host.noteWait?.(until);
      await frame.host.sleepUntil(until);
      return exit(await finish(at, input));
    }
    case 'Task':
    case 'Parallel':
    case 'Map':
      return withHandlers(
        run,
        async (retryCount) => {
          const token = state.Type === 'Task' && needsToken(String(state.Resource)) ? newToken() : undefined;
          const at = env({}, retryCount);
          if (token) at.states.context = { ...(at.states.context as object), Task: { Token: token } };
          if (state.Type === 'Map') return jsonataMap(run, at);
          const args = state.Arguments === undefined ? input : await resolveJsonata(state.Arguments, at, 'Arguments');
          if (state.Type === 'Parallel') return runParallel(frame.host, frame.thread, state.Branches as Definition[], args, run.branch);
          const timeout = await seconds(state.TimeoutSeconds, at, 'TimeoutSeconds');
          const heartbeat = await seconds(state.HeartbeatSeconds, at, 'HeartbeatSeconds');
          return runTask(frame.host, frame.thread, state as unknown as TaskState, args, { timeout, heartbeat, token }, run.name);
        },
        (result) => finish(env({ result }), result),
        (catcher, errorOutput) => finish(env({ errorOutput }), errorOutput, catcher.Output, catcher.Assign),
      );
    default:
      throw new StatesError('States.Runtime', `Unsupported state type ${state.Type}`);
  }
}

/** TimeoutSeconds or HeartbeatSeconds: a number, or an expression giving a positive integer. */
async function seconds(value: unknown, at: JsonataEnv, field: string): Promise<number | undefined> {
  if (value === undefined) return undefined;
  const resolved = await resolveJsonata(value, at, field);
  expectType(resolved, 'integer', value, field);
  return resolved as number;
}

/** A JSONata Map: Items (or the ItemReader), ItemSelector with $states.context.Map.Item. */
async function jsonataMap(run: StateRun, at: JsonataEnv): Promise<unknown> {
  const { state, name, input, frame } = run;
  const reader = state.ItemReader as { Arguments?: unknown; ReaderConfig?: ReaderConfig } | undefined;
  const writer = state.ResultWriter as { Arguments?: unknown } | undefined;
  let items: unknown;
  if (!reader) {
    items = state.Items === undefined ? input : await resolveJsonata(state.Items, at, 'Items');
    if (!Array.isArray(items)) {
      const body = isExpression(state.Items) ? state.Items.slice(2, -2).trim() : JSON.stringify(state.Items ?? '$states.input');
      throw new StatesError('States.QueryEvaluationError', `The JSONata expression '${body}' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was '${items === null ? 'null' : typeof items}' for value: ${JSON.stringify(items)}`);
    }
  }
  const integer = async (value: unknown, field: string) => {
    if (value === undefined) return undefined;
    const resolved = await resolveJsonata(value, at, field);
    expectType(resolved, field === 'ToleratedFailurePercentage' ? 'number' : 'integer', value, field);
    return resolved as number;
  };
  const selector = state.ItemSelector;
  const readerConfig = reader?.ReaderConfig && { ...reader.ReaderConfig, MaxItems: await integer(reader.ReaderConfig.MaxItems, 'MaxItems') };
  return runMapState(
    frame.host,
    frame.thread,
    state,
    {
      name,
      items: items as unknown[] | undefined,
      processor: (state.ItemProcessor ?? state.Iterator) as Definition,
      limit: (await integer(state.MaxConcurrency, 'MaxConcurrency')) ?? 0,
      tolerance: { count: await integer(state.ToleratedFailureCount, 'ToleratedFailureCount'), percentage: await integer(state.ToleratedFailurePercentage, 'ToleratedFailurePercentage') },
      itemInput: (_index, mapContext) => {
        if (selector === undefined) return (mapContext.Map as { Item: { Value: unknown } }).Item.Value;
        const context = { ...(isObject(at.states.context) ? at.states.context : {}), ...mapContext };
        return resolveJsonata(selector, { ...at, states: { ...at.states, context } }, 'ItemSelector');
      },
    },
    {
      readerParams: reader && (await resolveJsonata(reader.Arguments ?? {}, at, 'ItemReader/Arguments')),
      readerConfig,
      writerParams: writer && (await resolveJsonata(writer.Arguments ?? {}, at, 'ResultWriter/Arguments')),
    },
    run.branch,
  );
}
