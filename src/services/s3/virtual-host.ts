// Virtual-hosted-style addressing: the bucket is the first label of the Host header
// (bucket.s3.localhost.localstack.cloud:4566, bucket.s3.localhost:4566,
// bucket.s3.us-west-2.amazonaws.com). The edge routes such hosts to S3; this moves the bucket onto
// the path so the model's path-style URI templates match.

import type { WireRequest } from '../../protocols/wire.js';

const VIRTUAL_HOST = /^(.+?)\.s3(?:[.-][a-z0-9-]+)?\.(?:localhost\.localstack\.cloud|localhost|amazonaws\.com)$/;

export function bucketFromHost(host: string | undefined): string | undefined {
  if (!host) return undefined;
  const name = host.toLowerCase().replace(/:\d+$/, '');
  return VIRTUAL_HOST.exec(name)?.[1];
}

export function rewriteVirtualHost(req: WireRequest): void {
  const bucket = bucketFromHost(req.headers['host']);
  if (!bucket) return;
  req.path = `/${encodeURIComponent(bucket)}${req.path === '/' ? '' : req.path}`;
}
