// Parameter Store's state: one record per parameter (its latest version number and its tags) and
// one per version, keyed "<name>:<version>" so a parameter's versions list in order (":" never
// appears in a name).

import { randomBytes } from 'node:crypto';
import type { Tag } from '../common/tags.js';
import type { Collection } from '../../store/store.js';
import type { RequestContext } from '../types.js';

export interface StoredParameter {
  Name: string;
  /** The latest version. */
  Version: number;
  Tags: Tag[];
}

export interface StoredPolicy {
  PolicyText: string;
  PolicyType: string;
}

export interface StoredVersion {
  Name: string;
  Version: number;
  Type: string;
  /** The plain value, also for SecureString. */
  Value: string;
  /** What a SecureString read without decryption shows, fixed at write time like KMS ciphertext. */
  Ciphertext?: string;
  KeyId?: string;
  Description?: string;
  AllowedPattern?: string;
  Tier: string;
  Policies?: StoredPolicy[];
  DataType: string;
  /** Epoch milliseconds. */
  LastModifiedDate: number;
  LastModifiedUser: string;
  Labels: string[];
}

/** Parameter Store keeps this many versions; the oldest goes when another is written. */
export const MAX_VERSIONS = 100;
export const DEFAULT_KEY_ID = 'alias/aws/ssm';

export function parameters(ctx: RequestContext): Collection<StoredParameter> {
  return ctx.collection<StoredParameter>('parameters');
}

export function versions(ctx: RequestContext): Collection<StoredVersion> {
  return ctx.collection<StoredVersion>('versions');
}

export function versionKey(name: string, version: number): string {
  return `${name}:${String(version).padStart(12, '0')}`;
}

/** Every stored version of a parameter, oldest first. */
export function versionsOf(ctx: RequestContext, name: string): StoredVersion[] {
  return versions(ctx).values({ prefix: `${name}:` });
}

export function latestVersion(ctx: RequestContext, parameter: StoredParameter): StoredVersion {
  const latest = versions(ctx).get(versionKey(parameter.Name, parameter.Version));
  if (!latest) throw new Error(`SSM state is inconsistent: ${parameter.Name} has no version ${parameter.Version}`);
  return latest;
}

export function deleteParameter(ctx: RequestContext, name: string): boolean {
  return ctx.store.transaction(() => {
    versions(ctx).deletePrefix(`${name}:`);
    return parameters(ctx).delete(name);
  });
}

/** An opaque stand-in for the KMS ciphertext AWS returns for a SecureString read without decryption. */
export function newCiphertext(value: string): string {
  // KMS ciphertext blobs begin 01 02 02 00 78, which is why AWS's all start "AQICAH".
  const header = Buffer.from([0x01, 0x02, 0x02, 0x00, 0x78]);
  return Buffer.concat([header, randomBytes(150 + Buffer.byteLength(value))]).toString('base64');
}
