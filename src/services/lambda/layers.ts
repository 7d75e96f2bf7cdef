// Layers: PublishLayerVersion and its reads, deletes and permissions. A layer version is a zip
// kept like function code; functions that name it get its files merged into their /opt (see
// layer-mount.ts).

import { randomUUID } from 'node:crypto';
import type * as L from '@aws-sdk/client-lambda';
import { lambdaRuntime } from '../../runtime/index.js';
import { arn } from '../common/arn.js';
import { paginate } from '../common/pagination.js';
import type { Handler, RequestContext } from '../types.js';
import { invalidParameter, resourceConflict, resourceNotFound } from './errors.js';
import { HOT_RELOAD_BUCKET } from './code.js';
import { codeFrom } from './functions.js';
import { lastModifiedText, versionKey } from './state.js';

export interface LayerVersionRecord {
  name: string;
  version: number;
  description: string;
  createdDate: string;
  compatibleRuntimes?: string[];
  compatibleArchitectures?: string[];
  licenseInfo?: string;
  codeSha256: string;
  codeSize: number;
  codeBlob: string;
  statements: Array<Record<string, unknown>>;
  policyRevision?: string;
  /** Deleted versions stay readable to the functions that use them, as in AWS. */
  deleted?: boolean;
}

export function layerVersions(store: RequestContext['store'], scope: { account: string; region: string }) {
  return store.collection<LayerVersionRecord>('lambda', 'layers', scope);
}

function layerCounters(ctx: RequestContext) {
  return ctx.collection<number>('layer-counters');
}

export function layerArn(ctx: { account: string; region: string }, name: string, version?: number): string {
  return arn({ service: 'lambda', region: ctx.region, account: ctx.account, resource: `layer:${name}${version !== undefined ? `:${version}` : ''}` });
}

/** LayerName may be a name or a layer ARN (of this account and region). */
function layerName(name: string): string {
  const m = /:layer:([a-zA-Z0-9-_]+)$/.exec(name);
  return m ? m[1]! : name;
}

const notFound = () => resourceNotFound('The resource you requested does not exist.');

function getLayer(ctx: RequestContext, name: string, version: number): LayerVersionRecord {
  const record = layerVersions(ctx.store, ctx).get(versionKey(layerName(name), String(version)));
  if (!record || record.deleted) throw notFound();
  return record;
}

async function view(ctx: RequestContext, layer: LayerVersionRecord): Promise<L.GetLayerVersionResponse> {
  return {
    Content: { Location: await lambdaRuntime(ctx.store).codeUrl(layer.codeBlob), CodeSha256: layer.codeSha256, CodeSize: layer.codeSize },
    LayerArn: layerArn(ctx, layer.name),
    LayerVersionArn: layerArn(ctx, layer.name, layer.version),
    Description: layer.description,
    CreatedDate: layer.createdDate,
    Version: layer.version,
    CompatibleRuntimes: layer.compatibleRuntimes as L.Runtime[] | undefined,
    LicenseInfo: layer.licenseInfo,
    CompatibleArchitectures: layer.compatibleArchitectures as L.Architecture[] | undefined,
  };
}

function listItem(ctx: RequestContext, layer: LayerVersionRecord): L.LayerVersionsListItem {
  return {
    LayerVersionArn: layerArn(ctx, layer.name, layer.version),
    Version: layer.version,
    Description: layer.description,
    CreatedDate: layer.createdDate,
    CompatibleRuntimes: layer.compatibleRuntimes as L.Runtime[] | undefined,
    LicenseInfo: layer.licenseInfo,
    CompatibleArchitectures: layer.compatibleArchitectures as L.Architecture[] | undefined,
  };
}

export const publishLayerVersion: Handler<L.PublishLayerVersionRequest, L.PublishLayerVersionResponse> = async (input, ctx) => {
  const name = layerName(input.LayerName!);
  if (input.Content?.S3Bucket === HOT_RELOAD_BUCKET) throw invalidParameter('Fogbank does not hot-reload layers; publish a .zip file archive.');
  const code = await codeFrom(ctx, input.Content ?? {});
  const version = (layerCounters(ctx).get(name) ?? 0) + 1;
  const record: LayerVersionRecord = {
    name,
    version,
    description: input.Description ?? '',
    createdDate: lastModifiedText(ctx.clock.now()),
    compatibleRuntimes: input.CompatibleRuntimes,
    compatibleArchitectures: input.CompatibleArchitectures,
    licenseInfo: input.LicenseInfo,
    codeSha256: code.sha256,
    codeSize: code.size,
    codeBlob: code.blob,
    statements: [],
  };
  ctx.store.transaction(() => {
    layerCounters(ctx).put(name, version);
    layerVersions(ctx.store, ctx).put(versionKey(name, String(version)), record);
  });
  return view(ctx, record);
};

export const getLayerVersion: Handler<L.GetLayerVersionRequest, L.GetLayerVersionResponse> = (input, ctx) => view(ctx, getLayer(ctx, input.LayerName!, input.VersionNumber!));

export const getLayerVersionByArn: Handler<L.GetLayerVersionByArnRequest, L.GetLayerVersionResponse> = (input, ctx) => {
  const m = /:(\d{12}):layer:([a-zA-Z0-9-_]+):(\d+)$/.exec(input.Arn!);
  if (!m || m[1] !== ctx.account || !input.Arn!.includes(`:${ctx.region}:`)) throw notFound();
  return view(ctx, getLayer(ctx, m[2]!, Number(m[3])));
};

function matches(layer: LayerVersionRecord, runtime?: string, architecture?: string): boolean {
  if (runtime && !(layer.compatibleRuntimes ?? []).includes(runtime)) return false;
  if (architecture && !(layer.compatibleArchitectures ?? []).includes(architecture)) return false;
  return true;
}

export const listLayerVersions: Handler<L.ListLayerVersionsRequest, L.ListLayerVersionsResponse> = (input, ctx) => {
  const name = layerName(input.LayerName!);
  // Newest first, as AWS lists them.
  const all = layerVersions(ctx.store, ctx)
    .list({ prefix: `${name}:`, reverse: true })
    .filter(([, l]) => !l.deleted && matches(l, input.CompatibleRuntime, input.CompatibleArchitecture));
  const page = paginate(all, ([key]) => String(1e10 - Number(key.slice(name.length + 1))).padStart(11, '0'), input.MaxItems ?? 50, input.Marker, () => invalidParameter('Invalid Marker'));
  return { LayerVersions: page.items.map(([, l]) => listItem(ctx, l)), NextMarker: page.nextToken };
};

export const listLayers: Handler<L.ListLayersRequest, L.ListLayersResponse> = (input, ctx) => {
  const latest = new Map<string, LayerVersionRecord>();
  for (const layer of layerVersions(ctx.store, ctx).values()) {
    if (!layer.deleted && matches(layer, input.CompatibleRuntime, input.CompatibleArchitecture)) latest.set(layer.name, layer);
  }
  const page = paginate([...latest.values()], (l) => l.name, input.MaxItems ?? 50, input.Marker, () => invalidParameter('Invalid Marker'));
  return { Layers: page.items.map((l) => ({ LayerName: l.name, LayerArn: layerArn(ctx, l.name), LatestMatchingVersion: listItem(ctx, l) })), NextMarker: page.nextToken };
};

export const deleteLayerVersion: Handler<L.DeleteLayerVersionRequest, object> = (input, ctx) => {
  // Deleting a version that is not there succeeds, as in AWS; functions that use one keep it.
  const key = versionKey(layerName(input.LayerName!), String(input.VersionNumber));
  const layer = layerVersions(ctx.store, ctx).get(key);
  if (layer) layerVersions(ctx.store, ctx).put(key, { ...layer, deleted: true });
  return {};
};

export const addLayerVersionPermission: Handler<L.AddLayerVersionPermissionRequest, L.AddLayerVersionPermissionResponse> = (input, ctx) => {
  const layer = getLayer(ctx, input.LayerName!, input.VersionNumber!);
  if (input.RevisionId !== undefined && input.RevisionId !== layer.policyRevision) throw resourceConflict('The Revision Id provided does not match the latest Revision Id.');
  if (layer.statements.some((s) => s.Sid === input.StatementId)) throw resourceConflict(`The statement id (${input.StatementId}) provided already exists. Please choose another statement id.`);
  const principal = input.Principal === '*' ? '*' : { AWS: /^\d{12}$/.test(input.Principal!) ? `arn:aws:iam::${input.Principal}:root` : input.Principal };
  const statement: Record<string, unknown> = { Sid: input.StatementId, Effect: 'Allow', Principal: principal, Action: input.Action, Resource: layerArn(ctx, layer.name, layer.version) };
  if (input.OrganizationId) statement.Condition = { StringEquals: { 'aws:PrincipalOrgID': input.OrganizationId } };
  layer.statements.push(statement);
  layer.policyRevision = randomUUID();
  layerVersions(ctx.store, ctx).put(versionKey(layer.name, String(layer.version)), layer);
  return { Statement: JSON.stringify(statement), RevisionId: layer.policyRevision };
};

export const getLayerVersionPolicy: Handler<L.GetLayerVersionPolicyRequest, L.GetLayerVersionPolicyResponse> = (input, ctx) => {
  const layer = getLayer(ctx, input.LayerName!, input.VersionNumber!);
  if (!layer.statements.length) throw notFound();
  return { Policy: JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: layer.statements }), RevisionId: layer.policyRevision };
};

export const removeLayerVersionPermission: Handler<L.RemoveLayerVersionPermissionRequest, object> = (input, ctx) => {
  const layer = getLayer(ctx, input.LayerName!, input.VersionNumber!);
  const index = layer.statements.findIndex((s) => s.Sid === input.StatementId);
  if (index < 0) throw resourceNotFound(`Statement ${input.StatementId} is not found in resource policy.`);
  layer.statements.splice(index, 1);
  layer.policyRevision = randomUUID();
  layerVersions(ctx.store, ctx).put(versionKey(layer.name, String(layer.version)), layer);
  return {};
};
