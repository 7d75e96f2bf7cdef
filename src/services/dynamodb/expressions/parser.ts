// A recursive-descent parser for DynamoDB's three expression grammars: conditions (also key
// conditions and filters), update expressions, and projections. Parsed trees are cached by
// expression text; syntax errors carry AWS's "token ... near ..." message.

import {
  ExpressionError,
  isKeyword,
  syntaxError,
  tokenize,
  type CallNode,
  type Comparator,
  type ConditionNode,
  type OperandNode,
  type PathNode,
  type RawStep,
  type Token,
  type UpdateAction,
  type UpdateTree,
} from './syntax.js';

const COMPARATORS = new Set(['=', '<>', '<', '<=', '>', '>=']);

class Parser {
  private pos = 0;
  redundantParens = false;

  constructor(
    private readonly source: string,
    private readonly tokens: Token[] = tokenize(source),
  ) {}

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)]!;
  }

  private fail(): never {
    throw syntaxError(this.source, this.tokens, Math.min(this.pos, this.tokens.length - 1));
  }

  private isPunct(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'punct' && t.text === text;
  }

  private expectPunct(text: string): void {
    if (!this.isPunct(text)) this.fail();
    this.pos++;
  }

  expectEnd(): void {
    if (this.peek().kind !== 'eof') this.fail();
  }

  /** Index of the ')' matching the '(' at `open`, or -1. */
  private matching(open: number): number {
    let depth = 0;
    for (let i = open; i < this.tokens.length; i++) {
      const t = this.tokens[i]!;
      if (t.kind !== 'punct') continue;
      if (t.text === '(') depth++;
      else if (t.text === ')' && --depth === 0) return i;
    }
    return -1;
  }

  // ---- Conditions ------------------------------------------------------------------------

  condition(): ConditionNode {
    let left = this.conjunction();
    while (isKeyword(this.peek(), 'OR')) {
      this.pos++;
      left = { kind: 'or', args: [left, this.conjunction()] };
    }
    return left;
  }

  private conjunction(): ConditionNode {
    let left = this.negation();
    while (isKeyword(this.peek(), 'AND')) {
      this.pos++;
      left = { kind: 'and', args: [left, this.negation()] };
    }
    return left;
  }

  private negation(): ConditionNode {
    if (isKeyword(this.peek(), 'NOT')) {
      this.pos++;
      return { kind: 'not', arg: this.negation() };
    }
    return this.primary();
  }

  private primary(): ConditionNode {
    if (this.isPunct('(')) {
      const close = this.matching(this.pos);
      const after = close >= 0 ? this.tokens[close + 1] : undefined;
      const operandFollows = after && ((after.kind === 'punct' && COMPARATORS.has(after.text)) || isKeyword(after, 'BETWEEN') || isKeyword(after, 'IN'));
      if (!operandFollows) {
        if (close >= 0 && this.isPunct('(', 1) && this.matching(this.pos + 1) === close - 1) this.redundantParens = true;
        this.pos++;
        const inner = this.condition();
        this.expectPunct(')');
        return inner;
      }
    }
    return this.comparison();
  }

  private comparison(): ConditionNode {
    const first = this.operand();
    const t = this.peek();
    if (t.kind === 'punct' && COMPARATORS.has(t.text)) {
      this.pos++;
      return { kind: 'compare', op: t.text as Comparator, args: [first, this.operand()] };
    }
    if (isKeyword(t, 'BETWEEN')) {
      this.pos++;
      const low = this.operand();
      if (!isKeyword(this.peek(), 'AND')) this.fail();
      this.pos++;
      return { kind: 'between', args: [first, low, this.operand()] };
    }
    if (isKeyword(t, 'IN')) {
      this.pos++;
      this.expectPunct('(');
      const list = this.operandList();
      this.expectPunct(')');
      return { kind: 'in', args: [first, ...list] };
    }
    if (first.kind === 'call') return first;
    if (first.kind === 'path' || first.kind === 'value') this.fail();
    return { kind: 'operand', operand: first };
  }

  // ---- Operands ----------------------------------------------------------------------------

  private operandList(): OperandNode[] {
    const list = [this.operand()];
    while (this.isPunct(',')) {
      this.pos++;
      list.push(this.operand());
    }
    return list;
  }

  operand(): OperandNode {
    const t = this.peek();
    if (t.kind === 'punct' && t.text === '(') {
      if (this.isPunct('(', 1) && this.matching(this.pos + 1) === this.matching(this.pos) - 1) this.redundantParens = true;
      this.pos++;
      const inner = this.operand();
      this.expectPunct(')');
      return inner;
    }
    if (t.kind === 'value') {
      this.pos++;
      return { kind: 'value', ref: t.text };
    }
    if (t.kind === 'word' && !isKeyword(t) && this.isPunct('(', 1)) {
      this.pos += 2;
      const call: CallNode = { kind: 'call', name: t.text, args: this.operandList() };
      this.expectPunct(')');
      return call;
    }
    return this.path();
  }

  path(): PathNode {
    const steps: RawStep[] = [this.pathName()];
    for (;;) {
      if (this.isPunct('.')) {
        this.pos++;
        steps.push(this.pathName());
      } else if (this.isPunct('[')) {
        this.pos++;
        const t = this.peek();
        if (t.kind !== 'number') this.fail();
        this.pos++;
        this.expectPunct(']');
        steps.push({ index: Number(t.text) });
      } else {
        return { kind: 'path', steps };
      }
    }
  }

  private pathName(): RawStep {
    const t = this.peek();
    if (t.kind === 'name') {
      this.pos++;
      return { ref: t.text };
    }
    if (t.kind === 'word' && !isKeyword(t)) {
      this.pos++;
      return { name: t.text };
    }
    this.fail();
  }

  // ---- Update expressions -----------------------------------------------------------------

  update(): UpdateTree {
    const tree: UpdateTree = { actions: [] };
    const seen = new Set<string>();
    do {
      const t = this.peek();
      const section = t.kind === 'word' ? t.text.toUpperCase() : '';
      if (section !== 'SET' && section !== 'REMOVE' && section !== 'ADD' && section !== 'DELETE') this.fail();
      this.pos++;
      if (seen.has(section)) tree.repeatedSection ??= section;
      seen.add(section);
      tree.actions.push(this.updateAction(section));
      while (this.isPunct(',')) {
        this.pos++;
        tree.actions.push(this.updateAction(section));
      }
    } while (this.peek().kind !== 'eof');
    return tree;
  }

  private updateAction(section: 'SET' | 'REMOVE' | 'ADD' | 'DELETE'): UpdateAction {
    const path = this.path();
    if (section === 'REMOVE') return { kind: 'REMOVE', path };
    if (section === 'SET') {
      this.expectPunct('=');
      return { kind: 'SET', path, value: this.setValue() };
    }
    const t = this.peek();
    if (t.kind !== 'value') this.fail();
    this.pos++;
    return { kind: section, path, value: { kind: 'value', ref: t.text } };
  }

  private setValue(): OperandNode {
    const left = this.setTerm();
    if (this.isPunct('+') || this.isPunct('-')) {
      const op = this.peek().text as '+' | '-';
      this.pos++;
      return { kind: op, args: [left, this.setTerm()] };
    }
    return left;
  }

  private setTerm(): OperandNode {
    if (this.isPunct('(')) {
      this.pos++;
      const inner = this.setValue();
      this.expectPunct(')');
      return inner;
    }
    return this.operand();
  }

  // ---- Projections --------------------------------------------------------------------------

  projection(): PathNode[] {
    const paths = [this.path()];
    while (this.isPunct(',')) {
      this.pos++;
      paths.push(this.path());
    }
    return paths;
  }
}

export interface Parsed<T> {
  tree: T;
  redundantParens: boolean;
}

type Cached = { ok: Parsed<unknown> } | { error: string };
const cache = new Map<string, Cached>();
const CACHE_LIMIT = 2000;

function cached<T>(kind: string, source: string, parse: (p: Parser) => T): Parsed<T> {
  const key = kind + '\u0000' + source;
  let entry = cache.get(key);
  if (!entry) {
    if (source === '') {
      entry = { error: 'The expression can not be empty;' };
    } else {
      try {
        const parser = new Parser(source);
        const tree = parse(parser);
        parser.expectEnd();
        entry = { ok: { tree, redundantParens: parser.redundantParens } };
      } catch (error) {
        if (!(error instanceof ExpressionError)) throw error;
        entry = { error: error.message };
      }
    }
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, entry);
  }
  if ('error' in entry) throw new ExpressionError(entry.error);
  return entry.ok as Parsed<T>;
}

export function parseCondition(source: string): Parsed<ConditionNode> {
  return cached('c', source, (p) => p.condition());
}

export function parseUpdate(source: string): Parsed<UpdateTree> {
  return cached('u', source, (p) => p.update());
}

export function parseProjection(source: string): Parsed<PathNode[]> {
  return cached('p', source, (p) => p.projection());
}
