// S3's general purpose bucket naming rules, checked on CreateBucket.

import { invalidBucketName } from './errors.js';

const FORBIDDEN_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const FORBIDDEN_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];

export function checkBucketName(name: string): void {
  const ok =
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name) &&
    !name.includes('..') &&
    !/^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name) &&
    !FORBIDDEN_PREFIXES.some((p) => name.startsWith(p)) &&
    !FORBIDDEN_SUFFIXES.some((s) => name.endsWith(s));
  if (!ok) throw invalidBucketName(name);
}
