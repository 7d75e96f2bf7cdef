// Tags as IAM keeps them. Roles, users and instance profiles treat keys without regard to case
// ("a" and "A" are one key); managed policies keep them apart. At most 50 per entity.

import { MAX_TAGS, mergeTags, removeTags, type Tag } from '../common/tags.js';
import { invalidInput, limitExceeded } from './errors.js';

export type KeyCase = 'insensitive' | 'sensitive';

const fold = (key: string, keyCase: KeyCase) => (keyCase === 'insensitive' ? key.toLowerCase() : key);

/** The tags given, with every Value present; refuses a repeated key as IAM does. */
export function tagsFromInput(tags: Array<{ Key?: string; Value?: string }> | undefined, keyCase: KeyCase): Tag[] {
  const list = (tags ?? []).map((t) => ({ Key: t.Key ?? '', Value: t.Value ?? '' }));
  const seen = new Set<string>();
  for (const tag of list) {
    const key = fold(tag.Key, keyCase);
    if (seen.has(key)) {
      throw invalidInput(keyCase === 'insensitive' ? 'Duplicate tag keys found. Please note that Tag keys are case insensitive.' : 'Duplicate tag keys found.');
    }
    seen.add(key);
  }
  return list;
}

/** Adds or replaces tags; the entity may not end up with more than 50. */
export function addTags(existing: Tag[], added: Tag[], keyCase: KeyCase): Tag[] {
  let merged: Tag[];
  if (keyCase === 'sensitive') {
    merged = mergeTags(existing, added);
  } else {
    merged = existing.map((t) => ({ ...t }));
    for (const tag of added) {
      const at = merged.findIndex((t) => fold(t.Key, keyCase) === fold(tag.Key, keyCase));
      if (at >= 0) merged[at] = tag;
      else merged.push(tag);
    }
  }
  if (merged.length > MAX_TAGS) throw limitExceeded('The number of tags has reached the maximum limit.');
  return merged;
}

export function dropTags(existing: Tag[], keys: string[], keyCase: KeyCase): Tag[] {
  if (keyCase === 'sensitive') return removeTags(existing, keys);
  const drop = new Set(keys.map((k) => fold(k, keyCase)));
  return existing.filter((t) => !drop.has(fold(t.Key, keyCase)));
}

/** List*Tags answers in key order. */
export function sortedTags(tags: Tag[]): Tag[] {
  return [...tags].sort((a, b) => (a.Key < b.Key ? -1 : a.Key > b.Key ? 1 : 0));
}
