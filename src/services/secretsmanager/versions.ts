// Secret versions and their staging labels. A label sits on at most one version; moving
// AWSCURRENT moves AWSPREVIOUS to the version it left. Versions left without labels are
// "deprecated": still listed with IncludeDeprecated, pruned once there are too many.

import type { RequestContext } from '../types.js';
import { invalidParameter, missingClientRequestToken } from './errors.js';
import { AWSCURRENT, AWSPENDING, AWSPREVIOUS, type SecretRecord, type VersionRecord } from './state.js';

export interface SecretValue {
  secretString?: string;
  secretBinary?: string;
}

/** AWS keeps 100 versions, and every version created in the last 24 hours. */
const KEPT_VERSIONS = 100;
const KEPT_RECENT_MS = 86_400_000;

/** The value a request carries, if any; AWS refuses both at once. */
export function valueOf(input: { SecretString?: string; SecretBinary?: Uint8Array }): SecretValue | undefined {
  if (input.SecretString !== undefined && input.SecretBinary !== undefined) {
    throw invalidParameter("You can't specify both a binary secret value and a string secret value in the same secret.");
  }
  if (input.SecretString !== undefined) return { secretString: input.SecretString };
  if (input.SecretBinary !== undefined) return { secretBinary: Buffer.from(input.SecretBinary).toString('base64') };
  return undefined;
}

export function sameValue(version: VersionRecord, value: SecretValue): boolean {
  return version.secretString === value.secretString && version.secretBinary === value.secretBinary;
}

/**
 * The id of a version a request creates. SDKs and the CLI always send a ClientRequestToken;
 * AWS refuses a raw request that carries a value without one.
 */
export function versionIdFor(token: string | undefined): string {
  if (token === undefined) throw missingClientRequestToken();
  return token;
}

export function findVersion(secret: SecretRecord, versionId: string): VersionRecord | undefined {
  return secret.versions.find((v) => v.id === versionId);
}

export function versionWithStage(secret: SecretRecord, stage: string): VersionRecord | undefined {
  return secret.versions.find((v) => v.stages.includes(stage));
}

/** Labels as AWS lists them: sorted. */
export function sortedStages(version: VersionRecord): string[] {
  return [...version.stages].sort();
}

function removeStage(version: VersionRecord, stage: string): void {
  version.stages = version.stages.filter((s) => s !== stage);
}

function addStage(version: VersionRecord, stage: string): void {
  if (!version.stages.includes(stage)) version.stages.push(stage);
}

/** Moves AWSPREVIOUS onto the version AWSCURRENT just left. */
function markPrevious(secret: SecretRecord, formerCurrent: VersionRecord): void {
  for (const v of secret.versions) if (v !== formerCurrent) removeStage(v, AWSPREVIOUS);
  addStage(formerCurrent, AWSPREVIOUS);
}

/**
 * Adds a new version carrying `stages` (AWSCURRENT when none are given, and always for a
 * secret's first version), taking each label away from whichever version had it.
 */
export function addVersion(ctx: RequestContext, secret: SecretRecord, id: string, value: SecretValue, stages?: string[]): VersionRecord {
  const labels = [...new Set(stages ?? [AWSCURRENT])];
  if (secret.versions.length === 0 && !labels.includes(AWSCURRENT)) labels.push(AWSCURRENT);
  const formerCurrent = labels.includes(AWSCURRENT) ? versionWithStage(secret, AWSCURRENT) : undefined;
  for (const label of labels) for (const v of secret.versions) removeStage(v, label);
  if (formerCurrent) {
    // When AWSCURRENT leaves by a new value (PutSecretValue, UpdateSecret), AWS also drops
    // AWSPENDING from that version: a finished rotation's leftover label.
    removeStage(formerCurrent, AWSPENDING);
    markPrevious(secret, formerCurrent);
  }
  const version: VersionRecord = { id, createdDate: ctx.clock.now(), stages: labels, ...value, kmsKeyId: secret.kmsKeyId };
  secret.versions.push(version);
  prune(ctx, secret);
  return version;
}

/** UpdateSecretVersionStage's effect, after its checks: label off one version, onto another. */
export function moveStage(secret: SecretRecord, stage: string, from: VersionRecord | undefined, to: VersionRecord | undefined): void {
  if (from) removeStage(from, stage);
  if (to) addStage(to, stage);
  if (stage === AWSCURRENT && from && to && from !== to) markPrevious(secret, from);
}

/** Drops the oldest deprecated versions beyond AWS's quota, sparing those from the last day. */
function prune(ctx: RequestContext, secret: SecretRecord): void {
  let excess = secret.versions.length - KEPT_VERSIONS;
  if (excess <= 0) return;
  const cutoff = ctx.clock.now() - KEPT_RECENT_MS;
  secret.versions = secret.versions.filter((v) => {
    if (excess > 0 && v.stages.length === 0 && v.createdDate < cutoff) {
      excess--;
      return false;
    }
    return true;
  });
}
