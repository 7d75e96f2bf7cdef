// Custom domain names, as both API Gateway control planes (apigateway's base path mappings,
// apigatewayv2's API mappings) and the edge see them. AWS keeps one set of domain names for both
// services, so one record serves both shapes. Records live in one account-wide collection keyed by
// the lower-cased host name: a request carries only its Host header, and one port routes each name
// to one place, so a name is unique across Fogbank's accounts and regions.
// The edge asks isCustomDomain for every request that no other data plane claimed: the answer
// comes from a Set kept in memory per store (loaded once, dropped on every write and store reset),
// so requests for anything else cost one Set lookup. This module stays small: the edge loads it.

import type { Store } from '../../store/store.js';

export interface MappingRecord {
  /** apigatewayv2's ApiMappingId. */
  id: string;
  /** The base path / API mapping key, '' for the root ('(none)' in apigateway's shape). */
  key: string;
  apiId: string;
  /** Absent: callers name the stage after the base path (apigateway's stage '(none)'). */
  stage?: string;
}

export interface DomainRecord {
  domainName: string;
  account: string;
  region: string;
  created: number;
  /** The d-xxxxxxxxxx id of the regional (or edge) API Gateway domain name. */
  regionalId: string;
  /** The CloudFront distribution's id for EDGE names (its d111111abcdef8.cloudfront.net host). */
  distributionId: string;
  endpointType: 'REGIONAL' | 'EDGE';
  certificateArn?: string;
  certificateName?: string;
  regionalCertificateArn?: string;
  regionalCertificateName?: string;
  securityPolicy: string;
  ownershipVerificationCertificateArn?: string;
  mutualTlsAuthentication?: { truststoreUri?: string; truststoreVersion?: string };
  tags?: Record<string, string>;
  mappings: MappingRecord[];
}

export function domainRecords(store: Store) {
  return store.collection<DomainRecord>('apigateway', 'domain-names', { account: '', region: '' });
}

const hostsByStore = new WeakMap<Store, Set<string>>();
const watched = new WeakSet<Store>();

function hostsOf(store: Store): Set<string> {
  let hosts = hostsByStore.get(store);
  if (!hosts) {
    hosts = new Set(domainRecords(store).list().map(([name]) => name));
    hostsByStore.set(store, hosts);
    if (!watched.has(store)) {
      watched.add(store);
      store.onReset(() => hostsByStore.delete(store));
    }
  }
  return hosts;
}

/** Called after every write of a domain record: the next request reloads the names. */
export function domainsChanged(store: Store): void {
  hostsByStore.delete(store);
}

/** The configured domain name a Host header names (lower-cased, without its port), if any. */
export function customDomainOf(store: Store, host: string): string | undefined {
  const hosts = hostsOf(store);
  if (hosts.size === 0) return undefined;
  const colon = host.lastIndexOf(':');
  const name = (colon >= 0 && !host.endsWith(']') ? host.slice(0, colon) : host).toLowerCase();
  return hosts.has(name) ? name : undefined;
}
