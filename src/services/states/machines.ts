// The state machine control plane: create, describe, list, update, delete, validate.

import type * as SFN from '@aws-sdk/client-sfn';
import { createHash } from 'node:crypto';
import { ServiceError } from '../../errors.js';
import { paginate } from '../common/pagination.js';
import type { Handler, RequestContext } from '../types.js';
import { abortRun } from './runs.js';
import { aliases, publish, versionByArn, versions } from './versions.js';
import { checkDefinition, describeDiagnostics, type Diagnostic, type StateDefinition } from './asl/validate.js';
import { checkName, events, flushWrites, executions, machineArn, machineByArn, machines, type MachineRecord } from './state.js';

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

export const invalidToken = () => new ServiceError('InvalidToken', 'Invalid Token');

/** Definition checks beyond the schema: Task resources that are ARNs at all. */
function definitionProblems(text: string): Diagnostic[] {
  const { definition, diagnostics } = checkDefinition(text);
  if (!definition) return diagnostics;
  const problems: Diagnostic[] = [];
  const visit = (states: Record<string, StateDefinition>, at: string) => {
    for (const [name, state] of Object.entries(states)) {
      // Only malformed resources are refused here: a well-formed integration Fogbank cannot run yet
      // (SQS, DynamoDB, ...) is accepted and fails its task at run time, so deployments still load.
      if (state.Type === 'Task' && !/^arn:aws[a-z-]*:(states|lambda):/.test(String(state.Resource))) {
        problems.push({ code: 'INVALID_RESOURCE', message: `The resource provided ${String(state.Resource)} not recognized. The value is not a valid resource ARN, or the resource is not available in this region.`, location: `${at}/States/${name}/Resource` });
      }
      if (state.Type === 'Parallel') (state.Branches as Array<{ States: Record<string, StateDefinition> }>).forEach((b, i) => visit(b.States, `${at}/States/${name}/Branches[${i}]`));
      if (state.Type === 'Map') visit(((state.ItemProcessor ?? state.Iterator) as { States: Record<string, StateDefinition> }).States, `${at}/States/${name}/ItemProcessor`);
    }
  };
  visit(definition.States, '');
  return problems;
}

function checkDefinitionOrThrow(text: string): void {
  const problems = definitionProblems(text);
  if (problems.length) throw new ServiceError('InvalidDefinition', describeDiagnostics(problems));
}

function checkRole(roleArn: string): void {
  if (!ROLE_ARN.test(roleArn)) throw new ServiceError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${roleArn}'`);
}

function revisionOf(record: Pick<MachineRecord, 'definition' | 'roleArn' | 'loggingConfiguration' | 'tracingConfiguration'>): string {
  return createHash('sha256').update(JSON.stringify([record.definition, record.roleArn, record.loggingConfiguration, record.tracingConfiguration])).digest('hex').slice(0, 32);
}

const DEFAULT_LOGGING: SFN.LoggingConfiguration = { level: 'OFF', includeExecutionData: false };

export const createStateMachine: Handler<SFN.CreateStateMachineInput, SFN.CreateStateMachineOutput> = (input, ctx) => {
  checkName(input.name!);
  checkDefinitionOrThrow(input.definition!);
  checkRole(input.roleArn!);
  const type = (input.type ?? 'STANDARD') as MachineRecord['type'];
  const arn = machineArn(ctx, input.name!);
  const existing = machines(ctx).get(input.name!);
  if (existing) {
    // AWS answers the same create again with the existing machine, and refuses a different one.
    const same = existing.definition === input.definition && existing.roleArn === input.roleArn && existing.type === type;
    if (!same) throw new ServiceError('StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`);
    return { stateMachineArn: arn, creationDate: new Date(existing.creationDate) };
  }
  const record: MachineRecord = {
    name: input.name!,
    arn,
    definition: input.definition!,
    roleArn: input.roleArn!,
    type,
    creationDate: ctx.clock.now(),
    loggingConfiguration: input.loggingConfiguration ?? DEFAULT_LOGGING,
    tracingConfiguration: input.tracingConfiguration ?? { enabled: false },
    revisionId: '',
    tags: (input.tags ?? []).map((t) => ({ key: t.key, value: t.value ?? '' })),
  };
  record.revisionId = revisionOf(record);
  machines(ctx).put(record.name, record);
  const version = input.publish ? publish(ctx, record, input.versionDescription) : undefined;
  return { stateMachineArn: arn, creationDate: new Date(record.creationDate), stateMachineVersionArn: version?.arn };
};

export function describeMachine(record: MachineRecord): SFN.DescribeStateMachineOutput {
  return {
    stateMachineArn: record.arn,
    name: record.name,
    status: 'ACTIVE',
    definition: record.definition,
    roleArn: record.roleArn,
    type: record.type,
    creationDate: new Date(record.creationDate),
    loggingConfiguration: record.loggingConfiguration,
    tracingConfiguration: record.tracingConfiguration,
    revisionId: record.revisionId,
    description: record.description,
  };
}

export const describeStateMachine: Handler<SFN.DescribeStateMachineInput, SFN.DescribeStateMachineOutput> = (input, ctx) => {
  const arn = input.stateMachineArn!;
  if (arn.split(':').length <= 7) return describeMachine(machineByArn(ctx, arn));
  // A version ARN describes that version: its definition, revision and description.
  const version = versionByArn(ctx, arn);
  const machine = machines(ctx).get(version.machineName);
  return {
    stateMachineArn: version.arn,
    name: version.machineName,
    status: 'ACTIVE',
    definition: version.definition,
    roleArn: version.roleArn,
    type: version.type,
    creationDate: new Date(version.creationDate),
    loggingConfiguration: version.loggingConfiguration,
    tracingConfiguration: version.tracingConfiguration,
    revisionId: version.revisionId,
    description: version.description ?? machine?.description,
  };
};

export const listStateMachines: Handler<SFN.ListStateMachinesInput, SFN.ListStateMachinesOutput> = (input, ctx) => {
  const all = machines(ctx).values();
  const page = paginate(all, (m) => m.name, input.maxResults || 100, input.nextToken, invalidToken);
  return {
    stateMachines: page.items.map((m) => ({ stateMachineArn: m.arn, name: m.name, type: m.type, creationDate: new Date(m.creationDate) })),
    nextToken: page.nextToken,
  };
};

export const updateStateMachine: Handler<SFN.UpdateStateMachineInput, SFN.UpdateStateMachineOutput> = (input, ctx) => {
  const record = machineByArn(ctx, input.stateMachineArn!);
  if (input.definition === undefined && input.roleArn === undefined && input.loggingConfiguration === undefined && input.tracingConfiguration === undefined) {
    throw new ServiceError('MissingRequiredParameter', 'Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified');
  }
  if (input.definition !== undefined) checkDefinitionOrThrow(input.definition);
  if (input.roleArn !== undefined) checkRole(input.roleArn);
  const updated: MachineRecord = {
    ...record,
    definition: input.definition ?? record.definition,
    roleArn: input.roleArn ?? record.roleArn,
    loggingConfiguration: input.loggingConfiguration ?? record.loggingConfiguration,
    tracingConfiguration: input.tracingConfiguration ?? record.tracingConfiguration,
    updateDate: ctx.clock.now(),
  };
  updated.revisionId = revisionOf(updated);
  machines(ctx).put(record.name, updated);
  const version = input.publish ? publish(ctx, updated, input.versionDescription) : undefined;
  return { updateDate: new Date(updated.updateDate!), revisionId: updated.revisionId, stateMachineVersionArn: version?.arn };
};

export const deleteStateMachine: Handler<SFN.DeleteStateMachineInput, SFN.DeleteStateMachineOutput> = (input, ctx) => {
  let record: MachineRecord;
  try {
    record = machineByArn(ctx, input.stateMachineArn!);
  } catch (error) {
    // Deleting a machine that is already gone succeeds, as in AWS.
    if (error instanceof ServiceError && error.code === 'StateMachineDoesNotExist') return {};
    throw error;
  }
  deleteMachine(ctx, record);
  return {};
};

function deleteMachine(ctx: RequestContext, record: MachineRecord): void {
  flushWrites(ctx.store);
  for (const execution of executions(ctx).values({ prefix: `${record.name}:` })) if (execution.status === 'RUNNING') abortRun(ctx.store, execution.arn);
  ctx.store.transaction(() => {
    machines(ctx).delete(record.name);
    executions(ctx).deletePrefix(`${record.name}:`);
    events(ctx).deletePrefix(`${record.name}:`);
    versions(ctx).deletePrefix(`${record.name}:`);
    aliases(ctx).deletePrefix(`${record.name}:`);
  });
}

export const validateStateMachineDefinition: Handler<SFN.ValidateStateMachineDefinitionInput, SFN.ValidateStateMachineDefinitionOutput> = (input) => {
  const problems = definitionProblems(input.definition!);
  const limit = input.maxResults || 100;
  return {
    result: problems.length ? 'FAIL' : 'OK',
    diagnostics: problems.slice(0, limit).map((d) => ({ severity: 'ERROR', code: d.code, message: d.message, location: d.location })),
    truncated: problems.length > limit,
  };
};
