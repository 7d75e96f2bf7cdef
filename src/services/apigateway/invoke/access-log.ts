// Stage access logs, for REST and HTTP APIs alike: the settings' checks AWS makes when a stage is
// given them (a log group ARN of this account and region naming a group that exists, a single-line
// format naming $context.requestId or $context.extendedRequestId; HTTP APIs also refuse variables
// they do not know), and one line per request with its $context variables substituted (a variable
// without a value writes "-", as AWS's do). Lines wait in memory and are stored together every few
// milliseconds, as Lambda's function logs are; every CloudWatch Logs operation stores them first
// (PendingLogs). A group deleted after the settings were made is not recreated: its lines
// are dropped. Stream names are 32 hex digits per stage (unconfirmed: AWS's are opaque ids).

import { createHash, randomUUID } from 'node:crypto';
import type { Clock } from '../../../clock.js';
import { ServiceError } from '../../../errors.js';
import type { Store } from '../../../store/store.js';
import { LogWriteBatch, PendingLogs } from '../../logs/index.js';
import { LogsData } from '../../logs/state.js';

export type ApiKind = 'REST' | 'HTTP';

const badRequest = (message: string) => new ServiceError('BadRequestException', message, { status: 400 });

const LOG_GROUP_ARN = /^arn:(aws[a-z-]*):logs:([a-z0-9-]+):(\d{12}):log-group:([\w\-./#]{1,512}?)(:\*)?$/;

/** The log group a destination ARN names, checked as AWS checks it (this account and region). */
export function logGroupOf(arn: string, account: string, region: string): string {
  if (!arn.startsWith('arn:')) throw badRequest(`Invalid ARN specified in the request. ARNs must start with 'arn:': ${arn}`);
  const m = LOG_GROUP_ARN.exec(arn);
  if (!m || m[2] !== region || m[3] !== account) {
    throw badRequest('Invalid ARN specified in the request. The ARN must be a valid CloudWatch Logs log group or Kinesis Data Firehose delivery stream ARN.');
  }
  return m[4]!;
}

/** $context variables HTTP APIs' access logs accept (authorizer.* besides). */
const HTTP_VARIABLES = new Set([
  'accountId', 'apiId', 'awsEndpointRequestId', 'awsEndpointRequestId2', 'customDomain.basePathMatched', 'dataProcessed', 'domainName', 'domainPrefix',
  'error.message', 'error.messageString', 'error.responseType', 'extendedRequestId', 'httpMethod', 'identity.accountId', 'identity.caller',
  'identity.cognitoAuthenticationProvider', 'identity.cognitoAuthenticationType', 'identity.cognitoIdentityId', 'identity.cognitoIdentityPoolId',
  'identity.principalOrgId', 'identity.clientCert.clientCertPem', 'identity.clientCert.subjectDN', 'identity.clientCert.issuerDN',
  'identity.clientCert.serialNumber', 'identity.clientCert.validity.notBefore', 'identity.clientCert.validity.notAfter', 'identity.sourceIp',
  'identity.user', 'identity.userAgent', 'identity.userArn', 'integration.error', 'integration.integrationStatus', 'integration.latency',
  'integration.requestId', 'integration.status', 'integrationErrorMessage', 'integrationLatency', 'integrationStatus', 'path', 'protocol',
  'requestId', 'requestTime', 'requestTimeEpoch', 'responseLatency', 'responseLength', 'routeKey', 'stage', 'status', 'resourcePath',
]);

/** $context.name and ${context.name}: where each is in the format. HTTP APIs read an adjacent "|" as part of the name. */
function variables(format: string, http: boolean): Array<{ start: number; end: number; name: string }> {
  const pattern = http ? /\$\{context\.([^}]*)\}|\$context\.([\w|-]+(?:\.[\w|-]+)*)/g : /\$\{context\.([^}]*)\}|\$context\.([\w-]+(?:\.[\w-]+)*)/g;
  return [...format.matchAll(pattern)].map((m) => ({ start: m.index, end: m.index + m[0].length, name: m[1] ?? m[2]! }));
}

/** Checks an access log format as AWS does when a stage is given it. */
export function checkFormat(kind: ApiKind, format: string): void {
  const prefix = kind === 'HTTP' ? 'The following errors are found in Access Log Format: ' : '';
  const line = kind === 'REST' ? format.replace(/\r?\n$/, '') : format;
  if (/[\r\n]/.test(line)) {
    const rest = kind === 'REST' ? ', new line character is allowed only at end of the format' : '';
    throw badRequest(`${prefix}Access Log format must be single line${rest}: '${format}'`);
  }
  const names = variables(format, kind === 'HTTP').map((v) => v.name);
  if (kind === 'HTTP') {
    const unsupported = names.filter((n) => !HTTP_VARIABLES.has(n) && !/^authorizer\.[\w.-]+$/.test(n));
    if (unsupported.length) throw badRequest(`The following context variables are not supported: [${unsupported.map((n) => `$context.${n}`).join(', ')}]`);
  }
  if (!names.some((n) => n === 'requestId' || n === 'extendedRequestId')) {
    throw badRequest(`${prefix}Access Log format must include either $context.requestId or $context.extendedRequestId : '${format}'`);
  }
}

/**
 * Checks a stage's access log settings, returning them as stored. The log group must exist: AWS
 * refuses to enable logging to one that does not (and does not create it).
 */
export function checkAccessLogSettings(kind: ApiKind, ctx: { store: Store; account: string; region: string }, destinationArn: string | undefined, format: string | undefined): void {
  if (kind === 'HTTP' && (!destinationArn || !format)) throw badRequest('Access Log value missing. Expected destinationArn and format.');
  const group = destinationArn ? logGroupOf(destinationArn, ctx.account, ctx.region) : undefined;
  if (format) checkFormat(kind, format);
  if (group && !LogsData.of(ctx).groups().get(group)) {
    const suffix = kind === 'HTTP' ? ` (Service: AWSIngestionHub; Status Code: 400; Error Code: LogDestinationNotFoundException; Request ID: ${randomUUID()}; Proxy: null)` : '';
    throw new ServiceError('NotFoundException', `Cannot enable logging. LogDestination: ${group} does not exist${suffix}`, { status: 404 });
  }
}

/** The values a line substitutes, by variable name ("identity.sourceIp"); a missing one writes "-". */
export type AccessLogValues = Record<string, string | number | boolean | undefined | null>;

/** The format with every $context variable replaced by its value. */
export function renderAccessLog(format: string, values: AccessLogValues): string {
  let out = '';
  let at = 0;
  for (const v of variables(format, false)) {
    const value = values[v.name];
    out += format.slice(at, v.start) + (value === undefined || value === null || value === '' ? '-' : String(value));
    at = v.end;
  }
  return out + format.slice(at);
}

/** Flattens an authorizer's context into authorizer.* values (claims as authorizer.claims.*). */
export function authorizerValues(values: AccessLogValues, authorizer: Record<string, unknown> | undefined, prefix = 'authorizer'): void {
  if (!authorizer) return;
  for (const [key, value] of Object.entries(authorizer)) {
    if (value && typeof value === 'object' && !Array.isArray(value)) authorizerValues(values, value as Record<string, unknown>, `${prefix}.${key}`);
    else values[`${prefix}.${key}`] = Array.isArray(value) ? JSON.stringify(value) : (value as string | number | boolean | null);
  }
}

/** The stage's access log stream: one per stage, named by a hash of it. */
export function accessLogStream(apiId: string, stage: string): string {
  return createHash('md5').update(`${apiId}/${stage}`).digest('hex');
}

interface PendingLine {
  account: string;
  region: string;
  group: string;
  stream: string;
  timestamp: number;
  message: string;
}

/** Stores pending lines, inside the transaction PendingLogs opens: each group checked once per batch. */
function storeLines(store: Store, clock: Clock, lines: PendingLine[]): void {
  const batches = new Map<string, LogWriteBatch>();
  const groupExists = new Map<string, boolean>();
  for (const line of lines) {
    const scope = `${line.account}/${line.region}`;
    const target = { store, clock, account: line.account, region: line.region };
    const groupKey = `${scope}/${line.group}`;
    let exists = groupExists.get(groupKey);
    if (exists === undefined) groupExists.set(groupKey, (exists = LogsData.of(target).groups().get(line.group) !== undefined));
    if (!exists) continue;
    let batch = batches.get(scope);
    if (!batch) batches.set(scope, (batch = new LogWriteBatch(target)));
    batch.write(line.group, line.stream, [{ timestamp: line.timestamp, message: line.message }]);
  }
  for (const batch of batches.values()) batch.finish();
}

const writers = new WeakMap<Store, PendingLogs<PendingLine>>();

/** Stores the lines still waiting, and forgets the store: called when its Fogbank stops. */
export function stopAccessLogs(store: Store): void {
  const writer = writers.get(store);
  if (!writer) return;
  writer.close();
  writers.delete(store);
}

/** Queues one access log line for the group a destination ARN names. */
export function writeAccessLog(store: Store, clock: Clock, location: { account: string; region: string }, destinationArn: string, stream: string, timestamp: number, message: string): void {
  const m = LOG_GROUP_ARN.exec(destinationArn);
  if (!m) return;
  let writer = writers.get(store);
  if (!writer) writers.set(store, (writer = new PendingLogs<PendingLine>(store, (lines) => storeLines(store, clock, lines))));
  writer.add({ account: location.account, region: location.region, group: m[4]!, stream, timestamp, message });
}
