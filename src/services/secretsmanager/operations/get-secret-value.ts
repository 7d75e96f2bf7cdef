// GetSecretValue and BatchGetSecretValue: a version picked by VersionId and/or VersionStage
// (AWSCURRENT by default). Reading stamps the day of access on the secret and the version.

import type * as SM from '@aws-sdk/client-secrets-manager';
import { ServiceError } from '../../../errors.js';
import type { Handler, RequestContext } from '../../types.js';
import { invalidParameter, invalidRequest, markedForDeletion, versionNotFound } from '../errors.js';
import { listSecretsPage } from '../listing.js';
import { AWSCURRENT, requireSecret, saveSecret, today, type SecretRecord, type VersionRecord } from '../state.js';
import { findVersion, versionWithStage } from '../versions.js';
import { secretValueView } from '../views.js';

function selectVersion(secret: SecretRecord, versionId: string | undefined, stage: string | undefined): VersionRecord {
  if (versionId !== undefined) {
    const version = findVersion(secret, versionId);
    if (!version) throw versionNotFound({ versionId });
    if (stage !== undefined && !version.stages.includes(stage)) {
      throw invalidRequest('You provided a VersionStage that is not associated to the provided VersionId.');
    }
    return version;
  }
  const label = stage ?? AWSCURRENT;
  const version = versionWithStage(secret, label);
  if (!version) throw versionNotFound({ stage: label });
  return version;
}

function readValue(ctx: RequestContext, secret: SecretRecord, versionId?: string, stage?: string): SM.GetSecretValueResponse {
  if (secret.deletedDate !== undefined) throw markedForDeletion();
  const version = selectVersion(secret, versionId, stage);
  const day = today(ctx);
  if (secret.lastAccessedDate !== day || version.lastAccessedDate !== day) {
    secret.lastAccessedDate = day;
    version.lastAccessedDate = day;
    saveSecret(ctx, secret);
  }
  return secretValueView(secret, version);
}

export const getSecretValue: Handler<SM.GetSecretValueRequest, SM.GetSecretValueResponse> = (input, ctx) =>
  readValue(ctx, requireSecret(ctx, input.SecretId!), input.VersionId, input.VersionStage);

const BATCH_DEFAULT = 20;

/** Reads each secret's current value; a secret that fails becomes an entry in Errors. */
function readEach(ctx: RequestContext, targets: Array<{ secretId: string; find: () => SecretRecord }>) {
  const values: SM.SecretValueEntry[] = [];
  const errors: SM.APIErrorType[] = [];
  for (const { secretId, find } of targets) {
    try {
      values.push(readValue(ctx, find()));
    } catch (error) {
      if (!(error instanceof ServiceError)) throw error;
      errors.push({ SecretId: secretId, ErrorCode: error.code, Message: error.message });
    }
  }
  return { SecretValues: values, Errors: errors };
}

export const batchGetSecretValue: Handler<SM.BatchGetSecretValueRequest, SM.BatchGetSecretValueResponse> = (input, ctx) => {
  if ((input.SecretIdList === undefined) === (input.Filters === undefined)) {
    throw invalidParameter("Either 'SecretIdList' or 'Filters' must be provided, but not both.");
  }
  if (input.SecretIdList) {
    if (input.MaxResults !== undefined) {
      throw invalidParameter("'Filters' not specified. 'Filters' must also be specified when 'MaxResults' is provided.");
    }
    return readEach(ctx, input.SecretIdList.map((secretId) => ({ secretId, find: () => requireSecret(ctx, secretId) })));
  }
  const page = listSecretsPage(ctx, { filters: input.Filters, maxResults: input.MaxResults ?? BATCH_DEFAULT, nextToken: input.NextToken });
  return { ...readEach(ctx, page.items.map((secret) => ({ secretId: secret.arn, find: () => secret }))), NextToken: page.nextToken };
};
