// The grammar IAM accepts for a policy document: which keys may appear where and what types they
// hold ("Syntax errors in policy." when not), plus the older parser's stricter checks that IAM
// still applies ("The policy failed legacy parsing"): exact-case Effect and parseable dates.

export type Statement = Record<string, unknown>;

const TOP_LEVEL = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_KEYS = new Set(['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition', 'Principal', 'NotPrincipal']);
export const VERSIONS = new Set(['2008-10-17', '2012-10-17']);
const OPERATORS = new Set([
  'StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike',
  'NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals',
  'DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals',
  'Bool', 'BinaryEquals', 'IpAddress', 'NotIpAddress', 'ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike', 'Null',
]);

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isScalar = (v: unknown) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

function isStringOrStrings(value: unknown): boolean {
  return typeof value === 'string' || (Array.isArray(value) && value.every((v) => typeof v === 'string'));
}

/** A condition operator without its set prefix (ForAnyValue:, ForAllValues:) and IfExists suffix. */
export function bareOperator(operator: string): string {
  let op = operator;
  for (const prefix of ['ForAnyValue:', 'ForAllValues:']) {
    if (op.startsWith(prefix)) {
      op = op.slice(prefix.length);
      break;
    }
  }
  return op.endsWith('IfExists') ? op.slice(0, -'IfExists'.length) : op;
}

function conditionIsWellFormed(condition: unknown): boolean {
  if (!isObject(condition)) return false;
  for (const [operator, body] of Object.entries(condition)) {
    if (!isObject(body)) return false;
    for (const value of Object.values(body)) {
      if (!isScalar(value) && !(Array.isArray(value) && value.every(isScalar))) return false;
    }
    // An operator IAM does not know is tolerated only with nothing under it.
    if (!OPERATORS.has(bareOperator(operator)) && Object.keys(body).length > 0) return false;
  }
  return true;
}

function principalIsWellFormed(principal: unknown): boolean {
  if (principal === '*') return true;
  return isObject(principal) && Object.values(principal).every(isStringOrStrings);
}

function statementIsWellFormed(statement: unknown): statement is Statement {
  if (!isObject(statement)) return false;
  if (Object.keys(statement).some((key) => !STATEMENT_KEYS.has(key))) return false;
  for (const [a, b] of [['Resource', 'NotResource'], ['Action', 'NotAction'], ['Principal', 'NotPrincipal']] as const) {
    if (a in statement && b in statement) return false;
  }
  const effect = statement['Effect'];
  if (typeof effect !== 'string' || !['allow', 'deny'].includes(effect.toLowerCase())) return false;
  for (const key of ['Action', 'NotAction', 'Resource', 'NotResource']) {
    if (key in statement && !isStringOrStrings(statement[key])) return false;
  }
  for (const key of ['Principal', 'NotPrincipal']) {
    if (key in statement && !principalIsWellFormed(statement[key])) return false;
  }
  if ('Condition' in statement && !conditionIsWellFormed(statement['Condition'])) return false;
  if ('Sid' in statement && typeof statement['Sid'] !== 'string') return false;
  return true;
}

/** The document's statements when it follows IAM's grammar, else undefined. */
export function statementsOf(document: unknown): Statement[] | undefined {
  if (!isObject(document)) return undefined;
  if (Object.keys(document).some((key) => !TOP_LEVEL.has(key))) return undefined;
  if ('Version' in document && !VERSIONS.has(document['Version'] as string)) return undefined;
  if ('Id' in document && typeof document['Id'] !== 'string') return undefined;
  const raw = document['Statement'];
  const statements = Array.isArray(raw) ? raw : isObject(raw) ? [raw] : undefined;
  if (!statements || statements.length === 0) return undefined;
  return statements.every(statementIsWellFormed) ? (statements as Statement[]) : undefined;
}

/** A string or list member as a list. */
export function listOf(value: unknown): string[] {
  return typeof value === 'string' ? [value] : Array.isArray(value) ? (value as string[]) : [];
}

function integerText(text: string): number | undefined {
  return /^\s*[+-]?\d+\s*$/.test(text) ? Number(text) : undefined;
}

function within(text: string | undefined, low: number, high: number): boolean {
  if (text === undefined) return false;
  const n = integerText(text);
  return n !== undefined && n >= low && n <= high;
}

/** The date forms IAM's legacy parser takes: ISO 8601 pieces, or epoch seconds. */
function dateIsParseable(raw: unknown): boolean {
  const value = String(raw).toLowerCase();
  if (!value.includes('t') && !value.includes('-')) {
    const n = integerText(value);
    return n !== undefined && n >= 0 && n <= 9223372036854775807;
  }
  const t = value.indexOf('t');
  const datePart = t < 0 ? value : value.slice(0, t);
  const timePart = t < 0 ? '' : value.slice(t + 1);
  const negative = datePart.startsWith('-');
  const pieces = (negative ? datePart.slice(1) : datePart).split('-');
  if (pieces.length > 3) return false;
  if (!within((negative ? '-' : '') + pieces[0], -292275054, 292278993)) return false;
  if (pieces.length > 1 && !within(pieces[1], 1, 12)) return false;
  if (pieces.length > 2 && !within(pieces[2], 1, 31)) return false;
  const time = timePart.split(':');
  if (time[0] !== '' && !within(time[0], 0, 23)) return false;
  if (time.length > 1 && !within(time[1], 0, 59)) return false;
  if (time.length > 2) return secondsAreParseable(time.slice(2).join(':'));
  return true;
}

function secondsAreParseable(text: string): boolean {
  let seconds = text;
  if (text.includes('z')) {
    const [before, after] = [text.slice(0, text.indexOf('z')), text.slice(text.indexOf('z') + 1)];
    if (after !== '') return false;
    seconds = before;
  } else if (text.includes('+')) {
    seconds = text.slice(0, text.indexOf('+'));
    const [hours, minutes] = text.slice(text.indexOf('+') + 1).split(':');
    if (hours === undefined || hours.length !== 2 || !within(hours, 0, 23)) return false;
    if (minutes !== undefined && (minutes.length !== 2 || !within(minutes, 0, 59))) return false;
  }
  const [whole, fraction] = seconds.split('.');
  if (!within(whole, 0, 59)) return false;
  return fraction === undefined || within(fraction, 0, 999999999);
}

/** The legacy parser's checks on Effect and date conditions. */
export function passesLegacyStatementChecks(statement: Statement): boolean {
  if (statement['Effect'] !== 'Allow' && statement['Effect'] !== 'Deny') return false;
  const condition = statement['Condition'];
  if (!isObject(condition)) return true;
  for (const [operator, body] of Object.entries(condition)) {
    if (!bareOperator(operator).startsWith('Date')) continue;
    for (const value of Object.values(body as Record<string, unknown>)) {
      const values = Array.isArray(value) ? value : [value];
      if (!values.every(dateIsParseable)) return false;
    }
  }
  return true;
}
