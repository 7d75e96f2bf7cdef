// The statements DynamoDB's PartiQL knows: SELECT, INSERT, UPDATE and DELETE (with RETURNING),
// and EXISTS(SELECT ...) as a transaction's condition check.

import { validation } from '../errors.js';
import { lex, syntaxError } from './lex.js';
import { Parser, type Returning, type Statement, type Translated } from './parse.js';

function tableAndIndex(p: Parser): { table: string; index?: string } {
  const table = p.identifier();
  if (p.isPunct('.')) {
    p.next();
    return { table, index: p.identifier() };
  }
  return { table };
}

/** `RETURNING (ALL | MODIFIED) (OLD | NEW) *`, as ReturnValues. */
function returningClause(p: Parser): Returning | undefined {
  if (!p.isWord('RETURNING')) return undefined;
  p.next();
  const which = p.isWord('ALL') ? 'ALL' : p.isWord('MODIFIED') ? 'UPDATED' : undefined;
  if (!which) throw syntaxError(`expected ALL or MODIFIED${p.peek() ? ` at ${p.peek()!.text}` : ''}`);
  p.next();
  const when = p.isWord('OLD') ? 'OLD' : p.isWord('NEW') ? 'NEW' : undefined;
  if (!when) throw syntaxError(`expected OLD or NEW${p.peek() ? ` at ${p.peek()!.text}` : ''}`);
  p.next();
  p.expectPunct('*');
  return `${which}_${when}`;
}

export function parseStatement(text: string, parameters: unknown[] = []): Statement {
  const p = new Parser(lex(text), parameters);
  let statement: Statement;
  if (p.isWord('SELECT')) {
    p.next();
    let projection: Translated | undefined;
    if (p.isPunct('*')) p.next();
    else {
      const paths = [p.path()];
      while (p.isPunct(',')) {
        p.next();
        paths.push(p.path());
      }
      projection = p.take(paths.join(', '));
    }
    p.expectWord('FROM');
    const { table, index } = tableAndIndex(p);
    statement = { kind: 'select', table, index, projection };
    if (p.isWord('WHERE')) {
      p.next();
      statement.where = p.where();
    }
  } else if (p.isWord('INSERT')) {
    p.next();
    p.expectWord('INTO');
    const table = p.identifier();
    p.expectWord('VALUE');
    const item = p.value() as { M?: Record<string, unknown> };
    if (!item.M) throw syntaxError('INSERT takes one item as a {...} value');
    statement = { kind: 'insert', table, item: item.M };
  } else if (p.isWord('UPDATE')) {
    p.next();
    const table = p.identifier();
    const sets: string[] = [];
    const removes: string[] = [];
    while (p.isWord('SET') || p.isWord('REMOVE')) {
      const kind = p.next().text.toUpperCase();
      const path = p.path();
      if (kind === 'REMOVE') removes.push(path);
      else {
        p.expectPunct('=');
        sets.push(`${path} = ${p.condition()}`);
        while (p.isPunct(',')) {
          p.next();
          const next = p.path();
          p.expectPunct('=');
          sets.push(`${next} = ${p.condition()}`);
        }
      }
    }
    if (!sets.length && !removes.length) throw syntaxError('UPDATE needs a SET or REMOVE clause');
    const parts = [sets.length ? `SET ${sets.join(', ')}` : '', removes.length ? `REMOVE ${removes.join(', ')}` : ''].filter(Boolean);
    statement = { kind: 'update', table, update: p.take(parts.join(' ')) };
    if (p.isWord('WHERE')) {
      p.next();
      statement.where = p.where();
    }
    const returning = returningClause(p);
    if (returning) statement.returning = returning;
  } else if (p.isWord('DELETE')) {
    p.next();
    p.expectWord('FROM');
    statement = { kind: 'delete', table: p.identifier() };
    if (p.isWord('WHERE')) {
      p.next();
      statement.where = p.where();
    }
    const returning = returningClause(p);
    if (returning && returning !== 'ALL_OLD') throw syntaxError('DELETE can only return ALL OLD *');
    if (returning) statement.returning = returning;
  } else if (p.isWord('EXISTS') && p.isPunct('(', 1)) {
    p.next();
    p.next();
    p.expectWord('SELECT');
    // What it selects does not matter: only whether the item is there and matches.
    if (p.isPunct('*')) p.next();
    else {
      p.path();
      while (p.isPunct(',')) {
        p.next();
        p.path();
      }
      p.take('');
    }
    p.expectWord('FROM');
    statement = { kind: 'exists', table: p.identifier() };
    if (p.isWord('WHERE')) {
      p.next();
      statement.where = p.where();
    }
    p.expectPunct(')');
  } else throw syntaxError(`unsupported statement${p.peek() ? ` ${p.peek()!.text}` : ''}`);
  if (!p.done()) throw syntaxError(`unexpected ${p.peek()!.text}`);
  if (p.parameterCount() !== parameters.length) throw validation("Number of parameters in request and statement don't match.");
  return statement;
}
