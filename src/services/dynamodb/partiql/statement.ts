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
    const adds: string[] = [];
    const deletes: string[] = [];
    // path = value, or path = SET_ADD(path, set) / SET_DELETE(path, set), which are ADD and DELETE.
    const assignment = () => {
      const path = p.path();
      p.expectPunct('=');
      const fn = p.peek()?.kind === 'word' && p.isPunct('(', 1) ? p.peek()!.text.toUpperCase() : undefined;
      if (fn !== 'SET_ADD' && fn !== 'SET_DELETE') return void sets.push(`${path} = ${p.condition()}`);
      p.next();
      p.next();
      const target = p.path();
      if (!p.samePath(path, target)) throw syntaxError(`${fn} must update the attribute it names`);
      p.forget(target);
      p.expectPunct(',');
      const members = p.condition();
      p.expectPunct(')');
      (fn === 'SET_ADD' ? adds : deletes).push(`${path} ${members}`);
    };
    while (p.isWord('SET') || p.isWord('REMOVE')) {
      const kind = p.next().text.toUpperCase();
      if (kind === 'REMOVE') removes.push(p.path());
      else {
        assignment();
        while (p.isPunct(',')) {
          p.next();
          assignment();
        }
      }
    }
    if (!sets.length && !removes.length && !adds.length && !deletes.length) throw syntaxError('UPDATE needs a SET or REMOVE clause');
    const clause = (word: string, items: string[]) => (items.length ? `${word} ${items.join(', ')}` : '');
    const parts = [clause('SET', sets), clause('REMOVE', removes), clause('ADD', adds), clause('DELETE', deletes)].filter(Boolean);
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
