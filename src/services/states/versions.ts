// State machine versions (immutable numbered snapshots: PublishStateMachineVersion, or publish on
// create/update) and aliases (a name routing executions to one or two versions by weight).

import type * as SFN from '@aws-sdk/client-sfn';
import { randomInt } from 'node:crypto';
import { ServiceError } from '../../errors.js';
import { parseArn } from '../common/arn.js';
import { paginate } from '../common/pagination.js';
import type { Handler, RequestContext } from '../types.js';
import { checkName, invalidArn, machineByArn, type MachineRecord } from './state.js';

export interface VersionRecord {
  arn: string;
  machineName: string;
  version: number;
  definition: string;
  roleArn: string;
  revisionId: string;
  type: MachineRecord['type'];
  description?: string;
  creationDate: number;
  loggingConfiguration?: SFN.LoggingConfiguration;
  tracingConfiguration?: SFN.TracingConfiguration;
}

export interface AliasRecord {
  arn: string;
  machineName: string;
  name: string;
  description?: string;
  routingConfiguration: Array<{ stateMachineVersionArn: string; weight: number }>;
  creationDate: number;
  updateDate?: number;
}

export const versions = (ctx: RequestContext) => ctx.collection<VersionRecord>('versions');
export const aliases = (ctx: RequestContext) => ctx.collection<AliasRecord>('aliases');

const versionKey = (machineName: string, version: number) => `${machineName}:${String(version).padStart(6, '0')}`;
const notFound = (arn: string) => new ServiceError('ResourceNotFound', `Resource not found: '${arn}'`);
const invalidToken = () => new ServiceError('InvalidToken', 'Invalid Token');

/** The machine name and qualifier of `arn:...:stateMachine:<name>:<qualifier>`; InvalidArn otherwise. */
export function qualifiedArn(value: string): { machineArn: string; name: string; qualifier: string } {
  const parts = parseArn(value);
  const [kind, name, qualifier, extra] = parts?.resource.split(':') ?? [];
  if (!parts || parts.service !== 'states' || kind !== 'stateMachine' || !name || !qualifier || extra !== undefined) throw invalidArn(value);
  return { machineArn: value.slice(0, value.length - qualifier.length - 1), name, qualifier };
}

export function versionByArn(ctx: RequestContext, value: string): VersionRecord {
  const { name, qualifier } = qualifiedArn(value);
  if (!/^\d+$/.test(qualifier)) throw invalidArn(value);
  const record = versions(ctx).get(versionKey(name, Number(qualifier)));
  if (!record || record.arn !== value) throw notFound(value);
  return record;
}

export function aliasByArn(ctx: RequestContext, value: string): AliasRecord {
  const { name, qualifier } = qualifiedArn(value);
  if (/^\d+$/.test(qualifier)) throw invalidArn(value);
  const record = aliases(ctx).get(`${name}:${qualifier}`);
  if (!record || record.arn !== value) throw notFound(value);
  return record;
}

/** The version an alias sends the next execution to, by its routing weights. */
export function routeAlias(ctx: RequestContext, alias: AliasRecord): VersionRecord {
  let pick = randomInt(100);
  const route = alias.routingConfiguration.find((r) => (pick -= r.weight) < 0) ?? alias.routingConfiguration[0]!;
  return versionByArn(ctx, route.stateMachineVersionArn);
}

/** Publishes the machine's current revision as a version, or answers the version that already has it. */
export function publish(ctx: RequestContext, machine: MachineRecord, description?: string): VersionRecord {
  const existing = versions(ctx).values({ prefix: `${machine.name}:` });
  const latest = existing[existing.length - 1];
  if (latest && latest.revisionId === machine.revisionId) return latest;
  if (existing.length >= 1000) throw new ServiceError('ServiceQuotaExceededException', `The maximum number of versions (1000) for the state machine '${machine.arn}' has been reached`);
  const version = (latest?.version ?? 0) + 1;
  const record: VersionRecord = {
    arn: `${machine.arn}:${version}`,
    machineName: machine.name,
    version,
    definition: machine.definition,
    roleArn: machine.roleArn,
    revisionId: machine.revisionId,
    type: machine.type,
    description,
    creationDate: ctx.clock.now(),
    loggingConfiguration: machine.loggingConfiguration,
    tracingConfiguration: machine.tracingConfiguration,
  };
  versions(ctx).put(versionKey(machine.name, version), record);
  return record;
}

export const publishStateMachineVersion: Handler<SFN.PublishStateMachineVersionInput, SFN.PublishStateMachineVersionOutput> = (input, ctx) => {
  const machine = machineByArn(ctx, input.stateMachineArn!);
  if (input.revisionId !== undefined && input.revisionId !== machine.revisionId) {
    throw new ServiceError('ConflictException', `Failed to publish the State Machine version for revision ${input.revisionId}. The current State Machine revision is ${machine.revisionId}.`);
  }
  const record = publish(ctx, machine, input.description);
  return { stateMachineVersionArn: record.arn, creationDate: new Date(record.creationDate) };
};

export const listStateMachineVersions: Handler<SFN.ListStateMachineVersionsInput, SFN.ListStateMachineVersionsOutput> = (input, ctx) => {
  const machine = machineByArn(ctx, input.stateMachineArn!);
  // Newest first, as AWS lists them.
  const all = versions(ctx).values({ prefix: `${machine.name}:` }).reverse();
  const page = paginate(all, (v) => String(999999 - v.version).padStart(6, '0'), input.maxResults || 100, input.nextToken, invalidToken);
  return { stateMachineVersions: page.items.map((v) => ({ stateMachineVersionArn: v.arn, creationDate: new Date(v.creationDate) })), nextToken: page.nextToken };
};

export const deleteStateMachineVersion: Handler<SFN.DeleteStateMachineVersionInput, SFN.DeleteStateMachineVersionOutput> = (input, ctx) => {
  let record: VersionRecord;
  try {
    record = versionByArn(ctx, input.stateMachineVersionArn!);
  } catch (error) {
    // Deleting a version that is already gone succeeds.
    if (error instanceof ServiceError && error.code === 'ResourceNotFound') return {};
    throw error;
  }
  const referencing = aliases(ctx)
    .values({ prefix: `${record.machineName}:` })
    .filter((a) => a.routingConfiguration.some((r) => r.stateMachineVersionArn === record.arn));
  if (referencing.length) {
    throw new ServiceError('ConflictException', `Version to be deleted must not be referenced by an alias. Current list of aliases referencing this version: [${referencing.map((a) => a.name).join(', ')}]`);
  }
  versions(ctx).delete(versionKey(record.machineName, record.version));
  return {};
};

/** Checks a routing configuration: one or two versions of one machine, weights adding up to 100. */
function checkRouting(ctx: RequestContext, routing: SFN.RoutingConfigurationListItem[]): { machineName: string; machineArn: string } {
  const arns = routing.map((r) => r.stateMachineVersionArn!);
  if (new Set(arns).size !== arns.length) throw new ServiceError('ValidationException', 'Routing configuration must contain distinct state machine version ARNs');
  const records = arns.map((arn) => versionByArn(ctx, arn));
  const machines = new Set(records.map((r) => r.machineName));
  if (machines.size > 1) throw new ServiceError('ValidationException', 'Routing configuration must contain state machine version ARNs of the same state machine');
  const total = routing.reduce((sum, r) => sum + (r.weight ?? 0), 0);
  if (total !== 100) throw new ServiceError('ValidationException', `Sum of routing configuration weights must be equal to 100. Current sum: ${total}`);
  return { machineName: records[0]!.machineName, machineArn: qualifiedArn(records[0]!.arn).machineArn };
}

export const createStateMachineAlias: Handler<SFN.CreateStateMachineAliasInput, SFN.CreateStateMachineAliasOutput> = (input, ctx) => {
  checkName(input.name!);
  if (/^\d+$/.test(input.name!)) throw new ServiceError('ValidationException', `Invalid alias name: '${input.name}'`);
  const { machineName, machineArn } = checkRouting(ctx, input.routingConfiguration!);
  const routingConfiguration = input.routingConfiguration!.map((r) => ({ stateMachineVersionArn: r.stateMachineVersionArn!, weight: r.weight! }));
  const arn = `${machineArn}:${input.name}`;
  const existing = aliases(ctx).get(`${machineName}:${input.name}`);
  if (existing) {
    // The same alias again answers it; a different one is a conflict.
    if (existing.description === input.description && JSON.stringify(existing.routingConfiguration) === JSON.stringify(routingConfiguration)) return { stateMachineAliasArn: arn, creationDate: new Date(existing.creationDate) };
    throw new ServiceError('ConflictException', `Failed to create alias because an alias with the same name and a different routing configuration already exists: '${arn}'`);
  }
  const record: AliasRecord = { arn, machineName, name: input.name!, description: input.description, routingConfiguration, creationDate: ctx.clock.now() };
  aliases(ctx).put(`${machineName}:${record.name}`, record);
  return { stateMachineAliasArn: arn, creationDate: new Date(record.creationDate) };
};

export const describeStateMachineAlias: Handler<SFN.DescribeStateMachineAliasInput, SFN.DescribeStateMachineAliasOutput> = (input, ctx) => {
  const record = aliasByArn(ctx, input.stateMachineAliasArn!);
  return {
    stateMachineAliasArn: record.arn,
    name: record.name,
    description: record.description,
    routingConfiguration: record.routingConfiguration,
    creationDate: new Date(record.creationDate),
    updateDate: new Date(record.updateDate ?? record.creationDate),
  };
};

export const updateStateMachineAlias: Handler<SFN.UpdateStateMachineAliasInput, SFN.UpdateStateMachineAliasOutput> = (input, ctx) => {
  const record = aliasByArn(ctx, input.stateMachineAliasArn!);
  if (input.description === undefined && input.routingConfiguration === undefined) throw new ServiceError('ValidationException', 'Either the description or the RoutingConfiguration must be specified');
  let routing = record.routingConfiguration;
  if (input.routingConfiguration) {
    const { machineName } = checkRouting(ctx, input.routingConfiguration);
    if (machineName !== record.machineName) throw new ServiceError('ValidationException', 'Routing configuration must contain state machine version ARNs of the same state machine');
    routing = input.routingConfiguration.map((r) => ({ stateMachineVersionArn: r.stateMachineVersionArn!, weight: r.weight! }));
  }
  const updated: AliasRecord = { ...record, description: input.description ?? record.description, routingConfiguration: routing, updateDate: ctx.clock.now() };
  aliases(ctx).put(`${record.machineName}:${record.name}`, updated);
  return { updateDate: new Date(updated.updateDate!) };
};

export const deleteStateMachineAlias: Handler<SFN.DeleteStateMachineAliasInput, SFN.DeleteStateMachineAliasOutput> = (input, ctx) => {
  const { name, qualifier } = qualifiedArn(input.stateMachineAliasArn!);
  aliases(ctx).delete(`${name}:${qualifier}`);
  return {};
};

export const listStateMachineAliases: Handler<SFN.ListStateMachineAliasesInput, SFN.ListStateMachineAliasesOutput> = (input, ctx) => {
  const machine = machineByArn(ctx, input.stateMachineArn!);
  const page = paginate(aliases(ctx).values({ prefix: `${machine.name}:` }), (a) => a.name, input.maxResults || 100, input.nextToken, invalidToken);
  return { stateMachineAliases: page.items.map((a) => ({ stateMachineAliasArn: a.arn, creationDate: new Date(a.creationDate) })), nextToken: page.nextToken };
};
