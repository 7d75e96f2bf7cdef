// Raw HTTP for tests that must send what no SDK would: broken bodies, odd hosts, preflights.

import { request } from 'node:http';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export function rawRequest(endpoint: string, options: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer }): Promise<RawResponse> {
  const url = new URL(options.path ?? '/', endpoint);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

export const SIGNED = (service: string, region = 'us-east-1', accessKey = 'test') =>
  `AWS4-HMAC-SHA256 Credential=${accessKey}/20261127/${region}/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=0000`;

/** A JSON-protocol call as an SDK would send it. */
export function jsonCall(endpoint: string, target: string, body: string, extraHeaders: Record<string, string> = {}): Promise<RawResponse> {
  return rawRequest(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target, ...extraHeaders },
    body,
  });
}
