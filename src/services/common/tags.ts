// Tags as most services take them: a list of { Key, Value } with AWS's limits.

import { ServiceError } from '../../errors.js';

export interface Tag {
  Key: string;
  Value: string;
}

export const MAX_TAGS = 50;

/** Merges new tags over existing ones (same key replaces), keeping AWS's order of first appearance. */
export function mergeTags(existing: Tag[], added: Tag[]): Tag[] {
  const merged = new Map(existing.map((t) => [t.Key, t.Value]));
  for (const t of added) merged.set(t.Key, t.Value ?? '');
  return [...merged].map(([Key, Value]) => ({ Key, Value }));
}

export function removeTags(existing: Tag[], keys: string[]): Tag[] {
  const drop = new Set(keys);
  return existing.filter((t) => !drop.has(t.Key));
}

export function checkTagCount(tags: Tag[], error: (message: string) => ServiceError): void {
  if (tags.length > MAX_TAGS) throw error(`Number of tags exceeds the limit of ${MAX_TAGS}.`);
}
