// The secrets of one account and region, keyed by name, and how a SecretId (name, full ARN or
// partial ARN) finds one. A secret whose recovery window has passed is removed the first time
// anything looks at it: Fogbank's clock decides, nobody sleeps.

import { randomInt } from 'node:crypto';
import type { Tag } from '../common/tags.js';
import { arn, parseArn } from '../common/arn.js';
import type { Collection } from '../../store/store.js';
import type { RequestContext } from '../types.js';
import { invalidName, secretNotFound } from './errors.js';

export interface VersionRecord {
  id: string;
  /** Epoch milliseconds. */
  createdDate: number;
  stages: string[];
  secretString?: string;
  /** Base64 of the bytes. */
  secretBinary?: string;
  /** Midnight (UTC) of the day this version was last read. */
  lastAccessedDate?: number;
  kmsKeyId?: string;
}

export interface SecretRecord {
  name: string;
  arn: string;
  description?: string;
  kmsKeyId?: string;
  /** Absent until the secret is first tagged: AWS then omits Tags rather than sending []. */
  tags?: Tag[];
  createdDate: number;
  lastChangedDate: number;
  lastAccessedDate?: number;
  /** When the secret is scheduled to be deleted for good. */
  deletedDate?: number;
  resourcePolicy?: string;
  /** In order of creation. */
  versions: VersionRecord[];
}

export const AWSCURRENT = 'AWSCURRENT';
export const AWSPREVIOUS = 'AWSPREVIOUS';
export const AWSPENDING = 'AWSPENDING';

const NAME = /^[A-Za-z0-9/_+=.@!-]+$/;
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function secrets(ctx: RequestContext): Collection<SecretRecord> {
  return ctx.collection<SecretRecord>('secrets');
}

/** A secret name AWS accepts. */
export function checkName(name: string): void {
  if (!NAME.test(name)) throw invalidName();
}

/** A SecretId is a name or an ARN; ARNs are checked when they are resolved. */
export function checkSecretId(secretId: string): void {
  if (!secretId.startsWith('arn:')) checkName(secretId);
}

/** arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 random characters> */
export function newSecretArn(ctx: RequestContext, name: string): string {
  let suffix = '';
  for (let i = 0; i < 6; i++) suffix += SUFFIX_ALPHABET[randomInt(SUFFIX_ALPHABET.length)];
  return arn({ service: 'secretsmanager', region: ctx.region, account: ctx.account, resource: `secret:${name}-${suffix}` });
}

/** The secret's record by name, after forgetting it if its recovery window has ended. */
export function getByName(ctx: RequestContext, name: string): SecretRecord | undefined {
  const collection = secrets(ctx);
  const secret = collection.get(name);
  if (secret && purgeIfExpired(ctx, collection, secret)) return undefined;
  return secret;
}

export function purgeIfExpired(ctx: RequestContext, collection: Collection<SecretRecord>, secret: SecretRecord): boolean {
  if (secret.deletedDate === undefined || ctx.clock.now() < secret.deletedDate) return false;
  collection.delete(secret.name);
  return true;
}

/** Finds a secret by name, full ARN, or partial ARN (the ARN without its random suffix). */
export function findSecret(ctx: RequestContext, secretId: string): SecretRecord | undefined {
  checkSecretId(secretId);
  if (!secretId.startsWith('arn:')) return getByName(ctx, secretId);
  const parts = parseArn(secretId);
  if (!parts || parts.service !== 'secretsmanager' || !parts.resource.startsWith('secret:')) return undefined;
  // Another account's or region's secret is not in this caller's store.
  if (parts.region !== ctx.region || parts.account !== ctx.account) return undefined;
  const rest = parts.resource.slice('secret:'.length);
  const full = /^(.+)-[A-Za-z0-9]{6}$/.exec(rest);
  if (full) {
    const secret = getByName(ctx, full[1]!);
    if (secret && secret.arn === secretId) return secret;
  }
  return getByName(ctx, rest);
}

export function requireSecret(ctx: RequestContext, secretId: string): SecretRecord {
  const secret = findSecret(ctx, secretId);
  if (!secret) throw secretNotFound();
  return secret;
}

export function saveSecret(ctx: RequestContext, secret: SecretRecord): void {
  secrets(ctx).put(secret.name, secret);
}

/** Midnight UTC of the current day: AWS keeps only the date of the last access. */
export function today(ctx: RequestContext): number {
  const now = ctx.clock.now();
  return now - (now % 86_400_000);
}
