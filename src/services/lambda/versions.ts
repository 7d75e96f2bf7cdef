// PublishVersion and ListVersionsByFunction: numbered, immutable copies of $LATEST.

import { randomUUID } from 'node:crypto';
import type * as L from '@aws-sdk/client-lambda';
import { paginate } from '../common/pagination.js';
import type { Handler } from '../types.js';
import { invalidParameter, preconditionFailed } from './errors.js';
import { functions, getFunction, lastModifiedText, parseFunctionName, versionKey, versions, type VersionRecord } from './state.js';
import { configurationOf } from './views.js';

interface PublishedVersion extends VersionRecord {
  /** $LATEST's RevisionId when this version was taken: publishing again without changes returns it. */
  sourceRevision?: string;
}

export const publishVersion: Handler<L.PublishVersionRequest, L.FunctionConfiguration> = (input, ctx) => {
  const record = getFunction(ctx, parseFunctionName(ctx, input.FunctionName!));
  if (input.RevisionId !== undefined && input.RevisionId !== record.revisionId) throw preconditionFailed();
  if (input.CodeSha256 !== undefined && input.CodeSha256 !== record.codeSha256) {
    throw invalidParameter(`CodeSHA256 (${input.CodeSha256}) is different from current CodeSHA256 in $LATEST (${record.codeSha256}). Please try again.`);
  }
  if (record.lastVersion) {
    const last = versions(ctx).get(versionKey(record.name, String(record.lastVersion))) as PublishedVersion | undefined;
    if (last && last.sourceRevision === record.revisionId) return configurationOf(ctx, last);
  }
  const number = String((record.lastVersion ?? 0) + 1);
  const snapshot: PublishedVersion = {
    ...record,
    version: number,
    description: input.Description ?? record.description,
    revisionId: randomUUID(),
    lastModified: lastModifiedText(ctx.clock.now()),
    tags: {},
    sourceRevision: record.revisionId,
  };
  delete snapshot.reservedConcurrency;
  delete snapshot.lastVersion;
  versions(ctx).put(versionKey(record.name, number), snapshot);
  record.lastVersion = Number(number);
  functions(ctx).put(record.name, record);
  return configurationOf(ctx, snapshot);
};

export const listVersionsByFunction: Handler<L.ListVersionsByFunctionRequest, L.ListVersionsByFunctionResponse> = (input, ctx) => {
  const record = getFunction(ctx, parseFunctionName(ctx, input.FunctionName!));
  const all: Array<[string, L.FunctionConfiguration]> = [[versionKey(record.name, '0'), configurationOf(ctx, record)]];
  for (const [key, version] of versions(ctx).list({ prefix: `${record.name}:` })) all.push([key, configurationOf(ctx, version)]);
  const page = paginate(all, ([key]) => key, input.MaxItems ?? 50, input.Marker, () => invalidParameter('Invalid Marker'));
  return { Versions: page.items.map(([, config]) => config), NextMarker: page.nextToken };
};
