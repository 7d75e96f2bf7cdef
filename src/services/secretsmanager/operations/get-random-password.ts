// GetRandomPassword: letters, digits and AWS's 32 punctuation characters by default, with at
// least one character of every included type unless RequireEachIncludedType is false.

import type * as SM from '@aws-sdk/client-secrets-manager';
import { randomInt } from 'node:crypto';
import type { Handler } from '../../types.js';
import { invalidParameter } from '../errors.js';

const LOWERCASE = 'abcdefghijklmnopqrstuvwxyz';
const UPPERCASE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const NUMBERS = '0123456789';
const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
const DEFAULT_LENGTH = 32;

function pick(chars: string): string {
  return chars[randomInt(chars.length)]!;
}

/** Fisher–Yates, so required characters land anywhere in the password. */
function shuffle(chars: string[]): string[] {
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars;
}

export const getRandomPassword: Handler<SM.GetRandomPasswordRequest, SM.GetRandomPasswordResponse> = (input) => {
  const length = input.PasswordLength ?? DEFAULT_LENGTH;
  const excluded = new Set(input.ExcludeCharacters ?? '');
  const keep = (chars: string) => [...chars].filter((c) => !excluded.has(c)).join('');
  // The types the password may use, each after ExcludeCharacters took its share.
  const types = [
    input.ExcludeLowercase ? '' : keep(LOWERCASE),
    input.ExcludeUppercase ? '' : keep(UPPERCASE),
    input.ExcludeNumbers ? '' : keep(NUMBERS),
    input.ExcludePunctuation ? '' : keep(PUNCTUATION),
  ].filter(Boolean);
  const space = input.IncludeSpace ? keep(' ') : '';
  const all = types.join('') + space;
  if (all.length === 0) throw invalidParameter("The password can't be generated because every character type is excluded.");
  const required = (input.RequireEachIncludedType ?? true) ? types : [];
  if (length < required.length) throw invalidParameter('Password length is too short based on the required types.');
  const chars = required.map(pick);
  while (chars.length < length) chars.push(pick(all));
  return { RandomPassword: shuffle(chars).join('') };
};
