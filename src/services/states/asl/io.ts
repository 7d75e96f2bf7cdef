// Input and output processing in AWS's order: InputPath, Parameters, (the task), ResultSelector,
// ResultPath, OutputPath. Payload templates resolve `name.$` fields from paths or intrinsics.

import { runtimeError } from './errors.js';
import { evaluateIntrinsic, isIntrinsic } from './intrinsics.js';
import { isObject, selectPath, writePath } from './jsonpath.js';

/** Resolves a payload template (Parameters, ResultSelector, ItemSelector) against data. */
export function resolveTemplate(template: unknown, data: unknown, context: unknown): unknown {
  if (Array.isArray(template)) return template.map((t) => resolveTemplate(t, data, context));
  if (!isObject(template)) return template;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith('.$') && typeof value === 'string') {
      out[key.slice(0, -2)] = resolveDynamic(key, value, data, context);
    } else {
      out[key] = resolveTemplate(value, data, context);
    }
  }
  return out;
}

function resolveDynamic(key: string, expression: string, data: unknown, context: unknown): unknown {
  if (isIntrinsic(expression)) return evaluateIntrinsic(expression, data, context);
  if (!expression.startsWith('$')) throw runtimeError(`The value for the field '${key}' must be a valid JSONPath or a valid intrinsic function call`);
  try {
    return selectPath(expression, data, context);
  } catch {
    throw runtimeError(`The JSONPath '${expression}' specified for the field '${key}' could not be found in the input '${JSON.stringify(expression.startsWith('$$') ? context : data)}'`);
  }
}

/** InputPath: null means an empty object; absent means the whole input. */
export function applyInputPath(path: string | null | undefined, input: unknown, context: unknown): unknown {
  if (path === null) return {};
  if (path === undefined || path === '$') return input;
  return selectPath(path, input, context);
}

export function applyOutputPath(path: string | null | undefined, output: unknown, context: unknown): unknown {
  if (path === null) return {};
  if (path === undefined || path === '$') return output;
  return selectPath(path, output, context);
}

/** ResultPath: null keeps the input unchanged; absent replaces it with the result. */
export function applyResultPath(path: string | null | undefined, rawInput: unknown, result: unknown): unknown {
  if (path === null) return rawInput;
  if (path === undefined || path === '$') return result;
  return writePath(path, rawInput, result);
}

export interface StateIo {
  InputPath?: string | null;
  Parameters?: unknown;
  ResultSelector?: unknown;
  ResultPath?: string | null;
  OutputPath?: string | null;
}

/** The input a state works on: InputPath then Parameters. */
export function effectiveInput(state: StateIo, rawInput: unknown, context: unknown): unknown {
  const selected = applyInputPath(state.InputPath, rawInput, context);
  return state.Parameters === undefined ? selected : resolveTemplate(state.Parameters, selected, context);
}

/** The state's output from its result: ResultSelector, ResultPath, OutputPath. */
export function stateOutput(state: StateIo, rawInput: unknown, result: unknown, context: unknown): unknown {
  const selected = state.ResultSelector === undefined ? result : resolveTemplate(state.ResultSelector, result, context);
  return applyOutputPath(state.OutputPath, applyResultPath(state.ResultPath, rawInput, selected), context);
}
