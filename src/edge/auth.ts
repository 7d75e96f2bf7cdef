// Reads who is calling and where from the request's signature. Fogbank does not verify
// signatures; it takes the access key, region and service from the SigV4 credential scope
// (header or presigned query), or the access key from a legacy SigV2 header.

import type { WireRequest } from '../protocols/wire.js';
import { queryValue } from '../protocols/wire.js';

export const DEFAULT_ACCOUNT = '000000000000';
export const DEFAULT_REGION = 'us-east-1';

export interface Credential {
  accessKeyId?: string;
  region?: string;
  service?: string;
}

const SIGV4_HEADER = /Credential=([^/,\s]+)\/\d{8}\/([^/,\s]+)\/([^/,\s]+)\/aws4_request/;
const SIGV2_HEADER = /^AWS ([^:\s]+):/;

export function readCredential(req: WireRequest): Credential {
  const authorization = req.headers['authorization'];
  if (authorization) {
    const v4 = SIGV4_HEADER.exec(authorization);
    if (v4) return { accessKeyId: v4[1], region: v4[2], service: v4[3] };
    const v2 = SIGV2_HEADER.exec(authorization);
    if (v2) return { accessKeyId: v2[1] };
  }
  const presigned = queryValue(req, 'X-Amz-Credential');
  if (presigned) {
    const [accessKeyId, , region, service] = presigned.split('/');
    return { accessKeyId, region, service };
  }
  const legacyKey = queryValue(req, 'AWSAccessKeyId');
  return legacyKey ? { accessKeyId: legacyKey } : {};
}

/** A 12-digit access key id is the account id itself (LocalStack's convention). */
export function accountFromAccessKey(accessKeyId: string | undefined): string | undefined {
  return accessKeyId && /^\d{12}$/.test(accessKeyId) ? accessKeyId : undefined;
}
