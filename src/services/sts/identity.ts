// The identity behind the caller's access key: an issued credential's, or the account root's.

import type * as STS from '@aws-sdk/client-sts';
import type { RequestContext } from '../types.js';
import { credentialsCollection, type IssuedCredential } from './credentials.js';

export interface Identity {
  account: string;
  arn: string;
  userId: string;
}

export function callerIdentity(ctx: RequestContext): Identity {
  const issued = ctx.accessKeyId ? credentialsCollection(ctx.store).get(ctx.accessKeyId) : undefined;
  if (issued) return { account: issued.account, arn: issued.arn, userId: issued.userId };
  return { account: ctx.account, arn: `arn:aws:iam::${ctx.account}:root`, userId: ctx.account };
}

export function credentialsOf(credential: IssuedCredential): STS.Credentials {
  return {
    AccessKeyId: credential.accessKeyId,
    SecretAccessKey: credential.secretAccessKey,
    SessionToken: credential.sessionToken,
    Expiration: new Date(credential.expiration!),
  };
}
