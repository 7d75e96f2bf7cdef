// Static checks of a definition before it is stored, with AWS's diagnostic codes and its
// "<CODE>: <message> at <location>" text, in both query languages.

import { COMPARISON_OPERATORS } from './choice.js';
import { isIntrinsic } from './intrinsics.js';
import { compile, expressionBody, isExpression } from './jsonata.js';
import { isObject, isReferencePath, isValidPath } from './jsonpath.js';
import { isVariableName } from './variables.js';

export interface Diagnostic {
  code: string;
  message: string;
  location?: string;
}

const TYPES = ['Pass', 'Task', 'Choice', 'Wait', 'Succeed', 'Fail', 'Parallel', 'Map'];
const NEEDS_TRANSITION = new Set(['Pass', 'Task', 'Wait', 'Parallel', 'Map']);

/** Parses and checks a definition; returns it, or the list of problems AWS would report. */
export function checkDefinition(text: string): { definition?: Definition; diagnostics: Diagnostic[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { diagnostics: [{ code: 'INVALID_JSON_DESCRIPTION', message: (error as Error).message }] };
  }
  const diagnostics: Diagnostic[] = [];
  if (!isObject(parsed)) return { diagnostics: [{ code: 'SCHEMA_VALIDATION_FAILED', message: 'The state machine definition must be a JSON object', location: '/' }] };
  checkMachine(parsed, '', diagnostics, 'JSONPath');
  return diagnostics.length ? { diagnostics } : { definition: parsed as unknown as Definition, diagnostics };
}

/** The one-line form AWS puts in InvalidDefinition's message. */
export function describeDiagnostics(diagnostics: Diagnostic[]): string {
  return `Invalid State Machine Definition: '${diagnostics.map((d) => `${d.code}: ${d.message}${d.location ? ` at ${d.location}` : ''}`).join(', ')}'`;
}

export interface Definition {
  StartAt: string;
  States: Record<string, StateDefinition>;
  Comment?: string;
  TimeoutSeconds?: number;
  QueryLanguage?: 'JSONPath' | 'JSONata';
}

type Language = 'JSONPath' | 'JSONata';
const LANGUAGES = ['JSONPath', 'JSONata'];

/** Fields only one query language has. */
const JSONPATH_ONLY = ['InputPath', 'Parameters', 'ResultSelector', 'ResultPath', 'OutputPath', 'ItemsPath', 'SecondsPath', 'TimestampPath', 'TimeoutSecondsPath', 'HeartbeatSecondsPath', 'ErrorPath', 'CausePath', 'MaxConcurrencyPath', 'Result', 'Iterator'];
const JSONATA_ONLY = ['Arguments', 'Output'];

export type StateDefinition = Record<string, unknown> & { Type: string; Next?: string; End?: boolean };

function checkMachine(machine: Record<string, unknown>, at: string, out: Diagnostic[], inherited: Language): void {
  const root = at || '/';
  let language = inherited;
  if (machine.QueryLanguage !== undefined) {
    if (!LANGUAGES.includes(String(machine.QueryLanguage))) out.push({ code: 'SCHEMA_VALIDATION_FAILED', message: `Value is not a valid enum value: '${String(machine.QueryLanguage)}'. Valid values are: [${LANGUAGES.join(', ')}]`, location: `${at}/QueryLanguage` });
    else language = machine.QueryLanguage as Language;
  }
  const missing = ['StartAt', 'States'].filter((f) => machine[f] === undefined);
  if (missing.length) {
    out.push({ code: 'SCHEMA_VALIDATION_FAILED', message: `These fields are required: [${missing.join(', ')}]`, location: root });
    return;
  }
  if (!isObject(machine.States)) {
    out.push({ code: 'SCHEMA_VALIDATION_FAILED', message: `The value for the field 'States' must be an OBJECT`, location: `${at}/States` });
    return;
  }
  const states = machine.States;
  const names = new Set(Object.keys(states));
  const targets: Array<[string, string]> = [];
  if (!names.has(String(machine.StartAt))) targets.push([String(machine.StartAt), `${at}/StartAt`]);
  const reachable = new Set<string>([String(machine.StartAt)]);
  for (const [name, state] of Object.entries(states)) {
    const here = `${at}/States/${name}`;
    if (!isObject(state)) {
      out.push({ code: 'SCHEMA_VALIDATION_FAILED', message: `The value for the field '${name}' must be an OBJECT`, location: here });
      continue;
    }
    for (const [target, where] of checkState(name, state, here, out, language)) {
      reachable.add(target);
      if (!names.has(target)) targets.push([target, where]);
    }
  }
  for (const [target, where] of targets) out.push({ code: 'MISSING_TRANSITION_TARGET', message: `Missing 'Next' target: ${target}`, location: where });
  for (const name of names) if (!reachable.has(name)) out.push({ code: 'MISSING_TRANSITION_TARGET', message: `State "${name}" is not reachable.`, location: `${at}/States/${name}` });
}

/** Checks one state; returns the states it names as transitions, with where it names them. */
function checkState(name: string, state: Record<string, unknown>, here: string, out: Diagnostic[], inherited: Language): Array<[string, string]> {
  const schema = (message: string, location = here) => out.push({ code: 'SCHEMA_VALIDATION_FAILED', message, location });
  const targets: Array<[string, string]> = [];
  if (state.Type === undefined) {
    schema('These fields are required: [Type]');
    return targets;
  }
  if (!TYPES.includes(String(state.Type))) {
    schema(`Value is not a valid enum value: '${String(state.Type)}'. Valid values are: [${TYPES.join(', ')}]`, `${here}/Type`);
    return targets;
  }
  const type = String(state.Type);
  let language = inherited;
  if (state.QueryLanguage !== undefined) {
    if (!LANGUAGES.includes(String(state.QueryLanguage))) schema(`Value is not a valid enum value: '${String(state.QueryLanguage)}'. Valid values are: [${LANGUAGES.join(', ')}]`, `${here}/QueryLanguage`);
    else language = state.QueryLanguage as Language;
  }
  for (const field of language === 'JSONata' ? JSONPATH_ONLY : JSONATA_ONLY) {
    if (state[field] !== undefined) schema(`The field "${field}" is not supported by Step Functions`, `${here}/${field}`);
  }
  if (isObject(state.Assign)) checkAssign(state.Assign, `${here}/Assign`, out);
  if (language === 'JSONata') checkExpressions(state, here, out);
  if (NEEDS_TRANSITION.has(type)) {
    const hasNext = state.Next !== undefined;
    const hasEnd = state.End === true;
    if (hasNext && hasEnd) schema('Only one of these fields may be present: [Next, End]');
    else if (!hasNext && !hasEnd) schema('These fields are required: [Next] or [End]');
  } else if (state.Next !== undefined || state.End !== undefined) {
    schema(`Field 'Next' or 'End' is not supported by a ${type} state`);
  }
  if (typeof state.Next === 'string') targets.push([state.Next, `${here}/Next`]);
  if (language === 'JSONPath') for (const field of ['InputPath', 'OutputPath']) {
    const v = state[field];
    if (typeof v === 'string' && !isValidPath(v)) schema(`The value for the field '${field}' must be a valid JSONPath`, `${here}/${field}`);
  }
  if (typeof state.ResultPath === 'string' && !isReferencePath(state.ResultPath)) schema(`The value for the field 'ResultPath' must be a valid ReferencePath`, `${here}/ResultPath`);
  if (language === 'JSONPath') for (const field of ['Parameters', 'ResultSelector', 'ItemSelector']) checkTemplate(state[field], `${here}/${field}`, out);
  if (type === 'Task' && typeof state.Resource !== 'string') schema('These fields are required: [Resource]');
  if (type === 'Choice') checkChoice(state, here, out, targets, language);
  if (type === 'Wait') {
    const fields = language === 'JSONata' ? ['Seconds', 'Timestamp'] : ['Seconds', 'Timestamp', 'SecondsPath', 'TimestampPath'];
    const present = fields.filter((f) => state[f] !== undefined);
    if (present.length !== 1) schema(`Exactly one of these fields must be present: [${fields.join(', ')}]`);
  }
  if (type === 'Parallel') {
    if (!Array.isArray(state.Branches)) schema('These fields are required: [Branches]');
    else state.Branches.forEach((b, i) => (isObject(b) ? checkMachine(b, `${here}/Branches[${i}]`, out, inherited) : schema('A branch must be an OBJECT', `${here}/Branches[${i}]`)));
  }
  if (type === 'Map') {
    const processor = state.ItemProcessor ?? state.Iterator;
    if (!isObject(processor)) schema('These fields are required: [ItemProcessor]');
    else checkMachine(processor, `${here}/${state.ItemProcessor ? 'ItemProcessor' : 'Iterator'}`, out, inherited);
    if (typeof state.ItemsPath === 'string' && !isValidPath(state.ItemsPath)) schema(`The value for the field 'ItemsPath' must be a valid JSONPath`, `${here}/ItemsPath`);
  }
  if (type === 'Task' || type === 'Parallel' || type === 'Map') {
    for (const [field, list] of [['Retry', state.Retry], ['Catch', state.Catch]] as const) {
      if (list === undefined) continue;
      if (!Array.isArray(list)) {
        schema(`The value for the field '${field}' must be an ARRAY`, `${here}/${field}`);
        continue;
      }
      list.forEach((entry, i) => {
        const where = `${here}/${field}[${i}]`;
        if (!isObject(entry) || !Array.isArray(entry.ErrorEquals) || !entry.ErrorEquals.length) return schema('These fields are required: [ErrorEquals]', where);
        const all = entry.ErrorEquals.indexOf('States.ALL');
        if (all >= 0 && (entry.ErrorEquals.length > 1 || i !== list.length - 1)) schema(`'States.ALL' must appear alone in the last ${field === 'Retry' ? 'retrier' : 'catcher'}`, where);
        if (field === 'Catch') {
          if (language === 'JSONata' && entry.ResultPath !== undefined) schema('The field "ResultPath" is not supported by Step Functions', `${where}/ResultPath`);
          if (language === 'JSONPath' && entry.Output !== undefined) schema('The field "Output" is not supported by Step Functions', `${where}/Output`);
          if (isObject(entry.Assign)) checkAssign(entry.Assign, `${where}/Assign`, out);
          if (typeof entry.Next !== 'string') schema('These fields are required: [Next]', where);
          else targets.push([entry.Next, `${where}/Next`]);
        }
      });
    }
  }
  return targets;
}

function checkChoice(state: Record<string, unknown>, here: string, out: Diagnostic[], targets: Array<[string, string]>, language: Language): void {
  if (!Array.isArray(state.Choices) || !state.Choices.length) {
    out.push({ code: 'SCHEMA_VALIDATION_FAILED', message: 'These fields are required: [Choices]', location: here });
    return;
  }
  state.Choices.forEach((rule, i) => {
    const where = `${here}/Choices[${i}]`;
    if (!isObject(rule) || typeof rule.Next !== 'string') {
      out.push({ code: 'SCHEMA_VALIDATION_FAILED', message: 'These fields are required: [Next]', location: where });
      return;
    }
    targets.push([rule.Next, `${where}/Next`]);
    if (isObject(rule.Assign)) checkAssign(rule.Assign, `${where}/Assign`, out);
    if (language === 'JSONata') {
      if (rule.Condition === undefined) out.push({ code: 'SCHEMA_VALIDATION_FAILED', message: 'These fields are required: [Condition]', location: where });
      else if (typeof rule.Condition !== 'boolean' && !isExpression(rule.Condition)) out.push({ code: 'SCHEMA_VALIDATION_FAILED', message: "The value for the field 'Condition' must be a BOOLEAN or a JSONata expression", location: `${where}/Condition` });
    } else checkRule(rule, where, out);
  });
  if (typeof state.Default === 'string') targets.push([state.Default, `${here}/Default`]);
}

function checkRule(rule: Record<string, unknown>, where: string, out: Diagnostic[]): void {
  if (Array.isArray(rule.And) || Array.isArray(rule.Or)) {
    for (const sub of (rule.And ?? rule.Or) as unknown[]) if (isObject(sub)) checkRule(sub, where, out);
    return;
  }
  if (isObject(rule.Not)) return checkRule(rule.Not, where, out);
  if (typeof rule.Variable !== 'string' || !isValidPath(rule.Variable)) {
    out.push({ code: 'SCHEMA_VALIDATION_FAILED', message: "The value for the field 'Variable' must be a valid JSONPath", location: where });
  } else if (!COMPARISON_OPERATORS.some((op) => op in rule)) {
    out.push({ code: 'SCHEMA_VALIDATION_FAILED', message: 'A choice rule must have exactly one comparison operator', location: where });
  }
}

function checkTemplate(template: unknown, where: string, out: Diagnostic[]): void {
  if (Array.isArray(template)) return template.forEach((t) => checkTemplate(t, where, out));
  if (!isObject(template)) return;
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith('.$')) {
      if (typeof value !== 'string' || !(isIntrinsic(value) || isValidPath(value))) {
        out.push({ code: 'SCHEMA_VALIDATION_FAILED', message: `The value for the field '${key}' must be a valid JSONPath or a valid intrinsic function call`, location: where });
      }
    } else checkTemplate(value, where, out);
  }
}

/** Assign: variable names AWS accepts; in JSONPath states, `.$` values that are paths or intrinsics. */
function checkAssign(assign: Record<string, unknown>, where: string, out: Diagnostic[]): void {
  for (const key of Object.keys(assign)) {
    const name = key.endsWith('.$') ? key.slice(0, -2) : key;
    if (!isVariableName(name)) out.push({ code: 'SCHEMA_VALIDATION_FAILED', message: `The variable name '${name}' is invalid: it must start with a letter or underscore, contain only letters, digits and underscores, be at most 80 characters, and not be 'states'`, location: where });
  }
  checkTemplate(assign, where, out);
}

/** Every `{% %}` string in a JSONata state must compile. */
function checkExpressions(value: unknown, where: string, out: Diagnostic[]): void {
  if (isExpression(value)) {
    try {
      compile(expressionBody(value));
    } catch (error) {
      const e = error as { code?: string; message?: string };
      out.push({ code: 'SCHEMA_VALIDATION_FAILED', message: `The JSONata expression '${expressionBody(value)}' is invalid: ${e.code ? `${e.code}: ` : ''}${e.message ?? ''}`, location: where });
    }
    return;
  }
  if (Array.isArray(value)) return value.forEach((v, i) => checkExpressions(v, `${where}[${i}]`, out));
  if (!isObject(value)) return;
  for (const [key, v] of Object.entries(value)) {
    // Nested machines are checked on their own, in their own language.
    if (key === 'Branches' || key === 'ItemProcessor' || key === 'Iterator' || key === 'States') continue;
    checkExpressions(v, `${where}/${key}`, out);
  }
}
