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

// The edge asks for a key's account on every request; answers (including "not ours") are kept in
// memory, and every write through credentialsCollection() or a reset forgets them.
const accountCaches = new WeakMap<Store, Map<string, string | null>>();

function accountCache(store: Store): Map<string, string | null> {
  let cache = accountCaches.get(store);
  if (!cache) {
    const map = new Map<string, string | null>();
    accountCaches.set(store, (cache = map));
    store.onReset(() => map.clear());
  }
  return cache;
}

export function credentialsCollection(store: Store): Collection<IssuedCredential> {
  const collection = store.collection<IssuedCredential>('sts', 'credentials', SCOPE);
  const cache = accountCache(store);
  return {
    ...collection,
    put: (key, value) => {
      cache.delete(key);
      collection.put(key, value);
    },
    delete: (key) => {
      cache.delete(key);
      return collection.delete(key);
    },
  };
}

/** The account an access key Fogbank issued belongs to; undefined for keys it did not issue. */
export function issuedCredentialAccount(store: Store, accessKeyId: string): string | undefined {
  if (!/^A[SK]IA/.test(accessKeyId)) return undefined;
  const cache = accountCache(store);
  let account = cache.get(accessKeyId);
  if (account === undefined) {
    account = store.collection<IssuedCredential>('sts', 'credentials', SCOPE).get(accessKeyId)?.account ?? null;
    if (cache.size > 10_000) cache.clear();
    cache.set(accessKeyId, account);
  }
  return account ?? undefined;
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
