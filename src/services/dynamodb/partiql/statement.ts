// The four statements DynamoDB's PartiQL knows: SELECT, INSERT, UPDATE and DELETE.

import { validation } from '../errors.js';
import { lex, syntaxError } from './lex.js';
import { Parser, type Statement, type Translated } from './parse.js';

function tableAndIndex(p: Parser): { table: string; index?: string } {
  const table = p.identifier();
  if (p.isPunct('.')) {
    p.next();
    return { table, index: p.identifier() };
  }
  return { table };
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
  } else if (p.isWord('DELETE')) {
    p.next();
    p.expectWord('FROM');
    statement = { kind: 'delete', table: p.identifier() };
    if (p.isWord('WHERE')) {
      p.next();
      statement.where = p.where();
    }
  } else throw syntaxError(`unsupported statement${p.peek() ? ` ${p.peek()!.text}` : ''}`);
  if (!p.done()) throw syntaxError(`unexpected ${p.peek()!.text}`);
  if (p.parameterCount() !== parameters.length) throw validation("Number of parameters in request and statement don't match.");
  return statement;
}
