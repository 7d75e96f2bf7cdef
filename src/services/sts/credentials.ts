// Temporary credentials Fogbank issues (STS) and the identities behind them. They live in one
// account-less collection, because the edge must find a key's account before it knows anything else.

import { randomBytes } from 'node:crypto';
import type { Collection, Store } from '../../store/store.js';

export interface IssuedCredential {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  account: string;
  /** The identity GetCallerIdentity reports for this key. */
  arn: string;
  userId: string;
  /** Epoch milliseconds; absent for long-term keys. */
  expiration?: number;
}

const SCOPE = { account: '', region: '' };

export function credentialsCollection(store: Store): Collection<IssuedCredential> {
  return store.collection<IssuedCredential>('sts', 'credentials', SCOPE);
}

/** The account an access key Fogbank issued belongs to; undefined for keys it did not issue. */
export function issuedCredentialAccount(store: Store, accessKeyId: string): string | undefined {
  if (!/^A[SK]IA/.test(accessKeyId)) return undefined;
  return credentialsCollection(store).get(accessKeyId)?.account;
}

const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** An id in AWS's form: a four-letter prefix and 16 upper-case letters and digits. */
export function awsId(prefix: string, length = 16): string {
  const bytes = randomBytes(length);
  let id = prefix;
  for (const b of bytes) id += UPPER_ALNUM[b % UPPER_ALNUM.length];
  return id;
}

export function newSecretAccessKey(): string {
  return randomBytes(30).toString('base64').replace(/[+/]/g, 'A').slice(0, 40);
}

export function newSessionToken(): string {
  return 'FwoGZXIvYXdzE' + randomBytes(180).toString('base64');
}
