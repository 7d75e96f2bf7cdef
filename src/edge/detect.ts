// Which service a request is for, tried in a fixed order: X-Amz-Target; the SigV4 credential
// scope's service; a form body's Action and Version; then path and host rules. Unsigned requests
// still route wherever the target is unambiguous.

import { queryParams } from '../protocols/query.js';
import type { ProtocolName } from '../protocols/index.js';
import type { WireRequest } from '../protocols/wire.js';
import { SERVICES, SERVICES_BY_NAME, type ServiceDescriptor } from '../services/registry.js';
import type { Credential } from './auth.js';

export interface Detection {
  service: ServiceDescriptor;
  protocol: ProtocolName;
}

const byTargetPrefix = new Map(SERVICES.filter((s) => s.targetPrefix).map((s) => [s.targetPrefix!, s]));
const byQueryVersion = new Map(SERVICES.filter((s) => s.queryVersion).map((s) => [s.queryVersion!, s]));
const bySigningName = new Map<string, ServiceDescriptor[]>();
for (const s of SERVICES) bySigningName.set(s.signingName, [...(bySigningName.get(s.signingName) ?? []), s]);

/** Actions sent unsigned and without Version: the links in SNS's confirmation and notification messages. */
const UNVERSIONED_ACTIONS = new Map([
  ['ConfirmSubscription', SERVICES_BY_NAME.get('sns')!],
  ['Unsubscribe', SERVICES_BY_NAME.get('sns')!],
]);

/** Path prefixes of rest services that share no signing name with another. */
const PATH_RULES: Array<[RegExp, string]> = [
  [/^\/20\d\d-\d\d-\d\d\/(functions|event-source-mappings|layers|tags|account-settings|functions-url)/, 'lambda'],
  [/^\/v2\/(apis|domainnames|vpclinks|tags)/, 'apigatewayv2'],
  [/^\/(restapis|apikeys|usageplans|domainnames|clientcertificates|account|sdktypes|tags|vpclinks)(\/|$)/, 'apigateway'],
  [/^\/(schedules|schedule-groups)(\/|$)/, 'scheduler'],
  [/^\/\d{12}\/[^/]+\/?$/, 'sqs'],
];

const HOST_RULES: Array<[RegExp, string]> = [
  [/^sqs\.[a-z0-9-]+\./, 'sqs'],
  [/^(?:[^.]+\.)?s3[.-]/, 's3'],
];

function isForm(req: WireRequest): boolean {
  return (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
}

function withProtocol(service: ServiceDescriptor, req: WireRequest): Detection {
  // SQS also speaks the older query protocol; an Action in a form body or the URL says which.
  if (service.protocol === 'json' && service.queryVersion && (isForm(req) || req.query.some(([k]) => k === 'Action')) && queryParams(req).has('Action')) {
    return { service, protocol: 'query' };
  }
  return { service, protocol: service.protocol };
}

function byPath(req: WireRequest): ServiceDescriptor | undefined {
  for (const [pattern, name] of PATH_RULES) if (pattern.test(req.path)) return SERVICES_BY_NAME.get(name);
  return undefined;
}

export function detectService(req: WireRequest, credential: Credential): Detection {
  const target = req.headers['x-amz-target'];
  if (target) {
    const service = byTargetPrefix.get(target.slice(0, target.lastIndexOf('.')));
    if (service) return withProtocol(service, req);
  }
  if (credential.service) {
    const candidates = bySigningName.get(credential.service) ?? [];
    if (candidates.length === 1) return withProtocol(candidates[0]!, req);
    if (candidates.length > 1) {
      const fromPath = byPath(req);
      const chosen = candidates.find((c) => c === fromPath) ?? candidates[0]!;
      return withProtocol(chosen, req);
    }
  }
  if (isForm(req) || req.query.some(([k]) => k === 'Action')) {
    const params = queryParams(req);
    const version = params.get('Version');
    const service = version ? byQueryVersion.get(version) : UNVERSIONED_ACTIONS.get(params.get('Action') ?? '');
    if (service) return { service, protocol: 'query' };
  }
  const host = (req.headers['host'] ?? '').toLowerCase();
  for (const [pattern, name] of HOST_RULES) if (pattern.test(host)) return withProtocol(SERVICES_BY_NAME.get(name)!, req);
  const fromPath = byPath(req);
  if (fromPath) return withProtocol(fromPath, req);
  // As on LocalStack, whatever is left is S3 (path-style bucket and object requests).
  return { service: SERVICES_BY_NAME.get('s3')!, protocol: 'rest-xml' };
}
