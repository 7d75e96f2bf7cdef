// ListSecrets and BatchGetSecretValue filters, as AWS documents and answers them:
//   name, tag-key, tag-value, primary-region, owning-service: prefix match, case-sensitive;
//   description: each word of the value must begin a word of the description, any case;
//   all: the same word match across name, description, tag keys and tag values.
// A value starting with "!" negates it. A filter matches when any of its values does; every
// filter must match.

import type * as SM from '@aws-sdk/client-secrets-manager';
import { invalidParameter } from './errors.js';
import type { SecretRecord } from './state.js';

type Matcher = (secret: SecretRecord, value: string) => boolean;

function words(text: string): string[] {
  return text.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
}

/** Every word of the value begins some word of one of the texts. */
function wordsMatch(texts: string[], value: string): boolean {
  const wanted = words(value);
  if (wanted.length === 0) return false;
  const have = texts.flatMap(words);
  return wanted.every((w) => have.some((h) => h.startsWith(w)));
}

function anyPrefix(texts: string[], value: string): boolean {
  return texts.some((t) => t.startsWith(value));
}

const MATCHERS: Record<string, Matcher> = {
  name: (s, v) => s.name.startsWith(v),
  description: (s, v) => (s.description ? wordsMatch([s.description], v) : false),
  'tag-key': (s, v) => anyPrefix((s.tags ?? []).map((t) => t.Key), v),
  'tag-value': (s, v) => anyPrefix((s.tags ?? []).map((t) => t.Value), v),
  // Fogbank does not replicate secrets, and no other service owns one yet: AWS reports neither
  // a PrimaryRegion nor an OwningService for such secrets, so these only ever match negated.
  'primary-region': () => false,
  'owning-service': () => false,
  all: (s, v) => wordsMatch([s.name, s.description ?? '', ...(s.tags ?? []).flatMap((t) => [t.Key, t.Value])], v),
};

/** Checks what the model does not: every filter has values. */
export function checkFilters(filters: SM.Filter[] | undefined): void {
  for (const f of filters ?? []) {
    if (!f.Values) throw invalidParameter(`Invalid filter values for key: ${f.Key}`);
  }
}

export function matchesFilters(secret: SecretRecord, filters: SM.Filter[] | undefined): boolean {
  return (filters ?? []).every((f) => {
    const match = MATCHERS[f.Key!];
    if (!match) return false;
    return (f.Values ?? []).some((value) => (value.startsWith('!') ? !match(secret, value.slice(1)) : match(secret, value)));
  });
}
