// The expression syntax tree and its tokenizer. Trees keep #name and :value references
// unresolved, so one parse serves every request that sends the same expression text.

export type Comparator = '=' | '<>' | '<' | '<=' | '>' | '>=';

/** One step of a document path as written: a bare name, a #name reference, or a list index. */
export type RawStep = { name: string } | { ref: string } | { index: number };

export interface PathNode {
  kind: 'path';
  steps: RawStep[];
}
export interface ValueNode {
  kind: 'value';
  ref: string;
}
export interface CallNode {
  kind: 'call';
  name: string;
  args: OperandNode[];
}
export interface ArithmeticNode {
  kind: '+' | '-';
  args: [OperandNode, OperandNode];
}
export type OperandNode = PathNode | ValueNode | CallNode | ArithmeticNode;

export type ConditionNode =
  | { kind: 'compare'; op: Comparator; args: [OperandNode, OperandNode] }
  | { kind: 'between'; args: [OperandNode, OperandNode, OperandNode] }
  | { kind: 'in'; args: OperandNode[] }
  | { kind: 'and' | 'or'; args: [ConditionNode, ConditionNode] }
  | { kind: 'not'; arg: ConditionNode }
  | CallNode
  /** An operand where a condition belongs (size(a) alone): rejected during analysis. */
  | { kind: 'operand'; operand: OperandNode };

export type UpdateAction =
  | { kind: 'SET'; path: PathNode; value: OperandNode }
  | { kind: 'REMOVE'; path: PathNode }
  | { kind: 'ADD' | 'DELETE'; path: PathNode; value: OperandNode };

export interface UpdateTree {
  actions: UpdateAction[];
  /** A section keyword seen twice (the first such). */
  repeatedSection?: string;
}

// ---- Tokens ------------------------------------------------------------------------------

export type TokenKind = 'word' | 'name' | 'value' | 'number' | 'punct' | 'invalid' | 'eof';

export interface Token {
  kind: TokenKind;
  text: string;
  start: number;
  end: number;
}

const PUNCT = ['<>', '<=', '>=', '(', ')', '[', ']', ',', '.', '=', '<', '>', '+', '-'];

function isWordStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function isWordPart(c: number): boolean {
  return isWordStart(c) || (c >= 48 && c <= 57);
}

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) {
      i++;
      continue;
    }
    const start = i;
    if (isWordStart(c)) {
      while (i < source.length && isWordPart(source.charCodeAt(i))) i++;
      tokens.push({ kind: 'word', text: source.slice(start, i), start, end: i });
    } else if ((c === 35 || c === 58) && i + 1 < source.length && isWordPart(source.charCodeAt(i + 1))) {
      i++;
      while (i < source.length && isWordPart(source.charCodeAt(i))) i++;
      tokens.push({ kind: c === 35 ? 'name' : 'value', text: source.slice(start, i), start, end: i });
    } else if (c >= 48 && c <= 57) {
      while (i < source.length && isWordPart(source.charCodeAt(i))) i++;
      const text = source.slice(start, i);
      tokens.push({ kind: /^\d+$/.test(text) ? 'number' : 'invalid', text, start, end: i });
    } else {
      const punct = PUNCT.find((p) => source.startsWith(p, i));
      if (punct) {
        i += punct.length;
        tokens.push({ kind: 'punct', text: punct, start, end: i });
      } else {
        const width = c >= 0xd800 && c <= 0xdbff ? 2 : 1;
        i += width;
        tokens.push({ kind: 'invalid', text: source.slice(start, i), start, end: i });
      }
    }
  }
  tokens.push({ kind: 'eof', text: '<EOF>', start: source.length, end: source.length });
  return tokens;
}

/** An error in an expression; the caller prefixes "Invalid <Kind>Expression: ". */
export class ExpressionError extends Error {}

/**
 * AWS's syntax error: the offending token, and the source from the token before it to the
 * token after it.
 */
export function syntaxError(source: string, tokens: Token[], at: number): ExpressionError {
  const token = tokens[at]!;
  const from = at > 0 ? tokens[at - 1]!.start : token.start;
  const next = tokens[at + 1];
  const to = next && next.kind !== 'eof' ? next.end : token.end;
  return new ExpressionError(`Syntax error; token: "${token.text}", near: "${source.slice(from, to)}"`);
}

const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'BETWEEN', 'IN']);

export function isKeyword(token: Token, word?: string): boolean {
  if (token.kind !== 'word') return false;
  const upper = token.text.toUpperCase();
  return word ? upper === word : KEYWORDS.has(upper);
}
