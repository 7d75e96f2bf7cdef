// Aliases: names for a version, optionally splitting traffic with a second version by weight.

import { randomUUID } from 'node:crypto';
import type * as L from '@aws-sdk/client-lambda';
import { paginate } from '../common/pagination.js';
import type { Handler, RequestContext } from '../types.js';
import { invalidParameter, preconditionFailed, resourceConflict, resourceNotFound } from './errors.js';
import { aliases, functionArn, getFunction, parseFunctionName, resolveQualifier, type AliasRecord, type FunctionRecord } from './state.js';

function view(ctx: RequestContext, alias: AliasRecord): L.AliasConfiguration {
  return {
    AliasArn: functionArn(ctx, alias.functionName, alias.name),
    Name: alias.name,
    FunctionVersion: alias.functionVersion,
    Description: alias.description,
    RoutingConfig: alias.weights ? { AdditionalVersionWeights: alias.weights } : undefined,
    RevisionId: alias.revisionId,
  };
}

/** The alias's versions must exist, and a weighted alias splits between two distinct published versions. */
function checkTargets(ctx: RequestContext, record: FunctionRecord, version: string, weights: Record<string, number> | undefined): void {
  resolveQualifier(ctx, record, version);
  const extra = Object.keys(weights ?? {});
  if (extra.length === 0) return;
  if (version === '$LATEST') throw invalidParameter('$LATEST is not supported for an alias pointing to more than 1 version');
  for (const v of extra) {
    if (v === version) throw invalidParameter(`Invalid function version ${v}. Function version ${v} is already included in routing configuration.`);
    if (!/^\d+$/.test(v)) throw invalidParameter(`$LATEST is not supported for an alias pointing to more than 1 version`);
    resolveQualifier(ctx, record, v);
  }
}

function getAliasRecord(ctx: RequestContext, record: FunctionRecord, name: string): AliasRecord {
  const alias = aliases(ctx).get(`${record.name}:${name}`);
  if (!alias) throw resourceNotFound(`Alias not found: ${functionArn(ctx, record.name, name)}`);
  return alias;
}

export const createAlias: Handler<L.CreateAliasRequest, L.AliasConfiguration> = (input, ctx) => {
  const record = getFunction(ctx, parseFunctionName(ctx, input.FunctionName!));
  const weights = input.RoutingConfig?.AdditionalVersionWeights;
  checkTargets(ctx, record, input.FunctionVersion!, weights);
  const key = `${record.name}:${input.Name}`;
  if (aliases(ctx).has(key)) throw resourceConflict(`Alias already exists: ${functionArn(ctx, record.name, input.Name)}`);
  const alias: AliasRecord = {
    name: input.Name!,
    functionName: record.name,
    functionVersion: input.FunctionVersion!,
    description: input.Description ?? '',
    weights: weights && Object.keys(weights).length ? weights : undefined,
    revisionId: randomUUID(),
  };
  aliases(ctx).put(key, alias);
  return view(ctx, alias);
};

export const getAlias: Handler<L.GetAliasRequest, L.AliasConfiguration> = (input, ctx) => {
  const record = getFunction(ctx, parseFunctionName(ctx, input.FunctionName!));
  return view(ctx, getAliasRecord(ctx, record, input.Name!));
};

export const updateAlias: Handler<L.UpdateAliasRequest, L.AliasConfiguration> = (input, ctx) => {
  const record = getFunction(ctx, parseFunctionName(ctx, input.FunctionName!));
  const alias = getAliasRecord(ctx, record, input.Name!);
  if (input.RevisionId !== undefined && input.RevisionId !== alias.revisionId) throw preconditionFailed();
  const version = input.FunctionVersion ?? alias.functionVersion;
  const weights = input.RoutingConfig ? input.RoutingConfig.AdditionalVersionWeights ?? {} : alias.weights;
  checkTargets(ctx, record, version, weights);
  alias.functionVersion = version;
  if (input.Description !== undefined) alias.description = input.Description;
  alias.weights = weights && Object.keys(weights).length ? weights : undefined;
  alias.revisionId = randomUUID();
  aliases(ctx).put(`${record.name}:${alias.name}`, alias);
  return view(ctx, alias);
};

export const deleteAlias: Handler<L.DeleteAliasRequest, object> = (input, ctx) => {
  const record = getFunction(ctx, parseFunctionName(ctx, input.FunctionName!));
  aliases(ctx).delete(`${record.name}:${input.Name}`);
  return {};
};

export const listAliases: Handler<L.ListAliasesRequest, L.ListAliasesResponse> = (input, ctx) => {
  const record = getFunction(ctx, parseFunctionName(ctx, input.FunctionName!));
  const all = aliases(ctx)
    .values({ prefix: `${record.name}:` })
    .filter((a) => input.FunctionVersion === undefined || a.functionVersion === input.FunctionVersion);
  const page = paginate(all, (a) => a.name, input.MaxItems ?? 50, input.Marker, () => invalidParameter('Invalid Marker'));
  return { Aliases: page.items.map((a) => view(ctx, a)), NextMarker: page.nextToken };
};

/** Picks the version an alias invocation runs, by the alias's weights. */
export function pickVersion(alias: AliasRecord): string {
  let roll = Math.random();
  for (const [version, weight] of Object.entries(alias.weights ?? {})) {
    if (roll < weight) return version;
    roll -= weight;
  }
  return alias.functionVersion;
}
