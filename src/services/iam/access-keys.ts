// IAM users' long-term access keys (AKIA...). Each key is also registered with STS's issued
// credentials, so requests signed with it act as that user everywhere in Fogbank.

import type * as IAM from '@aws-sdk/client-iam';
import { awsId, credentialsCollection, newSecretAccessKey } from '../sts/credentials.js';
import { callerIdentity } from '../sts/identity.js';
import type { Handler, RequestContext } from '../types.js';
import { accessDenied, accessKeyNotFound, limitExceeded, nonUserCredentials } from './errors.js';
import { pageInOrder } from './paging.js';
import { accessKeys, findUser, nowSeconds, type AccessKeyRecord, type UserRecord } from './state.js';
import { callingUser } from './users.js';
import type { NoOutput } from './views.js';

const MAX_KEYS_PER_USER = 2;

/** The named user, or without a name the calling IAM user (other callers must name one). */
function targetUser(ctx: RequestContext, userName: string | undefined): UserRecord {
  if (userName !== undefined) return findUser(ctx, userName);
  const user = callingUser(ctx);
  if (!user) throw nonUserCredentials();
  return user;
}

function keysOf(ctx: RequestContext, userName: string): AccessKeyRecord[] {
  return accessKeys(ctx)
    .values()
    .filter((k) => k.UserName === userName)
    .sort((a, b) => a.CreateDate - b.CreateDate || (a.AccessKeyId < b.AccessKeyId ? -1 : 1));
}

function keyOf(ctx: RequestContext, user: UserRecord, accessKeyId: string): AccessKeyRecord {
  const key = accessKeys(ctx).get(accessKeyId);
  if (!key || key.UserName !== user.UserName) throw accessKeyNotFound(accessKeyId);
  return key;
}

export const createAccessKey: Handler<IAM.CreateAccessKeyRequest, IAM.CreateAccessKeyResponse> = (input, ctx) => {
  const user = targetUser(ctx, input.UserName);
  if (keysOf(ctx, user.UserName).length >= MAX_KEYS_PER_USER) throw limitExceeded(`Cannot exceed quota for AccessKeysPerUser: ${MAX_KEYS_PER_USER}`);
  const key: AccessKeyRecord = { AccessKeyId: awsId('AKIA'), UserName: user.UserName, Status: 'Active', CreateDate: nowSeconds(ctx) };
  const secretAccessKey = newSecretAccessKey();
  accessKeys(ctx).put(key.AccessKeyId, key);
  credentialsCollection(ctx.store).put(key.AccessKeyId, {
    accessKeyId: key.AccessKeyId,
    secretAccessKey,
    account: ctx.account,
    arn: user.Arn,
    userId: user.UserId,
  });
  return {
    AccessKey: { UserName: user.UserName, AccessKeyId: key.AccessKeyId, Status: key.Status, SecretAccessKey: secretAccessKey, CreateDate: new Date(key.CreateDate) },
  };
};

export const listAccessKeys: Handler<IAM.ListAccessKeysRequest, IAM.ListAccessKeysResponse> = (input, ctx) => {
  const user = targetUser(ctx, input.UserName);
  const page = pageInOrder(keysOf(ctx, user.UserName), input);
  return {
    AccessKeyMetadata: page.items.map((k) => ({ UserName: k.UserName, AccessKeyId: k.AccessKeyId, Status: k.Status, CreateDate: new Date(k.CreateDate) })),
    IsTruncated: page.IsTruncated,
    Marker: page.Marker,
  };
};

/** Inactive keys are recorded as such; Fogbank does not yet refuse them (no enforcement). */
export const updateAccessKey: Handler<IAM.UpdateAccessKeyRequest, NoOutput> = (input, ctx) => {
  const user = targetUser(ctx, input.UserName);
  const key = keyOf(ctx, user, input.AccessKeyId!);
  accessKeys(ctx).put(key.AccessKeyId, { ...key, Status: input.Status as AccessKeyRecord['Status'] });
  return {};
};

export const deleteAccessKey: Handler<IAM.DeleteAccessKeyRequest, NoOutput> = (input, ctx) => {
  const user = targetUser(ctx, input.UserName);
  const key = keyOf(ctx, user, input.AccessKeyId!);
  accessKeys(ctx).delete(key.AccessKeyId);
  credentialsCollection(ctx.store).delete(key.AccessKeyId);
  return {};
};

export const getAccessKeyLastUsed: Handler<IAM.GetAccessKeyLastUsedRequest, IAM.GetAccessKeyLastUsedResponse> = (input, ctx) => {
  const key = accessKeys(ctx).get(input.AccessKeyId!);
  if (!key) {
    throw accessDenied(`User: ${callerIdentity(ctx).arn} is not authorized to perform iam:GetAccessKeyLastUsed on resource: access key ${input.AccessKeyId}`);
  }
  const used = key.LastUsed;
  return {
    UserName: key.UserName,
    AccessKeyLastUsed: used ? { LastUsedDate: new Date(used.date), ServiceName: used.service, Region: used.region } : { ServiceName: 'N/A', Region: 'N/A' },
  } as IAM.GetAccessKeyLastUsedResponse;
};

/** Notes that the caller's IAM access key was just used for IAM (other services do not report use yet). */
export function recordAccessKeyUse(ctx: RequestContext): void {
  if (!ctx.accessKeyId?.startsWith('AKIA')) return;
  const key = accessKeys(ctx).get(ctx.accessKeyId);
  if (key) accessKeys(ctx).put(key.AccessKeyId, { ...key, LastUsed: { date: nowSeconds(ctx), region: ctx.region, service: 'iam' } });
}
