// Resource policies are stored and returned as given, after a syntax check. Fogbank does not
// enforce them (no IAM evaluation yet), and ValidateResourcePolicy checks syntax only.

import type * as SM from '@aws-sdk/client-secrets-manager';
import { ServiceError } from '../../../errors.js';
import type { Handler } from '../../types.js';
import { malformedPolicy, markedForDeletion } from '../errors.js';
import { requireSecret, saveSecret } from '../state.js';

interface Statement {
  Effect?: unknown;
  Principal?: unknown;
  Condition?: unknown;
}

const POLICY_VERSIONS = new Set(['2012-10-17', '2008-10-17']);

/** The policy's statements, or MalformedPolicyDocumentException when it is not a policy. */
function statementsOf(text: string): Statement[] {
  let policy: unknown;
  try {
    policy = JSON.parse(text);
  } catch {
    throw malformedPolicy();
  }
  if (typeof policy !== 'object' || policy === null || Array.isArray(policy)) throw malformedPolicy();
  const { Version, Statement } = policy as { Version?: unknown; Statement?: unknown };
  if (Version !== undefined && !POLICY_VERSIONS.has(Version as string)) throw malformedPolicy();
  const statements = Array.isArray(Statement) ? Statement : [Statement];
  if (statements.length === 0 || statements.some((s) => typeof s !== 'object' || s === null || Array.isArray(s))) throw malformedPolicy();
  return statements as Statement[];
}

/** An unconditional Allow for every principal. */
function grantsPublicAccess(statement: Statement): boolean {
  if (statement.Effect !== 'Allow' || statement.Condition !== undefined) return false;
  const principal = statement.Principal;
  const values = typeof principal === 'object' && principal !== null ? Object.values(principal).flat() : [principal];
  return values.includes('*');
}

export const putResourcePolicy: Handler<SM.PutResourcePolicyRequest, SM.PutResourcePolicyResponse> = (input, ctx) => {
  const secret = requireSecret(ctx, input.SecretId!);
  if (secret.deletedDate !== undefined) throw markedForDeletion();
  const statements = statementsOf(input.ResourcePolicy!);
  if (input.BlockPublicPolicy && statements.some(grantsPublicAccess)) {
    throw new ServiceError('PublicPolicyException', 'This resource policy will grant public access to the secret.');
  }
  secret.resourcePolicy = input.ResourcePolicy;
  secret.lastChangedDate = ctx.clock.now();
  saveSecret(ctx, secret);
  return { ARN: secret.arn, Name: secret.name };
};

export const getResourcePolicy: Handler<SM.GetResourcePolicyRequest, SM.GetResourcePolicyResponse> = (input, ctx) => {
  const secret = requireSecret(ctx, input.SecretId!);
  return { ARN: secret.arn, Name: secret.name, ResourcePolicy: secret.resourcePolicy };
};

export const deleteResourcePolicy: Handler<SM.DeleteResourcePolicyRequest, SM.DeleteResourcePolicyResponse> = (input, ctx) => {
  const secret = requireSecret(ctx, input.SecretId!);
  if (secret.deletedDate !== undefined) throw markedForDeletion();
  if (secret.resourcePolicy !== undefined) {
    delete secret.resourcePolicy;
    secret.lastChangedDate = ctx.clock.now();
    saveSecret(ctx, secret);
  }
  return { ARN: secret.arn, Name: secret.name };
};

export const validateResourcePolicy: Handler<SM.ValidateResourcePolicyRequest, SM.ValidateResourcePolicyResponse> = (input, ctx) => {
  if (input.SecretId !== undefined) requireSecret(ctx, input.SecretId);
  statementsOf(input.ResourcePolicy!);
  return { PolicyValidationPassed: true, ValidationErrors: [] };
};
