// Custom domain names and base path mappings (CreateDomainName ... DeleteBasePathMapping), stored
// in the record apigatewayv2's domain names and API mappings share (domain-hosts.ts). Fogbank has
// no ACM: certificate ARNs and names are kept as given. Names are AVAILABLE at once; the
// regional and CloudFront host names are made up in AWS's forms (nothing resolves them: requests
// reach Fogbank with the custom name in their Host header). Also the helpers apigatewayv2 uses.

import type * as AG from '@aws-sdk/client-api-gateway';
import { paginate } from '../common/pagination.js';
import type { Handler, RequestContext } from '../types.js';
import { domainRecords, domainsChanged, type DomainRecord, type MappingRecord } from './domain-hosts.js';
import { applyPatch, plainErrors, type PatchSpec } from './patch.js';
import { badRequest, conflict, newId, notFound, scoped, type StageRecord } from './state.js';

/** Route 53 hosted zones of API Gateway's regional endpoints (AWS's endpoints page). */
const REGIONAL_ZONES: Record<string, string> = {
  'us-east-1': 'Z1UJRXOUMOOFQ8',
  'us-east-2': 'ZOJJZC49E0EPZ',
  'us-west-1': 'Z2MUQ32089INYE',
  'us-west-2': 'Z2OJLYMUO9EFXC',
  'ap-south-1': 'Z3VO1THU9YC4UR',
  'ap-northeast-1': 'Z1YSHQZHG15GKL',
  'ap-northeast-2': 'Z20JF4UZKIW1U8',
  'ap-northeast-3': 'Z2YQB5RD63NC85',
  'ap-southeast-1': 'ZL327KTPIQFUL',
  'ap-southeast-2': 'Z2RPCDW04V8134',
  'ca-central-1': 'Z19DQILCV0OWEC',
  'eu-central-1': 'Z1U9ULNL0V5AJ3',
  'eu-west-1': 'ZLY8HYME6SFDD',
  'eu-west-2': 'ZJ5UAJN8Y3Z2Q',
  'eu-west-3': 'Z3KY65QIEKYHQQ',
  'sa-east-1': 'ZCMLWB8V5SYIT',
};
/** CloudFront's hosted zone: the same for every edge-optimized name. */
export const CLOUDFRONT_ZONE = 'Z2FDTNDATAQYW2';

export const regionalZone = (region: string) => REGIONAL_ZONES[region] ?? REGIONAL_ZONES['us-east-1']!;
export const regionalHost = (d: DomainRecord) => `${d.regionalId}.execute-api.${d.region}.amazonaws.com`;
export const distributionHost = (d: DomainRecord) => `${d.distributionId}.cloudfront.net`;

export const missingDomain = () => notFound('Invalid domain name identifier specified');

/** The caller's own domain name (another account's or region's is not found, as on AWS). */
export function findDomain(ctx: RequestContext, name: string): DomainRecord {
  const d = domainRecords(ctx.store).get(name.toLowerCase());
  if (!d || d.account !== ctx.account || d.region !== ctx.region) throw missingDomain();
  return d;
}

export function listDomains(ctx: RequestContext): DomainRecord[] {
  return domainRecords(ctx.store)
    .values()
    .filter((d) => d.account === ctx.account && d.region === ctx.region);
}

export function saveDomain(ctx: RequestContext, d: DomainRecord): void {
  domainRecords(ctx.store).put(d.domainName, d);
  domainsChanged(ctx.store);
}

export function deleteDomainRecord(ctx: RequestContext, d: DomainRecord): void {
  domainRecords(ctx.store).delete(d.domainName);
  domainsChanged(ctx.store);
}

export function newDomain(ctx: RequestContext, name: string, fields: Partial<DomainRecord>): DomainRecord {
  const domainName = name.toLowerCase();
  if (domainRecords(ctx.store).has(domainName)) throw conflict('The domain name you provided already exists.');
  const d: DomainRecord = {
    domainName,
    account: ctx.account,
    region: ctx.region,
    created: ctx.clock.now(),
    regionalId: `d-${newId(10)}`,
    distributionId: `d${newId(13)}`,
    endpointType: 'REGIONAL',
    securityPolicy: 'TLS_1_2',
    mappings: [],
    ...fields,
  };
  saveDomain(ctx, d);
  return d;
}

/** Whether a REST API of that id exists here (HTTP API mappings may name either kind). */
export function restApiExists(ctx: RequestContext, apiId: string): boolean {
  return scoped(ctx.store, { account: ctx.account, region: ctx.region }, 'rest-apis').has(apiId);
}

export function restStageExists(ctx: RequestContext, apiId: string, stage: string): boolean {
  return scoped<StageRecord>(ctx.store, { account: ctx.account, region: ctx.region }, 'stages').has(`${apiId}/${stage}`);
}

export function domainView(d: DomainRecord): AG.DomainName {
  const edge = d.endpointType === 'EDGE';
  return {
    domainName: d.domainName,
    certificateName: d.certificateName,
    certificateArn: d.certificateArn,
    certificateUploadDate: edge && d.certificateArn ? new Date(d.created) : undefined,
    regionalDomainName: edge ? undefined : regionalHost(d),
    regionalHostedZoneId: edge ? undefined : regionalZone(d.region),
    regionalCertificateName: d.regionalCertificateName,
    regionalCertificateArn: d.regionalCertificateArn,
    distributionDomainName: edge ? distributionHost(d) : undefined,
    distributionHostedZoneId: edge ? CLOUDFRONT_ZONE : undefined,
    endpointConfiguration: { types: [d.endpointType] },
    domainNameStatus: 'AVAILABLE',
    securityPolicy: d.securityPolicy as AG.SecurityPolicy,
    tags: d.tags,
    mutualTlsAuthentication: d.mutualTlsAuthentication,
    ownershipVerificationCertificateArn: d.ownershipVerificationCertificateArn,
  };
}

function endpointTypeOf(types: string[] | undefined): 'REGIONAL' | 'EDGE' {
  const type = types?.[0] ?? 'EDGE';
  if ((types?.length ?? 0) > 1 || (type !== 'REGIONAL' && type !== 'EDGE')) throw badRequest('Invalid EndpointTypes specified. Valid options are REGIONAL,EDGE');
  return type;
}

export const createDomainName: Handler<AG.CreateDomainNameRequest, AG.DomainName> = (input, ctx) => {
  const endpointType = endpointTypeOf(input.endpointConfiguration?.types);
  // Fogbank's wording (unconfirmed): AWS refuses a name without a certificate for its endpoint type.
  if (endpointType === 'REGIONAL' && !input.regionalCertificateArn && !input.regionalCertificateName) throw badRequest('A regional certificate is required for a REGIONAL domain name.');
  if (endpointType === 'EDGE' && !input.certificateArn && !input.certificateName && !input.certificateBody) throw badRequest('A certificate is required for an EDGE domain name.');
  const d = newDomain(ctx, input.domainName!, {
    endpointType,
    certificateArn: input.certificateArn,
    certificateName: input.certificateName,
    regionalCertificateArn: input.regionalCertificateArn,
    regionalCertificateName: input.regionalCertificateName,
    securityPolicy: input.securityPolicy ?? 'TLS_1_2',
    ownershipVerificationCertificateArn: input.ownershipVerificationCertificateArn,
    mutualTlsAuthentication: input.mutualTlsAuthentication?.truststoreUri ? { ...input.mutualTlsAuthentication } : undefined,
    tags: input.tags && Object.keys(input.tags).length ? input.tags : undefined,
  });
  return domainView(d);
};

export const getDomainName: Handler<AG.GetDomainNameRequest, AG.DomainName> = (input, ctx) => domainView(findDomain(ctx, input.domainName!));

export const getDomainNames: Handler<AG.GetDomainNamesRequest, AG.DomainNames> = (input, ctx) => {
  const page = paginate(listDomains(ctx), (d) => d.domainName, input.limit ?? 25, input.position, () => badRequest('Invalid position parameter'));
  return { items: page.items.map(domainView), position: page.nextToken };
};

const DOMAIN_PATCH: PatchSpec = {
  rules: [
    { path: '/certificateName', ops: ['replace'] },
    { path: '/certificateArn', ops: ['replace'] },
    { path: '/regionalCertificateName', ops: ['replace'] },
    { path: '/regionalCertificateArn', ops: ['replace'] },
    { path: '/securityPolicy', ops: ['replace'] },
    { path: '/endpointConfiguration/types/*', ops: ['replace'], kind: 'list-item', field: 'endpointTypes' },
  ],
  ...plainErrors,
};

export const updateDomainName: Handler<AG.UpdateDomainNameRequest, AG.DomainName> = (input, ctx) => {
  const d = findDomain(ctx, input.domainName!);
  const patched = applyPatch({ ...d, endpointTypes: [d.endpointType] } as DomainRecord & { endpointTypes: string[] }, input.patchOperations, DOMAIN_PATCH);
  const { endpointTypes, ...updated } = patched;
  updated.endpointType = endpointTypeOf(endpointTypes);
  if (updated.securityPolicy !== 'TLS_1_0' && updated.securityPolicy !== 'TLS_1_2') throw badRequest(`Invalid security policy specified: ${updated.securityPolicy}`);
  saveDomain(ctx, updated);
  return domainView(updated);
};

export const deleteDomainName: Handler<AG.DeleteDomainNameRequest, Record<string, never>> = (input, ctx) => {
  deleteDomainRecord(ctx, findDomain(ctx, input.domainName!));
  return {};
};

// Base path mappings: the shared mappings in apigateway's shape.

const basePathOf = (m: MappingRecord) => m.key || '(none)';
const mappingView = (m: MappingRecord): AG.BasePathMapping => ({ basePath: basePathOf(m), restApiId: m.apiId, stage: m.stage ?? '(none)' });

/** A base path as given: '(none)' or empty is the root; slashes around it do not count. */
function keyOf(basePath: string | undefined): string {
  const key = (basePath ?? '').replace(/^\/+|\/+$/g, '');
  return key === '(none)' ? '' : key;
}

function findMapping(ctx: RequestContext, domainName: string, basePath: string): { d: DomainRecord; m: MappingRecord } {
  const d = findDomain(ctx, domainName);
  const key = keyOf(decodeURIComponentSafe(basePath));
  const m = d.mappings.find((x) => x.key === key);
  if (!m) throw notFound('Invalid base path mapping identifier specified');
  return { d, m };
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The conflicts AWS answers when a mapping's key is taken (or the root is, or would shadow others). */
export function checkKeyFree(d: DomainRecord, key: string, except: MappingRecord | undefined, taken: string): void {
  const others = d.mappings.filter((m) => m !== except);
  if (others.some((m) => m.key === key)) throw conflict(taken);
}

function checkTarget(ctx: RequestContext, restApiId: string, stage: string | undefined): void {
  if (!restApiExists(ctx, restApiId)) throw badRequest('Invalid REST API identifier specified');
  if (stage !== undefined && !restStageExists(ctx, restApiId, stage)) throw badRequest('Invalid stage identifier specified');
}

export const createBasePathMapping: Handler<AG.CreateBasePathMappingRequest, AG.BasePathMapping> = (input, ctx) => {
  const d = findDomain(ctx, input.domainName!);
  const key = keyOf(input.basePath);
  const stage = input.stage && input.stage !== '(none)' ? input.stage : undefined;
  checkTarget(ctx, input.restApiId!, stage);
  // REST base path mappings: a root mapping stands alone.
  if ((key === '' && d.mappings.length) || d.mappings.some((x) => x.key === '')) throw conflict('Only one base path mapping is allowed if the base path is empty.');
  checkKeyFree(d, key, undefined, 'Base path already exists for this domain name');
  const m: MappingRecord = { id: newId(6), key, apiId: input.restApiId!, stage };
  d.mappings.push(m);
  saveDomain(ctx, d);
  return mappingView(m);
};

export const getBasePathMapping: Handler<AG.GetBasePathMappingRequest, AG.BasePathMapping> = (input, ctx) => mappingView(findMapping(ctx, input.domainName!, input.basePath!).m);

export const getBasePathMappings: Handler<AG.GetBasePathMappingsRequest, AG.BasePathMappings> = (input, ctx) => {
  const d = findDomain(ctx, input.domainName!);
  const sorted = [...d.mappings].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const page = paginate(sorted, (m) => basePathOf(m), input.limit ?? 25, input.position, () => badRequest('Invalid position parameter'));
  return { items: page.items.map(mappingView), position: page.nextToken };
};

const MAPPING_PATCH: PatchSpec = {
  rules: [
    { path: '/basePath', ops: ['replace'] },
    { path: '/restapiId', ops: ['replace'], field: 'restApiId' },
    { path: '/stage', ops: ['replace'] },
  ],
  ...plainErrors,
};

export const updateBasePathMapping: Handler<AG.UpdateBasePathMappingRequest, AG.BasePathMapping> = (input, ctx) => {
  const { d, m } = findMapping(ctx, input.domainName!, input.basePath!);
  const patched = applyPatch(mappingView(m), input.patchOperations, MAPPING_PATCH);
  const key = keyOf(patched.basePath);
  const stage = patched.stage && patched.stage !== '(none)' ? patched.stage : undefined;
  checkTarget(ctx, patched.restApiId!, stage);
  if (key === '' && d.mappings.length > 1) throw conflict('Only one base path mapping is allowed if the base path is empty.');
  checkKeyFree(d, key, m, 'Base path already exists for this domain name');
  Object.assign(m, { key, apiId: patched.restApiId!, stage });
  saveDomain(ctx, d);
  return mappingView(m);
};

export const deleteBasePathMapping: Handler<AG.DeleteBasePathMappingRequest, Record<string, never>> = (input, ctx) => {
  const { d, m } = findMapping(ctx, input.domainName!, input.basePath!);
  d.mappings = d.mappings.filter((x) => x !== m);
  saveDomain(ctx, d);
  return {};
};
