// Splits the inside of a JSON or space-delimited condition into tokens: parentheses, && and ||,
// comparison operators, "quoted strings", %regex% values and bare words (selectors, names, values).

import { invalidPattern, readQuoted, type Operator } from './values.js';

export type Token =
  | { type: 'paren'; value: '(' | ')' }
  | { type: 'logic'; value: '&&' | '||' }
  | { type: 'op'; value: Operator }
  | { type: 'word'; value: string; quoted: boolean };

const WORD_END = /[\s()=!<>&|"]/;

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const two = text.slice(i, i + 2);
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      tokens.push({ type: 'paren', value: c });
      i++;
    } else if (two === '&&' || two === '||') {
      tokens.push({ type: 'logic', value: two });
      i += 2;
    } else if (two === '!=' || two === '<=' || two === '>=') {
      tokens.push({ type: 'op', value: two });
      i += 2;
    } else if (c === '=' || c === '<' || c === '>') {
      tokens.push({ type: 'op', value: c });
      i++;
    } else if (c === '"') {
      const { value, end } = readQuoted(text, i);
      tokens.push({ type: 'word', value, quoted: true });
      i = end;
    } else if (c === '%') {
      const close = text.indexOf('%', i + 1);
      if (close < 0) throw invalidPattern();
      tokens.push({ type: 'word', value: text.slice(i, close + 1), quoted: false });
      i = close + 1;
    } else if (WORD_END.test(c)) {
      throw invalidPattern();
    } else {
      let j = i;
      while (j < text.length && !WORD_END.test(text[j]!)) j++;
      tokens.push({ type: 'word', value: text.slice(i, j), quoted: false });
      i = j;
    }
  }
  return tokens;
}

/** A cursor over tokens for the small recursive-descent parsers. */
export class Tokens {
  private index = 0;

  constructor(private readonly tokens: Token[]) {}

  peek(): Token | undefined {
    return this.tokens[this.index];
  }

  next(): Token {
    const token = this.tokens[this.index++];
    if (!token) throw invalidPattern();
    return token;
  }

  done(): boolean {
    return this.index >= this.tokens.length;
  }

  /** Consumes a bare word equal (case-insensitively) to the keyword, if it is next. */
  keyword(word: string): boolean {
    const token = this.peek();
    if (token?.type === 'word' && !token.quoted && token.value.toUpperCase() === word) {
      this.index++;
      return true;
    }
    return false;
  }
}
