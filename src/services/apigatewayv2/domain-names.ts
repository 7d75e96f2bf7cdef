// Custom domain names and API mappings in apigatewayv2's shapes (CreateDomainName ...
// DeleteApiMapping). AWS keeps one set of domain names for both API Gateway services: these read
// and write the record apigateway's domain names and base path mappings use
// (../apigateway/domain-hosts.ts, ../apigateway/domain-names.ts). A mapping may name an HTTP API
// or a REST API. Certificates are kept as given (Fogbank has no ACM).

import type * as AG2 from '@aws-sdk/client-apigatewayv2';
import { paginate } from '../common/pagination.js';
import type { Handler, RequestContext } from '../types.js';
import type { DomainRecord, MappingRecord } from '../apigateway/domain-hosts.js';
import { CLOUDFRONT_ZONE, checkKeyFree, deleteDomainRecord, distributionHost, findDomain, listDomains, newDomain, regionalHost, regionalZone, restApiExists, restStageExists, saveDomain } from '../apigateway/domain-names.js';
import { newId } from '../apigateway/state.js';
import { badRequest, conflict, httpApis, notFound, stages } from './state.js';

function configurationView(d: DomainRecord): AG2.DomainNameConfiguration {
  const edge = d.endpointType === 'EDGE';
  return {
    ApiGatewayDomainName: edge ? distributionHost(d) : regionalHost(d),
    CertificateArn: edge ? d.certificateArn : d.regionalCertificateArn,
    CertificateName: edge ? d.certificateName : d.regionalCertificateName,
    CertificateUploadDate: new Date(d.created),
    DomainNameStatus: 'AVAILABLE',
    EndpointType: d.endpointType,
    HostedZoneId: edge ? CLOUDFRONT_ZONE : regionalZone(d.region),
    SecurityPolicy: d.securityPolicy as AG2.SecurityPolicy,
    OwnershipVerificationCertificateArn: d.ownershipVerificationCertificateArn,
  };
}

function domainView(d: DomainRecord): AG2.GetDomainNameResponse {
  return {
    ApiMappingSelectionExpression: '$request.basepath',
    DomainName: d.domainName,
    DomainNameConfigurations: [configurationView(d)],
    MutualTlsAuthentication: d.mutualTlsAuthentication && { TruststoreUri: d.mutualTlsAuthentication.truststoreUri, TruststoreVersion: d.mutualTlsAuthentication.truststoreVersion },
    Tags: d.tags ?? {},
  };
}

/** The record's fields from a DomainNameConfiguration (one only: HTTP APIs have no multi-endpoint names). */
function fromConfigurations(configurations: AG2.DomainNameConfiguration[] | undefined, current?: DomainRecord): Partial<DomainRecord> {
  if (!configurations?.length) return {};
  if (configurations.length > 1) throw badRequest('Only one domain name configuration is supported.');
  const c = configurations[0]!;
  const endpointType = c.EndpointType ?? current?.endpointType ?? 'REGIONAL';
  if (endpointType !== 'REGIONAL' && endpointType !== 'EDGE') throw badRequest(`Invalid endpoint type: ${String(endpointType)}`);
  const cert = endpointType === 'EDGE' ? { certificateArn: c.CertificateArn, certificateName: c.CertificateName } : { regionalCertificateArn: c.CertificateArn, regionalCertificateName: c.CertificateName };
  return { endpointType, ...cert, securityPolicy: c.SecurityPolicy ?? current?.securityPolicy ?? 'TLS_1_2', ownershipVerificationCertificateArn: c.OwnershipVerificationCertificateArn };
}

export const createDomainName: Handler<AG2.CreateDomainNameRequest, AG2.CreateDomainNameResponse> = (input, ctx) => {
  const mtls = input.MutualTlsAuthentication?.TruststoreUri ? { truststoreUri: input.MutualTlsAuthentication.TruststoreUri, truststoreVersion: input.MutualTlsAuthentication.TruststoreVersion } : undefined;
  const d = newDomain(ctx, input.DomainName!, { ...fromConfigurations(input.DomainNameConfigurations), mutualTlsAuthentication: mtls, tags: input.Tags && Object.keys(input.Tags).length ? input.Tags : undefined });
  return domainView(d);
};

export const getDomainName: Handler<AG2.GetDomainNameRequest, AG2.GetDomainNameResponse> = (input, ctx) => domainView(findDomain(ctx, input.DomainName!));

export const getDomainNames: Handler<AG2.GetDomainNamesRequest, AG2.GetDomainNamesResponse> = (input, ctx) => {
  const page = paginate(listDomains(ctx), (d) => d.domainName, Number(input.MaxResults ?? 100), input.NextToken, () => badRequest('Invalid NextToken'));
  return { Items: page.items.map(domainView) as AG2.DomainName[], NextToken: page.nextToken };
};

export const updateDomainName: Handler<AG2.UpdateDomainNameRequest, AG2.UpdateDomainNameResponse> = (input, ctx) => {
  const d = findDomain(ctx, input.DomainName!);
  const updated: DomainRecord = { ...d, ...fromConfigurations(input.DomainNameConfigurations, d) };
  if (input.MutualTlsAuthentication) updated.mutualTlsAuthentication = { truststoreUri: input.MutualTlsAuthentication.TruststoreUri, truststoreVersion: input.MutualTlsAuthentication.TruststoreVersion };
  saveDomain(ctx, updated);
  return domainView(updated);
};

export const deleteDomainName: Handler<AG2.DeleteDomainNameRequest, Record<string, never>> = (input, ctx) => {
  deleteDomainRecord(ctx, findDomain(ctx, input.DomainName!));
  return {};
};

const mappingView = (m: MappingRecord): AG2.GetApiMappingResponse => ({ ApiId: m.apiId, ApiMappingId: m.id, ApiMappingKey: m.key, Stage: m.stage ?? '' });
const keyOf = (key: string | undefined) => (key ?? '').replace(/^\/+|\/+$/g, '');
const TAKEN = 'ApiMapping key already exists for this domain name';

/** The API (HTTP or REST) and stage a mapping names, checked as they exist now. */
function checkTarget(ctx: RequestContext, apiId: string, stage: string): void {
  if (httpApis(ctx).has(apiId)) {
    if (!stages(ctx).has(`${apiId}/${stage}`)) throw notFound(`Invalid stage identifier specified`);
  } else if (restApiExists(ctx, apiId)) {
    if (!restStageExists(ctx, apiId, stage)) throw notFound(`Invalid stage identifier specified`);
  } else {
    throw notFound(`Invalid API identifier specified ${ctx.account}:${apiId}`);
  }
}

function findMapping(ctx: RequestContext, domainName: string, id: string) {
  const d = findDomain(ctx, domainName);
  const m = d.mappings.find((x) => x.id === id);
  // Unconfirmed wording.
  if (!m) throw notFound('Invalid mapping identifier specified');
  return { d, m };
}

export const createApiMapping: Handler<AG2.CreateApiMappingRequest, AG2.CreateApiMappingResponse> = (input, ctx) => {
  const d = findDomain(ctx, input.DomainName!);
  const key = keyOf(input.ApiMappingKey);
  checkTarget(ctx, input.ApiId!, input.Stage!);
  checkKeyFree(d, key, undefined, TAKEN);
  const m: MappingRecord = { id: newId(10), key, apiId: input.ApiId!, stage: input.Stage! };
  d.mappings.push(m);
  saveDomain(ctx, d);
  return mappingView(m);
};

export const getApiMapping: Handler<AG2.GetApiMappingRequest, AG2.GetApiMappingResponse> = (input, ctx) => mappingView(findMapping(ctx, input.DomainName!, input.ApiMappingId!).m);

export const getApiMappings: Handler<AG2.GetApiMappingsRequest, AG2.GetApiMappingsResponse> = (input, ctx) => {
  const d = findDomain(ctx, input.DomainName!);
  const sorted = [...d.mappings].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const page = paginate(sorted, (m) => m.id, Number(input.MaxResults ?? 100), input.NextToken, () => badRequest('Invalid NextToken'));
  return { Items: page.items.map(mappingView) as AG2.ApiMapping[], NextToken: page.nextToken };
};

export const updateApiMapping: Handler<AG2.UpdateApiMappingRequest, AG2.UpdateApiMappingResponse> = (input, ctx) => {
  const { d, m } = findMapping(ctx, input.DomainName!, input.ApiMappingId!);
  const key = input.ApiMappingKey !== undefined ? keyOf(input.ApiMappingKey) : m.key;
  const stage = input.Stage ?? m.stage;
  if (!stage) throw badRequest('Stage is required');
  checkTarget(ctx, input.ApiId!, stage);
  if (d.mappings.some((x) => x !== m && x.key === key)) throw conflict(TAKEN);
  Object.assign(m, { key, apiId: input.ApiId!, stage });
  saveDomain(ctx, d);
  return mappingView(m);
};

export const deleteApiMapping: Handler<AG2.DeleteApiMappingRequest, Record<string, never>> = (input, ctx) => {
  const { d, m } = findMapping(ctx, input.DomainName!, input.ApiMappingId!);
  d.mappings = d.mappings.filter((x) => x !== m);
  saveDomain(ctx, d);
  return {};
};
