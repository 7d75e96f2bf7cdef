// Boolean expressions of conditions joined by && and ||, with parentheses; && binds tighter, as
// AWS's filter patterns define. Used by JSON and space-delimited patterns alike.

import type { Tokens } from './lexer.js';
import { invalidPattern } from './values.js';

export type Expression<C> = { kind: 'and' | 'or'; left: Expression<C>; right: Expression<C> } | { kind: 'condition'; condition: C };

export function parseExpression<C>(tokens: Tokens, condition: (tokens: Tokens) => C): Expression<C> {
  const primary = (): Expression<C> => {
    const token = tokens.peek();
    if (token?.type === 'paren' && token.value === '(') {
      tokens.next();
      const inner = or();
      const close = tokens.next();
      if (close.type !== 'paren' || close.value !== ')') throw invalidPattern();
      return inner;
    }
    return { kind: 'condition', condition: condition(tokens) };
  };
  const and = (): Expression<C> => {
    let left = primary();
    for (let t = tokens.peek(); t?.type === 'logic' && t.value === '&&'; t = tokens.peek()) {
      tokens.next();
      left = { kind: 'and', left, right: primary() };
    }
    return left;
  };
  const or = (): Expression<C> => {
    let left = and();
    for (let t = tokens.peek(); t?.type === 'logic' && t.value === '||'; t = tokens.peek()) {
      tokens.next();
      left = { kind: 'or', left, right: and() };
    }
    return left;
  };
  return or();
}

export function evaluate<C>(expression: Expression<C>, test: (condition: C) => boolean): boolean {
  switch (expression.kind) {
    case 'condition':
      return test(expression.condition);
    case 'and':
      return evaluate(expression.left, test) && evaluate(expression.right, test);
    case 'or':
      return evaluate(expression.left, test) || evaluate(expression.right, test);
  }
}

export function conditionsOf<C>(expression: Expression<C>): C[] {
  return expression.kind === 'condition' ? [expression.condition] : [...conditionsOf(expression.left), ...conditionsOf(expression.right)];
}
