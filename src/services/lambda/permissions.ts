// The function's resource-based policy: AddPermission, RemovePermission, GetPolicy. Stored per
// qualifier (unqualified, a version or an alias), as AWS keeps them. Enforced when S3 or SNS invoke
// (policyAllowsInvoke) and when another account invokes (ownerContext); a caller in the
// function's own account needs none (IAM policies are not enforced).

import { randomUUID } from 'node:crypto';
import type * as L from '@aws-sdk/client-lambda';
import type { Handler, RequestContext } from '../types.js';
import { invokeDenied, preconditionFailed, resourceConflict, resourceNotFound } from './errors.js';
import { functionArn, getFunction, parseFunctionName, resolveQualifier, type FunctionRef } from './state.js';

interface PolicyRecord {
  statements: Array<Record<string, unknown>>;
  revisionId: string;
}

function policies(ctx: RequestContext) {
  return ctx.collection<PolicyRecord>('policies');
}

function principalOf(principal: string): unknown {
  if (principal === '*') return '*';
  if (/^\d{12}$/.test(principal)) return { AWS: `arn:aws:iam::${principal}:root` };
  if (principal.endsWith('.amazonaws.com') || principal.endsWith('.amazonaws.com.cn')) return { Service: principal };
  return { AWS: principal };
}

function statementFor(input: L.AddPermissionRequest, resource: string): Record<string, unknown> {
  const condition: Record<string, Record<string, string>> = {};
  if (input.SourceAccount) (condition.StringEquals ??= {})['AWS:SourceAccount'] = input.SourceAccount;
  if (input.PrincipalOrgID) (condition.StringEquals ??= {})['aws:PrincipalOrgID'] = input.PrincipalOrgID;
  if (input.EventSourceToken) (condition.StringEquals ??= {})['lambda:EventSourceToken'] = input.EventSourceToken;
  if (input.FunctionUrlAuthType) (condition.StringEquals ??= {})['lambda:FunctionUrlAuthType'] = input.FunctionUrlAuthType;
  if (input.SourceArn) (condition.ArnLike ??= {})['AWS:SourceArn'] = input.SourceArn;
  return {
    Sid: input.StatementId,
    Effect: 'Allow',
    Principal: principalOf(input.Principal!),
    Action: input.Action,
    Resource: resource,
    ...(Object.keys(condition).length ? { Condition: condition } : {}),
  };
}

function target(ctx: RequestContext, functionName: string, qualifier: string | undefined) {
  const ref = parseFunctionName(ctx, functionName, qualifier);
  const record = getFunction(ctx, ref);
  if (ref.qualifier !== undefined) resolveQualifier(ctx, record, ref.qualifier);
  return { key: `${record.name}:${ref.qualifier ?? ''}`, resource: functionArn(ctx, record.name, ref.qualifier) };
}

export const addPermission: Handler<L.AddPermissionRequest, L.AddPermissionResponse> = (input, ctx) => {
  const { key, resource } = target(ctx, input.FunctionName!, input.Qualifier);
  const policy = policies(ctx).get(key) ?? { statements: [], revisionId: randomUUID() };
  if (input.RevisionId !== undefined && input.RevisionId !== policy.revisionId) throw preconditionFailed();
  if (policy.statements.some((s) => s.Sid === input.StatementId)) {
    throw resourceConflict('The statement id (sid) provided already exists. Please choose another statement id.');
  }
  const statement = statementFor(input, resource);
  policy.statements.push(statement);
  policy.revisionId = randomUUID();
  policies(ctx).put(key, policy);
  return { Statement: JSON.stringify(statement) };
};

export const removePermission: Handler<L.RemovePermissionRequest, object> = (input, ctx) => {
  const { key } = target(ctx, input.FunctionName!, input.Qualifier);
  const policy = policies(ctx).get(key);
  if (input.RevisionId !== undefined && policy && input.RevisionId !== policy.revisionId) throw preconditionFailed();
  const index = policy?.statements.findIndex((s) => s.Sid === input.StatementId) ?? -1;
  if (!policy || index < 0) throw resourceNotFound(`Statement ${input.StatementId} is not found in resource policy.`);
  policy.statements.splice(index, 1);
  policy.revisionId = randomUUID();
  if (policy.statements.length) policies(ctx).put(key, policy);
  else policies(ctx).delete(key);
  return {};
};

export const getPolicy: Handler<L.GetPolicyRequest, L.GetPolicyResponse> = (input, ctx) => {
  const { key } = target(ctx, input.FunctionName!, input.Qualifier);
  const policy = policies(ctx).get(key);
  if (!policy) throw resourceNotFound('The resource you requested does not exist.');
  return { Policy: JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: policy.statements }), RevisionId: policy.revisionId };
};

/** Forgets every policy of a function (deleted), or of one of its qualifiers. */
export function deletePolicies(ctx: RequestContext, name: string, qualifier?: string): void {
  if (qualifier !== undefined) policies(ctx).delete(`${name}:${qualifier}`);
  else policies(ctx).deletePrefix(`${name}:`);
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

/** IAM's ArnLike: "*" and "?" are wildcards, the rest matches literally. */
function arnLike(pattern: string, value: string): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`).test(value);
}

export interface InvokeRequester {
  /** The calling service's principal, e.g. "s3.amazonaws.com". */
  principal: string;
  sourceArn?: string;
  sourceAccount?: string;
}

function conditionHolds(condition: Record<string, Record<string, unknown>> | undefined, requester: InvokeRequester): boolean {
  for (const [operator, entries] of Object.entries(condition ?? {})) {
    for (const [key, expected] of Object.entries(entries)) {
      const actual = key.toLowerCase() === 'aws:sourcearn' ? requester.sourceArn : key.toLowerCase() === 'aws:sourceaccount' ? requester.sourceAccount : undefined;
      if (actual === undefined) return false;
      const wanted = asList(expected).map(String);
      const match = operator === 'ArnLike' || operator === 'StringLike' ? wanted.some((w) => arnLike(w, actual)) : wanted.includes(actual);
      if (!match) return false;
    }
  }
  return true;
}

function statementAllows(statement: Record<string, unknown>, requester: InvokeRequester): boolean {
  if (statement.Effect !== 'Allow') return false;
  if (!asList(statement.Action).some((a) => a === 'lambda:InvokeFunction' || a === 'lambda:*' || a === '*')) return false;
  const principal = statement.Principal as string | { Service?: unknown } | undefined;
  const byPrincipal = principal === '*' || (typeof principal === 'object' && asList(principal.Service).includes(requester.principal));
  return byPrincipal && conditionHolds(statement.Condition as Record<string, Record<string, unknown>> | undefined, requester);
}

/**
 * Whether a function's resource policy lets an AWS service (S3, SNS) invoke it, as AWS checks
 * before those services invoke. Read through Lambda's own GetPolicy, so callers stay outside
 * Lambda's tables; a function without a policy allows no service.
 */
export async function policyAllowsInvoke(ctx: RequestContext, functionName: string, requester: InvokeRequester): Promise<boolean> {
  let policy: { Statement?: Array<Record<string, unknown>> };
  try {
    const out = (await ctx.call('lambda', 'GetPolicy', { FunctionName: functionName })) as L.GetPolicyResponse;
    policy = JSON.parse(out.Policy ?? '{}') as typeof policy;
  } catch {
    return false;
  }
  return (policy.Statement ?? []).some((s) => statementAllows(s, requester));
}

/** The IAM principals a caller is: its own ARN, its account (root or bare id), its role for a role session. */
function principalsOf(caller: { account: string; arn: string }): string[] {
  const names = [caller.arn, caller.account, `arn:aws:iam::${caller.account}:root`];
  const session = /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\//.exec(caller.arn);
  if (session) names.push(`arn:aws:iam::${session[1]}:role/${session[2]}`);
  return names;
}

function statementAllowsCaller(statement: Record<string, unknown>, principals: string[]): boolean {
  if (statement.Effect !== 'Allow' || statement.Condition !== undefined) return false;
  if (!asList(statement.Action).some((a) => a === 'lambda:InvokeFunction' || a === 'lambda:*' || a === '*')) return false;
  const principal = statement.Principal as string | { AWS?: unknown } | undefined;
  if (principal === '*') return true;
  return typeof principal === 'object' && asList(principal.AWS).some((p) => p === '*' || principals.includes(String(p)));
}

/**
 * Invoke of a function another account owns (ref.owner): the context acting in that account, once
 * the function's policy for the qualifier invoked allows the caller; else IAM's AccessDenied, as
 * AWS answers whether or not the function exists.
 */
export async function ownerContext(ctx: RequestContext, ref: FunctionRef): Promise<RequestContext> {
  const owner = ctx.actingIn({ account: ref.owner!, region: ctx.region });
  const identity = (await ctx.call('sts', 'GetCallerIdentity', {})) as { Account?: string; Arn?: string };
  const caller = { account: identity.Account ?? ctx.account, arn: identity.Arn ?? `arn:aws:iam::${ctx.account}:root` };
  const policy = policies(owner).get(`${ref.name}:${ref.qualifier ?? ''}`);
  const principals = principalsOf(caller);
  if (!policy?.statements.some((s) => statementAllowsCaller(s, principals))) throw invokeDenied(caller.arn, functionArn(owner, ref.name, ref.qualifier));
  return owner;
}
