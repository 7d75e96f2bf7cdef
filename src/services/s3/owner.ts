// Who owns buckets and objects, as S3 names them: a 64-hex-digit canonical user id per account.

import { createHash } from 'node:crypto';

export function canonicalUserId(account: string): string {
  return createHash('sha256').update(`fogbank-s3-owner:${account}`).digest('hex');
}

export const owner = (account: string) => ({ ID: canonicalUserId(account) });
