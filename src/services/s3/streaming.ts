// Which requests S3 takes as an unread stream: object uploads (PutObject, UploadPart), whose
// bodies may be far larger than the edge buffers. Asked of PUTs before routing (and before the
// virtual-host rewrite), so it reads the path and host itself. Everything else with a body is a
// small XML document the codec parses.

import type { WireRequest } from '../../protocols/wire.js';
import { bucketFromHost } from './virtual-host.js';

/** Query parameters an upload may carry; any other names a subresource (?tagging, ?acl...). */
const UPLOAD_QUERY = /^(partNumber|uploadId|x-id|X-Amz-.*|AWSAccessKeyId|Signature|Expires)$/;

export function streamsUpload(req: WireRequest): boolean {
  if (req.method !== 'PUT' || req.headers['x-amz-copy-source'] !== undefined) return false;
  if (!req.query.every(([name]) => UPLOAD_QUERY.test(name))) return false;
  const segments = req.path.split('/').filter((s) => s !== '');
  // Path style needs a bucket and a key; virtual-hosted style has the bucket in the host.
  return bucketFromHost(req.headers['host']) ? segments.length >= 1 : segments.length >= 2;
}
