// Tag rules S3 checks for buckets (50 tags) and objects (10 tags), and the x-amz-tagging header's
// URL-query form.

import { ServiceError } from '../../errors.js';
import type { Tag } from '../common/tags.js';

const invalidTag = (message: string, fields: Record<string, string> = {}) => new ServiceError('InvalidTag', message, { fields });

export function checkTags(tags: Tag[], kind: 'bucket' | 'object'): Tag[] {
  const limit = kind === 'object' ? 10 : 50;
  if (tags.length > limit) throw invalidTag(kind === 'object' ? 'Object tags cannot be greater than 10' : 'Bucket tag count cannot be greater than 50');
  const seen = new Set<string>();
  for (const tag of tags) {
    const key = tag.Key ?? '';
    const value = tag.Value ?? '';
    if (seen.has(key)) throw invalidTag('Cannot provide multiple Tags with the same key', { TagKey: key });
    seen.add(key);
    if (key.length < 1 || key.length > 128) throw invalidTag('The TagKey you have provided is invalid', { TagKey: key });
    if (value.length > 256) throw invalidTag('The TagValue you have provided is invalid', { TagKey: key, TagValue: value });
    if (kind === 'bucket' && key.startsWith('aws:')) throw invalidTag('System tags cannot be added/updated by requester');
  }
  return tags.map((t) => ({ Key: t.Key, Value: t.Value ?? '' }));
}

/** x-amz-tagging: "k1=v1&k2=v2", URL-encoded. */
export function parseTaggingHeader(header: string | undefined): Tag[] | undefined {
  if (header === undefined) return undefined;
  const tags = [...new URLSearchParams(header)].map(([Key, Value]) => ({ Key, Value }));
  return checkTags(tags, 'object');
}
