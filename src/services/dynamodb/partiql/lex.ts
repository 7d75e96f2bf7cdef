// PartiQL's tokens: words, "quoted names", 'text', numbers and punctuation.

import { ServiceError } from '../../../errors.js';
import { validation } from '../errors.js';

export type Token = { kind: 'word' | 'ident' | 'string' | 'number' | 'punct'; text: string };

export function syntaxError(detail: string): ServiceError {
  return validation(`Statement wasn't well formed, can't be processed: ${detail}`);
}

const PUNCT = ['<<', '>>', '<>', '!=', '<=', '>=', '(', ')', '[', ']', '{', '}', ',', '.', ':', '?', '*', '=', '<', '>', '+', '-'];

export function lex(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "'" || c === '"') {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= text.length) throw syntaxError('unterminated quoted text');
        if (text[j] === c) {
          if (text[j + 1] === c) {
            value += c;
            j += 2;
            continue;
          }
          break;
        }
        value += text[j++];
      }
      tokens.push({ kind: c === "'" ? 'string' : 'ident', text: value });
      i = j + 1;
      continue;
    }
    const number = /^\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (number) {
      tokens.push({ kind: 'number', text: number[0] });
      i += number[0].length;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
    if (word) {
      tokens.push({ kind: 'word', text: word[0] });
      i += word[0].length;
      continue;
    }
    const punct = PUNCT.find((p) => text.startsWith(p, i));
    if (!punct) throw syntaxError(`unexpected character ${c}`);
    tokens.push({ kind: 'punct', text: punct });
    i += punct.length;
  }
  return tokens;
}

