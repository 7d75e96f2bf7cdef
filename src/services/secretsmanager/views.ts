// How a stored secret looks in responses. AWS sends only the fields that have a value: no
// Description when it is empty, no Tags until the secret was tagged, no RotationEnabled for a
// secret never configured for rotation.

import type * as SM from '@aws-sdk/client-secrets-manager';
import type { SecretRecord, VersionRecord } from './state.js';
import { sortedStages } from './versions.js';

function date(ms: number | undefined): Date | undefined {
  return ms === undefined ? undefined : new Date(ms);
}

/** Labelled versions only: deprecated ones are left out. */
export function versionsToStages(secret: SecretRecord): Record<string, string[]> | undefined {
  const labelled = secret.versions.filter((v) => v.stages.length > 0);
  if (labelled.length === 0) return undefined;
  return Object.fromEntries(labelled.map((v) => [v.id, sortedStages(v)]));
}

function common(secret: SecretRecord) {
  return {
    ARN: secret.arn,
    Name: secret.name,
    Description: secret.description || undefined,
    KmsKeyId: secret.kmsKeyId || undefined,
    LastChangedDate: date(secret.lastChangedDate),
    LastAccessedDate: date(secret.lastAccessedDate),
    DeletedDate: date(secret.deletedDate),
    Tags: secret.tags?.map((t) => ({ Key: t.Key, Value: t.Value })),
    CreatedDate: date(secret.createdDate),
  };
}

export function describeView(secret: SecretRecord): SM.DescribeSecretResponse {
  return { ...common(secret), VersionIdsToStages: versionsToStages(secret) };
}

export function listEntryView(secret: SecretRecord): SM.SecretListEntry {
  return { ...common(secret), SecretVersionsToStages: versionsToStages(secret) };
}

export function secretValueView(secret: SecretRecord, version: VersionRecord): SM.GetSecretValueResponse {
  return {
    ARN: secret.arn,
    Name: secret.name,
    VersionId: version.id,
    SecretString: version.secretString,
    SecretBinary: version.secretBinary === undefined ? undefined : Buffer.from(version.secretBinary, 'base64'),
    VersionStages: sortedStages(version),
    CreatedDate: new Date(version.createdDate),
  };
}

export function versionEntryView(version: VersionRecord): SM.SecretVersionsListEntry {
  return {
    VersionId: version.id,
    VersionStages: version.stages.length ? sortedStages(version) : undefined,
    LastAccessedDate: date(version.lastAccessedDate),
    CreatedDate: new Date(version.createdDate),
    // AWS names its managed key this way in version listings.
    KmsKeyIds: [version.kmsKeyId || 'DefaultEncryptionKey'],
  };
}
