// STS: who am I, and temporary credentials that then work against Fogbank.
// Not yet: AssumeRoleWithSAML, DecodeAuthorizationMessage, GetFederationToken,
// AssumeRoot, GetDelegatedAccessToken, GetWebIdentityToken; roles are not checked to exist
// (IAM enforcement comes later), so AssumeRole never answers AccessDenied.

import type * as STS from '@aws-sdk/client-sts';
import { ServiceError } from '../../errors.js';
import type { Handler, RequestContext, ServiceImplementation } from '../types.js';
import { awsId, credentialsCollection, newSecretAccessKey, newSessionToken, type IssuedCredential } from './credentials.js';
import { credentialsOf, callerIdentity } from './identity.js';

const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:[\w+=,.@/-]*\/)?([\w+=,.@-]+)$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

function validation(message: string): ServiceError {
  return new ServiceError('ValidationError', message);
}

function checkDuration(value: number | undefined, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (value < min) {
    throw validation(`1 validation error detected: Value '${value}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to ${min}`);
  }
  if (value > max) {
    throw validation(`The requested DurationSeconds exceeds the MaxSessionDuration set for this role.`);
  }
  return value;
}

function issue(ctx: RequestContext, identity: Omit<IssuedCredential, 'accessKeyId' | 'secretAccessKey' | 'sessionToken' | 'expiration'>, seconds: number): IssuedCredential {
  const credential: IssuedCredential = {
    ...identity,
    accessKeyId: awsId('ASIA'),
    secretAccessKey: newSecretAccessKey(),
    sessionToken: newSessionToken(),
    expiration: ctx.clock.now() + seconds * 1000,
  };
  credentialsCollection(ctx.store).put(credential.accessKeyId, credential);
  return credential;
}

const getCallerIdentity: Handler<STS.GetCallerIdentityRequest, STS.GetCallerIdentityResponse> = (_input, ctx) => {
  const identity = callerIdentity(ctx);
  return { UserId: identity.userId, Account: identity.account, Arn: identity.arn };
};

const assumeRole: Handler<STS.AssumeRoleRequest, STS.AssumeRoleResponse> = (input, ctx) => {
  const match = ROLE_ARN.exec(input.RoleArn!);
  if (!match) throw validation(`${input.RoleArn} is invalid`);
  if (!SESSION_NAME.test(input.RoleSessionName!)) {
    throw validation(`1 validation error detected: Value '${input.RoleSessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`);
  }
  const seconds = checkDuration(input.DurationSeconds, 900, 43200, 3600);
  const [, account, roleName] = match;
  const roleId = roleIdFor(ctx, account!, roleName!);
  const arn = `arn:aws:sts::${account}:assumed-role/${roleName}/${input.RoleSessionName}`;
  const userId = `${roleId}:${input.RoleSessionName}`;
  const credential = issue(ctx, { account: account!, arn, userId }, seconds);
  return {
    Credentials: credentialsOf(credential),
    AssumedRoleUser: { AssumedRoleId: userId, Arn: arn },
    PackedPolicySize: input.Policy ? Math.min(100, Math.ceil(input.Policy.length / 20)) : undefined,
    SourceIdentity: input.SourceIdentity,
  };
};

const assumeRoleWithWebIdentity: Handler<STS.AssumeRoleWithWebIdentityRequest, STS.AssumeRoleWithWebIdentityResponse> = (input, ctx) => {
  const match = ROLE_ARN.exec(input.RoleArn!);
  if (!match) throw validation(`${input.RoleArn} is invalid`);
  if (!SESSION_NAME.test(input.RoleSessionName!)) throw validation(`Value '${input.RoleSessionName}' at 'roleSessionName' failed to satisfy constraint`);
  const seconds = checkDuration(input.DurationSeconds, 900, 43200, 3600);
  const [, account, roleName] = match;
  const userId = `${roleIdFor(ctx, account!, roleName!)}:${input.RoleSessionName}`;
  const arn = `arn:aws:sts::${account}:assumed-role/${roleName}/${input.RoleSessionName}`;
  const credential = issue(ctx, { account: account!, arn, userId }, seconds);
  return {
    Credentials: credentialsOf(credential),
    AssumedRoleUser: { AssumedRoleId: userId, Arn: arn },
    SubjectFromWebIdentityToken: 'fogbank-subject',
    Audience: input.ProviderId ?? 'fogbank',
    Provider: input.ProviderId ?? 'fogbank',
  };
};

const getSessionToken: Handler<STS.GetSessionTokenRequest, STS.GetSessionTokenResponse> = (input, ctx) => {
  const seconds = checkDuration(input.DurationSeconds, 900, 129600, 43200);
  const identity = callerIdentity(ctx);
  return { Credentials: credentialsOf(issue(ctx, identity, seconds)) };
};

const getAccessKeyInfo: Handler<STS.GetAccessKeyInfoRequest, STS.GetAccessKeyInfoResponse> = (input, ctx) => {
  const issued = credentialsCollection(ctx.store).get(input.AccessKeyId!);
  return { Account: issued?.account ?? (/^\d{12}$/.test(input.AccessKeyId!) ? input.AccessKeyId : ctx.account) };
};

/** The role's id from IAM when the role exists there, else a stable id derived from its name. */
function roleIdFor(ctx: RequestContext, account: string, roleName: string): string {
  const role = ctx.store.collection<{ RoleId: string }>('iam', 'roles', { account, region: '' }).get(roleName);
  if (role) return role.RoleId;
  const hash = [...`${account}/${roleName}`].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
  return 'AROA' + hash.toString(36).toUpperCase().padStart(16, 'Q').slice(0, 16);
}

export const sts: ServiceImplementation = {
  operations: {
    GetCallerIdentity: getCallerIdentity,
    AssumeRole: assumeRole,
    AssumeRoleWithWebIdentity: assumeRoleWithWebIdentity,
    GetSessionToken: getSessionToken,
    GetAccessKeyInfo: getAccessKeyInfo,
  },
};
