// The expressions of one request: the checks DynamoDB makes on their parameters (in its order
// and words), then parsing (cached by text) and resolution against the request's names and values.

import { validation } from '../errors.js';
import { checkValue, compareScalars, typeOf, type AttributeValue } from '../values.js';
import { analyzeCondition, analyzeProjection, analyzeUpdate, ExpressionScope } from './analyze.js';
import { parseCondition, parseProjection, parseUpdate } from './parser.js';
import type { Condition, Path, Update } from './resolved.js';
import { ExpressionError } from './syntax.js';

export type ExpressionName = 'UpdateExpression' | 'ConditionExpression' | 'KeyConditionExpression' | 'FilterExpression' | 'ProjectionExpression';
export type LegacyName = 'Expected' | 'AttributeUpdates' | 'AttributesToGet' | 'KeyConditions' | 'QueryFilter' | 'ScanFilter' | 'ConditionalOperator';

export interface ExpressionInput {
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
  UpdateExpression?: string;
  ConditionExpression?: string;
  KeyConditionExpression?: string;
  FilterExpression?: string;
  ProjectionExpression?: string;
  [other: string]: unknown;
}

export interface Expressions {
  update?: Update[];
  condition?: Condition;
  keyCondition?: Condition;
  filter?: Condition;
  projection?: Path[];
}

/** "Can not use both expression and non-expression parameters", and names or values without expressions. */
export function checkExpressionParameters(input: ExpressionInput, expressions: readonly ExpressionName[], legacy: readonly LegacyName[]): void {
  const used = expressions.filter((e) => input[e] !== undefined);
  if (used.length) {
    // KeyConditions beside KeyConditionExpression is reported elsewhere; alone it is allowed with other expressions.
    const legacyUsed = legacy.filter((p) => input[p] !== undefined && !(p === 'KeyConditions' && input.KeyConditionExpression === undefined));
    if (legacyUsed.length) {
      throw validation(`Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {${legacyUsed.join(', ')}} Expression parameters: {${used.join(', ')}}`);
    }
  }
  if (input.ExpressionAttributeNames !== undefined && !used.length) throw validation('ExpressionAttributeNames can only be specified when using expressions');
  const valueExpressions = expressions.filter((e) => e !== 'ProjectionExpression');
  if (valueExpressions.length && input.ExpressionAttributeValues !== undefined && valueExpressions.every((e) => input[e] === undefined)) {
    throw validation(`ExpressionAttributeValues can only be specified when using expressions: ${valueExpressions.join(' and ')} ${valueExpressions.length > 1 ? 'are' : 'is'} null`);
  }
}

function compareValues(a: AttributeValue, b: AttributeValue): number {
  const type = typeOf(a) as 'S' | 'N' | 'B';
  return compareScalars(type, a[type] as string, b[type] as string);
}

function checkScope(input: ExpressionInput): ExpressionScope {
  const names = input.ExpressionAttributeNames;
  if (names !== undefined) {
    const keys = Object.keys(names);
    if (keys.length === 0) throw validation('ExpressionAttributeNames must not be empty');
    for (const key of keys) if (!/^#[0-9a-zA-Z_]+$/.test(key)) throw validation(`ExpressionAttributeNames contains invalid key: Syntax error; key: "${key}"`);
  }
  let values: Record<string, AttributeValue> | undefined;
  const raw = input.ExpressionAttributeValues;
  if (raw !== undefined) {
    const keys = Object.keys(raw);
    if (keys.length === 0) throw validation('ExpressionAttributeValues must not be empty');
    for (const key of keys) if (!/^:[0-9a-zA-Z_]+$/.test(key)) throw validation(`ExpressionAttributeValues contains invalid key: Syntax error; key: "${key}"`);
    values = {};
    for (const key of keys) {
      try {
        values[key] = checkValue(raw[key]);
      } catch (error) {
        if (error instanceof Error && 'code' in error) throw validation(`ExpressionAttributeValues contains invalid value: ${error.message} for key ${key}`);
        throw error;
      }
    }
  }
  return new ExpressionScope(names, values);
}

function run<T>(kind: ExpressionName, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof ExpressionError) throw validation(`Invalid ${kind}: ${error.message}`);
    throw error;
  }
}

/** Parses and resolves every expression the request carries, in DynamoDB's order of checking. */
export function resolveExpressions(input: ExpressionInput): Expressions {
  const out: Expressions = {};
  if (input.UpdateExpression === undefined && input.ConditionExpression === undefined && input.KeyConditionExpression === undefined &&
      input.FilterExpression === undefined && input.ProjectionExpression === undefined && input.ExpressionAttributeNames === undefined &&
      input.ExpressionAttributeValues === undefined) {
    return out;
  }
  const scope = checkScope(input);
  if (input.UpdateExpression !== undefined) {
    out.update = run('UpdateExpression', () => analyzeUpdate(parseUpdate(input.UpdateExpression!).tree, scope));
  }
  for (const [kind, key] of [['ConditionExpression', 'condition'], ['KeyConditionExpression', 'keyCondition'], ['FilterExpression', 'filter']] as const) {
    const text = input[kind];
    if (text === undefined) continue;
    out[key] = run(kind, () => {
      const parsed = parseCondition(text);
      return analyzeCondition(parsed.tree, parsed.redundantParens, scope, compareValues);
    });
  }
  if (input.ProjectionExpression !== undefined) {
    out.projection = run('ProjectionExpression', () => analyzeProjection(parseProjection(input.ProjectionExpression!).tree, scope));
  }
  if (scope.unusedNames.size) throw validation(`Value provided in ExpressionAttributeNames unused in expressions: keys: {${[...scope.unusedNames].join(', ')}}`);
  if (scope.unusedValues.size) throw validation(`Value provided in ExpressionAttributeValues unused in expressions: keys: {${[...scope.unusedValues].join(', ')}}`);
  return out;
}
