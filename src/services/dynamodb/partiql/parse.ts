// PartiQL for DynamoDB, parsed into plain statements. WHERE and SET clauses are rewritten into
// DynamoDB's own expression language (names as #n, values as :v), so the statements run through
// the same expression parser and item operations as the JSON API, with the same checks.

import { validation } from '../errors.js';
import type { AttributeValue } from '../values.js';
import { syntaxError, type Token } from './lex.js';

/** An expression in DynamoDB's syntax with its names and values. */
export interface Translated {
  text: string;
  names: Record<string, string>;
  values: Record<string, unknown>;
}

export interface KeyEquality {
  name: string;
  value: unknown;
}

/** What a RETURNING clause asks for, as UpdateItem's and DeleteItem's ReturnValues. */
export type Returning = 'ALL_OLD' | 'UPDATED_OLD' | 'ALL_NEW' | 'UPDATED_NEW';

export type Statement =
  | { kind: 'select'; table: string; index?: string; projection?: Translated; where?: Where }
  | { kind: 'insert'; table: string; item: Record<string, unknown> }
  | { kind: 'update'; table: string; update: Translated; where?: Where; returning?: Returning }
  | { kind: 'delete'; table: string; where?: Where; returning?: Returning }
  /** EXISTS(SELECT ...): a transaction's condition check on one item. */
  | { kind: 'exists'; table: string; where?: Where };

/** A WHERE clause as top-level AND terms: `name = value` terms apart (candidate key parts). */
export interface Where {
  equalities: KeyEquality[];
  /** Each term's translation, in order, with whether it is one of the equalities. */
  terms: Array<{ translated: Translated; equality?: KeyEquality }>;
}

export class Parser {
  private at = 0;
  private names: Record<string, string> = {};
  private values: Record<string, unknown> = {};
  private counter = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly parameters: unknown[],
  ) {}

  private usedParameters = 0;

  peek(offset = 0): Token | undefined {
    return this.tokens[this.at + offset];
  }

  isWord(word: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t?.kind === 'word' && t.text.toUpperCase() === word;
  }

  isPunct(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t?.kind === 'punct' && t.text === text;
  }

  next(): Token {
    const t = this.tokens[this.at++];
    if (!t) throw syntaxError('unexpected end of statement');
    return t;
  }

  expectWord(word: string): void {
    if (!this.isWord(word)) throw syntaxError(`expected ${word}${this.peek() ? ` at ${this.peek()!.text}` : ''}`);
    this.at++;
  }

  expectPunct(text: string): void {
    if (!this.isPunct(text)) throw syntaxError(`expected ${text}${this.peek() ? ` at ${this.peek()!.text}` : ''}`);
    this.at++;
  }

  done(): boolean {
    return this.at >= this.tokens.length;
  }

  parameterCount(): number {
    return this.usedParameters;
  }

  identifier(): string {
    const t = this.next();
    if (t.kind !== 'word' && t.kind !== 'ident') throw syntaxError(`expected a name at ${t.text}`);
    return t.text;
  }

  /** A literal or parameter as an AttributeValue in wire form. */
  value(): unknown {
    const t = this.next();
    if (t.kind === 'punct' && t.text === '?') {
      if (this.usedParameters >= this.parameters.length) throw validation('Number of parameters in request and statement don\'t match.');
      return this.parameters[this.usedParameters++];
    }
    if (t.kind === 'string') return { S: t.text };
    if (t.kind === 'number') return { N: t.text };
    if (t.kind === 'punct' && t.text === '-' && this.peek()?.kind === 'number') return { N: `-${this.next().text}` };
    if (t.kind === 'word') {
      const word = t.text.toUpperCase();
      if (word === 'TRUE' || word === 'FALSE') return { BOOL: word === 'TRUE' };
      if (word === 'NULL') return { NULL: true };
    }
    if (t.kind === 'punct' && t.text === '{') {
      const map: Record<string, unknown> = {};
      while (!this.isPunct('}')) {
        const key = this.next();
        if (key.kind !== 'string' && key.kind !== 'ident') throw syntaxError(`expected an attribute name in quotes at ${key.text}`);
        this.expectPunct(':');
        map[key.text] = this.value();
        if (!this.isPunct('}')) this.expectPunct(',');
      }
      this.next();
      return { M: map };
    }
    if (t.kind === 'punct' && (t.text === '[' || t.text === '<<')) {
      const end = t.text === '[' ? ']' : '>>';
      const items: unknown[] = [];
      while (!this.isPunct(end)) {
        items.push(this.value());
        if (!this.isPunct(end)) this.expectPunct(',');
      }
      this.next();
      if (end === ']') return { L: items };
      const members = items as AttributeValue[];
      if (members.every((m) => m.S !== undefined)) return { SS: members.map((m) => m.S) };
      if (members.every((m) => m.N !== undefined)) return { NS: members.map((m) => m.N) };
      if (members.every((m) => (m as { B?: unknown }).B !== undefined)) return { BS: members.map((m) => (m as { B: unknown }).B) };
      throw syntaxError('a set holds strings, numbers or binaries of one type');
    }
    throw syntaxError(`unexpected ${t.text}`);
  }

  private nameRef(name: string): string {
    const ref = `#n${this.counter++}`;
    this.names[ref] = name;
    return ref;
  }

  private valueRef(value: unknown): string {
    const ref = `:v${this.counter++}`;
    this.values[ref] = value;
    return ref;
  }

  /** A document path (a.b[0]."c") in DynamoDB syntax. */
  path(): string {
    let out = this.nameRef(this.identifier());
    for (;;) {
      if (this.isPunct('.')) {
        this.next();
        out += `.${this.nameRef(this.identifier())}`;
      } else if (this.isPunct('[') && this.peek(1)?.kind === 'number') {
        this.next();
        out += `[${this.next().text}]`;
        this.expectPunct(']');
      } else return out;
    }
  }

  private startsValue(): boolean {
    const t = this.peek();
    if (!t) return false;
    if (t.kind === 'string' || t.kind === 'number') return true;
    if (t.kind === 'punct') return ['?', '{', '[', '<<', '-'].includes(t.text);
    return ['TRUE', 'FALSE', 'NULL'].includes(t.text.toUpperCase());
  }

  /** One operand: a function call, a path, a literal or a parenthesised expression. */
  private operand(): string {
    const t = this.peek();
    if (t?.kind === 'word' && this.isPunct('(', 1)) {
      const fn = this.next().text.toLowerCase();
      this.next();
      const args: string[] = [];
      while (!this.isPunct(')')) {
        args.push(this.arithmetic());
        if (!this.isPunct(')')) this.expectPunct(',');
      }
      this.next();
      return `${fn}(${args.join(', ')})`;
    }
    if (this.startsValue()) return this.valueRef(this.value());
    if (this.isPunct('(')) {
      this.next();
      const inner = this.condition();
      this.expectPunct(')');
      return `(${inner})`;
    }
    return this.path();
  }

  private arithmetic(): string {
    let out = this.operand();
    while (this.isPunct('+') || this.isPunct('-')) out += ` ${this.next().text} ${this.operand()}`;
    return out;
  }

  private comparison(): string {
    if (this.isWord('NOT')) {
      this.next();
      return `NOT ${this.comparison()}`;
    }
    const left = this.arithmetic();
    const t = this.peek();
    if (t?.kind === 'punct' && ['=', '<>', '!=', '<', '<=', '>', '>='].includes(t.text)) {
      this.next();
      return `${left} ${t.text === '!=' ? '<>' : t.text} ${this.arithmetic()}`;
    }
    if (this.isWord('BETWEEN')) {
      this.next();
      const low = this.arithmetic();
      this.expectWord('AND');
      return `${left} BETWEEN ${low} AND ${this.arithmetic()}`;
    }
    if (this.isWord('IN')) {
      this.next();
      const close = this.isPunct('[') ? ']' : ')';
      this.next();
      const items: string[] = [];
      while (!this.isPunct(close)) {
        items.push(this.valueRef(this.value()));
        if (!this.isPunct(close)) this.expectPunct(',');
      }
      this.next();
      return `${left} IN (${items.join(', ')})`;
    }
    if (this.isWord('IS')) {
      this.next();
      const negated = this.isWord('NOT') ? (this.next(), true) : false;
      this.expectWord('MISSING');
      return negated ? `attribute_exists(${left})` : `attribute_not_exists(${left})`;
    }
    return left;
  }

  private conjunction(): string {
    let out = this.comparison();
    while (this.isWord('AND')) {
      this.next();
      out += ` AND ${this.comparison()}`;
    }
    return out;
  }

  condition(): string {
    let out = this.conjunction();
    while (this.isWord('OR')) {
      this.next();
      out += ` OR ${this.conjunction()}`;
    }
    return out;
  }

  /** Whether two translated paths name the same attributes (each use gets its own #n reference). */
  samePath(a: string, b: string): boolean {
    const spell = (path: string) => path.replace(/#n\d+/g, (ref) => JSON.stringify(this.names[ref]));
    return spell(a) === spell(b);
  }

  /** Drops the name references a translated path made (a path read only to be compared). */
  forget(path: string): void {
    for (const ref of path.match(/#n\d+/g) ?? []) delete this.names[ref];
  }

  /** Takes what was translated since the last call. */
  take(text: string): Translated {
    const out = { text, names: this.names, values: this.values };
    this.names = {};
    this.values = {};
    return out;
  }

  where(): Where {
    const start = this.at;
    const used = this.usedParameters;
    const where: Where = { equalities: [], terms: [] };
    for (;;) {
      // `name = value` among top-level AND terms is a candidate key part.
      let equality: KeyEquality | undefined;
      if ((this.peek()?.kind === 'word' || this.peek()?.kind === 'ident') && this.isPunct('=', 1)) {
        const at = this.at;
        const before = this.usedParameters;
        const name = this.peek()!.text;
        this.at += 2;
        if (this.startsValue()) {
          const value = this.value();
          // The term ends there: at the end, before AND, RETURNING, or EXISTS's closing parenthesis.
          if (this.done() || this.isWord('AND') || this.isWord('RETURNING') || this.isPunct(')')) equality = { name, value };
        }
        this.at = at;
        this.usedParameters = before;
      }
      const text = this.comparison();
      where.terms.push({ translated: this.take(text), equality });
      if (equality) where.equalities.push(equality);
      if (!this.isWord('AND')) break;
      this.next();
    }
    if (this.isWord('OR')) {
      // An OR at the top: the clause is one term, fixing no key.
      this.at = start;
      this.usedParameters = used;
      this.take('');
      return { equalities: [], terms: [{ translated: this.take(this.condition()) }] };
    }
    return where;
  }
}

